"""The map's look, shared by the interactive and the static map: colours, shapes, legend.

The legend is plain HTML with inline SVG icons; the map's script puts it in a control.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from kehoach.domain.enums import Approval, SiteKind, SiteStatus
from kehoach.escape import escape_html
from kehoach.i18n import label, t

if TYPE_CHECKING:
    from kehoach.adapters.mapview import BaseLayers

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
# Approval marks: a pending new site has an amber dashed outline, a rejected one is a grey ghost.
PENDING_OUTLINE = "#d97706"
REJECTED_COLOR = "#9ca3af"
SELECTED_COLOR = "#2563eb"
DISTRICT_COLOR = "#111827"
WARD_COLOR = "#a21caf"
STREET_COLOR = "#94a3b8"
MAIN_STREET_COLOR = "#475569"
PLACE_COLOR = "#1e40af"
MAP_BACKGROUND = "#e9edf1"
# Street coverage ramp: 0 % red, 50 % amber, 100 % green.
COVERAGE_RAMP = ((0.0, (220, 38, 38)), (0.5, (245, 158, 11)), (1.0, (22, 163, 74)))


def coverage_color(coverage: float | None) -> str:
    """Return the street colour for a coverage share (0..1): red, amber, green; grey if None."""
    if coverage is None or pd.isna(coverage):
        return STREET_COLOR
    value = min(max(float(coverage), 0.0), 1.0)
    for (low, low_rgb), (high, high_rgb) in zip(COVERAGE_RAMP, COVERAGE_RAMP[1:], strict=False):
        if value <= high:
            share = (value - low) / (high - low)
            rgb = [round(a + (b - a) * share) for a, b in zip(low_rgb, high_rgb, strict=True)]
            return "#{:02x}{:02x}{:02x}".format(*rgb)
    return "#{:02x}{:02x}{:02x}".format(*COVERAGE_RAMP[-1][1])


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
    pending_icon = _shape_svg("circle", 5.5, neutral, PENDING_OUTLINE, 2.2, "4 2")
    kind_rows.append(_row(pending_icon, label(Approval.PENDING)))
    rejected_icon = _shape_svg("circle", 5.5, REJECTED_COLOR, REJECTED_COLOR, 1.2, "1 3")
    kind_rows.append(_row(rejected_icon, label(Approval.REJECTED)))
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
