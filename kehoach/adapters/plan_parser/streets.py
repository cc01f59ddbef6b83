"""Find the streets a plan mentions and match them to known street names."""

from __future__ import annotations

import re
from collections.abc import Iterable

from kehoach.adapters.plan_parser.header import _is_capitalised_word
from kehoach.adapters.plan_parser.reading import _fold, _Para
from kehoach.adapters.plan_parser.records import StreetMention
from kehoach.domain.text import name_key

# ---------------------------------------------------------------------------
# Streets
# ---------------------------------------------------------------------------

_STREET_TRIGGER_RE = re.compile(
    r"(?<![^\W_])(tuyến\s+đường|tuyến\s+phố|đường\s+phố|đường|phố)(?![^\W_])", re.IGNORECASE
)
_NOT_STREET_BEFORE = ("thanh", "khu", "day", "thi")  # thành phố, khu phố, dãy phố, thị ...
_NAME_TOKEN_RE = re.compile(r"\.\.\.|…|[,;:()]|[^\s,;:()…]+")
_LIST_INTRO_RE = re.compile(
    r"^[^:;.()]{0,100}?(?:\b(?:như|gồm|bao gồm|là)\b\s*:?|:)\s*", re.IGNORECASE
)


def _read_names(tail: str) -> list[str]:
    """Read "A B, C D và E F,..." from the start of ``tail``; stop at anything else."""
    names: list[str] = []
    words: list[str] = []

    def flush() -> None:
        if words:
            names.append(" ".join(words))
            words.clear()

    for piece in _NAME_TOKEN_RE.findall(tail):
        if piece == ",":
            if not words:
                break
            flush()
            continue
        if piece.lower() == "và":
            flush()
            continue
        if piece in ("...", "…", ";", ":", "(", ")"):
            break
        word, stop = piece, False
        if word.endswith((".", "…")):
            word, stop = word.rstrip(".…"), True
        if _is_capitalised_word(word) or (words and word.isdigit()):
            words.append(word)
            if stop:
                break
        else:
            break
    flush()
    return [name for name in names if len(name.split()) <= 6]


def _street_keys(name: str) -> set[str]:
    key = name_key(name)
    keys = {key}
    for prefix in ("duong ", "pho ", "tuyen pho ", "tuyen duong "):
        if key.startswith(prefix):
            keys.add(key[len(prefix) :])
    return keys


def _parse_streets(paras: list[_Para], street_names: Iterable[str]) -> list[StreetMention]:
    """Find street names after street-context words and match them against known streets."""
    known: set[str] = set()
    for street in street_names:
        if street:
            known |= _street_keys(str(street))
    found: dict[str, StreetMention] = {}
    for para in paras:
        text = para.text
        for trigger in _STREET_TRIGGER_RE.finditer(text):
            before = _fold(text[: trigger.start()]).split()
            if before and before[-1] in _NOT_STREET_BEFORE:
                continue
            tail = text[trigger.end() :]
            names = _read_names(tail) if re.match(r"\s+\S", tail) else []
            if not names:
                intro = _LIST_INTRO_RE.match(tail)
                names = _read_names(tail[intro.end() :]) if intro else []
            for name in names:
                keys = _street_keys(name)
                matched = bool(keys & known)
                if len(name.split()) == 1 and not matched:
                    continue  # a lone capitalised word is too weak without a known street
                key = name_key(name)
                if key and key not in found:
                    found[key] = StreetMention(name, matched)
    return list(found.values())
