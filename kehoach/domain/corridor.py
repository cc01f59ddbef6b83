"""Fold the lines of one street into a corridor: one chainage, whatever its carriageways.

Pure geometry in metres (UTM 48N). In the street data a dual carriageway is two lines, a slip
road a third, a street broken by a junction several: measuring each line on its own counts a
dual road twice and lets a flag line on the median cover only "its" carriageway. A person
walking the street sees one corridor, so coverage measures one.

The method (greedy, longest line first):

1. The street's longest line is the corridor's first *axis* line: its chainage is the
   corridor's chainage.
2. Every other line is cut into pieces by where it runs alongside the axis found so far: a
   vertex (every ``FOLD_DENSIFY_M``) lies alongside when it is within ``FOLD_M`` of an axis line,
   projects strictly inside it (not onto its ends) and heads the same way, give or take 45
   degrees (a side branch leaving at a junction does not run alongside). Such a piece — the
   other carriageway, a slip road, a median line — is *folded*: it adds no length and sends
   whatever stands near it to the axis line it runs beside.
3. A piece that runs alongside nothing (a carriageway running on past the axis's end, a
   genuinely separate branch of a same-named street) becomes an axis line of its own, if it
   is at least ``MIN_BRANCH_M`` long or the whole line; a shorter stub folds onto the nearest
   axis line (its sites project onto that line's end).

The corridor's length is the length of its axis lines; a site near any of its lines (axis or
folded) covers the axis where it stands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely import LineString

# Carriageways, slip roads and medians closer than this are one corridor: Khuất Duy Tiến's two
# carriageways run up to 55 m apart on either side of the Ring Road 3 viaduct.
FOLD_M = 60.0
MIN_PARALLEL_COS = 0.7  # running alongside: within about 45 degrees of the axis's heading
MIN_BRANCH_M = 50.0  # a piece of line beside no axis line counts as its own branch from here
FOLD_DENSIFY_M = 10.0  # vertex spacing used to decide which pieces run alongside the axis
_END_M = 1e-6  # a vertex projecting this close to an axis line's end is beyond it


@dataclass(frozen=True)
class Corridor:
    """A street as measured: its axis lines (the chainage) and the lines folded onto them."""

    axis: tuple[LineString, ...]
    folded: tuple[tuple[LineString, int], ...]  # (line, index of the axis line it folds onto)

    @property
    def length(self) -> float:
        """Return the corridor's length: the length of its axis lines."""
        return float(sum(line.length for line in self.axis))


def build_corridor(
    lines: Sequence[LineString], fold_m: float = FOLD_M, min_branch_m: float = MIN_BRANCH_M
) -> Corridor:
    """Return the corridor of one street's (merged) lines: axis lines and folded lines."""
    axis: list[LineString] = []
    folded: list[tuple[LineString, int]] = []
    for line in sorted(lines, key=lambda g: -g.length):
        if not axis:
            axis.append(line)
            continue
        pieces = _pieces_alongside(line, axis, fold_m)
        if len(pieces) == 1 and pieces[0][1] < 0:
            axis.append(line)  # beside nothing: a line of its own, however short
            continue
        for piece, beside in pieces:
            if beside >= 0:
                folded.append((piece, beside))
            elif piece.length >= min_branch_m:
                axis.append(piece)
            else:
                distances = shapely.distance(np.array(axis, dtype=object), piece)
                folded.append((piece, int(np.argmin(distances))))
    return Corridor(tuple(axis), tuple(folded))


def _pieces_alongside(
    line: LineString, axis: list[LineString], fold_m: float
) -> list[tuple[LineString, int]]:
    """Cut a line where the axis line it runs beside changes (-1: beside none)."""
    coords = shapely.get_coordinates(shapely.segmentize(line, FOLD_DENSIFY_M))
    points = shapely.points(coords)
    heading = _unit(np.diff(coords, axis=0, append=coords[-1:] * 2 - coords[-2:-1]))
    beside = np.full(len(points), -1)
    best = np.full(len(points), np.inf)
    for k, ax in enumerate(axis):
        distance = shapely.distance(ax, points)
        along = shapely.line_locate_point(ax, points)
        inside = (along > _END_M) & (along < ax.length - _END_M)
        # The axis's own heading where the vertex projects: a line crossing it or leaving it
        # at a junction is not running alongside, however close.
        ahead = shapely.line_interpolate_point(ax, np.minimum(along + 1.0, ax.length))
        behind = shapely.line_interpolate_point(ax, np.maximum(along - 1.0, 0.0))
        axis_heading = _unit(shapely.get_coordinates(ahead) - shapely.get_coordinates(behind))
        parallel = np.abs((heading * axis_heading).sum(axis=1)) >= MIN_PARALLEL_COS
        closer = inside & parallel & (distance <= fold_m) & (distance < best)
        best[closer] = distance[closer]
        beside[closer] = k
    # A segment belongs to the run of its first vertex; each run ends on the next run's first
    # vertex, so the pieces join up again into the whole line.
    label = beside[:-1]
    heads = np.flatnonzero(np.concatenate(([True], label[1:] != label[:-1])))
    tails = np.append(heads[1:], len(label))
    return [
        (LineString(coords[a : b + 1]), int(label[a]))
        for a, b in zip(heads, tails, strict=True)
        if b > a
    ]


def _unit(vectors: np.ndarray) -> np.ndarray:
    norm = np.hypot(vectors[:, 0], vectors[:, 1])
    return vectors / np.where(norm > 0, norm, 1.0)[:, None]
