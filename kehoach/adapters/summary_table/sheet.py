"""Read a whole first sheet (cells and merged ranges) and hand it to the layout reader.

openpyxl's read-only mode streams cells but does not expose merged ranges, and the full mode
keeps every cell object in memory (several times the file size). We keep read-only mode and
read the ``<mergeCell ref="A1:H1"/>`` elements of the sheet's XML ourselves with a streaming,
entity-safe parser (defusedxml), after the same size and zip checks as ``reader.read_table``.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import openpyxl
from defusedxml.ElementTree import iterparse

from kehoach.adapters.summary_table import reader, vocab
from kehoach.adapters.summary_table.columns import (
    ADDRESS,
    KIND,
    LAT,
    LON,
    MAX_BYTES,
    MAX_COLUMNS,
    MAX_ROWS,
    NOTE,
    QUANTITY,
    STATUS,
    STREET,
    STT,
    UNIT,
    WARD,
    Cell,
    RawRow,
    RawTable,
    TableError,
    refuse,
)
from kehoach.adapters.summary_table.layout import HEADER_SCAN_ROWS, parse_sheet
from kehoach.adapters.summary_table.records import MergedRange, ParsedTable, TableRecord
from kehoach.i18n import format_number

# Title rows above and signature rows below the data may add to the data row limit.
MAX_SHEET_ROWS = MAX_ROWS + HEADER_SCAN_ROWS + 100
MAX_MERGED_RANGES = 50_000
_MERGE_TAG = "mergeCell"
# Errors of the app's own reader after which the file is read as an office's real table.
_LAYOUT_FALLBACK = frozenset({"table.error.no_header", "table.error.missing_columns"})


@dataclass(frozen=True)
class Sheet:
    """The first sheet of a table file as raw cells, with its merged ranges (none for CSV)."""

    fmt: str
    rows: tuple[tuple[Cell, ...], ...]
    merged: tuple[MergedRange, ...] = ()


def read_sheet(data: bytes, filename: str) -> Sheet:
    """Read the first sheet's cells and merged ranges from XLSX or CSV bytes."""
    if not data or not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise refuse("table.error.empty", filename=filename)
    if len(data) > MAX_BYTES:
        raise refuse("table.error.too_big", mb=MAX_BYTES // (1024 * 1024))
    if data.startswith(reader._ZIP):
        return _xlsx_sheet(data, filename)
    reader._sniff_binary(data, filename)
    text = reader._decode(data)
    if not text.strip():
        raise refuse("table.error.empty", filename=filename)
    rows = reader._csv_rows(text, reader._sniff_delimiter(text))
    return Sheet("csv", _bounded(tuple(r) for r in rows))


def read_records(data: bytes, filename: str, default_year: int | None = None) -> ParsedTable:
    """Read an office's summary table (title rows, merged headers, groups) into records."""
    sheet = read_sheet(data, (filename or "").strip()[:120] or "?")
    return parse_sheet(sheet.rows, sheet.merged, default_year)


def read_table(data: bytes, filename: str) -> RawTable:
    """Read the app's own table layout, or else an office's real one, into raw rows.

    The app's layout (header in the first rows, coordinates) is read by streaming; a file
    refused there for its header is read again as a real table, and its records are kept in
    ``RawTable.records`` alongside the rows in the canonical columns.
    """
    try:
        return reader.read_table(data, filename)
    except TableError as exc:
        if exc.detail not in _LAYOUT_FALLBACK:
            raise
        first_error = exc
    name = (filename or "").strip()[:120] or "?"
    try:
        sheet = read_sheet(data, name)
        return as_raw_table(parse_sheet(sheet.rows, sheet.merged), name, sheet.fmt)
    except TableError:
        raise first_error from None


_CANONICAL = ((vocab.STT, STT), (vocab.POSITION, ADDRESS), (vocab.KIND, KIND),
              (vocab.QUANTITY, QUANTITY), (vocab.UNIT, UNIT), (vocab.STATUS, STATUS),
              (vocab.LON, LON), (vocab.LAT, LAT), (vocab.NOTE, NOTE))


def as_raw_table(parsed: ParsedTable, filename: str, fmt: str) -> RawTable:
    """Return a parsed real table as raw rows in the app's columns, records attached."""
    if not parsed.records:
        raise refuse("table.error.no_rows")
    present = [column for name, column in _CANONICAL if name in parsed.columns]
    columns = [STT] if STT in present else []
    columns += [WARD, STREET] + [c for c in present if c != STT]
    rows = tuple(RawRow(record.row, _raw_cells(record)) for record in parsed.records)
    return RawTable(filename, fmt, parsed.header_row, tuple(columns), rows, parsed.records)


def _raw_cells(record: TableRecord) -> dict[str, Cell]:
    quantity: Cell = record.quantity
    return {
        STT: record.stt, WARD: record.ward_text, STREET: record.street_text,
        ADDRESS: record.position_text, KIND: record.kind_text, QUANTITY: quantity,
        UNIT: record.unit_text, STATUS: record.status_text, LON: record.lon, LAT: record.lat,
        NOTE: record.note,
    }


def _bounded(rows: Iterator[Sequence[Cell]]) -> tuple[tuple[Cell, ...], ...]:
    kept: list[tuple[Cell, ...]] = []
    for row in rows:
        if len(kept) >= MAX_SHEET_ROWS:
            raise refuse("table.error.too_many_rows", limit=format_number(MAX_ROWS))
        kept.append(tuple(row[:MAX_COLUMNS]))
    return tuple(kept)


def _xlsx_sheet(data: bytes, filename: str) -> Sheet:
    reader._open_zip(data, filename)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on damaged parts
        raise refuse("table.error.corrupt_xlsx", filename=filename) from exc
    try:
        if not book.worksheets:
            raise refuse("table.error.no_layout_header", rows=HEADER_SCAN_ROWS)
        worksheet = book.worksheets[0]
        rows = _bounded(tuple(reader._xlsx_value(v) for v in row)
                        for row in worksheet.iter_rows(max_col=MAX_COLUMNS, values_only=True))
        path = getattr(worksheet, "_worksheet_path", "")
        return Sheet("xlsx", rows, _merged_ranges(data, path))
    except TableError:
        raise
    except Exception as exc:
        raise refuse("table.error.corrupt_xlsx", filename=filename) from exc
    finally:
        book.close()


def _merged_ranges(data: bytes, path: str) -> tuple[MergedRange, ...]:
    """Stream the sheet XML for its ``mergeCell`` elements (read-only mode hides them)."""
    if not path:
        return ()
    found: list[MergedRange] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(path) as part:
        for _event, element in iterparse(part, events=("end",), forbid_dtd=True):
            if element.tag.rsplit("}", 1)[-1] == _MERGE_TAG and element.get("ref"):
                found.append(MergedRange.from_ref(element.get("ref")))
                if len(found) > MAX_MERGED_RANGES:
                    raise refuse("table.error.too_big", mb=MAX_BYTES // (1024 * 1024))
            element.clear()
    return tuple(found)
