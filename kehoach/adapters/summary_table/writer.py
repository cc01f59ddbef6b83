"""Write rows in the summary table's columns as XLSX or CSV, and the empty template.

Rows are streamed (openpyxl's write-only mode), so writing takes time linear in the rows and
never re-scans the sheet. Formula-like text gets a leading quote (see ``safe_text``).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Mapping

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kehoach.adapters.summary_table.columns import (
    ADDRESS,
    CODE,
    COLUMNS,
    CONTENT,
    FLAGS_EXPECTED,
    FLAGS_HUNG,
    GEOMETRY,
    GUIDE_TITLE,
    INSTALL,
    KIND,
    LAT,
    LON,
    NOTE,
    QUANTITY,
    REMOVE,
    REQUIRED_COLUMNS,
    SHEET_TITLE,
    SIZE,
    STATUS,
    STREET,
    STT,
    TASK,
    UNIT,
    VERSION,
    WARD,
    Cell,
    safe_text,
)
from kehoach.domain.enums import SiteKind, SiteStatus
from kehoach.domain.errors import InvalidInput
from kehoach.i18n import label, t

COORDINATE_FORMAT = "0.000000"
_WIDTHS = {STT: 6, WARD: 16, STREET: 26, ADDRESS: 40, KIND: 18, QUANTITY: 10, UNIT: 36,
           STATUS: 18, LON: 13, LAT: 13, NOTE: 40, CODE: 12, GEOMETRY: 40, CONTENT: 36,
           SIZE: 14, INSTALL: 14, REMOVE: 14, FLAGS_EXPECTED: 10, FLAGS_HUNG: 10, TASK: 30,
           VERSION: 9}


def _out(value: object) -> Cell:
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    return safe_text(str(value))


def _xlsx_cell(value: Cell) -> Cell:
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _start_sheet(book: openpyxl.Workbook) -> Worksheet:
    """Add the data sheet (write-only) with a bold, wrapped, frozen header row."""
    sheet = book.create_sheet(SHEET_TITLE)
    for position, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = _WIDTHS[column]
    sheet.freeze_panes = "A2"
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    sheet.append(header)
    return sheet


def _save(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_xlsx(rows: Iterable[Mapping[str, object]]) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = _start_sheet(book)
    for row in rows:
        values: list[object] = []
        for column in COLUMNS:
            value = _xlsx_cell(_out(row.get(column)))
            if column in (LON, LAT):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = COORDINATE_FORMAT
                values.append(cell)
            else:
                values.append(value)
        sheet.append(values)
    return _save(book)


def _csv_cell(column: str, value: Cell) -> str:
    if value is None:
        return ""
    if column in (LON, LAT) and isinstance(value, (int, float)):
        return f"{value:.6f}"
    return str(value)


def _write_csv(rows: Iterable[Mapping[str, object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_csv_cell(c, _out(row.get(c))) for c in COLUMNS])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def write_table(rows: Iterable[Mapping[str, object]], fmt: str = "xlsx") -> bytes:
    """Write rows in the canonical columns as XLSX or CSV (UTF-8 with BOM), formula-safe."""
    if fmt == "xlsx":
        return _write_xlsx(rows)
    if fmt == "csv":
        return _write_csv(rows)
    raise InvalidInput(f"unknown table format {fmt!r}", field="fmt")


_GUIDE_KEYS = {STT: "stt", WARD: "ward", STREET: "street", ADDRESS: "address", KIND: "kind",
               QUANTITY: "quantity", UNIT: "unit", STATUS: "status", LON: "lon", LAT: "lat",
               NOTE: "note", CODE: "code", GEOMETRY: "geometry", CONTENT: "content",
               SIZE: "size", INSTALL: "install", REMOVE: "remove",
               FLAGS_EXPECTED: "flags_expected", FLAGS_HUNG: "flags_hung", TASK: "task",
               VERSION: "version"}
_EXAMPLE: dict[str, Cell] = {
    STT: 1, WARD: "Thanh Xuân Trung", STREET: "Nguyễn Trãi", ADDRESS: "Vỉa hè Nguyễn Trãi",
    KIND: "Pa-nô", QUANTITY: 1, UNIT: "Trung tâm Văn hoá - Thông tin và Thể thao quận",
    STATUS: "Chưa triển khai", LON: 105.803171, LAT: 20.99118, NOTE: "",
}  # the round-trip columns stay empty in the example: a new site has none of them


def _guide_rows() -> list[list[Cell]]:
    rows: list[list[Cell]] = [
        [t("table.guide.title")],
        [t("table.guide.intro")],
        [],
        [t("table.guide.column"), t("table.guide.required"), t("table.guide.meaning")],
    ]
    for column in COLUMNS:
        required = t("table.guide.yes") if column in REQUIRED_COLUMNS else ""
        rows.append([column, required, t(f"table.guide.col.{_GUIDE_KEYS[column]}")])
    rows += [[], [t("table.guide.kinds")]]
    rows += [["", label(kind)] for kind in SiteKind]
    rows += [[t("table.guide.statuses")]]
    rows += [["", label(status)] for status in SiteStatus]
    example = [_out(_EXAMPLE.get(c)) for c in COLUMNS]
    rows += [[], [t("table.guide.example")], list(COLUMNS), example]
    return rows


def _write_guide(sheet: Worksheet) -> None:
    headings = {t("table.guide.kinds"), t("table.guide.statuses"), t("table.guide.example")}
    for letter, width in (("A", 24), ("B", 28), ("C", 90)):
        sheet.column_dimensions[letter].width = width
    for number, values in enumerate(_guide_rows(), start=1):
        row: list[object] = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            if number in (1, 4) or value in headings:
                cell.font = Font(bold=True)
            row.append(cell)
        sheet.append(row)


def template_xlsx() -> bytes:
    """Return an empty summary table with a second sheet explaining columns and values."""
    book = openpyxl.Workbook(write_only=True)
    _start_sheet(book)
    _write_guide(book.create_sheet(GUIDE_TITLE))
    return _save(book)
