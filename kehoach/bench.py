"""Measure the map on synthetic sites: Python build time, HTML size, browser draw time.

Synthetic sites are clearly labelled as such (name suffix, ``synthetic: True`` in results)
so bench figures are never mistaken for the campaign's real data.
"""

from __future__ import annotations

import statistics
import tempfile
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

from kehoach.adapters.assets import asset_urls, install_assets
from kehoach.adapters.browser import launch_chromium, serve_directory
from kehoach.adapters.geodata import GeoData, load_geodata
from kehoach.adapters.mapview import BaseLayers, MapOptions, base_layers_from_geodata, build_map
from kehoach.config import METRIC_CRS, STORAGE_CRS
from kehoach.domain.enums import STRETCH_KINDS, SiteKind, SiteStatus
from kehoach.escape import escape_html

SYNTHETIC_NAME = "Điểm tổng hợp #{i} (dữ liệu tổng hợp)"
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
            "code": [f"TH-{i:05d}" for i in ids],
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
