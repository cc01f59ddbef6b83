"""Render the map as a one-page landscape PDF (A4 or A3) for a meeting, fully offline.

Pure: base layers, the sites shown and the texts in, PDF bytes out. The drawing is the one
the Word report uses (kehoach.adapters.static_map.draw_district), framed with a title, the
date, a legend, a scale bar, a north arrow and the data credits.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import matplotlib
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrow, Rectangle

from kehoach.adapters.geometry import metric_xy
from kehoach.adapters.mapview import STATUS_COLORS, BaseLayers
from kehoach.adapters.static_map import _bounds, draw_district
from kehoach.domain.enums import SiteStatus
from kehoach.i18n import format_number, label, t

# Landscape page sizes in inches (ISO 216).
PAGE_SIZES = {"A4": (11.69, 8.27), "A3": (16.54, 11.69)}
MARGIN_IN = 0.4
HEADER_IN = 0.9
FOOTER_IN = 0.35
LEGEND_W_IN = 2.4
NICE_STEPS = (1, 2, 5)


@dataclass(frozen=True)
class PrintTexts:
    """The words on the page: title, date line, what the view shows, credits."""

    title: str
    date_line: str
    view_line: str
    credits: str


def _scale_length(span_m: float) -> float:
    """Return a round length (1, 2 or 5 × 10ⁿ metres) near a fifth of the map's width."""
    target = span_m / 5
    power = 10 ** math.floor(math.log10(target))
    return float(max(step * power for step in NICE_STEPS if step * power <= target))


def _extent(
    base: BaseLayers, bounds: list[list[float]] | None, aspect: float
) -> tuple[float, float, float, float]:
    """Return the map's extent in metres, widened to the frame's aspect (width / height)."""
    if bounds is not None:
        (south, west), (north, east) = bounds
        xs, ys = metric_xy([west, east], [south, north])
        x0, x1, y0, y1 = float(xs[0]), float(xs[1]), float(ys[0]), float(ys[1])
    else:
        x0, y0, x1, y1 = _bounds(base)
    pad = 0.03 * max(x1 - x0, y1 - y0)
    x0, x1, y0, y1 = x0 - pad, x1 + pad, y0 - pad, y1 + pad
    cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0
    w, h = max(w, h * aspect), max(h, w / aspect)
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def _scale_bar(ax: Axes, extent: tuple[float, float, float, float]) -> None:
    x0, y0, x1, y1 = extent
    length = _scale_length(x1 - x0)
    left, bottom = x0 + 0.04 * (x1 - x0), y0 + 0.04 * (y1 - y0)
    height = 0.008 * (y1 - y0)
    for i in range(2):
        ax.add_patch(
            Rectangle(
                (left + i * length / 2, bottom),
                length / 2,
                height,
                facecolor="#111827" if i == 0 else "white",
                edgecolor="#111827",
                linewidth=0.8,
                zorder=8,
            )
        )
    text = t("print.scale", m=format_number(length))
    ax.text(
        left + length / 2, bottom + 2 * height, text, ha="center", va="bottom", fontsize=8, zorder=8
    )


def _north_arrow(ax: Axes, extent: tuple[float, float, float, float]) -> None:
    x0, y0, x1, y1 = extent
    x, top, size = x1 - 0.05 * (x1 - x0), y1 - 0.04 * (y1 - y0), 0.07 * (y1 - y0)
    ax.add_patch(
        FancyArrow(
            x,
            top - size,
            0,
            size * 0.7,
            width=size * 0.12,
            head_width=size * 0.35,
            head_length=size * 0.3,
            color="#111827",
            zorder=8,
        )
    )
    ax.text(
        x,
        top - size * 1.15,
        t("print.north"),
        ha="center",
        va="top",
        fontsize=11,
        weight="bold",
        zorder=8,
    )


def _count(sites: pd.DataFrame, status: SiteStatus) -> int:
    return int((sites["status"] == status.value).sum())


def _legend(fig: Figure, sites: pd.DataFrame, rect: tuple[float, float, float, float]) -> None:
    shown = set(sites["status"]) if not sites.empty else set()
    handles = [
        Line2D(
            [0],
            [0],
            marker="o",
            linestyle="",
            markersize=7,
            markerfacecolor=STATUS_COLORS[s],
            markeredgecolor="#111827",
            label=f"{label(s)} ({_count(sites, s)})",
        )
        for s in SiteStatus
        if s.value in shown
    ]
    fig.legend(
        handles=handles,
        title=t("report.map.status"),
        loc="upper left",
        bbox_to_anchor=(rect[0], rect[1] + rect[3]),
        fontsize=9,
        title_fontsize=10,
        frameon=True,
        alignment="left",
    )


def render_print_map(
    base: BaseLayers,
    sites: pd.DataFrame,
    texts: PrintTexts,
    bounds: list[list[float]] | None = None,
    paper: str = "A4",
) -> bytes:
    """Return a one-page landscape PDF of the view: map, legend, scale, north and credits."""
    width, height = PAGE_SIZES[paper]
    fig = Figure(figsize=(width, height))
    map_w = width - 2 * MARGIN_IN - LEGEND_W_IN
    map_h = height - 2 * MARGIN_IN - HEADER_IN - FOOTER_IN
    rect = (MARGIN_IN / width, (MARGIN_IN + FOOTER_IN) / height, map_w / width, map_h / height)
    ax = fig.add_axes(rect)
    extent = _extent(base, bounds, map_w / map_h)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    draw_district(ax, base, sites, label_size=9)
    _scale_bar(ax, extent)
    _north_arrow(ax, extent)
    top = 1 - MARGIN_IN / height
    fig.text(MARGIN_IN / width, top, texts.title, fontsize=18, weight="bold", va="top")
    fig.text(
        MARGIN_IN / width,
        top - 0.42 / height,
        f"{texts.date_line} · {texts.view_line}",
        fontsize=10,
        va="top",
        color="#374151",
    )
    fig.text(
        MARGIN_IN / width,
        MARGIN_IN / height,
        texts.credits,
        fontsize=8,
        va="bottom",
        color="#4b5563",
    )
    legend_rect = ((MARGIN_IN + map_w + 0.15) / width, rect[1], LEGEND_W_IN / width, rect[3])
    _legend(fig, sites, legend_rect)
    buffer = io.BytesIO()
    # TrueType fonts (not Type 3): the PDF's text can be searched and copied.
    with matplotlib.rc_context({"pdf.fonttype": 42}):
        fig.savefig(buffer, format="pdf", metadata={"Title": texts.title})
    return buffer.getvalue()
