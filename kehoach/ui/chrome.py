"""The app's frame in the browser: one stylesheet and two tiny scripts.

The stylesheet replaces or hides Streamlit's own English texts and lays pages out in one
column on narrow screens; the scripts keep the sign-in cookie in step with the server and
start the sidebar collapsed on narrow screens. The texts shown come from the catalogue.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import streamlit as st

from kehoach.i18n import t

STATIC = Path(__file__).parent / "static"
SESSION_COOKIE = "kh_session"
NARROW_SCREEN_PX = 1000


@cache
def _read(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def _css_string(text: str) -> str:
    """Quote catalogue text as a CSS string (no way out of the declaration)."""
    return '"' + "".join(c if c.isalnum() or c in " .,·" else f"\\{ord(c):x} " for c in text) + '"'


def stylesheet() -> str:
    """Return the app's CSS with the catalogue's texts bound to its variables."""
    variables = {
        "--kh-upload-hint": t("upload.hint"),
        "--kh-upload-button": t("upload.button"),
    }
    root = "".join(f"{name}: {_css_string(value)};" for name, value in variables.items())
    return f":root {{{root}}}\n{_read('app.css')}"


def _script(name: str, *args: object) -> None:
    call = json.dumps(list(args))[1:-1]
    body = f"{_read(name)}({call});".replace("</", "<\\/")
    st.html(f'<div class="kh-script"><script>{body}</script></div>', unsafe_allow_javascript=True)


def apply() -> None:
    """Inject the stylesheet and the narrow-screen script into this run's page."""
    st.html(f"<style>{stylesheet()}</style>")
    _script("narrow_screen.js", NARROW_SCREEN_PX)


def session_cookie() -> str | None:
    """Return the sign-in token the browser sent when this session connected."""
    value = st.context.cookies.get(SESSION_COOKIE)
    return value if isinstance(value, str) and value else None


def write_session_cookie(token: str | None, max_age_seconds: int = 0) -> None:
    """Set (or, with no token, clear) the sign-in cookie in the browser."""
    _script("session_cookie.js", SESSION_COOKIE, token or "", max_age_seconds)
