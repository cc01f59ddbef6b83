"""The plan's summary table of decoration sites as a file format (XLSX and CSV).

The plan refers to an attached "biểu tổng hợp vị trí điểm trực quan": one row per site with
its ward, street, address, kind, quantity, unit, status and position. This package is the one
place that knows that file: ``read_table`` turns bytes into raw rows (the app's own layout,
or an office's real table with title rows, merged headers and group rows, whose typed records
``read_records`` returns), ``write_table`` and ``template_xlsx`` write the same columns back
out. It knows nothing of the database: checking rows and storing sites is the import service
(``kehoach.services.site_import``).
"""

from kehoach.adapters.summary_table.columns import (
    ADDRESS,
    CODE,
    COLUMNS,
    CONTENT,
    FLAGS_EXPECTED,
    FLAGS_HUNG,
    FORMULA_PREFIXES,
    GEOMETRY,
    INSTALL,
    KIND,
    LAT,
    LON,
    MAX_BYTES,
    MAX_ROWS,
    NOTE,
    QUANTITY,
    REMOVE,
    REQUIRED_COLUMNS,
    ROUND_TRIP_COLUMNS,
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
    cell_text,
    is_empty,
    parse_number,
    safe_text,
)
from kehoach.adapters.summary_table.layout import parse_sheet
from kehoach.adapters.summary_table.reader import match_header
from kehoach.adapters.summary_table.records import (
    CellProblem,
    MergedRange,
    ParsedTable,
    TableRecord,
)
from kehoach.adapters.summary_table.sheet import Sheet, read_records, read_sheet, read_table
from kehoach.adapters.summary_table.vocab import UnitMatch, match_kind, match_unit
from kehoach.adapters.summary_table.writer import template_xlsx, write_table

__all__ = [
    "ADDRESS", "COLUMNS", "FORMULA_PREFIXES", "KIND", "LAT", "LON", "MAX_BYTES", "MAX_ROWS",
    "NOTE", "QUANTITY", "REQUIRED_COLUMNS", "STATUS", "STREET", "STT", "UNIT", "WARD", "Cell",
    "RawRow", "RawTable", "TableError", "cell_text", "is_empty", "match_header",
    "parse_number", "read_table", "safe_text", "template_xlsx", "write_table",
    # Offices' real tables: title rows, merged two-level headers, group and total rows.
    "CellProblem", "MergedRange", "ParsedTable", "Sheet", "TableRecord", "UnitMatch",
    "match_kind", "match_unit", "parse_sheet", "read_records", "read_sheet",
    # The export's round-trip columns (a re-import updates sites by code).
    "CODE", "CONTENT", "FLAGS_EXPECTED", "FLAGS_HUNG", "GEOMETRY", "INSTALL", "REMOVE",
    "ROUND_TRIP_COLUMNS", "SIZE", "TASK", "VERSION",
]
