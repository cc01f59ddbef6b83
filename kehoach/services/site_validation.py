"""Check the rows of a summary table against the database: the import's validation step.

``validate_rows`` reads what rows are matched against (wards, streets, the newest plan's
units, the keys of stored sites) once, then checks each row, collecting every problem with
its row number, column and a Vietnamese reason instead of stopping at the first.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from kehoach.adapters.geometry import validate_lonlat
from kehoach.adapters.spatial import SpatialIndex
from kehoach.adapters.summary_table import (
    ADDRESS,
    KIND,
    LAT,
    LON,
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
    cell_text,
    is_empty,
    parse_number,
)
from kehoach.db.models import Campaign, Site, Street, Unit, Ward
from kehoach.domain.enums import SiteKind, SiteStatus
from kehoach.domain.errors import InvalidGeometry, OutsideDistrict, PermissionDenied
from kehoach.domain.permissions import SITE_EDITORS, Actor, require_site_edit
from kehoach.domain.text import name_key, strip_diacritics, ward_key
from kehoach.i18n import label, t
from kehoach.services.campaigns import open_campaign_in
from kehoach.services.sites import MAX_TEXT, NewSite

PROGRESS_EVERY = 200
MAX_ADDRESS = 300  # Site.address is VARCHAR(300): PostgreSQL would refuse longer text

ProgressCallback = Callable[[int, int], None]

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


@dataclass(frozen=True)
class RowProblem:
    """Why one row cannot be imported: row number as the user sees it, header, message."""

    row_number: int
    column: str
    message: str

    def __str__(self) -> str:
        return t("table.cli.problem", row=self.row_number, column=self.column,
                 message=self.message)


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


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", strip_diacritics(text))


def _loose(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9]+", " ", strip_diacritics(text))).strip()


def _content_key(ward: str, street: str, address: str, kind: str, lon: float,
                 lat: float) -> str:
    """Return the import key: sha256 of a row's identity (ward, street, address, kind, point)."""
    parts = (ward_key(ward), street, " ".join(address.split()).casefold(), kind,
             f"{round(lon, 6):.6f}", f"{round(lat, 6):.6f}")
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
    campaign_id: int | None = None


def _street_keys(street: Street) -> set[str]:
    variants = street.name_variants or []
    if isinstance(variants, str):
        variants = [variants]
    names = [part for v in variants if isinstance(v, str) for part in v.split(";")]
    keys = {name_key(n) for n in names}
    return {k for k in keys if len(k) > 1} | {street.name_key, name_key(street.name)}


def _campaign_units(session: Session, campaign_id: int) -> list[_UnitRef]:
    plan_id = session.scalar(select(Campaign.plan_id).where(Campaign.id == campaign_id))
    if plan_id is None:
        return []
    units = session.scalars(select(Unit).where(Unit.plan_id == plan_id).order_by(Unit.position))
    return [_UnitRef(u.id, u.name, _loose(_expand_unit(u.name))) for u in units]


def _existing_keys(session: Session, campaign_id: int) -> set[str]:
    """Return import keys and content keys of a campaign's stored sites (UI-made ones too)."""
    rows = session.execute(
        select(Site.import_key, Site.kind, Site.address, Site.lon, Site.lat, Ward.name,
               Street.name_key)
        .outerjoin(Ward, Site.ward_id == Ward.id)
        .outerjoin(Street, Site.street_id == Street.id)
        .where(Site.campaign_id == campaign_id)
    ).all()
    keys = {row.import_key for row in rows if row.import_key}
    keys |= {_content_key(row.name or "", row.name_key or "", row.address or "", row.kind,
                          row.lon, row.lat) for row in rows}
    return keys


def _load_lookups(session: Session, campaign_id: int) -> _Lookups:
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
        units=_campaign_units(session, campaign_id),
        existing=_existing_keys(session, campaign_id),
        kinds=kinds,
        statuses=statuses,
        campaign_id=campaign_id,
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
        if is_empty(raw):
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


def _check_row(row: RawRow, lookups: _Lookups, index: SpatialIndex,
               actor: Actor) -> tuple[PlannedRow | None, str | None, list[RowProblem]]:
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
    key = _content_key(ward.name, street.name_key if street else "", address, kind.value,
                       *point)
    new = NewSite(
        kind=kind, lon=point[0], lat=point[1], address=address, note=note,
        quantity=quantity or 1, status=status, unit_id=unit.id if unit else None,
        ward_id=ward.id, street_id=street.id if street else None, import_key=key,
        campaign_id=lookups.campaign_id,
    )
    preview: dict[str, Cell] = {
        STT: cell_text(row.cells.get(STT)), WARD: ward.name,
        STREET: street.name if street else "", ADDRESS: address, KIND: label(kind),
        QUANTITY: new.quantity, UNIT: unit.name if unit else "", STATUS: label(status),
        LON: round(point[0], 6), LAT: round(point[1], 6), NOTE: note,
    }
    return PlannedRow(row.number, new, preview), key, []


def validate_rows(session: Session, raw: RawTable, index: SpatialIndex, actor: Actor,
                  on_progress: ProgressCallback | None = None,
                  campaign_id: int | None = None) -> ImportPlan:
    """Check every row against a campaign's sites; return the sites to add or the problems."""
    if actor.role not in SITE_EDITORS:
        raise PermissionDenied(f"{actor.role} may not import sites")
    lookups = _load_lookups(session, open_campaign_in(session, campaign_id).id)
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
    return ImportPlan(total, tuple(planned), tuple(skipped), tuple(problems))
