"""The columns, limits and cell rules of the plan's summary table, shared by reader and writer.

Cells are read as values and never evaluated; text that a spreadsheet would run as a formula
is written with a leading quote (OWASP "CSV injection") and that quote is removed on import,
so an export imports back to the same text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from kehoach.adapters.summary_table.records import TableRecord
from kehoach.domain.errors import DomainError, InvalidInput
from kehoach.i18n import parse_decimal, t

# The headers are part of the file format the district uses, so they stay Vietnamese here
# (a translated UI would still exchange this table with these headers).
STT = "STT"
WARD = "Phường"
STREET = "Tuyến phố"
ADDRESS = "Vị trí (địa chỉ)"
KIND = "Loại hình"
QUANTITY = "Số lượng"
UNIT = "Đơn vị thực hiện"
STATUS = "Trạng thái"
LON = "Kinh độ"
LAT = "Vĩ độ"
NOTE = "Ghi chú"
# An export carries what a re-import needs to update the same sites (matched by code).
CODE = "Mã điểm"
GEOMETRY = "Hình học (WKT)"
CONTENT = "Nội dung"
SIZE = "Kích thước"
INSTALL = "Ngày lắp đặt"
REMOVE = "Ngày tháo dỡ"
FLAGS_EXPECTED = "Số cờ cần treo"
FLAGS_HUNG = "Số cờ đã treo"
TASK = "Nhiệm vụ"
VERSION = "Phiên bản"
COLUMNS: tuple[str, ...] = (
    STT, WARD, STREET, ADDRESS, KIND, QUANTITY, UNIT, STATUS, LON, LAT, NOTE,
    CODE, GEOMETRY, CONTENT, SIZE, INSTALL, REMOVE, FLAGS_EXPECTED, FLAGS_HUNG, TASK, VERSION,
)
ROUND_TRIP_COLUMNS: tuple[str, ...] = COLUMNS[COLUMNS.index(CODE):]
REQUIRED_COLUMNS: tuple[str, ...] = (WARD, STREET, KIND, LON, LAT)

MAX_ROWS = 20_000
MAX_BYTES = 20 * 1024 * 1024
# Bounds checked while streaming, before openpyxl reads anything (zip bombs, declared rows).
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024  # a full 20,000-row table inflates to about 15 MB
MAX_COMPRESSION_RATIO = 100  # real workbooks deflate 5-30 to 1; bombs 300 to 1000 and more
MAX_SHEET_ROWS = 5 * MAX_ROWS  # rows a sheet may claim, blank ones included
MAX_SHEET_CELLS = 30 * MAX_ROWS  # cells in the sheet, or strings in the shared table
MAX_CELL_BYTES = 4 * 32_767  # Excel's longest cell, 32,767 characters of up to 4 bytes
MAX_COLUMNS = 60
HEADER_SCAN_ROWS = 10
MIN_HEADER_MATCHES = 4
SHEET_TITLE = "Biểu tổng hợp"
GUIDE_TITLE = "Hướng dẫn"

# Leading characters that make Excel, LibreOffice or Sheets run a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | None

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class TableError(DomainError):
    """A summary-table file the app refuses as a whole; ``reason`` says why in Vietnamese."""

    code = "error.table"


def refuse(key: str, **params: object) -> TableError:
    """Return the ``TableError`` whose reason is the catalogue message ``key``."""
    return TableError(key, reason=t(key, **params))


@dataclass(frozen=True)
class RawRow:
    """One data row as read: its spreadsheet row number and its cells by canonical column."""

    number: int
    cells: Mapping[str, Cell]


@dataclass(frozen=True)
class RawTable:
    """A summary table as read from a file, before any check against the database."""

    filename: str
    fmt: str
    header_row: int
    columns: tuple[str, ...]
    rows: tuple[RawRow, ...]
    # An office's real table (see ``sheet.read_table``) also keeps its records, whose fields
    # (content, size, dates, flags) have no column in the app's own layout.
    records: tuple[TableRecord, ...] = ()


def is_empty(value: Cell) -> bool:
    """Tell whether a cell holds nothing but whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Cell) -> str:
    """Return a cell as stored text: NFC, no control characters, export quote removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _CONTROL.sub("", unicodedata.normalize("NFC", str(value)))
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_PREFIXES:
        text = text[1:]  # undo the quote write_table adds before formula-like text
    return text.strip()


def parse_number(value: Cell) -> float:
    """Read a decimal number from a cell, accepting a comma decimal ("105,8")."""
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        try:
            number = parse_decimal(cell_text(value))
        except InvalidInput as exc:
            raise ValueError(exc.detail) from None
    if math.isnan(number) or math.isinf(number):
        raise ValueError("not a finite number")
    return number


def safe_text(value: str) -> str:
    """Prefix formula-like text with a quote so no spreadsheet runs it (OWASP CSV injection)."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value
