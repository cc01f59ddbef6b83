"""Real browser: the map's own script (kehoach-map.js) styles sites, folds the legend, escapes.

A built map page is served from a temporary folder with Leaflet and our script beside it,
exactly as the bench serves it, and checked in headless Chromium.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from playwright.sync_api import Page, sync_playwright
from shapely.geometry import LineString

from kehoach.adapters.coverage_layer import add_gaps
from kehoach.adapters.draftmap import add_draft
from kehoach.adapters.geodata import load_geodata
from kehoach.adapters.map_style import DEMO_OUTLINE, STATUS_COLORS
from kehoach.adapters.mapview import (
    SITE_COLUMNS,
    MapOptions,
    base_layers_from_geodata,
    build_map,
)
from kehoach.domain.enums import SiteKind, SiteStatus
from tools.bench import write_bench_page
from tools.browser import launch_chromium, serve_directory

pytestmark = pytest.mark.browser

PAYLOAD = "<img src=x onerror=window.__pwned=1>"
LINE = {"type": "LineString", "coordinates": [[105.805, 20.995], [105.81, 20.996]]}
GAP = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [[105.80, 20.99], [105.801, 20.99]]},
            "properties": {"name": "Phố thử", "from_m": 0, "to_m": 100, "length_m": 100},
        }
    ],
}


def sites() -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for i, status in enumerate(SiteStatus, start=1):
        rows.append(
            {"id": i, "code": f"PN-{i}", "name": f"Pa-nô {i}", "kind": SiteKind.PANEL.value,
             "status": status.value, "is_demo": False, "lon": 105.80 + i * 0.003,
             "lat": 20.995, "geojson": None}
        )  # fmt: skip
    rows.append(
        dict(rows[0], id=10, code="DEMO", name=PAYLOAD, is_demo=True, lon=105.81, lat=21.002)
    )
    rows.append(
        dict(rows[0], id=11, code="CO-1", kind=SiteKind.FLAG_LINE.value,
             status=SiteStatus.INSTALLED.value, geojson=json.dumps(LINE))
    )  # fmt: skip
    return pd.DataFrame(rows, columns=list(SITE_COLUMNS))


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    base = base_layers_from_geodata(load_geodata(), {"Đường Nguyễn Trãi"})
    fmap = build_map(base, sites(), MapOptions(tile_url="", asset_base_url="vendor"))
    add_gaps(fmap, GAP)
    add_draft(fmap, [(105.83, 20.99)], LineString([(105.83, 20.99), (105.832, 20.991)]))
    with tempfile.TemporaryDirectory(prefix="kh-mapjs-") as folder:
        write_bench_page(fmap.get_root().render(), Path(folder))
        with serve_directory(Path(folder)) as url, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            tab = browser.new_page(viewport={"width": 1280, "height": 800})
            errors: list[str] = []
            tab.on("pageerror", lambda exc: errors.append(str(exc)))
            tab.goto(f"{url}/index.html")
            tab.wait_for_function("window.__khSitesDrawn !== undefined", timeout=60_000)
            yield tab
            browser.close()
            assert errors == []


def test_each_status_gets_its_colour_and_stretches_are_lines(page: Page) -> None:
    drawn = page.evaluate(
        """() => window.khSites.getLayers().map(l => ({id: l.feature.properties.id,
            fill: l.options.fillColor, stroke: l.options.color, dash: l.options.dashArray,
            type: l.feature.geometry.type, coords: l.feature.geometry.coordinates}))"""
    )
    by_id = {layer["id"]: layer for layer in drawn}
    for i, status in enumerate(SiteStatus, start=1):
        assert by_id[i]["fill"] == STATUS_COLORS[status], status
        assert by_id[i]["type"] == "Point" and by_id[i]["dash"] is None
    stretch = by_id[11]
    assert stretch["type"] == "LineString" and stretch["coords"] == LINE["coordinates"]
    assert stretch["stroke"] == STATUS_COLORS[SiteStatus.INSTALLED]
    assert stretch["dash"] == "10 6"  # a flag line is dashed
    assert by_id[10]["stroke"] == DEMO_OUTLINE and by_id[10]["dash"] == "3 2"


def test_tooltip_shows_names_as_text(page: Page) -> None:
    # Hover the demo site's marker with the real mouse (the canvas hit-tests it).
    x, y = page.evaluate(
        """() => { const l = window.khSites.getLayers().find(l => l.feature.properties.id === 10);
                   const map = l._map, p = map.latLngToContainerPoint(l.getLatLng());
                   const box = map.getContainer().getBoundingClientRect();
                   return [box.left + p.x, box.top + p.y]; }"""
    )
    page.mouse.move(x - 20, y - 20)
    page.mouse.move(x, y, steps=4)
    top = page.evaluate(f"() => document.elementFromPoint({x}, {y}).outerHTML.slice(0, 120)")
    assert top.startswith("<canvas"), top
    tip = page.locator(".leaflet-tooltip.kh-tip")
    tip.wait_for()
    assert PAYLOAD in tip.inner_text() and "DEMO" in tip.inner_text()
    assert tip.locator("img").count() == 0
    assert page.evaluate("() => window.__pwned === undefined")


def test_legend_folds_and_unfolds(page: Page) -> None:
    title = page.locator(".kh-legend-title")
    body = page.locator(".kh-legend-body")
    assert body.is_visible() and title.get_attribute("aria-expanded") == "true"
    title.click()
    page.wait_for_function(
        "() => document.querySelector('.kh-legend').classList.contains('kh-legend-collapsed')"
    )
    assert not body.is_visible() and title.get_attribute("aria-expanded") == "false"
    title.press("Enter")
    page.wait_for_function(
        "() => !document.querySelector('.kh-legend').classList.contains('kh-legend-collapsed')"
    )
    assert body.is_visible()


def test_base_layers_overlay_and_draft_are_drawn(page: Page) -> None:
    assert page.locator("path.kh-ward").count() == 11
    assert page.locator("path.kh-main-street").count() >= 1
    assert page.locator("path.kh-gap").count() == 1
    assert page.locator(".kh-legend-layers .kh-legend-row").count() >= 6  # gap row added
    assert page.locator("path.kh-draft").count() == 2  # the picked point and the line
