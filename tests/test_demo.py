"""The demo set: deterministic, along the real streets, labelled, and removable on its own."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from shapely import LineString, Point
from sqlalchemy import Engine, func, select

from kehoach.adapters.geometry import from_geojson, length_m, to_geojson, to_metric
from kehoach.adapters.spatial import SpatialIndex
from kehoach.db.engine import make_engine, read_session, write_session
from kehoach.db.models import Inspection, Photo, Site, SiteEvent, Street, Task, Unit, User, Ward
from kehoach.domain.enums import (
    STRETCH_KINDS,
    Approval,
    ChangeSource,
    SiteKind,
    SiteStatus,
    TaskKind,
)
from kehoach.domain.text import name_key
from kehoach.services.bootstrap import init_database
from kehoach.services.campaigns import campaign_id_in
from kehoach.services.demo import clear_demo, load_demo
from kehoach.services.geography import load_spatial_index
from kehoach.services.history import record_created

MAIN_STREETS = {"khuat duy tien", "nguyen trai", "le van luong"}


def _new_db(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    init_database(engine)
    return engine


def _snapshot(engine: Engine) -> list[tuple[object, ...]]:
    """Return the demo rows as comparable tuples (no ids, no load-time timestamps)."""
    with read_session(engine) as s:
        rows = s.execute(
            select(Site, Ward.code, Street.name_key)
            .outerjoin(Ward, Site.ward_id == Ward.id)
            .outerjoin(Street, Site.street_id == Street.id)
            .where(Site.is_demo)
            .order_by(Site.code)
        ).all()
        return [
            (
                site.code,
                site.name,
                site.kind,
                site.status,
                site.geojson,
                site.lon,
                site.lat,
                site.length_m,
                ward_code,
                street_key,
                site.flags_expected,
                site.flags_hung,
                site.planned_on,
                site.done_on,
                site.content,
            )
            for site, ward_code, street_key in rows
        ]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, int]:
    """Return an engine on a database with the demo set loaded (seed 2024) and its count."""
    engine = _new_db(tmp_path_factory.mktemp("demo") / "t.db")
    count = load_demo(engine, seed=2024)
    yield engine, count
    engine.dispose()


@pytest.fixture(scope="module")
def sites(demo: tuple[Engine, int]) -> list[Site]:
    with read_session(demo[0]) as s:
        return list(s.scalars(select(Site).where(Site.is_demo).order_by(Site.code)))


@pytest.fixture(scope="module")
def index(demo: tuple[Engine, int]) -> SpatialIndex:
    with read_session(demo[0]) as s:
        return load_spatial_index(s)


def test_demo_loads_a_labelled_set_of_sensible_size(
    demo: tuple[Engine, int], sites: list[Site]
) -> None:
    _, count = demo
    assert 80 <= count <= 150
    assert len(sites) == count
    assert [s.code for s in sites] == [f"DEMO-{n:04d}" for n in range(1, count + 1)]
    assert all(s.is_demo and "không phải số liệu thật" in s.note for s in sites)
    assert all(s.version == 1 for s in sites)
    assert all(s.created_at == datetime(2024, 9, 1, 1, 0, tzinfo=UTC) for s in sites)


def test_same_seed_gives_identical_rows(demo: tuple[Engine, int], tmp_path: Path) -> None:
    other = _new_db(tmp_path / "t.db")
    try:
        assert load_demo(other, seed=2024) == demo[1]
        assert _snapshot(other) == _snapshot(demo[0])
        clear_demo(other)
        load_demo(other, seed=7)
        assert [row[4] for row in _snapshot(other)] != [row[4] for row in _snapshot(demo[0])]
    finally:
        other.dispose()


def test_every_site_is_inside_the_district_with_ward_and_street_or_place(
    sites: list[Site], index: SpatialIndex
) -> None:
    for site in sites:
        geom = from_geojson(site.geojson)
        assert geom.is_valid and not geom.is_empty
        assert index.district.covers(geom), site.code
        assert index.contains(site.lon, site.lat), site.code
        assert site.ward_id is not None, site.code
        assert site.ward_id == index.ward_at(site.lon, site.lat), site.code
        assert site.street_id is not None or site.place_id is not None, site.code


def test_sites_spread_over_all_wards(demo: tuple[Engine, int], sites: list[Site]) -> None:
    with read_session(demo[0]) as s:
        ward_ids = set(s.scalars(select(Ward.id)))
    assert len(ward_ids) == 11
    assert {site.ward_id for site in sites} == ward_ids


def test_statuses_and_kinds_are_spread(sites: list[Site]) -> None:
    statuses = Counter(s.status for s in sites)
    kinds = Counter(s.kind for s in sites)
    assert len(statuses) >= 4
    assert set(statuses) == {status.value for status in SiteStatus}
    assert statuses[SiteStatus.INSTALLED] > len(sites) / 2
    assert 1 <= statuses[SiteStatus.REMOVED] <= 2
    assert len(kinds) >= 5
    assert {SiteKind.PANEL_CLUSTER, SiteKind.FLAG_LINE, SiteKind.NATIONAL_FLAG} <= set(kinds)
    assert 1 <= kinds[SiteKind.LED_SCREEN] <= 3


def test_stretches_are_snapped_to_their_street(sites: list[Site], index: SpatialIndex) -> None:
    stretches = [s for s in sites if s.kind in STRETCH_KINDS]
    assert stretches
    for site in stretches:
        line = from_geojson(site.geojson)
        assert isinstance(line, LineString)
        assert site.length_m == pytest.approx(length_m(line), abs=0.1)
        middle = to_metric(line).interpolate(0.5, normalized=True)
        assert middle.distance(to_metric(Point(site.lon, site.lat))) < 0.05
        street = to_metric(index.street_geometry(site.street_id))
        assert max(street.distance(Point(c)) for c in to_metric(line).coords) < 0.5, site.code
        if site.kind == SiteKind.FLAG_LINE:
            assert 149.0 <= site.length_m <= 601.0
            assert site.flags_expected == max(1, round(site.length_m / 30.0))


def test_main_streets_carry_flag_lines_of_the_culture_centre(
    demo: tuple[Engine, int], sites: list[Site]
) -> None:
    with read_session(demo[0]) as s:
        streets = {st.id: st.name_key for st in s.scalars(select(Street))}
        units = {u.id: name_key(u.name) for u in s.scalars(select(Unit))}
        tasks = {t.id: t for t in s.scalars(select(Task))}
    flag_streets = {streets[s.street_id] for s in sites if s.kind == SiteKind.FLAG_LINE}
    assert flag_streets >= MAIN_STREETS
    assert len(flag_streets - MAIN_STREETS) >= 8  # ward streets too
    for site in sites:
        assert site.unit_id is not None and site.task_id is not None, site.code
        assert tasks[site.task_id].unit_id == site.unit_id
        on_main_street = site.street_id is not None and streets[site.street_id] in MAIN_STREETS
        if site.kind == SiteKind.NATIONAL_FLAG:
            assert "uy ban nhan dan cac phuong" in units[site.unit_id], site.code
        elif on_main_street or site.kind in (SiteKind.PANEL_CLUSTER, SiteKind.LED_SCREEN):
            assert "trung tam van hoa" in units[site.unit_id], site.code
        else:
            assert "uy ban nhan dan cac phuong" in units[site.unit_id], site.code
        if site.kind != SiteKind.NATIONAL_FLAG:
            assert tasks[site.task_id].kind == TaskKind.DECORATION, site.code


def test_only_planned_new_sites_wait_for_approval(sites: list[Site]) -> None:
    pending = [s for s in sites if s.approval == Approval.PENDING]
    assert 1 <= len(pending) <= 2
    assert all(s.status == SiteStatus.PLANNED and s.is_new and s.estimated_cost for s in pending)
    assert all(s.approval == Approval.APPROVED for s in sites if s not in pending)


def test_panel_clusters_stand_at_real_junctions(
    demo: tuple[Engine, int], sites: list[Site], index: SpatialIndex
) -> None:
    with read_session(demo[0]) as s:
        ids = {st.name_key: st.id for st in s.scalars(select(Street))}
    clusters = [s for s in sites if s.kind == SiteKind.PANEL_CLUSTER]
    assert len(clusters) >= 5
    at_thanh_xuan = [c for c in clusters if "Khuất Duy Tiến – Nguyễn Trãi" in c.name]
    assert len(at_thanh_xuan) == 1
    cluster = to_metric(Point(at_thanh_xuan[0].lon, at_thanh_xuan[0].lat))
    crossings = index.intersections(ids["khuat duy tien"], ids["nguyen trai"])
    assert min(cluster.distance(to_metric(p)) for p in crossings) < 0.5


def test_flags_and_dates_follow_status(sites: list[Site]) -> None:
    for site in sites:
        assert 0 <= site.flags_hung <= site.flags_expected
        assert date(2024, 9, 1) <= site.planned_on < date(2024, 10, 10)
        if site.status in (SiteStatus.PLANNED, SiteStatus.INSTALLING):
            assert site.done_on is None
        else:
            assert site.planned_on <= site.done_on < date(2024, 10, 10)
        if site.status in (SiteStatus.PLANNED, SiteStatus.REMOVED):
            assert site.flags_hung == 0
        if site.status == SiteStatus.INSTALLED:
            assert site.flags_hung == site.flags_expected
    flags = [s for s in sites if s.kind in (SiteKind.FLAG_LINE, SiteKind.NATIONAL_FLAG)]
    assert all(s.flags_expected > 0 for s in flags)


def test_every_demo_site_has_one_created_event(demo: tuple[Engine, int], sites: list[Site]) -> None:
    with read_session(demo[0]) as s:
        events = s.scalars(select(SiteEvent).where(SiteEvent.site_id.in_([x.id for x in sites])))
        by_site = Counter((e.site_id, e.action, e.source, e.user_id) for e in events)
    assert by_site == Counter((x.id, "created", ChangeSource.SYSTEM.value, None) for x in sites)


def test_loading_again_changes_nothing(demo: tuple[Engine, int]) -> None:
    before = _snapshot(demo[0])
    assert load_demo(demo[0], seed=2024) == 0
    assert load_demo(demo[0], seed=99) == 0
    assert _snapshot(demo[0]) == before


def test_clear_demo_removes_exactly_the_demo_rows(tmp_path: Path) -> None:
    engine = _new_db(tmp_path / "t.db")
    try:
        real_id = _add_real_site(engine)
        count = load_demo(engine)
        _inspect_a_demo_site(engine)

        assert clear_demo(engine) == count
        with read_session(engine) as s:
            assert s.scalar(select(func.count()).select_from(Site).where(Site.is_demo)) == 0
            assert s.scalars(select(Site.id)).all() == [real_id]
            events = s.scalars(select(SiteEvent)).all()
            assert [(e.site_id, e.action) for e in events] == [(real_id, "created")]
            assert s.scalar(select(func.count()).select_from(Inspection)) == 0
            assert s.scalar(select(func.count()).select_from(Photo)) == 0
            assert s.scalar(select(func.count()).select_from(User)) == 1
        assert clear_demo(engine) == 0
        assert load_demo(engine) == count
    finally:
        engine.dispose()


def _add_real_site(engine: Engine) -> int:
    with write_session(engine) as s:
        point = Point(105.8035, 20.9935)
        site = Site(
            campaign_id=campaign_id_in(s),
            code="TX-0001",
            name="Pa-nô trước trụ sở",
            kind=SiteKind.PANEL.value,
            status=SiteStatus.INSTALLED.value,
            geojson=to_geojson(point),
            lon=point.x,
            lat=point.y,
        )
        s.add(site)
        s.flush()
        record_created(s, site, user=None, source=ChangeSource.UI)
        return site.id


def _inspect_a_demo_site(engine: Engine) -> None:
    with write_session(engine) as s:
        inspector = User(username="kiemtra", password_hash="x", role="inspector")
        s.add(inspector)
        demo_site = s.scalars(select(Site).where(Site.is_demo).order_by(Site.code)).first()
        s.flush()
        inspection = Inspection(site_id=demo_site.id, inspector_id=inspector.id, result="pass")
        s.add(inspection)
        s.flush()
        s.add(
            Photo(
                inspection_id=inspection.id,
                file_name="a.jpg",
                thumb_name="a_t.jpg",
                width=10,
                height=10,
                size_bytes=100,
                sha256="0" * 64,
            )
        )
