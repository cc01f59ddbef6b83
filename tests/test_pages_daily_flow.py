"""AppTest of the daily flow: one-tap status, filters kept across pages and in links,
ward officers starting on their own ward, and a link that opens a site."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from kehoach.db.engine import read_session
from kehoach.db.models import Site, SiteEvent
from kehoach.domain.enums import Role
from kehoach.escape import escape_markdown
from kehoach.services.demo import load_demo
from kehoach.ui import view_state
from tests.apptest import APP, TIMEOUT, signed_in
from tests.factories import make_site, make_user, ward_id

OWN = "00349"
SELECTED = "selected_site_id"


def _site(engine, site_id: int) -> Site:
    with read_session(engine) as s:
        return s.get(Site, site_id)


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _ward_filter(at: AppTest):
    return next(m for m in at.multiselect if m.label == "Phường")


def test_one_tap_on_a_next_status_saves_it_against_the_cards_version(app_env, engine) -> None:
    site_id = make_site(engine)
    at = signed_in(engine, Role.STAFF)
    at.session_state[SELECTED] = site_id
    at.run()
    quick = [b.label for b in at.button if b.key and b.key.startswith(f"quick-{site_id}-")]
    assert quick == ["Đang lắp đặt", "Đã hoàn thành", "Đã tháo dỡ"]  # planned → allowed moves
    _button(at, "Đang lắp đặt").click().run()
    assert not at.exception and not at.error
    site = _site(engine, site_id)
    assert (site.status, site.version) == ("installing", 2)
    with read_session(engine) as s:
        events = s.query(SiteEvent).filter_by(site_id=site_id, field="status").all()
        assert [(e.old_value, e.new_value) for e in events] == [("planned", "installing")]
    # The card shows the new status's next moves, and the KPI tiles count it at once.
    quick = [b.label for b in at.button if b.key and b.key.startswith(f"quick-{site_id}-2-")]
    assert quick == ["Chưa triển khai", "Đã hoàn thành"]
    assert next(m for m in at.metric if m.label == "Đang lắp đặt").value == "1"


def test_a_leader_gets_no_status_buttons(app_env, engine) -> None:
    site_id = make_site(engine)
    at = signed_in(engine, Role.LEADER)
    at.session_state[SELECTED] = site_id
    at.switch_page("app_pages/home.py").run()
    assert not [b for b in at.button if b.key and b.key.startswith("quick-")]


def test_filters_stay_when_moving_between_pages_and_go_into_the_url(app_env, engine) -> None:
    load_demo(engine)
    at = signed_in(engine, Role.STAFF).run()
    next(m for m in at.multiselect if m.label == "Trạng thái").select("installed").run()
    assert at.query_params["tt"] == "installed"
    at.switch_page("app_pages/sites.py").run()
    assert not at.exception
    assert next(m for m in at.multiselect if m.label == "Trạng thái").value == ["installed"]
    at.switch_page("app_pages/home.py").run()
    assert next(m for m in at.multiselect if m.label == "Trạng thái").value == ["installed"]


def test_ward_officer_starts_on_own_ward_one_tap_from_the_district(app_env, engine) -> None:
    load_demo(engine)
    at = signed_in(engine, Role.WARD_OFFICER, ward=OWN)
    at.switch_page("app_pages/home.py").run()
    assert _ward_filter(at).value == [ward_id(engine, OWN)]
    _button(at, "Toàn quận").click().run()
    assert not at.exception
    assert _ward_filter(at).value == []
    assert not any(b.label == "Toàn quận" for b in at.button)


def test_a_pasted_link_opens_the_same_filters_and_site(app_env, engine) -> None:
    site_id = make_site(engine, name="Pa-nô cổng chợ")
    code = _site(engine, site_id).code
    actor = make_user(engine, "dongnghiep", Role.STAFF)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["user_id"] = actor.id
    at.query_params["site"] = code
    at.query_params["tt"] = "planned"
    at.query_params["phuong"] = OWN
    at.switch_page("app_pages/home.py").run()
    assert not at.exception
    # The card of the linked site (its heading shows the code through the Markdown escape).
    assert any(escape_markdown(code) in s.value for s in at.subheader)
    assert next(m for m in at.multiselect if m.label == "Trạng thái").value == ["planned"]
    assert _ward_filter(at).value == [ward_id(engine, OWN)]


def test_stale_link_values_are_dropped() -> None:
    assert view_state._from_url("statuses", "planned,nonsense", {"planned": "x"}) == ["planned"]
    assert view_state._from_url("street_ids", "1,abc,99", {1: "a"}) == [1]


def test_a_save_shows_at_once_in_other_sessions_tiles_and_leader_tables(app_env, engine) -> None:
    site_id = make_site(engine)
    leader = signed_in(engine, Role.LEADER).run()
    other = AppTest.from_file(APP, default_timeout=TIMEOUT)
    other.session_state["user_id"] = make_user(engine, "canbo2", Role.STAFF).id
    other.run()

    def installed(at: AppTest) -> str:
        return next(m for m in at.metric if m.label == "Đã hoàn thành").value

    assert installed(leader) == "0" and installed(other) == "0"
    editor = signed_in(engine, Role.STAFF)
    editor.session_state[SELECTED] = site_id
    editor.run()
    _button(editor, "Đã hoàn thành").click().run()
    assert _site(engine, site_id).status == "installed"
    assert installed(leader.run()) == "1"  # the leader's overview, next render
    assert installed(other.run()) == "1"  # another editor's map tiles, next render
    wards = leader.dataframe[0].value
    assert wards["installed"].sum() == 1 and wards["planned"].sum() == 0  # the ward table
