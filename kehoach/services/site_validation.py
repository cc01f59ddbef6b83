"""Check the rows of a summary table against the database: the import's validation step.

``validate_rows`` reads what rows are matched against once (``import_plan.load_lookups``),
locates every row that gives no coordinates from its position text in one batch (the
locator), then checks each row, collecting every problem with its row number, column and a
Vietnamese reason instead of stopping at the first. Coordinates, Phường and Tuyến phố win
when the row has them; otherwise they come from the position. A row that cannot be located
is planned "chưa định vị" (no geometry). A row whose code names a stored site of the campaign
(an edited export) becomes an update of that site (``site_update_rows``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy.orm import Session

from kehoach.adapters.geometry import to_geojson, validate_geometry, validate_lonlat
from kehoach.adapters.spatial import SpatialIndex
from kehoach.adapters.summary_table import (
    ADDRESS,
    CODE,
    CONTENT,
    FLAGS_EXPECTED,
    FLAGS_HUNG,
    GEOMETRY,
    INSTALL,
    KIND,
    LAT,
    LON,
    NOTE,
    QUANTITY,
    REMOVE,
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
    TableRecord,
    cell_text,
    is_empty,
    match_kind,
    match_unit,
    parse_number,
)
from kehoach.adapters.summary_table.vocab import FLAG_KINDS
from kehoach.db.models import Street, Ward
from kehoach.domain.date_ranges import UnreadableDate, parse_period
from kehoach.domain.enums import STRETCH_KINDS, SiteKind, SiteStatus
from kehoach.domain.errors import InvalidGeometry, OutsideDistrict, PermissionDenied
from kehoach.domain.permissions import SITE_EDITORS, Actor, require_site_edit
from kehoach.domain.text import name_key, ward_key
from kehoach.i18n import label, t
from kehoach.services.campaigns import open_campaign_in
from kehoach.services.import_plan import (
    ImportPlan,
    Locator,
    Lookups,
    PlannedRow,
    ProgressCallback,
    RowProblem,
    compact,
    content_key,
    load_lookups,
)
from kehoach.services.locate import Location
from kehoach.services.site_update_rows import update_row
from kehoach.services.sites import MAX_TEXT, UNPLACED, NewSite

PROGRESS_EVERY = 200
MAX_ADDRESS = 300  # Site.address is VARCHAR(300): PostgreSQL would refuse longer text
_NO_LOCATION = Location(None, UNPLACED, True, "")

__all__ = ["ImportPlan", "PlannedRow", "ProgressCallback", "RowProblem", "validate_rows"]


class _RowChecker:
    """Check the cells of one row, collecting every problem instead of stopping at the first."""

    def __init__(self, row: RawRow, record: TableRecord | None, lookups: Lookups,
                 index: SpatialIndex, actor: Actor):
        self.row, self.record, self.lookups = row, record, lookups
        self.index, self.actor = index, actor
        self.problems: list[RowProblem] = []

    def text(self, column: str) -> str:
        return cell_text(self.row.cells.get(column))

    def fail(self, column: str, key: str, **params: object) -> None:
        self.problems.append(RowProblem(self.row.number, column, t(key, **params)))

    def gives_position(self) -> bool:
        """Tell whether the row has coordinates or a geometry of its own."""
        return any(not is_empty(self.row.cells.get(c)) for c in (GEOMETRY, LON, LAT))

    def geometry(self) -> BaseGeometry | None:
        """Return the row's own geometry (WKT/GeoJSON text, else coordinates), checked."""
        text = self.text(GEOMETRY)
        if not text:
            point = self.point()
            return shapely.Point(point) if point else None
        try:
            geom = shapely.from_geojson(text) if text.startswith("{") else shapely.from_wkt(text)
            if geom is None or geom.geom_type not in ("Point", "LineString"):
                raise InvalidGeometry("not a point or a line")
            validate_geometry(geom, self.index.district)
        except OutsideDistrict:
            self.fail(GEOMETRY, "table.problem.geometry_outside")
            return None
        except (InvalidGeometry, shapely.errors.ShapelyError, ValueError):
            self.fail(GEOMETRY, "table.problem.geometry_invalid", value=text[:60])
            return None
        return geom

    def point(self) -> tuple[float, float] | None:
        values: dict[str, float] = {}
        for column, example in ((LON, "105,8123"), (LAT, "21,0012")):
            raw = self.row.cells.get(column)
            if is_empty(raw):
                self.fail(column, "table.problem.coordinate_missing", example=example)
                continue
            try:
                values[column] = parse_number(raw)
            except ValueError:
                self.fail(column, "table.problem.coordinate_nan", value=cell_text(raw),
                          example=example)
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

    def ward(self, geom: BaseGeometry | None, located: Location) -> Ward | None:
        text = self.text(WARD)
        if not text:
            # Ward shapes are approximate: the table's ward wins; the position only fills gaps.
            ward_id = located.ward_id
            if ward_id is None and geom is not None:
                middle = geom if geom.geom_type == "Point" else geom.interpolate(0.5, True)
                ward_id = self.index.ward_at(middle.x, middle.y)
            if ward_id is None:
                if geom is not None:
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
        if self.record is not None and self.record.kind is not None:
            return self.record.kind
        text = self.text(KIND)
        allowed = ", ".join(label(k) for k in SiteKind)
        if not text:
            self.fail(KIND, "table.problem.kind_missing", allowed=allowed)
            return None
        kind = self.lookups.kinds.get(compact(text)) or match_kind(text, self.lookups.kinds)
        if kind is None:
            self.fail(KIND, "table.problem.kind_unknown", value=text, allowed=allowed)
        return kind

    def status(self) -> SiteStatus | None:
        text = self.text(STATUS)
        if not text:
            return SiteStatus.PLANNED
        status = self.lookups.statuses.get(compact(text))
        if status is None:
            allowed = ", ".join(label(s) for s in SiteStatus)
            self.fail(STATUS, "table.problem.status_unknown", value=text, allowed=allowed)
        return status

    def count(self, column: str, default: int | None, least: int = 1) -> int | None:
        raw = self.row.cells.get(column)
        if is_empty(raw):
            return default
        try:
            number = parse_number(raw)
        except ValueError:
            number = -1.0
        if number < least or not number.is_integer() or number > 1_000_000:
            self.fail(column, "table.problem.quantity", value=cell_text(raw))
            return None
        return int(number)

    def unit(self) -> int | None:
        text = self.text(UNIT)
        if not text:
            return None
        found = match_unit(text, list(self.lookups.unit_names))
        if found.best is not None:
            return self.lookups.unit_names[found.best]
        if found.ambiguous:
            self.fail(UNIT, "table.problem.unit_ambiguous", value=text,
                      matches="; ".join(found.candidates))
        elif found.candidates:
            self.fail(UNIT, "table.problem.unit_did_you_mean", value=text,
                      matches="; ".join(found.candidates))
        else:
            self.fail(UNIT, "table.problem.unit_unknown", value=text)
        return None

    def task(self) -> int | None:
        text = self.text(TASK)
        number = text.split(".", 1)[0].strip()
        if not text:
            return None
        if not number.isdigit() or int(number) not in self.lookups.tasks:
            self.fail(TASK, "table.problem.task_unknown", value=text[:60])
            return None
        return int(number)

    def day(self, column: str) -> date | None:
        raw = self.row.cells.get(column)
        if is_empty(raw):
            return None
        try:
            found = parse_period(cell_text(raw)).install_on
        except UnreadableDate:
            found = None
        if found is None:
            self.fail(column, "table.problem.date_unreadable", value=cell_text(raw))
        return found

    def texts(self) -> tuple[str, str]:
        address, note = self.text(ADDRESS), self.text(NOTE)
        if len(address) > MAX_ADDRESS:
            self.fail(ADDRESS, "table.problem.too_long", limit=MAX_ADDRESS)
        if len(note) > MAX_TEXT:
            self.fail(NOTE, "table.problem.too_long", limit=MAX_TEXT)
        return address, note

    def permission(self, ward: Ward | None) -> None:
        try:
            require_site_edit(self.actor, ward.id if ward else None)
        except PermissionDenied:
            self.fail(WARD, "table.problem.permission", ward=ward.name if ward else "—")

    def problems_of_record(self) -> None:
        for problem in self.record.problems if self.record else ():
            self.problems.append(RowProblem(self.row.number, problem.column, problem.reason))


@dataclass(frozen=True)
class _Extras:
    """What a row says beyond the app's first columns: content, size, dates, flags, task."""

    content: str = ""
    size: str = ""
    install_on: date | None = None
    remove_on: date | None = None
    flags_expected: int = 0
    flags_hung: int = 0
    task_id: int | None = None


def _extras(check: _RowChecker, kind: SiteKind | None, quantity: int | None) -> _Extras:
    """Return content, size, dates and flag counts, from the office record or the columns.

    A quantity of a flag kind is the number of flags to hang unless the row says otherwise.
    """
    record = check.record
    if record is not None:
        return _Extras(record.content, record.size, record.install_on, record.remove_on,
                       record.flags_expected or 0)
    flags = quantity if kind in FLAG_KINDS else 0
    return _Extras(
        check.text(CONTENT), check.text(SIZE)[:100], check.day(INSTALL), check.day(REMOVE),
        check.count(FLAGS_EXPECTED, flags, least=0) or 0,
        check.count(FLAGS_HUNG, 0, least=0) or 0, check.task(),
    )


def _shape(geom: BaseGeometry | None, kind: SiteKind | None) -> BaseGeometry | None:
    """Keep a line for stretch kinds (flag lines, banners); other kinds stand at its middle."""
    if geom is None or geom.geom_type == "Point" or kind in STRETCH_KINDS:
        return geom
    return geom.interpolate(0.5, normalized=True)


def _check_row(row: RawRow, record: TableRecord | None, located: Location, lookups: Lookups,
               index: SpatialIndex, actor: Actor,
               columns: frozenset[str]) -> tuple[PlannedRow | None, list[RowProblem]]:
    """Check one row; return the planned site (or update), or the problems."""
    check = _RowChecker(row, record, lookups, index, actor)
    check.problems_of_record()
    own = check.gives_position()
    geom = check.geometry() if own else located.geometry
    kind = check.kind()
    geom = _shape(geom, kind)
    ward = check.ward(geom, located if not own else _NO_LOCATION)
    street, status = check.street(), check.status()
    quantity, unit = check.count(QUANTITY, 1), check.unit()
    address, note = check.texts()
    extras = _extras(check, kind, quantity)
    code = check.text(CODE)
    stored = lookups.by_code.get(code) if code else None
    if stored is None:
        check.permission(ward)
    if check.problems or kind is None or status is None or (own and geom is None):
        return None, check.problems
    source = "coordinates" if own else located.source
    confirm = False if own else located.needs_confirmation
    street_id = street.id if street else (None if own else located.street_id)
    line = geom if geom is not None and geom.geom_type == "LineString" else None
    is_line = line is not None
    point = line.interpolate(0.5, normalized=True) if line is not None else geom
    key = content_key(ward.name if ward else "", street.name_key if street else "", address,
                      kind.value, point.x if point else None, point.y if point else None)
    new = NewSite(
        kind=kind, lon=None if is_line or point is None else point.x,
        lat=None if is_line or point is None else point.y,
        line=tuple(line.coords) if line is not None else (),
        address=address, note=note, quantity=quantity or 1, status=status,
        unit_id=unit, ward_id=ward.id if ward else None, street_id=street_id, import_key=key,
        campaign_id=lookups.campaign_id, position_text=address or check.text(STREET),
        location_source=source if geom is not None else UNPLACED, needs_confirmation=confirm,
        content=extras.content, size=extras.size, install_on=extras.install_on,
        remove_on=extras.remove_on, flags_expected=extras.flags_expected,
        flags_hung=extras.flags_hung, task_id=extras.task_id,
    )
    explanation = located.explanation if not own else t("import.read.own_position")
    preview: dict[str, Cell] = {
        STT: cell_text(row.cells.get(STT)), WARD: ward.name if ward else "",
        STREET: street.name if street else "", ADDRESS: address, KIND: label(kind),
        QUANTITY: new.quantity, STATUS: label(status),
        LON: round(point.x, 6) if point else None, LAT: round(point.y, 6) if point else None,
        NOTE: note,
    }
    planned = PlannedRow(row.number, new, preview, new.location_source, explanation,
                         _geojson(geom), code=code)
    if stored is not None:
        return update_row(planned, stored, check.text(VERSION), geom, columns, index, actor)
    return planned, []


def _geojson(geom: BaseGeometry | None) -> dict[str, object] | None:
    return None if geom is None else dict(json.loads(to_geojson(geom)))


def _locate_rows(raw: RawTable, lookups: Lookups, locate: Locator | None) -> list[Location]:
    """Locate, in one batch, every row that gives no geometry of its own and no stored code."""
    found = [_NO_LOCATION] * len(raw.rows)
    wanted: list[int] = []
    for i, row in enumerate(raw.rows):
        cells = row.cells
        if any(not is_empty(cells.get(c)) for c in (GEOMETRY, LON, LAT)):
            continue
        if cell_text(cells.get(CODE)) in lookups.by_code:
            continue
        wanted.append(i)
    if locate is None or not wanted:
        return found
    texts = [_position(raw.rows[i].cells) for i in wanted]
    for i, location in zip(wanted, locate(texts), strict=True):
        found[i] = location
    # A bare house number ("Số 25") or a place on a named street: read it with the street.
    again = [i for i in wanted if found[i].geometry is None and cell_text(raw.rows[i].cells.get(
        STREET)) and cell_text(raw.rows[i].cells.get(ADDRESS))]
    if again:
        texts = [f"{_position(raw.rows[i].cells)} {cell_text(raw.rows[i].cells.get(STREET))}"
                 for i in again]
        for i, location in zip(again, locate(texts), strict=True):
            if location.geometry is not None:
                found[i] = location
    return found


def _position(cells: Mapping[str, Cell]) -> str:
    return cell_text(cells.get(ADDRESS)) or cell_text(cells.get(STREET))


def validate_rows(session: Session, raw: RawTable, index: SpatialIndex, actor: Actor,
                  on_progress: ProgressCallback | None = None,
                  campaign_id: int | None = None, locate: Locator | None = None) -> ImportPlan:
    """Check every row against a campaign's sites; return what to add or update, or problems."""
    if actor.role not in SITE_EDITORS:
        raise PermissionDenied(f"{actor.role} may not import sites")
    lookups = load_lookups(session, open_campaign_in(session, campaign_id).id)
    records = {r.row: r for r in raw.records}
    located = _locate_rows(raw, lookups, locate)
    columns = frozenset(raw.columns)
    planned: list[PlannedRow] = []
    updates: list[PlannedRow] = []
    unchanged: list[PlannedRow] = []
    skipped: list[int] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    total = len(raw.rows)
    for done, (row, location) in enumerate(zip(raw.rows, located, strict=True), start=1):
        result, row_problems = _check_row(row, records.get(row.number), location, lookups,
                                          index, actor, columns)
        problems.extend(row_problems)
        if result is not None and result.site_id is not None:
            (updates if result.changes else unchanged).append(result)
        elif result is not None:
            key = result.new.import_key or ""
            if key in seen:
                problems.append(RowProblem(row.number, ADDRESS,
                                           t("table.problem.duplicate", row=seen[key])))
            elif key in lookups.existing:
                seen[key] = row.number
                skipped.append(row.number)
            else:
                seen[key] = row.number
                planned.append(result)
        if on_progress and (done % PROGRESS_EVERY == 0 or done == total):
            on_progress(done, total)
    return ImportPlan(total, tuple(planned), tuple(skipped), tuple(problems), tuple(updates),
                      tuple(r.row_number for r in unchanged))
