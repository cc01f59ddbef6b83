"""Real browser: every page, for every role, shows no English interface words."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from kehoach.adapters.assets import install_assets
from kehoach.domain.enums import Role
from kehoach.i18n import t
from kehoach.services.demo import load_demo
from tests.factories import make_user
from tests.test_browser_home import wait_idle
from tools.browser import launch_chromium
from tools.server import ARTIFACTS, streamlit_app

pytestmark = pytest.mark.browser
PASSWORD = "mat-khau-dai-1"
# Streamlit's own English texts (whole words, case-sensitive): uploader, forms, menus,
# dataframe toolbar, status widget, page-not-found dialog.
ENGLISH = re.compile(
    r"\b(Upload|Browse|per file|Press|View|more|not found|Drag and drop|Limit|Deploy|Rerun|"
    r"Running|Stop|Settings|Clear cache|Download|Search|Fullscreen|Show|files?|Choose|"
    r"Please wait|Connecting|Made with|Page)\b"
)
UPLOAD_BUTTON = "[data-testid=stFileUploaderDropzone] button [data-testid=stMarkdownContainer]"
CLOSED_EXPANDER = "[data-testid=stExpander] details:not([open])"
OPEN_EXPANDERS = f"""() => document.querySelectorAll("{CLOSED_EXPANDER} > summary")
  .forEach((summary) => summary.click())"""
AFTER_CONTENT = "el => getComputedStyle(el, '::after').content"
ROLES = [
    (Role.ADMIN, None),
    (Role.STAFF, None),
    (Role.WARD_OFFICER, "00349"),
    (Role.INSPECTOR, None),
    (Role.LEADER, None),
    (Role.CULTURE_OFFICE, None),
    (Role.FINANCE, None),
    (Role.UNIT_REPORTER, None),
]
# The unit each unit-bound role belongs to (by the plan's name, abbreviations allowed).
UNITS = {Role.CULTURE_OFFICE: "Phòng VH&TT", Role.FINANCE: "Phòng TC-KH",
         Role.UNIT_REPORTER: "Phòng GD&ĐT"}  # fmt: skip


def _english_on(page: Page) -> list[str]:
    wait_idle(page)
    text = page.locator("body").inner_text()
    return sorted({m.group(0) for m in ENGLISH.finditer(text)})


def _pages(page: Page) -> list[str]:
    links = page.locator("[data-testid='stSidebarNav'] a")
    return [href.rsplit("/", 1)[-1] for href in links.evaluate_all("els => els.map(e => e.href)")]


def test_no_english_on_any_page_for_any_role(engine, db_url, tmp_path) -> None:
    install_assets()
    load_demo(engine)
    for role, ward in ROLES:
        make_user(engine, f"u-{role.value}", role, ward_code=ward, unit=UNITS.get(role))
    ARTIFACTS.mkdir(exist_ok=True)
    found: dict[str, list[str]] = {}
    env = {"KEHOACH_TILE_URL": ""}
    with streamlit_app(db_url, tmp_path / "streamlit.log", **env) as url, sync_playwright() as p:
        browser = launch_chromium(p)
        for role, _ward in ROLES:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(url)
            expect(page.get_by_label(t("login.username"))).to_be_visible(timeout=60_000)
            if words := _english_on(page):
                found[f"{role.value}:login"] = words
            page.get_by_label(t("login.username")).fill(f"u-{role.value}")
            page.get_by_label(t("login.password")).fill(PASSWORD)
            page.get_by_role("button", name=t("login.submit")).click()
            expect(page.get_by_role("button", name=t("login.logout"))).to_be_visible(
                timeout=60_000
            )
            for path in _pages(page):
                page.goto(f"{url}/{path}")
                expect(page.get_by_role("button", name=t("login.logout"))).to_be_visible(
                    timeout=60_000
                )
                # Open every expander (in one call: the tasks page has dozens) so what they
                # hold (uploaders) is read too.
                page.evaluate(OPEN_EXPANDERS)
                expect(page.locator(CLOSED_EXPANDER)).to_have_count(0)
                if words := _english_on(page):
                    found[f"{role.value}:{path}"] = words
                for button in page.locator(UPLOAD_BUTTON).all():
                    # The uploader's button reads the catalogue's text instead of "Upload".
                    content = button.evaluate(AFTER_CONTENT)
                    assert t("upload.button") in content
                    page.screenshot(path=str(ARTIFACTS / f"english-{role.value}-{path}.png"))
            context.close()
        browser.close()
    assert found == {}
