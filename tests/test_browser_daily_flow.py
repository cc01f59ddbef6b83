"""Real browser: the daily flow in a few taps — a high map, two taps to a saved status, a
chooser for overlapping sites, a table that fits a laptop, an inspection page for phones."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Frame, Page, expect, sync_playwright

from kehoach.adapters.assets import install_assets
from kehoach.db.engine import read_session
from kehoach.db.models import Site
from kehoach.domain.enums import Role, SiteStatus
from tests.factories import make_site, make_user, point_on_street
from tests.test_browser_home import map_frame, sign_in, wait_idle
from tests.test_browser_inspect import MIN_TOUCH_PX, SMALL_TARGETS_JS
from tools.browser import launch_chromium
from tools.server import ARTIFACTS, streamlit_app

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 800}
MAP_TOP_MAX_PX = 300
METRE_DEG = 1 / 111_320  # a metre of latitude, in degrees
IFRAME = "iframe[title='streamlit_folium.st_folium']"


def _status(engine, site_id: int) -> str:
    with read_session(engine) as s:
        return s.get(Site, site_id).status


def _code(engine, site_id: int) -> str:
    with read_session(engine) as s:
        return s.get(Site, site_id).code


def _leaflet(page: Page) -> Frame:
    map_frame(page)
    frame = page.locator(IFRAME).element_handle().content_frame()
    assert frame is not None
    frame.wait_for_function("window.khSites !== undefined", timeout=60_000)
    return frame


def _tap_site(page: Page, site_id: int) -> None:
    """Tap a site where it is drawn (Playwright finds the map where it is at tap time)."""
    frame = _leaflet(page)
    point = frame.evaluate("(id) => window.khSites.sitePoint(id)", site_id)
    frame.locator(".leaflet-container").first.click(position={"x": point["x"], "y": point["y"]})


def test_daily_flows_in_a_few_taps(engine, db_url, tmp_path) -> None:
    install_assets()
    lon, lat = point_on_street("Đường Nguyễn Trãi", 0.4)
    single = make_site(engine, lon=lon, lat=lat, name="Pa-nô một mình")
    lon2, lat2 = point_on_street("Phố Hoàng Văn Thái", 0.5)
    first = make_site(engine, lon=lon2, lat=lat2, name="Cờ cổng trường")
    second = make_site(engine, lon=lon2, lat=lat2 + 3 * METRE_DEG, name="Pa-nô cổng trường")
    make_user(engine, "canbo", Role.STAFF, password="mat-khau-can-bo")
    make_user(engine, "kiemtra", Role.INSPECTOR, password="mat-khau-kiem-tra")
    ARTIFACTS.mkdir(exist_ok=True)
    timings: dict[str, float] = {}
    with streamlit_app(db_url, tmp_path / "streamlit.log") as url, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport=LAPTOP)
        sign_in(page, url, "canbo", "mat-khau-can-bo")
        map_frame(page)
        wait_idle(page)
        top = page.locator(IFRAME).evaluate("el => el.getBoundingClientRect().top")
        assert top <= MAP_TOP_MAX_PX, top
        page.screenshot(path=str(ARTIFACTS / "home-1366.png"))

        # Two sites 3 m apart: one tap lists both; the second is one more tap.
        started = time.perf_counter()
        _tap_site(page, first)
        frame = _leaflet(page)
        choices = frame.locator(".kh-choice")
        choices.first.wait_for(timeout=30_000)
        assert choices.count() == 2
        wait_idle(page)  # a rerun the popup's pan may have started has finished
        frame.locator(f".kh-choice[data-site-id='{second}']").click()
        code = _code(engine, second)
        page.get_by_role("heading", name=code).wait_for(timeout=60_000)
        timings["overlap: tap → chooser → card"] = time.perf_counter() - started
        wait_idle(page)
        ring = _leaflet(page).locator("path.kh-selected")
        ring.first.wait_for(timeout=30_000)  # the chosen site wears a ring

        # Two taps from the map to a saved status: the site, then its next status.
        started = time.perf_counter()
        _tap_site(page, single)  # tap 1
        page.get_by_role("heading", name=_code(engine, single)).wait_for(timeout=60_000)
        quick = page.get_by_role("button", name="Đang lắp đặt", exact=True)
        timings["tap site → card"] = time.perf_counter() - started
        wait_idle(page)
        quick.click()  # tap 2
        expect(page.get_by_text(f"Đã lưu điểm {_code(engine, single)}").first).to_be_visible(
            timeout=60_000
        )
        timings["tap site → saved status"] = time.perf_counter() - started
        assert _status(engine, single) == SiteStatus.INSTALLING.value
        assert f"site={_code(engine, single)}" in page.url  # the link carries the site
        wait_idle(page)

        # The sites table fits a 1366 px screen: no sideways scroll.
        page.goto(f"{url}/sites")
        page.get_by_test_id("stDataFrame").first.wait_for(timeout=60_000)
        wait_idle(page)
        overflow = page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller')]
                     .map(el => el.scrollWidth - el.clientWidth)"""
        )
        assert overflow and max(overflow) <= 1, overflow
        page.screenshot(path=str(ARTIFACTS / "sites-1366.png"))

        # A phone: the map's legend starts folded.
        phone = browser.new_context(viewport=PHONE).new_page()
        sign_in(phone, url, "canbo", "mat-khau-can-bo")
        legend = map_frame(phone).locator(".kh-legend").first
        expect(legend).to_have_class(re.compile(r"\bkh-legend-collapsed\b"), timeout=30_000)

        # An inspector's phone: no sideways scroll, every control a fingertip tall.
        inspector = browser.new_context(viewport=PHONE).new_page()
        started = time.perf_counter()
        sign_in(inspector, url, "kiemtra", "mat-khau-kiem-tra")
        inspector.get_by_role("heading", name="Kiểm tra điểm trực quan").wait_for(timeout=60_000)
        wait_idle(inspector)
        timings["inspector sign-in → inspection page"] = time.perf_counter() - started
        width = inspector.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
        assert inspector.evaluate(SMALL_TARGETS_JS, MIN_TOUCH_PX) == []
        inspector.screenshot(path=str(ARTIFACTS / "inspect-360.png"), full_page=True)
        browser.close()
    for name, seconds in timings.items():
        print(f"{name}: {seconds:.1f} s")
