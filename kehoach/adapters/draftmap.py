"""Draw a draft geometry (a picked point, stretch ends, the snapped line) over a map."""

from __future__ import annotations

from collections.abc import Sequence

import folium
from shapely.geometry import LineString, mapping

DRAFT_COLOR = "#7c3aed"


def add_draft(
    fmap: folium.Map, points: Sequence[tuple[float, float]], line: LineString | None = None
) -> folium.Map:
    """Overlay the points the user picked and the snapped stretch (lon, lat order)."""
    for lon, lat in points:
        folium.CircleMarker(
            [lat, lon],
            radius=9,
            color=DRAFT_COLOR,
            weight=3,
            fill=True,
            fill_opacity=0.35,
            interactive=False,
        ).add_to(fmap)
    if line is not None:
        folium.GeoJson(
            mapping(line),
            style_function=lambda _f: {"color": DRAFT_COLOR, "weight": 7, "opacity": 0.85},
            interactive=False,
        ).add_to(fmap)
    return fmap
