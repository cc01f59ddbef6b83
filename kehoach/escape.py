"""Escape user-entered text for every place it reaches HTML or generated JavaScript.

Folium puts popup and tooltip text as raw HTML inside JavaScript template literals, so
besides the HTML specials we also neutralise backticks, ``$``, braces and backslashes.
This is the one helper the whole project uses for that.
"""

from __future__ import annotations

import json
from typing import Any

_HTML_JS = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#x27;",
    "`": "&#x60;",
    "$": "&#x24;",
    "{": "&#x7B;",
    "}": "&#x7D;",
    "\\": "&#x5C;",
}
_TABLE = str.maketrans(_HTML_JS)


def escape_html(text: object) -> str:
    """Return ``text`` safe to place in HTML, in attributes and inside a JS template literal."""
    if text is None:
        return ""
    return str(text).translate(_TABLE)


def json_for_script(data: Any) -> str:
    """Serialise ``data`` as JSON that is safe inside an inline ``<script>`` element."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        raw.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


_MARKDOWN_SPECIALS = "\\`*_{}[]()<>#+-.!|~$:=^&"
# Streamlit turns ``:smile:`` and ``:material/x:`` into icons after Markdown has removed the
# backslashes, so a colon followed by a letter also gets a word joiner (invisible) after it.
_WORD_JOINER = "\u2060"


def escape_markdown(text: object) -> str:
    """Return ``text`` with Markdown, LaTeX ``$``, ``:`` directives and shortcodes escaped."""
    if text is None:
        return ""
    source = str(text)
    out: list[str] = []
    for i, ch in enumerate(source):
        if ch in _MARKDOWN_SPECIALS:
            out.append("\\" + ch)
            if ch == ":" and i + 1 < len(source) and source[i + 1].isalnum():
                out.append(_WORD_JOINER)
        else:
            out.append(ch)
    return "".join(out)
