"""Real browser: a session survives reload, new tab and bookmark; roles land where they work."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from kehoach.domain.enums import Role
from kehoach.i18n import t
from kehoach.services import auth
from tests.factories import make_user
from tests.test_browser_home import wait_idle
from tools.browser import launch_chromium
from tools.server import streamlit_app

pytestmark = pytest.mark.browser
PASSWORD = "mat-khau-dai-1"


def _fill_sign_in(page: Page, username: str) -> None:
    page.get_by_label(t("login.username")).fill(username)
    page.get_by_label(t("login.password")).fill(PASSWORD)
    page.get_by_role("button", name=t("login.submit")).click()


def _heading(page: Page, key: str):  # type: ignore[no-untyped-def]
    return page.get_by_role("heading", name=t(key))


def _no_page_not_found(page: Page) -> None:
    wait_idle(page)
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_text("not found").count() == 0


def test_session_survives_reload_new_tab_and_bookmark(engine, db_url, tmp_path) -> None:
    admin = make_user(engine, "quantri", Role.ADMIN)
    make_user(engine, "kiemtra", Role.INSPECTOR)
    with streamlit_app(db_url, tmp_path / "streamlit.log") as url, sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        # A deep link while signed out: the sign-in form at that address, then the page.
        page.goto(f"{url}/reports")
        expect(page.get_by_label(t("login.username"))).to_be_visible(timeout=60_000)
        _no_page_not_found(page)
        _fill_sign_in(page, "kiemtra")
        expect(_heading(page, "reports.title")).to_be_visible(timeout=60_000)
        assert urlparse(page.url).path.endswith("/reports")  # the query keeps the view
        _no_page_not_found(page)
        cookie = next(c for c in context.cookies() if c["name"] == "kh_session")
        assert cookie["sameSite"] == "Strict" and cookie["expires"] > 0
        assert cookie["value"] not in page.url

        page.reload()  # a reload keeps the session and the page
        expect(_heading(page, "reports.title")).to_be_visible(timeout=60_000)
        assert page.get_by_label(t("login.username")).count() == 0

        tab = context.new_page()  # a new tab at the root lands on the inspector's page
        tab.goto(url)
        expect(_heading(tab, "inspect.title")).to_be_visible(timeout=60_000)
        bookmark = context.new_page()  # a bookmark of a page the role does not use
        bookmark.goto(f"{url}/campaign")
        expect(bookmark.get_by_text(t("nav.not_for_role"))).to_be_visible(timeout=60_000)
        _no_page_not_found(bookmark)

        # Sign-out revokes the token: another tab's next click and a new tab are signed out.
        page.get_by_role("button", name=t("login.logout")).click()
        expect(page.get_by_label(t("login.username"))).to_be_visible(timeout=60_000)
        wait_idle(page)
        assert "kh_session" not in {c["name"] for c in context.cookies() if c["value"]}
        fresh = context.new_page()
        fresh.goto(f"{url}/reports")
        expect(fresh.get_by_label(t("login.username"))).to_be_visible(timeout=60_000)

        # Disabling the account ends a live session on its next reload.
        _fill_sign_in(fresh, "kiemtra")
        expect(_heading(fresh, "reports.title")).to_be_visible(timeout=60_000)
        auth.set_user_active(engine, admin, "kiemtra", False)
        fresh.reload()
        expect(fresh.get_by_label(t("login.username"))).to_be_visible(timeout=60_000)
        browser.close()


@pytest.mark.parametrize(
    ("role", "heading", "width", "collapsed"),
    [
        (Role.LEADER, "leader.title", 1280, "false"),
        (Role.LEADER, "leader.title", 900, "true"),
        (Role.STAFF, "app.title", 900, "true"),
        (Role.INSPECTOR, "inspect.title", 800, "true"),
        (Role.WARD_OFFICER, "app.title", 1280, "false"),
    ],
)
def test_each_role_lands_where_it_works(
    engine, db_url, tmp_path, role, heading, width, collapsed
) -> None:
    ward = "00349" if role == Role.WARD_OFFICER else None
    make_user(engine, "nguoidung", role, ward_code=ward)
    with streamlit_app(db_url, tmp_path / "streamlit.log") as url, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(url)
        expect(page.get_by_label(t("login.username"))).to_be_visible(timeout=60_000)
        _fill_sign_in(page, "nguoidung")
        expect(_heading(page, heading).first).to_be_visible(timeout=60_000)
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar).to_have_attribute("data-collapsed", collapsed, timeout=10_000)
        wait_idle(page)
        overflow = page.evaluate(
            "() => [document.documentElement, document.querySelector('[data-testid=stMain]')]"
            ".filter(el => el && el.scrollWidth > el.clientWidth).length"
        )
        assert overflow == 0
        cut_labels = page.evaluate(
            "() => [...document.querySelectorAll('[data-testid=stMetricLabel] p')]"
            ".filter(el => el.scrollWidth > el.clientWidth + 1).map(el => el.textContent)"
        )
        assert cut_labels == []  # KPI tiles wrap instead of truncating their labels
        browser.close()
