"""Build the district map as a pure function: base layers + sites in, ``folium.Map`` out.

Everything is drawn by a few hand-written Leaflet snippets instead of one folium object per
site (see /work/shared/PERFORMANCE.md): the sites are one lean GeoJSON layer on a canvas,
styled by JavaScript functions written once, so 20,000 sites stay a few MB of HTML. Only
Leaflet itself is loaded, from our own static files: no CDN link reaches the page.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import folium
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template
from shapely.geometry import mapping, shape

from kehoach.adapters.assets import asset_urls
from kehoach.adapters.geodata import GeoData
from kehoach.config import Settings, get_settings
from kehoach.domain.enums import SiteKind, SiteStatus
from kehoach.escape import escape_html, json_for_script
from kehoach.i18n import label, t

SITE_COLUMNS = ("id", "code", "name", "kind", "status", "is_demo", "lon", "lat", "geojson")
NAME_MAX_CHARS = 60
COORD_DECIMALS = 6

STATUSES: tuple[SiteStatus, ...] = tuple(SiteStatus)
KINDS: tuple[SiteKind, ...] = tuple(SiteKind)
STATUS_INDEX = {status.value: i for i, status in enumerate(STATUSES)}
KIND_INDEX = {kind.value: i for i, kind in enumerate(KINDS)}

STATUS_COLORS: dict[SiteStatus, str] = {
    SiteStatus.PLANNED: "#6b7280",
    SiteStatus.INSTALLING: "#d97706",
    SiteStatus.INSTALLED: "#16a34a",
    SiteStatus.NEEDS_FIX: "#dc2626",
    SiteStatus.REMOVED: "#1f2937",
}
# Drawn first = underneath: faded removed sites at the bottom, sites needing a fix on top.
STATUS_DRAW_RANK: dict[SiteStatus, int] = {
    SiteStatus.REMOVED: 0,
    SiteStatus.INSTALLED: 1,
    SiteStatus.PLANNED: 2,
    SiteStatus.INSTALLING: 3,
    SiteStatus.NEEDS_FIX: 4,
}
# Shape name understood by the canvas marker in the JS template, and its radius in pixels.
KIND_SHAPES: dict[SiteKind, tuple[str, float]] = {
    SiteKind.PANEL: ("square", 4.0),
    SiteKind.PANEL_CLUSTER: ("square", 6.0),
    SiteKind.BANNER: ("diamond", 4.5),
    SiteKind.FLAG_LINE: ("pennant", 4.5),
    SiteKind.NATIONAL_FLAG: ("triangle", 5.0),
    SiteKind.LED_SCREEN: ("hexagon", 6.0),
    SiteKind.OTHER: ("circle", 4.5),
}
DEMO_OUTLINE = "#111827"
SELECTED_COLOR = "#2563eb"
DISTRICT_COLOR = "#111827"
WARD_COLOR = "#a21caf"
STREET_COLOR = "#94a3b8"
MAIN_STREET_COLOR = "#475569"
PLACE_COLOR = "#1e40af"
MAP_BACKGROUND = "#e9edf1"
# Street coverage ramp: 0 % red, 50 % amber, 100 % green.
COVERAGE_RAMP = ((0.0, (220, 38, 38)), (0.5, (245, 158, 11)), (1.0, (22, 163, 74)))

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
    _FrameElement(base, bounds, options.selected_site_id is not None).add_to(fmap)
    _BaseLayersElement(base, has_tiles=bool(options.tile_url)).add_to(fmap)
    places = base.places if options.show_places else []
    _SitesElement(sites, places, options.selected_site_id).add_to(fmap)
    return fmap


# --- sites -----------------------------------------------------------------------------------


def site_rows(sites: pd.DataFrame) -> list[list[Any]]:
    """Return one lean row per site, in drawing order, for the template to turn into features.

    A row is ``[id, status index, kind index, demo 0/1, escaped code, escaped name, lon, lat]``
    for a point and ``[id, status, kind, demo, code, name, geometry]`` for a stretch. Rows
    instead of GeoJSON features halve the HTML; the browser rebuilds the features (with
    properties ``id, s, k, d, c, n``) in a few milliseconds before making the GeoJSON layer.
    """
    if sites.empty:
        return []
    ids = sites["id"].astype("int64").tolist()
    status = sites["status"].map(STATUS_INDEX).fillna(0).astype(int).to_numpy()
    kind = sites["kind"].map(KIND_INDEX).fillna(KIND_INDEX["other"]).astype(int).tolist()
    demo = sites["is_demo"].fillna(False).astype(bool).astype(int).tolist()
    lon = np.round(sites["lon"].to_numpy(dtype=float), COORD_DECIMALS).tolist()
    lat = np.round(sites["lat"].to_numpy(dtype=float), COORD_DECIMALS).tolist()
    names = [escape_html(_truncate(name)) for name in sites["name"].tolist()]
    codes = [escape_html("" if _is_missing(code) else code) for code in sites["code"].tolist()]
    lines = [_parse_line(text) for text in sites["geojson"].tolist()]
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


def coverage_color(coverage: float | None) -> str:
    """Return the street colour for a coverage share (0..1): red, amber, green; grey if None."""
    if coverage is None or _is_missing(coverage):
        return STREET_COLOR
    value = min(max(float(coverage), 0.0), 1.0)
    for (low, low_rgb), (high, high_rgb) in zip(COVERAGE_RAMP, COVERAGE_RAMP[1:], strict=False):
        if value <= high:
            share = (value - low) / (high - low)
            rgb = [round(a + (b - a) * share) for a, b in zip(low_rgb, high_rgb, strict=True)]
            return "#{:02x}{:02x}{:02x}".format(*rgb)
    return "#{:02x}{:02x}{:02x}".format(*COVERAGE_RAMP[-1][1])


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
    features.sort(key=lambda feature: feature["properties"]["m"])
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


class _RawText(Element):
    """Hold already-rendered text; ``Element(text)`` would compile it as a Jinja template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text unchanged."""
        return self._text


class _LeafletSnippet(MacroElement):
    """Render header/html/script macros once, without recompiling their output as templates.

    branca wraps each macro's output in ``Element(output)``, which compiles it as a Jinja
    template: for the sites' megabytes of data that cost more than building them.
    """

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as MacroElement.render
        """Add this element's header, html and script parts to the figure."""
        figure = self.get_root()
        module = self._template.module
        for part in ("header", "html", "script"):
            macro = getattr(module, part, None)
            if macro is not None:
                getattr(figure, part).add_child(_RawText(macro(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class _BaseLayersElement(_LeafletSnippet):
    """Draw the panes, background, district, wards with their labels, and streets."""

    _template = Template(
        """
{% macro header(this, kwargs) %}
<style>{{ this.css }}</style>
{% endmacro %}
{% macro script(this, kwargs) %}
(function (map) {
  var KH = {{ this.data }};
  map.getContainer().classList.add("kh-map");
  KH.panes.forEach(function (p) {
    var pane = map.getPane(p[0]) || map.createPane(p[0]);
    pane.style.zIndex = p[1];
    if (!p[2]) { pane.style.pointerEvents = "none"; }
  });
  var base = L.svg({pane: "khBase"}), roads = L.svg({pane: "khStreets"});
  var outline = L.svg({pane: "khOutline"});
  var fixed = {interactive: false, bubblingMouseEvents: false};
  L.geoJSON(KH.district, L.extend({renderer: base, pane: "khBase", style: {
    className: "kh-district-fill", stroke: false, fillColor: "#ffffff",
    fillOpacity: KH.districtFill}}, fixed)).addTo(map);
  L.geoJSON(KH.wards, L.extend({renderer: base, pane: "khBase", style: {
    className: "kh-ward", color: KH.wardColor, weight: 2, opacity: 0.7, dashArray: "6 4",
    fill: false}}, fixed)).addTo(map);
  L.geoJSON(KH.streets, L.extend({renderer: roads, pane: "khStreets", style: function (f) {
    var main = f.properties.m === 1;
    return {className: main ? "kh-street kh-main-street" : "kh-street",
      color: f.properties.c, weight: main ? 6 : 2.5, opacity: main ? 0.95 : 0.85};
  }}, fixed)).addTo(map);
  L.geoJSON(KH.district, L.extend({renderer: outline, pane: "khOutline", style: {
    className: "kh-district", color: KH.districtColor, weight: 4, opacity: 0.9,
    fill: false}}, fixed)).addTo(map);
  KH.labels.forEach(function (w) {
    L.marker(w[0], {pane: "khLabels", interactive: false, keyboard: false,
      icon: L.divIcon({className: "kh-ward-label", iconSize: [0, 0],
        html: "<span>" + w[1] + "</span>"})}).addTo(map);
  });
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, base: BaseLayers, has_tiles: bool) -> None:
        super().__init__()
        self._name = "KhBaseLayers"
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
            labels.append([[round(point.y, 6), round(point.x, 6)], escape_html(ward["name"])])
        data = {
            "panes": [
                ["khBase", 350, False],
                ["khStreets", 360, False],
                ["khOutline", 370, False],
                ["khSites", 400, True],
                ["khLabels", 420, False],
                ["khSelected", 430, False],
            ],
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
        self.data = json_for_script(data)
        self.css = _CSS


class _SitesElement(_LeafletSnippet):
    """Draw places and the sites as one lean GeoJSON layer on a canvas, with shapes by kind."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
  var KH = {{ this.config }};
  var rows = {{ this.data }};
  if (!L.Canvas.prototype._khShape) {
    L.Canvas.include({
      _khShape: function (layer) {
        if (!this._drawing || layer._empty()) { return; }
        var p = layer._point, x = p.x, y = p.y, ctx = this._ctx, i, a;
        var r = Math.max(layer._radius, 1);
        ctx.beginPath();
        switch (layer.options.shape) {
          case "square": ctx.rect(x - r, y - r, 2 * r, 2 * r); break;
          case "diamond":
            ctx.moveTo(x, y - 1.3 * r); ctx.lineTo(x + 1.3 * r, y);
            ctx.lineTo(x, y + 1.3 * r); ctx.lineTo(x - 1.3 * r, y); ctx.closePath(); break;
          case "triangle":
            ctx.moveTo(x, y - 1.25 * r); ctx.lineTo(x + 1.15 * r, y + 0.85 * r);
            ctx.lineTo(x - 1.15 * r, y + 0.85 * r); ctx.closePath(); break;
          case "pennant":
            ctx.moveTo(x - 1.15 * r, y - 0.85 * r); ctx.lineTo(x + 1.15 * r, y - 0.85 * r);
            ctx.lineTo(x, y + 1.25 * r); ctx.closePath(); break;
          case "hexagon":
            for (i = 0; i < 6; i++) {
              a = Math.PI / 3 * i;
              ctx[i ? "lineTo" : "moveTo"](x + r * Math.cos(a), y + r * Math.sin(a));
            }
            ctx.closePath(); break;
          default: ctx.arc(x, y, r, 0, 2 * Math.PI, false);
        }
        this._fillStroke(ctx, layer);
      }
    });
    L.KhMarker = L.CircleMarker.extend({
      _updateBounds: function () {
        var r = this._radius * 1.35 + this._clickTolerance(), p = [r, r];
        this._pxBounds = new L.Bounds(this._point.subtract(p), this._point.add(p));
      },
      _updatePath: function () { this._renderer._khShape(this); }
    });
  }
  var renderer = L.canvas({pane: "khSites", tolerance: 4});
  if (KH.places.length) {
    var places = L.featureGroup();
    KH.places.forEach(function (p) {
      L.circleMarker(p[0], {renderer: renderer, radius: 4, color: KH.placeColor, weight: 2,
        fillColor: "#ffffff", fillOpacity: 1})
        .bindTooltip(p[1], {direction: "top", className: "kh-tip"}).addTo(places);
    });
    places.addTo(map);
  }
  function style(f) {
    var p = f.properties, color = KH.colors[p.s], faded = p.s === KH.removed;
    if (f.geometry.type !== "Point") {
      return {color: color, weight: 6, opacity: faded ? 0.4 : (p.d ? 0.6 : 0.9),
        dashArray: p.k === KH.flagLine ? "10 6" : (p.d ? "2 5" : null),
        lineCap: p.k === KH.flagLine ? "butt" : "round"};
    }
    return {fillColor: color, fillOpacity: faded ? 0.35 : 0.95,
      color: p.d ? KH.demoOutline : "#ffffff", weight: p.d ? 1.6 : 1.2,
      opacity: faded ? 0.6 : 1, dashArray: p.d ? "3 2" : null};
  }
  function point(f, latlng) {
    var k = f.properties.k;
    return new L.KhMarker(latlng, L.extend({renderer: renderer, shape: KH.shapes[k],
      radius: KH.radius[k]}, style(f)));
  }
  function stretch(f) {
    var g = f.geometry, depth = g.type === "LineString" ? 0 : 1;
    return L.polyline(L.GeoJSON.coordsToLatLngs(g.coordinates, depth),
      L.extend({renderer: renderer}, style(f)));
  }
  function tip(layer) {
    var p = layer.feature.properties, el = document.createElement("div");
    el.innerHTML = (p.d ? KH.demo + " " : "") + "<b>" + p.c + "</b> " + p.n +
      "<br>" + KH.kinds[p.k] + " · " + KH.statuses[p.s];
    return el;
  }
  // One GeoJSON layer; its features are built from the rows and styled once, directly
  // (addData would copy and restyle every layer's options a second time).
  var sites = L.geoJSON(null, {renderer: renderer, pane: "khSites", style: style,
    pointToLayer: point});
  for (var i = 0, r, f, layer; i < rows.length; i++) {
    r = rows[i];
    f = {type: "Feature",
      geometry: r.length > 7 ? {type: "Point", coordinates: [r[6], r[7]]} : r[6],
      properties: r[3] ? {id: r[0], s: r[1], k: r[2], d: 1, c: r[4], n: r[5]}
        : {id: r[0], s: r[1], k: r[2], c: r[4], n: r[5]}};
    layer = r.length > 7 ? point(f, L.latLng(r[7], r[6])) : stretch(f);
    layer.feature = f;
    sites.addLayer(layer);
  }
  sites.bindTooltip(tip, {sticky: true, direction: "auto", className: "kh-tip"});
  sites.addTo(map);
  window.khSites = sites;
  requestAnimationFrame(function () { window.__khSitesDrawn = performance.now(); });
  if (KH.selected) {
    var ring = L.svg({pane: "khSelected"});
    L.geoJSON(KH.selected, {renderer: ring, interactive: false,
      // A ring around a point; a wide translucent band over a stretch, so its colour shows.
      style: function (f) {
        var point = f.type === "Point" || (f.geometry && f.geometry.type === "Point");
        return {className: "kh-selected", color: KH.selectedColor, fill: false,
          weight: point ? 4 : 14, opacity: point ? 0.9 : 0.4};
      },
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, {renderer: ring, radius: 13, interactive: false});
      }}).addTo(map);
  }
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(
        self, sites: pd.DataFrame, places: list[dict[str, Any]], selected_id: int | None
    ) -> None:
        super().__init__()
        self._name = "KhSites"
        self.data = json_for_script(site_rows(sites))
        config = {
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
            "places": [
                [[round(p["lat"], 6), round(p["lon"], 6)], escape_html(p["name"])] for p in places
            ],
            "selected": _selected_geometry(sites, selected_id),
            "selectedColor": SELECTED_COLOR,
        }
        self.config = json_for_script(config)


# --- legend ----------------------------------------------------------------------------------


def _svg(body: str, width: int = 22, height: int = 16) -> str:
    return (
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-hidden="true">{body}</svg>'
    )


def _shape_svg(
    shape_name: str, radius: float, fill: str, stroke: str, width: float = 1.2, dash: str = ""
) -> str:
    x, y, r = 11.0, 8.0, radius
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    paint = f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"{dash_attr}'
    if shape_name == "square":
        body = f'<rect x="{x - r}" y="{y - r}" width="{2 * r}" height="{2 * r}" {paint}/>'
    elif shape_name in ("diamond", "triangle", "pennant", "hexagon"):
        body = f'<polygon points="{_polygon_points(shape_name, x, y, r)}" {paint}/>'
    else:
        body = f'<circle cx="{x}" cy="{y}" r="{r}" {paint}/>'
    return _svg(body)


def _polygon_points(shape_name: str, x: float, y: float, r: float) -> str:
    if shape_name == "diamond":
        points = [(x, y - 1.3 * r), (x + 1.3 * r, y), (x, y + 1.3 * r), (x - 1.3 * r, y)]
    elif shape_name == "triangle":
        points = [(x, y - 1.25 * r), (x + 1.15 * r, y + 0.85 * r), (x - 1.15 * r, y + 0.85 * r)]
    elif shape_name == "pennant":
        points = [(x - 1.15 * r, y - 0.85 * r), (x + 1.15 * r, y - 0.85 * r), (x, y + 1.25 * r)]
    else:
        points = [
            (x + r * math.cos(math.pi / 3 * i), y + r * math.sin(math.pi / 3 * i)) for i in range(6)
        ]
    return " ".join(f"{px:.1f},{py:.1f}" for px, py in points)


def _line_svg(color: str, width: float, dash: str = "", opacity: float = 1.0) -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return _svg(
        f'<line x1="1" y1="8" x2="21" y2="8" stroke="{color}" stroke-width="{width}" '
        f'stroke-opacity="{opacity}"{dash_attr}/>'
    )


def _row(icon: str, text: str) -> str:
    return f'<div class="kh-legend-row">{icon}<span>{escape_html(text)}</span></div>'


def _section(area: str, title: str, rows: list[str]) -> str:
    return (
        f'<div class="kh-legend-section kh-legend-{area}">'
        f'<div class="kh-legend-head">{escape_html(title)}</div>' + "".join(rows) + "</div>"
    )


def legend_html(base: BaseLayers, show_selected: bool = False) -> str:
    """Return the legend's HTML: status colours, kind shapes, demo outline and base layers."""
    neutral = STATUS_COLORS[SiteStatus.PLANNED]
    status_rows = [
        _row(_shape_svg("circle", 5.5, STATUS_COLORS[status], "#ffffff"), label(status))
        for status in STATUSES
    ]
    kind_rows = []
    for kind in KINDS:
        shape_name, radius = KIND_SHAPES[kind]
        icon = _shape_svg(shape_name, min(radius, 6.5), neutral, "#ffffff")
        if kind == SiteKind.FLAG_LINE:
            icon = _line_svg(neutral, 5, "7 4")
        elif kind == SiteKind.BANNER:
            icon = _shape_svg(shape_name, 5.0, neutral, "#ffffff")
        kind_rows.append(_row(icon, label(kind)))
    demo_icon = _shape_svg("circle", 5.5, neutral, DEMO_OUTLINE, 1.6, "3 2")
    kind_rows.append(_row(demo_icon, t("map.legend.demo")))
    layer_rows = [
        _row(_line_svg(DISTRICT_COLOR, 4), t("map.legend.district")),
        _row(_line_svg(WARD_COLOR, 2, "6 4", 0.7), t("map.legend.ward")),
        _row(_line_svg(STREET_COLOR, 2.5), t("map.legend.street")),
        _row(_line_svg(MAIN_STREET_COLOR, 6), t("map.legend.main_street")),
        _row(_shape_svg("circle", 4, "#ffffff", PLACE_COLOR, 2), t("map.legend.place")),
    ]
    if any(street.get("coverage") is not None for street in base.streets):
        ramp = "".join(
            f'<line x1="{1 + 4 * i}" y1="8" x2="{5 + 4 * i}" y2="8" '
            f'stroke="{coverage_color(i / 4)}" stroke-width="5"/>'
            for i in range(5)
        )
        layer_rows.append(_row(_svg(ramp), t("map.legend.coverage")))
    if show_selected:
        ring = (
            f'<circle cx="11" cy="8" r="6" fill="none" stroke="{SELECTED_COLOR}" '
            'stroke-width="2.5"/>'
        )
        layer_rows.append(_row(_svg(ring), t("map.legend.selected")))
    return (
        f'<div class="kh-legend-title">{escape_html(t("map.legend.title"))}</div>'
        '<div class="kh-legend-body">'
        + _section("status", t("map.legend.status"), status_rows)
        + _section("kind", t("map.legend.kind"), kind_rows)
        + _section("layers", t("map.legend.layers"), layer_rows)
        + "</div>"
    )


class _FrameElement(_LeafletSnippet):
    """Add the legend, scale and credits, then fit the view once, beside the legend if wide.

    It runs before any layer exists, so no layer is projected twice.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
  var html = {{ this.html }}, bounds = {{ this.bounds }};
  {{ this.attribution }}.forEach(function (a) { map.attributionControl.addAttribution(a); });
  L.control.scale({imperial: false}).addTo(map);
  var Legend = L.Control.extend({
    options: {position: "bottomright"},
    onAdd: function () {
      var div = L.DomUtil.create("div", "kh-legend");
      div.innerHTML = html;
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    }
  });
  var legend = new Legend().addTo(map), fitted = {view: null, layout: null};
  function viewKey() { return map.getCenter().toString() + "@" + map.getZoom(); }
  function fit() {
    // On a wide map, keep the district clear of the legend; on a narrow one, keep it large.
    var size = map.getSize(), width = legend.getContainer().offsetWidth + 16;
    var wide = width > 16 && size.x - width >= 0.6 * size.x;
    map.fitBounds(bounds, {paddingTopLeft: [6, 6], paddingBottomRight: [wide ? width : 6, 6],
      animate: false});
    fitted = {view: viewKey(), layout: size.x + "x" + size.y + "/" + width};
  }
  function refit() {
    // An embedding frame (st_folium) may resize the map, or style the legend late, after
    // load: fit again while the user has not moved the view, and only if sizes changed.
    var layout = map.getSize().x + "x" + map.getSize().y + "/" +
      (legend.getContainer().offsetWidth + 16);
    if (viewKey() === fitted.view && layout !== fitted.layout) { fit(); }
  }
  fit();
  map.on("resize", refit);
  if (window.ResizeObserver) {
    new ResizeObserver(refit).observe(legend.getContainer());
    // The frame may size the map's div after Leaflet measured it: tell Leaflet (→ resize).
    new ResizeObserver(function () { map.invalidateSize({animate: false}); })
      .observe(map.getContainer());
  }
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, base: BaseLayers, bounds: list[list[float]], show_selected: bool) -> None:
        super().__init__()
        self._name = "KhFrame"
        self._bounds = bounds
        self.html = json_for_script(legend_html(base, show_selected))
        self.bounds = json_for_script(bounds)
        self.attribution = json_for_script(_attribution())

    def get_bounds(self) -> list[list[float]]:  # type: ignore[override]  # never None corners
        """Return the bounds the map is fitted to (read by streamlit-folium's defaults)."""
        return self._bounds


_CSS = f"""
.kh-map.leaflet-container {{ background: {MAP_BACKGROUND}; }}
.kh-map .leaflet-control-attribution {{ font: 11px/1.35 system-ui, sans-serif; }}
.kh-ward-label span {{
  position: absolute; transform: translate(-50%, -50%); white-space: nowrap;
  color: #334155; font: 600 12px/1.2 system-ui, sans-serif;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff;
}}
.kh-tip {{ font: 13px/1.35 system-ui, sans-serif; }}
.kh-legend {{
  background: rgba(255, 255, 255, 0.95); color: #111827; padding: 6px 10px;
  border-radius: 6px; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.35);
  font: 12px/1.25 system-ui, sans-serif; max-height: calc(100% - 40px); overflow-y: auto;
}}
.kh-legend-title {{ font-weight: 700; font-size: 13px; margin-bottom: 1px; }}
.kh-legend-body {{
  display: grid; grid-template-columns: auto auto; column-gap: 12px;
  grid-template-areas: "status kind" "layers kind";
}}
.kh-legend-status {{ grid-area: status; }}
.kh-legend-kind {{ grid-area: kind; }}
.kh-legend-layers {{ grid-area: layers; }}
.kh-legend-head {{ font-weight: 600; margin: 3px 0 1px; color: #374151; }}
.kh-legend-row {{ display: flex; align-items: center; gap: 5px; min-height: 17px; }}
@media (max-width: 900px) {{
  .kh-legend-body {{ grid-template-columns: auto; grid-template-areas: "status" "kind" "layers"; }}
}}
.kh-legend-row svg {{ flex: none; }}
.kh-selected {{ filter: drop-shadow(0 0 2px #fff); }}
"""
