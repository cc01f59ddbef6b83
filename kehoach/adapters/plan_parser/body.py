"""Read the body of a plan: title, sections, references, deadlines and task kinds."""

from __future__ import annotations

import datetime as dt
import re

from kehoach.adapters.plan_parser.header import _RANGE_RE, _first_date, _make_date
from kehoach.adapters.plan_parser.reading import _ROMAN_RE, _fold, _from_roman, _Para, _squash
from kehoach.adapters.plan_parser.records import DocumentRef, FlagWindow, Section
from kehoach.domain.enums import TaskKind

# ---------------------------------------------------------------------------
# Body pieces
# ---------------------------------------------------------------------------

_TITLE_RE = re.compile(r"^KẾ\s*HOẠCH\b\s*[:\-–]?\s*(.*)$")
_SIGNATURE_RE = re.compile(r"^(?:TM|KT|TL|TUQ|Q)\.\s*\S")
_REF_KINDS = (
    "Kế hoạch",
    "Đề án",
    "Quyết định",
    "Nghị quyết",
    "Chỉ thị",
    "Thông báo",
    "Công văn",
    "Văn bản",
    "Hướng dẫn",
    "Thông tư",
    "Nghị định",
    "Kết luận",
    "Chương trình",
    "Luật",
)
_REF_RE = re.compile(
    r"(?P<kind>" + "|".join(_REF_KINDS) + r")\s+số\s+(?P<num>[0-9][^\s,;()]*)"
    r"(?:\s+ngày\s+(?P<date>\d{1,2}\s*(?:[/.\-]|\s+tháng\s+)\s*\d{1,2}"
    r"\s*(?:[/.\-]|\s+năm\s+)\s*\d{4}))?",
    re.IGNORECASE,
)
_REF_ISSUER_RE = re.compile(
    r"^\s*(?:của|do)\s+(?P<who>.+?)(?=\s+(?:về|v/v|và|nhằm|để|trong|tại|ban hành|đã|với)\b"
    r"|[,;:()]|$)",
    re.IGNORECASE,
)


def _is_title_heading(para: _Para) -> str | None:
    """Return the text following "KẾ HOẠCH" ("" if none) when ``para`` is that heading."""
    if para.bullet:
        return None
    match = _TITLE_RE.match(para.text)
    if match:
        rest = match.group(1)
        return rest if not rest or rest[:1].isupper() else None
    return None


def _is_end_marker(para: _Para) -> bool:
    """Tell whether ``para`` starts the "Nơi nhận" block or the signature."""
    if para.bullet:
        return False
    return _fold(para.text).startswith("noi nhan") or bool(_SIGNATURE_RE.match(para.text))


def _looks_like_body(text: str) -> bool:
    return (
        _fold(text).startswith("can cu")
        or text.endswith((":", ";"))
        or (text.endswith(".") and not text.endswith(".."))
        or len(text) > 300
    )


def _roman_heading(para: _Para, expected: int) -> Section | None:
    if para.bullet:
        return None
    match = _ROMAN_RE.match(para.text)
    if not match:
        return None
    value = _from_roman(match.group(1))
    title = match.group(2).strip()
    if value != expected or not (title.isupper() or len(title) < 100):
        return None
    return Section(match.group(1), title.rstrip(":").strip())


def _parse_refs(text: str) -> list[DocumentRef]:
    """Collect referenced documents; one issuer ("của X") covers a comma-joined list."""
    found: list[tuple[int, int, str, str, dt.date | None, str | None]] = []
    for match in _REF_RE.finditer(text):
        number = match.group("num").rstrip(".")
        when = _first_date(match.group("date"))[0] if match.group("date") else None
        who_match = _REF_ISSUER_RE.match(text[match.end() :])
        who = _squash(who_match.group("who")) if who_match else None
        kind = match.group("kind")
        found.append((match.start(), match.end(), kind[:1].upper() + kind[1:], number, when, who))
    # A reference directly followed by another (", " or " và ") shares the later issuer.
    for i in range(len(found) - 2, -1, -1):
        start, end, kind, number, when, who = found[i]
        gap = text[end : found[i + 1][0]]
        if who is None and re.fullmatch(r"\s*(?:,|và|;)?\s*", gap):
            found[i] = (start, end, kind, number, when, found[i + 1][5])
    refs: dict[str, DocumentRef] = {}
    for _, _, kind, number, when, who in found:
        key = number.upper()
        old = refs.get(key)
        if old is None:
            refs[key] = DocumentRef(number, when, who, kind)
        else:
            refs[key] = DocumentRef(old.number, old.date or when, old.issuer or who, old.kind)
    return list(refs.values())


def _parse_anniversary(texts: list[str]) -> dt.date | None:
    """Take the later date of a "d/m/yyyy-d/m/yyyy" range, else "kỷ niệm [N năm] ... d/m/yyyy"."""
    for text in texts:
        match = _RANGE_RE.search(text)
        if match:
            first = _make_date(*match.group(1, 2, 3))
            second = _make_date(*match.group(4, 5, 6))
            dates = [d for d in (first, second) if d]
            if dates:
                return max(dates)
    for text in texts:
        for match in re.finditer(r"k[ỷỉ]\s+niệm\b", text, re.IGNORECASE):
            window = re.split(r"[.;:]\s", text[match.end() : match.end() + 250])[0]
            when, _ = _first_date(window)
            if when is None:
                continue
            years = re.match(r"\s*(\d{1,4})\s+năm\b", window, re.IGNORECASE)
            if years and int(years.group(1)) > 0:
                shifted = _make_date(when.day, when.month, when.year + int(years.group(1)))
                return shifted or _make_date(28, when.month, when.year + int(years.group(1)))
            return when
    return None


def _parse_report_day(paras: list[_Para]) -> int | None:
    """Read "trước ngày 20 [hằng tháng]"; prefer a sentence that mentions reporting."""
    pattern = re.compile(
        r"trước\s+ngày\s+(\d{1,2})(?![\d/.\-]|\s*tháng\s*\d|\s+tháng\s+\d)", re.IGNORECASE
    )
    fallback: int | None = None
    for para in paras:
        for sentence in re.split(r"(?<=[.;])\s+", para.text):
            for match in pattern.finditer(sentence):
                day = int(match.group(1))
                if not 1 <= day <= 31:
                    continue
                if "bao cao" in _fold(sentence):
                    return day
                if fallback is None:
                    fallback = day
    return fallback


def _parse_flag_window(paras: list[_Para], default_year: int | None) -> FlagWindow | None:
    """Find "treo cờ ... từ ngày d/m[/y] đến [hết] ngày d/m[/y]" in one sentence."""
    pattern = re.compile(
        r"từ\s+ngày\s+(\d{1,2})/(\d{1,2})(?:/(\d{4}))?\s*(?:đến|tới|[-–])\s*(?:hết\s+)?"
        r"(?:ngày\s+)?(\d{1,2})/(\d{1,2})(?:/(\d{4}))?",
        re.IGNORECASE,
    )
    for para in paras:
        for sentence in re.split(r"(?<=[.;])\s+", para.text):
            if "treo co" not in _fold(sentence):
                continue
            match = pattern.search(sentence)
            if not match:
                continue
            end_year = match.group(6) or match.group(3) or default_year
            start_year = match.group(3) or end_year
            return FlagWindow(
                _make_date(match.group(1), match.group(2), start_year),
                _make_date(match.group(4), match.group(5), end_year),
                match.group(0),
            )
    return None


# ---------------------------------------------------------------------------
# Task kinds
# ---------------------------------------------------------------------------

# Order of precedence, first hit wins: decoration > flags > inspection > reporting > other.
# Decoration comes first because decoration tasks often mention flags in passing ("trang trí
# ..., treo cờ Tổ quốc") while a flag task ("thông báo treo cờ") has no decoration words; a
# task that inspects or reports on decoration is still about decoration for the map. The
# keywords are matched on the diacritics-free, hyphen-free text.
_KIND_KEYWORDS: tuple[tuple[TaskKind, tuple[str, ...]], ...] = (
    (
        TaskKind.DECORATION,
        (
            "trang tri",
            "truc quan",
            "pa no",
            "pano",
            "bang ron",
            "ban no",
            "khau hieu",
            "co phuon",
            "co duoi nheo",
        ),
    ),
    (TaskKind.FLAGS, ("treo co", "co to quoc")),
    (TaskKind.INSPECTION, ("kiem tra", "don doc")),
    (TaskKind.REPORTING, ("bao cao", "tong hop")),
)


# A task that directs, inspects or advises on decoration or flags is not done at the sites, so
# its unit finishes it by hand: "Chủ trì đôn đốc, kiểm tra ... trang trí trực quan" is
# oversight, "Tham mưu UBND quận thông báo treo cờ" and "Ban hành thông báo treo cờ" are
# paperwork (reporting). Only the lead verb decides (a
# decoration task may mention inspecting in passing).
_LEAD_RE = re.compile(
    r"^(?:chu tri,?\s+)?(chi dao|don doc|kiem tra|huong dan|tham muu|thong bao|ban hanh)\b"
)
_LEAD_KINDS = dict.fromkeys(("tham muu", "thong bao", "ban hanh"), TaskKind.REPORTING)


def classify_task(text: str) -> TaskKind:
    """Classify a task text by keywords (decoration > flags > inspection > reporting).

    A decoration or flag task led by an oversight or advice verb is inspection or reporting.
    """
    folded = f" {_fold(text)} "
    for kind, keywords in _KIND_KEYWORDS:
        if any(re.search(rf"\b{re.escape(word)}\b", folded) for word in keywords):
            lead = _LEAD_RE.match(folded.strip())
            if lead and kind in (TaskKind.DECORATION, TaskKind.FLAGS):
                return _LEAD_KINDS.get(lead.group(1), TaskKind.INSPECTION)
            return kind
    return TaskKind.OTHER
