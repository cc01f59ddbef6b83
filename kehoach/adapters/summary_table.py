"""Read, check, import and write the plan's summary table of decoration sites.

The plan refers to an attached "biểu tổng hợp vị trí điểm trực quan": one row per site with
its ward, street, address, kind, quantity, unit, status and position. This module is the one
place that knows that table: reading XLSX/CSV (``read_table``), checking every row against the
database (``validate_rows``), storing all rows in one transaction (``commit_import``) and
writing the same columns back out (``write_table``, ``export_sites``, ``template_xlsx``).

Cells are read as values and never evaluated; text that a spreadsheet would run as a formula
is written with a leading quote (OWASP "CSV injection") and that quote is removed on import,
so an export imports back to the same text.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import math
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kehoach.adapters.geometry import validate_lonlat
from kehoach.adapters.spatial import SpatialIndex
from kehoach.db.engine import read_session, write_session
from kehoach.db.models import Plan, Site, Street, Unit, Ward
from kehoach.domain.enums import ChangeSource, SiteKind, SiteStatus
from kehoach.domain.errors import (
    DomainError,
    InvalidGeometry,
    InvalidInput,
    OutsideDistrict,
    PermissionDenied,
)
from kehoach.domain.permissions import SITE_EDITORS, Actor, require_site_edit
from kehoach.domain.text import name_key, strip_diacritics, ward_key
from kehoach.i18n import label, t
from kehoach.services.sites import MAX_TEXT, NewSite, place_site, spatial_index

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
COLUMNS: tuple[str, ...] = (
    STT,
    WARD,
    STREET,
    ADDRESS,
    KIND,
    QUANTITY,
    UNIT,
    STATUS,
    LON,
    LAT,
    NOTE,
)
REQUIRED_COLUMNS: tuple[str, ...] = (WARD, STREET, KIND, LON, LAT)

MAX_ROWS = 20_000
MAX_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # refuse zip bombs before openpyxl inflates them
MAX_COLUMNS = 60
HEADER_SCAN_ROWS = 10
MIN_HEADER_MATCHES = 4
PROGRESS_EVERY = 200
MAX_ADDRESS = 300  # Site.address is VARCHAR(300): PostgreSQL would refuse longer text
SHEET_TITLE = "Biểu tổng hợp"
GUIDE_TITLE = "Hướng dẫn"

# Leading characters that make Excel, LibreOffice or Sheets run a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | None
ProgressCallback = Callable[[int, int], None]

_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    STT: ("stt", "so tt", "so thu tu", "tt", "no"),
    WARD: ("phuong", "ten phuong", "ward", "dia ban", "dia ban phuong"),
    STREET: (
        "tuyen pho",
        "tuyen duong",
        "duong pho",
        "ten duong",
        "ten pho",
        "tuyen",
        "pho",
        "duong",
        "street",
    ),
    ADDRESS: ("vi tri dia chi", "vi tri", "dia chi", "dia diem", "address", "location"),
    KIND: ("loai hinh", "loai", "hinh thuc", "loai hinh trang tri", "kind", "type"),
    QUANTITY: ("so luong", "sl", "quantity", "qty"),
    UNIT: ("don vi thuc hien", "don vi", "don vi phu trach", "unit"),
    STATUS: ("trang thai", "tinh trang", "tien do", "status"),
    LON: ("kinh do", "lon", "lng", "long", "longitude", "x"),
    LAT: ("vi do", "lat", "latitude", "y"),
    NOTE: ("ghi chu", "chu thich", "note", "notes"),
}
_HEADER_LOOKUP = {alias: column for column, aliases in _HEADER_ALIASES.items() for alias in aliases}

_KIND_ALIASES: dict[str, SiteKind] = {
    "pano": SiteKind.PANEL,
    "cumpano": SiteKind.PANEL_CLUSTER,
    "bangron": SiteKind.BANNER,
    "banner": SiteKind.BANNER,
    "cophuon": SiteKind.FLAG_LINE,
    "coday": SiteKind.FLAG_LINE,
    "cotoquoc": SiteKind.NATIONAL_FLAG,
    "led": SiteKind.LED_SCREEN,
    "manhinh": SiteKind.LED_SCREEN,
}

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "table.what.png"),
    (b"%PDF", "table.what.pdf"),
    (b"\xff\xd8\xff", "table.what.jpeg"),
    (b"GIF8", "table.what.gif"),
)
_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class TableError(DomainError):
    """A summary-table file the app refuses as a whole; ``reason`` says why in Vietnamese."""

    code = "error.table"


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


@dataclass(frozen=True)
class RowProblem:
    """Why one row cannot be imported: row number as the user sees it, header, message."""

    row_number: int
    column: str
    message: str

    def __str__(self) -> str:
        return t("table.cli.problem", row=self.row_number, column=self.column, message=self.message)


@dataclass(frozen=True)
class PlannedRow:
    """A valid row that will become a site, with its preview in the table's columns."""

    row_number: int
    new: NewSite
    preview: Mapping[str, Cell]


@dataclass(frozen=True)
class ImportPlan:
    """The outcome of checking a table: rows to add, rows already there, problems."""

    total_rows: int
    rows: tuple[PlannedRow, ...] = ()
    skipped_existing: tuple[int, ...] = ()
    problems: tuple[RowProblem, ...] = ()

    @property
    def ok(self) -> bool:
        """Tell whether the table has no problem and may be committed."""
        return not self.problems


@dataclass(frozen=True)
class ImportResult:
    """What a commit stored: sites added, rows skipped because they were already there."""

    added: int
    skipped_existing: int


@dataclass(frozen=True)
class ImportReport:
    """What an import did or (dry run, problems) would do, for the UI and the CLI."""

    filename: str
    total_rows: int
    added: int
    to_add: int
    skipped_existing: int
    problems: tuple[RowProblem, ...]
    preview: tuple[Mapping[str, Cell], ...]
    dry_run: bool
    committed: bool

    @property
    def ok(self) -> bool:
        """Tell whether the file had no rejected row."""
        return not self.problems


def _refuse(key: str, **params: object) -> TableError:
    return TableError(key, reason=t(key, **params))


# --- reading ---------------------------------------------------------------------------------


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


def _is_empty(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _collect(rows: Iterator[Sequence[Cell]], filename: str, fmt: str) -> RawTable:
    """Find the header row in the first rows, then read data rows up to the row limit."""
    head: list[tuple[int, Sequence[Cell]]] = []
    header_at, mapping, best = 0, {}, {}
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
        raise _refuse("table.error.no_header", columns=", ".join(missing or REQUIRED_COLUMNS))
    missing = [c for c in REQUIRED_COLUMNS if c not in mapping.values()]
    if missing:
        raise _refuse("table.error.missing_columns", columns=", ".join(missing))
    data: list[RawRow] = []
    for number, values in enumerate(rows, start=header_at + 1):
        cells = {column: values[i] if i < len(values) else None for i, column in mapping.items()}
        if all(_is_empty(v) for c, v in cells.items() if c != STT):
            continue
        if len(data) >= MAX_ROWS:
            raise _refuse("table.error.too_many_rows", limit=f"{MAX_ROWS:,}".replace(",", "."))
        data.append(RawRow(number, cells))
    if not data:
        raise _refuse("table.error.no_rows")
    ordered = tuple(mapping[i] for i in sorted(mapping))
    return RawTable(filename, fmt, header_at, ordered, tuple(data))


def _sniff_binary(data: bytes, filename: str) -> None:
    if data.startswith(_OLE2):
        raise _refuse("table.error.encrypted", filename=filename)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise _refuse("table.error.not_spreadsheet", filename=filename, what=t(what))
    is_utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not is_utf16 and b"\x00" in data[:8192]:
        raise _refuse("table.error.not_spreadsheet", filename=filename, what=t("table.what.binary"))


def _open_zip(data: bytes, filename: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _refuse("table.error.corrupt_xlsx", filename=filename) from exc
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        raise _refuse("table.error.not_workbook", filename=filename)
    if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED_BYTES:
        raise _refuse("table.error.too_big", mb=MAX_BYTES // (1024 * 1024))


def _read_xlsx(data: bytes, filename: str) -> RawTable:
    _open_zip(data, filename)
    try:
        # data_only: a formula cell gives its cached value; nothing is ever evaluated.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on damaged parts
        raise _refuse("table.error.corrupt_xlsx", filename=filename) from exc
    try:
        if not book.worksheets:
            raise _refuse("table.error.no_header", columns=", ".join(REQUIRED_COLUMNS))
        sheet = book.worksheets[0]
        rows = (
            tuple(_xlsx_value(v) for v in row)
            for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        )
        return _collect(rows, filename, "xlsx")
    except TableError:
        raise
    except Exception as exc:
        raise _refuse("table.error.corrupt_xlsx", filename=filename) from exc
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
        candidates = ("utf-8-sig",)
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
    raise _refuse("table.error.encoding")


def _csv_rows(text: str, delimiter: str) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:
        raise _refuse("table.error.corrupt_csv", row=reader.line_num) from exc


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
        raise _refuse("table.error.empty", filename=filename)
    rows = _csv_rows(text, _sniff_delimiter(text))
    return _collect(iter(rows), filename, "csv")


def read_table(data: bytes, filename: str) -> RawTable:
    """Read the summary table from XLSX or CSV bytes; refuse a file that is not one."""
    filename = (filename or "").strip()[:120] or "?"
    if not data or not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise _refuse("table.error.empty", filename=filename)
    if len(data) > MAX_BYTES:
        raise _refuse("table.error.too_big", mb=MAX_BYTES // (1024 * 1024))
    if data.startswith(_ZIP):
        return _read_xlsx(data, filename)
    _sniff_binary(data, filename)
    return _read_csv(data, filename)


# --- checking --------------------------------------------------------------------------------


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


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", strip_diacritics(text))


def _loose(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9]+", " ", strip_diacritics(text))).strip()


def parse_number(value: Cell) -> float:
    """Read a decimal number from a cell, accepting a comma decimal ("105,8")."""
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = cell_text(value).replace(" ", "").replace("\u00a0", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        number = float(text)
    if math.isnan(number) or math.isinf(number):
        raise ValueError("not a finite number")
    return number


def _content_key(ward: str, street: str, address: str, kind: str, lon: float, lat: float) -> str:
    """Return the import key: sha256 of a row's identity (ward, street, address, kind, point)."""
    parts = (
        ward_key(ward),
        street,
        " ".join(address.split()).casefold(),
        kind,
        f"{round(lon, 6):.6f}",
        f"{round(lat, 6):.6f}",
    )
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _UnitRef:
    id: int
    name: str
    key: str


@dataclass
class _Lookups:
    """What rows are matched against, read once per validation."""

    wards: dict[str, Ward]
    ward_names: dict[int, str]
    streets: dict[str, Street]
    units: list[_UnitRef]
    existing: set[str]
    kinds: dict[str, SiteKind] = field(default_factory=dict)
    statuses: dict[str, SiteStatus] = field(default_factory=dict)


def _street_keys(street: Street) -> set[str]:
    variants = street.name_variants or []
    if isinstance(variants, str):
        variants = [variants]
    names = [part for v in variants if isinstance(v, str) for part in v.split(";")]
    keys = {name_key(n) for n in names}
    return {k for k in keys if len(k) > 1} | {street.name_key, name_key(street.name)}


def _newest_units(session: Session) -> list[_UnitRef]:
    plan_id = session.scalar(select(Plan.id).order_by(Plan.imported_at.desc(), Plan.id.desc()))
    if plan_id is None:
        return []
    units = session.scalars(select(Unit).where(Unit.plan_id == plan_id).order_by(Unit.position))
    return [_UnitRef(u.id, u.name, _loose(_expand_unit(u.name))) for u in units]


def _existing_keys(session: Session) -> set[str]:
    """Return import keys and the content keys of every stored site (UI-made ones too)."""
    rows = session.execute(
        select(
            Site.import_key, Site.kind, Site.address, Site.lon, Site.lat, Ward.name, Street.name_key
        )
        .outerjoin(Ward, Site.ward_id == Ward.id)
        .outerjoin(Street, Site.street_id == Street.id)
    ).all()
    keys = {row.import_key for row in rows if row.import_key}
    keys |= {
        _content_key(
            row.name or "", row.name_key or "", row.address or "", row.kind, row.lon, row.lat
        )
        for row in rows
    }
    return keys


def _load_lookups(session: Session) -> _Lookups:
    wards = list(session.scalars(select(Ward)))
    streets: dict[str, Street] = {}
    for street in session.scalars(select(Street).order_by(Street.id)):
        for key in _street_keys(street):
            streets.setdefault(key, street)
    kinds = {_compact(label(k)): k for k in SiteKind} | {_compact(k.value): k for k in SiteKind}
    kinds |= _KIND_ALIASES
    statuses = {_compact(label(s)): s for s in SiteStatus}
    statuses |= {_compact(s.value): s for s in SiteStatus}
    ward_map = {ward_key(w.name): w for w in wards} | {w.code: w for w in wards}
    return _Lookups(
        wards=ward_map,
        ward_names={w.id: w.name for w in wards},
        streets=streets,
        units=_newest_units(session),
        existing=_existing_keys(session),
        kinds=kinds,
        statuses=statuses,
    )


def _expand_unit(text: str) -> str:
    key = _loose(text)
    return re.sub(r"\bubnd\b", "uy ban nhan dan", key)


class _RowChecker:
    """Check the cells of one row, collecting every problem instead of stopping at the first."""

    def __init__(self, row: RawRow, lookups: _Lookups, index: SpatialIndex, actor: Actor):
        self.row, self.lookups, self.index, self.actor = row, lookups, index, actor
        self.problems: list[RowProblem] = []

    def text(self, column: str) -> str:
        return cell_text(self.row.cells.get(column))

    def fail(self, column: str, key: str, **params: object) -> None:
        self.problems.append(RowProblem(self.row.number, column, t(key, **params)))

    def point(self) -> tuple[float, float] | None:
        values: dict[str, float] = {}
        for column, example in ((LON, "105,8123"), (LAT, "21,0012")):
            raw = self.row.cells.get(column)
            if _is_empty(raw):
                self.fail(column, "table.problem.coordinate_missing", example=example)
                continue
            try:
                values[column] = parse_number(raw)
            except ValueError:
                self.fail(
                    column, "table.problem.coordinate_nan", value=cell_text(raw), example=example
                )
        if len(values) < 2:
            return None
        lon, lat = values[LON], values[LAT]
        try:
            validate_lonlat(lon, lat, self.index.district)
        except InvalidGeometry as exc:
            swapped = exc.params.get("swapped")
            self.fail(LON, f"table.problem.{'swapped' if swapped else 'coordinate_invalid'}")
            return None
        except OutsideDistrict:
            self.fail(LON, "table.problem.outside", lon=f"{lon:.6f}", lat=f"{lat:.6f}")
            return None
        return lon, lat

    def ward(self, point: tuple[float, float] | None) -> Ward | None:
        text = self.text(WARD)
        if not text:
            # Ward shapes are approximate: the table's ward wins; the position only fills gaps.
            ward_id = self.index.ward_at(*point) if point else None
            if ward_id is None:
                if point:
                    self.fail(WARD, "table.problem.ward_missing")
                return None
            return next(w for w in self.lookups.wards.values() if w.id == ward_id)
        ward = self.lookups.wards.get(ward_key(text)) or self.lookups.wards.get(text)
        if ward is None:
            allowed = ", ".join(sorted(self.lookups.ward_names.values()))
            self.fail(WARD, "table.problem.ward_unknown", value=text, allowed=allowed)
        return ward

    def street(self) -> Street | None:
        text = self.text(STREET)
        if not text:
            return None
        street = self.lookups.streets.get(name_key(text))
        if street is None:
            self.fail(STREET, "table.problem.street_unknown", value=text)
        return street

    def kind(self) -> SiteKind | None:
        text = self.text(KIND)
        allowed = ", ".join(label(k) for k in SiteKind)
        if not text:
            self.fail(KIND, "table.problem.kind_missing", allowed=allowed)
            return None
        kind = self.lookups.kinds.get(_compact(text))
        if kind is None:
            self.fail(KIND, "table.problem.kind_unknown", value=text, allowed=allowed)
        return kind

    def status(self) -> SiteStatus | None:
        text = self.text(STATUS)
        if not text:
            return SiteStatus.PLANNED
        status = self.lookups.statuses.get(_compact(text))
        if status is None:
            allowed = ", ".join(label(s) for s in SiteStatus)
            self.fail(STATUS, "table.problem.status_unknown", value=text, allowed=allowed)
        return status

    def quantity(self) -> int | None:
        raw = self.row.cells.get(QUANTITY)
        if _is_empty(raw):
            return 1
        try:
            number = parse_number(raw)
        except ValueError:
            number = 0.0
        if number < 1 or not number.is_integer() or number > 1_000_000:
            self.fail(QUANTITY, "table.problem.quantity", value=cell_text(raw))
            return None
        return int(number)

    def unit(self) -> _UnitRef | None:
        text = self.text(UNIT)
        if not text:
            return None
        key = _expand_unit(text)
        units = self.lookups.units
        matches = [u for u in units if u.key == key]
        if not matches and key.startswith("uy ban nhan dan phuong"):
            matches = [u for u in units if "uy ban nhan dan cac phuong" in u.key]
        if not matches and len(key) >= 4:
            matches = [u for u in units if key in u.key or u.key in key]
        if len(matches) == 1:
            return matches[0]
        if matches:
            names = "; ".join(u.name for u in matches)
            self.fail(UNIT, "table.problem.unit_ambiguous", value=text, matches=names)
        else:
            self.fail(UNIT, "table.problem.unit_unknown", value=text)
        return None

    def texts(self) -> tuple[str, str]:
        address, note = self.text(ADDRESS), self.text(NOTE)
        if len(address) > MAX_ADDRESS:
            self.fail(ADDRESS, "table.problem.too_long", limit=MAX_ADDRESS)
        if len(note) > MAX_TEXT:
            self.fail(NOTE, "table.problem.too_long", limit=MAX_TEXT)
        return address, note

    def permission(self, ward: Ward) -> None:
        try:
            require_site_edit(self.actor, ward.id)
        except PermissionDenied:
            self.fail(WARD, "table.problem.permission", ward=ward.name)


def _check_row(
    row: RawRow, lookups: _Lookups, index: SpatialIndex, actor: Actor
) -> tuple[PlannedRow | None, str | None, list[RowProblem]]:
    """Check one row; return the planned site and its import key, or the problems."""
    check = _RowChecker(row, lookups, index, actor)
    point = check.point()
    ward = check.ward(point)
    street, kind, status = check.street(), check.kind(), check.status()
    quantity, unit = check.quantity(), check.unit()
    address, note = check.texts()
    if ward is not None:
        check.permission(ward)
    if check.problems or point is None or ward is None or kind is None or status is None:
        return None, None, check.problems
    key = _content_key(ward.name, street.name_key if street else "", address, kind.value, *point)
    new = NewSite(
        kind=kind,
        lon=point[0],
        lat=point[1],
        address=address,
        note=note,
        quantity=quantity or 1,
        status=status,
        unit_id=unit.id if unit else None,
        ward_id=ward.id,
        street_id=street.id if street else None,
        import_key=key,
    )
    preview: dict[str, Cell] = {
        STT: cell_text(row.cells.get(STT)),
        WARD: ward.name,
        STREET: street.name if street else "",
        ADDRESS: address,
        KIND: label(kind),
        QUANTITY: new.quantity,
        UNIT: unit.name if unit else "",
        STATUS: label(status),
        LON: round(point[0], 6),
        LAT: round(point[1], 6),
        NOTE: note,
    }
    return PlannedRow(row.number, new, preview), key, []


def validate_rows(
    session: Session,
    raw: RawTable,
    index: SpatialIndex,
    actor: Actor,
    on_progress: ProgressCallback | None = None,
) -> ImportPlan:
    """Check every row against the database; return the sites to add or the problems."""
    if actor.role not in SITE_EDITORS:
        raise PermissionDenied(f"{actor.role} may not import sites")
    lookups = _load_lookups(session)
    planned: list[PlannedRow] = []
    skipped: list[int] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    total = len(raw.rows)
    for done, row in enumerate(raw.rows, start=1):
        result, key, row_problems = _check_row(row, lookups, index, actor)
        problems.extend(row_problems)
        if result is not None and key is not None:
            if key in seen:
                problems.append(
                    RowProblem(row.number, ADDRESS, t("table.problem.duplicate", row=seen[key]))
                )
            elif key in lookups.existing:
                seen[key] = row.number
                skipped.append(row.number)
            else:
                seen[key] = row.number
                planned.append(result)
        if on_progress and (done % PROGRESS_EVERY == 0 or done == total):
            on_progress(done, total)
    return ImportPlan(total, tuple(planned), tuple(skipped), tuple(problems))


# --- storing ---------------------------------------------------------------------------------


def _taken_keys(session: Session, keys: list[str]) -> set[str]:
    taken: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        taken |= set(session.scalars(select(Site.import_key).where(Site.import_key.in_(chunk))))
    return taken


def commit_import(
    engine: Engine, actor: Actor, plan: ImportPlan, source: ChangeSource = ChangeSource.IMPORT
) -> ImportResult:
    """Store every planned row in one transaction through ``place_site``; all or nothing."""
    if plan.problems:
        raise _refuse("table.error.has_problems", n=len(plan.problems))
    index = spatial_index(engine)
    added, skipped = 0, len(plan.skipped_existing)
    with write_session(engine) as session:
        # Someone may have imported the same rows since the check: those are skipped.
        taken = _taken_keys(session, [r.new.import_key for r in plan.rows if r.new.import_key])
        for row in plan.rows:
            if row.new.import_key in taken:
                skipped += 1
                continue
            try:
                place_site(session, index, actor, row.new, source)
            except (InvalidInput, InvalidGeometry, OutsideDistrict) as exc:
                reason = t(
                    "table.error.row_failed", row=row.row_number, message=t(exc.code, **exc.params)
                )
                raise TableError(exc.detail, reason=reason) from exc
            added += 1
    return ImportResult(added=added, skipped_existing=skipped)


def import_file(
    engine: Engine,
    actor: Actor,
    data: bytes,
    filename: str,
    dry_run: bool = False,
    on_progress: ProgressCallback | None = None,
    source: ChangeSource = ChangeSource.IMPORT,
) -> ImportReport:
    """Read, check and (unless a dry run or a row is rejected) store a summary table."""
    raw = read_table(data, filename)
    index = spatial_index(engine)
    with read_session(engine) as session:
        plan = validate_rows(session, raw, index, actor, on_progress)
    result = ImportResult(0, len(plan.skipped_existing))
    committed = False
    if plan.ok and not dry_run:
        result = commit_import(engine, actor, plan, source)
        committed = True
    return ImportReport(
        filename=raw.filename,
        total_rows=plan.total_rows,
        added=result.added,
        to_add=len(plan.rows),
        skipped_existing=result.skipped_existing,
        problems=plan.problems,
        preview=tuple(r.preview for r in plan.rows),
        dry_run=dry_run,
        committed=committed,
    )


# --- writing ---------------------------------------------------------------------------------


def _site_rows(session: Session, include_demo: bool) -> Iterable[Any]:
    query = (
        select(
            Site,
            Ward.name.label("ward_name"),
            Street.name.label("street_name"),
            Unit.name.label("unit_name"),
        )
        .outerjoin(Ward, Site.ward_id == Ward.id)
        .outerjoin(Street, Site.street_id == Street.id)
        .outerjoin(Unit, Site.unit_id == Unit.id)
        .order_by(Site.id)
    )
    if not include_demo:
        query = query.where(Site.is_demo.is_(False))
    return session.execute(query).all()


def export_sites(engine: Engine, include_demo: bool = True) -> list[dict[str, Cell]]:
    """Read every site as a row of the summary table (Vietnamese labels, 6-decimal lon/lat)."""
    with read_session(engine) as session:
        rows = _site_rows(session, include_demo)
        return [
            {
                STT: number,
                WARD: row.ward_name or "",
                STREET: row.street_name or "",
                ADDRESS: row.Site.address,
                KIND: label(SiteKind(row.Site.kind)),
                QUANTITY: row.Site.quantity,
                UNIT: row.unit_name or "",
                STATUS: label(SiteStatus(row.Site.status)),
                LON: round(row.Site.lon, 6),
                LAT: round(row.Site.lat, 6),
                NOTE: row.Site.note,
            }
            for number, row in enumerate(rows, start=1)
        ]


def export_site_records(engine: Engine, include_demo: bool = True) -> list[dict[str, Any]]:
    """Read every site as a machine-readable record with its GeoJSON geometry."""
    with read_session(engine) as session:
        return [
            {
                "id": row.Site.id,
                "code": row.Site.code,
                "kind": row.Site.kind,
                "status": row.Site.status,
                "street": row.street_name,
                "ward": row.ward_name,
                "unit": row.unit_name,
                "geometry": json.loads(row.Site.geojson),
                "version": row.Site.version,
                "is_demo": bool(row.Site.is_demo),
            }
            for row in _site_rows(session, include_demo)
        ]


def safe_text(value: str) -> str:
    """Prefix formula-like text with a quote so no spreadsheet runs it (OWASP CSV injection)."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _out(value: object) -> Cell:
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    return safe_text(str(value))


_WIDTHS = {
    STT: 6,
    WARD: 16,
    STREET: 26,
    ADDRESS: 40,
    KIND: 18,
    QUANTITY: 10,
    UNIT: 36,
    STATUS: 18,
    LON: 13,
    LAT: 13,
    NOTE: 40,
}


def _format_header(sheet: Worksheet) -> None:
    for position, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=position)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(position)].width = _WIDTHS[column]
    sheet.freeze_panes = "A2"


def _write_xlsx(rows: Iterable[Mapping[str, object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    sheet.append(list(COLUMNS))
    _format_header(sheet)
    coordinate_columns = (COLUMNS.index(LON) + 1, COLUMNS.index(LAT) + 1)
    for row in rows:
        values = [_out(row.get(column)) for column in COLUMNS]
        sheet.append(
            [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values]
        )
        for position in coordinate_columns:
            sheet.cell(row=sheet.max_row, column=position).number_format = "0.000000"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


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


_GUIDE_KEYS = {
    STT: "stt",
    WARD: "ward",
    STREET: "street",
    ADDRESS: "address",
    KIND: "kind",
    QUANTITY: "quantity",
    UNIT: "unit",
    STATUS: "status",
    LON: "lon",
    LAT: "lat",
    NOTE: "note",
}
_EXAMPLE: dict[str, Cell] = {
    STT: 1,
    WARD: "Thanh Xuân Trung",
    STREET: "Nguyễn Trãi",
    ADDRESS: "Vỉa hè Nguyễn Trãi",
    KIND: "Pa-nô",
    QUANTITY: 1,
    UNIT: "Trung tâm Văn hoá - Thông tin và Thể thao quận",
    STATUS: "Chưa triển khai",
    LON: 105.803171,
    LAT: 20.99118,
    NOTE: "",
}


def _write_guide(sheet: Worksheet) -> None:
    bold = Font(bold=True)
    sheet.append([t("table.guide.title")])
    sheet.append([t("table.guide.intro")])
    sheet.append([])
    sheet.append([t("table.guide.column"), t("table.guide.required"), t("table.guide.meaning")])
    for column in COLUMNS:
        required = t("table.guide.yes") if column in REQUIRED_COLUMNS else ""
        sheet.append([column, required, t(f"table.guide.col.{_GUIDE_KEYS[column]}")])
    sheet.append([])
    sheet.append([t("table.guide.kinds")])
    for kind in SiteKind:
        sheet.append(["", label(kind)])
    sheet.append([t("table.guide.statuses")])
    for status in SiteStatus:
        sheet.append(["", label(status)])
    sheet.append([])
    sheet.append([t("table.guide.example")])
    sheet.append(list(COLUMNS))
    sheet.append([_out(_EXAMPLE[c]) for c in COLUMNS])
    for row in sheet.iter_rows():
        for cell in row:
            if cell.row in (1, 4) or cell.value in (
                t("table.guide.kinds"),
                t("table.guide.statuses"),
                t("table.guide.example"),
            ):
                cell.font = bold
    for letter, width in (("A", 24), ("B", 28), ("C", 90)):
        sheet.column_dimensions[letter].width = width


def template_xlsx() -> bytes:
    """Return an empty summary table with a second sheet explaining columns and values."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    sheet.append(list(COLUMNS))
    _format_header(sheet)
    _write_guide(book.create_sheet(GUIDE_TITLE))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
