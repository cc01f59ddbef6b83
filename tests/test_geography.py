"""One cache of the district's fixed geography per engine, and the site list's version stamp."""

from __future__ import annotations

from shapely.geometry import Point

from kehoach.adapters.geometry import to_metric
from kehoach.db.engine import make_engine
from kehoach.domain.enums import Role, SiteStatus
from kehoach.domain.permissions import Actor
from kehoach.services import geography, sites
from kehoach.services.queries import load_sites, site_list_version, street_options, ward_options
from tests.factories import make_site

ADMIN = Actor(None, "admin", Role.ADMIN)


def test_geography_is_built_once_per_engine_and_rebuilt_after_clearing(db_url) -> None:
    first, second = make_engine(db_url), make_engine(db_url)
    try:
        index = geography.spatial_index(first)
        assert geography.spatial_index(first) is index
        assert geography.street_layout(first) is geography.street_layout(first)
        assert geography.spatial_index(second) is not index  # keyed by engine, not by URL
        geography.clear_geography()
        rebuilt = geography.spatial_index(first)
        assert rebuilt is not index
        assert rebuilt.ward_ids == index.ward_ids
    finally:
        first.dispose()
        second.dispose()


def test_services_share_the_one_spatial_index(engine) -> None:
    assert sites.spatial_index is geography.spatial_index
    assert sites.spatial_index(engine) is geography.spatial_index(engine)


def test_names_and_layout_agree_with_the_database(engine) -> None:
    assert geography.ward_names(engine) == {o.id: o.label for o in ward_options(engine)}
    assert geography.street_names(engine) == {o.id: o.label for o in street_options(engine)}
    assert list(geography.ward_names(engine)) == [o.id for o in ward_options(engine)]
    layout = geography.street_layout(engine)
    assert layout.names == geography.street_names(engine)
    assert {ward_id for ward_id, *_ in layout.wards} == set(geography.ward_names(engine))


def test_district_zone_reaches_the_device_tolerance_beyond_the_outline(engine) -> None:
    zone = geography.district_zone(engine)
    district = to_metric(geography.spatial_index(engine).district)
    inside = district.representative_point()
    assert zone.covers(inside)
    assert zone.area > district.area
    far = Point(district.bounds[2] + 1000, inside.y)  # 1 km east of the easternmost point
    assert not zone.covers(far)


def test_site_list_version_changes_with_every_site_write_and_only_then(engine) -> None:
    from kehoach.services.sites import SiteChanges, bulk_update, update_site

    start = site_list_version(engine)
    assert site_list_version(engine) == start  # reading changes nothing
    site_id = make_site(engine)
    created = site_list_version(engine)
    assert created != start
    assert site_id in set(load_sites(engine)["id"])
    update_site(engine, ADMIN, site_id, 1, SiteChanges({"note": "đã sửa"}))
    edited = site_list_version(engine)
    assert edited not in (start, created)
    bulk_update(engine, ADMIN, [site_id], SiteChanges({"status": SiteStatus.INSTALLING.value}))
    assert site_list_version(engine) not in (start, created, edited)
