"""Parse a Vietnamese administrative plan (Kế hoạch) from .txt or .docx into plain records.

The parser knows the general shape of such a plan, not any particular plan:

* a header (issuing agency, "Số: .../KH-...", "<Place>, ngày .. tháng .. năm ....");
* the "KẾ HOẠCH" heading, then the title line(s), then a preamble ("Căn cứ ...",
  "Thực hiện ..., UBND ... xây dựng kế hoạch ... như sau:");
* Roman-numbered sections ("I. MỤC ĐÍCH, YÊU CẦU", ...), one of which is
  "TỔ CHỨC THỰC HIỆN": Arabic-numbered units ("1. Phòng ...") with bullet tasks;
* a closing paragraph, the "Nơi nhận:" block and the signature ("TM. ỦY BAN NHÂN DÂN").

Every bad input (empty file, wrong encoding, broken .docx, text that is not a plan)
raises :class:`~kehoach.domain.errors.NotAPlan` with an English detail string.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kehoach.domain.enums import TaskKind
from kehoach.domain.errors import NotAPlan
from kehoach.domain.text import name_key, strip_diacritics

MAX_FILE_BYTES = 20 * 1024 * 1024

# ---------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class DocumentRef:
    """A document the plan implements ("Kế hoạch số 88/KH-UBND ngày 23/3/2024 của ...")."""

    number: str
    date: dt.date | None = None
    issuer: str | None = None
    kind: str | None = None  # "Kế hoạch", "Đề án", "Quyết định", ...

    def to_dict(self) -> dict[str, Any]:
        """Return the reference as a JSON-able dict."""
        return {
            "number": self.number,
            "date": _iso(self.date),
            "issuer": self.issuer,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class Section:
    """A Roman-numbered section heading ("IV. TỔ CHỨC THỰC HIỆN")."""

    number: str
    title: str

    def to_dict(self) -> dict[str, Any]:
        """Return the section as a JSON-able dict."""
        return {"number": self.number, "title": self.title}


@dataclass(frozen=True)
class Task:
    """One task of a unit: a bullet item, or the unit's paragraph when it has no bullets."""

    text: str
    kind: TaskKind
    attachment: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the task as a JSON-able dict."""
        return {"text": self.text, "kind": str(self.kind), "attachment": self.attachment}


@dataclass(frozen=True)
class Unit:
    """A responsible unit under "TỔ CHỨC THỰC HIỆN" with its tasks."""

    name: str
    tasks: tuple[Task, ...] = ()
    lead_in: str | None = None
    number: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the unit as a JSON-able dict."""
        return {
            "number": self.number,
            "name": self.name,
            "lead_in": self.lead_in,
            "tasks": [task.to_dict() for task in self.tasks],
        }


@dataclass(frozen=True)
class StreetMention:
    """A street name the plan mentions; ``matched`` when it is among the known streets."""

    name: str
    matched: bool

    def to_dict(self) -> dict[str, Any]:
        """Return the mention as a JSON-able dict."""
        return {"name": self.name, "matched": self.matched}


@dataclass(frozen=True)
class FlagWindow:
    """The flag-hanging period ("treo cờ ... từ ngày 28/4 đến ngày 01/5")."""

    start: dt.date | None
    end: dt.date | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        """Return the window as a JSON-able dict."""
        return {"start": _iso(self.start), "end": _iso(self.end), "text": self.text}


@dataclass(frozen=True)
class ParsedPlan:
    """Everything the parser could read from one plan."""

    issuer: str | None
    number: str | None
    date: dt.date | None
    title: str | None
    implements: tuple[DocumentRef, ...] = ()
    anniversary: dt.date | None = None
    sections: tuple[Section, ...] = ()
    units: tuple[Unit, ...] = ()
    streets: tuple[StreetMention, ...] = ()
    report_deadline_day: int | None = None
    flag_window: FlagWindow | None = None
    place: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the plan as a JSON-able dict (dates as ISO strings, blanks as None)."""
        return {
            "issuer": self.issuer,
            "number": self.number,
            "date": _iso(self.date),
            "place": self.place,
            "title": self.title,
            "implements": [ref.to_dict() for ref in self.implements],
            "anniversary": _iso(self.anniversary),
            "sections": [section.to_dict() for section in self.sections],
            "units": [unit.to_dict() for unit in self.units],
            "streets": [street.to_dict() for street in self.streets],
            "report_deadline_day": self.report_deadline_day,
            "flag_window": self.flag_window.to_dict() if self.flag_window else None,
        }


# ---------------------------------------------------------------------------
# Paragraph model shared by the .txt and .docx readers
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Para:
    text: str  # whitespace collapsed, bullet marker removed
    bullet: bool = False
    raw: str = ""  # original line (keeps runs of spaces / tabs, used for the header)


_SPACES = re.compile(r"\s+")
# "- ", "+ ", "• ", "– ", "—", "a) ", "1.1. " (a sub-item counts as a bullet).
_BULLET_RE = re.compile(
    r"^(?:[-+•–—▪●◦](?:\s+|(?=[^\W\d_]))|[a-zđ]\)\s+|\d{1,2}\.\d{1,2}\.?(?:\d{1,2}\.?)*\s+)"
)
_NUMBERED_RE = re.compile(r"^(\d{1,2})[.)](?!\d)\s*(\S.*)$")
_ROMAN_RE = re.compile(r"^([IVXLC]{1,7})\s*[.)\-–]\s*(\S.*)$")
_PAREN_RE = re.compile(r"^\((.+)\)[.;,]?$")
_LINE_END_PUNCT = (".", ":", ";", "!", "?", ")", "”", '"')


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")


def _squash(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _fold(text: str) -> str:
    """Return a diacritics-free, lower-case, single-spaced form for keyword tests."""
    folded = strip_diacritics(text).replace("-", " ")
    return _SPACES.sub(" ", folded).strip()


def _para_from_line(raw: str) -> _Para:
    line = raw.strip()
    match = _BULLET_RE.match(line)
    if match and len(line) > match.end():
        return _Para(_squash(line[match.end() :]), True, raw)
    return _Para(_squash(line), False, raw)


def _paras_from_text(text: str) -> list[_Para]:
    """Split plain text into paragraphs: one per line, re-joining hard-wrapped lines."""
    paras: list[_Para] = []
    previous_blank = True
    for raw in _normalise(text).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not raw.strip():
            previous_blank = True
            continue
        para = _para_from_line(raw)
        wrapped = (
            paras
            and not previous_blank
            and not para.bullet
            and para.text[:1].islower()
            and not paras[-1].text.endswith(_LINE_END_PUNCT)
        )
        if wrapped:
            last = paras[-1]
            paras[-1] = _Para(f"{last.text} {para.text}", last.bullet, f"{last.raw} {raw}")
        else:
            paras.append(para)
        previous_blank = False
    return paras


# ---------------------------------------------------------------------------
# .docx reader
# ---------------------------------------------------------------------------


def _to_roman(number: int) -> str:
    numerals = (
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    )
    out = []
    for value, numeral in numerals:
        while number >= value:
            out.append(numeral)
            number -= value
    return "".join(out)


def _from_roman(numeral: str) -> int | None:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for i, char in enumerate(numeral):
        value = values[char]
        if i + 1 < len(numeral) and values[numeral[i + 1]] > value:
            total -= value
        else:
            total += value
    return total if total > 0 and _to_roman(total) == numeral else None


def _read_docx(data_path: Path) -> list[_Para]:
    """Read the paragraphs of a .docx (body and table cells, in order) as ``_Para``s."""
    try:
        import docx  # python-docx
        from docx.oxml.ns import qn
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - dependency is declared
        raise NotAPlan("python-docx is not installed, cannot read .docx") from exc

    try:
        document = docx.Document(str(data_path))
    except Exception as exc:  # zip errors, missing parts, broken XML: all mean "not a docx"
        raise NotAPlan(f"not a valid Word .docx document ({type(exc).__name__})") from exc

    formats = _numbering_formats(document, qn)
    counters: dict[str, list[int]] = {}
    paras: list[_Para] = []

    def blocks(element: Any) -> Iterator[Any]:
        for child in element.iterchildren():
            if child.tag == qn("w:p"):
                yield child
            elif child.tag == qn("w:tbl"):
                for row in child.iterchildren(qn("w:tr")):
                    for cell in row.iterchildren(qn("w:tc")):
                        yield from blocks(cell)
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    yield from blocks(content)

    try:
        for element in blocks(document.element.body):
            paragraph = Paragraph(element, document)
            text = _normalise(paragraph.text or "")
            if not text.strip():
                continue
            role, key, level = _list_role(paragraph, formats, qn)
            if role is None:
                for line in text.split("\n"):
                    if line.strip():
                        paras.append(_para_from_line(line))
                continue
            flat = _squash(text)
            if role == "bullet":
                marker = _BULLET_RE.match(flat)
                if marker and len(flat) > marker.end():
                    flat = flat[marker.end() :].strip()
                paras.append(_Para(flat, True, text))
                continue
            counts = counters.setdefault(key, [0] * 9)
            level = min(level, 8)
            counts[level] += 1
            for deeper in range(level + 1, 9):
                counts[deeper] = 0
            if role == "roman" and not _ROMAN_RE.match(flat):
                flat = f"{_to_roman(counts[level])}. {flat}"
            elif role == "number" and not _NUMBERED_RE.match(flat):
                flat = f"{counts[level]}. {flat}"
            paras.append(_Para(flat, False, text))
    except NotAPlan:
        raise
    except Exception as exc:  # malformed XML inside an otherwise valid package
        raise NotAPlan(f"could not read the Word document ({type(exc).__name__})") from exc
    return paras


def _numbering_formats(document: Any, qn: Any) -> dict[tuple[str, int], str]:
    """Map (numId, level) to the Word number format ("bullet", "decimal", "upperRoman", ...)."""
    try:
        numbering = document.part.numbering_part.element
    except Exception:  # no numbering part: no list formats to resolve
        return {}
    abstract: dict[tuple[str, int], str] = {}
    for node in numbering.findall(qn("w:abstractNum")):
        abstract_id = node.get(qn("w:abstractNumId"))
        for lvl in node.findall(qn("w:lvl")):
            fmt = lvl.find(qn("w:numFmt"))
            value = fmt.get(qn("w:val")) if fmt is not None else "decimal"
            abstract[(abstract_id, int(lvl.get(qn("w:ilvl"), "0")))] = value or "decimal"
    formats: dict[tuple[str, int], str] = {}
    for num in numbering.findall(qn("w:num")):
        num_id = num.get(qn("w:numId"))
        ref = num.find(qn("w:abstractNumId"))
        abstract_id = ref.get(qn("w:val")) if ref is not None else None
        for (owner, level), value in abstract.items():
            if owner == abstract_id:
                formats[(num_id, level)] = value
    return formats


def _list_role(paragraph: Any, formats: dict[tuple[str, int], str], qn: Any) -> tuple:
    """Return (role, counter key, level); role is "bullet", "number", "roman" or None."""
    try:
        style = paragraph.style
        style_name = (style.name or "").lower() if style is not None else ""
    except Exception:  # unknown style id
        style, style_name = None, ""

    num_id, level = None, 0
    p_pr = paragraph._p.pPr
    num_pr = p_pr.numPr if p_pr is not None else None
    current = style
    while num_pr is None and current is not None:  # numbering inherited from the style
        s_pr = current.element.pPr
        num_pr = s_pr.numPr if s_pr is not None else None
        current = current.base_style
    if num_pr is not None:
        if num_pr.numId is not None:
            num_id = str(num_pr.numId.val)
        if num_pr.ilvl is not None:
            level = int(num_pr.ilvl.val or 0)

    if num_id is not None and num_id != "0":
        fmt = formats.get((num_id, level))
        if fmt is None:
            fmt = "decimal" if style_name == "list number" else "bullet"
        if level > 0 or fmt not in {"decimal", "decimalZero", "upperRoman"}:
            return "bullet", num_id, level
        return ("roman" if fmt == "upperRoman" else "number"), num_id, level
    if "bullet" in style_name or style_name == "list paragraph":
        return "bullet", style_name, 0
    if style_name == "list number":
        return "number", style_name, 0
    if style_name.startswith("list number"):  # "List Number 2": a nested level
        return "bullet", style_name, 1
    return None, "", 0


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
        return dt.date(int(year), int(month), int(day))  # type: ignore[arg-type]
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


def classify_task(text: str) -> TaskKind:
    """Classify a task text by keywords (decoration > flags > inspection > reporting)."""
    folded = f" {_fold(text)} "
    for kind, keywords in _KIND_KEYWORDS:
        if any(re.search(rf"\b{re.escape(word)}\b", folded) for word in keywords):
            return kind
    return TaskKind.OTHER


# ---------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------


@dataclass
class _UnitDraft:
    number: int
    name: str
    plain: list[str] = field(default_factory=list)
    plain_attachment: str | None = None
    lead_in: str | None = None
    tasks: list[list[Any]] = field(default_factory=list)  # [text, attachment]
    saw_bullet: bool = False

    def flush_plain(self, before_bullets: bool) -> None:
        """Turn pending plain paragraphs into the lead-in and/or tasks."""
        if not self.plain:
            return
        plain, self.plain = self.plain, []
        if before_bullets and plain[-1].endswith(":"):
            self.lead_in = plain.pop()
            for text in plain:
                self.tasks.append([text, None])
        elif before_bullets:
            for text in plain:
                self.tasks.append([text, None])
        else:
            self.tasks.append([" ".join(plain), None])
        if self.tasks and self.plain_attachment:
            self.tasks[-1][1] = self.plain_attachment
        self.plain_attachment = None

    def build(self) -> Unit:
        """Freeze the draft into a ``Unit``."""
        self.flush_plain(before_bullets=False)
        tasks = tuple(Task(text, classify_task(text), note) for text, note in self.tasks)
        return Unit(self.name, tasks, self.lead_in, self.number)


_CLOSING_CUES = ("tren day", "trong qua trinh", "ubnd ", "uy ban nhan dan ")


def _split_unit_heading(text: str) -> tuple[str, str]:
    """Split "Phòng Y tế quận: Chủ trì ..." into the unit name and the rest."""
    name, sep, rest = text.partition(":")
    if sep and rest.strip() and len(name) <= 150:
        return name.strip(), rest.strip()
    return text.strip().rstrip(":.").strip(), ""


def _parse_units(region: list[_Para]) -> list[Unit]:
    """Read numbered units and their bullet tasks from the "TỔ CHỨC THỰC HIỆN" section."""
    numbered = [not p.bullet and bool(_NUMBERED_RE.match(p.text)) for p in region]
    numbered_after = [any(numbered[i + 1 :]) for i in range(len(region))]
    units: list[Unit] = []
    current: _UnitDraft | None = None
    for index, para in enumerate(region):
        if numbered[index]:
            if current:
                units.append(current.build())
            match = _NUMBERED_RE.match(para.text)
            assert match is not None
            name, rest = _split_unit_heading(match.group(2))
            current = _UnitDraft(int(match.group(1)), name)
            if rest:
                current.plain.append(rest)
            continue
        if current is None:
            continue  # an introduction before the first unit
        if para.bullet:
            current.flush_plain(before_bullets=not current.saw_bullet)
            current.tasks.append([para.text, None])
            current.saw_bullet = True
            continue
        paren = _PAREN_RE.match(para.text)
        if paren:
            note = paren.group(1).strip()
            if current.tasks and not current.plain:
                old = current.tasks[-1][1]
                current.tasks[-1][1] = f"{old}; {note}" if old else note
            else:
                current.plain_attachment = note
            continue
        last_unit = not numbered_after[index]
        if last_unit and current.saw_bullet:
            break  # the closing paragraph after the last unit's bullets
        if last_unit and current.plain and _fold(para.text).startswith(_CLOSING_CUES):
            break  # the closing paragraph after a last unit made of plain text
        if current.saw_bullet:
            current.tasks.append([para.text, None])
        else:
            current.plain.append(para.text)
    if current:
        units.append(current.build())
    return units


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


# ---------------------------------------------------------------------------
# Whole document
# ---------------------------------------------------------------------------


def _parse_paras(paras: list[_Para], street_names: Iterable[str]) -> ParsedPlan:
    if not any(p.text for p in paras):
        raise NotAPlan("the document contains no text")
    title_index = next((i for i, p in enumerate(paras) if _is_title_heading(p) is not None), None)
    if title_index is None:
        raise NotAPlan("no 'KẾ HOẠCH' title found")
    end = next(
        (i for i in range(title_index + 1, len(paras)) if _is_end_marker(paras[i])), len(paras)
    )

    # Title: the line(s) after "KẾ HOẠCH" up to the first body paragraph.
    title_lines: list[str] = []
    inline = _is_title_heading(paras[title_index])
    if inline:
        title_lines.append(inline)
    cursor = title_index + 1
    while cursor < end and len(title_lines) < 4:
        para = paras[cursor]
        if para.bullet or _NUMBERED_RE.match(para.text) or _ROMAN_RE.match(para.text):
            break
        if _PAREN_RE.match(para.text) and title_lines:
            title_lines.append(para.text)  # "(Kèm theo ...)" under the title
            cursor += 1
            continue
        first = not title_lines
        if (first and (_fold(para.text).startswith("can cu") or para.text.endswith(":"))) or (
            not first and _looks_like_body(para.text)
        ):
            break
        title_lines.append(para.text)
        cursor += 1
    title = " ".join(title_lines) or None

    # Sections.
    sections: list[tuple[int, Section]] = []
    for i in range(cursor, end):
        section = _roman_heading(paras[i], len(sections) + 1)
        if section:
            sections.append((i, section))
    preamble_end = sections[0][0] if sections else end
    preamble = [p.text for p in paras[cursor:preamble_end]]

    exec_index = None
    for position, (i, section) in enumerate(sections):
        if "to chuc thuc hien" in _fold(section.title):
            exec_index = i
            following = sections[position + 1][0] if position + 1 < len(sections) else end
            break
    if exec_index is None:  # an unnumbered upper-case heading also counts
        for i in range(cursor, end):
            text = paras[i].text
            if not paras[i].bullet and text.isupper() and "to chuc thuc hien" in _fold(text):
                exec_index = i
                following = next((j for j, _ in sections if j > i), end)
                break
    if exec_index is None:
        raise NotAPlan("no 'TỔ CHỨC THỰC HIỆN' section found")
    units = _parse_units(paras[exec_index + 1 : following])
    if not units:
        raise NotAPlan("no numbered units in the 'TỔ CHỨC THỰC HIỆN' section")

    # Header facts.
    segments = _segments(paras[:title_index])
    number = _parse_number(segments)
    place, issued = _parse_place_date(segments)
    body_paras = paras[title_index:end]
    body_text = "\n".join(p.text for p in body_paras)
    issuer = (
        _agency_from_header(segments)
        or _agency_from_preamble(" ".join(preamble))
        or _agency_from_preamble(body_text)
        or _agency_from_signature(paras[end:], place, body_text)
    )

    front = [text for text in [title or "", *preamble] if text]
    anniversary = _parse_anniversary([*front, body_text])
    default_year = (
        anniversary.year if anniversary else issued.year if issued else _year_in(segments)
    )
    return ParsedPlan(
        issuer=issuer,
        number=number,
        date=issued,
        title=title,
        implements=tuple(_parse_refs("\n".join(front))),
        anniversary=anniversary,
        sections=tuple(section for _, section in sections),
        units=tuple(units),
        streets=tuple(_parse_streets(body_paras, street_names)),
        report_deadline_day=_parse_report_day(body_paras),
        flag_window=_parse_flag_window(body_paras, default_year),
        place=place,
    )


def _year_in(segments: list[str]) -> int | None:
    for segment in segments:
        match = re.search(r"năm\s+(\d{4})", segment)
        if match:
            return int(match.group(1))
    return None


def parse_plan_text(text: str, street_names: Iterable[str] = ()) -> ParsedPlan:
    """Parse the plain text of a plan; raise NotAPlan when it is not one."""
    if not isinstance(text, str) or not text.strip():
        raise NotAPlan("the text is empty")
    if "\x00" in text:
        raise NotAPlan("the text contains binary data")
    return _parse_paras(_paras_from_text(text), street_names)


def parse_plan_file(path: Path | str, street_names: Iterable[str] = ()) -> ParsedPlan:
    """Parse a .txt (UTF-8) or .docx plan file; raise NotAPlan for anything unreadable."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".txt", ".docx"):
        raise NotAPlan(f"unsupported file type '{path.suffix or '(none)'}'; use .txt or .docx")
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise NotAPlan(f"'{path.name}' is not a file")
    except OSError as exc:
        raise NotAPlan(f"cannot read '{path.name}' ({exc.strerror or type(exc).__name__})") from exc
    if size == 0:
        raise NotAPlan("the file is empty")
    if size > MAX_FILE_BYTES:
        raise NotAPlan(f"the file is too large ({size} bytes)")
    if suffix == ".docx":
        return _parse_paras(_read_docx(path), street_names)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NotAPlan(f"cannot read '{path.name}' ({exc.strerror or type(exc).__name__})") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotAPlan("the file is not valid UTF-8 text") from exc
    return parse_plan_text(text, street_names)


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------


def _summary(plan: ParsedPlan) -> str:
    """Return a short Vietnamese human summary of a parsed plan."""
    lines = [
        f"Kế hoạch: {plan.title or '(không rõ tiêu đề)'}",
        f"Cơ quan ban hành: {plan.issuer or '(không rõ)'}",
        f"Số: {plan.number or '(chưa có số)'}",
        f"Ngày ban hành: {_iso(plan.date) or '(chưa điền)'}",
        f"Ngày kỷ niệm: {_iso(plan.anniversary) or '(không rõ)'}",
    ]
    if plan.implements:
        refs = ", ".join(
            ref.number + (f" ({_iso(ref.date)})" if ref.date else "") for ref in plan.implements
        )
        lines.append(f"Thực hiện văn bản: {refs}")
    lines.append(f"Đơn vị thực hiện: {len(plan.units)}")
    for index, unit in enumerate(plan.units, 1):
        lines.append(f"  {index}. {unit.name} — {len(unit.tasks)} nhiệm vụ")
    if plan.streets:
        streets = ", ".join(f"{s.name}{' ✓' if s.matched else ' ?'}" for s in plan.streets)
        lines.append(f"Tuyến phố nhắc tới: {streets}")
    if plan.report_deadline_day:
        lines.append(f"Hạn báo cáo: trước ngày {plan.report_deadline_day} hằng tháng")
    if plan.flag_window:
        lines.append(f"Thời gian treo cờ: {plan.flag_window.text}")
    return "\n".join(lines)


def main_parse_cli(path: str, as_json: bool, street_names: Iterable[str] = ()) -> int:
    """Parse ``path`` and print JSON or a summary; return 0, or 2 when it is not a plan."""
    try:
        plan = parse_plan_file(Path(path), street_names)
    except NotAPlan as exc:
        print(f"Lỗi: tệp không phải là một kế hoạch hợp lệ: {exc.detail}", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps(plan.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(_summary(plan))
    return 0
