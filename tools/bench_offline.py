"""Measure offline inspection packs: a 2,000-site pack's size and opening time in headless
Chromium, and importing 200 results with 200 photos (as the pack exports them)."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw
from sqlalchemy import Engine

from kehoach.adapters.offline_pack import build_pack_html
from kehoach.adapters.photos import STORED_MAX_EDGE, STORED_QUALITY, PhotoStore
from kehoach.domain.enums import Role, SiteStatus
from kehoach.domain.offline import MAX_RESULTS_FILE_BYTES, RESULTS_FORMAT
from kehoach.services.auth import add_user
from kehoach.services.inspections.offline import (
    PackScope,
    gather_pack,
    import_results,
    pack_texts,
)
from tools.browser import launch_chromium

PACK_SITES = 2_000
SYNC_RESULTS = 200
NOT_INSPECTABLE = frozenset({SiteStatus.PLANNED.value, SiteStatus.REMOVED.value})
DISTRICT_CENTRE = (105.8135, 20.9935)  # lon, lat: Thanh Xuân
INSPECTOR = ("bench-kiemtra", "bench-mat-khau-kiem-tra")


@contextlib.contextmanager
def _pack_key() -> Iterator[None]:
    """Sign the bench's packs with a throwaway key (the bench never writes a key file)."""
    old = os.environ.get("KEHOACH_PACK_KEY")
    os.environ["KEHOACH_PACK_KEY"] = secrets.token_hex(16)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("KEHOACH_PACK_KEY", None)
        else:
            os.environ["KEHOACH_PACK_KEY"] = old


def device_photo() -> bytes:
    """Return a photo as the pack stores it: resized to the app's edge, JPEG at its quality."""
    image = Image.new("RGB", (STORED_MAX_EDGE, STORED_MAX_EDGE * 3 // 4), (170, 40, 40))
    draw = ImageDraw.Draw(image)
    for i in range(0, image.width, 40):  # some detail, so the JPEG is not trivially small
        draw.line([(i, 0), (image.width - i, image.height)], fill=(i % 255, 200, 90), width=9)
    out = BytesIO()
    image.save(out, "JPEG", quality=STORED_QUALITY)
    return out.getvalue()


def _result(site: dict[str, Any], photo: str) -> str:
    return json.dumps({
        "uuid": str(uuid.uuid4()), "site_id": site["id"], "site_version": site["version"],
        "outcome": "pass", "defects": [], "note": "bench", "flags_hung": None,
        "flags_expected": None, "recorded_at": datetime.now(UTC).isoformat(),
        "position": {"lon": site["lon"], "lat": site["lat"], "accuracy": 8},
        "photos": [{"name": "bench.jpg", "data": photo}],
    })  # fmt: skip


def results_files(pack: Any, sites: list[dict[str, Any]], photo: bytes) -> list[bytes]:
    """Return the files a pack exports for one photographed pass per site, cut like it does."""
    encoded = base64.b64encode(photo).decode()
    head = {"format": RESULTS_FORMAT, "pack_id": pack.pack_id, "created_at": pack.created_at,
            "sig": pack.signature}  # fmt: skip
    files, items = [], [_result(site, encoded) for site in sites]
    limit = MAX_RESULTS_FILE_BYTES * 2 // 3
    while items:
        part: list[str] = []
        while items and (not part or sum(map(len, part)) + len(items[0]) < limit):
            part.append(items.pop(0))
        files.append((json.dumps(head)[:-1] + ',"results":[' + ",".join(part) + "]}").encode())
    return files


def time_pack_open(html: str, folder: Path) -> float:
    """Return seconds from navigation start to the pack being drawn and ready (offline)."""
    from playwright.sync_api import sync_playwright

    path = folder / "pack.html"
    path.write_text(html, encoding="utf-8")
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            context = browser.new_context(viewport={"width": 800, "height": 1280})
            context.set_offline(True)
            page = context.new_page()
            page.goto(path.as_uri())
            page.locator("body[data-ready]").wait_for(state="attached", timeout=60_000)
            ready_ms = float(page.locator("body").get_attribute("data-ready-ms") or "nan")
        finally:
            browser.close()
    return ready_ms / 1000


def run_offline_bench(engine: Engine, full: bool = True) -> dict[str, Any]:
    """Time a 2,000-site pack (size; with ``full`` its opening and a 200-photo import)."""
    result: dict[str, Any] = {"pack_open_seconds": None, "sync_200_seconds": None}
    with _pack_key(), tempfile.TemporaryDirectory(prefix="kehoach-pack-") as folder:
        inspector = add_user(engine, *INSPECTOR, Role.INSPECTOR)
        pack = gather_pack(engine, inspector, PackScope(near=DISTRICT_CENTRE, radius_m=10_000))
        pack = replace(pack, sites=pack.sites[:PACK_SITES])
        html = build_pack_html(pack.as_data(), pack_texts())
        result["pack_sites"] = len(pack.sites)
        result["pack_mb"] = round(len(html.encode()) / 1_000_000, 2)
        if not full:
            return result
        result["pack_open_seconds"] = round(time_pack_open(html, Path(folder)), 3)
        # Results an inspector can record: sites being installed or up (a planned or removed
        # site refuses a result before any photo work, which would flatter the figure).
        inspectable = [site for site in pack.sites if site["status"] not in NOT_INSPECTABLE]
        files = results_files(pack, inspectable[:SYNC_RESULTS], device_photo())
        store = PhotoStore(Path(folder) / "media")
        started, cpu = time.perf_counter(), time.process_time()
        report = import_results(engine, inspector, files, store=store)
        result["sync_200_seconds"] = round(time.perf_counter() - started, 2)
        # CPU seconds of this process: on a shared machine wall time also counts others' load.
        result["sync_200_cpu_seconds"] = round(time.process_time() - cpu, 2)
        result["sync_stored"] = len(report.stored)
        result["sync_files"] = len(files)
        if len(report.stored) != SYNC_RESULTS:
            raise RuntimeError(f"bench sync stored {len(report.stored)} of {SYNC_RESULTS}: "
                               f"{report.failed[:3]} {report.conflicts[:3]}")
    return result
