"""Overlay coverage gaps and registered routes on a map built by ``mapview.build_map``.

Gaps (undecorated stretches of street) are dashed red lines with a tooltip; registered routes
are wide translucent blue bands under the sites. Each overlay adds its own row to the map's
legend. All text reaching the page passes through ``escape_html``; data goes in as JSON.
"""

from __future__ import annotations

from typing import Any

import folium
from branca.element import MacroElement
from jinja2 import Template

from kehoach.escape import escape_html, json_for_script
from kehoach.i18n import format_number, t

GAP_COLOR = "#b91c1c"
ROUTE_COLOR = "#2563eb"
CHOSEN_COLOR = "#7c3aed"
COORD_DECIMALS = 6


def _round(coords: Any) -> Any:
    if coords and isinstance(coords[0], int | float):
        return [round(float(v), COORD_DECIMALS) for v in coords[:2]]
    return [_round(c) for c in coords]


def _line_icon(color: str, width: float, dash: str = "", opacity: float = 1.0) -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        '<svg width="22" height="16" viewBox="0 0 22 16" aria-hidden="true">'
        f'<line x1="1" y1="8" x2="21" y2="8" stroke="{color}" stroke-width="{width}" '
        f'stroke-opacity="{opacity}"{dash_attr}/></svg>'
    )


def _legend_row(icon: str, text: str) -> str:
    return f'<div class="kh-legend-row">{icon}<span>{escape_html(text)}</span></div>'


class _Overlay(MacroElement):
    """Draw one set of lines in its own pane, with tooltips and a legend row."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
  var O = {{ this.data }};
  var pane = map.getPane(O.pane) || map.createPane(O.pane);
  pane.style.zIndex = O.z;
  var layer = L.geoJSON(O.lines, {pane: O.pane, renderer: L.svg({pane: O.pane}),
    interactive: O.tips, style: function () { return O.style; }});
  if (O.tips) {
    layer.bindTooltip(function (l) { return l.feature.properties.tip; },
      {sticky: true, direction: "top", className: "kh-tip"});
  }
  layer.addTo(map);
  var section = map.getContainer().querySelector(".kh-legend-layers");
  if (section) {
    section.insertAdjacentHTML("beforeend", O.legend);
  } else {
    var Box = L.Control.extend({options: {position: "bottomleft"}, onAdd: function () {
      var div = L.DomUtil.create("div", "kh-legend");
      div.innerHTML = O.legend;
      return div;
    }});
    new Box().addTo(map);
  }
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, name: str, data: dict[str, Any]) -> None:
        super().__init__()
        self._name = name
        self.data = json_for_script(data)


def add_gaps(
    fmap: folium.Map, gaps_geojson: dict[str, Any], interactive: bool = True
) -> folium.Map:
    """Draw coverage gaps (a FeatureCollection from services.coverage.gaps_geojson)."""
    features = []
    for feature in gaps_geojson.get("features", []):
        props = feature.get("properties") or {}
        tip = t(
            "coverage.gap_tip",
            name=escape_html(props.get("name", "")),
            start=format_number(props.get("from_m", 0)),
            end=format_number(props.get("to_m", 0)),
            length=format_number(props.get("length_m", 0)),
        )
        geometry = feature["geometry"]
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": geometry["type"],
                    "coordinates": _round(geometry["coordinates"]),
                },
                "properties": {"tip": tip},
            }
        )
    data = {
        "pane": "khGaps",
        # Over the sites' canvas, which would swallow the pointer; the thin dashes leave
        # the site markers clickable around them. Under the ward labels.
        "z": 405,
        "lines": {"type": "FeatureCollection", "features": features},
        "tips": interactive,
        "style": {
            "className": "kh-gap",
            "color": GAP_COLOR,
            "weight": 3,
            "opacity": 0.95,
            "dashArray": "6 5",
            "lineCap": "butt",
        },
        "legend": _legend_row(_line_icon(GAP_COLOR, 3, "6 5"), t("coverage.legend.gap")),
    }
    _Overlay("KhGaps", data).add_to(fmap)
    return fmap


def add_routes(fmap: folium.Map, routes: list[dict[str, Any]]) -> folium.Map:
    """Draw registered routes: each a dict with ``geometry`` (WGS84 GeoJSON) and ``name``."""
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": route["geometry"]["type"],
                "coordinates": _round(route["geometry"]["coordinates"]),
            },
            "properties": {"tip": escape_html(route.get("name", ""))},
        }
        for route in routes
    ]
    data = {
        "pane": "khRoutes",
        "z": 362,
        "lines": {"type": "FeatureCollection", "features": features},
        "tips": True,
        "style": {"className": "kh-route", "color": ROUTE_COLOR, "weight": 11, "opacity": 0.35},
        "legend": _legend_row(_line_icon(ROUTE_COLOR, 8, opacity=0.4), t("routes.legend")),
    }
    _Overlay("KhRoutes", data).add_to(fmap)
    return fmap


def add_chosen_street(fmap: folium.Map, geometry: dict[str, Any], name: str) -> folium.Map:
    """Highlight the street picked in a form (WGS84 GeoJSON geometry) with its name."""
    data = {
        "pane": "khChosen",
        "z": 364,
        "lines": {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {
                        "type": geometry["type"],
                        "coordinates": _round(geometry["coordinates"]),
                    },
                    "properties": {"tip": escape_html(name)},
                }
            ],
        },
        "tips": True,
        "style": {"className": "kh-chosen", "color": CHOSEN_COLOR, "weight": 5, "opacity": 0.9},
        "legend": _legend_row(_line_icon(CHOSEN_COLOR, 5), t("routes.legend.chosen")),
    }
    _Overlay("KhChosen", data).add_to(fmap)
    return fmap
