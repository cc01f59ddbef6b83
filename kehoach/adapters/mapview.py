"""Build the district map as a pure function: base layers + sites in, ``folium.Map`` out.

Drawing lives in the map's own JavaScript (``kehoach/adapters/js/kehoach-map.js``), served
with the app next to Leaflet; this module only prepares data and adds calls to it. The sites
are one lean layer on a canvas: at 20,000 sites a folium object per site would take tens of
seconds and tens of MB of HTML, this takes a fraction of a second and about 2 MB. Nothing is
loaded from a CDN.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import folium
import pandas as pd
import shapely
from shapely.geometry import mapping, shape

from kehoach.adapters.assets import asset_urls
from kehoach.adapters.map_rows import (
    COORD_DECIMALS,
    COORD_SCALE,
    SITE_COLUMNS,
    cached_site_rows_json,
    clear_rows_cache,
    coordinate_origin,
    line_geometry,
)
from kehoach.adapters.map_rows import (
    MARK_DEMO as MARK_DEMO,
)
from kehoach.adapters.map_rows import (
    MARK_PENDING as MARK_PENDING,
)
from kehoach.adapters.map_rows import (
    MARK_REJECTED as MARK_REJECTED,
)
from kehoach.adapters.map_rows import site_rows as site_rows
from kehoach.adapters.map_style import (
    DEMO_OUTLINE,
    DISTRICT_COLOR,
    KIND_INDEX,
    KIND_SHAPES,
    KINDS,
    MAIN_STREET_COLOR,
    PENDING_OUTLINE,
    PLACE_COLOR,
    REJECTED_COLOR,
    SELECTED_COLOR,
    STATUS_COLORS,
    STATUS_INDEX,
    STATUSES,
    WARD_COLOR,
    coverage_color,
    legend_html,
)
from kehoach.adapters.map_style import STREET_COLOR as STREET_COLOR
from kehoach.adapters.mapjs import add_call
from kehoach.config import Settings, get_settings
from kehoach.domain.enums import Approval, SiteKind, SiteStatus
from kehoach.escape import escape_html
from kehoach.i18n import label, t

PANES = (
    ("khBase", 350, False),
    ("khStreets", 360, False),
    ("khOutline", 370, False),
    ("khSites", 400, True),
    ("khLabels", 420, False),
    ("khSelected", 430, False),
)

if TYPE_CHECKING:  # geopandas costs the first page its import; only the shipped files need it
    from kehoach.adapters.geodata import GeoData

BoundsLike = Sequence[Sequence[float]]


@dataclass(frozen=True)
class BaseLayers:
    """Hold the map's fixed layers as plain GeoJSON-like data (WGS84, lon/lat)."""

    district: dict[str, Any]
    wards: list[dict[str, Any]] = field(default_factory=list)
    streets: list[dict[str, Any]] = field(default_factory=list)
    places: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class MapOptions:
    """Hold how the map is drawn: basemap, asset location, size, selection and focus."""

    tile_url: str = ""
    tile_attribution: str = "© OpenStreetMap contributors"
    asset_base_url: str = "/app/static/vendor"
    height: int = 620
    selected_site_id: int | None = None
    focus_bounds: BoundsLike | None = None
    show_places: bool = True

    @classmethod
    def from_settings(cls, settings: Settings | None = None, **changes: Any) -> MapOptions:
        """Return options taking tiles and asset URL from the app settings, then ``changes``."""
        settings = settings or get_settings()
        return cls(
            **{
                "tile_url": settings.tile_url,
                "tile_attribution": settings.tile_attribution,
                "asset_base_url": settings.asset_base_url,
                **changes,
            }
        )


def base_layers_from_geodata(geodata: GeoData, main_street_names: set[str]) -> BaseLayers:
    """Return base layers from the shipped geodata, marking streets named in the plan as main."""
    district = mapping(shapely.union_all(geodata.district.geometry.to_numpy()))
    wards = [
        {"code": str(code), "name": str(name), "geometry": mapping(geom)}
        for code, name, geom in zip(
            geodata.wards["code"], geodata.wards["name"], geodata.wards.geometry, strict=True
        )
    ]
    streets = [
        {
            "id": int(idx),
            "name": str(name),
            "geometry": mapping(geom),
            "is_main": name in main_street_names,
            "coverage": None,
        }
        for idx, name, geom in zip(
            geodata.streets.index, geodata.streets["name"], geodata.streets.geometry, strict=True
        )
    ]
    places = [
        {"id": int(idx), "name": str(name), "kind": str(kind), "lon": geom.x, "lat": geom.y}
        for idx, name, kind, geom in zip(
            geodata.places.index,
            geodata.places["name"],
            geodata.places["kind"],
            geodata.places.geometry,
            strict=True,
        )
    ]
    return BaseLayers(district=district, wards=wards, streets=streets, places=places)


def empty_sites() -> pd.DataFrame:
    """Return an empty sites frame with the columns ``build_map`` reads."""
    return pd.DataFrame({column: pd.Series(dtype=object) for column in SITE_COLUMNS})


def build_map(base: BaseLayers, sites: pd.DataFrame, options: MapOptions) -> folium.Map:
    """Build the district map with wards, streets, places, sites, legend and attribution."""
    bounds = _focus_bounds(base, options)
    south, west = bounds[0]
    north, east = bounds[1]
    fmap = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=14,
        tiles=None,
        prefer_canvas=True,
        height=options.height,
        width="100%",
        max_zoom=19,
        zoom_snap=0.25,
    )
    # Instance attributes: folium's class lists are shared and carry the CDN links.
    fmap.default_js, fmap.default_css = asset_urls(options.asset_base_url)
    if options.tile_url:
        folium.TileLayer(
            tiles=options.tile_url,
            attr=_tile_attribution(options.tile_attribution),
            max_zoom=19,
            max_native_zoom=19,
            control=False,
        ).add_to(fmap)
    # The frame first: the view is fitted before any layer exists, so none is projected twice.
    show_selected = options.selected_site_id is not None
    # streamlit-folium reads the bounds the view is fitted to through the map.
    add_call(fmap, "frame", frame_config(base, bounds, show_selected), "KhFrame", bounds=bounds)
    add_call(fmap, "base", cached_base_config(base, bool(options.tile_url)), "KhBaseLayers")
    places = base.places if options.show_places else []
    config = sites_config(sites, places, options.selected_site_id)
    add_call(fmap, "sites", config, "KhSites", cached_site_rows_json(sites))
    return fmap


def frame_config(
    base: BaseLayers, bounds: list[list[float]], show_selected: bool
) -> dict[str, Any]:
    """Return the data ``KhMap.frame`` needs: legend HTML, bounds to fit, credits."""
    return {
        "legend": legend_html(base, show_selected),
        "bounds": bounds,
        "attribution": _attribution(),
    }


# --- sites -----------------------------------------------------------------------------------


def sites_config(
    sites: pd.DataFrame, places: list[dict[str, Any]], selected_id: int | None
) -> dict[str, Any]:
    """Return the data ``KhMap.sites`` needs besides the rows: lookup tables, places, selection."""
    return {
        "colors": [STATUS_COLORS[status] for status in STATUSES],
        "statuses": [escape_html(label(status)) for status in STATUSES],
        "kinds": [escape_html(label(kind)) for kind in KINDS],
        "shapes": [KIND_SHAPES[kind][0] for kind in KINDS],
        "radius": [KIND_SHAPES[kind][1] for kind in KINDS],
        "removed": STATUS_INDEX[SiteStatus.REMOVED.value],
        "flagLine": KIND_INDEX[SiteKind.FLAG_LINE.value],
        "demo": escape_html(f"[{t('demo.badge')}]"),
        "demoOutline": DEMO_OUTLINE,
        "pending": escape_html(f"[{label(Approval.PENDING)}]"),
        "rejected": escape_html(f"[{label(Approval.REJECTED)}]"),
        "pendingOutline": PENDING_OUTLINE,
        "rejectedColor": REJECTED_COLOR,
        "placeColor": PLACE_COLOR,
        "places": [[[_round(p["lat"]), _round(p["lon"])], escape_html(p["name"])] for p in places],
        "origin": list(coordinate_origin(sites)),
        "scale": COORD_SCALE,
        "selected": _selected_geometry(sites, selected_id),
        "selectedColor": SELECTED_COLOR,
        "chooseSite": escape_html(t("map.choose_site")),  # overlapping sites' chooser
    }


def _round(value: float) -> float:
    return round(float(value), COORD_DECIMALS)


def _parse_line(text: object) -> dict[str, Any] | None:
    """Return a rounded LineString/MultiLineString geometry from GeoJSON text, or None."""
    geometry = line_geometry(text)
    if geometry is None:
        return None
    return {"type": geometry["type"], "coordinates": _round_coords(geometry["coordinates"])}


def _round_coords(coords: Any) -> Any:
    if coords and isinstance(coords[0], int | float):
        return [round(float(value), COORD_DECIMALS) for value in coords[:2]]
    return [_round_coords(part) for part in coords]


def _selected_geometry(sites: pd.DataFrame, site_id: int | None) -> dict[str, Any] | None:
    if site_id is None or sites.empty:
        return None
    match = sites.loc[sites["id"] == site_id]
    if match.empty:
        return None
    row = match.iloc[0]
    line = _parse_line(row["geojson"])
    if line is not None:
        return line
    point = [round(float(row["lon"]), COORD_DECIMALS), round(float(row["lat"]), COORD_DECIMALS)]
    return {"type": "Point", "coordinates": point}


# --- base layers -----------------------------------------------------------------------------


_BASE_CACHE: dict[tuple[int, bool], tuple[weakref.ref[BaseLayers], dict[str, Any]]] = {}
_BASE_LOCK = threading.Lock()


def clear_site_rows_cache() -> None:
    """Forget every built site rows JSON and base layers config (for measuring a cold build)."""
    clear_rows_cache()
    with _BASE_LOCK:
        _BASE_CACHE.clear()


def cached_base_config(base: BaseLayers, has_tiles: bool) -> dict[str, Any]:
    """Return ``base_config``, built once per base layers object (treat it as read-only).

    The app keeps one ``BaseLayers`` per data version and never changes one in place (a
    coverage view makes a new one), so its identity is its content while it lives.
    """
    key = (id(base), has_tiles)
    with _BASE_LOCK:
        hit = _BASE_CACHE.get(key)
        if hit is not None and hit[0]() is base:
            return hit[1]
    config = base_config(base, has_tiles)
    with _BASE_LOCK:
        for stale in [k for k, (ref, _) in _BASE_CACHE.items() if ref() is None]:
            del _BASE_CACHE[stale]
        _BASE_CACHE[key] = (weakref.ref(base), config)
    return config


def base_config(base: BaseLayers, has_tiles: bool) -> dict[str, Any]:
    """Return the data ``KhMap.base`` needs: panes, district, wards and labels, streets."""
    wards = [
        {
            "type": "Feature",
            "geometry": _round_geometry(ward["geometry"]),
            "properties": {"code": escape_html(ward["code"])},
        }
        for ward in base.wards
    ]
    labels = []
    for ward in base.wards:
        point = shape(ward["geometry"]).representative_point()
        labels.append([[_round(point.y), _round(point.x)], escape_html(ward["name"])])
    return {
        "panes": [list(pane) for pane in PANES],
        "district": {
            "type": "Feature",
            "geometry": _round_geometry(base.district),
            "properties": {},
        },
        "districtFill": 0.0 if has_tiles else 0.75,
        "districtColor": DISTRICT_COLOR,
        "wardColor": WARD_COLOR,
        "wards": {"type": "FeatureCollection", "features": wards},
        "streets": {"type": "FeatureCollection", "features": _street_features(base.streets)},
        "labels": labels,
    }


def _street_features(streets: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    features: list[dict[str, Any]] = []
    for street in streets:
        coverage = street.get("coverage")
        main = bool(street.get("is_main"))
        color = coverage_color(coverage)
        if coverage is None and main:
            color = MAIN_STREET_COLOR
        props = {"m": 1 if main else 0, "c": color}
        geometry = {
            "type": street["geometry"]["type"],
            "coordinates": _round_coords(street["geometry"]["coordinates"]),
        }
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    # Main streets last so they are drawn over the others.
    features.sort(key=lambda feature: int(feature["properties"]["m"]))
    return features


def _round_geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    return {"type": geometry["type"], "coordinates": _round_coords(geometry["coordinates"])}


def _focus_bounds(base: BaseLayers, options: MapOptions) -> list[list[float]]:
    if options.focus_bounds is not None:
        (south, west), (north, east) = options.focus_bounds
        return [[float(south), float(west)], [float(north), float(east)]]
    west, south, east, north = shape(base.district).bounds
    return [[south, west], [north, east]]


def _tile_attribution(tile_attribution: str) -> str:
    osm = t("map.attribution.osm")
    # The same text as our own credit lets Leaflet show it once.
    return escape_html(osm if tile_attribution.strip() in osm else tile_attribution)


def _attribution() -> list[str]:
    # Separate entries: Leaflet shows an entry once even if the tile layer adds it too.
    return [escape_html(text) for text in (t("map.attribution.osm"), t("map.attribution.wards"))]
