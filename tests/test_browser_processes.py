"""Two app processes on one PostgreSQL stay coherent: a write shows on the next rerun.

Each process caches read models keyed by data stamps (``ui.data_version``), not by a
time-to-live: a site created after both have drawn the reports page must show in both at
once, not a minute later.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from kehoach.adapters.assets import install_assets
from kehoach.db.engine import make_engine
from kehoach.domain.enums import Role
from kehoach.i18n import t
from tests.factories import make_site, make_user
from tests.test_browser_home import sign_in, wait_idle
from tools.browser import launch_chromium
from tools.server import streamlit_app

pytestmark = pytest.mark.browser


def planned(page: Page):  # type: ignore[no-untyped-def]
    """Return the sites figure of the reports page's campaign clock."""
    metric = page.get_by_test_id("stMetric").filter(has_text=t("home.kpi.sites"))
    return metric.get_by_test_id("stMetricValue")


def open_reports(page: Page) -> None:
    """Go to the reports page through the menu (a rerun in the same session)."""
    page.get_by_role("link", name=re.compile(re.escape(t("nav.fixes")) + "$")).click()
    wait_idle(page)
    page.get_by_role("link", name=re.compile(re.escape(t("nav.reports")) + "$")).click()
    wait_idle(page)


def test_a_site_saved_in_one_process_shows_in_the_other_on_the_next_rerun(pg_url, tmp_path):
    install_assets()
    engine = make_engine(pg_url)
    admin = make_user(engine, "quantri", Role.ADMIN)
    for _ in range(2):
        make_site(engine, admin)
    with (streamlit_app(pg_url, tmp_path / "a.log") as url_a,
          streamlit_app(pg_url, tmp_path / "b.log") as url_b,
          sync_playwright() as p):
        browser = launch_chromium(p)
        pages = {name: browser.new_page() for name in ("a", "b")}
        for name, url in (("a", url_a), ("b", url_b)):
            sign_in(pages[name], url, "quantri", "mat-khau-dai-1")
            pages[name].get_by_test_id("stSidebarNav").wait_for(timeout=60_000)
            open_reports(pages[name])
            expect(planned(pages[name])).to_have_text("2", timeout=60_000)
        make_site(engine, admin)  # saved outside either process, as another server would
        started = time.monotonic()
        for page in pages.values():
            open_reports(page)
            expect(planned(page)).to_have_text("3", timeout=20_000)
        print(f"both processes showed the new site after {time.monotonic() - started:.1f} s")
        browser.close()
    engine.dispose()
