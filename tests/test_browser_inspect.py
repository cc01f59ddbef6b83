"""Real browser, tablet emulation: GPS → nearest sites → 'needs fix' with a photo → card."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect, sync_playwright
from sqlalchemy import select

from kehoach.adapters.assets import install_assets
from kehoach.db.engine import read_session
from kehoach.db.models import Inspection, Photo, Site
from kehoach.domain.enums import Role, SiteKind, SiteStatus
from tests.factories import make_site, make_user, point_on_street
from tests.images import make_jpeg
from tests.test_browser_home import wait_idle
from tools.browser import launch_chromium
from tools.server import ARTIFACTS, streamlit_app

pytestmark = pytest.mark.browser

NT = "Đường Nguyễn Trãi"
PORTRAIT = {"width": 800, "height": 1280}
LANDSCAPE = {"width": 1280, "height": 800}
MIN_TOUCH_PX = 44

# Visible interactive things in the main area that are smaller than a fingertip.
SMALL_TARGETS_JS = """(min) => {
  const main = document.querySelector('section.stMain') || document.body;
  const items = main.querySelectorAll(
    'button, [role="button"], input[type="checkbox"] + div, [data-testid="stCheckbox"] label,'
    + ' [data-baseweb="select"] > div, textarea'
  );
  const small = [];
  for (const el of items) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!box.width || !box.height || style.visibility === 'hidden') continue;
    if (el.closest('[data-testid="stFileUploaderFile"]')) continue;  // the × on a chosen file
    if (el.closest('[data-testid="stToolbar"], [data-testid="stHeader"]')) continue;
    const name = (el.innerText || '').slice(0, 30);
    if (box.height < min) small.push(`${el.tagName}:${name}:${box.height}`);
  }
  return small;
}"""


def _sites(engine) -> dict[str, int]:
    def at(street: str, fraction: float, **kw) -> int:
        lon, lat = point_on_street(street, fraction)
        kw.setdefault("status", SiteStatus.INSTALLED)
        return make_site(engine, lon=lon, lat=lat, **kw)

    return {
        "nearest": at(NT, 0.402, name="Cụm pa-nô trước số 275"),
        "same_street": at(NT, 0.46, name="Pa-nô xa hơn"),
        "kdt": at("Đường Khuất Duy Tiến", 0.5, name="Pa-nô Khuất Duy Tiến"),
        "hvt": at("Phố Hoàng Văn Thái", 0.3, kind=SiteKind.BANNER, name="Băng-rôn"),
        "lvt": at("Phố Lê Văn Thiêm", 0.5, name="Pa-nô Lê Văn Thiêm"),
    }


def _code(engine, site_id: int) -> str:
    with read_session(engine) as s:
        return s.get(Site, site_id).code


def _sign_in(page: Page, url: str) -> None:
    page.goto(url)
    page.get_by_label("Tên đăng nhập").fill("kiemtra")
    page.get_by_label("Mật khẩu").fill("mat-khau-kiem-tra")
    page.get_by_role("button", name="Đăng nhập").click()
    # Signed in: an inspector lands on the inspection page.
    page.get_by_role("heading", name="Kiểm tra điểm trực quan").wait_for(timeout=60_000)


def _open_page(page: Page, path: str) -> None:
    """Go to another page of the app in the same session, as a navigation link does."""
    links = page.locator(f"a[href$='/{path}']")
    if links.count() and links.first.is_visible():
        links.first.click()
        return
    # The page menu may be hidden (client.showSidebarNavigation): switch the way a link does,
    # without reloading (a reload starts a new session and signs the user out).
    page.evaluate(
        "(path) => { history.pushState({}, '', '/' + path);"
        " window.dispatchEvent(new PopStateEvent('popstate', {state: {}})); }",
        path,
    )


def _no_sideways_scroll(page: Page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth,"
        " (document.querySelector('section.stMain') || document.body).scrollWidth]"
    )
    assert widths[0] <= widths[1], widths
    assert widths[2] <= widths[1], widths


def _in_viewport(page: Page, locator) -> None:  # type: ignore[no-untyped-def]
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, box
    assert box["height"] >= MIN_TOUCH_PX, box


def test_tablet_inspection_flow(engine, db_url, tmp_path) -> None:
    install_assets()
    ids = _sites(engine)
    make_user(engine, "kiemtra", Role.INSPECTOR, password="mat-khau-kiem-tra")
    lon, lat = point_on_street(NT, 0.40)
    photo = tmp_path / "pano-rach.jpg"
    photo.write_bytes(make_jpeg((1600, 1200), color=(180, 20, 20)))
    media = tmp_path / "media"
    ARTIFACTS.mkdir(exist_ok=True)
    env = {"KEHOACH_MEDIA_DIR": str(media), "KEHOACH_TILE_URL": ""}
    with (
        streamlit_app(db_url, tmp_path / "streamlit.log", **env) as url,
        sync_playwright() as p,
    ):
        browser = launch_chromium(p)
        context = browser.new_context(
            viewport=PORTRAIT,
            is_mobile=True,
            has_touch=True,
            geolocation={"longitude": lon, "latitude": lat, "accuracy": 12},
            permissions=["geolocation"],
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        _sign_in(page, url)

        # Editor pages are not in an inspector's navigation; typed as an address they keep
        # their URL and say, in Vietnamese, that they are not for this role.
        for path, title in (
            ("sites", "Danh sách điểm trực quan"),
            ("campaign", "Thời gian treo cờ"),
        ):
            _open_page(page, path)
            expect(page.get_by_text("không dành cho vai trò của bạn")).to_be_visible(timeout=30_000)
            wait_idle(page)
            assert page.get_by_role("heading", name=title).count() == 0
            assert page.get_by_text("Page not found").count() == 0
        _open_page(page, "inspect")

        # The position comes from the browser's geolocation; the list starts with the nearest.
        try:
            page.get_by_text("Điểm gần tôi nhất").wait_for(timeout=60_000)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "inspect-debug.png"))
            raise
        geolocation = page.frame_locator("iframe[src*='kh_geolocation']")
        expect(geolocation.get_by_text(re.compile(r"±12 m"))).to_be_visible(timeout=30_000)
        nearest = _code(engine, ids["nearest"])
        rows = page.get_by_text(re.compile(r"^\d+\. TX-\d{5}"))
        rows.first.wait_for()
        assert rows.first.inner_text().startswith(f"1. {nearest}")
        assert "Cụm pa-nô trước số 275" in rows.first.inner_text()
        assert rows.count() == 5
        _no_sideways_scroll(page)
        assert page.evaluate(SMALL_TARGETS_JS, MIN_TOUCH_PX) == [], "touch targets under 44 px"
        page.screenshot(path=str(ARTIFACTS / "inspect-portrait-list.png"), full_page=False)

        # Record "needs fix" with a photo from the gallery.
        page.get_by_role("button", name="Kiểm tra", exact=True).first.click()
        pass_now = page.get_by_role("button", name=re.compile("Đạt — lưu ngay"))
        pass_now.wait_for(timeout=30_000)
        _in_viewport(page, pass_now)
        form = page.locator("[data-testid='stForm']")
        form.get_by_role("radio", name="Cần khắc phục").click()
        form.get_by_role("button", name="Rách").click()
        form.get_by_role("button", name="Bạc màu").click()
        form.locator("input[type='file']").set_input_files(str(photo))
        expect(form.get_by_text("pano-rach.jpg")).to_be_visible(timeout=30_000)
        form.get_by_label("Ghi chú").fill("Pa-nô rách góc phải, bạc màu")
        _no_sideways_scroll(page)
        assert page.evaluate(SMALL_TARGETS_JS, MIN_TOUCH_PX) == [], "touch targets under 44 px"
        page.screenshot(path=str(ARTIFACTS / "inspect-portrait.png"), full_page=False)
        form.get_by_role("button", name=re.compile("Lưu kết quả")).click()

        # Saved: the confirmation shows the photo read back, the card the new status.
        success = page.get_by_text(re.compile(f"Đã lưu kết quả kiểm tra điểm {nearest}"))
        success.wait_for(timeout=60_000)
        assert "Cần khắc phục" in success.inner_text() and "1 ảnh" in success.inner_text()
        expect(page.locator("[data-testid='stImage'] img").first).to_be_visible()
        page.get_by_text(f"Thông tin điểm: {nearest}").click()
        card = page.locator("[data-testid='stExpander']").filter(
            has_text=f"Thông tin điểm: {nearest}"
        )
        expect(card.get_by_text("Ảnh kiểm tra (1)")).to_be_visible(timeout=30_000)
        expect(card.get_by_text(re.compile(r"Trạng thái:\s*Cần khắc phục"))).to_be_visible()
        expect(card.locator("[data-testid='stImage'] img").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "inspect-saved-portrait.png"), full_page=False)
        # The site inspected today drops out of the list; the next one leads.
        assert (
            page.get_by_text(re.compile(r"^\d+\. TX-\d{5}"))
            .first.inner_text()
            .startswith(f"1. {_code(engine, ids['same_street'])}")
        )

        # Landscape: a site low in the list; its view opens at the top, the one-tap pass on
        # screen without scrolling.
        page.set_viewport_size(LANDSCAPE)
        page.get_by_role("button", name="Kiểm tra", exact=True).last.click()
        pass_now = page.get_by_role("button", name=re.compile("Đạt — lưu ngay"))
        pass_now.wait_for(timeout=30_000)
        wait_idle(page)
        expect(pass_now).to_be_in_viewport(ratio=1)
        _in_viewport(page, pass_now)
        expect(page.get_by_role("heading", name="Kiểm tra điểm trực quan")).to_be_in_viewport()
        _no_sideways_scroll(page)
        assert page.evaluate(SMALL_TARGETS_JS, MIN_TOUCH_PX) == [], "touch targets under 44 px"
        page.screenshot(path=str(ARTIFACTS / "inspect-landscape.png"), full_page=False)
        assert page.locator("[data-testid='stException']").count() == 0
        browser.close()

    assert errors == []
    with read_session(engine) as s:
        inspection = s.scalars(select(Inspection)).one()
        assert inspection.result == "needs_fix"
        assert sorted(inspection.defects) == ["faded", "torn"]
        assert inspection.device_accuracy_m == 12
        assert inspection.distance_m is not None and inspection.distance_m < 30
        assert s.get(Site, ids["nearest"]).status == "needs_fix"
        stored = s.scalars(select(Photo)).one()
    assert sorted(p.name for p in media.iterdir()) == sorted([stored.file_name, stored.thumb_name])
