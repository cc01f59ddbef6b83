"""Read dates and the header of a plan: number, place, date and issuing agency."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable

from kehoach.adapters.plan_parser.reading import _fold, _Para, _squash

# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

_DATE_RE = re.compile(
    r"(\d{1,2})\s*(?:[/.\-]|\s+tháng\s+)\s*(\d{1,2})\s*(?:[/.\-]|\s+năm\s+)\s*(\d{4})",
    re.IGNORECASE,
)
_RANGE_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})\s*[-–—]\s*(\d{1,2})/(\d{1,2})/(\d{4})")
_PLACE_DATE_RE = re.compile(
    r"^(?P<place>[^\W\d_][^,\d]{0,60}?)\s*,\s*ngày\s*(?:(?P<d>\d{1,2})?\s*tháng\s*"
    r"(?P<m>\d{1,2})?\s*năm\s*(?P<y>\d{4})|(?P<d2>\d{1,2})[/.](?P<m2>\d{1,2})[/.](?P<y2>\d{4}))",
    re.IGNORECASE,
)


def _make_date(day: str | int | None, month: str | int | None, year: str | int | None):
    """Return a ``date`` or None when a part is blank or the day does not exist."""
    try:
        return dt.date(int(year), int(month), int(day))  # type: ignore[arg-type]  # None raises TypeError
    except (TypeError, ValueError):
        return None


def _first_date(text: str) -> tuple[dt.date | None, int]:
    match = _DATE_RE.search(text)
    if not match:
        return None, -1
    return _make_date(match.group(1), match.group(2), match.group(3)), match.end()


# ---------------------------------------------------------------------------
# Header: number, place, date, issuer
# ---------------------------------------------------------------------------

_NUMBER_RE = re.compile(r"\bSố\s*[:.]?\s*(?P<num>[0-9][0-9A-Za-z.\-]*)?\s*(?P<suffix>/\s*\S+)?")
_MOTTO_FOLDS = ("cong hoa xa hoi chu nghia", "doc lap tu do hanh phuc")
_LEVELS = ("quận", "huyện", "thị xã", "thành phố", "phường", "xã", "thị trấn", "tỉnh")
_LEVEL_RE = "|".join(sorted(_LEVELS, key=len, reverse=True))
_UBND_RE = r"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)"


def _segments(paras: Iterable[_Para]) -> list[str]:
    """Split header lines on column gaps (tabs, runs of spaces) into separate segments."""
    out: list[str] = []
    for para in paras:
        for piece in re.split(r"\t|\s{3,}", para.raw or para.text):
            piece = _squash(piece)
            if piece:
                out.append(piece)
    return out


def _parse_number(segments: list[str]) -> str | None:
    for segment in segments:
        match = _NUMBER_RE.search(segment)
        if not match or not segment.lstrip().startswith("Số"):
            continue
        if not match.group("num"):
            return None  # "Số: /KH-UBND": number not filled in yet
        suffix = re.sub(r"\s+", "", match.group("suffix") or "")
        return f"{match.group('num')}{suffix}".rstrip(".,;")
    return None


def _parse_place_date(segments: list[str]) -> tuple[str | None, dt.date | None]:
    for segment in segments:
        match = _PLACE_DATE_RE.search(segment)
        if match:
            place = _squash(match.group("place"))
            if match.group("y2"):
                return place, _make_date(match.group("d2"), match.group("m2"), match.group("y2"))
            return place, _make_date(match.group("d"), match.group("m"), match.group("y"))
    return None, None


def _title_case(text: str) -> str:
    return " ".join(word[:1].upper() + word[1:].lower() for word in text.split())


def _is_capitalised_word(word: str) -> bool:
    return bool(word) and word[0].isupper() and not (len(word) > 1 and word.isupper())


def _agency_from_header(segments: list[str]) -> str | None:
    """Build "UBND quận Cầu Giấy" from header lines like "ỦY BAN NHÂN DÂN" / "QUẬN CẦU GIẤY"."""
    agency: list[str] = []
    for segment in segments:
        folded = _fold(segment)
        letters = [ch for ch in segment if ch.isalpha()]
        if not letters or any(folded.startswith(m) for m in _MOTTO_FOLDS):
            continue
        if segment.startswith("Số") or _PLACE_DATE_RE.search(segment):
            continue
        if segment.isupper():
            agency.append(segment)
    if not agency:
        return None
    joined = _squash(" ".join(agency))
    match = re.match(rf"^{_UBND_RE}\s*(?:({_LEVEL_RE})\s+)?(.*)$", joined, re.IGNORECASE)
    if match:
        level = (match.group(1) or "").lower()
        name = _title_case(match.group(2)) if match.group(2) else ""
        return _squash(f"UBND {level} {name}") if name or level else "UBND"
    return joined


def _agency_from_preamble(text: str) -> str | None:
    """Find "UBND quận X xây dựng/ban hành kế hoạch" in the preamble."""
    pattern = rf"{_UBND_RE}\s+({_LEVEL_RE})\s+(.+?)\s+(?:xây dựng|ban hành|triển khai)\s+kế\s+hoạch"
    for match in re.finditer(pattern, text, re.IGNORECASE):
        words = match.group(2).split()
        if 1 <= len(words) <= 4 and all(_is_capitalised_word(w) for w in words):
            return f"UBND {match.group(1).lower()} {' '.join(words)}"
    return None


def _agency_from_signature(paras: list[_Para], place: str | None, body: str) -> str | None:
    """Combine the signature "TM. ỦY BAN NHÂN DÂN" with the place line and the usual level."""
    if not place:
        return None
    for para in paras:
        if re.match(rf"^(?:TM|KT|TL|TUQ)\.\s*{_UBND_RE}\b", para.text, re.IGNORECASE):
            levels = Counter(
                m.group(1).lower()
                for m in re.finditer(rf"{_UBND_RE}\s+({_LEVEL_RE})\b", body, re.IGNORECASE)
            )
            level = levels.most_common(1)[0][0] if levels else ""
            return _squash(f"UBND {level} {place}")
    return None
