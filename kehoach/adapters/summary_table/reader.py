"""Read the summary table from XLSX or CSV bytes into raw rows, finding the header row.

Nothing here knows the database: a ``RawTable`` holds the cells by canonical column, and the
import service checks them. Cells are read as values; formulas are never evaluated.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any

import openpyxl

from kehoach.adapters.archive_limits import (
    LimitExceeded,
    PartLimits,
    check_archive,
    declared_rows,
    reason,
    scan_part,
)
from kehoach.adapters.summary_table.columns import (
    ADDRESS,
    CODE,
    CONTENT,
    FLAGS_EXPECTED,
    FLAGS_HUNG,
    GEOMETRY,
    HEADER_SCAN_ROWS,
    INSTALL,
    KIND,
    LAT,
    LON,
    MAX_BYTES,
    MAX_CELL_BYTES,
    MAX_COLUMNS,
    MAX_COMPRESSION_RATIO,
    MAX_ROWS,
    MAX_SHEET_CELLS,
    MAX_SHEET_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    MIN_HEADER_MATCHES,
    NOTE,
    QUANTITY,
    REMOVE,
    REQUIRED_COLUMNS,
    SIZE,
    STATUS,
    STREET,
    STT,
    TASK,
    UNIT,
    VERSION,
    WARD,
    Cell,
    RawRow,
    RawTable,
    TableError,
    is_empty,
    refuse,
)
from kehoach.domain.text import strip_diacritics
from kehoach.i18n import format_number, t

_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    STT: ("stt", "so tt", "so thu tu", "tt", "no"),
    WARD: ("phuong", "ten phuong", "ward", "dia ban", "dia ban phuong"),
    STREET: ("tuyen pho", "tuyen duong", "duong pho", "ten duong", "ten pho", "tuyen",
             "pho", "duong", "street"),
    ADDRESS: ("vi tri dia chi", "vi tri", "dia chi", "dia diem", "address", "location"),
    KIND: ("loai hinh", "loai", "hinh thuc", "loai hinh trang tri", "kind", "type"),
    QUANTITY: ("so luong", "sl", "quantity", "qty"),
    UNIT: ("don vi thuc hien", "don vi", "don vi phu trach", "unit"),
    STATUS: ("trang thai", "tinh trang", "tien do", "status"),
    LON: ("kinh do", "lon", "lng", "long", "longitude", "x"),
    LAT: ("vi do", "lat", "latitude", "y"),
    NOTE: ("ghi chu", "chu thich", "note", "notes"),
    CODE: ("ma diem", "ma", "code"),
    GEOMETRY: ("hinh hoc wkt", "hinh hoc", "wkt", "geometry", "geojson"),
    CONTENT: ("noi dung", "noi dung khau hieu", "khau hieu", "content"),
    SIZE: ("kich thuoc", "size"),
    INSTALL: ("ngay lap dat", "lap dat", "install on"),
    REMOVE: ("ngay thao do", "thao do", "remove on"),
    FLAGS_EXPECTED: ("so co can treo", "flags expected"),
    FLAGS_HUNG: ("so co da treo", "flags hung"),
    TASK: ("nhiem vu", "task"),
    VERSION: ("phien ban", "version"),
}
_HEADER_LOOKUP = {alias: column for column, aliases in _HEADER_ALIASES.items()
                  for alias in aliases}

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "table.what.png"),
    (b"%PDF", "table.what.pdf"),
    (b"\xff\xd8\xff", "table.what.jpeg"),
    (b"GIF8", "table.what.gif"),
)
_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")


def _header_key(text: str) -> str:
    key = strip_diacritics(unicodedata.normalize("NFC", text))
    return re.sub(r"[^a-z0-9]+", " ", key).strip()


def match_header(cell: Cell) -> str | None:
    """Return the canonical column a header cell names (any case, diacritics, alias)."""
    if not isinstance(cell, str) or not cell.strip():
        return None
    candidates = [cell, re.sub(r"\(.*?\)", " ", cell), *re.findall(r"\((.*?)\)", cell)]
    for candidate in candidates:
        column = _HEADER_LOOKUP.get(_header_key(candidate))
        if column:
            return column
    return None


def _header_map(values: Sequence[Cell]) -> dict[int, str]:
    found: dict[int, str] = {}
    for position, value in enumerate(values):
        column = match_header(value)
        if column and column not in found.values():
            found[position] = column
    return found


def _collect(rows: Iterator[Sequence[Cell]], filename: str, fmt: str) -> RawTable:
    """Find the header row in the first rows, then read data rows up to the row limit."""
    head: list[tuple[int, Sequence[Cell]]] = []
    header_at = 0
    mapping: dict[int, str] = {}
    best: dict[int, str] = {}
    for number, values in enumerate(rows, start=1):
        head.append((number, values))
        found = _header_map(values)
        if len(found) >= MIN_HEADER_MATCHES:
            header_at, mapping = number, found
            break
        best = found if len(found) > len(best) else best
        if number >= HEADER_SCAN_ROWS:
            break
    if not mapping:
        missing = [c for c in REQUIRED_COLUMNS if c not in best.values()]
        raise refuse("table.error.no_header", columns=", ".join(missing or REQUIRED_COLUMNS))
    missing = [c for c in REQUIRED_COLUMNS if c not in mapping.values()]
    if missing:
        raise refuse("table.error.missing_columns", columns=", ".join(missing))
    data: list[RawRow] = []
    for number, values in enumerate(rows, start=header_at + 1):
        cells = {column: values[i] if i < len(values) else None for i, column in mapping.items()}
        if all(is_empty(v) for c, v in cells.items() if c != STT):
            continue
        if len(data) >= MAX_ROWS:
            raise refuse("table.error.too_many_rows", limit=format_number(MAX_ROWS))
        data.append(RawRow(number, cells))
    if not data:
        raise refuse("table.error.no_rows")
    ordered = tuple(mapping[i] for i in sorted(mapping))
    return RawTable(filename, fmt, header_at, ordered, tuple(data))


def _sniff_binary(data: bytes, filename: str) -> None:
    if data.startswith(_OLE2):
        raise refuse("table.error.encrypted", filename=filename)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise refuse("table.error.not_spreadsheet", filename=filename, what=t(what))
    is_utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not is_utf16 and b"\x00" in data[:8192]:
        raise refuse("table.error.not_spreadsheet", filename=filename,
                      what=t("table.what.binary"))


def _open_zip(data: bytes, filename: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names:
                raise refuse("table.error.not_workbook", filename=filename)
            _check_limits(archive, len(data))
    except LimitExceeded as exc:
        raise TableError(exc.key, reason=reason(exc)) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as exc:
        raise refuse("table.error.corrupt_xlsx", filename=filename) from exc


_SHEET_LIMITS = PartLimits(b"c", MAX_SHEET_CELLS, "limit.cells", MAX_CELL_BYTES, MAX_SHEET_ROWS)
_STRING_LIMITS = PartLimits(b"si", MAX_SHEET_CELLS, "limit.cells", MAX_CELL_BYTES)


def _check_limits(archive: zipfile.ZipFile, packed: int) -> None:
    """Refuse a bomb, a sheet declaring too many rows or cells, or an oversized cell."""
    check_archive(archive, packed, MAX_UNCOMPRESSED_BYTES, MAX_COMPRESSION_RATIO)
    sheets = [n for n in archive.namelist()
              if n.startswith("xl/worksheets/") and n.endswith(".xml")]
    for name in sheets:  # the dimension first: it costs one chunk
        declared = declared_rows(archive, name)
        if declared is not None and declared > MAX_SHEET_ROWS:
            raise LimitExceeded("limit.rows_declared", n=declared, limit=MAX_SHEET_ROWS)
    for name in sheets:
        scan_part(archive, name, _SHEET_LIMITS)
    if "xl/sharedStrings.xml" in archive.namelist():
        scan_part(archive, "xl/sharedStrings.xml", _STRING_LIMITS)


def _read_xlsx(data: bytes, filename: str) -> RawTable:
    _open_zip(data, filename)
    try:
        # data_only: a formula cell gives its cached value; nothing is ever evaluated.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on damaged parts
        raise refuse("table.error.corrupt_xlsx", filename=filename) from exc
    try:
        if not book.worksheets:
            raise refuse("table.error.no_header", columns=", ".join(REQUIRED_COLUMNS))
        sheet = book.worksheets[0]
        rows = (tuple(_xlsx_value(v) for v in row)
                for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True))
        return _collect(rows, filename, "xlsx")
    except TableError:
        raise
    except Exception as exc:
        raise refuse("table.error.corrupt_xlsx", filename=filename) from exc
    finally:
        book.close()


def _xlsx_value(value: Any) -> Cell:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, (int, float)):
        return value
    return str(value)  # dates, times: kept as text


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    else:
        # Vietnamese Windows saves "CSV" in cp1258; try it after UTF-8.
        candidates = ("utf-8", "cp1258", "cp1252")
    for encoding in candidates:
        try:
            return unicodedata.normalize("NFC", data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise refuse("table.error.encoding")


def _csv_rows(text: str, delimiter: str) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:
        raise refuse("table.error.corrupt_csv", row=reader.line_num) from exc


def _sniff_delimiter(text: str) -> str:
    """Pick the delimiter among , ; tab that reveals the most known headers."""
    head = "\n".join(text.splitlines()[:HEADER_SCAN_ROWS])
    scores = []
    for delimiter in (",", ";", "\t"):
        try:
            rows = list(csv.reader(io.StringIO(head), delimiter=delimiter))
        except csv.Error:
            continue
        best = max((len(_header_map(r)) for r in rows), default=0)
        scores.append((best, head.count(delimiter), delimiter))
    return max(scores)[2] if scores else ","


def _read_csv(data: bytes, filename: str) -> RawTable:
    text = _decode(data)
    if not text.strip():
        raise refuse("table.error.empty", filename=filename)
    lines = text.rstrip("\r\n").count("\n") + 1  # every row it claims, blank ones included
    if lines > MAX_SHEET_ROWS:
        limit = LimitExceeded("limit.rows_declared", n=lines, limit=MAX_SHEET_ROWS)
        raise TableError(limit.key, reason=reason(limit))
    rows = _csv_rows(text, _sniff_delimiter(text))
    return _collect(iter(rows), filename, "csv")


def read_table(data: bytes, filename: str) -> RawTable:
    """Read the summary table from XLSX or CSV bytes; refuse a file that is not one."""
    filename = (filename or "").strip()[:120] or "?"
    if not data or not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise refuse("table.error.empty", filename=filename)
    if len(data) > MAX_BYTES:
        raise refuse("table.error.too_big", mb=MAX_BYTES // (1024 * 1024))
    if data.startswith(_ZIP):
        return _read_xlsx(data, filename)
    _sniff_binary(data, filename)
    return _read_csv(data, filename)
