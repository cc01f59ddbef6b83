"""Propose demo sites along the real streets, junctions and places of the district."""

from __future__ import annotations

import random
from dataclasses import dataclass

import shapely
from shapely import LineString, Point
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from kehoach.adapters.geometry import from_geojson, length_m, to_geojson, to_metric, to_wgs84
from kehoach.adapters.spatial import SpatialIndex
from kehoach.db.models import Place, Street, Ward
from kehoach.domain.enums import SiteKind
from kehoach.domain.errors import InvalidGeometry
from kehoach.domain.text import name_key

# IV.2 of the plan: the Culture Centre decorates these main streets.
MAIN_STREETS = ("khuat duy tien", "nguyen trai", "le van luong")
# Junctions for panel clusters: (street A, street B, common name or ""), street A is the
# one the cluster is filed under.
JUNCTIONS = (
    ("khuat duy tien", "nguyen trai", ""),
    ("khuat duy tien", "le van luong", ""),
    ("nguyen trai", "truong chinh", "Ngã Tư Sở"),
    ("nguyen trai", "nguyen tuan", ""),
    ("nguyen trai", "vu trong phung", ""),
    ("le van luong", "hoang minh giam", ""),
    ("nguyen trai", "khuong dinh", ""),
    ("le van luong", "hoang dao thuy", ""),
    ("khuat duy tien", "nguyen huy tuong", ""),
    ("truong chinh", "giai phong", "Ngã Tư Vọng"),
)
# Places that hang the national flag: agencies, schools, health and public services.
FLAG_PLACE_KINDS = frozenset({"police", "school", "university"})
FLAG_PLACE_PREFIXES = ("trung tam", "tram y te", "benh vien", "buu dien", "vien ", "dinh ")
# Streets a ward does not decorate: expressways, tunnels, bridges, the main streets.
NOT_WARD_STREET_HIGHWAYS = frozenset({"motorway", "trunk"})
NOT_WARD_STREET_PREFIXES = ("cau ", "ham chui", "cao toc", "vanh dai")


INSIDE_MARGIN_M = 10.0  # keep demo geometry this far inside the district
WARD_MARGIN_M = 15.0
FLAG_SPACING_M = 30.0  # one pennant per lamp post, about every 30 m
FLAG_LINE_M = (150.0, 600.0)
BANNER_M = (20.0, 60.0)
WARD_STREETS_PER_WARD = 2
MAX_JUNCTION_SHIFT_M = 80.0

SLOGANS = (
    "Nhiệt liệt chào mừng {occasion}",  # the campaign's occasion, filled in by finalise
    "Hà Nội – Thủ đô anh hùng, Thành phố vì hoà bình",
    "Phát huy truyền thống Thủ đô anh hùng, xây dựng Thủ đô văn hiến – văn minh – hiện đại",
    "Quận Thanh Xuân đoàn kết, đổi mới, chung sức xây dựng Thủ đô ngày càng giàu đẹp",
    "Đảng Cộng sản Việt Nam quang vinh muôn năm!",
    "Chủ tịch Hồ Chí Minh vĩ đại sống mãi trong sự nghiệp của chúng ta!",
    "Người Hà Nội thanh lịch, văn minh – Thanh Xuân sáng, xanh, sạch, đẹp",
)
FLAG_LINE_CONTENT = "Cờ Tổ quốc, cờ Đảng, cờ phướn chào mừng 70 năm Ngày Giải phóng Thủ đô"
NATIONAL_FLAG_CONTENT = "Treo cờ Tổ quốc tại trụ sở, cổng cơ quan, đơn vị"
LED_CONTENT = "Trình chiếu phóng sự, hình ảnh chào mừng 70 năm Ngày Giải phóng Thủ đô"


@dataclass
class Draft:
    """A demo site before status, dates and responsibility are assigned."""

    kind: SiteKind
    name: str
    geom: BaseGeometry  # WGS84, already rounded as stored
    point: Point  # representative point: the point itself, or the middle of a stretch
    ward_id: int | None
    street_id: int | None
    by_wards: bool  # IV.13 (ward People's Committees) rather than IV.2 (Culture Centre)
    address: str
    content: str
    place_id: int | None = None
    quantity: int = 1
    flags_expected: int = 0


@dataclass(frozen=True)
class _StreetInfo:
    """The few street attributes the generator needs, detached from the session."""

    id: int
    name: str
    key: str
    highway: str

    @property
    def short(self) -> str:
        """Return the name without 'Đường'/'Phố' for junction names."""
        for prefix in ("Đường ", "Phố "):
            if self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name


class DemoGenerator:
    """Walk the real streets, junctions and places and propose demo sites."""

    def __init__(self, session: Session, index: SpatialIndex, rng: random.Random) -> None:
        self.index = index
        self.rng = rng
        streets = session.scalars(select(Street).order_by(Street.name_key))
        self.streets = {
            s.name_key: _StreetInfo(s.id, s.name, s.name_key, s.highway) for s in streets
        }
        self.wards = {w.id: w for w in session.scalars(select(Ward).order_by(Ward.code))}
        self.places = list(session.scalars(select(Place).order_by(Place.osm_type, Place.osm_id)))
        self.inside_m = to_metric(index.district).buffer(-INSIDE_MARGIN_M)
        self._drafts: list[Draft] = []

    def drafts(self) -> list[Draft]:
        """Return every proposed site, in a stable order."""
        junction_points = self._junctions()
        self._main_streets()
        self._ward_streets()
        self._places()
        self._led_screens(junction_points)
        return self._drafts

    # --- panel clusters at junctions -------------------------------------------------------

    def _junctions(self) -> list[tuple[_StreetInfo, Point, str]]:
        found = []
        for key_a, key_b, common in JUNCTIONS:
            a, b = self.streets.get(key_a), self.streets.get(key_b)
            if a is None or b is None:
                continue
            point = self._junction_point(a, b)
            if point is None:
                continue
            label = f"{a.short} – {b.short}" + (f" ({common})" if common else "")
            self._add_point(
                SiteKind.PANEL_CLUSTER,
                f"Cụm pa-nô nút giao {label}",
                point,
                a,
                by_wards=False,
                address=f"Nút giao {label}",
                content=self.rng.choice(SLOGANS),
                quantity=self.rng.randint(3, 6),
            )
            found.append((a, point, label))
        return found

    def _junction_point(self, a: _StreetInfo, b: _StreetInfo) -> Point | None:
        crossings = self.index.intersections(a.id, b.id)
        if not crossings:
            return None
        metric = [to_metric(p) for p in crossings]
        inside = [p for p in metric if self.inside_m.covers(p)]
        if inside:
            centre = shapely.MultiPoint(metric).centroid
            return to_wgs84(min(inside, key=lambda p: (p.distance(centre), p.x, p.y)))
        # The junction is on the district boundary (Ngã Tư Sở): file the cluster on the
        # district's side, on street A, if that side is near enough.
        street_inside = to_metric(self.index.street_geometry(a.id)).intersection(self.inside_m)
        if street_inside.is_empty:
            return None
        nearest = shapely.shortest_line(street_inside, metric[0])
        shifted = Point(nearest.coords[0])
        if shifted.distance(metric[0]) > MAX_JUNCTION_SHIFT_M:
            return None
        return to_wgs84(shifted)

    # --- the Culture Centre's main streets ---------------------------------------------------

    def _main_streets(self) -> None:
        for key in MAIN_STREETS:
            street = self.streets.get(key)
            if street is None:
                continue
            pieces = self._pieces(street, self.inside_m)
            if not pieces:
                continue
            self._flag_lines_along(street, pieces[0])
            for n in range(3):
                self._panel_on(street, pieces[n % len(pieces)], by_wards=False, number=n + 1)
            for n in range(2):
                # The other carriageway when there is one, so banners face both directions.
                self._banner_on(street, pieces[min(1, len(pieces) - 1)], False, number=n + 1)

    def _flag_lines_along(self, street: _StreetInfo, piece: LineString) -> None:
        position = self.rng.uniform(30.0, 120.0)
        number = 0
        while number < 6:
            length = min(self.rng.uniform(*FLAG_LINE_M), piece.length - position)
            if length < FLAG_LINE_M[0]:
                break
            number += 1
            self._add_stretch(
                SiteKind.FLAG_LINE,
                f"Cờ phướn {street.name} (đoạn {number})",
                street,
                piece,
                position,
                position + length,
                by_wards=False,
                content=FLAG_LINE_CONTENT,
            )
            position += length + self.rng.uniform(100.0, 350.0)

    # --- the wards' registered streets ---------------------------------------------------------

    def _ward_streets(self) -> None:
        for ward_id in self.wards:
            area = to_metric(self.index.ward_geometry(ward_id)).buffer(-WARD_MARGIN_M)
            area = area.intersection(self.inside_m)
            candidates = []
            for street in self.streets.values():
                if not self._is_ward_street(street):
                    continue
                pieces = self._pieces(street, area)
                if pieces and pieces[0].length >= 100.0:
                    candidates.append((-pieces[0].length, street.key, street, pieces[0]))
            for _, _, street, piece in sorted(candidates)[:WARD_STREETS_PER_WARD]:
                self._ward_street_sites(street, piece)

    def _ward_street_sites(self, street: _StreetInfo, piece: LineString) -> None:
        length = min(self.rng.uniform(*FLAG_LINE_M), piece.length)
        if length >= FLAG_LINE_M[0]:
            start = self.rng.uniform(0.0, piece.length - length)
            self._add_stretch(
                SiteKind.FLAG_LINE,
                f"{self.rng.choice(('Cờ phướn', 'Cờ dây'))} {street.name}",
                street,
                piece,
                start,
                start + length,
                by_wards=True,
                content=FLAG_LINE_CONTENT,
            )
            if self.rng.random() < 0.6:
                self._banner_on(street, piece, True, number=0)
        else:
            self._banner_on(street, piece, True, number=0)
        if self.rng.random() < 0.6:
            self._panel_on(street, piece, by_wards=True, number=0)

    def _is_ward_street(self, street: _StreetInfo) -> bool:
        return not (
            street.key in MAIN_STREETS
            or street.highway in NOT_WARD_STREET_HIGHWAYS
            or street.key.startswith(NOT_WARD_STREET_PREFIXES)
        )

    # --- national flags at places, LED screens -----------------------------------------------

    def _places(self) -> None:
        for place in self.places:
            key = name_key(place.name)
            if place.kind not in FLAG_PLACE_KINDS and not key.startswith(FLAG_PLACE_PREFIXES):
                continue
            point = Point(round(place.lon, 6), round(place.lat, 6))
            if not self.inside_m.covers(to_metric(point)):
                continue
            nearest = self.index.nearest_street(point.x, point.y)
            big = place.kind in FLAG_PLACE_KINDS or key.startswith("benh vien")
            flags = self.rng.randint(2, 6) if big else self.rng.randint(1, 3)
            ward_id = self.index.ward_at(point.x, point.y) or place.ward_id
            ward = self.wards.get(ward_id or -1)
            self._drafts.append(
                Draft(
                    kind=SiteKind.NATIONAL_FLAG,
                    name=f"Cờ Tổ quốc – {place.name}",
                    geom=point,
                    point=point,
                    ward_id=ward_id,
                    street_id=nearest[0] if nearest else None,
                    place_id=place.id,
                    by_wards=True,
                    address=place.address or (f"phường {ward.name}" if ward else ""),
                    content=NATIONAL_FLAG_CONTENT,
                    quantity=flags,
                    flags_expected=flags,
                )
            )

    def _led_screens(self, junctions: list[tuple[_StreetInfo, Point, str]]) -> None:
        for street, point, label in junctions[:2]:
            pieces = self._pieces(street, self.inside_m)
            if not pieces:
                continue
            piece = min(pieces, key=lambda p: p.distance(to_metric(point)))
            along = piece.project(to_metric(point)) + 40.0
            if along > piece.length:
                along = max(0.0, piece.length - 40.0)
            self._add_point(
                SiteKind.LED_SCREEN,
                f"Màn hình LED gần nút giao {label}",
                to_wgs84(_beside(piece, along, 12.0)),
                street,
                by_wards=False,
                address=f"{street.name}, gần nút giao {label}",
                content=LED_CONTENT,
            )

    # --- building blocks ---------------------------------------------------------------------

    def _pieces(self, street: _StreetInfo, area: BaseGeometry) -> list[LineString]:
        """Return the parts of a street inside ``area`` (metric), longest first."""
        inside = to_metric(self.index.street_geometry(street.id)).intersection(area)
        merged = shapely.line_merge(inside) if not inside.is_empty else inside
        parts = [g for g in shapely.get_parts(merged) if isinstance(g, LineString) and g.length > 0]
        return sorted(parts, key=lambda g: (-g.length, g.coords[0]))

    def _panel_on(
        self, street: _StreetInfo, piece: LineString, by_wards: bool, number: int
    ) -> None:
        for _ in range(5):
            along = self.rng.uniform(0.1, 0.9) * piece.length
            side = self.rng.choice((-1.0, 1.0)) * self.rng.uniform(6.0, 10.0)
            point = to_wgs84(_beside(piece, along, side))
            nearest = self.index.nearest_street(point.x, point.y)
            if nearest and nearest[0] == street.id and self.index.contains(point.x, point.y):
                suffix = f" (vị trí {number})" if number else ""
                self._add_point(
                    SiteKind.PANEL,
                    f"Pa-nô {street.name}{suffix}",
                    point,
                    street,
                    by_wards=by_wards,
                    address=self._address(street, point),
                    content=self.rng.choice(SLOGANS),
                )
                return

    def _banner_on(
        self, street: _StreetInfo, piece: LineString, by_wards: bool, number: int
    ) -> None:
        length = min(self.rng.uniform(*BANNER_M), piece.length)
        start = self.rng.uniform(0.0, piece.length - length)
        suffix = f" (vị trí {number})" if number else ""
        self._add_stretch(
            SiteKind.BANNER,
            f"Băng-rôn {street.name}{suffix}",
            street,
            piece,
            start,
            start + length,
            by_wards=by_wards,
            content=self.rng.choice(SLOGANS),
            quantity=self.rng.randint(1, 2),
        )

    def _add_stretch(
        self,
        kind: SiteKind,
        name: str,
        street: _StreetInfo,
        piece: LineString,
        start_m: float,
        end_m: float,
        by_wards: bool,
        content: str,
        quantity: int = 1,
    ) -> None:
        start = to_wgs84(piece.interpolate(start_m))
        end = to_wgs84(piece.interpolate(end_m))
        try:
            line = self.index.snap_stretch(street.id, (start.x, start.y), (end.x, end.y))
        except InvalidGeometry:
            return
        line = from_geojson(to_geojson(line))
        if not self.index.district.covers(line):
            return
        middle = to_wgs84(to_metric(line).interpolate(0.5, normalized=True))
        flags = max(1, round(length_m(line) / FLAG_SPACING_M)) if kind == SiteKind.FLAG_LINE else 0
        self._drafts.append(
            Draft(
                kind=kind,
                name=name,
                geom=line,
                point=Point(round(middle.x, 7), round(middle.y, 7)),
                ward_id=self.index.ward_at(middle.x, middle.y),
                street_id=street.id,
                by_wards=by_wards,
                address=self._address(street, middle),
                content=content,
                quantity=flags or quantity,
                flags_expected=flags,
            )
        )

    def _add_point(
        self,
        kind: SiteKind,
        name: str,
        point: Point,
        street: _StreetInfo,
        by_wards: bool,
        address: str,
        content: str,
        quantity: int = 1,
    ) -> None:
        point = Point(round(point.x, 6), round(point.y, 6))
        if not self.index.contains(point.x, point.y):
            return
        self._drafts.append(
            Draft(
                kind=kind,
                name=name,
                geom=point,
                point=point,
                ward_id=self.index.ward_at(point.x, point.y),
                street_id=street.id,
                by_wards=by_wards,
                address=address,
                content=content,
                quantity=quantity,
            )
        )

    def _address(self, street: _StreetInfo, point: Point) -> str:
        ward = self.wards.get(self.index.ward_at(point.x, point.y) or -1)
        return f"{street.name}, phường {ward.name}" if ward else street.name


def _beside(line: LineString, along_m: float, side_m: float) -> Point:
    """Return the point ``side_m`` metres left (+) or right (-) of a metric line."""
    along_m = min(max(along_m, 0.0), line.length)
    here = line.interpolate(along_m)
    ahead = line.interpolate(min(along_m + 1.0, line.length))
    behind = line.interpolate(max(along_m - 1.0, 0.0))
    dx, dy = ahead.x - behind.x, ahead.y - behind.y
    norm = (dx * dx + dy * dy) ** 0.5 or 1.0
    return Point(here.x - dy / norm * side_m, here.y + dx / norm * side_m)
