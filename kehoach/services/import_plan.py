"""What checking a summary table produces, and what its rows are matched against.

``site_validation`` checks rows into an ``ImportPlan``: new sites (``PlannedRow.new``),
updates of sites an export named by code (``PlannedRow.changes``) and problems. The lookups
(wards, streets, the campaign plan's units, the keys of stored sites) are read once per check.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from kehoach.adapters.summary_table import Cell
from kehoach.db.models import Campaign, Site, Street, Task, Unit, Ward
from kehoach.domain.enums import SiteKind, SiteStatus
from kehoach.domain.text import name_key, strip_diacritics, ward_key
from kehoach.i18n import label, t
from kehoach.services.locate import Location
from kehoach.services.sites import NewSite

ProgressCallback = Callable[[int, int], None]
Locator = Callable[[Sequence[str]], list[Location]]

KIND_ALIASES: dict[str, SiteKind] = {
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
    """A valid row: a site to add (``new``), or changes to a stored site (``site_id``).

    ``source`` and ``explanation`` say how its position was read (see ``services.locate``).
    """

    row_number: int
    new: NewSite
    preview: Mapping[str, Cell]
    source: str = "coordinates"
    explanation: str = ""
    geometry: dict[str, object] | None = None  # GeoJSON, for the preview map
    site_id: int | None = None
    code: str = ""
    expected_version: int | None = None
    changes: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportPlan:
    """The outcome of checking a table: rows to add or update, rows already there, problems."""

    total_rows: int
    rows: tuple[PlannedRow, ...] = ()
    skipped_existing: tuple[int, ...] = ()
    problems: tuple[RowProblem, ...] = ()
    updates: tuple[PlannedRow, ...] = ()
    unchanged: tuple[int, ...] = ()  # rows naming a stored site with nothing edited

    @property
    def ok(self) -> bool:
        """Tell whether the table has no problem and may be committed."""
        return not self.problems


def compact(text: str) -> str:
    """Return text folded to its letters and digits ("Pa-nô" → "pano")."""
    return re.sub(r"[^a-z0-9]+", "", strip_diacritics(text))


_ward_key = functools.lru_cache(maxsize=256)(ward_key)  # a district has a dozen wards


def content_key(ward: str, street: str, address: str, kind: str, lon: float | None,
                lat: float | None) -> str:
    """Return the import key: sha256 of a row's identity (ward, street, address, kind, point)."""
    parts = (_ward_key(ward), street, " ".join(address.split()).casefold(), kind,
             f"{round(lon or 0.0, 6):.6f}", f"{round(lat or 0.0, 6):.6f}")
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StoredSite:
    """What a re-import compares a row naming a code with."""

    id: int
    version: int
    values: Mapping[str, object]


@dataclass
class Lookups:
    """What rows are matched against, read once per validation."""

    wards: dict[str, Ward]
    ward_names: dict[int, str]
    streets: dict[str, Street]
    unit_names: dict[str, int]
    existing: set[str]
    kinds: dict[str, SiteKind] = field(default_factory=dict)
    statuses: dict[str, SiteStatus] = field(default_factory=dict)
    tasks: set[int] = field(default_factory=set)
    by_code: dict[str, StoredSite] = field(default_factory=dict)
    campaign_id: int | None = None


def _street_keys(street: Street) -> set[str]:
    variants = street.name_variants or []
    if isinstance(variants, str):
        variants = [variants]
    names = [part for v in variants if isinstance(v, str) for part in v.split(";")]
    keys = {name_key(n) for n in names}
    return {k for k in keys if len(k) > 1} | {street.name_key, name_key(street.name)}


def _campaign_units(session: Session, campaign_id: int) -> dict[str, int]:
    plan_id = session.scalar(select(Campaign.plan_id).where(Campaign.id == campaign_id))
    if plan_id is None:
        return {}
    units = session.scalars(select(Unit).where(Unit.plan_id == plan_id).order_by(Unit.position))
    return {u.name: u.id for u in units}


# The fields a re-import compares and may change (see ``site_update_rows``).
COMPARED = ("address", "content", "size", "install_on", "remove_on", "flags_expected",
            "flags_hung", "task_id", "quantity", "note", "unit_id", "kind", "status", "geojson")


def _stored(session: Session, campaign_id: int) -> tuple[set[str], dict[str, StoredSite]]:
    """Return import and content keys of a campaign's stored sites, and the sites by code."""
    # Plain columns, not ORM objects: a campaign may hold 20,000 sites.
    columns = [getattr(Site, k) for k in (*COMPARED, "id", "code", "version", "import_key",
                                          "lon", "lat")]
    rows = session.execute(
        select(*columns, Ward.name.label("ward_name"), Street.name_key.label("street_key"))
        .outerjoin(Ward, Site.ward_id == Ward.id)
        .outerjoin(Street, Site.street_id == Street.id)
        .where(Site.campaign_id == campaign_id)
    ).all()
    keys = {row.import_key for row in rows if row.import_key}
    keys |= {content_key(row.ward_name or "", row.street_key or "", row.address or "", row.kind,
                         row.lon, row.lat) for row in rows}
    by_code = {
        row.code: StoredSite(row.id, row.version, {k: getattr(row, k) for k in COMPARED})
        for row in rows
    }
    return keys, by_code


def load_lookups(session: Session, campaign_id: int) -> Lookups:
    """Read what a campaign's rows are matched against."""
    wards = list(session.scalars(select(Ward)))
    streets: dict[str, Street] = {}
    for street in session.scalars(select(Street).order_by(Street.id)):
        for key in _street_keys(street):
            streets.setdefault(key, street)
    kinds = {compact(label(k)): k for k in SiteKind} | {compact(k.value): k for k in SiteKind}
    kinds |= KIND_ALIASES
    statuses = {compact(label(s)): s for s in SiteStatus}
    statuses |= {compact(s.value): s for s in SiteStatus}
    ward_map = {ward_key(w.name): w for w in wards} | {w.code: w for w in wards}
    existing, by_code = _stored(session, campaign_id)
    units = _campaign_units(session, campaign_id)
    tasks = set(session.scalars(select(Task.id).where(Task.unit_id.in_(list(units.values())))))
    return Lookups(
        wards=ward_map,
        ward_names={w.id: w.name for w in wards},
        streets=streets,
        unit_names=units,
        existing=existing,
        kinds=kinds,
        statuses=statuses,
        tasks=tasks,
        by_code=by_code,
        campaign_id=campaign_id,
    )
