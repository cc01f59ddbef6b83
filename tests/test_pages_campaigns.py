"""AppTest of campaigns in the UI: the picker every page follows, closed campaigns, lifecycle."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Engine, select

from kehoach.db.engine import read_session
from kehoach.db.models import Site
from kehoach.domain.campaigns import CampaignState
from kehoach.domain.enums import Role, SiteStatus
from kehoach.domain.permissions import Actor
from kehoach.i18n import t
from kehoach.services import campaigns
from kehoach.services.campaign_start import CopyFilters, start_campaign
from tests.apptest import signed_in
from tests.factories import make_site, point_on_street

ADMIN = Actor(None, "tester", Role.ADMIN)
NT = "Đường Nguyễn Trãi"
PICKER = "campaign-picker"


def _two_campaigns(engine: Engine) -> tuple[int, int]:
    """Return (first, second): three sites in the first, one of them copied into the second."""
    first = campaigns.resolve_campaign(engine)
    for fraction in (0.3, 0.5):
        lon, lat = point_on_street(NT, fraction)
        make_site(engine, lon=lon, lat=lat, status=SiteStatus.INSTALLED)
    lon, lat = point_on_street("Đường Khuất Duy Tiến", 0.5)
    make_site(engine, lon=lon, lat=lat)
    only_kdt = CopyFilters(street_name="Đường Khuất Duy Tiến")
    second = start_campaign(
        engine, ADMIN, "Tết", plan_id=first.plan_id, copy_from=first.id, filters=only_kdt
    )
    return first.id, second.campaign.id


def _total(at) -> str:
    return next(m for m in at.metric if m.label == "Tổng số điểm").value


def test_picker_defaults_to_the_newest_running_and_every_page_follows_it(app_env, engine) -> None:
    first, second = _two_campaigns(engine)
    at = signed_in(engine, Role.STAFF).switch_page("app_pages/home.py").run()
    assert not at.exception
    assert at.selectbox(key=PICKER).value == second
    assert at.query_params["dot"] == str(second)  # the URL names the campaign
    assert _total(at) == "1"
    at.selectbox(key=PICKER).set_value(first).run()
    assert not at.exception and _total(at) == "3"
    assert at.session_state["campaign_id"] == first and at.query_params["dot"] == str(first)
    # Another page keeps the choice: the sites table lists the first campaign's three sites.
    at.switch_page("app_pages/sites.py").run()
    assert not at.exception and len(at.dataframe[0].value) == 3
    at.selectbox(key=PICKER).set_value(second).run()
    assert len(at.dataframe[0].value) == 1


def test_a_link_with_the_campaign_opens_it(app_env, engine) -> None:
    first, _second = _two_campaigns(engine)
    at = signed_in(engine, Role.LEADER)
    at.query_params["dot"] = str(first)
    at.switch_page("app_pages/leader.py").run()
    assert not at.exception
    assert at.selectbox(key=PICKER).value == first and _total(at) == "3"
    # A link to a campaign that does not exist falls back to the newest running one.
    at2 = signed_in(engine, Role.STAFF)
    at2.query_params["dot"] = "999"
    at2.run()
    assert not at2.exception and at2.session_state["campaign_id"] != 999


def test_a_closed_campaign_is_shown_but_offers_no_edits(app_env, engine) -> None:
    first, _second = _two_campaigns(engine)
    campaigns.close_campaign(engine, ADMIN, first)
    with read_session(engine) as s:
        site_id = s.scalar(select(Site.id).where(Site.campaign_id == first))
    at = signed_in(engine, Role.STAFF)
    at.query_params["dot"] = str(first)
    at.session_state["selected_site_id"] = site_id
    at.switch_page("app_pages/home.py").run()
    assert not at.exception
    assert any("đã kết thúc — chỉ xem" in w.value for w in at.warning)
    assert _total(at) == "3"
    maps = [e for e in at.main if "map_div" in str(getattr(e, "proto", ""))]
    assert len(maps) == 1  # the map still renders
    assert at.subheader and not any(b.label == "Lưu thay đổi" for b in at.button)
    assert any("đã kết thúc" in c.value for c in at.caption)
    # The sites table and the export stay; bulk changes and the import are gone.
    at.switch_page("app_pages/sites.py").run()
    assert not at.exception and len(at.dataframe[0].value) == 3
    labels = [e.label for e in at.expander]
    assert t("export.title") in labels
    assert t("import.title") not in labels and t("sites.bulk.title") not in labels
    # No new site in an ended campaign; the leader's page and reports still render.
    at.switch_page("app_pages/new_site.py").run()
    assert not at.exception and any("chỉ xem" in w.value for w in at.warning)
    assert not at.radio
    for page in ("app_pages/leader.py", "app_pages/reports.py", "app_pages/tasks.py"):
        at.switch_page(page).run()
        assert not at.exception, page
        assert any("chỉ xem" in w.value for w in at.warning), page


def test_admin_starts_opens_and_closes_a_campaign(app_env, engine) -> None:
    first = campaigns.resolve_campaign(engine)
    lon, lat = point_on_street(NT, 0.4)
    make_site(engine, lon=lon, lat=lat, status=SiteStatus.INSTALLED)
    at = signed_in(engine, Role.ADMIN).switch_page("app_pages/campaign.py").run()
    assert not at.exception
    assert len(at.dataframe[1].value) == 1  # the list of campaigns
    at.text_input[0].input("Tết Nguyên đán 2099")
    at.text_input[1].input("đón Tết Nguyên đán 2099")
    start = date.today() + timedelta(days=30)  # ahead: the campaign starts as "preparing"
    at.date_input[2].set_value(start)
    at.date_input[3].set_value(start + timedelta(days=40))
    next(b for b in at.button if b.label == "Bắt đầu đợt mới").click().run()
    assert not at.exception
    new = campaigns.list_campaigns(engine)[0]
    assert (new.name, new.state, new.plan_id) == (
        "Tết Nguyên đán 2099", CampaignState.PREPARING, first.plan_id
    )
    assert any("chép 1 điểm" in s.value for s in at.success)
    assert at.session_state["campaign_id"] == new.id  # every page now shows the new one
    assert len(at.dataframe[1].value) == 2
    next(b for b in at.button if b.label == "Bắt đầu triển khai").click().run()
    assert not at.exception
    assert campaigns.resolve_campaign(engine, new.id).state == CampaignState.RUNNING
    next(b for b in at.button if b.label == "Xác nhận kết thúc đợt").click().run()
    assert not at.exception
    assert campaigns.resolve_campaign(engine, new.id).closed
    assert any("đã kết thúc — chỉ xem" in w.value for w in at.warning)
    assert not any(b.label in ("Thêm đợt treo cờ", "Kết thúc đợt") for b in at.button)


def test_staff_sees_the_lifecycle_but_not_the_flag_window_form(app_env, engine) -> None:
    at = signed_in(engine, Role.STAFF).switch_page("app_pages/campaign.py").run()
    assert not at.exception
    assert not any(b.label == "Thêm đợt treo cờ" for b in at.button)
    assert any(b.label == "Xác nhận kết thúc đợt" for b in at.button)
