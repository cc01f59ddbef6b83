"""Render a static PNG of the district for documents: wards, streets by coverage, sites.

Pure: base layers and the sites table in, PNG bytes out. Drawn with matplotlib's Agg backend
(no display needed) in UTM 48N metres, so the map is not stretched as lon/lat would be.
Colours are the interactive map's (kehoach.adapters.mapview), so both read the same.
"""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("Agg")  # before pyplot: no display on servers and in CI

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402
from matplotlib import patheffects  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from shapely.geometry import shape  # noqa: E402
from shapely.geometry.base import BaseGeometry  # noqa: E402

from kehoach.adapters.geometry import metric_xy, to_metric  # noqa: E402
from kehoach.adapters.mapview import (  # noqa: E402
    DISTRICT_COLOR,
    STATUS_COLORS,
    STREET_COLOR,
    WARD_COLOR,
    BaseLayers,
    coverage_color,
)
from kehoach.domain.enums import SiteStatus  # noqa: E402
from kehoach.i18n import format_percent, label, t  # noqa: E402

# Drawn first = underneath, as on the interactive map.
STATUS_DRAW_ORDER = (
    SiteStatus.REMOVED,
    SiteStatus.INSTALLED,
    SiteStatus.PLANNED,
    SiteStatus.INSTALLING,
    SiteStatus.NEEDS_FIX,
)
FIGURE_WIDTH_IN = 7.0
TITLE_IN = 0.35
NOTE_IN = 0.3
LEGEND_IN = 0.75
DPI = 160
LEGEND_COVERAGE = (0.0, 0.5, 1.0)


def _lines(geom: BaseGeometry) -> list[Any]:
    if geom.geom_type == "LineString":
        return [geom]
    if hasattr(geom, "geoms"):
        return [part for g in geom.geoms for part in _lines(g)]
    return []


def _polygons(geom: BaseGeometry) -> list[Any]:
    if geom.geom_type == "Polygon":
        return [geom]
    if hasattr(geom, "geoms"):
        return [part for g in geom.geoms for part in _polygons(g)]
    return []


def _draw_outline(ax: Any, geom: BaseGeometry, **style: Any) -> None:
    for polygon in _polygons(geom):
        x, y = polygon.exterior.xy
        ax.plot(x, y, **style)


def _bounds(base: BaseLayers) -> tuple[float, float, float, float]:
    if base.district:
        return to_metric(shape(base.district)).bounds
    geoms = [to_metric(shape(w["geometry"])) for w in base.wards]
    xs = [v for g in geoms for v in (g.bounds[0], g.bounds[2])] or [0.0, 1.0]
    ys = [v for g in geoms for v in (g.bounds[1], g.bounds[3])] or [0.0, 1.0]
    return min(xs), min(ys), max(xs), max(ys)


def render_coverage_map(
    base: BaseLayers, sites: pd.DataFrame, note: str = "", title: str = ""
) -> bytes:
    """Return a PNG of the district, wards, streets coloured by coverage and the sites."""
    west, south, east, north = _bounds(base)
    pad = 0.02 * max(east - west, north - south)
    west, south, east, north = west - pad, south - pad, east + pad, north + pad
    map_h = FIGURE_WIDTH_IN * (north - south) / (east - west)
    top = TITLE_IN if title else 0.0
    note_h = NOTE_IN if note else 0.0
    height = map_h + top + note_h + LEGEND_IN
    fig = Figure(figsize=(FIGURE_WIDTH_IN, height), dpi=DPI)
    ax = fig.add_axes((0.0, (LEGEND_IN + note_h) / height, 1.0, map_h / height))
    ax.set_axis_off()
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect("equal")
    draw_district(ax, base, sites)
    if title:
        fig.text(0.5, 1 - 0.1 / height, title, ha="center", va="top", fontsize=10, weight="bold")
    if note:
        fig.text(
            0.02,
            (LEGEND_IN + 0.05) / height,
            note,
            fontsize=9,
            color="#b91c1c",
            weight="bold",
            va="bottom",
        )
    _legend(fig, sites, LEGEND_IN / height)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    plt.close("all")
    return buffer.getvalue()


def draw_district(ax: Any, base: BaseLayers, sites: pd.DataFrame, label_size: float = 7) -> None:
    """Draw the district, wards with names, streets (by coverage) and sites on ``ax`` (metres)."""
    if base.district:
        district = to_metric(shape(base.district))
        for polygon in _polygons(district):
            x, y = polygon.exterior.xy
            ax.fill(x, y, color="#f1f5f9", zorder=0)
        _draw_outline(ax, district, color=DISTRICT_COLOR, linewidth=1.6, zorder=5)
    for ward in base.wards:
        geom = to_metric(shape(ward["geometry"]))
        _draw_outline(ax, geom, color=WARD_COLOR, linewidth=0.6, linestyle="--", zorder=1)
    streets = sorted(base.streets, key=lambda s: (s.get("coverage") is not None, s["id"]))
    segments, colors, widths = [], [], []
    for street in streets:
        coverage = street.get("coverage")
        width = (1.5 if coverage is not None else 0.6) + (1.0 if street.get("is_main") else 0.0)
        for line in _lines(to_metric(shape(street["geometry"]))):
            segments.append(np.asarray(line.coords))
            colors.append(coverage_color(coverage) if coverage is not None else STREET_COLOR)
            widths.append(width)
    ax.add_collection(
        LineCollection(segments, colors=colors, linewidths=widths, capstyle="round", zorder=2)
    )
    _draw_sites(ax, sites)
    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    for ward in base.wards:
        centre = to_metric(shape(ward["geometry"])).representative_point()
        ax.annotate(
            ward["name"],
            (centre.x, centre.y),
            ha="center",
            va="center",
            fontsize=label_size,
            color="#581c87",
            weight="bold",
            zorder=6,
            path_effects=halo,
        )


def _segments(geojson: pd.Series) -> list[np.ndarray]:
    """Return each line part of some GeoJSON texts as an (n, 2) array in metres."""
    if geojson.empty:
        return []
    geoms = to_metric(shapely.from_geojson(geojson.to_numpy(dtype=object)))
    parts = shapely.get_parts(geoms)
    return [shapely.get_coordinates(part) for part in parts if part.geom_type == "LineString"]


def _draw_sites(ax: Any, sites: pd.DataFrame) -> None:
    if sites.empty:
        return
    text = sites["geojson"].astype(object)
    stretch = text.notna() & text.astype(str).str.contains("LineString", regex=False)
    for status in STATUS_DRAW_ORDER:
        mine = sites["status"] == status.value
        segments = _segments(text[mine & stretch])
        if segments:
            ax.add_collection(
                LineCollection(segments, colors=STATUS_COLORS[status], linewidths=1.4, zorder=3)
            )
        points = sites[mine & ~stretch]
        if len(points):
            xs, ys = metric_xy(
                points["lon"].to_numpy(dtype=float), points["lat"].to_numpy(dtype=float)
            )
            ax.scatter(
                xs,
                ys,
                s=16,
                color=STATUS_COLORS[status],
                edgecolors="#111827",
                linewidths=0.5,
                zorder=4,
            )


def _legend(fig: Figure, sites: pd.DataFrame, height: float) -> None:
    coverage = [
        Line2D([0], [0], color=coverage_color(share), linewidth=3, label=format_percent(share))
        for share in LEGEND_COVERAGE
    ]
    coverage.append(
        Line2D([0], [0], color=STREET_COLOR, linewidth=1.2, label=t("report.map.no_sites"))
    )
    fig.legend(
        handles=coverage,
        title=t("report.map.coverage"),
        loc="center left",
        bbox_to_anchor=(0.01, height / 2),
        ncol=2,
        fontsize=7,
        title_fontsize=7.5,
        frameon=False,
        alignment="left",
    )
    shown = set(sites["status"]) if not sites.empty else set()
    statuses = [
        Line2D(
            [0],
            [0],
            marker="o",
            linestyle="",
            markersize=5,
            markerfacecolor=STATUS_COLORS[s],
            markeredgecolor="#111827",
            label=label(s),
        )
        for s in SiteStatus
        if s.value in shown
    ]
    if statuses:
        fig.legend(
            handles=statuses,
            title=t("report.map.status"),
            loc="center right",
            bbox_to_anchor=(0.99, height / 2),
            ncol=3,
            fontsize=7,
            title_fontsize=7.5,
            frameon=False,
            alignment="left",
        )
