"""Answer where-questions about the district: which ward, which street, where streets cross.

A ``SpatialIndex`` holds plain Shapely geometries (no session, no ORM objects) so that it can
be built once and cached. It is built from plain data (GeoJSON texts) that a service reads
from the database. Every input and output is WGS84 (lon, lat); distances, buffers and cuts
happen in UTM 48N (EPSG:32648) through ``kehoach.adapters.geometry``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import shapely
from shapely import LineString, MultiLineString, Point, STRtree
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

from kehoach.adapters.geometry import from_geojson, to_metric, to_wgs84
from kehoach.domain.errors import InvalidGeometry, NotFound

# A point on a gap between ward polygons (they are approximate) still belongs to a ward.
WARD_GAP_TOLERANCE_M = 50.0
# How far from the centreline the ends of a stretch may be before we refuse to snap them.
SNAP_TOLERANCE_M = 50.0
# A stretch shorter than this is a click, not a stretch.
MIN_STRETCH_M = 5.0
# Crossings closer than this are one junction (dual carriageways cross several times).
JUNCTION_MERGE_M = 30.0


class SpatialIndex:
    """Locate points in wards and on streets, snap stretches and find street crossings."""

    def __init__(
        self,
        district: BaseGeometry,
        wards: Sequence[tuple[int, BaseGeometry]],
        streets: Sequence[tuple[int, BaseGeometry]],
    ) -> None:
        self._district = district
        shapely.prepare(self._district)
        self._ward_ids = [ward_id for ward_id, _ in wards]
        self._wards = [geom for _, geom in wards]
        self._wards_m = [to_metric(geom) for geom in self._wards]
        self._ward_tree = STRtree(self._wards)
        self._ward_tree_m = STRtree(self._wards_m)
        self._street_ids = [street_id for street_id, _ in streets]
        self._street_pos = {street_id: i for i, street_id in enumerate(self._street_ids)}
        self._streets = [geom for _, geom in streets]
        self._streets_m = [shapely.line_merge(to_metric(geom)) for geom in self._streets]
        self._street_tree_m = STRtree(self._streets_m)

    @classmethod
    def from_records(
        cls,
        district_geojson: str,
        wards: Iterable[tuple[int, str]],
        streets: Iterable[tuple[int, str]],
    ) -> SpatialIndex:
        """Build the index from GeoJSON texts: the district, and (id, geojson) of each ward
        and street (the database's rows, read by ``services.geography``)."""
        return cls(
            from_geojson(district_geojson),
            [(ward_id, from_geojson(text)) for ward_id, text in wards],
            [(street_id, from_geojson(text)) for street_id, text in streets],
        )

    @property
    def district(self) -> BaseGeometry:
        """Return the district polygon (WGS84)."""
        return self._district

    @property
    def ward_ids(self) -> list[int]:
        """Return the ids of the indexed wards."""
        return list(self._ward_ids)

    @property
    def street_ids(self) -> list[int]:
        """Return the ids of the indexed streets."""
        return list(self._street_ids)

    def ward_geometry(self, ward_id: int) -> BaseGeometry:
        """Return a ward's polygon (WGS84)."""
        return self._wards[self._ward_ids.index(ward_id)]

    def street_geometry(self, street_id: int) -> BaseGeometry:
        """Return a street's centreline (WGS84)."""
        return self._streets[self._street_index(street_id)]

    def contains(self, lon: float, lat: float) -> bool:
        """Tell whether a point lies inside the district (its boundary included)."""
        return bool(self._district.covers(Point(lon, lat)))

    def ward_at(self, lon: float, lat: float) -> int | None:
        """Return the ward containing a point, else the nearest within 50 m, else None."""
        point = Point(lon, lat)
        hits = self._ward_tree.query(point, predicate="intersects")
        if len(hits):
            # On a shared boundary both wards match; the lowest id keeps the answer stable.
            return min(self._ward_ids[i] for i in hits)
        point_m = to_metric(point)
        nearest = self._ward_tree_m.query_nearest(point_m, max_distance=WARD_GAP_TOLERANCE_M)
        if not len(nearest):
            return None
        return min(self._ward_ids[i] for i in nearest)

    def nearest_street(
        self, lon: float, lat: float, max_m: float = 30.0
    ) -> tuple[int, float] | None:
        """Return (street id, distance in metres) of the nearest street within ``max_m``."""
        point_m = to_metric(Point(lon, lat))
        nearest, distances = self._street_tree_m.query_nearest(
            point_m, max_distance=max_m, return_distance=True
        )
        if not len(nearest):
            return None
        ranked = sorted(
            (float(d), self._street_ids[int(i)]) for d, i in zip(distances, nearest, strict=True)
        )
        distance, street_id = ranked[0]
        return street_id, distance

    def street_length_m(self, street_id: int) -> float:
        """Return the length of a street's centreline in metres."""
        return float(self._streets_m[self._street_index(street_id)].length)

    def snap_stretch(
        self,
        street_id: int,
        start_lonlat: tuple[float, float],
        end_lonlat: tuple[float, float],
    ) -> LineString:
        """Cut the street's centreline between the projections of two points (WGS84 line)."""
        start = to_metric(Point(*start_lonlat))
        end = to_metric(Point(*end_lonlat))
        part = self._nearest_part(self._streets_m[self._street_index(street_id)], start, end)
        far = max(part.distance(start), part.distance(end))
        if far > SNAP_TOLERANCE_M:
            raise InvalidGeometry(
                f"stretch ends are {far:.0f} m from the street (max {SNAP_TOLERANCE_M:.0f} m)"
            )
        # substring() returns the line reversed when start lies after end: keep the
        # direction the user drew.
        cut = substring(part, part.project(start), part.project(end))
        if not isinstance(cut, LineString) or cut.length < MIN_STRETCH_M:
            raise InvalidGeometry(f"stretch is shorter than {MIN_STRETCH_M:.0f} m")
        return to_wgs84(cut)

    def intersections(self, street_a_id: int, street_b_id: int) -> list[Point]:
        """Return where two centrelines cross (WGS84), one point per junction (30 m)."""
        a = self._streets_m[self._street_index(street_a_id)]
        b = self._streets_m[self._street_index(street_b_id)]
        crossing = a.intersection(b)
        candidates = sorted(_crossing_points(crossing), key=lambda p: (p.x, p.y))
        kept: list[Point] = []
        for point in candidates:
            if all(point.distance(seen) > JUNCTION_MERGE_M for seen in kept):
                kept.append(point)
        return [to_wgs84(p) for p in kept]

    def _street_index(self, street_id: int) -> int:
        try:
            return self._street_pos[street_id]
        except KeyError:
            raise NotFound(f"street {street_id} is not indexed") from None

    @staticmethod
    def _nearest_part(street: BaseGeometry, start: Point, end: Point) -> LineString:
        parts = list(street.geoms) if isinstance(street, MultiLineString) else [street]
        # Dual carriageways are separate parts: take the one both ends are closest to.
        return min(parts, key=lambda p: _end_distances(p, start, end))


def _end_distances(part: LineString, start: Point, end: Point) -> tuple[float, float]:
    """Rank a street part by the farther, then the summed, distance of the two ends."""
    d_start, d_end = part.distance(start), part.distance(end)
    return max(d_start, d_end), d_start + d_end


def _crossing_points(geom: BaseGeometry) -> list[Point]:
    """Return the points of an intersection; a shared segment counts by its midpoint."""
    if geom.is_empty:
        return []
    if isinstance(geom, Point):
        return [geom]
    if isinstance(geom, LineString):
        return [geom.interpolate(0.5, normalized=True)]
    if hasattr(geom, "geoms"):
        return [p for part in geom.geoms for p in _crossing_points(part)]
    return []
