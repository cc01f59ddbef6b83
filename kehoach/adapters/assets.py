"""Ship Leaflet (from the installed ``xstatic-leaflet`` package) and our map script; no CDN.

Streamlit serves ``static/`` at ``/app/static/`` (``server.enableStaticServing``), so
``install_assets()`` copies Leaflet into ``static/vendor/leaflet/`` and the map's own
JavaScript and CSS (kept in ``kehoach/adapters/js/``) into ``static/vendor/kehoach/``;
``asset_urls()`` gives the links the map puts in place of folium's CDN links.
"""

from __future__ import annotations

import filecmp
import functools
import hashlib
import shutil
from pathlib import Path

from xstatic.pkg import leaflet as xstatic_leaflet

from kehoach.config import VENDOR_DIR

LEAFLET_DIR = "leaflet"
LEAFLET_FILES = ("leaflet.js", "leaflet.css")
LEAFLET_IMAGES = "images"
MAP_DIR = "kehoach"
MAP_SOURCE_DIR = Path(__file__).resolve().parent / "js"
MAP_JS = "kehoach-map.js"
MAP_FLOW_JS = "kehoach-map-flow.js"  # the daily flow's additions (after MAP_JS)
MAP_CSS = "kehoach-map.css"

Links = list[tuple[str, str]]


def leaflet_source_dir() -> Path:
    """Return the folder of the installed xstatic-leaflet package holding Leaflet's files."""
    return Path(xstatic_leaflet.BASE_DIR)


def install_assets(target: Path = VENDOR_DIR) -> Path:
    """Copy Leaflet into ``target/leaflet/`` and the map's script into ``target/kehoach/``.

    Return the Leaflet folder.
    """
    source = leaflet_source_dir()
    dest = target / LEAFLET_DIR
    pairs = [(source / name, dest / name) for name in LEAFLET_FILES]
    images = source / LEAFLET_IMAGES
    pairs += [(path, dest / LEAFLET_IMAGES / path.name) for path in sorted(images.iterdir())]
    ours = (MAP_JS, MAP_FLOW_JS, MAP_CSS)
    pairs += [(MAP_SOURCE_DIR / name, target / MAP_DIR / name) for name in ours]
    for src, dst in pairs:
        _copy_if_changed(src, dst)
    return dest


def _copy_if_changed(src: Path, dst: Path) -> None:
    if dst.is_file() and filecmp.cmp(src, dst, shallow=False):
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)


@functools.cache
def _fingerprint(name: str) -> str:
    """Return a short hash of one of our map files: a new version gets a new URL."""
    return hashlib.sha256((MAP_SOURCE_DIR / name).read_bytes()).hexdigest()[:12]


def asset_urls(base_url: str) -> tuple[Links, Links]:
    """Return folium-style ``(js_links, css_links)``: Leaflet, then our map script and style."""
    base = base_url.rstrip("/")
    leaflet = f"{base}/{LEAFLET_DIR}" if base else LEAFLET_DIR
    ours = f"{base}/{MAP_DIR}" if base else MAP_DIR
    js_links = [
        ("leaflet", f"{leaflet}/leaflet.js"),
        ("kehoach_map", f"{ours}/{MAP_JS}?v={_fingerprint(MAP_JS)}"),
        ("kehoach_map_flow", f"{ours}/{MAP_FLOW_JS}?v={_fingerprint(MAP_FLOW_JS)}"),
    ]
    css_links = [
        ("leaflet_css", f"{leaflet}/leaflet.css"),
        ("kehoach_map_css", f"{ours}/{MAP_CSS}?v={_fingerprint(MAP_CSS)}"),
    ]
    return js_links, css_links
