"""Turn a reading of a position text into geometry over the district's own streets.

Plain data in (street name → WGS84 centreline, the district polygon), Shapely out. Metric
work — crossings, linear referencing, lengths — happens in UTM 48N (EPSG:32648); every
returned geometry is WGS84 (lon, lat).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import shapely
from shapely import LineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points, substring

from kehoach.adapters.geometry import to_metric, to_wgs84

# Crossing points closer than this belong to one junction (dual carriageways, slip roads).
JUNCTION_SPREAD_M = 150.0
# Two streets that stop this close to each other meet (a T-junction drawn with a gap).
NEAR_MISS_M = 60.0
# A stretch end may lie this far from the street it is cut from.
STRETCH_SNAP_M = 60.0
# Shorter than this, a "stretch" is one point.
MIN_STRETCH_M = 5.0
# Streets run on beyond the district; the middle of a street is the middle of our part.
DISTRICT_MARGIN_M = 20.0


@dataclass(frozen=True)
class Crossing:
    """Where two streets meet (metric point); ``exact`` False when it was a guess."""

    point: Point
    exact: bool


@dataclass(frozen=True)
class Stretch:
    """A line cut from a street between two ends (WGS84), its length and whether it is sure."""

    line: LineString
    length_m: float
    exact: bool


class StreetGeometry:
    """The district's streets by name, in metres, with crossings remembered once computed."""

    def __init__(self, streets: Mapping[str, BaseGeometry], district: BaseGeometry) -> None:
        area = to_metric(district).buffer(DISTRICT_MARGIN_M)
        self._lines: dict[str, BaseGeometry] = {}
        self._inside: dict[str, BaseGeometry] = {}
        for name, geom in streets.items():
            metric = shapely.line_merge(to_metric(geom))
            self._lines[name] = metric
            inside = shapely.MultiLineString(_pieces(metric.intersection(area)))
            self._inside[name] = metric if inside.is_empty else shapely.line_merge(inside)
        self._crossings: dict[tuple[str, str], Crossing | None] = {}

    def __contains__(self, name: object) -> bool:
        return name in self._lines

    def crossing(self, a: str, b: str) -> Crossing | None:
        """Return where streets ``a`` and ``b`` meet, or None when they do not."""
        key = (a, b) if a <= b else (b, a)
        if key not in self._crossings:
            self._crossings[key] = self._find_crossing(self._lines[a], self._lines[b])
        return self._crossings[key]

    def crossing_wgs84(self, crossing: Crossing) -> Point:
        """Return a crossing's point in WGS84."""
        return to_wgs84(crossing.point)

    def middle(self, name: str) -> Point:
        """Return the middle of the longest piece of a street inside the district (WGS84)."""
        return to_wgs84(_longest(self._inside[name]).interpolate(0.5, normalized=True))

    def stretch(self, name: str, start: Point, end: Point, exact: bool) -> Stretch | None:
        """Cut street ``name`` between two metric points; None if they are not on one piece."""
        pieces = _pieces(self._lines[name])
        # Dual carriageways are separate pieces: take the one both ends are closest to.
        piece = min(pieces, key=lambda p: max(p.distance(start), p.distance(end)))
        if max(piece.distance(start), piece.distance(end)) > STRETCH_SNAP_M:
            return None
        cut = substring(piece, piece.project(start), piece.project(end))
        if not isinstance(cut, LineString) or cut.length < MIN_STRETCH_M:
            return None
        return Stretch(to_wgs84(cut), float(cut.length), exact)

    @staticmethod
    def _find_crossing(a: BaseGeometry, b: BaseGeometry) -> Crossing | None:
        points = _points(a.intersection(b))
        if not points:
            if a.distance(b) > NEAR_MISS_M:
                return None
            near_a, near_b = nearest_points(a, b)
            return Crossing(LineString([near_a, near_b]).interpolate(0.5, normalized=True), False)
        cluster = _main_cluster(points)
        centre = shapely.MultiPoint(cluster).centroid
        return Crossing(centre, len(cluster) == len(points))


def _points(geom: BaseGeometry) -> list[Point]:
    """Return the points of an intersection; a shared stretch counts by its midpoint."""
    if geom.is_empty:
        return []
    if isinstance(geom, Point):
        return [geom]
    if isinstance(geom, LineString):
        return [geom.interpolate(0.5, normalized=True)]
    return [p for part in getattr(geom, "geoms", []) for p in _points(part)]


def _main_cluster(points: list[Point]) -> list[Point]:
    """Group crossing points into junctions (single linkage); return the largest one."""
    clusters: list[list[Point]] = []
    for point in points:
        near = [c for c in clusters if any(point.distance(q) <= JUNCTION_SPREAD_M for q in c)]
        merged = [point] + [q for c in near for q in c]
        clusters = [c for c in clusters if c not in near] + [merged]
    return max(clusters, key=len)


def _pieces(geom: BaseGeometry) -> list[LineString]:
    if isinstance(geom, LineString):
        return [geom]
    return [p for part in getattr(geom, "geoms", []) for p in _pieces(part)]


def _longest(geom: BaseGeometry) -> LineString:
    return max(_pieces(geom), key=lambda p: p.length)
