"""Markdown payloads in user-entered values render as text on every page that shows them.

Sites, a unit, a campaign, a report and a legacy account carry links, images, colour and
icon directives, LaTeX, raw HTML and bold; each page is rendered through AppTest for a role
that sees them, and no Markdown-bearing element may let one act.
"""

from __future__ import annotations

import re
import time
from datetime import date

import pytest
from sqlalchemy import Engine, update
from streamlit.testing.v1 import AppTest

from kehoach.db.engine import write_session
from kehoach.db.models import Campaign, Unit, User
from kehoach.domain.enums import Role, SiteStatus
from kehoach.domain.permissions import Actor
from kehoach.services import campaigns, progress, reports
from kehoach.services.campaign_start import start_campaign
from kehoach.services.sites import SiteChanges, update_site
from tests.apptest import APP, TIMEOUT
from tests.factories import make_site, make_user, point_on_street

PAYLOAD = (
    "[x](http://evil/) ![b](http://evil/b.png) :red[x] :material/home: "
    "$\\frac{1}{2}$ <img src=x onerror=alert(1)> **x**"
)
LONG = (PAYLOAD + " ") * 3
# What must never reach the page unescaped (each is the payload's own text); an escaped one
# starts with a backslash.
FORBIDDEN = [re.compile(r"(?<!\\)" + re.escape(bad)) for bad in (
    "](http://evil", "![b]", ":red[x]", ":material/home:", "$\\frac", "<img", "**x**",
)]  # fmt: skip
ADMIN = Actor(None, "test", Role.ADMIN)
NT = "Đường Nguyễn Trãi"


def _texts(at: AppTest) -> list[str]:
    """Return the text of every element that Streamlit renders as Markdown."""
    kinds = ("markdown", "subheader", "header", "title", "caption", "error", "warning", "info",
             "success", "toast")  # fmt: skip
    out = [str(e.value) for kind in kinds for e in getattr(at, kind)]
    return out + [str(e.label) for e in at.expander]


def _assert_inert(at: AppTest, shown: bool = True) -> None:
    assert not at.exception, at.exception
    texts = _texts(at)
    if shown:  # else the page shows the values in tables only (plain text)
        assert any("evil" in text for text in texts), "the page did not show the payload"
    for text in texts:
        for bad in FORBIDDEN:
            assert not bad.search(text), f"{bad.pattern!r} survives in {text[:300]!r}"


class World:
    """A campaign, unit, sites, report and a legacy account that all carry the payload."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        first = campaigns.resolve_campaign(engine)
        with write_session(engine) as s:
            self.unit_id = s.scalars(
                update(Unit).where(Unit.plan_id == first.plan_id).values(name=PAYLOAD)
                .returning(Unit.id)
            ).first()  # fmt: skip
            s.execute(update(Campaign).where(Campaign.id == first.id)
                      .values(name=PAYLOAD[:200], occasion=PAYLOAD))  # fmt: skip
        self.first_id = first.id
        lon, lat = point_on_street(NT, 0.4)
        texts = {"name": PAYLOAD, "address": PAYLOAD, "note": PAYLOAD, "unit_id": self.unit_id}
        self.site = make_site(engine, lon=lon, lat=lat, status=SiteStatus.INSTALLED, **texts)
        self.long_site = make_site(engine, name=LONG[:300], status=SiteStatus.INSTALLED)
        self.pending = make_site(engine, is_new=True, estimated_cost=1_000_000, **texts)
        self.fix = make_site(engine, status=SiteStatus.NEEDS_FIX, **texts)
        reports.submit_monthly_report(engine, ADMIN, progress.current_month(), PAYLOAD,
                                      unit_id=self.unit_id)  # fmt: skip
        legacy = make_user(engine, "cu.nguoidung", Role.STAFF)
        with write_session(engine) as s:  # an account from before names were checked
            s.execute(update(User).where(User.id == legacy.id).values(username=PAYLOAD[:80]))
        self.legacy = Actor(legacy.id, PAYLOAD[:80], Role.STAFF)

    def start_second_campaign(self) -> None:
        start_campaign(self.engine, ADMIN, PAYLOAD[:200], plan_id=campaigns.resolve_campaign(
            self.engine, self.first_id).plan_id, occasion=PAYLOAD, start=date.today(),
            end=date.today(), copy_from=self.first_id)  # fmt: skip


@pytest.fixture
def world(app_env, engine: Engine) -> World:
    return World(engine)


def _app(engine: Engine, role: Role, page: str, ward: str | None = None) -> AppTest:
    actor = make_user(engine, f"user-{role.value}", role, ward_code=ward)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["user_id"] = actor.id
    return at.switch_page(page)


PAGES = [
    (Role.LEADER, "app_pages/approvals.py"),
    (Role.STAFF, "app_pages/approvals.py"),
    (Role.LEADER, "app_pages/leader.py"),
    (Role.STAFF, "app_pages/fixes.py"),
    (Role.STAFF, "app_pages/reports.py"),
    (Role.LEADER, "app_pages/reports.py"),
    (Role.STAFF, "app_pages/plan.py"),
    (Role.ADMIN, "app_pages/campaign.py"),
    (Role.STAFF, "app_pages/campaign.py"),
]


@pytest.mark.parametrize(("role", "page"), PAGES, ids=lambda v: getattr(v, "value", v))
def test_pages_show_payloads_as_text(world: World, role: Role, page: str) -> None:
    _assert_inert(_app(world.engine, role, page).run())


def test_sites_table_page(world: World) -> None:
    _assert_inert(_app(world.engine, Role.STAFF, "app_pages/sites.py").run(), shown=False)


@pytest.mark.parametrize("role", [Role.STAFF, Role.LEADER])
def test_home_card_heading_and_lines(world: World, role: Role) -> None:
    at = _app(world.engine, role, "app_pages/home.py")
    at.session_state["selected_site_id"] = world.site
    _assert_inert(at.run())
    at.session_state["selected_site_id"] = world.long_site
    _assert_inert(at.run())


def test_inspect_list_and_chosen_site(world: World) -> None:
    at = _app(world.engine, Role.INSPECTOR, "app_pages/inspect.py")
    lon, lat = point_on_street(NT, 0.4)
    at.session_state["inspect_gps_fix"] = {"lon": lon, "lat": lat, "accuracy": 9.0,
                                           "received": time.time()}  # fmt: skip
    _assert_inert(at.run())
    at.session_state["inspect_site_id"] = world.site
    _assert_inert(at.run())


def test_compare_page(world: World) -> None:
    world.start_second_campaign()
    _assert_inert(_app(world.engine, Role.LEADER, "app_pages/compare.py").run())


def test_version_conflict_names_the_other_editor_as_text(world: World) -> None:
    at = _app(world.engine, Role.STAFF, "app_pages/home.py")
    at.session_state["selected_site_id"] = world.site
    at.run()  # the form shows version 1
    update_site(world.engine, world.legacy, world.site, 1, SiteChanges({"quantity": 2}))
    form_status = next(w for w in at.selectbox if w.key and w.key.endswith("-status"))
    form_status.select("needs_fix")
    next(b for b in at.button if b.label == "Lưu thay đổi").click().run()
    assert any("evil" in e.value for e in at.error), "no conflict message"
    _assert_inert(at)


def _import_with_name(actor_id: int, filename: str) -> None:
    from kehoach.services import auth
    from kehoach.ui import engine
    from kehoach.ui.site_import import _run

    actor = auth.load_actor(engine(), actor_id)
    _run(actor, b"", filename, dry_run=True)


def test_import_error_names_the_file_as_text(world: World) -> None:
    staff = make_user(world.engine, "nhap.tep", Role.STAFF)
    at = AppTest.from_function(_import_with_name, args=(staff.id, PAYLOAD + ".csv"),
                               default_timeout=TIMEOUT)  # fmt: skip
    at.run()
    assert at.error, "no import error"
    _assert_inert(at)
