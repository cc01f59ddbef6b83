"""AppTest of the site card's edit form on the home map: saves reach the database, and the
version the form remembers is the one it showed (no false conflict after leaving the card)."""

from __future__ import annotations

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from kehoach.db.engine import read_session
from kehoach.db.models import Site, SiteEvent
from kehoach.domain.enums import Role
from kehoach.escape import escape_markdown
from kehoach.services.sites import SiteChanges, update_site
from tests.apptest import signed_in
from tests.factories import make_site, make_user

SELECTED = "selected_site_id"


def _widget(widgets, suffix: str):
    return next(
        w for w in widgets if w.key and w.key.startswith("edit-") and w.key.endswith(suffix)
    )


def _save(at: AppTest) -> AppTest:
    return next(b for b in at.button if b.label == "Lưu thay đổi").click().run()


def _site(engine, site_id: int) -> Site:
    with read_session(engine) as s:
        return s.get(Site, site_id)


def _status_events(engine, site_id: int) -> list[tuple[str, str | None, str | None, str]]:
    with read_session(engine) as s:
        events = s.scalars(
            select(SiteEvent).where(SiteEvent.site_id == site_id, SiteEvent.field == "status")
        )
        return [(e.username, e.old_value, e.new_value, e.source) for e in events]


def test_saving_the_home_map_form_changes_the_site_and_its_history(app_env, engine) -> None:
    site_id = make_site(engine)
    at = signed_in(engine, Role.STAFF)
    at.session_state[SELECTED] = site_id
    at.run()
    _widget(at.selectbox, "-status").select("installing")
    _widget(at.text_area, "-n").input("Đang dựng khung")
    _save(at)
    assert not at.exception and not at.error
    assert any("Đã lưu điểm" in s.value for s in at.success)
    site = _site(engine, site_id)
    assert (site.status, site.note, site.version) == ("installing", "Đang dựng khung", 2)
    assert _status_events(engine, site_id) == [("user-staff", "planned", "installing", "ui")]


def test_coming_back_after_someone_else_saved_is_not_a_conflict(app_env, engine) -> None:
    site_id = make_site(engine)
    at = signed_in(engine, Role.STAFF)
    at.session_state[SELECTED] = site_id
    at.run()  # the form shows version 1
    at.session_state[SELECTED] = None
    at.run()  # leave the card
    other = make_user(engine, "nguoi-khac", Role.STAFF)
    update_site(engine, other, site_id, 1, SiteChanges({"note": "Ghi chú của người khác"}))
    at.session_state[SELECTED] = site_id
    at.run()  # come back: the form shows version 2
    assert _widget(at.text_area, "-n").value == "Ghi chú của người khác"
    _widget(at.selectbox, "-status").select("installing")
    _save(at)
    assert not at.exception and not at.error
    site = _site(engine, site_id)
    assert (site.status, site.note, site.version) == ("installing", "Ghi chú của người khác", 3)


def test_a_save_from_a_form_shown_before_someone_else_saved_is_refused(app_env, engine) -> None:
    site_id = make_site(engine)
    at = signed_in(engine, Role.STAFF)
    at.session_state[SELECTED] = site_id
    at.run()  # the form shows version 1 and stays on screen
    other = make_user(engine, "nguoi-khac", Role.STAFF)
    update_site(engine, other, site_id, 1, SiteChanges({"note": "Ghi chú của người khác"}))
    _widget(at.selectbox, "-status").select("installing")
    _save(at)
    assert any(escape_markdown("nguoi-khac") in e.value for e in at.error)
    site = _site(engine, site_id)
    assert (site.status, site.version) == ("planned", 2)
    # The form reloaded at the current version: saving again is accepted.
    _widget(at.selectbox, "-status").select("installing")
    _save(at)
    assert _site(engine, site_id).status == "installing"
