"""Read .txt and .docx plans into one paragraph model."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kehoach.adapters.archive_limits import (
    LimitExceeded,
    PartLimits,
    check_archive,
    reason,
    scan_part,
)
from kehoach.domain.errors import NotAPlan
from kehoach.domain.text import strip_diacritics

# Bounds checked before python-docx loads anything: a plan is a few dozen pages.
MAX_DOCX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024  # pictures included
MAX_DOCX_XML_BYTES = 16 * 1024 * 1024  # all XML parts: python-docx builds a tree of each
MAX_COMPRESSION_RATIO = 100
MAX_PARAGRAPHS = 20_000  # a hundred pages hold about 4,000
MAX_PARAGRAPH_BYTES = 256 * 1024
_BODY_LIMITS = PartLimits(b"p", MAX_PARAGRAPHS, "limit.paragraphs", MAX_PARAGRAPH_BYTES)

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


def _check_text_limits(text: str) -> None:
    """Refuse text with more lines or a longer line than any plan has."""
    lines = text.count("\n") + text.count("\r") + 1
    if lines > MAX_PARAGRAPHS:
        _refuse(LimitExceeded("limit.paragraphs", n=lines, limit=MAX_PARAGRAPHS))
    longest = max(map(len, text.splitlines()), default=0)
    if longest > MAX_PARAGRAPH_BYTES:
        _refuse(LimitExceeded("limit.text_too_long", limit=MAX_PARAGRAPH_BYTES // 1024))


def _refuse(exc: LimitExceeded) -> None:
    raise NotAPlan(reason(exc)) from None


def _paras_from_text(text: str) -> list[_Para]:
    """Split plain text into paragraphs: one per line, re-joining hard-wrapped lines."""
    _check_text_limits(text)
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

    _check_docx_limits(data_path)
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


def _check_docx_limits(path: Path) -> None:
    """Refuse a bomb or an endless body before python-docx inflates and parses it."""
    try:
        with zipfile.ZipFile(path) as archive:
            check_archive(archive, path.stat().st_size, MAX_DOCX_UNCOMPRESSED_BYTES,
                          MAX_COMPRESSION_RATIO)
            xml = sum(i.file_size for i in archive.infolist()
                      if i.filename.endswith((".xml", ".rels")))
            if xml > MAX_DOCX_XML_BYTES:
                mb, limit = -(-xml // 2**20), MAX_DOCX_XML_BYTES // 2**20
                raise LimitExceeded("limit.xml_too_big", mb=mb, limit=limit)
            if "word/document.xml" in archive.namelist():
                scan_part(archive, "word/document.xml", _BODY_LIMITS)
    except LimitExceeded as exc:
        _refuse(exc)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as exc:
        raise NotAPlan(f"not a valid Word .docx document ({type(exc).__name__})") from exc


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
