"""SpatialIndex: wards, nearest streets, snapped stretches and crossings on the real geodata."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import shapely
from shapely import LineString, MultiLineString, Point
from shapely.affinity import translate
from shapely.ops import substring
from sqlalchemy import select

from kehoach.adapters.geometry import from_geojson, to_geojson, to_metric, to_wgs84
from kehoach.adapters.spatial import SpatialIndex
from kehoach.db.engine import make_engine, read_session
from kehoach.db.models import Street, Ward
from kehoach.domain.errors import InvalidGeometry
from kehoach.domain.text import name_key
from kehoach.services.bootstrap import init_database
from kehoach.services.geography import load_spatial_index


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Initialise one database; return its index, wards and streets (keyed by name_key)."""
    path: Path = tmp_path_factory.mktemp("spatial") / "t.db"
    engine = make_engine(f"sqlite:///{path}")
    init_database(engine)
    with read_session(engine) as s:
        index = load_spatial_index(s)
        wards = {w.id: from_geojson(w.geojson) for w in s.scalars(select(Ward))}
        streets = {st.name_key: st for st in s.scalars(select(Street))}
    engine.dispose()
    return {"index": index, "wards": wards, "streets": streets}


def _street(db: dict[str, object], name: str) -> Street:
    return db["streets"][name_key(name)]  # type: ignore[index]


def _longest_part_m(street: Street) -> LineString:
    geom = shapely.line_merge(to_metric(from_geojson(street.geojson)))
    if isinstance(geom, MultiLineString):
        return max(geom.geoms, key=lambda g: g.length)
    return geom


def _beside(line: LineString, along: float, side: float) -> Point:
    """Return a metric point ``side`` metres to the left of ``line`` at ``along``."""
    here, ahead = line.interpolate(along), line.interpolate(along + 1.0)
    dx, dy = ahead.x - here.x, ahead.y - here.y
    norm = (dx * dx + dy * dy) ** 0.5
    return Point(here.x - dy / norm * side, here.y + dx / norm * side)


def _lonlat(point_m: Point) -> tuple[float, float]:
    p = to_wgs84(point_m)
    return p.x, p.y


def test_ward_at_returns_the_ward_of_its_representative_point(db: dict[str, object]) -> None:
    index: SpatialIndex = db["index"]  # type: ignore[assignment]
    wards: dict[int, shapely.Geometry] = db["wards"]  # type: ignore[assignment]
    assert len(wards) == 11
    for ward_id, polygon in wards.items():
        p = polygon.representative_point()
        assert index.ward_at(p.x, p.y) == ward_id


def test_ward_at_tolerates_a_gap_of_50_m_but_not_more(db: dict[str, object]) -> None:
    index: SpatialIndex = db["index"]  # type: ignore[assignment]
    district_m = to_metric(index.district)
    near = _lonlat(district_m.buffer(20.0).exterior.interpolate(0.0))
    far = _lonlat(district_m.buffer(500.0).exterior.interpolate(0.0))
    assert not index.contains(*near)
    assert index.ward_at(*near) is not None
    assert index.ward_at(*far) is None


def test_ward_at_picks_the_nearest_ward_across_a_gap() -> None:
    origin = to_metric(Point(105.81, 20.99))
    square = shapely.box(0, 0, 100, 100)
    left = to_wgs84(translate(square, origin.x, origin.y))
    right = to_wgs84(translate(square, origin.x + 140, origin.y))
    index = SpatialIndex(left.union(right).envelope, [(1, left), (2, right)], [])
    assert index.ward_at(*_lonlat(Point(origin.x + 130, origin.y + 50))) == 2
    assert index.ward_at(*_lonlat(Point(origin.x + 110, origin.y + 50))) == 1
    assert index.ward_at(*_lonlat(Point(origin.x + 50, origin.y - 60))) is None


def test_nearest_street_near_nguyen_trai_is_nguyen_trai(db: dict[str, object]) -> None:
    index: SpatialIndex = db["index"]  # type: ignore[assignment]
    street = _street(db, "Đường Nguyễn Trãi")
    rows: dict[str, Street] = db["streets"]  # type: ignore[assignment]
    others = shapely.union_all(
        [to_metric(from_geojson(s.geojson)) for s in rows.values() if s.id != street.id]
    )
    line = _longest_part_m(street)
    # Away from the Thanh Xuân underpass, which runs along Nguyễn Trãi for a while.
    candidates = (_beside(line, line.length * k / 100, 6.0) for k in range(5, 95))
    point = next(p for p in candidates if others.distance(p) > 40.0)
    found = index.nearest_street(*_lonlat(point))
    assert found is not None
    assert found[0] == street.id
    assert found[1] == pytest.approx(6.0, abs=0.05)


def test_nearest_street_returns_none_200_m_from_any_street(db: dict[str, object]) -> None:
    index: SpatialIndex = db["index"]  # type: ignore[assignment]
    rows: dict[str, Street] = db["streets"]  # type: ignore[assignment]
    streets = shapely.union_all([to_metric(from_geojson(s.geojson)) for s in rows.values()])
    minx, miny, maxx, maxy = (int(v) for v in to_metric(index.district).buffer(1000).bounds)
    grid = (Point(x, y) for x in range(minx, maxx, 50) for y in range(miny, maxy, 50))
    lonely = next(p for p in grid if streets.distance(p) > 200.0)
    assert index.nearest_street(*_lonlat(lonely)) is None
    found = index.nearest_street(*_lonlat(lonely), max_m=5000.0)
    assert found is not None
    assert found[1] == pytest.approx(streets.distance(lonely), abs=0.5)


def test_snap_stretch_follows_the_centreline(db: dict[str, object]) -> None:
    index: SpatialIndex = db["index"]  # type: ignore[assignment]
    street = _street(db, "Đường Nguyễn Trãi")
    line = _longest_part_m(street)
    start, end = _beside(line, 1000.0, 12.0), _beside(line, 1400.0, -8.0)
    stretch = index.snap_stretch(street.id, _lonlat(start), _lonlat(end))
    stretch_m = to_metric(stretch)
    along = line.project(end) - line.project(start)
    assert stretch_m.length == pytest.approx(along, abs=1.0)
    assert stretch_m.length == pytest.approx(400.0, abs=2.0)
    first, last = Point(stretch_m.coords[0]), Point(stretch_m.coords[-1])
    assert line.distance(first) < 0.01 and line.distance(last) < 0.01
    assert first.distance(start) == pytest.approx(12.0, abs=0.1)
    assert last.distance(end) == pytest.approx(8.0, abs=0.1)


def test_snap_stretch_keeps_the_drawn_direction(db: dict[str, object]) -> None:
    index: SpatialIndex = db["index"]  # type: ignore[assignment]
    street = _street(db, "Đường Lê Văn Lương")
    line = _longest_part_m(street)
    a, b = _lonlat(line.interpolate(300.0)), _lonlat(line.interpolate(500.0))
    forward = index.snap_stretch(street.id, a, b)
    backward = index.snap_stretch(street.id, b, a)
    assert forward.coords[0] == pytest.approx(backward.coords[-1])
    assert forward.coords[-1] == pytest.approx(backward.coords[0])


def test_snap_stretch_uses_the_carriageway_nearest_the_points(db: dict[str, object]) -> None:
    index: SpatialIndex = db["index"]  # type: ignore[assignment]
    street = _street(db, "Đường Khuất Duy Tiến")
    parts = sorted(to_metric(from_geojson(street.geojson)).geoms, key=lambda g: -g.length)
    second = parts[1]
    a, b = second.interpolate(200.0), second.interpolate(450.0)
    stretch_m = to_metric(index.snap_stretch(street.id, _lonlat(a), _lonlat(b)))
    assert stretch_m.hausdorff_distance(substring(second, 200.0, 450.0)) < 0.05


def test_snap_stretch_refuses_far_or_tiny_stretches(db: dict[str, object]) -> None:
    index: SpatialIndex = db["index"]  # type: ignore[assignment]
    street = _street(db, "Đường Nguyễn Trãi")
    line = _longest_part_m(street)
    with pytest.raises(InvalidGeometry):
        index.snap_stretch(
            street.id, _lonlat(_beside(line, 500.0, 80.0)), _lonlat(_beside(line, 700.0, 80.0))
        )
    with pytest.raises(InvalidGeometry):
        index.snap_stretch(
            street.id, _lonlat(line.interpolate(500.0)), _lonlat(line.interpolate(503.0))
        )


def test_intersection_of_khuat_duy_tien_and_nguyen_trai(db: dict[str, object]) -> None:
    index: SpatialIndex = db["index"]  # type: ignore[assignment]
    kdt, nt = _street(db, "Đường Khuất Duy Tiến"), _street(db, "Đường Nguyễn Trãi")
    points = index.intersections(kdt.id, nt.id)
    assert points
    kdt_m, nt_m = to_metric(from_geojson(kdt.geojson)), to_metric(from_geojson(nt.geojson))
    for p in points:
        # The Thanh Xuân junction (Ngã tư Khuất Duy Tiến – Nguyễn Trãi), about 20.992 N 105.803 E.
        assert p.y == pytest.approx(20.992, abs=0.002)
        assert p.x == pytest.approx(105.803, abs=0.002)
        assert index.contains(p.x, p.y)
        assert kdt_m.distance(to_metric(p)) < 0.01 and nt_m.distance(to_metric(p)) < 0.01
    metric = [to_metric(p) for p in points]
    assert all(a.distance(b) > 30.0 for i, a in enumerate(metric) for b in metric[i + 1 :])


def test_intersections_merge_crossings_within_30_m(db: dict[str, object]) -> None:
    index: SpatialIndex = db["index"]  # type: ignore[assignment]
    lvl, hmg = _street(db, "Đường Lê Văn Lương"), _street(db, "Phố Hoàng Minh Giám")
    raw = to_metric(from_geojson(lvl.geojson)).intersection(to_metric(from_geojson(hmg.geojson)))
    assert len(shapely.get_parts(raw)) >= 2
    assert len(index.intersections(lvl.id, hmg.id)) == 1


def test_streets_that_do_not_cross_have_no_intersections(db: dict[str, object]) -> None:
    index: SpatialIndex = db["index"]  # type: ignore[assignment]
    kdt, gp = _street(db, "Đường Khuất Duy Tiến"), _street(db, "Đường Giải Phóng")
    assert index.intersections(kdt.id, gp.id) == []


def test_contains_and_street_length(db: dict[str, object]) -> None:
    index: SpatialIndex = db["index"]  # type: ignore[assignment]
    inside = index.district.representative_point()
    assert index.contains(inside.x, inside.y)
    assert not index.contains(105.85, 21.03)  # Hoàn Kiếm
    for name in ("Đường Nguyễn Trãi", "Phố Quan Nhân", "Ngõ 1"):
        street = _street(db, name)
        assert index.street_length_m(street.id) == pytest.approx(street.length_m, abs=1.0)


def test_index_from_plain_geojson_records_needs_no_database() -> None:
    origin = to_metric(Point(105.81, 20.99))
    square = shapely.box(0, 0, 100, 100)
    left = to_wgs84(translate(square, origin.x, origin.y))
    right = to_wgs84(translate(square, origin.x + 100, origin.y))
    road = to_wgs84(LineString([(origin.x, origin.y + 50), (origin.x + 200, origin.y + 50)]))
    index = SpatialIndex.from_records(
        to_geojson(left.union(right)),
        [(7, to_geojson(left)), (9, to_geojson(right))],
        [(3, to_geojson(road))],
    )
    assert (index.ward_ids, index.street_ids) == ([7, 9], [3])
    assert index.ward_at(*_lonlat(Point(origin.x + 150, origin.y + 20))) == 9
    found = index.nearest_street(*_lonlat(Point(origin.x + 30, origin.y + 60)))
    assert found is not None and found[0] == 3
    assert found[1] == pytest.approx(10.0, abs=0.05)
    assert index.street_length_m(3) == pytest.approx(200.0, abs=0.5)


ADAPTERS = Path(__file__).resolve().parent.parent / "kehoach" / "adapters"
PURE_ADAPTERS = [ADAPTERS / "spatial.py", *sorted((ADAPTERS / "summary_table").glob("*.py"))]


@pytest.mark.parametrize("path", PURE_ADAPTERS, ids=lambda p: p.name)
def test_adapter_imports_neither_the_database_nor_services(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert any(name.startswith("kehoach.") for name in imported)  # the walk saw the imports
    assert not [n for n in imported if n.startswith(("kehoach.db", "kehoach.services"))]
