"""Build an offline inspection pack: one self-contained HTML file (pure: data in, HTML out).

Leaflet (from the installed xstatic package), the pack's script and style (kept in
``kehoach/adapters/js/``), the base layers and the sites are all inlined: the file opens in a
tablet's browser with no network, no CDN and no tiles. A Content-Security-Policy forbids
every connection, so the page cannot leak anything or depend on the network by accident.
User text reaches the page only as JSON in a data element (``json_for_script``) and through
``textContent`` in the script, or through ``escape_html`` in the little markup built here.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from kehoach.adapters.assets import leaflet_source_dir
from kehoach.adapters.photos import STORED_MAX_EDGE, STORED_QUALITY
from kehoach.domain.inspection import MAX_NOTE_CHARS, MAX_PHOTOS
from kehoach.domain.offline import MAX_RESULTS_FILE_BYTES, RESULTS_FORMAT
from kehoach.escape import escape_html, json_for_script

JS_DIR = Path(__file__).resolve().parent / "js"
PACK_JS = "offline-pack.js"
PACK_CSS = "offline-pack.css"
# Nothing may be fetched: no connection, scripts and styles only inline, photos as data/blob.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; connect-src 'none'; form-action 'none'; base-uri 'none'"
)
# The page's limits: photos are resized on the device as the server would store them, and
# the export is cut into files the upload accepts (a character can take two bytes).
LIMITS = {
    "max_edge": STORED_MAX_EDGE,
    "quality": STORED_QUALITY / 100,
    "max_photos": MAX_PHOTOS,
    "max_note": MAX_NOTE_CHARS,
    "list_rows": 60,
    "part_chars": MAX_RESULTS_FILE_BYTES // 3 * 2,
    "results_format": RESULTS_FORMAT,
}
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)
_CSS_IMAGE = re.compile(r"url\(images/[^)]*\)")


@functools.cache
def _leaflet() -> tuple[str, str]:
    """Return Leaflet's script and style, without source-map links or image references."""
    folder = leaflet_source_dir()
    script = _SOURCE_MAP.sub("", (folder / "leaflet.js").read_text(encoding="utf-8"))
    style = _CSS_IMAGE.sub("none", (folder / "leaflet.css").read_text(encoding="utf-8"))
    return _inline_safe(script), style


@functools.cache
def _own(name: str) -> str:
    return (JS_DIR / name).read_text(encoding="utf-8")


def _inline_safe(script: str) -> str:
    """Keep a script from closing its own ``<script>`` element early."""
    return script.replace("</script", "<\\/script")


def build_pack_html(data: dict[str, Any], texts: dict[str, str]) -> str:
    """Return the pack page: Leaflet, our script and style, and the pack's data inlined.

    ``data`` is the pack document (id, signature, plan, scope, base layers, sites with their
    versions, defect checklist); ``texts`` the page's Vietnamese texts.
    """
    leaflet_js, leaflet_css = _leaflet()
    document = {**data, "texts": texts, "limits": LIMITS}
    title = f"{texts.get('title', '')} — {data.get('scope', '')}"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="vi"><head><meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape_html(title)}</title>",
            f"<style>{leaflet_css}</style>",
            f"<style>{_own(PACK_CSS)}</style>",
            "</head><body>",
            f'<script type="application/json" id="pack-data">{json_for_script(document)}</script>',
            '<div id="app"></div>',
            f"<script>{leaflet_js}</script>",
            f"<script>{_inline_safe(_own(PACK_JS))}</script>",
            "</body></html>",
        ]
    )
