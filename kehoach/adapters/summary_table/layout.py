"""Find the table in a real summary sheet and read its rows into records with named fields.

Offices' tables ("biểu tổng hợp vị trí điểm trực quan") start with title rows (agency,
"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", title, date line), then one or two header rows (a merged
"Thời gian" over "Lắp đặt" | "Tháo dỡ"), numbered rows, group rows ("I. TUYẾN PHỐ CHÍNH",
"Phường Khương Mai") whose ward or street applies to the rows below, total rows ("Tổng cộng"),
blank rows and a signature block. ``parse_sheet`` takes the raw cells and the merged ranges
and returns a ``ParsedTable``; it knows nothing of the database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from kehoach.adapters.summary_table.columns import (
    Cell,
    cell_text,
    is_empty,
    parse_number,
    refuse,
)
from kehoach.adapters.summary_table.records import (
    CellProblem,
    MergedRange,
    ParsedTable,
    TableRecord,
)
from kehoach.adapters.summary_table.vocab import (
    CONTENT,
    FLAG_KINDS,
    INSTALL,
    KIND,
    LAT,
    LON,
    NOTE,
    PERIOD,
    POSITION,
    QUANTITY,
    REMOVE,
    SIZE,
    STATUS,
    STREET,
    STT,
    UNIT,
    WARD,
    fold_key,
    header_field,
    match_kind,
    normalise_size,
)
from kehoach.domain.date_ranges import Period, UnreadableDate, parse_period
from kehoach.domain.enums import SiteKind
from kehoach.i18n import label, t

HEADER_SCAN_ROWS = 25
MIN_HEADER_FIELDS = 3
MAX_LAYOUT_COLUMNS = 60
POSITION_FIELDS = (POSITION, STREET)

_ENUMERATOR = re.compile(r"^\s*(?:[IVXLC]+|[A-Za-z]|\d+(?:\.\d+)*)\s*[.):/-]\s+")
_TOTAL = re.compile(r"^(?:tong cong|tong so|tong|cong)(?: [ivx\d]+)?$|^tong cong\b")
_SIGNATURE = re.compile(
    r"^(?:nguoi lap(?: bieu)?|(?:pho )?giam doc|thu truong|(?:pho )?chu tich|(?:pho )?truong "
    r"(?:phong|ban)|noi nhan|xac nhan|kt |tm |t m |ghi chu |luu y)"
    r"|ky (?:ghi ro )?(?:ho ten|ten|dong dau)|\bngay\b.*\bthang\b.*\bnam\b"
)
_WARD_WORDS = (("phuong",), ("p",), ("dia", "ban", "phuong"))
_STREET_WORDS = (("tuyen", "pho"), ("tuyen", "duong"), ("duong", "pho"), ("pho",), ("duong",))
# Group titles that name a category of streets, not a street ("TUYẾN PHỐ CHÍNH").
_GENERIC = re.compile(r"^(?:chinh|nhanh|trong diem|con lai|khac|cac|noi bo|chinh cua quan)\b")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


@dataclass
class _Header:
    """Where the header is and which column holds which field."""

    first_row: int  # index in the grid
    rows: int
    fields: dict[int, str]
    texts: dict[str, str] = field(default_factory=dict)


@dataclass
class _Carry:
    """What group rows say about the rows below them."""

    ward: str = ""
    street: str = ""
    group: str = ""


def parse_sheet(rows: Sequence[Sequence[Cell]], merged: Sequence[MergedRange] = (),
                default_year: int | None = None) -> ParsedTable:
    """Locate the header in a raw sheet and read every data row into a ``TableRecord``.

    ``default_year`` completes days written without a year; if None, the latest 20xx year in
    the title rows is used. Raises ``TableError`` when no header is found.
    """
    grid = fill_merged(rows, merged)
    spans = {(m.min_row, m.max_row) for m in merged if m.max_col > m.min_col}
    header = find_header(grid)
    year = default_year or _title_year(grid[: header.first_row])
    records: list[TableRecord] = []
    ignored: list[tuple[int, str]] = []
    carry = _Carry()
    start = header.first_row + header.rows
    for index in range(start, len(grid)):
        number = index + 1
        cells = {f: _at(grid[index], c) for c, f in header.fields.items()}
        kind = _row_kind(grid[index], cells, index == start, (number, number) in spans)
        if kind == "signature":
            ignored.extend((n, kind) for n in range(number, len(grid) + 1))
            break
        if kind == "group":
            _apply_group(carry, _group_text(cells, grid[index]))
        if kind != "data":
            ignored.append((number, kind))
            continue
        records.append(_record(number, cells, carry, header.texts, year))
    columns = {f: header.texts[f] for f in header.fields.values()}
    return ParsedTable(header.first_row + 1, header.rows, columns, tuple(records),
                       tuple(ignored), year)


def fill_merged(rows: Sequence[Sequence[Cell]],
                merged: Sequence[MergedRange]) -> list[list[Cell]]:
    """Return the grid with each merged range's value copied into every cell it covers."""
    grid = [list(row[:MAX_LAYOUT_COLUMNS]) for row in rows]
    for rng in merged:
        if rng.min_row > len(grid):
            continue
        value = _at(grid[rng.min_row - 1], rng.min_col - 1)
        for r in range(rng.min_row - 1, min(rng.max_row, len(grid))):
            row = grid[r]
            last = min(rng.max_col, MAX_LAYOUT_COLUMNS)
            row.extend([None] * (last - len(row)))
            for c in range(rng.min_col - 1, last):
                row[c] = value
    return grid


def find_header(grid: Sequence[Sequence[Cell]]) -> _Header:
    """Return the header among the first rows: most known names; two levels if they add some."""
    best: _Header | None = None
    singles = [_fields(_header_texts(grid, i, 1)) for i in range(min(HEADER_SCAN_ROWS + 1,
                                                                       len(grid)))]
    for index in range(min(HEADER_SCAN_ROWS, len(grid))):
        for depth in (1, 2):
            if index + depth > len(grid):
                continue
            texts = _header_texts(grid, index, depth)
            found = _fields(texts)
            if depth == 2 and not _second_level(len(found), len(singles[index]),
                                                 len(singles[index + 1])):
                continue
            if best is None or len(found) > len(best.fields):
                best = _Header(index, depth, found,
                               {f: texts[c] for c, f in found.items()})
    if best is None or len(best.fields) < MIN_HEADER_FIELDS or not (
        set(POSITION_FIELDS) & set(best.fields.values())
        or {LON, LAT} <= set(best.fields.values())
    ):
        raise refuse("table.error.no_layout_header", rows=HEADER_SCAN_ROWS)
    return best


def _second_level(both: int, top: int, below: int) -> bool:
    """Tell whether two rows make one header: the top is a header and the pair names more."""
    return top >= MIN_HEADER_FIELDS and both > top and both >= below


def _header_texts(grid: Sequence[Sequence[Cell]], index: int, depth: int) -> dict[int, str]:
    """Return each column's header text; two levels read as "parent child"."""
    top = [cell_text(v) for v in grid[index]]
    if depth == 1:
        return {c: text for c, text in enumerate(top) if text}
    below = [cell_text(v) for v in grid[index + 1]]
    if _is_data_like(grid[index + 1]):
        return {}
    width = max(len(top), len(below))
    top += [""] * (width - len(top))
    below += [""] * (width - len(below))
    texts: dict[int, str] = {}
    carry_left = sum(bool(text) for text in top) > 1  # never spread a lone title row
    for c in range(width):
        parent, child = top[c], below[c]
        if (carry_left and not parent and child and c and below[c - 1]
                and top[c - 1] != below[c - 1]):
            parent = top[c] = top[c - 1]  # an unmerged parent written once over its children
        if child and parent and child != parent:
            texts[c] = f"{parent} {child}"
        elif parent or child:
            texts[c] = parent or child
    return texts


def _fields(texts: Mapping[int, str]) -> dict[int, str]:
    found: dict[int, str] = {}
    for column, text in texts.items():
        name = header_field(text)
        if name is None and " " in text:
            # "Thời gian Lắp đặt" is not an alias: try the child, then the parent.
            words = text.split()
            for cut in range(1, len(words)):
                name = header_field(" ".join(words[cut:])) or header_field(" ".join(words[:cut]))
                if name:
                    break
        if name and name not in found.values():
            found[column] = name
    return found


def _at(row: Sequence[Cell], column: int) -> Cell:
    return row[column] if column < len(row) else None


def _is_int(value: Cell) -> bool:
    text = cell_text(value).rstrip(".")
    return text.isdigit() and int(text) > 0


def _is_data_like(row: Sequence[Cell]) -> bool:
    return bool(row) and _is_int(row[0]) and sum(not is_empty(v) for v in row) > 2


def _texts(row: Sequence[Cell]) -> list[str]:
    seen: list[str] = []
    for value in row:
        text = cell_text(value)
        if text and text not in seen:
            seen.append(text)
    return seen


def _row_kind(row: Sequence[Cell], cells: Mapping[str, Cell], first: bool, spanned: bool) -> str:
    """Say what a row below the header is: data, blank, numbering, total, group, signature."""
    texts = _texts(row)
    if not texts:
        return "blank"
    numbered = _is_int(cells.get(STT))
    folded = [fold_key(text) for text in texts]
    if not numbered and any(_TOTAL.search(f) for f in folded):
        return "total"
    if not numbered and any(_SIGNATURE.search(f) for f in folded):
        return "signature"
    if first and all(re.fullmatch(r"\(?\d{1,2}\)?", text) for text in texts) and len(texts) > 2:
        return "numbering"  # "(1) (2) (3)…" under the header
    data_texts = [cell_text(v) for f, v in cells.items() if f != STT and not is_empty(v)]
    if not numbered and len(set(data_texts)) <= 1:
        text = data_texts[0] if data_texts else texts[0]
        if spanned or _ENUMERATOR.match(text) or text.isupper() or _group_words(text)[0]:
            return "group"
    return "data"


def _group_text(cells: Mapping[str, Cell], row: Sequence[Cell]) -> str:
    data = [cell_text(v) for f, v in cells.items() if f != STT and not is_empty(v)]
    stt = cell_text(cells.get(STT))
    text = data[0] if data else _texts(row)[0]
    if stt and stt != text and not _ENUMERATOR.match(text):
        text = f"{stt}. {text}"  # "I" in STT, "TUYẾN PHỐ CHÍNH" beside it
    return text


def _group_words(text: str) -> tuple[str, str]:
    """Return ("ward" | "street" | "", the name after the prefix words) for a group title."""
    body = _ENUMERATOR.sub("", text, count=1).strip()
    words = body.split()
    folded = [fold_key(w) for w in words]
    for what, prefixes in (("ward", _WARD_WORDS), ("street", _STREET_WORDS)):
        for prefix in prefixes:
            if tuple(folded[: len(prefix)]) == prefix and len(words) > len(prefix):
                name = " ".join(words[len(prefix):]).strip(" .:-")
                if what == "street" and _GENERIC.match(fold_key(name)):
                    return "", body
                return what, name.title() if name.isupper() else name
    return "", body


def _apply_group(carry: _Carry, text: str) -> None:
    what, name = _group_words(text)
    carry.group = text
    if what == "ward":
        carry.ward, carry.street = name, ""
    elif what == "street":
        carry.street = name
    else:
        carry.ward = carry.street = ""  # a new section ("II. CÁC TUYẾN NHÁNH")


def _title_year(rows: Sequence[Sequence[Cell]]) -> int | None:
    years = [int(y) for row in rows for v in row for y in _YEAR.findall(cell_text(v))]
    return max(years) if years else None


class _RowReader:
    """Read the cells of one data row into typed values, collecting cell problems."""

    def __init__(self, number: int, cells: Mapping[str, Cell], headers: Mapping[str, str]):
        self.number, self.cells, self.headers = number, cells, headers
        self.problems: list[CellProblem] = []

    def text(self, name: str) -> str:
        return cell_text(self.cells.get(name))

    def fail(self, name: str, key: str, **params: object) -> None:
        column = " ".join(self.headers.get(name, name).split())
        self.problems.append(CellProblem(self.number, column, t(key, **params)))

    def kind(self) -> SiteKind | None:
        text = self.text(KIND)
        if KIND not in self.cells:
            return None
        allowed = ", ".join(label(k) for k in SiteKind)
        if not text:
            self.fail(KIND, "table.problem.kind_missing", allowed=allowed)
            return None
        kind = match_kind(text, {label(k): k for k in SiteKind})
        if kind is None:
            self.fail(KIND, "table.problem.kind_unknown", value=text, allowed=allowed)
        return kind

    def quantity(self) -> int | None:
        text = self.text(QUANTITY)
        if not text:
            return None
        lead = re.match(r"^\s*(\d+)\s*[^\d.,\s]*\s*$", text)  # "12", "12 lá", "02 cái"
        try:
            number = float(lead[1]) if lead else parse_number(self.cells.get(QUANTITY))
        except ValueError:
            number = 0.0
        if number < 1 or not number.is_integer() or number > 1_000_000:
            self.fail(QUANTITY, "table.problem.quantity", value=text)
            return None
        return int(number)

    def coordinate(self, name: str, example: str) -> float | None:
        raw = self.cells.get(name)
        if is_empty(raw):
            return None
        try:
            return parse_number(raw)
        except ValueError:
            self.fail(name, "table.problem.coordinate_nan", value=cell_text(raw), example=example)
            return None

    def period(self, name: str, year: int | None) -> Period | None:
        text = self.text(name)
        if not text:
            return None
        try:
            return parse_period(text, year)
        except UnreadableDate:
            self.fail(name, "table.problem.date_unreadable", value=text)
            return None

    def dates(self, year: int | None) -> tuple[date | None, date | None]:
        both = self.period(PERIOD, year)
        install = self.period(INSTALL, year)
        remove = self.period(REMOVE, year)
        install_on = install.install_on if install else (both.install_on if both else None)
        remove_on = (remove.remove_on or remove.install_on) if remove else (
            both.remove_on if both else None)
        if install_on and remove_on and remove_on < install_on:
            self.fail(REMOVE if remove else PERIOD, "table.problem.date_order")
        return install_on, remove_on


def _record(number: int, cells: Mapping[str, Cell], carry: _Carry,
            headers: Mapping[str, str], year: int | None) -> TableRecord:
    read = _RowReader(number, cells, headers)
    kind, quantity = read.kind(), read.quantity()
    install_on, remove_on = read.dates(year)
    return TableRecord(
        row=number, stt=read.text(STT), position_text=read.text(POSITION), kind=kind,
        kind_text=read.text(KIND), content=read.text(CONTENT),
        size=normalise_size(read.text(SIZE)), quantity=quantity,
        flags_expected=quantity if kind in FLAG_KINDS else None, unit_text=read.text(UNIT),
        install_on=install_on, remove_on=remove_on, note=read.text(NOTE),
        ward_text=read.text(WARD) or carry.ward, street_text=read.text(STREET) or carry.street,
        lon=read.coordinate(LON, "105,8123"), lat=read.coordinate(LAT, "21,0012"),
        status_text=read.text(STATUS), group=carry.group, problems=tuple(read.problems),
    )
