"""Real browser: the leader's home at 1280×800 (tablet) fits the width and draws coverage."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright

from kehoach.adapters.assets import install_assets
from kehoach.domain.enums import Role
from kehoach.services.demo import load_demo
from kehoach.services.routes import register_route
from tests.factories import make_user, street_id, ward_id
from tests.test_browser_home import map_frame, sign_in, wait_idle
from tools.browser import launch_chromium
from tools.server import ARTIFACTS, streamlit_app

pytestmark = pytest.mark.browser

# Length and on-screen middle (in the map's frame) of each drawn gap.
MIDDLES = """els => els.map(el => {
  const length = el.getTotalLength(), p = el.getPointAtLength(length / 2);
  const m = el.getScreenCTM();
  return [length, p.x * m.a + m.e, p.y * m.d + m.f];
})"""

VIEWPORT = {"width": 1280, "height": 800}
# The document and Streamlit's own scrolling main block must both fit the width.
NO_SIDEWAYS_SCROLL = """() => [document.documentElement,
    document.querySelector('[data-testid=stMain]')]
  .filter(el => el && el.scrollWidth > el.clientWidth)
  .map(el => [el.tagName, el.scrollWidth, el.clientWidth])"""


def _gap_tooltip(page, frame):  # type: ignore[no-untyped-def]
    """Point at the middle of the three longest gaps; yield whether a gap tooltip showed."""
    element = page.locator("iframe[title='streamlit_folium.st_folium']")
    element.scroll_into_view_if_needed()
    expect(element).to_be_in_viewport()
    iframe = element.bounding_box()
    middles = frame.locator("path.kh-gap").evaluate_all(MIDDLES)
    for _, x, y in sorted(middles, reverse=True)[:3]:
        page.mouse.move(iframe["x"] + x, iframe["y"] + y)
        tip = frame.locator(".kh-tip").filter(has_text="đoạn chưa trang trí")
        try:
            expect(tip.first).to_be_visible(timeout=3_000)
        except AssertionError:
            yield False
        else:
            yield True


def test_leader_home_fits_a_tablet_and_draws_coverage(engine, db_url, tmp_path) -> None:
    install_assets()
    load_demo(engine)
    admin = make_user(engine, "quantri", Role.ADMIN)
    register_route(engine, admin, street_id(engine, "Phố Khương Trung"), ward_id(engine, "00349"))
    make_user(engine, "lanhdao", Role.LEADER, password="mat-khau-lanh-dao")
    ARTIFACTS.mkdir(exist_ok=True)
    with streamlit_app(db_url, tmp_path / "streamlit.log") as url, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport=VIEWPORT)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        sign_in(page, url, "lanhdao", "mat-khau-lanh-dao")
        page.get_by_text("Tổng quan tiến độ trang trí").first.wait_for(timeout=60_000)
        frame = map_frame(page)
        assert frame.locator("path.kh-ward").count() == 11
        assert frame.locator("path.kh-street").count() >= 100
        gaps = frame.locator("path.kh-gap")
        assert gaps.count() >= 50
        assert "Đoạn phố chưa trang trí" in frame.locator(".kh-legend").inner_text()
        # Streets are coloured by coverage: more than the plain grey and main-street colours.
        colours = frame.locator("path.kh-street").evaluate_all(
            "els => Array.from(new Set(els.map(e => e.getAttribute('stroke'))))"
        )
        assert len(colours) >= 5
        page.get_by_text("Chờ phê duyệt (2)").wait_for(timeout=30_000)
        page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=30_000)
        wait_idle(page)
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.evaluate(NO_SIDEWAYS_SCROLL) == [], "the page scrolls sideways"
        page.screenshot(path=str(ARTIFACTS / "leader-1280x800.png"))
        assert any(_gap_tooltip(page, frame)), "no gap shows its tooltip under the pointer"
        page.screenshot(path=str(ARTIFACTS / "leader-1280x800-gap.png"))
        page.mouse.move(0, 0)
        # Streamlit scrolls its main block, not the document: grow the window to see it all.
        height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
        height = min(int(height), 4000)
        page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
        page.wait_for_function("(h) => window.innerHeight === h", arg=height)
        wait_idle(page)
        page.screenshot(path=str(ARTIFACTS / "leader-1280x800-all.png"))
        browser.close()
    assert not errors, errors
