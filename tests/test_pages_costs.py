"""AppTest: Finance-Planning reads costs on the approvals page; the card says a site's approval."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from kehoach.domain.enums import Role
from kehoach.domain.permissions import Actor
from kehoach.i18n import t
from kehoach.services import queries, sites
from kehoach.ui import SELECTED_SITE
from tests.apptest import APP, TIMEOUT, signed_in
from tests.factories import make_site, make_user

ADMIN = Actor(None, "setup", Role.ADMIN)


def _new_sites(engine: Engine) -> tuple[int, int]:
    pending = make_site(engine, is_new=True, estimated_cost=2_000_000, name="Pa-nô chờ")
    rejected = make_site(engine, is_new=True, estimated_cost=5_000_000, name="Pa-nô loại")
    sites.decide_approval(engine, ADMIN, rejected, approve=False, reason="Che khuất biển báo")
    return pending, rejected


def test_finance_lands_on_costs_and_may_comment(app_env, engine: Engine) -> None:
    _new_sites(engine)
    at = signed_in(engine, Role.FINANCE).run()
    assert not at.exception
    assert t("costs.title") in [s.value for s in at.subheader]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("costs.col.estimated")] == "2.000.000 đ"  # the rejected 5 million left out
    captions = " ".join(c.value for c in at.caption)
    assert t("costs.rejected", n=1, amount="5.000.000 đ") in captions
    assert at.text_area  # the comment form
    assert not [b for b in at.button if b.label == t("approvals.approve")]  # no decision


def test_staff_read_costs_without_the_comment_form(app_env, engine: Engine) -> None:
    _new_sites(engine)
    at = signed_in(engine, Role.STAFF).switch_page("app_pages/approvals.py").run()
    assert not at.exception
    assert t("costs.title") in [s.value for s in at.subheader]
    assert not at.text_area


def test_the_card_of_a_rejected_site_says_so_and_why(app_env, engine: Engine) -> None:
    pending, rejected = _new_sites(engine)
    at = signed_in(engine, Role.STAFF)
    at.session_state[SELECTED_SITE] = rejected
    at.run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert t("card.approval_badge.rejected") in errors and "Che khuất biển báo" in errors
    at.session_state[SELECTED_SITE] = pending
    at.run()
    assert t("card.approval_badge.pending") in [w.value for w in at.warning]


def _widget(widgets, suffix: str):  # type: ignore[no-untyped-def]
    return next(w for w in widgets if str(w.key).endswith(suffix))


def test_the_form_of_a_new_site_records_source_and_spend(app_env, engine: Engine) -> None:
    pending, _ = _new_sites(engine)
    at = signed_in(engine, Role.STAFF)
    at.session_state[SELECTED_SITE] = pending
    at.run()
    # A pending site is not offered "installing" or "installed".
    assert _widget(at.selectbox, "-status").options == ["Chưa triển khai", "Đã tháo dỡ"]
    sites.decide_approval(engine, ADMIN, pending, approve=True)
    at = signed_in(engine, Role.ADMIN)  # a fresh form (the old one would meet a newer version)
    at.session_state[SELECTED_SITE] = pending
    at.run()
    _widget(at.selectbox, "-status").select("installed")
    _widget(at.selectbox, "-fs").select("contributions")
    _widget(at.number_input, "-ac").set_value(1_500_000)
    next(b for b in at.button if b.label == t("form.save")).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    card = queries.load_site_card(engine, pending)
    assert card is not None
    assert (card.status, card.funding_source, card.actual_cost) == (
        "installed", "contributions", 1_500_000,
    )


@pytest.mark.parametrize(
    ("role", "unit", "title"),
    [
        (Role.CULTURE_OFFICE, "Phòng VH&TT", "leader.title"),
        (Role.FINANCE, "Phòng TC-KH", "approvals.title"),
        (Role.UNIT_REPORTER, "Phòng GD&ĐT", "tasks.title"),
    ],
)
def test_unit_roles_land_where_they_work(app_env, engine: Engine, role, unit, title) -> None:
    actor = make_user(engine, f"u-{role.value}", role, unit=unit)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["user_id"] = actor.id
    at.run()
    assert not at.exception
    assert at.title[0].value == t(title)
    # Nobody of these roles is offered a site form or the new-site page.
    assert not [b for b in at.button if b.label == t("form.save")]
