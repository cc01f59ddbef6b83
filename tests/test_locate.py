"""Locating position texts: expected geometry is computed here from the shipped streets."""

from __future__ import annotations

import json

import pytest
import shapely
from shapely import LineString, Point
from sqlalchemy import Engine, select

from kehoach.adapters.geometry import from_geojson, to_metric
from kehoach.cli import main
from kehoach.db.engine import read_session
from kehoach.db.models import Place, Street
from kehoach.domain.enums import Role
from kehoach.domain.permissions import Actor
from kehoach.domain.position_text import Gazetteer, ReadingKind, read_position
from kehoach.services.geography import spatial_index
from kehoach.services.locate import locate, locate_many
from kehoach.services.places import NewPlace, create_place


def street_m(engine: Engine, name: str):
    """Return a street's centreline in metres, straight from the database row."""
    with read_session(engine) as s:
        text = s.scalar(select(Street.geojson).where(Street.name == name))
    assert text is not None, name
    return to_metric(from_geojson(text))


def crossing_m(engine: Engine, a: str, b: str) -> Point:
    """Return the centroid of every point where two shipped streets cross (metres)."""
    meeting = street_m(engine, a).intersection(street_m(engine, b))
    points = shapely.get_parts(shapely.extract_unique_points(meeting))
    assert len(points), (a, b)
    return shapely.MultiPoint(list(points)).centroid


def metres_apart(geom_wgs84, point_m: Point) -> float:
    return to_metric(geom_wgs84).distance(point_m)


NT, KDT, LVL, NTU = (
    "Đường Nguyễn Trãi",
    "Đường Khuất Duy Tiến",
    "Đường Lê Văn Lương",
    "Đường Nguyễn Tuân",
)


@pytest.mark.parametrize(
    ("text", "a", "b"),
    [
        ("Ngã tư Nguyễn Trãi - Khuất Duy Tiến", NT, KDT),
        ("Ngã tư Khuất Duy Tiến – Nguyễn Trãi", KDT, NT),
        ("nút giao Nguyễn Trãi — Khuất Duy Tiến", NT, KDT),
        ("giao lộ đường Khuất Duy Tiến ‑ đường Nguyễn Trãi", KDT, NT),
        ("Khuất Duy Tiến giao Nguyễn Trãi", KDT, NT),
        ("ngã ba Khuat Duy Tien va Le Van Luong", KDT, LVL),
        ("Góc phố Lê Văn Lương/Nguyễn Tuân, cột đèn số 3", LVL, NTU),
        ("NGÃ TƯ NGUYỄN TUÂN × NGUYỄN TRÃI", NTU, NT),
    ],
)
def test_crossings_land_on_the_streets_crossing(engine: Engine, text: str, a: str, b: str):
    found = locate(engine, text)
    assert found.source == "crossing", found.explanation
    assert found.needs_confirmation is False
    assert isinstance(found.geometry, Point)
    assert metres_apart(found.geometry, crossing_m(engine, a, b)) < 5
    assert found.street == a
    assert found.explanation.startswith("Giao lộ ") and " × " in found.explanation
    assert found.ward


def test_crossing_in_either_order_is_the_same_point(engine: Engine):
    one, two = locate_many(
        engine, ["Nguyễn Trãi giao Khuất Duy Tiến", "Khuất Duy Tiến/Nguyễn Trãi"]
    )
    assert one.geometry is not None and two.geometry is not None
    assert to_metric(one.geometry).distance(to_metric(two.geometry)) < 0.01
    assert one.explanation == "Giao lộ Nguyễn Trãi × Khuất Duy Tiến"


@pytest.mark.parametrize(
    ("text", "host", "start", "end"),
    [
        (
            "dải phân cách giữa đường Khuất Duy Tiến, đoạn từ Nguyễn Trãi đến Lê Văn Lương",
            KDT,
            NT,
            LVL,
        ),
        ("Khuất Duy Tiến từ Lê Văn Lương tới Nguyễn Trãi", KDT, LVL, NT),
        ("Cờ phướn phố Nguyễn Trãi, đoạn Khuất Duy Tiến – Nguyễn Tuân", NT, KDT, NTU),
        ("nguyen trai doan tu nguyen tuan den khuat duy tien", NT, NTU, KDT),
    ],
)
def test_stretches_follow_the_street_between_its_crossings(
    engine: Engine, text: str, host: str, start: str, end: str
):
    found = locate(engine, text)
    assert found.source == "stretch", found.explanation
    line = found.geometry
    assert isinstance(line, LineString)
    line_m = to_metric(line)
    # The ends are at the two crossings (a dual carriageway's far side is ~35 m away).
    assert Point(line_m.coords[0]).distance(crossing_m(engine, host, start)) < 40
    assert Point(line_m.coords[-1]).distance(crossing_m(engine, host, end)) < 40
    # Every vertex lies on the named street.
    street = street_m(engine, host)
    assert max(Point(c).distance(street) for c in line_m.coords) < 1
    assert found.street == host
    assert found.needs_confirmation is False
    metres = round(line_m.length)
    assert f"({metres} m)" in found.explanation or "km)" in found.explanation


def test_stretch_explanation_names_the_street_and_ends(engine: Engine):
    text = "dải phân cách giữa đường Khuất Duy Tiến, đoạn từ Nguyễn Trãi đến Lê Văn Lương"
    found = locate(engine, text)
    assert found.explanation.startswith("Đoạn Khuất Duy Tiến từ Nguyễn Trãi đến Lê Văn Lương (")


@pytest.mark.parametrize(
    ("text", "street", "number"),
    [
        ("trước cửa số 9 Khương Đình", "Đường Khương Đình", "9"),
        ("vỉa hè phố Hạ Đình", "Phố Hạ Đình", ""),
        ("Số nhà 120 đường Vũ Tông Phan", "Phố Vũ Tông Phan", "120"),
        ("pa-nô phố Hoàng Đạo Thuý", "Phố Hoàng Đạo Thúy", ""),  # old tone placement
    ],
)
def test_a_street_alone_is_a_point_on_it_to_confirm(
    engine: Engine, text: str, street: str, number: str
):
    found = locate(engine, text)
    assert found.source == "street"
    assert found.needs_confirmation is True
    assert isinstance(found.geometry, Point)
    assert metres_apart(found.geometry, street_m(engine, street)) < 1
    assert spatial_index(engine).contains(found.geometry.x, found.geometry.y)
    assert found.street == street
    assert "cần xác nhận" in found.explanation
    if number:
        assert f"số {number}" in found.explanation


def test_a_registered_place_is_located_at_its_point(engine: Engine):
    admin = Actor(None, "cli", Role.ADMIN)
    place_id = create_place(
        engine, admin, NewPlace("UBND phường Khương Mai", "ward_hq", 105.8262, 20.9985)
    )
    found = locate(engine, "Trụ sở Ủy ban nhân dân P. Khương Mai")
    with read_session(engine) as s:
        place = s.get(Place, place_id)
        assert place is not None
        expected = (place.lon, place.lat)
    assert found.source == "place"
    assert isinstance(found.geometry, Point)
    assert (found.geometry.x, found.geometry.y) == expected
    assert found.explanation == "UBND phường Khương Mai"
    assert found.needs_confirmation is False


def test_a_shipped_school_is_found_by_its_short_name(engine: Engine):
    with read_session(engine) as s:
        lon, lat = s.execute(
            select(Place.lon, Place.lat).where(Place.name.like("%Lương Thế Vinh%"))
        ).one()
    found = locate(engine, "cổng trường THCS Luong The Vinh")
    assert found.source == "place"
    assert found.geometry is not None
    assert (found.geometry.x, found.geometry.y) == (lon, lat)


def test_coordinates_in_the_text_are_used_as_they_are(engine: Engine):
    found = locate(engine, "Cột cờ tại 21.0012, 105.8123")
    assert found.source == "coordinates"
    assert found.geometry is not None
    assert (found.geometry.x, found.geometry.y) == (105.8123, 21.0012)
    assert found.ward


@pytest.mark.parametrize("text", ["gần chợ đầu mối phía nam", "", "Ngã tư Khương Đình - Hạ Đình"])
def test_what_cannot_be_placed_says_why(engine: Engine, text: str):
    found = locate(engine, text)
    assert found.source == "unplaced"
    assert found.geometry is None
    assert found.explanation


def test_parser_reads_kinds_without_geometry():
    gazetteer = Gazetteer.build(
        {
            "Đường Nguyễn Trãi": ["Đường Nguyễn Trãi"],
            "Phố Khương Đình": ["Phố Khương Đình"],
            "Đường Trường Chinh": ["Đường Trường Chinh"],
        },  # fmt: skip
        ["Khương Đình"],
    )
    crossing = read_position("NGÃ TƯ Nguyen Trai — Khương Đình", gazetteer)
    assert crossing.kind is ReadingKind.CROSSING
    assert [a.name for a in crossing.streets] == ["Đường Nguyễn Trãi", "Phố Khương Đình"]
    # "phường Khương Đình" is a ward, not the street of the same name.
    ward_only = read_position("nhà văn hoá phường Khương Đình", gazetteer)
    assert ward_only.kind is ReadingKind.UNPLACED and ward_only.ward == "Khương Đình"
    junction = read_position("Ngã Tư Sở", gazetteer)
    assert junction.kind is ReadingKind.CROSSING
    assert junction.streets[0].streets == ("Đường Nguyễn Trãi", "Đường Trường Chinh")


def test_cli_locate_prints_geojson_and_fields(db_url: str, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["locate", "Ngã tư Nguyễn Trãi - Khuất Duy Tiến", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["geometry"]["type"] == "Point"
    assert data["location_source"] == "crossing"
    assert data["needs_confirmation"] is False
    assert data["street"] == NT
    assert data["ward"]
    assert data["explanation"] == "Giao lộ Nguyễn Trãi × Khuất Duy Tiến"
    assert main(["locate", "vỉa hè phố Hạ Đình"]) == 0
    assert "cần xác nhận" in capsys.readouterr().out


def test_five_thousand_texts_are_each_read_one_way(engine: Engine):
    phrasings = [
        "Ngã tư Nguyễn Trãi - Khuất Duy Tiến, pa-nô {i}",
        "dải phân cách đường Khuất Duy Tiến, đoạn từ Nguyễn Trãi đến Lê Văn Lương ({i})",
        "trước cửa số {i} Khương Đình",
        "Trạm y tế phường Khương Mai, cờ {i}",
        "điểm {i} không rõ vị trí",
    ]
    texts = [phrasings[i % len(phrasings)].format(i=i) for i in range(5000)]
    found = locate_many(engine, texts)
    assert len(found) == 5000
    assert {f.source for f in found} == {"crossing", "stretch", "street", "place", "unplaced"}
    # The same phrasing is always read the same way (the timing is in the benchmark).
    for i, location in enumerate(found):
        assert location.source == found[i % len(phrasings)].source
