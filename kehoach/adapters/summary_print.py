"""Write the printed summary table (biểu tổng hợp) as an official prints and signs it.

Pure: a ``PrintedSummary`` in, .xlsx bytes out (openpyxl). Title block (agency and office on
the left, the national title on the right, the title, campaign and date), then the sites
grouped by ward and street with their codes and positions as text, a subtotal per ward, the
total, and the signature block. The importable round-trip table is ``summary_table``; this
one is for paper and is not read back.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from kehoach.adapters.summary_table.columns import FORMULA_PREFIXES

FONT = "Times New Roman"
WIDTHS = (6, 12, 42, 22, 9, 26, 16, 22)
THIN = Side(style="thin")
Value = str | int | None
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


@dataclass(frozen=True)
class PrintedRow:
    """One site of the printed table."""

    code: str
    position: str
    kind: str
    quantity: int
    unit: str
    status: str
    note: str


@dataclass(frozen=True)
class StreetGroup:
    """The sites of one street in one ward."""

    street: str
    rows: tuple[PrintedRow, ...]


@dataclass(frozen=True)
class WardGroup:
    """One ward: its heading, its streets, its subtotal line."""

    heading: str
    subtotal_label: str
    streets: tuple[StreetGroup, ...]


@dataclass(frozen=True)
class PrintedSummary:
    """Everything the printed table shows, already worded."""

    agency: str
    office: str
    nation: str
    motto: str
    title: str
    campaign: str
    place_date: str
    as_of: str
    columns: tuple[str, ...]
    wards: tuple[WardGroup, ...]
    total_label: str
    signers: tuple[tuple[str, str], ...]  # (title, hint) left to right


def _safe(text: str) -> str:
    """Keep user text from running as a formula when the sheet is opened."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _put(
    ws: Worksheet,
    row: int,
    col: int,
    value: Value,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = 12,
    merge_to: int = 0,
    align: str = "center",
    border: bool = False,
) -> None:
    cell = ws.cell(row=row, column=col, value=value)
    cell.font = Font(name=FONT, size=size, bold=bold, italic=italic)
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    if merge_to > col:
        ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=merge_to)
    if border:
        cell.border = GRID


def _title_block(ws: Worksheet, data: PrintedSummary, last: int) -> int:
    _put(ws, 1, 1, data.agency, merge_to=3)
    _put(ws, 2, 1, data.office, bold=True, merge_to=3)
    _put(ws, 1, 4, data.nation, bold=True, merge_to=last)
    _put(ws, 2, 4, data.motto, bold=True, merge_to=last)
    _put(ws, 3, 4, data.place_date, italic=True, merge_to=last)
    _put(ws, 5, 1, data.title, bold=True, size=14, merge_to=last)
    _put(ws, 6, 1, data.campaign, bold=True, merge_to=last)
    _put(ws, 7, 1, data.as_of, italic=True, merge_to=last)
    return 9


def _row(
    ws: Worksheet, r: int, values: tuple[Value, ...], *, bold: bool = False, italic: bool = False
) -> None:
    for c, value in enumerate(values, start=1):
        text_align = "left" if c in (3, 4, 6, 8) else "center"
        _put(ws, r, c, value, bold=bold, italic=italic, size=11, align=text_align, border=True)


def write_printed_summary(data: PrintedSummary) -> bytes:
    """Return the .xlsx bytes of the printed summary table, ready for A4 landscape."""
    wb = Workbook()
    ws = wb.create_sheet("Biểu tổng hợp", 0)
    del wb[wb.sheetnames[1]]  # the default empty sheet
    last = len(data.columns)
    for i, width in enumerate(WIDTHS[:last], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    r = _title_block(ws, data, last)
    header_row = r
    _row(ws, r, data.columns, bold=True)
    r += 1
    number, total_sites, total_quantity = 0, 0, 0
    for ward in data.wards:
        _row(ws, r, ("", ward.heading, "", "", "", "", "", ""), bold=True)
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=last)
        r += 1
        ward_sites, ward_quantity = 0, 0
        for street in ward.streets:
            _row(ws, r, ("", street.street, "", "", "", "", "", ""), italic=True)
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=last)
            r += 1
            for site in street.rows:
                number += 1
                _row(
                    ws,
                    r,
                    (
                        number,
                        _safe(site.code),
                        _safe(site.position),
                        site.kind,
                        site.quantity,
                        _safe(site.unit),
                        site.status,
                        _safe(site.note),
                    ),
                )
                ward_sites += 1
                ward_quantity += site.quantity
                r += 1
        _row(ws, r, ("", ward.subtotal_label, ward_sites, "", ward_quantity, "", "", ""), bold=True)
        r += 1
        total_sites += ward_sites
        total_quantity += ward_quantity
    _row(ws, r, ("", data.total_label, total_sites, "", total_quantity, "", "", ""), bold=True)
    r += 2
    spans = ((1, 3), (6, last)) if len(data.signers) == 2 else ((6, last),)
    for (title, hint), (start, end) in zip(data.signers, spans, strict=False):
        _put(ws, r, start, title, bold=True, merge_to=end)
        _put(ws, r + 1, start, hint, italic=True, merge_to=end)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
