"""Ship Leaflet's files from the installed ``xstatic-leaflet`` package; no CDN at run time.

Streamlit serves ``static/`` at ``/app/static/`` (``server.enableStaticServing``), so
``install_assets()`` copies Leaflet into ``static/vendor/leaflet/`` and ``asset_urls()``
gives the links the map puts in place of folium's CDN links.
"""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

from xstatic.pkg import leaflet as xstatic_leaflet

from kehoach.config import VENDOR_DIR

LEAFLET_DIR = "leaflet"
LEAFLET_FILES = ("leaflet.js", "leaflet.css")
LEAFLET_IMAGES = "images"

Links = list[tuple[str, str]]


def leaflet_source_dir() -> Path:
    """Return the folder of the installed xstatic-leaflet package holding Leaflet's files."""
    return Path(xstatic_leaflet.BASE_DIR)


def install_assets(target: Path = VENDOR_DIR) -> Path:
    """Copy leaflet.js, leaflet.css and images/ into ``target/leaflet/``; return that folder."""
    source = leaflet_source_dir()
    dest = target / LEAFLET_DIR
    pairs = [(source / name, dest / name) for name in LEAFLET_FILES]
    images = source / LEAFLET_IMAGES
    pairs += [(path, dest / LEAFLET_IMAGES / path.name) for path in sorted(images.iterdir())]
    for src, dst in pairs:
        _copy_if_changed(src, dst)
    return dest


def _copy_if_changed(src: Path, dst: Path) -> None:
    if dst.is_file() and filecmp.cmp(src, dst, shallow=False):
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)


def asset_urls(base_url: str) -> tuple[Links, Links]:
    """Return folium-style ``(js_links, css_links)`` for Leaflet served under ``base_url``."""
    base = base_url.rstrip("/")
    prefix = f"{base}/{LEAFLET_DIR}" if base else LEAFLET_DIR
    js_links = [("leaflet", f"{prefix}/leaflet.js")]
    css_links = [("leaflet_css", f"{prefix}/leaflet.css")]
    return js_links, css_links
