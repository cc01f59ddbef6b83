"""Real browser, no network: the offline pack's map, nearest list, records kept across a
restarted browser, and its exported file imported back (once, however often it is sent)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright
from sqlalchemy import select, update

from kehoach.adapters.photos import PhotoStore, without_metadata
from kehoach.db.engine import read_session, write_session
from kehoach.db.models import Campaign, Inspection, Photo, Site
from kehoach.domain.clock import local_today
from kehoach.domain.enums import Role, SiteKind, SiteStatus
from kehoach.domain.permissions import Actor
from kehoach.services.inspections import set_flag_window
from kehoach.services.inspections.offline import PackScope, import_results, make_pack
from tests.factories import make_site, make_user, point_on_street
from tests.images import make_jpeg
from tools.browser import CHROMIUM_ARGS, CHROMIUM_PATH

pytestmark = pytest.mark.browser

NT = "Đường Nguyễn Trãi"
TABLET = {"width": 800, "height": 1280}


@pytest.fixture(autouse=True)
def keys(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KEHOACH_PACK_KEY", "khoa-thu-nghiem-goi-kiem-tra")
    monkeypatch.setenv("KEHOACH_MEDIA_DIR", str(tmp_path / "media"))


def _pack(engine, tmp_path: Path) -> tuple[Path, dict[str, int]]:
    def at(fraction: float, **kw) -> int:
        lon, lat = point_on_street(NT, fraction)
        kw.setdefault("status", SiteStatus.INSTALLED)
        return make_site(engine, lon=lon, lat=lat, **kw)

    sites = {
        "far": at(0.1, name="Pa-nô đầu tuyến"),
        "near": at(0.402, name="Cụm pa-nô <b>trước</b> số 275"),
        "middle": at(0.6, name="Pa-nô giữa tuyến"),
        "flags": at(0.45, kind=SiteKind.FLAG_LINE, name="Cờ dây", flags_expected=20),
    }
    inspector = make_user(engine, "kiemtra", Role.INSPECTOR)
    today = local_today(datetime.now(UTC))
    admin = Actor(None, "test", Role.ADMIN)
    # A window lies within a year of its campaign: let the campaign run until today.
    with write_session(engine) as s:
        s.execute(update(Campaign).values(end_on=today + timedelta(days=30)))
    set_flag_window(engine, admin, today - timedelta(days=1), today + timedelta(days=1))
    html, _ = make_pack(engine, inspector, PackScope(street=NT))
    path = tmp_path / "goi-kiem-tra.html"
    path.write_text(html, encoding="utf-8")
    return path, sites


def _offline_context(playwright, profile: Path, file_url: str):
    """A persistent tablet profile that may load the pack file and nothing else."""
    lon, lat = point_on_street(NT, 0.4)
    context = playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM_PATH,
        args=list(CHROMIUM_ARGS),
        viewport=TABLET,
        geolocation={"longitude": lon, "latitude": lat, "accuracy": 8},
        permissions=["geolocation"],
        accept_downloads=True,
    )
    requests: list[str] = []

    def guard(route) -> None:
        requests.append(route.request.url)
        if route.request.url == file_url:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", guard)
    context.set_offline(True)
    return context, requests


def _open(context, file_url: str) -> Page:
    page = context.pages[0] if context.pages else context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(file_url)
    page.locator("body[data-ready]").wait_for(state="attached")
    page.errors = errors  # type: ignore[attr-defined]
    return page


def test_pack_works_offline_keeps_records_and_syncs_back(engine, tmp_path: Path) -> None:
    pack, sites = _pack(engine, tmp_path)
    url = pack.as_uri()
    photo = tmp_path / "IMG_0001.jpg"
    photo.write_bytes(make_jpeg(size=(4000, 3000)))
    profile = tmp_path / "profile"
    with sync_playwright() as p:
        context, requests = _offline_context(p, profile, url)
        page = _open(context, url)
        # The map is drawn from the inlined layers (canvas), the nearest site is listed first.
        expect(page.locator("#map canvas").first).to_be_visible()
        first = page.locator("#site-list button.site").first
        expect(first).to_contain_text("Cụm pa-nô <b>trước</b> số 275")  # text, not markup
        expect(page.locator("#sync-note")).to_contain_text("không gửi thẳng lên máy chủ")
        expect(page.locator("#pack-meta")).to_contain_text("Kế hoạch")
        # Needs fix with a defect, a note and a camera photo resized on the device.
        first.click()
        page.locator("label[for=o-needs_fix]").click()
        page.locator("input[name=defect][value=torn]").check()
        page.locator("#note").fill("Rách góc trái")
        page.locator("#photo").set_input_files(str(photo))
        expect(page.locator("#thumbs img")).to_have_count(1)
        size = page.evaluate(
            "() => { const i = document.querySelector('#thumbs img');"
            " return [i.naturalWidth, i.naturalHeight]; }"
        )
        assert max(size) == 2560
        page.locator("#save").click()
        expect(page.locator("#stored-count")).to_have_text("1")
        # A flag line: pass with flag counts.
        page.locator(f"#site-list button[data-site='{sites['flags']}']").click()
        page.locator("#flags-hung").fill("18")
        page.locator("#save").click()
        expect(page.locator("#stored-count")).to_have_text("2")
        assert page.errors == []  # type: ignore[attr-defined]
        context.close()
        assert set(requests) <= {url}  # nothing but the file itself was asked for

        # The browser restarted: both records are still on the device; export them.
        context, requests = _offline_context(p, profile, url)
        page = _open(context, url)
        expect(page.locator("#stored-count")).to_have_text("2")
        done = page.locator(f"#site-list button[data-site='{sites['near']}'] .done")
        expect(done).to_be_visible()
        with page.expect_download() as download:
            page.locator("#export").click()
        exported = tmp_path / "ket-qua.json"
        download.value.save_as(exported)
        context.close()
        assert set(requests) <= {url}

    inspector_id = make_user(engine, "kiemtra2", Role.INSPECTOR)
    store = PhotoStore(tmp_path / "media")
    data = exported.read_bytes()
    report = import_results(engine, inspector_id, [data], store=store)
    assert len(report.stored) == 2 and not report.failed and not report.conflicts
    assert len(import_results(engine, inspector_id, [data], store=store).duplicates) == 2
    with read_session(engine) as s:
        rows = {i.site_id: i for i in s.scalars(select(Inspection))}
        assert set(rows) == {sites["near"], sites["flags"]}
        assert rows[sites["near"]].result == "needs_fix" and rows[sites["near"]].note == (
            "Rách góc trái"
        )
        assert rows[sites["near"]].distance_m is not None
        assert rows[sites["flags"]].flags_hung == 18
        photos = s.scalars(select(Photo)).all()
        assert len(photos) == 1 and max(photos[0].width, photos[0].height) == 2560
        # The device's canvas JPEG is not re-encoded: stored as sent, its ICC block cut out.
        [sent] = [base64.b64decode(photo["data"]) for result in json.loads(data)["results"]
                  for photo in result["photos"]]  # fmt: skip
        assert store.read(photos[0].file_name) == without_metadata(sent) != sent
        assert s.get(Site, sites["near"]).status == SiteStatus.NEEDS_FIX.value
