"""Ward routes: who may register and remove them, whole streets and snapped stretches."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kehoach.adapters.geometry import from_geojson, length_m
from kehoach.db.engine import read_session
from kehoach.db.models import Street, WardRoute
from kehoach.domain.enums import Role
from kehoach.domain.errors import (
    InvalidGeometry,
    InvalidInput,
    NotFound,
    PermissionDenied,
    UnknownReference,
)
from kehoach.domain.progress import RouteExists
from kehoach.services.coverage import street_coverage
from kehoach.services.routes import list_routes, register_route, remove_route
from tests.factories import make_user, point_on_street, street_id, ward_id

STREET = "Phố Khương Trung"
OWN, OTHER = "00349", "00343"  # Khương Trung, Nhân Chính


@pytest.fixture
def people(engine):  # type: ignore[no-untyped-def]
    """Return one account per role; the ward officer belongs to Khương Trung."""
    return {
        "admin": make_user(engine, "quantri", Role.ADMIN),
        "staff": make_user(engine, "canbo", Role.STAFF),
        "officer": make_user(engine, "phuong", Role.WARD_OFFICER, ward_code=OWN),
        "leader": make_user(engine, "lanhdao", Role.LEADER),
        "inspector": make_user(engine, "kiemtra", Role.INSPECTOR),
    }


def test_ward_officer_registers_a_whole_street_for_their_ward(engine, people) -> None:
    officer = people["officer"]
    route_id = register_route(engine, officer, street_id(engine, STREET))
    [route] = list_routes(engine)
    assert route.id == route_id and route.ward_id == ward_id(engine, OWN)
    assert route.whole_street and route.geojson is None and route.name == STREET
    assert route.created_by == "phuong"
    # A whole street is as long as its corridor, the length coverage measures.
    [coverage] = [c for c in street_coverage(engine) if c.street_id == route.street_id]
    assert route.length_m == pytest.approx(coverage.length_m, abs=0.1)
    with read_session(engine) as s:
        inside = s.scalar(select(Street.length_inside_m).where(Street.name == STREET))
    assert 0 < route.length_m <= inside + 0.1
    with pytest.raises(RouteExists):
        register_route(engine, officer, street_id(engine, STREET))


def test_a_whole_dual_road_counts_its_length_once(engine, people) -> None:
    dual = "Đường Nguyễn Trãi"
    register_route(engine, people["admin"], street_id(engine, dual), ward_id(engine, OTHER))
    [route] = list_routes(engine)
    with read_session(engine) as s:
        both_carriageways = s.scalar(select(Street.length_inside_m).where(Street.name == dual))
    assert route.length_m < 0.6 * both_carriageways


@pytest.mark.parametrize("who", ["leader", "inspector"])
def test_roles_without_routes_are_refused(engine, people, who) -> None:
    with pytest.raises(PermissionDenied):
        register_route(engine, people[who], street_id(engine, STREET), ward_id(engine, OWN))
    assert list_routes(engine) == []


def test_ward_officer_cannot_register_for_another_ward(engine, people) -> None:
    with pytest.raises(PermissionDenied):
        register_route(engine, people["officer"], street_id(engine, STREET), ward_id(engine, OTHER))
    assert list_routes(engine) == []


@pytest.mark.parametrize("who", ["admin", "staff"])
def test_staff_and_admin_register_for_any_ward_but_must_name_it(engine, people, who) -> None:
    register_route(engine, people[who], street_id(engine, STREET), ward_id(engine, OTHER))
    assert [r.ward for r in list_routes(engine)] == ["Nhân Chính"]
    with pytest.raises(InvalidInput):
        register_route(engine, people[who], street_id(engine, STREET))


def test_a_stretch_is_snapped_to_the_centreline(engine, people) -> None:
    start = point_on_street(STREET, 0.2)
    end = point_on_street(STREET, 0.6)
    officer = people["officer"]
    route_id = register_route(
        engine, officer, street_id(engine, STREET), start=start, end=end, name="Đoạn chợ"
    )
    [route] = list_routes(engine, ward_id(engine, OWN))
    assert route.id == route_id and not route.whole_street and route.name == "Đoạn chợ"
    line = from_geojson(route.geojson)
    assert line.geom_type == "LineString"
    assert route.length_m == pytest.approx(length_m(line), abs=0.2)
    with read_session(engine) as s:
        whole = s.scalar(select(Street.length_inside_m).where(Street.name == STREET))
    # The taps were at 20 % and 60 % of the street: the stretch is about 40 % of it.
    assert 0.3 * whole < route.length_m < 0.5 * whole
    # A whole street and stretches of it may coexist; two identical stretches are allowed too.
    register_route(engine, officer, street_id(engine, STREET))
    assert len(list_routes(engine)) == 2


def test_bad_stretches_change_nothing(engine, people) -> None:
    officer = people["officer"]
    sid = street_id(engine, STREET)
    with pytest.raises(InvalidInput):
        register_route(engine, officer, sid, start=point_on_street(STREET, 0.2))
    far = point_on_street("Đường Nguyễn Trãi", 0.5)
    with pytest.raises(InvalidGeometry):
        register_route(engine, officer, sid, start=far, end=point_on_street(STREET, 0.5))
    with pytest.raises(UnknownReference):
        register_route(engine, officer, 99_999)
    with read_session(engine) as s:
        assert s.scalars(select(WardRoute)).all() == []


def test_only_the_own_ward_or_staff_remove_routes(engine, people) -> None:
    staff = people["staff"]
    other = register_route(engine, staff, street_id(engine, STREET), ward_id(engine, OTHER))
    own = register_route(engine, staff, street_id(engine, STREET), ward_id(engine, OWN))
    with pytest.raises(PermissionDenied):
        remove_route(engine, people["officer"], other)
    with pytest.raises(PermissionDenied):
        remove_route(engine, people["leader"], own)
    remove_route(engine, people["officer"], own)
    assert [r.id for r in list_routes(engine)] == [other]
    remove_route(engine, staff, other)
    assert list_routes(engine) == []
    with pytest.raises(NotFound):
        remove_route(engine, staff, other)
