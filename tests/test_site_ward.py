"""A ward officer's point over an approximate ward boundary: told where, allowed to correct."""

from __future__ import annotations

import pytest

from kehoach.adapters.geometry import to_metric, to_wgs84
from kehoach.db.engine import read_session
from kehoach.db.models import Site
from kehoach.domain.enums import Role, SiteKind
from kehoach.domain.errors import PointFarFromWard, PointInOtherWard
from kehoach.i18n import t
from kehoach.services.geography import spatial_index
from kehoach.services.site_ward import WARD_CORRECTION_TOLERANCE_M
from kehoach.services.sites import NewSite, create_site
from tests.factories import make_user, ward_id

OWN = "00349"


def outside_own_ward(engine, metres: float) -> tuple[float, float]:
    """Return (lon, lat) about ``metres`` outside the officer's ward, inside another ward."""
    index = spatial_index(engine)
    own = ward_id(engine, OWN)
    ward = to_metric(index.ward_geometry(own))
    ring = ward.buffer(metres).exterior
    for step in range(200):
        point = to_wgs84(ring.interpolate(step / 200, normalized=True))
        found = index.ward_at(point.x, point.y)
        if found is not None and found != own and index.contains(point.x, point.y):
            return point.x, point.y
    raise AssertionError("no neighbouring ward found")


def _new(lon: float, lat: float, ward: int | None = None) -> NewSite:
    return NewSite(SiteKind.PANEL, lon, lat, name="Pa-nô", ward_id=ward)


def test_a_point_over_the_boundary_names_its_ward_and_the_tolerance(engine) -> None:
    officer = make_user(engine, "phuong", Role.WARD_OFFICER, ward_code=OWN)
    lon, lat = outside_own_ward(engine, 60)
    with pytest.raises(PointInOtherWard) as info:
        create_site(engine, officer, _new(lon, lat))
    message = t(info.value.code, **info.value.params)
    other = spatial_index(engine).ward_at(lon, lat)
    assert info.value.params["ward"] != info.value.params["own"]
    assert f"{WARD_CORRECTION_TOLERANCE_M} m" in message and "chọn phường" in message
    assert other != ward_id(engine, OWN)


def test_the_officer_may_correct_the_ward_within_the_tolerance(engine) -> None:
    officer = make_user(engine, "phuong", Role.WARD_OFFICER, ward_code=OWN)
    own = ward_id(engine, OWN)
    lon, lat = outside_own_ward(engine, 60)
    site_id = create_site(engine, officer, _new(lon, lat, ward=own))
    with read_session(engine) as s:
        assert s.get(Site, site_id).ward_id == own


def test_a_point_far_outside_cannot_be_moved_into_the_officers_ward(engine) -> None:
    officer = make_user(engine, "phuong", Role.WARD_OFFICER, ward_code=OWN)
    lon, lat = outside_own_ward(engine, 400)
    with pytest.raises(PointFarFromWard) as info:
        create_site(engine, officer, _new(lon, lat, ward=ward_id(engine, OWN)))
    assert info.value.params["distance"] > WARD_CORRECTION_TOLERANCE_M
    assert "{" not in t(info.value.code, **info.value.params)


def test_staff_are_not_limited_by_the_tolerance(engine) -> None:
    staff = make_user(engine, "canbo", Role.STAFF)
    lon, lat = outside_own_ward(engine, 400)
    assert create_site(engine, staff, _new(lon, lat, ward=ward_id(engine, OWN)))
