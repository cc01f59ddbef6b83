"""Real browser: staff edits from the map, a leader sees it, wards and conflicts are enforced."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, sync_playwright

from kehoach.adapters.assets import install_assets
from kehoach.db.engine import read_session
from kehoach.db.models import Site
from kehoach.domain.enums import Role, SiteStatus
from tests.factories import make_site, make_user, point_on_street, ward_point
from tests.test_browser_home import map_frame, sign_in, wait_idle
from tools.browser import launch_chromium
from tools.server import ARTIFACTS, streamlit_app

pytestmark = pytest.mark.browser
PASSWORD = "mat-khau-thu-nghiem"
MAP = "iframe[title='streamlit_folium.st_folium']"
SITE_DRAWN = """([lat, lon]) => {
  const map = window.map;
  if (!map || !map.getBounds().pad(-0.05).contains([lat, lon])) return false;
  let drawn = false;
  map.eachLayer((layer) => {
    if (!layer._lat) return;
    for (let i = 0; i < layer._lat.length; i++) {
      const near = Math.abs(layer._lat[i] - lat) < 1e-5 && Math.abs(layer._lng[i] - lon) < 1e-5;
      if (near) drawn = true;
    }
  });
  return drawn;
}"""


def click_site(page: Page, lon: float, lat: float) -> None:
    """Click the map where the site at (lon, lat) is drawn and wait for its card."""
    frame = map_frame(page)
    frame.locator("canvas").first.wait_for()
    handle = page.wait_for_selector(MAP)
    # A filter change (e.g. "Toàn quận") redraws the map after the script run ends: wait
    # until the map in the frame draws this site inside its view before computing the tap.
    handle.content_frame().wait_for_function(SITE_DRAWN, arg=[lat, lon], timeout=30_000)
    box = handle.bounding_box()
    point = handle.content_frame().evaluate(
        "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
        " const r = window.map.getContainer().getBoundingClientRect();"
        " return [p.x + r.left, p.y + r.top]; }",
        [lat, lon],
    )
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    page.get_by_text("Lịch sử thay đổi").wait_for(timeout=30_000)


def open_site(
    page: Page, url: str, user: str, lon: float, lat: float, whole_district: bool = False
) -> None:
    """Sign in as ``user`` and open the card of the site at (lon, lat) from the map."""
    sign_in(page, url, user, PASSWORD)
    # Leaders land on their dashboard: go to the map page through the navigation.
    page.get_by_role("link", name=re.compile(r"Bản đồ$")).click()
    page.get_by_text("Thông tin điểm").wait_for(timeout=30_000)
    if whole_district:  # ward officers start on their own ward
        page.get_by_role("button", name="Toàn quận").click()
        wait_idle(page)
    click_site(page, lon, lat)


def set_status(page: Page, status_label: str) -> None:
    """Pick a status in the card's form and save."""
    form = page.locator("[data-testid='stForm']").filter(has_text="Lưu thay đổi")
    form.locator("[data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name=status_label).click()
    form.get_by_role("button", name="Lưu thay đổi").click()


def test_staff_edit_leader_view_ward_refusal_and_conflict(engine, db_url, tmp_path) -> None:
    install_assets()
    staff = make_user(engine, "canbo", Role.STAFF, password=PASSWORD)
    make_user(engine, "canbo2", Role.STAFF, password=PASSWORD)
    make_user(engine, "lanhdao", Role.LEADER, password=PASSWORD)
    make_user(engine, "phuong", Role.WARD_OFFICER, ward_code="00358", password=PASSWORD)
    lon, lat = point_on_street("Đường Khuất Duy Tiến", 0.5)
    site_id = make_site(engine, staff, lon=lon, lat=lat, status=SiteStatus.INSTALLING,
                        name="Pa-nô Khuất Duy Tiến")
    with read_session(engine) as s:
        assert s.get(Site, site_id).ward_id != _ward_id(engine, "00358")
    olon, olat = ward_point(engine, "00343")
    make_site(engine, staff, lon=olon, lat=olat, name="Pa-nô Nhân Chính")
    ARTIFACTS.mkdir(exist_ok=True)
    with streamlit_app(db_url, tmp_path / "st.log", KEHOACH_TILE_URL="") as url, \
            sync_playwright() as p:
        browser = launch_chromium(p)
        size = {"viewport": {"width": 1440, "height": 1300}}
        staff_page = browser.new_context(**size).new_page()
        open_site(staff_page, url, "canbo", lon, lat)
        set_status(staff_page, "Đã hoàn thành")
        staff_page.get_by_text("Đã lưu điểm").first.wait_for(timeout=30_000)
        staff_page.screenshot(path=str(ARTIFACTS / "staff-saved.png"))

        leader_page = browser.new_context(**size).new_page()
        open_site(leader_page, url, "lanhdao", lon, lat)
        card = leader_page.locator("[data-testid='stColumn']").filter(has_text="Thông tin điểm")
        assert "Đã hoàn thành" in card.last.inner_text()
        leader_page.get_by_text("Bạn chỉ có quyền xem điểm này").wait_for(timeout=30_000)
        assert leader_page.get_by_text("Bạn chỉ có quyền xem điểm này").count() == 1
        with read_session(engine) as s:
            assert s.get(Site, site_id).status == "installed"

        ward_page = browser.new_context(**size).new_page()
        open_site(ward_page, url, "phuong", lon, lat, whole_district=True)
        # The card opens after the tap's rerun: wait for it, then check it is the only one.
        ward_page.get_by_text("Bạn chỉ có quyền xem điểm này").wait_for(timeout=30_000)
        assert ward_page.get_by_text("Bạn chỉ có quyền xem điểm này").count() == 1
        assert ward_page.get_by_role("button", name="Lưu thay đổi").count() == 0

        first = browser.new_context(**size).new_page()
        second = browser.new_context(**size).new_page()
        open_site(first, url, "canbo", lon, lat)
        open_site(second, url, "canbo2", lon, lat)
        set_status(first, "Cần khắc phục")
        first.get_by_text("Đã lưu điểm").first.wait_for(timeout=30_000)
        set_status(second, "Đã tháo dỡ")
        second.get_by_text("vừa được canbo sửa").wait_for(timeout=30_000)
        second.screenshot(path=str(ARTIFACTS / "conflict.png"))
        browser.close()
    with read_session(engine) as s:
        site = s.get(Site, site_id)
        assert site.status == "needs_fix" and site.version == 3


def _ward_id(engine, code: str) -> int:
    from tests.factories import ward_id

    return ward_id(engine, code)
