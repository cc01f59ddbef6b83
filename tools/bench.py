"""Measure the map and the app on synthetic sites: build time, HTML size, browser draw time,
pages through a real server, memory.

Synthetic sites are clearly labelled as such (name suffix, ``synthetic: True`` in results)
so bench figures are never mistaken for the campaign's real data.

Memory: ``peak_rss_mb`` is the app's own peak for the bench database (coverage, the home page
signed in and its filter reruns), measured in a fresh child process (``tools.app_memory``)
that imports only the app; this process's peak also holds the bench's own machinery
(GeoPandas for the synthetic layers, the synthetic frames, the locator and export runs, two
AppTests) and is reported as ``peak_rss_bench_mb``, after the naive map. ``server_peak_rss_mb``
is the real server's peak after sign-in and reruns.
"""

from __future__ import annotations

import contextlib
import logging
import os
import resource
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import folium
import pandas as pd
from sqlalchemy import Engine, select

from kehoach.adapters.assets import asset_urls, install_assets
from kehoach.adapters.mapview import BaseLayers, MapOptions, build_map, clear_site_rows_cache
from kehoach.adapters.summary_table import write_table
from kehoach.config import PROJECT_ROOT
from kehoach.db.engine import read_session
from kehoach.db.models import Site
from kehoach.domain.enums import Role, SiteStatus
from kehoach.domain.permissions import Actor
from kehoach.escape import escape_html
from kehoach.services.auth import add_user
from kehoach.services.geography import locator
from kehoach.services.locate import locate_many
from kehoach.services.site_export import export_sites
from kehoach.services.site_import import import_file
from kehoach.services.sites import SiteChanges, update_site
from tools.app_memory import measure_app_memory
from tools.bench_import_load import run_import_load_bench
from tools.bench_offline import run_offline_bench
from tools.browser import launch_chromium, serve_directory
from tools.server import streamlit_process
from tools.session import AppSession
from tools.synthetic import bench_base_layers, create_bench_database, synthetic_sites

BENCH_REPEATS = 3
NAIVE_REPEAT_LIMIT = 1_000  # above this many sites the naive map is timed once
BROWSER_TIMEOUT_MS = 180_000
BENCH_ASSET_DIR = "vendor"
VIEWPORT = {"width": 1280, "height": 720}


def _render(fmap: folium.Map) -> str:
    return fmap.get_root().render()


def _timed(build: Callable[[], str], runs: int) -> tuple[float, int]:
    """Run ``build`` ``runs`` times; return the median seconds and the HTML size in bytes."""
    seconds = []
    html = ""
    for _ in range(runs):
        started = time.perf_counter()
        html = build()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), len(html.encode("utf-8"))


def time_map(
    base: BaseLayers, sites: pd.DataFrame, options: MapOptions, runs: int = BENCH_REPEATS
) -> dict[str, Any]:
    """Time ``build_map`` + render (median of ``runs``) and measure the HTML.

    ``map_seconds`` is a cold build (the site rows cache emptied first); ``map_cached_seconds``
    a rebuild of the same data, as on a rerun that changed nothing the map shows.
    """

    def cold() -> str:
        clear_site_rows_cache()
        return _render(build_map(base, sites, options))

    seconds, size = _timed(cold, runs)
    cached, _ = _timed(lambda: _render(build_map(base, sites, options)), runs)
    return {
        "map_seconds": round(seconds, 4),
        "map_cached_seconds": round(cached, 4),
        "map_bytes": size,
    }


def naive_map(sites: pd.DataFrame, options: MapOptions) -> folium.Map:
    """Build the slow reference map: one folium Marker with a Popup per site."""
    fmap = folium.Map(location=[20.995, 105.815], zoom_start=14, tiles=None)
    fmap.default_js, fmap.default_css = asset_urls(options.asset_base_url)
    for lat, lon, name in zip(sites["lat"], sites["lon"], sites["name"], strict=True):
        folium.Marker([lat, lon], popup=folium.Popup(escape_html(name))).add_to(fmap)
    return fmap


def time_naive_map(
    sites: pd.DataFrame, options: MapOptions, runs: int | None = None
) -> dict[str, Any]:
    """Time the naive map (three runs for small N, one above NAIVE_REPEAT_LIMIT)."""
    runs = runs or (BENCH_REPEATS if len(sites) <= NAIVE_REPEAT_LIMIT else 1)
    seconds, size = _timed(lambda: _render(naive_map(sites, options)), runs)
    return {"naive_seconds": round(seconds, 4), "naive_bytes": size, "naive_runs": runs}


def write_bench_page(html: str, directory: Path) -> Path:
    """Write the map page and a copy of Leaflet beside it; return the page's path."""
    install_assets(directory / BENCH_ASSET_DIR)
    page = directory / "index.html"
    page.write_text(html, encoding="utf-8")
    return page


def time_browser_draw(
    base: BaseLayers,
    sites: pd.DataFrame,
    runs: int = BENCH_REPEATS,
    screenshot: Path | None = None,
) -> dict[str, Any]:
    """Time navigation start to the first frame after the sites layer is added (median)."""
    from playwright.sync_api import sync_playwright

    options = MapOptions(tile_url="", asset_base_url=BENCH_ASSET_DIR)
    html = _render(build_map(base, sites, options))
    draws: list[float] = []
    with tempfile.TemporaryDirectory(prefix="kh-bench-") as tmp:
        write_bench_page(html, Path(tmp))
        with serve_directory(Path(tmp)) as url, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                for run in range(runs):
                    # A fresh context per run: no cached Leaflet or page between runs.
                    context = browser.new_context(viewport=VIEWPORT)
                    page = context.new_page()
                    page.goto(f"{url}/index.html", wait_until="load")
                    page.wait_for_function(
                        "window.__khSitesDrawn !== undefined", timeout=BROWSER_TIMEOUT_MS
                    )
                    draws.append(page.evaluate("window.__khSitesDrawn") / 1000.0)
                    if screenshot is not None and run == runs - 1:
                        page.screenshot(path=str(screenshot))
                    context.close()
            finally:
                browser.close()
    return {"browser_seconds": round(statistics.median(draws), 4), "browser_runs": runs}


def run_map_bench(
    n: int,
    browser: bool = False,
    *,
    screenshot: Path | None = None,
    naive: bool = True,
) -> dict[str, Any]:
    """Run the map benchmark on ``n`` synthetic sites and return its figures as a dict."""
    base = bench_base_layers()
    sites = synthetic_sites(n)
    options = MapOptions(tile_url="")
    result: dict[str, Any] = {"n_sites": n, "synthetic": True}
    result.update(time_map(base, sites, options))
    if naive:
        result.update(time_naive_map(sites, options))
    if browser or screenshot is not None:
        result.update(time_browser_draw(base, sites, screenshot=screenshot))
    return result


# --- the whole app at scale: a bench database, coverage, the home page's rerun, one update --

BENCH_USER = "bench-staff"
BENCH_PASSWORD = "bench-mat-khau-1"  # noqa: S105 - a throwaway account in a temporary database
UPDATE_REPEATS = 5
RERUN_TIMEOUT_S = 300
# Filter changes timed on the home page: narrow to one status, widen, back to everything.
# The home page's status filter (the filters every page shares, kehoach/ui/view_state.py).
STATUS_FILTER_KEY = "filter-statuses"
RERUN_FILTERS: tuple[tuple[str, ...], ...] = (("installed",), ("installed", "needs_fix"), ())


def time_coverage(engine: Engine) -> dict[str, Any]:
    """Time recomputing coverage for all streets (median of 3), if the service exists."""
    try:
        from kehoach.services.coverage import bench_coverage
    except ImportError:
        return {"coverage_seconds": None, "coverage_note": "kehoach.services.coverage missing"}
    return {"coverage_seconds": round(bench_coverage(engine), 4)}


# Position texts in the offices' style, one per way the locator reads a position.
LOCATE_PHRASINGS = (
    "Ngã tư Nguyễn Trãi - Khuất Duy Tiến, pa-nô {i}",
    "Dải phân cách đường Khuất Duy Tiến, đoạn từ Nguyễn Trãi đến Lê Văn Lương ({i})",
    "Trước cửa số {i} Khương Đình",
    "Trạm y tế phường Khương Mai, cờ {i}",
    "Điểm {i} không rõ vị trí",
)


def time_locate(engine: Engine, n: int = 5000) -> dict[str, Any]:
    """Time reading ``n`` position texts against the streets and places (index built first)."""
    locator(engine)
    texts = [LOCATE_PHRASINGS[i % len(LOCATE_PHRASINGS)].format(i=i) for i in range(n)]
    started = time.perf_counter()
    locate_many(engine, texts)
    return {"locate_texts": n, "locate_seconds": round(time.perf_counter() - started, 3)}


def office_table_csv(n: int) -> bytes:
    """Return an office-style summary table of ``n`` rows (title rows, no coordinates)."""
    kinds = ("Pa-nô", "Cờ phướn", "Băng rôn", "Cờ Tổ quốc", "Pa-nô")
    lines = ["UBND QUẬN THANH XUÂN", "BIỂU TỔNG HỢP VỊ TRÍ ĐIỂM TRỰC QUAN", "",
             "STT,Vị trí,Hình thức,Nội dung,SL,Ghi chú"]
    for i in range(n):
        text = LOCATE_PHRASINGS[i % len(LOCATE_PHRASINGS)].format(i=i)
        lines.append(f'{i + 1},"{text}",{kinds[i % len(kinds)]},Chào mừng,{1 + i % 3},')
    lines.append(",Tổng cộng,,,,")
    return "\n".join(lines).encode("utf-8")


def time_import(engine: Engine, actor: Actor, n: int = 5000) -> dict[str, Any]:
    """Time importing an office table of ``n`` rows: read, locate, check and store them all."""
    data = office_table_csv(n)
    started = time.perf_counter()
    report = import_file(engine, actor, data, "bieu-tong-hop.csv")
    seconds = round(time.perf_counter() - started, 3)
    if not report.committed or report.added != n:
        raise RuntimeError(f"bench import stored {report.added} of {n}: {report.problems[:3]}")
    return {"import_5000_seconds": seconds}


def time_export(engine: Engine, actor: Actor) -> dict[str, Any]:
    """Time the summary-table export of every site to XLSX (what `sites export` writes)."""
    started = time.perf_counter()
    data = write_table(export_sites(engine, actor), "xlsx")
    return {
        "export_xlsx_seconds": round(time.perf_counter() - started, 3),
        "export_xlsx_mb": round(len(data) / 1_000_000, 2),
    }


def time_status_update(engine: Engine, actor: Actor, repeats: int = UPDATE_REPEATS) -> float:
    """Time status updates through ``update_site`` (median of ``repeats`` sites)."""
    with read_session(engine) as s:
        targets = s.execute(
            select(Site.id, Site.version)
            .where(Site.status == SiteStatus.PLANNED.value)
            .order_by(Site.id)
            .limit(repeats)
        ).all()
    seconds = []
    for site_id, version in targets:
        started = time.perf_counter()
        update_site(engine, actor, site_id, version, SiteChanges({"status": "installing"}))
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


@contextlib.contextmanager
def _database_url(url: str) -> Iterator[None]:
    """Point DATABASE_URL at ``url`` for an AppTest run, then restore it."""
    # AppTest touches st.session_state from this thread: harmless, but Streamlit warns.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(
        logging.ERROR
    )
    previous = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = previous


def time_sites_page_rerun(url: str, user_id: int, runs: int = 3) -> dict[str, Any]:
    """Time reruns of the sites page (``pages/sites.py``) headless, after a first run (median).

    The page runs inside the real frame (``app.py`` with the page switched to), as a
    signed-in user sees it; each timed rerun is what a click on the page waits for.
    """
    from streamlit.testing.v1 import AppTest

    with _database_url(url):
        app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=RERUN_TIMEOUT_S)
        app.session_state["user_id"] = user_id
        app.switch_page("app_pages/sites.py")
        started = time.perf_counter()
        app.run()
        first = time.perf_counter() - started
        _raise_app_exception(app)
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            app.run()
            seconds.append(time.perf_counter() - started)
            _raise_app_exception(app)
    return {
        "sites_page_first_seconds": round(first, 4),
        "sites_page_rerun_seconds": round(statistics.median(seconds), 4),
    }


def time_home_rerun(url: str, user_id: int) -> dict[str, Any]:
    """Time the home page's rerun after filter changes, headless (Streamlit's AppTest).

    The first run fills the caches (engine, base layers, site table); each timed run is
    what a user waits for after picking a status in the filter: the page script, the map
    build and ``st_folium``'s serialisation, not the browser's drawing.
    """
    from streamlit.testing.v1 import AppTest

    with _database_url(url):
        app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=RERUN_TIMEOUT_S)
        app.session_state["user_id"] = user_id
        started = time.perf_counter()
        app.run()
        first = time.perf_counter() - started
        _raise_app_exception(app)
        status_filter = next(m for m in app.multiselect if m.key == STATUS_FILTER_KEY)
        reruns = []
        for statuses in RERUN_FILTERS:
            status_filter.set_value(list(statuses))
            started = time.perf_counter()
            app.run()
            reruns.append(time.perf_counter() - started)
            _raise_app_exception(app)
            status_filter = next(m for m in app.multiselect if m.key == STATUS_FILTER_KEY)
    return {
        "first_run_seconds": round(first, 4),
        "rerun_seconds": round(statistics.median(reruns), 4),
        "rerun_runs": [round(r, 4) for r in reruns],
    }


def time_server_rerun(url: str, username: str, password: str, runs: int = 3) -> dict[str, Any]:
    """Time home page reruns through a real ``streamlit run`` over its WebSocket (median).

    Everything but the browser: the page script, the map, the component payload sent to
    the client and the protocol round trip. Every site is shown (no filter).
    """
    with tempfile.TemporaryDirectory(prefix="kehoach-bench-app-") as folder:
        log = Path(folder) / "streamlit.log"
        with streamlit_process(url, log, KEHOACH_TILE_URL="") as (app_url, proc):
            session = AppSession(app_url)
            try:
                started = time.perf_counter()
                session.sign_in(username, password)
                first = time.perf_counter() - started
                seconds = []
                for _ in range(runs):
                    started = time.perf_counter()
                    session.run()
                    seconds.append(time.perf_counter() - started)
            finally:
                session.close()
            peak_kb = _status_kb(proc.pid, "VmHWM")  # the server's peak resident memory
    return {
        "server_first_page_seconds": round(first, 4),
        "server_rerun_seconds": round(statistics.median(seconds), 4),
        "server_peak_rss_mb": round(peak_kb / 1024, 1),
    }


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def _raise_app_exception(app: Any) -> None:
    if app.exception:
        raise RuntimeError(f"the home page failed: {app.exception[0].value}")


def peak_rss_mb() -> float:
    """Return this process's peak resident memory so far, in MB (Linux reports kB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class DescendantMemory:
    """Sample the summed proportional memory (PSS) of this process's descendants.

    ``RUSAGE_CHILDREN`` cannot serve: Linux carries a parent's peak over into a forked child,
    so it reports the bench's own size for a small Playwright driver. Summing RSS would count
    the pages Chromium's processes share once per process; PSS splits them among the sharers.
    """

    def __init__(self, every_s: float = 0.1) -> None:
        self.every_s = every_s
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> DescendantMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    @property
    def peak_mb(self) -> float:
        """Return the highest sum seen, in MB."""
        return round(self.peak_kb / 1024, 1)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, _descendants_pss_kb(os.getpid()))
            self._stop.wait(self.every_s)


def _descendants_pss_kb(root: int) -> int:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # the process ended meanwhile
                continue
            # pid (comm) state ppid ...: comm may hold spaces, so split after its ')'.
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    total, stack = 0, [pid for pid, parent in parents.items() if parent == root]
    while stack:
        pid = stack.pop()
        total += _pss_kb(pid)
        stack += [child for child, parent in parents.items() if parent == pid]
    return total


def _pss_kb(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in rollup.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def run_bench(n: int, browser: bool = False, postgres: bool = False) -> dict[str, Any]:
    """Run every benchmark on ``n`` synthetic sites; the app's own path first, then the maps.

    ``postgres`` also times saves during an ``n``-row import on a throwaway PostgreSQL cluster.
    """
    result: dict[str, Any] = {"n_sites": n, "synthetic": True}
    with tempfile.TemporaryDirectory(prefix="kehoach-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        started = time.perf_counter()
        engine = create_bench_database(url, n)
        result["load_seconds"] = round(time.perf_counter() - started, 2)
        try:
            staff = add_user(engine, BENCH_USER, BENCH_PASSWORD, Role.STAFF)
            result.update(time_coverage(engine))
            result.update(time_locate(engine))
            result.update(time_import(engine, staff))
            result.update(time_export(engine, staff))
            result.update(time_home_rerun(url, int(staff.id or 0)))
            result.update(time_sites_page_rerun(url, int(staff.id or 0)))
            result.update(time_server_rerun(url, BENCH_USER, BENCH_PASSWORD))
            result["update_seconds"] = round(time_status_update(engine, staff), 4)
            result.update(run_offline_bench(engine, full=browser))
            # What the app itself needs for n sites: coverage, the home page with its map.
            result["peak_rss_mb"] = measure_app_memory(url, int(staff.id or 0))
        finally:
            engine.dispose()
    result.update(run_import_load_bench(n, postgres=postgres))
    result.setdefault("import_save_wait_postgresql_seconds", None)
    with DescendantMemory() as children:
        result.update(run_map_bench(n, browser=browser))
    result.setdefault("browser_seconds", None)
    # The naive one-Marker-per-site baseline map is what makes the bench itself grow.
    result["peak_rss_bench_mb"] = peak_rss_mb()
    result["peak_pss_browser_mb"] = children.peak_mb if browser else None
    result["map_mb"] = round(result["map_bytes"] / 1_000_000, 2)
    result["goals"] = BENCH_GOALS
    result["goals_missed"] = sorted(
        key for key, goal in BENCH_GOALS.items() if (result.get(key) or 0) > goal
    )
    return result


# Targets at 20,000 sites on a 2-core machine (seconds, bytes, megabytes).
BENCH_GOALS = {
    "map_seconds": 0.5,
    "map_bytes": 2_000_000,
    "browser_seconds": 0.7,
    "server_first_page_seconds": 1.5,
    "server_rerun_seconds": 0.35,
    "coverage_seconds": 1.0,
    "locate_seconds": 10.0,
    "import_5000_seconds": 10.0,
    "export_xlsx_seconds": 5.0,
    "sites_page_rerun_seconds": 1.0,
    "update_seconds": 0.1,
    "peak_rss_mb": 400,
    "server_peak_rss_mb": 400,
    "rerun_seconds": 1.0,
    "pack_mb": 3.0,
    "pack_open_seconds": 2.0,
    "sync_200_seconds": 30.0,
    # The longest save by another user while an n-row import is stored.
    "import_save_wait_sqlite_seconds": 1.0,
    "import_save_wait_postgresql_seconds": 1.0,
}
