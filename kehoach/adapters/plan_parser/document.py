"""Parse a whole plan (text or file) and print it from the command line."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from kehoach.adapters.plan_parser.body import (
    _is_end_marker,
    _is_title_heading,
    _looks_like_body,
    _parse_anniversary,
    _parse_flag_window,
    _parse_refs,
    _parse_report_day,
    _roman_heading,
)
from kehoach.adapters.plan_parser.deadlines import with_deadlines
from kehoach.adapters.plan_parser.header import (
    _agency_from_header,
    _agency_from_preamble,
    _agency_from_signature,
    _parse_number,
    _parse_place_date,
    _segments,
)
from kehoach.adapters.plan_parser.reading import (
    _NUMBERED_RE,
    _PAREN_RE,
    _ROMAN_RE,
    _fold,
    _Para,
    _paras_from_text,
    _read_docx,
)
from kehoach.adapters.plan_parser.records import ParsedPlan, Section, _iso
from kehoach.adapters.plan_parser.streets import _parse_streets
from kehoach.adapters.plan_parser.units import _parse_units
from kehoach.domain.errors import NotAPlan

MAX_FILE_BYTES = 20 * 1024 * 1024


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
        units=tuple(with_deadlines(unit, default_year) for unit in units),
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
