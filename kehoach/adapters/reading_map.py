"""Draw the rows of a table being imported, coloured by how their position was read.

A pure function over plain data (GeoJSON geometry, source, label, reading): the import page
shows it before anything is stored, so staff see which rows were read from a street name
alone (to confirm) and which could not be located. Every text passes ``escape_html``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium

from kehoach.escape import escape_html

# One colour per way of reading; guesses in warm colours, exact readings in cool ones.
SOURCE_COLORS: Mapping[str, str] = {
    "coordinates": "#2563eb",
    "crossing": "#0d9488",
    "stretch": "#7c3aed",
    "place": "#0891b2",
    "street": "#ea580c",
    "drawn": "#16a34a",
    "unplaced": "#dc2626",
}


@dataclass(frozen=True)
class ReadRow:
    """One row of the preview: where it was read, how, and what to say about it."""

    geometry: Mapping[str, Any] | None
    source: str
    label: str
    reading: str
    needs_confirmation: bool = False


def _tooltip(row: ReadRow) -> str:
    mark = " ⚠" if row.needs_confirmation else ""
    return f"<b>{escape_html(row.label)}</b>{mark}<br>{escape_html(row.reading)}"


def add_readings(fmap: folium.Map, rows: Sequence[ReadRow],
                 legend: Mapping[str, str]) -> folium.Map:
    """Draw the located rows (points and stretches) over a district map, with a legend."""
    bounds: list[list[float]] = []
    for row in rows:
        if row.geometry is None:
            continue
        color = SOURCE_COLORS.get(row.source, "#6b7280")
        coords = row.geometry.get("coordinates", [])
        if row.geometry.get("type") == "Point":
            lon, lat = coords
            folium.CircleMarker(
                (lat, lon), radius=7, color=color, fill=True, fill_opacity=0.85,
                weight=3 if row.needs_confirmation else 1, tooltip=_tooltip(row),
            ).add_to(fmap)
            bounds.append([lat, lon])
        else:
            points = [(lat, lon) for lon, lat in coords]
            folium.PolyLine(points, color=color, weight=6, opacity=0.9,
                            tooltip=_tooltip(row)).add_to(fmap)
            bounds.extend([lat, lon] for lat, lon in points)
    if bounds:
        south = min(b[0] for b in bounds)
        west = min(b[1] for b in bounds)
        north = max(b[0] for b in bounds)
        east = max(b[1] for b in bounds)
        fmap.fit_bounds([[south, west], [north, east]], max_zoom=17)
    items = "".join(
        f'<div><span style="background:{SOURCE_COLORS[source]};display:inline-block;'
        f'width:12px;height:12px;margin-right:6px"></span>{escape_html(text)}</div>'
        for source, text in legend.items() if source in SOURCE_COLORS
    )
    legend_html = (
        '<div style="position:absolute;bottom:18px;left:10px;z-index:9999;background:#fff;'
        f'padding:6px 8px;border-radius:4px;font-size:12px">{items}</div>'
    )
    root = fmap.get_root()
    assert isinstance(root, folium.Figure)
    root.html.add_child(folium.Element(legend_html))
    return fmap
