"""Normalise Vietnamese names so that matching tolerates diacritics, case and prefixes."""

from __future__ import annotations

import re
import unicodedata

# Old-style tone placement (hoà, thuý, nguỵ) → new style (hòa, thúy, ngụy). Only the
# vowel pairs where the two styles differ are listed; the key form is tone-free anyway.
_STREET_PREFIXES = ("đường", "duong", "phố", "pho", "phô")


def strip_diacritics(text: str) -> str:
    """Return ``text`` without Vietnamese diacritics (đ → d), lower-cased."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    base = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return base.replace("đ", "d")


def name_key(text: str) -> str:
    """Return a matching key: no diacritics, no 'Phố'/'Đường' prefix, single spaces."""
    text = unicodedata.normalize("NFC", text or "").strip().lower()
    text = re.sub(r"\s+", " ", text)
    for prefix in _STREET_PREFIXES:
        if text.startswith(prefix + " "):
            text = text[len(prefix) + 1 :]
            break
    key = strip_diacritics(text)
    key = re.sub(r"[^a-z0-9/ ]+", " ", key)
    return re.sub(r"\s+", " ", key).strip()


def ward_key(text: str) -> str:
    """Return a matching key for a ward name with or without 'Phường'/'P.'."""
    key = name_key(text)
    key = re.sub(r"^(phuong|p)\s+", "", key)
    return key


# Every dash a keyboard or a word processor produces, read as one plain hyphen.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"


def fold_phrase(text: str) -> str:
    """Return ``text`` as lower-case words without diacritics, keeping '-', '/', ',' as tokens.

    Tone placement (old "hoà", new "hòa") disappears with the diacritics; every kind of dash
    becomes '-', and a '/' between digits (an alley number, "29/70") stays inside its word.
    """
    text = unicodedata.normalize("NFC", text or "")
    for dash in _DASHES:
        text = text.replace(dash, "-")
    text = strip_diacritics(text).replace("×", " x ")
    text = re.sub(r"(?<!\d)/|/(?!\d)", " / ", text)
    text = re.sub(r"[-,;]", lambda m: f" {m.group(0)} ", text)
    text = re.sub(r"[^a-z0-9/,;\- ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()
