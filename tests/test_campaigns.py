"""Campaigns: the record, titles from it, per-campaign data, copy-forward, closing, the CLI."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from kehoach.cli import main
from kehoach.db.engine import read_session
from kehoach.db.models import Campaign, Inspection, Plan, Position, Site, SiteEvent, Ward
from kehoach.domain.campaigns import CampaignClosed, CampaignState, FlagTarget
from kehoach.domain.enums import Role, SiteKind, SiteStatus
from kehoach.domain.inspection import FlagsOutsideWindow
from kehoach.domain.permissions import Actor
from kehoach.i18n import t
from kehoach.services import campaigns, inspections, reports
from kehoach.services.campaign_start import CopyFilters, start_campaign
from kehoach.services.coverage import district_coverage
from kehoach.services.progress import ward_progress
from kehoach.services.queries import load_sites
from kehoach.services.site_export import export_site_records
from kehoach.services.sites import SiteChanges, update_site
from tests.factories import make_site, make_user, point_on_street
from tests.test_plan_parser import build_cau_giay_txt

ADMIN = Actor(None, "tester", Role.ADMIN)
NT = "Đường Nguyễn Trãi"
KDT = "Đường Khuất Duy Tiến"


@pytest.fixture
def cau_giay_plan(tmp_path: Path) -> Path:
    return build_cau_giay_txt(tmp_path / "cau-giay-50-nam.txt")


def _site(engine: Engine, street: str = NT, fraction: float = 0.4, **kw: object) -> int:
    lon, lat = point_on_street(street, fraction)
    return make_site(engine, lon=lon, lat=lat, **kw)


def _count(engine: Engine, *where: object) -> int:
    with read_session(engine) as s:
        return int(s.scalar(select(func.count(Site.id)).where(*where)) or 0)


def test_init_makes_the_shipped_plan_the_first_running_campaign(engine: Engine) -> None:
    (campaign,) = campaigns.list_campaigns(engine)
    assert campaign.name == "Kỷ niệm 70 năm Ngày Giải phóng Thủ đô"
    assert campaign.occasion.startswith("kỷ niệm 70 năm Ngày Giải phóng Thủ đô (10/10/1954")
    assert campaign.state == CampaignState.RUNNING
    assert (campaign.start, campaign.end) == (date(2024, 3, 22), date(2024, 11, 9))
    assert campaign.anniversary == date(2024, 10, 10) and campaign.report_deadline_day == 20
    assert campaigns.resolve_campaign(engine) == campaign
    with read_session(engine) as s:
        assert s.get(Campaign, campaign.id).plan_id == s.scalar(select(Plan.id))


def test_a_second_plan_gets_its_own_campaign_and_report_title(
    engine: Engine, cau_giay_plan: Path
) -> None:
    first = campaigns.resolve_campaign(engine)
    second = start_campaign(engine, ADMIN, plan_file=cau_giay_plan).campaign
    assert second.name == "Kỷ niệm 50 năm Ngày Giải phóng miền Nam, thống nhất đất nước"
    assert second.anniversary == date(2025, 4, 30) and second.plan_id != first.plan_id
    now = datetime(2025, 5, 2, 3, 0, tzinfo=UTC)
    old = reports.build_report_data(engine, "2024-10", now=now, campaign_id=first.id)
    new = reports.build_report_data(engine, "2025-04", now=now, campaign_id=second.id)
    assert "kỷ niệm 70 năm Ngày Giải phóng Thủ đô" in old.subject
    assert "kỷ niệm 50 năm Ngày Giải phóng miền Nam" in new.subject
    assert "70 năm" not in new.subject + " ".join(new.intro)
    assert new.subject.endswith("tháng 04/2025")
    # The same plan file again is the same plan row (text_sha256 is unique).
    again = start_campaign(engine, ADMIN, "Đợt 2", plan_file=cau_giay_plan).campaign
    assert again.plan_id == second.plan_id


def test_sites_reports_and_coverage_are_per_campaign(engine: Engine, cau_giay_plan) -> None:
    first = campaigns.resolve_campaign(engine).id
    installed = _site(engine, status=SiteStatus.INSTALLED, kind=SiteKind.NATIONAL_FLAG,
                      flags_expected=4, flags_hung=4)  # fmt: skip
    _site(engine, KDT, 0.5)
    second = start_campaign(engine, ADMIN, plan_file=cau_giay_plan).campaign.id
    assert len(load_sites(engine, first)) == 2 and load_sites(engine, second).empty
    assert export_site_records(engine, ADMIN, campaign_id=second) == []
    assert ward_progress(engine, "2024-10", campaign_id=second)["sites"].sum() == 0
    assert ward_progress(engine, "2024-10", campaign_id=first)["sites"].sum() == 2
    assert district_coverage(engine, campaign_id=first).covered_m > 0
    assert district_coverage(engine, campaign_id=second).covered_m == 0
    assert inspections.ward_flag_rates(engine, second) == {
        w: (0, 0) for w in inspections.ward_flag_rates(engine, first)
    }
    # A site of the second campaign is counted there only.
    make_site(engine, campaign_id=second)
    counts = [_count(engine, Site.campaign_id == c) for c in (first, second)]
    assert counts == [2, 1]
    assert campaigns.resolve_campaign(engine).id == second  # the newest running one
    assert installed in set(load_sites(engine, first)["id"])


def test_copy_forward_resets_deployments_and_keeps_positions(engine: Engine) -> None:
    inspector = make_user(engine, "kiemtra", Role.INSPECTOR)
    source = campaigns.resolve_campaign(engine).id
    panel = _site(engine, NT, 0.3, status=SiteStatus.INSTALLED, content="Khẩu hiệu 70 năm")
    flags = _site(engine, NT, 0.6, status=SiteStatus.INSTALLED, kind=SiteKind.NATIONAL_FLAG,
                  flags_expected=10, flags_hung=8)  # fmt: skip
    other = _site(engine, KDT, 0.5, status=SiteStatus.INSTALLING)
    inspections.record_inspection(engine, inspector, panel, "pass")
    plan_id = campaigns.resolve_campaign(engine).plan_id
    by_street = start_campaign(
        engine, ADMIN, "Tết 2025", plan_id=plan_id, start=date(2025, 1, 10),
        end=date(2025, 2, 20), copy_from=source, filters=CopyFilters(street_name=NT),
        today=date(2025, 1, 5),
    )  # fmt: skip
    assert by_street.copied == 2 and by_street.campaign.state == CampaignState.PREPARING
    target = by_street.campaign.id
    with read_session(engine) as s:
        old = {x.code: x for x in s.scalars(select(Site).where(Site.id.in_([panel, flags])))}
        new = s.scalars(select(Site).where(Site.campaign_id == target)).all()
        assert {x.code for x in new} == set(old)
        for site in new:
            before = old[site.code]
            assert site.position_id == before.position_id is not None
            assert (site.status, site.flags_hung, site.done_on) == ("planned", 0, None)
            assert site.flags_expected == before.flags_expected and site.content == ""
            assert site.geojson == s.get(Position, site.position_id).geojson
            assert s.scalar(select(func.count()).where(Inspection.site_id == site.id)) == 0
            events = s.scalars(select(SiteEvent).where(SiteEvent.site_id == site.id)).all()
            assert [(e.action, e.source) for e in events] == [("created", "system")]
        ward_code = s.scalar(select(Ward.code).where(Ward.id == old[min(old)].ward_id))
    # Filters by kind and by ward; the source campaign is untouched.
    by_kind = start_campaign(engine, ADMIN, "2/9", plan_id=plan_id, copy_from=source,
                             filters=CopyFilters(kind=SiteKind.NATIONAL_FLAG))  # fmt: skip
    assert by_kind.copied == 1
    by_ward = start_campaign(engine, ADMIN, "19/5", plan_id=plan_id, copy_from=source,
                             filters=CopyFilters(ward_code=ward_code))  # fmt: skip
    assert 1 <= by_ward.copied <= 3
    everything = start_campaign(engine, ADMIN, "30/4", plan_id=plan_id, copy_from=source)
    assert everything.copied == 3
    assert _count(engine, Site.campaign_id == source, Site.status != "planned") == 3
    assert other in set(load_sites(engine, source)["id"])


def test_a_closed_campaign_refuses_writes(engine: Engine, cau_giay_plan) -> None:
    inspector = make_user(engine, "kiemtra", Role.INSPECTOR)
    first = campaigns.resolve_campaign(engine)
    site = _site(engine)
    start_campaign(engine, ADMIN, plan_file=cau_giay_plan)
    with pytest.raises(Exception, match="close a campaign"):
        campaigns.close_campaign(engine, inspector, first.id)
    closed = campaigns.close_campaign(engine, ADMIN, first.id)
    assert closed.closed and campaigns.resolve_campaign(engine).id != first.id
    with read_session(engine) as s:
        version = s.get(Site, site).version
    with pytest.raises(CampaignClosed) as refused:
        update_site(engine, ADMIN, site, version, SiteChanges({"status": "installing"}))
    assert "đã kết thúc" in t(refused.value.code, **refused.value.params)
    with pytest.raises(CampaignClosed):
        make_site(engine, campaign_id=first.id)
    with pytest.raises(CampaignClosed):
        inspections.record_inspection(engine, inspector, site, "pass")
    with pytest.raises(CampaignClosed):
        campaigns.add_flag_window(engine, ADMIN, date(2024, 10, 1), date(2024, 10, 2),
                                  campaign_id=first.id)  # fmt: skip
    assert _count(engine, Site.campaign_id == first.id) == 1
    with read_session(engine) as s:
        assert s.get(Site, site).status == "planned"


def test_flags_count_only_inside_the_sites_own_campaign_window(
    engine: Engine, cau_giay_plan
) -> None:
    inspector = make_user(engine, "kiemtra", Role.INSPECTOR)
    first = campaigns.resolve_campaign(engine).id
    site = _site(engine, status=SiteStatus.INSTALLED, kind=SiteKind.NATIONAL_FLAG,
                 flags_expected=10)  # fmt: skip
    campaigns.add_flag_window(engine, ADMIN, date(2024, 10, 1), date(2024, 10, 12),
                              [FlagTarget.AGENCIES])  # fmt: skip
    second = start_campaign(engine, ADMIN, plan_file=cau_giay_plan).campaign.id
    campaigns.add_flag_window(engine, ADMIN, date(2025, 4, 20), date(2025, 5, 2),
                              campaign_id=second)  # fmt: skip
    (window,) = campaigns.resolve_campaign(engine, first).windows
    assert window.applies_to == (FlagTarget.AGENCIES,)
    second_windows = campaigns.resolve_campaign(engine, second).windows
    assert (date(2025, 4, 20), date(2025, 5, 2)) in [(w.start, w.end) for w in second_windows]
    april = datetime(2025, 4, 25, 3, 0, tzinfo=UTC)  # inside the second campaign's window only
    with pytest.raises(FlagsOutsideWindow):
        inspections.record_inspection(engine, inspector, site, "pass", flags_hung=9,
                                      flags_expected=10, now=april)  # fmt: skip
    october = datetime(2024, 10, 5, 3, 0, tzinfo=UTC)
    inspections.record_inspection(engine, inspector, site, "pass", flags_hung=9,
                                  flags_expected=10, now=october)  # fmt: skip
    with read_session(engine) as s:
        assert s.get(Site, site).flags_hung == 9


def test_campaign_cli_new_list_close_and_campaign_option(
    engine: Engine, db_url: str, cau_giay_plan: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    first = campaigns.resolve_campaign(engine).id
    _site(engine, NT, 0.3)
    _site(engine, KDT, 0.5, kind=SiteKind.BANNER)
    args = ["campaign", "new", "--plan", str(cau_giay_plan), "--name", "Đợt 30/4",
            "--from", str(first), "--kind", "panel", "--start", "2025-04-01",
            "--end", "2025-05-05", "--occasion", "mừng 50 năm thống nhất", "--json"]  # fmt: skip
    assert main(args) == 0
    made = json.loads(capsys.readouterr().out)
    assert (made["name"], made["copied"], made["start"]) == ("Đợt 30/4", 1, "2025-04-01")
    assert main(["campaign", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in listed] == [made["id"], first]
    assert set(listed[0]) >= {"id", "name", "state", "start", "end", "occasion"}
    assert listed[0]["occasion"] == "mừng 50 năm thống nhất" and listed[1]["state"] == "running"
    assert main(["sites", "list", "--json", "--campaign", str(first)]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2
    assert main(["sites", "list", "--json"]) == 0  # the newest running campaign: the new one
    assert [r["kind"] for r in json.loads(capsys.readouterr().out)] == ["panel"]
    assert main(["campaign", "close", str(first)]) == 0
    capsys.readouterr()
    assert main(["demo", "--campaign", str(first)]) == 2
    assert "đã kết thúc" in capsys.readouterr().err
    assert main(["campaign", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[1]["state"] == "closed"
