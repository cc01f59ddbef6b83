"""Render the district map to HTML and check what it draws, what it loads and what it escapes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import folium
import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

from kehoach.adapters.assets import (
    MAP_CSS,
    MAP_FLOW_JS,
    MAP_JS,
    MAP_SOURCE_DIR,
    asset_urls,
    install_assets,
)
from kehoach.adapters.geodata import load_geodata
from kehoach.adapters.mapview import (
    MARK_DEMO,
    MARK_PENDING,
    MARK_REJECTED,
    SITE_COLUMNS,
    BaseLayers,
    MapOptions,
    base_config,
    base_layers_from_geodata,
    build_map,
    cached_base_config,
    cached_site_rows_json,
    coordinate_origin,
    coverage_color,
    empty_sites,
    legend_html,
    site_rows,
)
from kehoach.domain.enums import SiteKind, SiteStatus
from kehoach.escape import escape_html, json_for_script
from kehoach.i18n import label, t
from tools.synthetic import synthetic_sites

ASSETS = "/app/static/vendor"
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
XSS_NAMES = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "tick ` and ${alert(1)}",
)
MAP_SCRIPT = (MAP_SOURCE_DIR / MAP_JS).read_text(encoding="utf-8")
MAP_STYLE = (MAP_SOURCE_DIR / MAP_CSS).read_text(encoding="utf-8")
LINK_RE = re.compile(r"<(?:script|link)\b[^>]*\b(?:src|href)=[\"']([^\"']*)[\"']", re.I)


@pytest.fixture(scope="module")
def base() -> BaseLayers:
    return base_layers_from_geodata(load_geodata(), {"Đường Nguyễn Trãi"})


def make_site(site_id: int = 1, **changes: Any) -> dict[str, Any]:
    site = {
        "id": site_id,
        "code": f"PN-{site_id:03d}",
        "name": f"Pa-nô số {site_id}",
        "kind": SiteKind.PANEL.value,
        "status": SiteStatus.PLANNED.value,
        "is_demo": False,
        "lon": 105.8123456789,
        "lat": 20.9954321098,
        "geojson": None,
    }
    site.update(changes)
    return site


def make_sites(*sites: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(list(sites), columns=list(SITE_COLUMNS))


def render(base: BaseLayers, sites: pd.DataFrame, **options: Any) -> str:
    return build_map(base, sites, MapOptions(**options)).get_root().render()


def in_script(text: str) -> str:
    """Return ``text`` as the template writes it: escaped, then inside a JSON string."""
    return json_for_script(escape_html(text))[1:-1]


def walk(element: Any) -> Any:
    """Yield every element under ``element`` (what streamlit-folium reads links from)."""
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from walk(child)


# --- base layers, legend, attribution ---------------------------------------------------------


def test_map_draws_every_ward_name_and_the_layer_classes(base: BaseLayers) -> None:
    html = render(base, make_sites(make_site()))
    wards = load_geodata().wards
    assert len(wards) == 11
    for name in wards["name"]:
        assert in_script(name) in html
    assert "KhMap.base(" in html
    for class_name in ("kh-ward", "kh-street", "kh-main-street", "kh-district"):
        assert class_name in MAP_SCRIPT


def test_only_plan_streets_are_marked_main(base: BaseLayers) -> None:
    main = [street["name"] for street in base.streets if street["is_main"]]
    assert main and set(main) == {"Đường Nguyễn Trãi"}


def test_legend_lists_statuses_kinds_demo_and_layers(base: BaseLayers) -> None:
    html = render(base, empty_sites())
    for key in ("map.legend.title", "map.legend.demo", "map.legend.ward", "map.legend.district"):
        assert in_script(t(key)) in html
    assert "Chú giải" in html
    for member in (*SiteStatus, *SiteKind):
        assert in_script(label(member)) in html
    assert 'position: "bottomright"' in MAP_SCRIPT
    assert json_for_script(legend_html(base))[1:-1] in html


def test_legend_draws_each_kind_shape_as_inline_svg(base: BaseLayers) -> None:
    legend = legend_html(base)
    assert legend.count("<svg") >= len(SiteStatus) + len(SiteKind) + 5
    for shape_tag in ("<rect", "<polygon", "<circle", "<line"):
        assert shape_tag in legend
    assert 'stroke-dasharray="3 2"' in legend  # demo outline


def test_attribution_credits_osm_and_ward_source_without_tiles(base: BaseLayers) -> None:
    html = render(base, empty_sites(), tile_url="")
    assert "© OpenStreetMap contributors (ODbL)" in html
    assert "censusVN2009 (M. Choisy, L. Contamin)" in html
    assert "gần đúng" in html


# --- offline assets ---------------------------------------------------------------------------


def test_page_links_only_local_leaflet(base: BaseLayers) -> None:
    fmap = build_map(base, make_sites(make_site()), MapOptions(asset_base_url=ASSETS))
    html = fmap.get_root().render()
    links = [url.split("?")[0] for url in LINK_RE.findall(html)]
    assert sorted(links) == [
        f"{ASSETS}/kehoach/{MAP_FLOW_JS}",
        f"{ASSETS}/kehoach/{MAP_CSS}",
        f"{ASSETS}/kehoach/{MAP_JS}",
        f"{ASSETS}/leaflet/leaflet.css",
        f"{ASSETS}/leaflet/leaflet.js",
    ]
    assert "cdn" not in html.lower()
    # streamlit-folium collects default_js / default_css from every element itself.
    component_links = [
        url
        for element in walk(fmap)
        for _, url in (*getattr(element, "default_js", []), *getattr(element, "default_css", []))
    ]
    assert component_links and all(url.startswith(f"{ASSETS}/") for url in component_links)


def test_building_a_map_leaves_folium_defaults_alone(base: BaseLayers) -> None:
    before = list(folium.Map.default_js)
    build_map(base, empty_sites(), MapOptions())
    assert folium.Map.default_js == before


def test_no_tile_layer_without_tile_url(base: BaseLayers) -> None:
    html = render(base, empty_sites(), tile_url="")
    assert "L.tileLayer" not in html
    assert "tile.openstreetmap.org" not in html


def test_tile_layer_when_tile_url_set(base: BaseLayers) -> None:
    html = render(base, empty_sites(), tile_url=OSM_TILES)
    assert "L.tileLayer" in html
    assert OSM_TILES in html
    # The tile URL is the only remote address the page may use, and it is not a <script>/<link>.
    assert all(not url.startswith("http") for url in LINK_RE.findall(html))


def test_background_colour_keeps_map_readable_without_tiles(base: BaseLayers) -> None:
    html = render(base, empty_sites(), tile_url="")
    assert f"{MAP_CSS}?v=" in html
    assert ".kh-map.leaflet-container { background:" in MAP_STYLE


# --- escaping ---------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", XSS_NAMES)
def test_site_names_and_codes_are_escaped(base: BaseLayers, payload: str) -> None:
    sites = make_sites(make_site(1, name=payload), make_site(2, code=payload))
    html = render(base, sites)
    assert payload not in html
    assert in_script(payload) in html


def test_ward_and_place_names_are_escaped(base: BaseLayers) -> None:
    payload = XSS_NAMES[0]
    ward = dict(base.wards[0], name=payload)
    place = dict(base.places[0], name=XSS_NAMES[1])
    hostile = BaseLayers(base.district, [ward, *base.wards[1:]], base.streets, [place])
    html = render(hostile, empty_sites())
    assert payload not in html and XSS_NAMES[1] not in html
    assert in_script(payload) in html and in_script(XSS_NAMES[1]) in html


def test_long_names_are_truncated() -> None:
    rows = site_rows(make_sites(make_site(name="x" * 200)))
    assert rows[0][5] == "x" * 59 + "…"


# --- sites ------------------------------------------------------------------------------------


def test_empty_sites_frame_builds_a_map(base: BaseLayers) -> None:
    html = render(base, empty_sites())
    assert re.search(r"KhMap\.sites\(map_\w+, \{.*\}, \[\]\);", html)
    assert site_rows(empty_sites()) == []


def test_site_rows_are_lean_and_rounded() -> None:
    line = json.dumps({"type": "LineString", "coordinates": [[105.81234567, 20.99], [105.82, 21]]})
    sites = make_sites(
        make_site(1, status=SiteStatus.NEEDS_FIX.value, kind=SiteKind.LED_SCREEN.value),
        make_site(2, kind=SiteKind.FLAG_LINE.value, geojson=line),
    )
    rows = site_rows(sites)
    # Stretches first (drawn underneath), then points.
    assert [row[0] for row in rows] == [2, 1]
    # Integers of 1e-5 degree (about 1 m) from the sites' south-west corner; a stretch's
    # vertices are steps from the vertex before.
    assert coordinate_origin(sites) == (105.81, 20.99)
    assert rows[0][6] == [235, 0, 765, 1000]  # 105.81235, 20.99 then 105.82, 21.0
    status_index = list(SiteStatus).index(SiteStatus.NEEDS_FIX)
    kind_index = list(SiteKind).index(SiteKind.LED_SCREEN)
    point = [1, status_index, kind_index, 0, "PN-001", "Pa-nô số 1", 235, 543]
    assert rows[1] == point  # 105.81235, 20.99543


def test_site_rows_take_gaps_third_coordinates_and_bad_geojson() -> None:
    multi = {
        "type": "Feature",
        "geometry": {
            "type": "MultiLineString",
            "coordinates": [[[105.81, 20.99, 7.5], [105.81001, 20.99002]], [[105.82, 21.0]] * 2],
        },
    }
    sites = make_sites(
        make_site(1, code=None, name=None, geojson="not json"),
        make_site(2, kind=SiteKind.FLAG_LINE.value, name="<b>", geojson=json.dumps(multi)),
        make_site(3, geojson=json.dumps({"type": "Point", "coordinates": [105.8, 21.0]})),
    )
    rows = {row[0]: row for row in site_rows(sites)}
    assert rows[1][4:6] == ["", ""] and len(rows[1]) == 8  # bad GeoJSON: drawn as a point
    assert rows[2][5] == "&lt;b&gt;"
    assert rows[2][6] == [[0, 0, 1, 2], [1000, 1000, 0, 0]]  # height dropped, lon/lat kept
    assert len(rows[3]) == 8


def test_site_rows_accept_enum_members_as_well_as_strings() -> None:
    as_enum = make_site(1, status=SiteStatus.INSTALLED, kind=SiteKind.BANNER)
    as_text = make_site(1, status="installed", kind="banner")
    assert site_rows(make_sites(as_enum)) == site_rows(make_sites(as_text))
    assert site_rows(make_sites(as_text))[0][1:3] == [2, 2]


def test_selected_stretch_is_highlighted_with_its_line(base: BaseLayers) -> None:
    line = {"type": "LineString", "coordinates": [[105.81, 20.99], [105.82, 21.0]]}
    sites = make_sites(make_site(3, kind=SiteKind.FLAG_LINE.value, geojson=json.dumps(line)))
    html = render(base, sites, selected_site_id=3)
    assert '"selected":' + json.dumps(line, separators=(",", ":")) in html


def test_demo_sites_carry_the_demo_flag_and_prefix(base: BaseLayers) -> None:
    sites = make_sites(make_site(1, is_demo=True), make_site(2))
    flags = {row[0]: row[3] for row in site_rows(sites)}
    assert flags == {1: 1, 2: 0}
    html = render(base, sites)
    assert in_script(f"[{t('demo.badge')}]") in html
    assert 'dashArray: pending ? "4 2" : (demo ? "3 2" : null)' in MAP_SCRIPT


def test_pending_and_rejected_sites_are_marked_and_say_so(base: BaseLayers) -> None:
    sites = make_sites(
        make_site(1, approval="pending"),
        make_site(2, approval="rejected", status=SiteStatus.INSTALLING.value),
        make_site(3, approval="approved", is_demo=True),
    )
    marks = {row[0]: row[3] for row in site_rows(sites)}
    assert marks == {1: MARK_PENDING, 2: MARK_REJECTED, 3: MARK_DEMO}
    html = render(base, sites)
    # The tooltip shows the approval state, not "Đang lắp đặt", for a rejected site.
    assert in_script("[Chờ phê duyệt]") in html and in_script("[Không phê duyệt]") in html
    assert "var state = p.d & 4 ? cfg.rejected : (p.d & 2 ? cfg.pending" in MAP_SCRIPT
    legend = legend_html(base)
    assert "Chờ phê duyệt" in legend and "Không phê duyệt" in legend


def test_selected_site_gets_a_ring(base: BaseLayers) -> None:
    sites = make_sites(make_site(7), make_site(8, lon=105.82, lat=21.0))
    html = render(base, sites, selected_site_id=8)
    assert '"selected":{"type":"Point","coordinates":[105.82,21.0]}' in html
    assert in_script(t("map.legend.selected")) in html
    assert '"selected":null' in render(base, sites)


def test_focus_bounds_replace_district_bounds(base: BaseLayers) -> None:
    focus = ((20.99, 105.81), (21.0, 105.82))
    html = render(base, empty_sites(), focus_bounds=focus)
    assert '"bounds":[[20.99,105.81],[21.0,105.82]]' in html


def test_sites_are_one_canvas_layer(base: BaseLayers) -> None:
    sites = synthetic_sites(50)
    html = render(base, sites)
    assert html.count("KhMap.sites(") == 1
    # One renderer draws every site from the rows: no Leaflet layer per site.
    assert 'new L.KhSitesCanvas(rows, cfg, {pane: "khSites"' in MAP_SCRIPT
    assert "L.KhMarker" not in MAP_SCRIPT and "L.geoJSON(null" not in MAP_SCRIPT
    assert MAP_SCRIPT.count("L.marker(") == 1  # written once, for the ward labels
    assert "circle_marker_" not in html and "marker_" not in html


def test_html_stays_small_at_two_thousand_sites(base: BaseLayers) -> None:
    empty = len(render(base, empty_sites()).encode())
    full = len(render(base, synthetic_sites(2000)).encode())
    assert full < 500_000
    assert (full - empty) / 2000 < 150  # bytes per site


def test_coverage_ramp_runs_red_amber_green() -> None:
    assert coverage_color(0.0) == "#dc2626"
    assert coverage_color(0.5) == "#f59e0b"
    assert coverage_color(1.0) == "#16a34a"
    assert coverage_color(None) == "#94a3b8"


def test_street_coverage_colours_the_streets(base: BaseLayers) -> None:
    covered = [dict(street, coverage=0.0) for street in base.streets]
    html = render(BaseLayers(base.district, base.wards, covered, base.places), empty_sites())
    assert '"c":"#dc2626"' in html
    assert in_script(t("map.legend.coverage")) in html


# --- synthetic sites --------------------------------------------------------------------------


def test_synthetic_sites_are_inside_the_district_and_varied() -> None:
    sites = synthetic_sites(500, seed=3)
    assert list(sites.columns) == list(SITE_COLUMNS)
    assert len(sites) == 500 and sites["id"].is_unique
    assert set(sites["status"]) == {status.value for status in SiteStatus}
    assert set(sites["kind"]) == {kind.value for kind in SiteKind}
    assert not sites["is_demo"].any()
    stretches = sites["geojson"].notna()
    assert 40 <= stretches.sum() <= 60
    district = shape(load_geodata().district.geometry.iloc[0])
    points = sites.loc[~stretches]
    assert shapely.contains_xy(district, points["lon"], points["lat"]).all()
    assert sites["name"].str.contains("dữ liệu tổng hợp").all()


# --- assets -----------------------------------------------------------------------------------


def test_install_assets_copies_leaflet(tmp_path: Path) -> None:
    folder = install_assets(tmp_path)
    leaflet_js = folder / "leaflet.js"
    assert folder == tmp_path / "leaflet"
    assert leaflet_js.stat().st_size > 100_000
    assert (folder / "leaflet.css").stat().st_size > 0
    assert (folder / "images" / "marker-icon.png").is_file()


def test_install_assets_is_idempotent(tmp_path: Path) -> None:
    leaflet_js = install_assets(tmp_path) / "leaflet.js"
    first = leaflet_js.stat().st_mtime_ns
    install_assets(tmp_path)
    assert leaflet_js.stat().st_mtime_ns == first
    leaflet_js.write_text("stale")
    install_assets(tmp_path)
    assert leaflet_js.stat().st_size > 100_000


def test_asset_urls_point_under_base_url() -> None:
    js, css = asset_urls("/app/static/vendor/")
    assert js[0] == ("leaflet", "/app/static/vendor/leaflet/leaflet.js")
    assert css[0] == ("leaflet_css", "/app/static/vendor/leaflet/leaflet.css")
    # Our script after Leaflet, with a version in the URL so a new release is fetched anew.
    assert re.fullmatch(rf"/app/static/vendor/kehoach/{MAP_JS}\?v=[0-9a-f]{{12}}", js[1][1])
    assert re.fullmatch(rf"/app/static/vendor/kehoach/{MAP_CSS}\?v=[0-9a-f]{{12}}", css[1][1])
    assert asset_urls("vendor")[0][0] == ("leaflet", "vendor/leaflet/leaflet.js")


def test_install_assets_copies_the_map_script(tmp_path: Path) -> None:
    install_assets(tmp_path)
    assert (tmp_path / "kehoach" / MAP_JS).read_text(encoding="utf-8") == MAP_SCRIPT
    assert (tmp_path / "kehoach" / MAP_CSS).read_text(encoding="utf-8") == MAP_STYLE


def test_rows_are_reused_while_the_data_is_unchanged() -> None:
    sites = make_sites(make_site(1), make_site(2))
    first = cached_site_rows_json(sites)
    assert cached_site_rows_json(sites.copy()) is first
    renamed = sites.copy()
    renamed.loc[0, "name"] = "Tên mới"
    changed = cached_site_rows_json(renamed)
    assert changed is not first and "Tên mới" in changed
    assert json.loads(changed) == site_rows(renamed)


def test_rows_cache_tells_apart_slices_and_types_of_the_same_data() -> None:
    sites = synthetic_sites(50)  # Arrow-backed text columns, as the database gives them
    head, shifted = sites.iloc[0:10], sites.iloc[1:11]  # slices share their parent's buffers
    assert json.loads(cached_site_rows_json(head)) == site_rows(head)
    assert json.loads(cached_site_rows_json(shifted)) == site_rows(shifted)
    as_objects = sites.astype({"code": object, "name": object})
    assert cached_site_rows_json(as_objects) == cached_site_rows_json(sites)
    moved = sites.copy()
    moved.loc[3, "lat"] += 0.001
    assert json.loads(cached_site_rows_json(moved)) == site_rows(moved)


def test_base_layers_config_is_built_once_per_base_layers(base: BaseLayers) -> None:
    first = cached_base_config(base, has_tiles=False)
    assert cached_base_config(base, has_tiles=False) is first
    assert first == base_config(base, has_tiles=False)
    assert cached_base_config(base, has_tiles=True)["districtFill"] == 0.0
    other = BaseLayers(base.district, base.wards[:1], base.streets, base.places)
    assert len(cached_base_config(other, has_tiles=False)["wards"]["features"]) == 1
