"""A bounded load test: N simulated users read and update sites for S seconds, then stop.

What is real and what is simulated, honestly:

- Real: a ``streamlit run app.py`` process serving the database under test on 127.0.0.1 (a
  free port, loopback only), the database itself (PostgreSQL in the tests), and one Streamlit
  session per simulated user over the app's own WebSocket protocol (``/_stcore/stream``, the
  protobuf messages a browser sends): each user signs in through the real sign-in form and
  then reruns the home page (filters, KPI tiles, map), which reads the database on the server.
  A separate probe GETs ``/_stcore/health`` and ``/`` over HTTP every half second.
- Simulated: saving an edit. Each user's save runs the service path the site form calls
  (``load_site_card`` for the version the form shows, then ``update_site`` with that
  ``expected_version``) in this process, on one engine the users share as an app process
  would, against the same database, instead of clicking the form's widgets on the map's card.
  No browser draws anything, and users save far more often than people do.

Version conflicts are expected when two users save the same site: they are counted, and the
user reloads the card and saves again, as the UI asks people to. Errors are everything else.
At the end every site's version must equal 1 + the saves that succeeded on it (no lost update),
and its history must hold exactly one note event per successful save.
"""

from __future__ import annotations

import contextlib
import random
import secrets
import statistics
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url

from kehoach.db.engine import make_engine, read_session
from kehoach.db.models import Site, SiteEvent
from kehoach.domain.enums import Role
from kehoach.domain.errors import VersionConflict
from tools.server import START_TIMEOUT_S, http_get, streamlit_process
from tools.session import AppSession
from tools.synthetic import insert_synthetic_sites

PASSWORD = "tai-thu-mat-khau-1"  # noqa: S105 - throwaway accounts in a scratch database
USER_PREFIX = "taithu-"
SITES_PER_USER = 2  # few sites per user, so that saves collide and conflicts happen
THINK_SECONDS = (0.05, 0.25)  # pause between a user's saves: far busier than people are
PAGE_EVERY_S = (3.0, 7.0)  # each user reruns the home page every 3-7 s over the WebSocket
PROBE_EVERY_S = 0.5
MAX_CONFLICT_RETRIES = 20
ERROR_SAMPLES = 5


# --- results -----------------------------------------------------------------------------------


@dataclass
class _Tally:
    """What every simulated user observed, shared between threads under one lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    saves_by_site: Counter[int] = field(default_factory=Counter)
    conflicts: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    http_checks: int = 0

    def timed(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)

    def saved(self, site_id: int) -> None:
        with self.lock:
            self.saves_by_site[site_id] += 1

    def conflict(self) -> None:
        with self.lock:
            self.conflicts += 1

    def error(self, where: str, exc: BaseException | str) -> None:
        with self.lock:
            self.errors += 1
            if len(self.error_samples) < ERROR_SAMPLES:
                self.error_samples.append(f"{where}: {exc!r}"[:300])


def _percentiles(values: Sequence[float]) -> dict[str, float | None]:
    if not values:
        return {"p50_ms": None, "p95_ms": None, "max_ms": None}
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


# --- the simulated users -----------------------------------------------------------------------


def _seed(engine: Engine, users: int, n_sites: int) -> tuple[list[Any], list[int]]:
    """Create the staff accounts and the synthetic sites the load works on."""
    from kehoach.services.auth import add_user

    actors = [add_user(engine, f"{USER_PREFIX}{i:02d}", PASSWORD, Role.STAFF) for i in range(users)]
    insert_synthetic_sites(engine, n_sites, seed=11)
    with read_session(engine) as s:
        site_ids = list(s.scalars(select(Site.id).order_by(Site.id)))
    return actors, site_ids


def _save_once(engine: Engine, actor: Any, site_id: int, note: str, tally: _Tally) -> None:
    """Open the card, save a new note with the version seen; on a conflict reload and retry."""
    from kehoach.services.queries import load_site_card
    from kehoach.services.sites import SiteChanges, update_site

    began = time.perf_counter()
    for _ in range(MAX_CONFLICT_RETRIES):
        started = time.perf_counter()
        card = load_site_card(engine, site_id)
        tally.timed("read", time.perf_counter() - started)
        if card is None:
            raise RuntimeError(f"site {site_id} vanished")
        started = time.perf_counter()
        try:
            update_site(engine, actor, site_id, card.version, SiteChanges({"note": note}))
        except VersionConflict:
            tally.timed("update", time.perf_counter() - started)
            tally.conflict()
            continue
        tally.timed("update", time.perf_counter() - started)
        tally.timed("save", time.perf_counter() - began)
        tally.saved(site_id)
        return
    raise RuntimeError(f"site {site_id}: still conflicting after {MAX_CONFLICT_RETRIES} tries")


def _user_loop(
    number: int,
    actor: Any,
    engine: Engine,
    app_url: str,
    site_ids: list[int],
    clock: dict[str, float],
    tally: _Tally,
    ready: threading.Barrier,
) -> None:
    """Sign in, wait for the others, then save and view pages until the deadline."""
    rng = random.Random(number)  # noqa: S311 - load pattern, not security
    session: AppSession | None = None
    try:
        session = AppSession(app_url)
        started = time.perf_counter()
        session.sign_in(actor.username, PASSWORD)
        tally.timed("sign_in", time.perf_counter() - started)
    except Exception as exc:
        tally.error(f"user {number} sign-in", exc)
    with contextlib.suppress(threading.BrokenBarrierError):
        ready.wait(timeout=START_TIMEOUT_S)
    saves = 0
    next_page = time.monotonic() + rng.uniform(0.0, PAGE_EVERY_S[1])
    while time.monotonic() < clock["deadline"]:  # set once every user has signed in
        try:
            site_id = rng.choice(site_ids)
            saves += 1
            _save_once(engine, actor, site_id, f"{actor.username} lần {saves}", tally)
            if session is not None and time.monotonic() >= next_page:
                next_page = time.monotonic() + rng.uniform(*PAGE_EVERY_S)
                started = time.perf_counter()
                elements = session.run()
                tally.timed("page", time.perf_counter() - started)
                if not any(name == "multiselect" for name, _ in elements):
                    tally.error(f"user {number} page", "the home page's filters are missing")
        except Exception as exc:
            tally.error(f"user {number}", exc)
        time.sleep(rng.uniform(*THINK_SECONDS))
    if session is not None:
        with contextlib.suppress(Exception):
            session.close()


def _probe_http(app_url: str, deadline: float, tally: _Tally) -> None:
    while time.monotonic() < deadline:
        for path in ("/_stcore/health", "/"):
            started = time.perf_counter()
            try:
                status = http_get(app_url + path)
                if status != 200:
                    tally.error(f"GET {path}", f"HTTP {status}")
            except Exception as exc:
                tally.error(f"GET {path}", exc)
            tally.timed("http", time.perf_counter() - started)
            with tally.lock:
                tally.http_checks += 1
        time.sleep(PROBE_EVERY_S)


def _lost_updates(engine: Engine, site_ids: list[int], saves: Counter[int]) -> int:
    """Count saves missing from (or extra in) the sites' versions and note history."""
    with read_session(engine) as s:
        versions = dict(s.execute(select(Site.id, Site.version).where(Site.id.in_(site_ids))).all())
        notes = dict(
            s.execute(
                select(SiteEvent.site_id, func.count())
                .where(SiteEvent.site_id.in_(site_ids), SiteEvent.field == "note")
                .group_by(SiteEvent.site_id)
            ).all()
        )
    lost = 0
    for site_id in site_ids:
        expected = saves.get(site_id, 0)
        lost += abs(versions[site_id] - 1 - expected) + abs(notes.get(site_id, 0) - expected)
    return lost


def run_load_test(
    db_url: str, users: int = 20, seconds: float = 60.0, log_dir: Path | None = None
) -> dict[str, Any]:
    """Load an initialised database through a running app for ``seconds``; return figures."""
    engine = make_engine(db_url, pool_size=users + 2)
    tally = _Tally()
    with tempfile.TemporaryDirectory(prefix="kehoach-load-") as scratch:
        log = Path(log_dir or scratch) / "streamlit.log"
        try:
            actors, site_ids = _seed(engine, users, max(users * SITES_PER_USER, 1))
            with streamlit_process(db_url, log, KEHOACH_TILE_URL="") as (app_url, proc):
                elapsed = _drive(actors, engine, app_url, site_ids, seconds, tally)
                app_alive = proc.poll() is None and http_get(f"{app_url}/_stcore/health") == 200
            lost = _lost_updates(engine, site_ids, tally.saves_by_site)
        finally:
            engine.dispose()
        report = _report(users, seconds, elapsed, tally, lost, app_alive, db_url)
        if report["errors"] or not app_alive:
            report["app_log_tail"] = log.read_text(errors="replace")[-3000:]
    return report


def _drive(
    actors: list[Any],
    engine: Engine,
    app_url: str,
    site_ids: list[int],
    seconds: float,
    tally: _Tally,
) -> float:
    """Sign every user in, run them and the HTTP probe for ``seconds``; return the time taken."""
    ready = threading.Barrier(len(actors) + 1)
    clock = {"deadline": time.monotonic() + START_TIMEOUT_S + seconds}
    threads = [
        threading.Thread(
            target=_user_loop,
            args=(i, actor, engine, app_url, site_ids, clock, tally, ready),
            daemon=True,
        )
        for i, actor in enumerate(actors)
    ]
    for thread in threads:
        thread.start()
    with contextlib.suppress(threading.BrokenBarrierError):
        ready.wait(timeout=START_TIMEOUT_S)
    started = time.monotonic()
    clock["deadline"] = started + seconds
    probe = threading.Thread(
        target=_probe_http, args=(app_url, clock["deadline"], tally), daemon=True
    )
    probe.start()
    for thread in [*threads, probe]:
        thread.join(timeout=seconds + START_TIMEOUT_S)
    hung = sum(thread.is_alive() for thread in [*threads, probe])
    if hung:
        tally.error("load", f"{hung} threads did not stop")
    return time.monotonic() - started


def _report(
    users: int,
    seconds: float,
    elapsed: float,
    tally: _Tally,
    lost: int,
    app_alive: bool,
    db_url: str,
) -> dict[str, Any]:
    report: dict[str, Any] = {
        "users": users,
        "seconds": seconds,
        "elapsed_seconds": round(elapsed, 1),
        "database": make_url(db_url).get_backend_name(),
        "updates_ok": sum(tally.saves_by_site.values()),
        "conflicts": tally.conflicts,
        "errors": tally.errors,
        "lost_updates": lost,
        **_percentiles(tally.latencies.get("save", [])),
        "latency_of": "a save: open the card, update_site, reload and retry on a conflict",
        "by_kind": {
            kind: {"n": len(values), **_percentiles(values)}
            for kind, values in sorted(tally.latencies.items())
        },
        "http_checks": tally.http_checks,
        "app_alive_after": app_alive,
        "error_samples": tally.error_samples,
        "simulated": "saves run the site form's service path; pages are real Streamlit sessions",
    }
    return report


# --- a scratch database, so a load test never touches real data --------------------------------


@contextlib.contextmanager
def scratch_database(server_url: str) -> Iterator[str]:
    """Create and initialise a throwaway database next to ``server_url``; drop it afterwards.

    PostgreSQL: a new database on the same server (the role needs CREATEDB). SQLite: a file
    in a temporary directory.
    """
    from kehoach.services.bootstrap import init_database

    url = make_url(server_url)
    if url.get_backend_name() == "sqlite":
        with tempfile.TemporaryDirectory(prefix="kehoach-load-") as folder:
            scratch = f"sqlite:///{Path(folder) / 'load.db'}"
            _initialise(scratch, init_database)
            yield scratch
        return
    name = f"kehoach_load_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        scratch = url.set(database=name).render_as_string(hide_password=False)
        try:
            _initialise(scratch, init_database)
            yield scratch
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _initialise(url: str, init_database: Any) -> None:
    engine = make_engine(url)
    try:
        init_database(engine)  # with the plan: its campaign holds the seeded sites
    finally:
        engine.dispose()
