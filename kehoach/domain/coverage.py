"""Measure how much of each street's length is decorated: intervals along measured lines.

Pure geometry in metres (UTM 48N): no database, no projection, no Streamlit. A street is
measured as one *corridor* (``kehoach.domain.corridor``): its carriageways, slip roads and
median fold onto *axis lines* that carry one chainage, so a dual road counts its length once.
A street has several axis lines only where it really branches or is broken (by the district
boundary, say). Every axis line of every street is laid end to end on one global measure
axis, with a small spacing between them, so that the decorated intervals of all streets are
unioned in one vectorised pass and never run from one axis line into the next.

What covers a street:

- an installed *stretch* (flag line, banner drawn as a line) covers the part of the street it
  runs alongside: its vertices (every ``DENSIFY_M``) within ``near_m`` of any line of the
  corridor are projected onto that line's axis line (linear referencing), and a run of such
  vertices covers from its lowest to its highest projection, if it runs roughly along the
  street rather than across it;
- an installed *point* site within ``near_m`` of any line of the corridor covers ``reach_m``
  each way of its projection onto the axis line, clipped to that line.

So a flag line on the median, or on either carriageway, covers the corridor where it runs. A
site near two streets (at a junction) counts for each of them: it is seen from both, and
coverage is a share of each street on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely import LineString, MultiLineString, STRtree
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

from kehoach.domain.corridor import build_corridor

DEFAULT_REACH_M = 25.0  # a panel or flag pole decorates this far each way along the street
DEFAULT_GAP_MIN_M = 50.0  # an undecorated stretch shorter than this is not reported as a gap
DEFAULT_NEAR_M = 30.0  # a site this close to a centreline belongs to that street
DENSIFY_M = 10.0  # vertex spacing used to project stretches onto streets
MIN_ALONG_RATIO = 0.5  # a run must advance along the street by half its own length
PART_SPACING_M = 1.0  # spacing between parts on the global axis (keeps runs within a part)

Interval = tuple[float, float]


# --- intervals ---------------------------------------------------------------------------------


def union_arrays(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the union of intervals [starts[i], ends[i]] as sorted, disjoint start/end arrays."""
    starts = np.asarray(starts, dtype=float)
    ends = np.asarray(ends, dtype=float)
    keep = ends > starts
    starts, ends = starts[keep], ends[keep]
    if not len(starts):
        return np.empty(0), np.empty(0)
    order = np.argsort(starts, kind="stable")
    starts, ends = starts[order], ends[order]
    reach = np.maximum.accumulate(ends)
    # A new run starts where an interval begins after everything before it has ended.
    new = np.ones(len(starts), dtype=bool)
    new[1:] = starts[1:] > reach[:-1]
    first = np.flatnonzero(new)
    last = np.append(first[1:] - 1, len(starts) - 1)
    return starts[first], reach[last]


def union_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Return the union of intervals as a sorted list of disjoint (start, end) pairs."""
    pairs = list(intervals)
    if not pairs:
        return []
    starts, ends = union_arrays(np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs]))
    return [(float(a), float(b)) for a, b in zip(starts, ends, strict=True)]


def covered_length(intervals: Iterable[Interval]) -> float:
    """Return the total length covered by (possibly overlapping) intervals."""
    return float(sum(b - a for a, b in union_intervals(intervals)))


def gaps(
    covered: Sequence[Interval], start: float, end: float, min_length: float
) -> list[Interval]:
    """Return the uncovered pieces of [start, end] longer than ``min_length``."""
    found: list[Interval] = []
    cursor = start
    for a, b in union_intervals(covered):
        if b <= start or a >= end:
            continue
        if a - cursor > min_length:
            found.append((cursor, a))
        cursor = max(cursor, b)
    if end - cursor > min_length:
        found.append((cursor, end))
    return found


def point_interval(position: float, reach: float, start: float, end: float) -> Interval:
    """Return the interval a point at ``position`` covers with ``reach`` each way, clipped."""
    return (max(start, position - reach), min(end, position + reach))


# --- covered runs on the global axis ----------------------------------------------------------


@dataclass(frozen=True)
class CoveredRuns:
    """Disjoint covered runs on the global axis, with a cumulative-length lookup."""

    starts: np.ndarray
    ends: np.ndarray

    @classmethod
    def from_intervals(cls, starts: np.ndarray, ends: np.ndarray) -> CoveredRuns:
        """Return the union of the given intervals."""
        return cls(*union_arrays(starts, ends))

    @property
    def _before(self) -> np.ndarray:
        lengths = self.ends - self.starts
        return np.concatenate(([0.0], np.cumsum(lengths)[:-1])) if len(lengths) else lengths

    def covered_upto(self, x: np.ndarray | float) -> np.ndarray:
        """Return the covered length in (-inf, x] for each x."""
        x = np.atleast_1d(np.asarray(x, dtype=float))
        if not len(self.starts):
            return np.zeros_like(x)
        i = np.searchsorted(self.starts, x, side="right") - 1
        safe = np.clip(i, 0, None)
        inside = np.clip(x - self.starts[safe], 0.0, self.ends[safe] - self.starts[safe])
        return np.where(i >= 0, self._before[safe] + inside, 0.0)

    def covered_between(self, lo: np.ndarray | float, hi: np.ndarray | float) -> np.ndarray:
        """Return the covered length inside [lo, hi] for each pair."""
        covered: np.ndarray = self.covered_upto(hi) - self.covered_upto(lo)
        return covered

    def within(self, lo: float, hi: float) -> list[Interval]:
        """Return the covered runs clipped to [lo, hi]."""
        first = max(int(np.searchsorted(self.ends, lo, side="right")), 0)
        last = int(np.searchsorted(self.starts, hi, side="left"))
        return [
            (max(float(a), lo), min(float(b), hi))
            for a, b in zip(self.starts[first:last], self.ends[first:last], strict=True)
        ]


# --- the measured street network --------------------------------------------------------------


@dataclass(frozen=True)
class StreetPart:
    """One axis line of a street's corridor: where it sits on the global and the street's axis."""

    street_id: int
    index: int  # position in the network's part list
    line: LineString
    start: float  # on the global axis
    local_start: float  # on the street's own axis (its parts laid end to end)

    @property
    def length(self) -> float:
        """Return the part's length in metres."""
        return float(self.line.length)

    @property
    def end(self) -> float:
        """Return where the part ends on the global axis."""
        return self.start + self.length


def line_parts(geom: BaseGeometry) -> list[LineString]:
    """Return the merged, non-empty LineStrings of any (collection of) line geometry."""
    lines: list[LineString] = []
    stack = [geom]
    while stack:
        g = stack.pop()
        if g.is_empty:
            continue
        if isinstance(g, LineString):
            lines.append(g)
        elif hasattr(g, "geoms"):
            stack.extend(reversed(list(g.geoms)))
    if not lines:
        return []
    merged = shapely.line_merge(MultiLineString(lines)) if len(lines) > 1 else lines[0]
    return [p for p in shapely.get_parts(merged) if isinstance(p, LineString) and p.length > 0]


class StreetNetwork:
    """Streets as measured parts, indexed for locating sites and summing covered lengths."""

    def __init__(
        self, streets: Sequence[tuple[int, BaseGeometry]], near_m: float = DEFAULT_NEAR_M
    ) -> None:
        self.near_m = near_m
        self.parts: list[StreetPart] = []
        self._street_parts: dict[int, list[int]] = {}
        folded: list[tuple[LineString, int]] = []
        position = 0.0
        for street_id, geom in streets:
            local = 0.0
            indices = self._street_parts.setdefault(street_id, [])
            corridor = build_corridor(line_parts(geom))
            first = len(self.parts)
            for line in corridor.axis:
                part = StreetPart(street_id, len(self.parts), line, position, local)
                self.parts.append(part)
                indices.append(part.index)
                position += part.length + PART_SPACING_M
                local += part.length
            folded += [(line, first + axis) for line, axis in corridor.folded]
        self._lines = np.array([p.line for p in self.parts], dtype=object)
        self._start = np.array([p.start for p in self.parts], dtype=float)
        self._length = np.array([p.length for p in self.parts], dtype=float)
        self._street = np.array([p.street_id for p in self.parts], dtype=np.int64)
        # Sites are found near any line of a corridor (axis lines first, so that a line's
        # index below len(parts) is its part's) and measured on the axis line it belongs to.
        self._near_lines = np.array(
            [p.line for p in self.parts] + [line for line, _ in folded], dtype=object
        )
        self._near_part = np.array(
            [p.index for p in self.parts] + [axis for _, axis in folded], dtype=np.int64
        )
        self._tree = STRtree(self._near_lines)

    @property
    def street_ids(self) -> list[int]:
        """Return the ids of the streets, in the order given."""
        return list(self._street_parts)

    def street_parts(self, street_id: int) -> list[StreetPart]:
        """Return the measured parts of one street."""
        return [self.parts[i] for i in self._street_parts.get(street_id, [])]

    def street_length(self, street_id: int) -> float:
        """Return a street's measured length (all its parts)."""
        return float(sum(p.length for p in self.street_parts(street_id)))

    def street_ranges(self, street_id: int) -> tuple[np.ndarray, np.ndarray]:
        """Return the global [start, end] ranges of a street's parts."""
        parts = self.street_parts(street_id)
        return np.array([p.start for p in parts]), np.array([p.end for p in parts])

    # --- locating sites ---

    def locate_points(
        self, points: np.ndarray, reach_m: float = DEFAULT_REACH_M
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return the global intervals covered by points (metric) within reach of each part."""
        points = np.asarray(points, dtype=object)
        if not len(points) or not len(self.parts):
            return np.empty(0), np.empty(0)
        site, near = self._tree.query(points, predicate="dwithin", distance=self.near_m)
        part = self._near_part[near]
        along = shapely.line_locate_point(self._lines[part], points[site])
        length = self._length[part]
        lo = np.clip(along - reach_m, 0.0, length)
        hi = np.clip(along + reach_m, 0.0, length)
        return self._start[part] + lo, self._start[part] + hi

    def locate_lines(
        self, lines: np.ndarray, only_street: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return global intervals that lines (metric) run alongside, with each line's index.

        Lines must be non-empty LineStrings (explode multi-lines first). ``only_street`` (one
        street id per line, or None) restricts a line to its own street, as for a route
        registered on a given street.
        """
        lines = np.asarray(lines, dtype=object)
        empty = (np.empty(0), np.empty(0), np.empty(0, dtype=np.int64))
        if not len(lines) or not len(self.parts):
            return empty
        owner, near = self._tree.query(lines, predicate="dwithin", distance=self.near_m)
        if only_street is not None:
            keep = self._street[self._near_part[near]] == np.asarray(only_street)[owner]
            owner, near = owner[keep], near[keep]
        if not len(owner):
            return empty
        dense = shapely.segmentize(lines, DENSIFY_M)
        coords, vertex_line = shapely.get_coordinates(dense, return_index=True)
        counts = np.bincount(vertex_line, minlength=len(lines))
        first = np.concatenate(([0], np.cumsum(counts)[:-1]))
        # Distance walked along each line at each of its vertices.
        step = np.hypot(*np.diff(coords, axis=0, prepend=coords[:1]).T)
        step[first[counts > 0]] = 0.0
        walked = np.cumsum(step)
        filled = counts > 0
        walked -= np.repeat(walked[first[filled]], counts[filled])
        # Expand every (line, part) pair into the line's vertices.
        per_pair = counts[owner]
        pair = np.repeat(np.arange(len(owner)), per_pair)
        vertex = np.repeat(first[owner] - np.cumsum(per_pair) + per_pair, per_pair)
        vertex += np.arange(len(vertex))
        points = shapely.points(coords[vertex])
        close = shapely.distance(self._near_lines[near[pair]], points) <= self.near_m
        idx = np.flatnonzero(close)
        if not len(idx):
            return empty
        part = self._near_part[near]
        along = shapely.line_locate_point(self._lines[part[pair[idx]]], points[idx])
        run_start = np.ones(len(idx), dtype=bool)
        run_start[1:] = (np.diff(idx) != 1) | (pair[idx[1:]] != pair[idx[:-1]])
        heads = np.flatnonzero(run_start)
        lo = np.minimum.reduceat(along, heads)
        hi = np.maximum.reduceat(along, heads)
        walked_run = walked[vertex[idx]]
        run_length = np.maximum.reduceat(walked_run, heads) - np.minimum.reduceat(walked_run, heads)
        # A stretch crossing the street covers nothing of it: keep runs going along it.
        along_street = (hi - lo) >= MIN_ALONG_RATIO * run_length
        run_pair = pair[idx[heads]][along_street]
        start = self._start[part[run_pair]]
        return start + lo[along_street], start + hi[along_street], owner[run_pair]

    def ranges_within(self, area: BaseGeometry) -> tuple[np.ndarray, np.ndarray]:
        """Return the global ranges of the parts' pieces lying inside a polygon (metric)."""
        los: list[float] = []
        his: list[float] = []
        shapely.prepare(area)
        for i in self._tree.query(area, predicate="intersects"):
            if i >= len(self.parts):
                continue  # a folded line: its length is its axis line's
            part = self.parts[int(i)]
            if area.covers(part.line):
                los.append(part.start)
                his.append(part.end)
                continue
            for piece in line_parts(part.line.intersection(area)):
                ends = shapely.line_locate_point(
                    part.line, shapely.points(np.array(piece.coords)[[0, -1]])
                )
                los.append(part.start + float(ends.min()))
                his.append(part.start + float(ends.max()))
        return np.array(los), np.array(his)

    # --- reading results ---

    def part_at(self, position: float) -> StreetPart:
        """Return the part holding a global position."""
        return self.parts[int(np.searchsorted(self._start, position, side="right") - 1)]

    def piece(self, lo: float, hi: float) -> LineString:
        """Return the piece of line at global range [lo, hi] (within one part)."""
        part = self.part_at(lo)
        return substring(part.line, lo - part.start, hi - part.start)

    def street_gaps(
        self, street_id: int, runs: CoveredRuns, min_length: float = DEFAULT_GAP_MIN_M
    ) -> list[Interval]:
        """Return a street's uncovered global ranges longer than ``min_length``, part by part."""
        found: list[Interval] = []
        for part in self.street_parts(street_id):
            found += gaps(runs.within(part.start, part.end), part.start, part.end, min_length)
        return found

    def to_local(self, lo: float, hi: float) -> Interval:
        """Return a global range as metres along its street's own axis."""
        part = self.part_at(lo)
        return (part.local_start + lo - part.start, part.local_start + hi - part.start)


def measure_coverage(
    network: StreetNetwork,
    points: np.ndarray,
    stretches: np.ndarray,
    reach_m: float = DEFAULT_REACH_M,
) -> CoveredRuns:
    """Return the covered runs of the network from installed points and stretches (metric)."""
    p_lo, p_hi = network.locate_points(points, reach_m)
    s_lo, s_hi, _ = network.locate_lines(stretches)
    return CoveredRuns.from_intervals(np.concatenate([p_lo, s_lo]), np.concatenate([p_hi, s_hi]))
