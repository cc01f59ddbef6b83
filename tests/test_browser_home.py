"""Real browser: the home map draws the district, 11 wards and the streets offline."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from kehoach.adapters.assets import install_assets
from kehoach.domain.enums import Role
from kehoach.services.demo import load_demo
from tests.factories import make_user
from tools.browser import launch_chromium
from tools.server import ARTIFACTS, streamlit_app

pytestmark = pytest.mark.browser


# True once the map shows every ward, at no more than 0.75 zoom levels below the fitting one.
DISTRICT_FITTED = """() => {
  const map = window.map;
  let wards = null;
  map.eachLayer((layer) => {
    if (/kh-ward/.test((layer.options || {}).className || "") && layer.getBounds) {
      wards = wards ? wards.extend(layer.getBounds()) : L.latLngBounds(
        layer.getBounds().getSouthWest(), layer.getBounds().getNorthEast());
    }
  });
  return wards !== null && map.getBounds().contains(wards)
    && map.getBoundsZoom(wards) - map.getZoom() <= 0.75;
}"""


def sign_in(page: Page, url: str, username: str, password: str) -> None:
    """Open the app and sign in through the form."""
    page.goto(url)
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def wait_idle(page: Page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished running the page's script."""
    expect(page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=timeout
    )


def map_frame(page: Page):  # type: ignore[no-untyped-def]
    """Return the streamlit-folium iframe once the Leaflet map is in it."""
    page.wait_for_selector("iframe[title='streamlit_folium.st_folium']", timeout=60_000)
    frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
    frame.locator("path.kh-ward").first.wait_for(timeout=60_000)
    return frame


def test_home_map_draws_offline(engine, db_url, tmp_path) -> None:
    install_assets()
    load_demo(engine)
    # Staff land on the map; leaders land on their overview (tests/test_browser_leader.py).
    make_user(engine, "lanhdao", Role.STAFF, password="mat-khau-lanh-dao")
    ARTIFACTS.mkdir(exist_ok=True)
    # The tile server is unreachable here: the map must still draw without it.
    with streamlit_app(db_url, tmp_path / "streamlit.log") as url, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1440, "height": 1400})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        sign_in(page, url, "lanhdao", "mat-khau-lanh-dao")
        frame = map_frame(page)
        assert frame.locator("path.kh-ward").count() == 11
        assert frame.locator("path.kh-street").count() >= 100
        assert frame.locator("path.kh-main-street").count() >= 3
        legend = frame.locator(".kh-legend")
        assert "Chú giải" in legend.inner_text()
        # The view fits the district: all of it shown, at about the zoom that fits it (a fit
        # taken while the legend was still unstyled once left it small at the top).
        handle = page.wait_for_selector("iframe[title='streamlit_folium.st_folium']")
        handle.content_frame().wait_for_function(DISTRICT_FITTED, timeout=10_000)
        # The title and the campaign line under it do not overlap.
        title = page.locator(".st-key-kh-compact-head h1").bounding_box()
        caption = page.locator(".st-key-kh-compact-head [data-testid='stCaptionContainer']")
        assert title["y"] + title["height"] <= caption.bounding_box()["y"] + 1
        attribution = frame.locator(".leaflet-control-attribution").inner_text()
        assert "OpenStreetMap" in attribution and "censusVN2009" in attribution
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.get_by_text("dữ liệu mẫu").count() >= 1
        wait_idle(page)
        page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)
        browser.close()
    assert not [e for e in errors if "L is not defined" in e]
