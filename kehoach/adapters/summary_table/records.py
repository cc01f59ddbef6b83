"""The values a real summary table is read into: merged ranges, records, cell problems."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from kehoach.domain.enums import SiteKind

_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


def _cell_ref(ref: str) -> tuple[int, int]:
    match = _REF.match(ref.strip().upper())
    if not match:
        raise ValueError(f"not a cell reference: {ref!r}")
    column = 0
    for letter in match[1]:
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(match[2]), column


@dataclass(frozen=True)
class MergedRange:
    """A block of merged cells, 1-based and inclusive, as in "A1:H1"."""

    min_row: int
    min_col: int
    max_row: int
    max_col: int

    @classmethod
    def from_ref(cls, ref: str) -> MergedRange:
        """Return the range a spreadsheet reference ("B5:B9", "C3") names."""
        first, _, last = ref.partition(":")
        top, left = _cell_ref(first)
        bottom, right = _cell_ref(last or first)
        return cls(min(top, bottom), min(left, right), max(top, bottom), max(left, right))


@dataclass(frozen=True)
class CellProblem:
    """Why one cell cannot be read: sheet row, header as written, reason in Vietnamese."""

    row: int
    column: str
    reason: str


@dataclass(frozen=True)
class TableRecord:
    """One data row of a summary table, read into named fields (nothing checked in the db).

    ``ward_text``/``street_text`` fall back to the group row above ("Phường Khương Mai");
    ``flags_expected`` is the quantity when the kind is a flag kind.
    """

    row: int
    stt: str = ""
    position_text: str = ""
    kind: SiteKind | None = None
    kind_text: str = ""
    content: str = ""
    size: str = ""
    quantity: int | None = None
    flags_expected: int | None = None
    unit_text: str = ""
    install_on: date | None = None
    remove_on: date | None = None
    note: str = ""
    ward_text: str = ""
    street_text: str = ""
    lon: float | None = None
    lat: float | None = None
    status_text: str = ""
    group: str = ""
    problems: tuple[CellProblem, ...] = ()


@dataclass(frozen=True)
class ParsedTable:
    """A located table: where its header is, which fields it has, its records, what was skipped.

    ``columns`` maps each field to its header as written; ``ignored`` lists (row, why) for
    blank, numbering, total, group and signature rows.
    """

    header_row: int
    header_rows: int
    columns: Mapping[str, str]
    records: tuple[TableRecord, ...]
    ignored: tuple[tuple[int, str], ...] = ()
    default_year: int | None = None

    @property
    def problems(self) -> tuple[CellProblem, ...]:
        """Return every cell problem of every record, in row order."""
        return tuple(p for record in self.records for p in record.problems)
