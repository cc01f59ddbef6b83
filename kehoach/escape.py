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


_SEPARATOR = "\x00"  # joins many texts into one; never a character we escape


def escape_html_many(texts: list[str]) -> list[str]:
    """Return ``escape_html`` of each text, escaping them all in one pass (for big lists)."""
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) != max(len(texts) - 1, 0):
        return [escape_html(text) for text in texts]  # a text holds the separator itself
    # str.replace is a C loop over the joined text, while translate maps a non-ASCII text
    # character by character through a dict: ten passes over the whole are far quicker.
    for char, entity in _HTML_JS.items():  # "&" first: the entities themselves hold "&"
        joined = joined.replace(char, entity)
    return joined.split(_SEPARATOR) if texts else []


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
