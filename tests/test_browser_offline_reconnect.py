"""Real browser and server: a dropped WebSocket mid-form loses nothing, and an offline pack's
results uploaded on the inspection page list a conflict to confirm."""

from __future__ import annotations

import base64
import json
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import select

from kehoach.adapters.assets import install_assets
from kehoach.db.engine import read_session
from kehoach.db.models import Inspection, Photo
from kehoach.domain.enums import Role
from kehoach.domain.offline import RESULTS_FORMAT
from kehoach.services.inspections.offline import PackScope, gather_pack
from kehoach.services.sites import SiteChanges, update_site
from tests.factories import make_user, point_on_street
from tests.images import make_jpeg
from tests.test_browser_home import wait_idle
from tests.test_browser_inspect import NT, PORTRAIT, _code, _open_page, _sign_in, _sites
from tools.browser import launch_chromium
from tools.server import streamlit_app

pytestmark = pytest.mark.browser
KEY = "khoa-thu-nghiem-goi-kiem-tra"


def _results_file(engine, inspector, site_id: int, path: Path) -> str:
    """Write a pack's results file for one site, then change the site (a conflict)."""
    pack = gather_pack(engine, inspector, PackScope(street="Đường Khuất Duy Tiến"))
    site = next(s for s in pack.sites if s["id"] == site_id)
    result = {
        "uuid": str(uuid.uuid4()), "site_id": site_id, "site_version": site["version"],
        "outcome": "needs_fix", "defects": ["faded"], "note": "Bạc màu (ngoại tuyến)",
        "position": {"lon": site["lon"], "lat": site["lat"], "accuracy": 5},
        "recorded_at": datetime.now(UTC).isoformat(),
        "photos": [{"name": "a.jpg", "data": base64.b64encode(make_jpeg()).decode()}],
    }  # fmt: skip
    document = {"format": RESULTS_FORMAT, "pack_id": pack.pack_id,
                "created_at": pack.created_at, "sig": pack.signature, "results": [result]}
    path.write_text(json.dumps(document), encoding="utf-8")
    staff = make_user(engine, "canbo", Role.STAFF)
    update_site(engine, staff, site_id, site["version"], SiteChanges({"note": "đã thay"}))
    return result["uuid"]


def test_dropped_connection_keeps_the_form_and_conflicts_are_confirmed(
    engine, db_url, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("KEHOACH_PACK_KEY", KEY)
    install_assets()
    ids = _sites(engine)
    inspector = make_user(engine, "kiemtra", Role.INSPECTOR, password="mat-khau-kiem-tra")
    results = tmp_path / "ket-qua.json"
    offline_uuid = _results_file(engine, inspector, ids["kdt"], results)
    lon, lat = point_on_street(NT, 0.40)
    photo = tmp_path / "pano-cu.jpg"
    photo.write_bytes(make_jpeg((1200, 900)))
    env = {"KEHOACH_MEDIA_DIR": str(tmp_path / "media"), "KEHOACH_TILE_URL": "",
           "KEHOACH_PACK_KEY": KEY}  # fmt: skip
    sockets: list = []

    def relay(ws) -> None:  # type: ignore[no-untyped-def]
        ws.connect_to_server()  # pass every message through, until we cut it
        sockets.append(ws)

    with streamlit_app(db_url, tmp_path / "streamlit.log", **env) as url, sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context(
            viewport=PORTRAIT, geolocation={"longitude": lon, "latitude": lat, "accuracy": 9},
            permissions=["geolocation"], locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
        )  # fmt: skip
        page = context.new_page()
        page.route_web_socket(re.compile(r".*/_stcore/stream.*"), relay)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        _sign_in(page, url)
        _open_page(page, "inspect")
        page.get_by_text("Điểm gần tôi nhất").wait_for(timeout=60_000)
        page.get_by_role("button", name="Kiểm tra", exact=True).first.click()
        form = page.locator("[data-testid='stForm']")
        form.wait_for(timeout=30_000)
        form.get_by_role("radio", name="Cần khắc phục").click()
        form.get_by_role("button", name="Rách").click()
        form.locator("input[type='file']").set_input_files(str(photo))
        expect(form.get_by_text(photo.name)).to_be_visible(timeout=30_000)
        form.get_by_label("Ghi chú").fill("Ghi trước khi mất mạng")
        wait_idle(page)

        # The connection drops mid-form; Streamlit reconnects on its own.
        before = len(sockets)
        sockets[-1].close(code=4000, reason="test: connection dropped")
        for _ in range(240):  # Playwright runs the relay only while the page is waited on
            page.wait_for_timeout(250)
            if len(sockets) > before:
                break
        assert len(sockets) > before, "the client did not reconnect"
        wait_idle(page)
        form = page.locator("[data-testid='stForm']")
        expect(form.get_by_label("Ghi chú")).to_have_value("Ghi trước khi mất mạng")
        expect(form.get_by_text(photo.name)).to_be_visible()
        form.get_by_role("button", name=re.compile("Lưu kết quả")).click()
        nearest = _code(engine, ids["nearest"])
        page.get_by_text(re.compile(f"Đã lưu kết quả kiểm tra điểm {nearest}")).wait_for(
            timeout=60_000
        )

        # The offline pack's results: the changed site is listed as a conflict to confirm.
        page.get_by_text("Gói kiểm tra ngoại tuyến").click()
        wait_idle(page)
        panel = page.locator("[data-testid='stExpander']").filter(has_text="Gói kiểm tra")
        panel.locator("input[type='file']").set_input_files(str(results))
        expect(panel.get_by_text(results.name)).to_be_visible(timeout=30_000)
        wait_idle(page)
        panel.get_by_role("button", name="Ghi kết quả").click()
        expect(panel.get_by_text(re.compile("1 kết quả cần xác nhận"))).to_be_visible(
            timeout=60_000
        )
        expect(panel.get_by_role("button", name="Bỏ kết quả này")).to_be_visible()
        panel.get_by_role("button", name="Vẫn ghi kết quả này").click()
        expect(panel.get_by_text(re.compile("Đã ghi 1 kết quả"))).to_be_visible(timeout=60_000)
        browser.close()

    assert errors == []
    with read_session(engine) as s:
        stored = s.scalars(select(Inspection)).all()
        assert len(stored) == 2  # the form sent once, the offline result once
        rows = {i.client_uuid: i for i in stored}
        online = rows.pop(None)
        assert online.note == "Ghi trước khi mất mạng" and online.result == "needs_fix"
        assert s.scalar(select(Photo.id).where(Photo.inspection_id == online.id)) is not None
        assert list(rows) == [offline_uuid] and rows[offline_uuid].site_id == ids["kdt"]

