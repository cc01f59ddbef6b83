"""A long import never makes another user's save fail, on both databases.

How long a save waits is a figure of the benchmark (``tools/bench_import_load.py``, run by
``python -m kehoach bench --postgres``), not a timed assertion here. What is checked: no save
is lost or refused during a 20,000-row import, and on PostgreSQL a save and a new site go
through while the import's final transaction is held open.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from kehoach.db.engine import read_session
from kehoach.db.models import Position, Site, SiteEvent
from kehoach.domain.enums import ChangeSource, SiteKind
from kehoach.services import import_commit, site_import
from kehoach.services.sites import NewSite, SiteChanges, create_site, update_site
from tests.factories import make_site, point_on_street
from tools.bench_import_load import ADMIN, import_under_saves, synthetic_plan

ROWS = 20_000
HELD_ROWS = 500
WAIT_S = 60  # a safety net for a hang, far above any wait the code allows


def _events(engine: Engine, site_id: int) -> int:
    with read_session(engine) as s:
        return s.scalar(select(func.count(SiteEvent.id)).where(SiteEvent.site_id == site_id))


def test_no_save_is_lost_during_a_twenty_thousand_row_import(any_engine: Engine) -> None:
    engine = any_engine
    site_id = make_site(engine)
    lon, lat = point_on_street("Đường Nguyễn Trãi", 0.4)
    run = import_under_saves(engine, site_id, synthetic_plan(ROWS, lon, lat))
    print(f"\n{engine.dialect.name}: import of {ROWS} rows {run.import_seconds:.1f} s; "
          f"{run.saved} saves, {run.busy} asked to retry, max wait {run.max_wait:.3f} s")
    assert run.added == ROWS
    with read_session(engine) as s:
        assert s.scalar(select(func.count(Site.id)).where(Site.import_key.like("load-%"))) == ROWS
    assert _events(engine, site_id) == 1 + run.saved  # created + one event per save: none lost
    assert run.saved >= 10 and run.busy == 0
    # Saves kept going through the import rather than queueing behind all of it.
    assert run.max_wait < run.import_seconds / 2


def _in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    out: dict[str, Any] = {}

    def target() -> None:
        try:
            out["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed to the asserting thread
            out["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    return thread, out


def test_saves_and_new_sites_do_not_wait_for_an_import_on_postgresql(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kehoach.db.engine import make_engine

    engine = make_engine(pg_url)
    site_id = make_site(engine)
    lon, lat = point_on_street("Đường Nguyễn Trãi", 0.4)
    inside, release = threading.Event(), threading.Event()
    insert_staged = import_commit._insert_staged

    def held(*args: Any) -> int:  # the real final step, then hold its transaction open
        added = insert_staged(*args)
        inside.set()
        release.wait(WAIT_S)
        return added

    monkeypatch.setattr(import_commit, "_insert_staged", held)
    plan = synthetic_plan(HELD_ROWS, lon, lat, prefix="held")
    importer, imported = _in_thread(
        lambda: site_import.commit_import(engine, ADMIN, plan, ChangeSource.IMPORT))
    try:
        assert inside.wait(WAIT_S), imported.get("error")
        # The import has inserted its rows and holds its transaction: others write meanwhile.
        saver, saved = _in_thread(lambda: update_site(
            engine, ADMIN, site_id, 1, SiteChanges({"note": "sửa khi đang nhập"})))
        creator, created = _in_thread(lambda: create_site(
            engine, ADMIN, NewSite(kind=SiteKind.BANNER, lon=lon, lat=lat, name="Băng rôn mới")))
        saver.join(WAIT_S)
        creator.join(WAIT_S)
        # Both finished while the import still held its transaction (it waits for release).
        assert not saver.is_alive() and not creator.is_alive()
        assert importer.is_alive()
        assert saved.get("value") == 2, saved.get("error")
        assert isinstance(created.get("value"), int), created.get("error")
        with read_session(engine) as s:  # nothing of the import shows before it commits
            assert not s.scalar(select(func.count(Site.id)).where(Site.import_key.like("held-%")))
    finally:
        release.set()
        importer.join(WAIT_S)
    assert imported["value"].added == HELD_ROWS
    with read_session(engine) as s:
        codes = s.scalars(select(Position.code)).all()
        assert len(codes) == len(set(codes)) == HELD_ROWS + 2  # no code picked twice
        assert s.scalar(select(func.count(Site.id))) == HELD_ROWS + 2
    engine.dispose()
