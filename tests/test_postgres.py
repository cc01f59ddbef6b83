"""The important service paths on both engines: SQLite (embedded) and PostgreSQL (city-wide)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from kehoach.adapters.summary_table import write_table
from kehoach.db.engine import is_transient, make_engine, read_session, run_in_transaction
from kehoach.db.migrate import alembic_config, upgrade_database
from kehoach.db.models import Base, District, Place, Site, SiteEvent, Street, User, Ward
from kehoach.domain.enums import Role, SiteKind, SiteStatus
from kehoach.domain.errors import InvalidTransition, VersionConflict
from kehoach.domain.permissions import Actor
from kehoach.domain.sites import SITE_COLUMNS
from kehoach.services.bootstrap import init_database
from kehoach.services.queries import load_site_card, load_sites
from kehoach.services.site_export import export_sites
from kehoach.services.site_import import import_file
from kehoach.services.sites import NewSite, SiteChanges, bulk_update, create_site, update_site
from tests.factories import make_site, make_user, point_on_street
from tests.pg_server import PgServer
from tests.test_summary_table import make_row, street_points, to_csv

ADMIN = Actor(None, "tester", Role.ADMIN)


def _count(engine: Engine, model: type[Base], *where: sa.ColumnElement[bool]) -> int:
    with read_session(engine) as s:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _site(engine: Engine, site_id: int) -> Site:
    with read_session(engine) as s:
        return s.get(Site, site_id)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Return the URL of an empty database (no tables), SQLite then PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    name = f"kehoach_empty_{abs(hash(request.node.nodeid)) % 10**8}"
    yield server.create_database(name)
    server.drop_database(name)


# --- schema -------------------------------------------------------------------------------------


def test_init_database_is_idempotent(any_engine: Engine) -> None:
    counts = {m: _count(any_engine, m) for m in (District, Ward, Street, Place)}
    assert counts == {District: 1, Ward: 11, Street: 125, Place: 29}
    again = init_database(any_engine)
    assert not again.schema_created
    assert sum(again.added.values()) == 0
    assert {m: _count(any_engine, m) for m in counts} == counts


def test_migrations_build_the_models_schema_and_go_down_and_up(empty_db_url: str) -> None:
    engine = make_engine(empty_db_url)
    try:
        assert upgrade_database(engine) is True
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        cfg = alembic_config(engine)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0001")
        with engine.begin() as conn:  # data written under the old schema survives the upgrade
            conn.execute(
                sa.table("ward", *(sa.column(c) for c in WARD_ROW)).insert().values(**WARD_ROW)
            )
        assert upgrade_database(engine) is False
        with engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM ward")).scalar() == "Nhân Chính"
            assert conn.execute(text("SELECT count(*) FROM ward_route")).scalar() == 0
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    finally:
        engine.dispose()


WARD_ROW = {
    "code": "00343",
    "name": "Nhân Chính",
    "full_name": "Phường Nhân Chính",
    "name_key": "nhan chinh",
    "area_km2": 1.7,
    "approximate": True,
    "geojson": "{}",
}


def test_big_osm_ids_and_timezones_round_trip(any_engine: Engine) -> None:
    with read_session(any_engine) as s:
        biggest = s.scalar(select(func.max(Place.osm_id)))
        assert biggest is not None and biggest > 2**31  # OSM node ids outgrew 32 bits
    site_id = make_site(any_engine)
    card = load_site_card(any_engine, site_id)
    assert card is not None and card.updated_at.utcoffset() is not None
    assert card.updated_at.utcoffset().total_seconds() == 0


# --- sites --------------------------------------------------------------------------------------


def test_create_update_and_stale_version(any_engine: Engine) -> None:
    a = make_user(any_engine, "nguoi-a", Role.STAFF)
    b = make_user(any_engine, "nguoi-b", Role.STAFF)
    site_id = make_site(any_engine, a, flags_expected=10)
    site = _site(any_engine, site_id)
    assert site.code.startswith("TX-") and site.version == 1 and site.ward_id is not None
    changes = SiteChanges({"status": "installed", "flags_hung": 7, "note": "<b>ghi chú</b>"})
    assert update_site(any_engine, a, site_id, 1, changes) == 2
    with pytest.raises(VersionConflict) as info:
        update_site(any_engine, b, site_id, 1, SiteChanges({"note": "B"}))
    assert info.value.params["who"] == "nguoi-a"
    site = _site(any_engine, site_id)
    assert (site.status, site.flags_hung, site.note, site.version) == (
        "installed",
        7,
        "<b>ghi chú</b>",
        2,
    )
    assert site.done_on is not None
    fields = {e.field for e in load_site_card(any_engine, site_id).history if e.field}
    assert {"status", "flags_hung", "note", "done_on"} <= fields
    frame = load_sites(any_engine)
    assert list(frame.columns) == list(SITE_COLUMNS) and frame["is_demo"].dtype == bool


def _race(url: str, jobs: list[Callable[[Engine], str]]) -> list[str]:
    """Run each job at the same instant on its own engine (a real second session)."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = []

    def run(job: Callable[[Engine], str]) -> None:
        engine = make_engine(url)
        try:
            barrier.wait()
            outcomes.append(job(engine))
        except Exception as exc:  # recorded, so that the test shows what went wrong
            outcomes.append(f"error: {exc!r}")
        finally:
            engine.dispose()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return outcomes


def test_two_sessions_race_exactly_one_wins(any_db_url: str) -> None:
    setup = make_engine(any_db_url)
    site_id = make_site(setup)
    users = [make_user(setup, f"racer{i}", Role.STAFF) for i in range(2)]

    def save(actor: Actor, note: str) -> Callable[[Engine], str]:
        def job(engine: Engine) -> str:
            try:
                update_site(engine, actor, site_id, 1, SiteChanges({"note": note}))
            except VersionConflict:
                return "conflict"
            return "won"

        return job

    outcomes = _race(any_db_url, [save(u, f"ghi chú {i}") for i, u in enumerate(users)])
    assert sorted(outcomes) == ["conflict", "won"]
    assert _site(setup, site_id).version == 2
    assert _count(setup, SiteEvent, SiteEvent.site_id == site_id, SiteEvent.field == "note") == 1
    setup.dispose()


def test_concurrent_creates_get_distinct_codes(any_db_url: str) -> None:
    setup = make_engine(any_db_url)
    staff = make_user(setup, "staff", Role.STAFF)
    fractions = (0.2, 0.35, 0.5, 0.65)

    def create(fraction: float) -> Callable[[Engine], str]:
        def job(engine: Engine) -> str:
            lon, lat = point_on_street("Đường Nguyễn Trãi", fraction)
            create_site(engine, staff, NewSite(SiteKind.PANEL, lon, lat))
            return "created"

        return job

    outcomes = _race(any_db_url, [create(f) for f in fractions])
    assert outcomes == ["created"] * len(fractions)
    with read_session(setup) as s:
        codes = list(s.scalars(select(Site.code)))
    assert len(set(codes)) == len(fractions)
    setup.dispose()


def test_bulk_update_is_all_or_nothing(any_engine: Engine) -> None:
    staff = make_user(any_engine, "staff", Role.STAFF)
    ids = []
    for fraction in (0.2, 0.5, 0.7):
        lon, lat = point_on_street("Đường Nguyễn Trãi", fraction)
        ids.append(make_site(any_engine, staff, lon=lon, lat=lat))
    assert bulk_update(any_engine, staff, ids, SiteChanges({"status": "installing"})).changed == 3
    update_site(any_engine, staff, ids[0], 2, SiteChanges({"status": "installed"}))
    with pytest.raises(InvalidTransition):  # installing → needs_fix is refused for two of them
        bulk_update(any_engine, staff, ids, SiteChanges({"status": "needs_fix"}))
    assert [_site(any_engine, i).status for i in ids] == ["installed", "installing", "installing"]
    assert [_site(any_engine, i).version for i in ids] == [3, 2, 2]


def test_summary_table_import_round_trip(any_engine: Engine) -> None:
    points = street_points(any_engine, "Đường Nguyễn Trãi", 4)
    rows = [make_row(p, **{"Số lượng": i + 1, "Ghi chú": f"<i>ghi chú {i}</i>"}) for i, p in
            enumerate(points)]  # fmt: skip
    report = import_file(any_engine, ADMIN, to_csv(rows), "bieu.csv")
    assert (report.added, report.problems) == (4, ())
    exported = export_sites(any_engine, ADMIN)
    assert [r["Ghi chú"] for r in exported] == [f"<i>ghi chú {i}</i>" for i in range(4)]
    assert [r["Kinh độ"] for r in exported] == [round(p[0], 6) for p in points]
    again = import_file(any_engine, ADMIN, write_table(exported, "xlsx"), "export.xlsx")
    assert (again.added, again.skipped_existing) == (0, 4)
    assert _count(any_engine, Site) == 4
    statuses = {r["Trạng thái"] for r in exported}
    assert len(statuses) == 1 and _count(any_engine, Site, Site.status == SiteStatus.PLANNED) == 4


def test_sqlite_data_moves_to_postgresql_through_the_summary_table(
    db_url: str, pg_url: str
) -> None:
    sqlite_engine, pg_engine = make_engine(db_url), make_engine(pg_url)
    points = street_points(sqlite_engine, "Đường Nguyễn Trãi", 3)
    import_file(sqlite_engine, ADMIN, to_csv([make_row(p) for p in points]), "a.csv")
    exported = export_sites(sqlite_engine, ADMIN)
    report = import_file(pg_engine, ADMIN, write_table(exported, "xlsx"), "tu-sqlite.xlsx")
    assert report.added == 3
    assert export_sites(pg_engine, ADMIN) == exported
    sqlite_engine.dispose()
    pg_engine.dispose()


# --- transient errors are retried ---------------------------------------------------------------


RAISE_SERIALIZATION_FAILURE = (
    "DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = 'serialization_failure'; END $$"
)


def test_transient_errors_are_retried_and_others_are_not(pg_url: str) -> None:
    engine = make_engine(pg_url)
    calls: list[int] = []

    def flaky(session) -> int:  # type: ignore[no-untyped-def]
        calls.append(1)
        session.add(User(username=f"u{len(calls)}", password_hash="x", role="staff"))
        session.flush()
        if len(calls) == 1:  # a real serialization failure raised by the server (SQLSTATE 40001)
            session.execute(text(RAISE_SERIALIZATION_FAILURE))
        return len(calls)

    assert run_in_transaction(engine, flaky) == 2
    with read_session(engine) as s:
        assert list(s.scalars(select(User.username))) == ["u2"]  # the failed try left nothing

    def duplicate(session) -> None:  # type: ignore[no-untyped-def]
        calls.append(1)
        session.add(User(username="u2", password_hash="x", role="staff"))
        session.flush()

    calls.clear()
    with pytest.raises(IntegrityError):
        run_in_transaction(engine, duplicate)
    assert len(calls) == 1
    engine.dispose()


def test_sqlite_busy_database_counts_as_transient(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.execute("BEGIN IMMEDIATE")
    impatient = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0})
    try:
        with pytest.raises(OperationalError) as info, impatient.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (1)"))
        assert is_transient(info.value)
    finally:
        holder.rollback()
        holder.close()
        impatient.dispose()
