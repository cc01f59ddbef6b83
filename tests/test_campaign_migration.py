"""Migration 0006: a database of today's schema becomes its first campaign, nothing lost."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from kehoach.db.migrate import migrate_to
from kehoach.db.schema_snapshot import reference_schema, schema_differences, schema_of_file
from kehoach.domain.enums import Role, SiteStatus
from kehoach.domain.inspection import UploadedPhoto
from kehoach.domain.permissions import Actor
from kehoach.services import inspections, reports
from kehoach.services.campaigns import list_campaigns
from kehoach.services.sites import SiteChanges, update_site
from tests.factories import make_site, make_user, point_on_street
from tests.images import make_jpeg

ADMIN = Actor(None, "tester", Role.ADMIN)
# What the app keeps, table by table (the old columns are compared, value by value).
TABLES = ("site", "site_event", "inspection", "photo", "monthly_report", "plan", "unit", "task")


def _build_data(engine: Engine) -> None:
    """Write sites, history, inspections, a photo, a flag window and a report via services."""
    inspector = make_user(engine, "kiemtra", Role.INSPECTOR)
    officer = make_user(engine, "phuong", Role.WARD_OFFICER, ward_code="00343")
    lon, lat = point_on_street("Đường Nguyễn Trãi", 0.4)
    site = make_site(engine, lon=lon, lat=lat, status=SiteStatus.INSTALLED)
    other = make_site(engine, lon=lon + 0.0005, lat=lat, name="Băng-rôn")
    update_site(engine, ADMIN, other, 1, SiteChanges({"status": "installing", "note": "đang"}))
    inspections.set_flag_window(engine, ADMIN, date(2024, 9, 28), date(2024, 10, 12))
    at = datetime(2024, 9, 15, 3, 0, tzinfo=UTC)
    photo = UploadedPhoto(make_jpeg(), "IMG_0001.jpg")
    inspections.record_inspection(engine, inspector, site, "needs_fix", defects=["torn"],
                                  photos=[photo], now=at)  # fmt: skip
    inspections.record_inspection(engine, inspector, other, "pass", now=at)
    reports.submit_monthly_report(engine, officer, "2024-09", "Báo cáo tháng 9",
                                  now=datetime(2024, 9, 18, 3, 0, tzinfo=UTC))  # fmt: skip


def _rows(engine: Engine, columns: dict[str, list[str]] | None = None) -> dict[str, list]:
    found = {}
    with engine.connect() as conn:
        for table in TABLES:
            names = columns[table] if columns else None
            select = ", ".join(f'"{c}"' for c in names) if names else "*"
            query = f'SELECT {select} FROM "{table}" ORDER BY id'  # noqa: S608 - our names
            result = conn.execute(text(query))
            found[table] = (list(result.keys()), [tuple(r) for r in result])
    return found


def _refused(engine: Engine, sql: str) -> None:
    with pytest.raises(IntegrityError, match="append-only|is_demo"), engine.begin() as conn:
        conn.execute(text(sql))


def test_an_existing_database_upgrades_into_its_first_campaign(
    any_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = any_engine
    monkeypatch.setenv("KEHOACH_MEDIA_DIR", str(tmp_path / "media"))
    _build_data(engine)
    (made,) = list_campaigns(engine)
    migrate_to(engine, "0005")  # today's schema, with the data the services wrote
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:  # the file read below ignores the WAL
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        found = schema_of_file(Path(engine.url.database))
        assert schema_differences(found, reference_schema("0005")) == []
    with engine.connect() as conn:
        window = conn.execute(text("SELECT flag_window_start, flag_window_end FROM plan")).one()
    assert [str(d) for d in window] == ["2024-09-28", "2024-10-12"]
    before = _rows(engine)
    assert [len(before[t][1]) for t in TABLES[:5]] == [2, 7, 2, 1, 1]

    migrate_to(engine, "head")

    after = _rows(engine, {table: before[table][0] for table in TABLES})
    # Revision 0012 takes the plan's "Đề nghị" (an invitation) out of the unit's name.
    columns, units = before["unit"]
    name = columns.index("name")
    before["unit"] = (columns, [
        (*row[:name], row[name].removeprefix("Đề nghị "), *row[name + 1:]) for row in units
    ])  # fmt: skip
    assert after == before
    (campaign,) = list_campaigns(engine)
    assert (campaign.name, campaign.occasion, campaign.start, campaign.end) == (
        made.name, made.occasion, made.start, made.end
    )
    assert [(w.start, w.end) for w in campaign.windows] == [(date(2024, 9, 28), date(2024, 10, 12))]
    with engine.connect() as conn:
        assert conn.execute(text(
            "SELECT count(*) FROM site JOIN position ON position.id = site.position_id "
            "WHERE position.code = site.code AND position.geojson = site.geojson "
            "AND site.campaign_id = :c"
        ), {"c": campaign.id}).scalar() == 2
        assert conn.execute(text("SELECT count(*) FROM position")).scalar() == 2
        assert conn.execute(text(
            "SELECT campaign_id FROM monthly_report"
        )).scalar() == campaign.id
    # The append-only guard of revision 0005 still holds after the rebuild of ``site``.
    _refused(engine, "UPDATE site SET is_demo = TRUE")
    _refused(engine, "UPDATE site_event SET new_value = 'forged'")
    _refused(engine, "DELETE FROM site_event")
    # And the upgraded database works: a report for the campaign and a new site.
    assert reports.list_reports(engine, "2024-09")[0].body == "Báo cáo tháng 9"
    make_site(engine, name="Sau nâng cấp")
