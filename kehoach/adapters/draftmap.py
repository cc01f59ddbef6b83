"""Draw a draft geometry (a picked point, stretch ends, the snapped line) over a map."""

from __future__ import annotations

from collections.abc import Sequence

import folium
from shapely.geometry import LineString, mapping

from kehoach.adapters.mapjs import add_call

DRAFT_COLOR = "#7c3aed"


def add_draft(
    fmap: folium.Map, points: Sequence[tuple[float, float]], line: LineString | None = None
) -> folium.Map:
    """Overlay the points the user picked and the snapped stretch (lon, lat order)."""
    config = {
        "points": [[float(lon), float(lat)] for lon, lat in points],
        "line": mapping(line) if line is not None else None,
        "color": DRAFT_COLOR,
    }
    return add_call(fmap, "draft", config, "KhDraft")
