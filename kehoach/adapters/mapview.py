"""Build the district map as a pure function: base layers + sites in, ``folium.Map`` out.

Drawing lives in the map's own JavaScript (``kehoach/adapters/js/kehoach-map.js``), served
with the app next to Leaflet; this module only prepares data and adds calls to it. The sites
are one lean layer on a canvas: at 20,000 sites a folium object per site would take tens of
seconds and tens of MB of HTML, this takes a fraction of a second and about 2 MB. Nothing is
loaded from a CDN.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import folium
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping, shape

from kehoach.adapters.assets import asset_urls
from kehoach.adapters.map_style import (
    DEMO_OUTLINE,
    DISTRICT_COLOR,
    KIND_INDEX,
    KIND_SHAPES,
    KINDS,
    MAIN_STREET_COLOR,
    PLACE_COLOR,
    SELECTED_COLOR,
    STATUS_COLORS,
    STATUS_DRAW_RANK,
    STATUS_INDEX,
    STATUSES,
    WARD_COLOR,
    coverage_color,
    legend_html,
)
from kehoach.adapters.map_style import STREET_COLOR as STREET_COLOR
from kehoach.adapters.mapjs import add_call
from kehoach.config import Settings, get_settings
from kehoach.domain.enums import SiteKind, SiteStatus
from kehoach.escape import escape_html, json_for_script
from kehoach.i18n import label, t

SITE_COLUMNS = ("id", "code", "name", "kind", "status", "is_demo", "lon", "lat", "geojson")
NAME_MAX_CHARS = 60
COORD_DECIMALS = 5  # about 1 m: finer than any site is placed
COORD_SCALE = 10**COORD_DECIMALS  # site coordinates travel as integers of 1e-5 degree
ROWS_CACHE_SIZE = 8  # built site rows kept per process (a few MB each at 20,000 sites)
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
    add_call(fmap, "base", base_config(base, has_tiles=bool(options.tile_url)), "KhBaseLayers")
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
        "placeColor": PLACE_COLOR,
        "places": [[[_round(p["lat"]), _round(p["lon"])], escape_html(p["name"])] for p in places],
        "origin": list(coordinate_origin(sites)),
        "scale": COORD_SCALE,
        "selected": _selected_geometry(sites, selected_id),
        "selectedColor": SELECTED_COLOR,
        "chooseSite": escape_html(t("map.choose_site")),  # overlapping sites' chooser
    }


_ROWS_CACHE: OrderedDict[str, str] = OrderedDict()
_ROWS_LOCK = threading.Lock()


def cached_site_rows_json(sites: pd.DataFrame) -> str:
    """Return ``site_rows(sites)`` as script-safe JSON, reusing it while the data is unchanged.

    The key is a hash of the columns the map reads, so a rerun with the same data and
    filters skips the build (a tenth of its cost at 20,000 sites), and any edit misses.
    """
    key = _fingerprint(sites)
    if key is not None:
        with _ROWS_LOCK:
            if key in _ROWS_CACHE:
                _ROWS_CACHE.move_to_end(key)
                return _ROWS_CACHE[key]
    text = json_for_script(site_rows(sites))
    if key is not None:
        with _ROWS_LOCK:
            _ROWS_CACHE[key] = text
            while len(_ROWS_CACHE) > ROWS_CACHE_SIZE:
                _ROWS_CACHE.popitem(last=False)
    return text


def clear_site_rows_cache() -> None:
    """Forget every built site rows JSON (for measuring a cold build)."""
    with _ROWS_LOCK:
        _ROWS_CACHE.clear()


def _fingerprint(sites: pd.DataFrame) -> str | None:
    columns = [column for column in SITE_COLUMNS if column in sites.columns]
    try:
        hashed = pd.util.hash_pandas_object(sites[columns], index=False)
    except (TypeError, ValueError):  # cells pandas cannot hash: build without the cache
        return None
    digest = hashlib.blake2b(hashed.to_numpy().tobytes(), digest_size=16)
    digest.update(repr((columns, COORD_DECIMALS, NAME_MAX_CHARS)).encode())
    return digest.hexdigest()


def site_rows(sites: pd.DataFrame) -> list[list[Any]]:
    """Return one lean row per site, in drawing order, for the map's script to draw.

    A row is ``[id, status index, kind index, demo 0/1, escaped code, escaped name, x, y]``
    for a point and ``[id, status, kind, demo, code, name, line]`` for a stretch. ``x, y``
    are integers: degrees from ``coordinate_origin(sites)`` times ``COORD_SCALE``; ``line``
    is a flat ``[x0, y0, dx1, dy1, ...]`` list, each vertex a step from the one before (a
    list of them for a MultiLineString). Rows instead of GeoJSON features, and small
    integers instead of decimals, make the HTML a third of the size; the browser makes the
    layers (with feature properties ``id, s, k, d, c, n``) directly from them.
    """
    if sites.empty:
        return []
    ids = sites["id"].astype("int64").tolist()
    status = sites["status"].map(STATUS_INDEX).fillna(0).astype(int).to_numpy()
    kind = sites["kind"].map(KIND_INDEX).fillna(KIND_INDEX["other"]).astype(int).tolist()
    demo = sites["is_demo"].fillna(False).astype(bool).astype(int).tolist()
    west, south = coordinate_origin(sites)
    lon = np.rint((sites["lon"].to_numpy(dtype=float) - west) * COORD_SCALE).astype(int).tolist()
    lat = np.rint((sites["lat"].to_numpy(dtype=float) - south) * COORD_SCALE).astype(int).tolist()
    names = [escape_html(_truncate(name)) for name in sites["name"].tolist()]
    codes = [escape_html("" if _is_missing(code) else code) for code in sites["code"].tolist()]
    lines = [_flat_line(text, west, south) for text in sites["geojson"].tolist()]
    is_point = np.array([line is None for line in lines])
    rank = np.array([STATUS_DRAW_RANK[status] for status in STATUSES])[status]
    # Stretches below points, then by status rank (lexsort: the last key is the primary one).
    order = np.lexsort((rank, is_point)).tolist()
    status_list = status.tolist()
    rows: list[list[Any]] = []
    for i in order:
        row = [ids[i], status_list[i], kind[i], demo[i], codes[i], names[i]]
        line = lines[i]
        if line is None:
            row += [lon[i], lat[i]]
        else:
            row.append(line)
        rows.append(row)
    return rows


def coordinate_origin(sites: pd.DataFrame) -> tuple[float, float]:
    """Return the (lon, lat) the sites' integer coordinates count from: their south-west."""
    if sites.empty:
        return (0.0, 0.0)
    west = np.nanmin(sites["lon"].to_numpy(dtype=float))
    south = np.nanmin(sites["lat"].to_numpy(dtype=float))
    if not (np.isfinite(west) and np.isfinite(south)):
        return (0.0, 0.0)
    return (float(np.floor(west * 100) / 100), float(np.floor(south * 100) / 100))


def _flat_line(text: object, west: float, south: float) -> list[Any] | None:
    """Return a stretch as flat integer steps ``[x0, y0, dx1, dy1, ...]`` (a list if multi)."""
    geometry = _parse_line(text)
    if geometry is None:
        return None
    parts = geometry["coordinates"]
    if geometry["type"] == "LineString":
        return _steps(parts, west, south)
    return [_steps(part, west, south) for part in parts]


def _steps(points: list[list[float]], west: float, south: float) -> list[int]:
    xy = np.rint((np.asarray(points, dtype=float)[:, :2] - (west, south)) * COORD_SCALE)
    xy = xy.astype(int)
    xy[1:] -= xy[:-1].copy()
    return xy.ravel().tolist()


def _round(value: float) -> float:
    return round(float(value), COORD_DECIMALS)


def _truncate(name: object, limit: int = NAME_MAX_CHARS) -> str:
    text = "" if _is_missing(name) else str(name)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_missing(value: object) -> bool:
    if value is None or isinstance(value, str):
        return value is None
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and other containers are values, not gaps
        return False


def _parse_line(text: object) -> dict[str, Any] | None:
    """Return a rounded LineString/MultiLineString geometry from GeoJSON text, or None."""
    if _is_missing(text) or not str(text).strip():
        return None
    try:
        geometry = json.loads(str(text))
    except ValueError:
        return None
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry") or {}
    if geometry.get("type") not in ("LineString", "MultiLineString"):
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
