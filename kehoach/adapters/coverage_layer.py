"""Overlay coverage gaps and registered routes on a map built by ``mapview.build_map``.

Gaps (undecorated stretches of street) are dashed red lines with a tooltip; registered routes
are wide translucent blue bands under the sites. Each overlay adds its own row to the map's
legend. All text reaching the page passes through ``escape_html``; data goes in as JSON to
``KhMap.overlay`` in the map's script.
"""

from __future__ import annotations

from typing import Any

import folium

from kehoach.adapters.mapjs import add_call
from kehoach.escape import escape_html
from kehoach.i18n import format_number, t

GAP_COLOR = "#b91c1c"
ROUTE_COLOR = "#2563eb"
CHOSEN_COLOR = "#7c3aed"
COORD_DECIMALS = 5  # about 1 m


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
    return add_call(fmap, "overlay", data, "KhGaps")


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
    return add_call(fmap, "overlay", data, "KhRoutes")


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
    return add_call(fmap, "overlay", data, "KhChosen")
