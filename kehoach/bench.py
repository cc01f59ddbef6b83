"""Measure the map on synthetic sites: Python build time, HTML size, browser draw time.

Synthetic sites are clearly labelled as such (name suffix, ``synthetic: True`` in results)
so bench figures are never mistaken for the campaign's real data.
"""

from __future__ import annotations

import logging
import os
import resource
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.ops import substring
from sqlalchemy import Engine, insert, select

from kehoach.adapters.assets import asset_urls, install_assets
from kehoach.adapters.browser import launch_chromium, serve_directory
from kehoach.adapters.geodata import GeoData, load_geodata
from kehoach.adapters.geometry import from_geojson, length_m, to_geojson, to_metric
from kehoach.adapters.mapview import BaseLayers, MapOptions, base_layers_from_geodata, build_map
from kehoach.config import METRIC_CRS, PROJECT_ROOT, STORAGE_CRS
from kehoach.db.engine import make_engine, read_session, write_session
from kehoach.db.models import Site, SiteEvent, Street, Ward, utcnow
from kehoach.domain.enums import STRETCH_KINDS, ChangeSource, Role, SiteKind, SiteStatus
from kehoach.domain.permissions import Actor
from kehoach.escape import escape_html
from kehoach.services.auth import add_user
from kehoach.services.bootstrap import init_database
from kehoach.services.campaigns import campaign_id_in
from kehoach.services.sites import SiteChanges, update_site

SYNTHETIC_NAME = "Điểm tổng hợp #{i} (dữ liệu tổng hợp)"
SYNTHETIC_CODE_PREFIX = "TH-"
STRETCH_SHARE = 0.10
STRETCH_METRES = (60.0, 400.0)
STATUS_WEIGHTS = {
    SiteStatus.PLANNED: 0.30,
    SiteStatus.INSTALLING: 0.15,
    SiteStatus.INSTALLED: 0.40,
    SiteStatus.NEEDS_FIX: 0.10,
    SiteStatus.REMOVED: 0.05,
}
POINT_KINDS = tuple(kind for kind in SiteKind if kind != SiteKind.FLAG_LINE)
LINE_KINDS = tuple(sorted(STRETCH_KINDS))
BENCH_MAIN_HIGHWAYS = frozenset({"trunk", "primary"})
BENCH_REPEATS = 3
NAIVE_REPEAT_LIMIT = 1_000  # above this many sites the naive map is timed once
BROWSER_TIMEOUT_MS = 180_000
BENCH_ASSET_DIR = "vendor"
VIEWPORT = {"width": 1280, "height": 720}


def synthetic_sites(n: int, seed: int = 7) -> pd.DataFrame:
    """Return ``n`` synthetic sites inside the district, about 10 % of them street stretches."""
    rng = np.random.default_rng(seed)
    geodata = load_geodata()
    n_lines = int(round(n * STRETCH_SHARE))
    n_points = n - n_lines
    lon, lat = _random_points_inside(geodata, n_points, rng)
    lines, mid_lon, mid_lat = _random_stretches(geodata, n_lines, rng)
    statuses = list(STATUS_WEIGHTS)
    weights = np.array(list(STATUS_WEIGHTS.values()))
    status_idx = rng.choice(len(statuses), size=n, p=weights / weights.sum())
    kinds = [POINT_KINDS[i] for i in rng.integers(0, len(POINT_KINDS), n_points)]
    kinds += [LINE_KINDS[i] for i in rng.integers(0, len(LINE_KINDS), n_lines)]
    ids = np.arange(1, n + 1)
    return pd.DataFrame(
        {
            "id": ids,
            "code": [f"{SYNTHETIC_CODE_PREFIX}{i:05d}" for i in ids],
            "name": [SYNTHETIC_NAME.format(i=i) for i in ids],
            "kind": [kind.value for kind in kinds],
            "status": [statuses[i].value for i in status_idx],
            "is_demo": np.zeros(n, dtype=bool),
            "lon": np.concatenate([lon, mid_lon]),
            "lat": np.concatenate([lat, mid_lat]),
            # object dtype keeps None for point sites (a str column would turn it into NaN)
            "geojson": pd.Series([None] * n_points + lines, dtype=object),
        }
    )


def _random_points_inside(
    geodata: GeoData, n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Draw uniform points over the district's bounding box, keeping those inside it."""
    district = shapely.union_all(geodata.district.geometry.to_numpy())
    shapely.prepare(district)
    west, south, east, north = district.bounds
    lon_parts: list[np.ndarray] = []
    lat_parts: list[np.ndarray] = []
    found = 0
    while found < n:
        batch = max(2 * (n - found), 64)
        x = rng.uniform(west, east, batch)
        y = rng.uniform(south, north, batch)
        inside = shapely.contains_xy(district, x, y)
        lon_parts.append(x[inside])
        lat_parts.append(y[inside])
        found += int(inside.sum())
    return np.concatenate(lon_parts)[:n], np.concatenate(lat_parts)[:n]


def _random_stretches(
    geodata: GeoData, n: int, rng: np.random.Generator
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Cut ``n`` random stretches out of real streets (in metres); return GeoJSON and midpoints."""
    if n == 0:
        return [], np.empty(0), np.empty(0)
    streets = shapely.line_merge(geodata.streets.to_crs(METRIC_CRS).geometry.to_numpy())
    parts = [max(shapely.get_parts(street), key=lambda part: part.length) for street in streets]
    picks = rng.integers(0, len(parts), n)
    wanted = rng.uniform(*STRETCH_METRES, n)
    starts = rng.uniform(0.0, 1.0, n)
    stretches = []
    for pick, length, start_share in zip(picks, wanted, starts, strict=True):
        line = parts[pick]
        length = min(length, line.length)
        start = start_share * (line.length - length)
        stretches.append(substring(line, start, start + length))
    metric = gpd.GeoSeries(stretches, crs=METRIC_CRS)
    mids = metric.interpolate(0.5, normalized=True).to_crs(STORAGE_CRS)
    wgs84 = metric.to_crs(STORAGE_CRS).to_numpy()
    return list(shapely.to_geojson(wgs84)), mids.x.to_numpy(), mids.y.to_numpy()


def bench_base_layers() -> BaseLayers:
    """Return the base layers from the shipped geodata, trunk and primary roads as main."""
    geodata = load_geodata()
    main = geodata.streets.loc[geodata.streets["highway"].isin(BENCH_MAIN_HIGHWAYS), "name"]
    return base_layers_from_geodata(geodata, set(main))


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
    """Time ``build_map`` + render (median of ``runs``) and measure the HTML."""
    seconds, size = _timed(lambda: _render(build_map(base, sites, options)), runs)
    return {"map_seconds": round(seconds, 4), "map_bytes": size}


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
NEAREST_STREET_M = 30.0
UPDATE_REPEATS = 5
RERUN_TIMEOUT_S = 300
# Filter changes timed on the home page: narrow to one status, widen, back to everything.
RERUN_FILTERS: tuple[tuple[str, ...], ...] = (("installed",), ("installed", "needs_fix"), ())


def synthetic_site_rows(engine: Engine, sites: pd.DataFrame) -> list[dict[str, Any]]:
    """Turn synthetic sites into ``site`` rows: ward by position, nearest street within 30 m."""
    with read_session(engine) as s:
        wards = s.execute(select(Ward.id, Ward.geojson).order_by(Ward.code)).all()
        streets = s.execute(select(Street.id, Street.geojson).order_by(Street.id)).all()
    lon = sites["lon"].to_numpy(dtype=float)
    lat = sites["lat"].to_numpy(dtype=float)
    ward_ids: list[int | None] = [None] * len(sites)
    for ward_id, text in wards:
        for i in np.flatnonzero(shapely.contains_xy(from_geojson(text), lon, lat)):
            ward_ids[i] = ward_ids[i] or ward_id
    street_ids: list[int | None] = [None] * len(sites)
    tree = shapely.STRtree(np.array([to_metric(from_geojson(t)) for _, t in streets]))
    points_m = to_metric(shapely.points(lon, lat))
    found, nearest = tree.query_nearest(points_m, max_distance=NEAREST_STREET_M)
    for i, k in zip(found, nearest, strict=True):
        street_ids[i] = street_ids[i] or streets[k][0]
    now = utcnow()
    rows = []
    for i, site in enumerate(sites.itertuples(index=False)):
        line = site.geojson if isinstance(site.geojson, str) else None
        geometry = line or to_geojson(shapely.Point(site.lon, site.lat))
        rows.append(
            {
                "code": site.code,
                "name": site.name,
                "kind": site.kind,
                "status": site.status,
                "approval": "approved",
                "geojson": geometry,
                "lon": round(float(site.lon), 7),
                "lat": round(float(site.lat), 7),
                "length_m": round(length_m(from_geojson(line)), 1) if line else 0.0,
                "ward_id": ward_ids[i],
                "street_id": street_ids[i],
                "address": "",
                "content": "",
                "note": "",
                "quantity": 1,
                "flags_expected": 0,
                "flags_hung": 0,
                "is_new": False,
                "rejection_reason": "",
                "is_demo": False,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows


def insert_synthetic_sites(engine: Engine, n: int, seed: int = 7) -> int:
    """Bulk-insert ``n`` synthetic sites (labelled "dữ liệu tổng hợp") with a 'created' event."""
    rows = synthetic_site_rows(engine, synthetic_sites(n, seed=seed))
    with write_session(engine) as s:
        campaign_id = campaign_id_in(s)
        s.execute(insert(Site), [{**row, "campaign_id": campaign_id} for row in rows])
        ids = s.scalars(select(Site.id).where(Site.code.startswith(SYNTHETIC_CODE_PREFIX))).all()
        s.execute(
            insert(SiteEvent),
            [
                {"site_id": i, "at": utcnow(), "username": "bench", "action": "created",
                 "source": ChangeSource.SYSTEM.value}
                for i in ids
            ],
        )  # fmt: skip
    return len(ids)


def create_bench_database(url: str, n: int) -> Engine:
    """Initialise the database at ``url`` and bulk-insert ``n`` synthetic sites into it."""
    engine = make_engine(url)
    init_database(engine)
    insert_synthetic_sites(engine, n)
    return engine


def time_coverage(engine: Engine) -> dict[str, Any]:
    """Time recomputing coverage for all streets (median of 3), if the service exists."""
    try:
        from kehoach.services.coverage import bench_coverage
    except ImportError:
        return {"coverage_seconds": None, "coverage_note": "kehoach.services.coverage missing"}
    return {"coverage_seconds": round(bench_coverage(engine), 4)}


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


def time_home_rerun(url: str, user_id: int) -> dict[str, Any]:
    """Time the home page's rerun after filter changes, headless (Streamlit's AppTest).

    The first run fills the caches (engine, base layers, site table); each timed run is
    what a user waits for after picking a status in the filter: the page script, the map
    build and ``st_folium``'s serialisation, not the browser's drawing.
    """
    from streamlit.testing.v1 import AppTest

    # AppTest touches st.session_state from this thread: harmless, but Streamlit warns.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(
        logging.ERROR
    )
    previous = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    try:
        app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=RERUN_TIMEOUT_S)
        app.session_state["user_id"] = user_id
        started = time.perf_counter()
        app.run()
        first = time.perf_counter() - started
        _raise_app_exception(app)
        status_filter = next(m for m in app.multiselect if m.key == "home-st")
        reruns = []
        for statuses in RERUN_FILTERS:
            status_filter.set_value(list(statuses))
            started = time.perf_counter()
            app.run()
            reruns.append(time.perf_counter() - started)
            _raise_app_exception(app)
            status_filter = next(m for m in app.multiselect if m.key == "home-st")
    finally:
        if previous is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = previous
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
    from kehoach.loadtest import AppSession, running_app

    with tempfile.TemporaryDirectory(prefix="kehoach-bench-app-") as folder:
        log = Path(folder) / "streamlit.log"
        with running_app(url, log) as (app_url, proc):
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


def run_bench(n: int, browser: bool = False) -> dict[str, Any]:
    """Run every benchmark on ``n`` synthetic sites; the app's own path first, then the maps."""
    result: dict[str, Any] = {"n_sites": n, "synthetic": True}
    with tempfile.TemporaryDirectory(prefix="kehoach-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        started = time.perf_counter()
        engine = create_bench_database(url, n)
        result["load_seconds"] = round(time.perf_counter() - started, 2)
        try:
            staff = add_user(engine, BENCH_USER, BENCH_PASSWORD, Role.STAFF)
            result.update(time_coverage(engine))
            result.update(time_home_rerun(url, int(staff.id or 0)))
            result.update(time_server_rerun(url, BENCH_USER, BENCH_PASSWORD))
            result["update_seconds"] = round(time_status_update(engine, staff), 4)
        finally:
            engine.dispose()
    # What the app itself needed for n sites: database, coverage, the home page with its map.
    result["peak_rss_mb"] = peak_rss_mb()
    with DescendantMemory() as children:
        result.update(run_map_bench(n, browser=browser))
    result.setdefault("browser_seconds", None)
    # The naive one-Marker-per-site baseline map is what makes the bench itself grow.
    result["peak_rss_bench_mb"] = peak_rss_mb()
    result["peak_pss_browser_mb"] = children.peak_mb if browser else None
    result["goals"] = BENCH_GOALS
    return result


# The targets at 20,000 sites (seconds, bytes, megabytes).
BENCH_GOALS = {
    "map_seconds": 0.5,
    "map_bytes": 4_000_000,
    "browser_seconds": 1.0,
    "coverage_seconds": 1.0,
    "update_seconds": 0.1,
    "peak_rss_mb": 500,
    "rerun_seconds": 1.0,
}
