"""The figures leadership signs agree on every surface: home and leader KPI tiles, the reports
page's clock, the Word report and the summary table.

Each surface computes the number its own way in the app; this test goes through each one
(the service or function the page or document calls) and compares them, on a campaign with
sites in every state, a pending new site and a rejected one that was being installed.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from kehoach.domain.enums import Role, SiteStatus
from kehoach.domain.permissions import Actor
from kehoach.domain.sites import compute_kpis, headline_figures
from kehoach.i18n import format_date, format_number, label, t
from kehoach.services import headline, progress, queries, site_export, sites
from kehoach.services.reports.documents import build_report_data
from tests.apptest import signed_in
from tests.factories import make_site

ADMIN = Actor(None, "setup", Role.ADMIN)


@pytest.fixture
def campaign(engine: Engine) -> Engine:
    for status in (SiteStatus.INSTALLED, SiteStatus.INSTALLED, SiteStatus.INSTALLING,
                   SiteStatus.PLANNED, SiteStatus.NEEDS_FIX):  # fmt: skip
        site = make_site(engine)
        path = {
            SiteStatus.INSTALLED: [SiteStatus.INSTALLED],
            SiteStatus.INSTALLING: [SiteStatus.INSTALLING],
            SiteStatus.NEEDS_FIX: [SiteStatus.INSTALLED, SiteStatus.NEEDS_FIX],
        }.get(status, [])
        for step in path:
            sites.bulk_update(engine, ADMIN, [site], sites.SiteChanges({"status": step.value}))
    make_site(engine, is_new=True, estimated_cost=1_000_000)  # pending
    rejected = make_site(engine, is_new=True, estimated_cost=1, status=SiteStatus.INSTALLING)
    sites.decide_approval(engine, ADMIN, rejected, approve=False, reason="Không phù hợp")
    return engine


def test_every_surface_shows_the_same_figures(campaign: Engine) -> None:
    engine = campaign
    today = headline.today()
    # Home and leader pages: KPI tiles over the site table, days from the service.
    kpis = compute_kpis(queries.load_sites(engine))
    home = (kpis.total, kpis.by_status["installed"], headline.days_to_anniversary(engine))
    # Reports page clock and any other caller: the headline service.
    figures = headline.headline(engine)
    clock = (figures.total, figures.completed, figures.days_to_anniversary)
    # The Word report: its overview sentences.
    data = build_report_data(engine, progress.current_month())
    overview = data.sections[0].paragraphs
    # The summary table: its rows.
    rows = site_export.export_sites(engine, ADMIN)
    table = (len(rows), sum(r["Trạng thái"] == label(SiteStatus.INSTALLED) for r in rows))

    assert home == clock
    assert home[:2] == table == (6, 2)  # 5 plan sites and the pending one; not the rejected
    assert any(
        p.startswith(t("report.doc.sites", total=format_number(6), **{
            k: format_number(v) for k, v in kpis.by_status.items()}))
        for p in overview
    )  # fmt: skip
    anniversary = headline.anniversary_of(engine)
    assert anniversary is not None and home[2] == (anniversary - today).days
    days = t(
        "report.doc.days_left" if home[2] >= 0 else "report.doc.days_past",
        days=abs(home[2]),
        date=format_date(anniversary),
    )
    assert days in overview


def test_days_to_the_anniversary_count_from_the_local_date(engine: Engine) -> None:
    anniversary = headline.anniversary_of(engine)
    assert anniversary is not None
    on = anniversary - timedelta(days=3)
    assert headline.days_to_anniversary(engine, on=on) == 3
    sites_now = queries.load_sites(engine)
    assert headline_figures(sites_now, anniversary, anniversary).days_to_anniversary == 0


def _metrics(engine: Engine, role: Role, page: str) -> dict[str, str]:
    at: AppTest = signed_in(engine, role).switch_page(page).run()
    assert not at.exception
    return {m.label: str(m.value) for m in at.metric}


def test_home_leader_and_reports_pages_show_the_same_tiles(campaign: Engine, app_env) -> None:
    figures = headline.headline(campaign)
    days = t("reports.clock.days", days=abs(figures.days_to_anniversary or 0))
    home = _metrics(campaign, Role.ADMIN, "app_pages/home.py")
    leader = _metrics(campaign, Role.LEADER, "app_pages/leader.py")
    clock = _metrics(campaign, Role.STAFF, "app_pages/reports.py")
    for shown in (home, leader, clock):
        assert shown[t("home.kpi.sites")] == format_number(figures.total) == "6"
        assert shown[label(SiteStatus.INSTALLED)] == str(figures.completed) == "2"
    assert home[t("home.kpi.days")] == leader[t("home.kpi.days")] == days
    assert days in clock.values()
