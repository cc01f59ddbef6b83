"""Site use cases: create, edit, bulk-edit, approve. Each is one transaction taking the actor."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

import shapely
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from kehoach.adapters.geometry import length_m, to_geojson, validate_geometry, validate_lonlat
from kehoach.adapters.spatial import SpatialIndex
from kehoach.db.engine import read_session, retry_transient, write_session
from kehoach.db.models import Campaign, Site, User, utcnow
from kehoach.domain.clock import local_today
from kehoach.domain.costs import check_amount, check_spend, funding_source, require_approved_for
from kehoach.domain.enums import (
    Approval,
    ChangeSource,
    SiteKind,
    SiteStatus,
    can_transition,
)
from kehoach.domain.errors import (
    InvalidGeometry,
    InvalidInput,
    InvalidTransition,
    NotFound,
    ReasonRequired,
    VersionConflict,
)
from kehoach.domain.permissions import APPROVERS, Actor, require_role, require_site_edit
from kehoach.i18n import format_local_time, label
from kehoach.services.campaigns import campaign_in, open_campaign_in, require_open
from kehoach.services.geography import spatial_index
from kehoach.services.history import record_changes, record_created
from kehoach.services.positions import attach_position, next_code
from kehoach.services.site_rules import (
    check_cost,
    check_counts,
    check_date,
    check_lonlat,
    check_references,
    check_texts,
    line_geometry,
)
from kehoach.services.site_ward import ward_for_new_site

MAX_TEXT = 2000
UNPLACED = "unplaced"
MAX_SIZE = 100


@dataclass(frozen=True)
class NewSite:
    """What a user gives to register a site: a point (lon, lat) or a stretch (line)."""

    kind: SiteKind
    lon: float | None = None
    lat: float | None = None
    line: tuple[tuple[float, float], ...] = ()
    name: str = ""
    address: str = ""
    content: str = ""
    note: str = ""
    quantity: int = 1
    flags_expected: int = 0
    flags_hung: int = 0
    status: SiteStatus = SiteStatus.PLANNED
    unit_id: int | None = None
    task_id: int | None = None
    place_id: int | None = None
    ward_id: int | None = None  # None: found by spatial join (ward shapes are approximate)
    street_id: int | None = None  # None: nearest street within 30 m
    planned_on: date | None = None
    is_new: bool = False  # "phát sinh mới": waits for a leader's approval
    estimated_cost: int | None = None
    import_key: str | None = None
    campaign_id: int | None = None  # None: the current campaign
    # Read from a summary table: the position in words and how it was located.
    position_text: str = ""
    location_source: str = "coordinates"  # "unplaced": no geometry until staff place it
    needs_confirmation: bool = False
    size: str = ""
    install_on: date | None = None
    remove_on: date | None = None

    @property
    def unplaced(self) -> bool:
        """Tell whether the site is stored without geometry ("chưa định vị")."""
        return self.location_source == UNPLACED


def _geometry(new: NewSite, index: SpatialIndex) -> shapely.Geometry | None:
    if new.unplaced:
        return None
    if new.line:
        geom = line_geometry(new.line)
        validate_geometry(geom, index.district)
        return geom
    if new.lon is None or new.lat is None:
        raise InvalidGeometry("a point site needs longitude and latitude")
    lon, lat = check_lonlat(new.lon, new.lat)
    validate_lonlat(lon, lat, index.district)
    return shapely.Point(lon, lat)


def _check_text(**values: str) -> None:
    check_texts(values)


def _check_counts(quantity: object, expected: object, hung: object) -> None:
    check_counts(quantity, expected, hung)


def _user(session: Session, actor: Actor) -> User | None:
    return session.get(User, actor.id) if actor.id is not None else None


def place_site(
    session: Session,
    index: SpatialIndex,
    actor: Actor,
    new: NewSite,
    source: ChangeSource,
    code: str | None = None,
    is_demo: bool = False,
) -> Site:
    """Validate and add one site inside an open transaction (shared by UI, import, demo)."""
    campaign = open_campaign_in(session, new.campaign_id)
    code = code or next_code(session)
    if session.scalar(select(Site.id).where(Site.campaign_id == campaign.id, Site.code == code)):
        raise InvalidInput(f"code {code} already used in this campaign", field="code")
    site = build_site(session, index, actor, new, campaign, code, is_demo)
    attach_position(session, site)
    session.add(site)
    session.flush()
    record_created(session, site, _user(session, actor), source)
    return site


def build_site(
    session: Session,
    index: SpatialIndex,
    actor: Actor,
    new: NewSite,
    campaign: Campaign,
    code: str,
    is_demo: bool = False,
) -> Site:
    """Check a new site and return it unsaved (no id or position yet)."""
    return Site(code=code, is_demo=is_demo, **new_site_values(session, index, actor, new, campaign))


def new_site_values(
    session: Session, index: SpatialIndex, actor: Actor, new: NewSite, campaign: Campaign
) -> dict[str, object]:
    """Check a new site and return its column values: geometry, ward, permission, street.

    An unplaced site (a position text nobody could locate yet) has no geometry: it keeps
    the ward its table named, if any, and waits in the "to place" list.
    """
    if new.is_new and new.estimated_cost is None:
        raise InvalidInput("a new site needs an estimated cost", field="estimated_cost")
    check_cost(new.estimated_cost, "estimated_cost")
    _check_text(name=new.name, address=new.address, content=new.content, note=new.note,
                position_text=new.position_text)
    if len(new.size) > MAX_SIZE:
        raise InvalidInput(f"size longer than {MAX_SIZE} characters", field="size")
    _check_counts(new.quantity, new.flags_expected, new.flags_hung)
    check_date(campaign, new.planned_on, "planned_on")
    check_references(session, {"unit_id": new.unit_id, "task_id": new.task_id,
                               "place_id": new.place_id, "ward_id": new.ward_id,
                               "street_id": new.street_id})  # fmt: skip
    geom = _geometry(new, index)
    point = None
    if geom is not None:
        point = geom if geom.geom_type == "Point" else geom.interpolate(0.5, normalized=True)
        ward_id = ward_for_new_site(session, index, actor, point, new.ward_id)
    else:
        ward_id = new.ward_id  # unplaced: the table's ward, if it named one
    require_site_edit(actor, ward_id)
    street_id = new.street_id
    if street_id is None and point is not None:
        nearest = index.nearest_street(point.x, point.y, max_m=30.0)
        street_id = nearest[0] if nearest else None
    return dict(
        campaign_id=campaign.id,
        name=new.name.strip(),
        kind=SiteKind(new.kind).value,
        status=SiteStatus(new.status).value,
        approval=(Approval.PENDING if new.is_new else Approval.APPROVED).value,
        geojson=to_geojson(geom) if geom is not None else None,
        lon=round(point.x, 7) if point is not None else None,
        lat=round(point.y, 7) if point is not None else None,
        length_m=_length(geom),
        position_text=new.position_text.strip(),
        location_source=new.location_source,
        needs_confirmation=new.needs_confirmation or new.unplaced,
        size=new.size.strip(),
        install_on=new.install_on,
        remove_on=new.remove_on,
        ward_id=ward_id,
        street_id=street_id,
        place_id=new.place_id,
        unit_id=new.unit_id,
        task_id=new.task_id,
        address=new.address.strip(),
        content=new.content.strip(),
        note=new.note.strip(),
        quantity=int(new.quantity),
        flags_expected=int(new.flags_expected),
        flags_hung=int(new.flags_hung),
        planned_on=new.planned_on,
        is_new=new.is_new,
        estimated_cost=new.estimated_cost,
        import_key=new.import_key,
        created_by_id=actor.id,
        updated_by_id=actor.id,
    )


def _length(geom: shapely.Geometry | None) -> float:
    if geom is None or geom.geom_type == "Point":
        return 0.0
    return round(length_m(geom), 1)


@retry_transient()
def create_site(
    engine: Engine, actor: Actor, new: NewSite, source: ChangeSource = ChangeSource.UI
) -> int:
    """Register one site; ward and street are found from its position unless given."""
    index = spatial_index(engine)
    with write_session(engine) as s:
        return place_site(s, index, actor, new, source).id


TEXT_FIELDS = ("name", "address", "content", "note", "rejection_reason", "position_text", "size")
COUNT_FIELDS = ("quantity", "flags_expected", "flags_hung")
REFERENCES = ("unit_id", "task_id", "ward_id", "street_id")
EDITABLE = (
    "status",
    "name",
    "address",
    "content",
    "note",
    "quantity",
    "flags_expected",
    "flags_hung",
    "unit_id",
    "task_id",
    "planned_on",
    "done_on",
    "ward_id",
    "street_id",
    "size",
    "install_on",
    "remove_on",
    "position_text",
    # Placing or moving a site: see ``services.placement.placement_changes``.
    "geojson",
    "lon",
    "lat",
    "length_m",
    "location_source",
    "needs_confirmation",
    "funding_source",
    "actual_cost",
)
# Besides what a form edits, a leader's decision on a new site changes these.
APPROVAL_FIELDS = ("approval", "approved_cost", "rejection_reason")
CHANGEABLE = frozenset(EDITABLE + APPROVAL_FIELDS)


@dataclass(frozen=True)
class SiteChanges:
    """The edited values of a site form; only fields that differ are written."""

    values: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.values) - set(EDITABLE)
        if unknown:
            raise InvalidInput(f"fields not editable: {sorted(unknown)}")


def _conflict(session: Session, site: Site) -> VersionConflict:
    who = session.get(User, site.updated_by_id) if site.updated_by_id else None
    return VersionConflict(
        "stale version",
        who=who.username if who else "—",
        when=format_local_time(site.updated_at),
        version=site.version,
    )


def apply_site_change(
    session: Session,
    site: Site,
    actor: Actor,
    changes: Mapping[str, object],
    source: ChangeSource,
    *,
    action: str = "updated",
    check_permission: bool = True,
    now: datetime | None = None,
) -> dict[str, tuple[object, object]]:
    """Check and write a change to one site, stamp dates and editor, and record its history.

    The one place where a stored site changes after creation — form, bulk edit, approval,
    inspection, import — so the rules (transitions, texts, counts, references, the local done
    date) cannot drift apart. Returns field → (old, new) of what actually changed (empty:
    nothing written). ``check_permission=False`` is for callers that checked a role of their
    own (leaders approve, inspectors inspect) and are not site editors. ``now`` (aware)
    defaults to the current time.
    """
    unknown = set(changes) - CHANGEABLE
    if unknown:
        raise InvalidInput(f"fields not changeable: {sorted(unknown)}")
    now = now or utcnow()
    require_open(campaign_in(session, site.campaign_id))
    if check_permission:
        require_site_edit(actor, site.ward_id)
        new_ward = changes.get("ward_id", site.ward_id)
        if new_ward != site.ward_id:  # moving a site needs the right to edit in both wards
            require_site_edit(actor, new_ward if isinstance(new_ward, int) else None)
    values = _normalized(changes)
    diff = {k: (getattr(site, k), v) for k, v in values.items() if getattr(site, k) != v}
    if "status" in diff:
        old, new = SiteStatus(site.status), SiteStatus(str(diff["status"][1]))
        if not can_transition(old, new):
            raise InvalidTransition(old=label(old), new=label(new))
        approval = str(values.get("approval", site.approval))
        require_approved_for(new, approval, site.code, label(Approval(approval)))
        if new == SiteStatus.INSTALLED and values.get("done_on", site.done_on) is None:
            diff["done_on"] = (site.done_on, local_today(now))
    merged = {k: diff[k][1] if k in diff else getattr(site, k) for k in COUNT_FIELDS}
    _check_counts(*(merged[k] for k in COUNT_FIELDS))
    if "approved_cost" in diff:
        check_cost(diff["approved_cost"][1], "approved_cost")
    if "actual_cost" in diff:
        spent = check_amount(values.get("actual_cost", site.actual_cost), "actual_cost")
        check_spend(spent, SiteStatus(str(values.get("status", site.status))))
    check_references(session, {k: v[1] for k, v in diff.items() if k in REFERENCES})
    campaign = campaign_in(session, site.campaign_id)
    for name in ("planned_on", "done_on"):  # as given: a done_on stamped today is trusted
        if name in values and name in diff:
            check_date(campaign, values[name], name)
    if not diff:
        return {}
    for name, (_, new_value) in diff.items():
        setattr(site, name, new_value)
    site.updated_by_id = actor.id
    site.updated_at = now
    record_changes(session, site, diff, _user(session, actor), source, action=action, at=now)
    return diff


def _normalized(changes: Mapping[str, object]) -> dict[str, object]:
    """Return the changes with texts stripped and checked and the status a plain value."""
    values = dict(changes)
    texts = {k: str(values[k] or "").strip() for k in TEXT_FIELDS if k in values}
    _check_text(**texts)
    if len(texts.get("size", "")) > MAX_SIZE:
        raise InvalidInput(f"size longer than {MAX_SIZE} characters", field="size")
    values.update(texts)
    if "funding_source" in values:
        values["funding_source"] = funding_source(values["funding_source"])
    if "status" in values:
        try:
            values["status"] = SiteStatus(str(values["status"])).value
        except ValueError as exc:
            raise InvalidInput(str(exc), field="status") from exc
    return values


@retry_transient()
def update_site(
    engine: Engine,
    actor: Actor,
    site_id: int,
    expected_version: int,
    changes: SiteChanges,
    source: ChangeSource = ChangeSource.UI,
    now: datetime | None = None,
) -> int:
    """Save a site form made from ``expected_version``; refuse it if the site moved on."""
    try:
        with write_session(engine) as s:
            site = s.get(Site, site_id)
            if site is None:
                raise NotFound(f"site {site_id}")
            if site.version != expected_version:
                raise _conflict(s, site)
            apply_site_change(s, site, actor, changes.values, source, now=now)
            s.flush()
            return site.version
    except StaleDataError as exc:
        with read_session(engine) as s:
            site = s.get(Site, site_id)
            if site is None:
                raise NotFound(f"site {site_id}") from exc
            raise _conflict(s, site) from exc


@dataclass(frozen=True)
class BulkResult:
    """What a bulk edit did: how many sites changed."""

    changed: int
    unchanged: int


@retry_transient()
def bulk_update(
    engine: Engine,
    actor: Actor,
    site_ids: list[int],
    changes: SiteChanges,
    source: ChangeSource = ChangeSource.UI,
    now: datetime | None = None,
) -> BulkResult:
    """Apply the same change to many sites with single-edit checks; all or nothing."""
    if not site_ids:
        raise InvalidInput("no site selected")
    if set(changes.values) - {"status", "unit_id"}:
        raise InvalidInput("bulk edits change status or unit only")
    changed = 0
    with write_session(engine) as s:
        sites = s.scalars(select(Site).where(Site.id.in_(site_ids)).order_by(Site.id)).all()
        if len(sites) != len(set(site_ids)):
            raise NotFound("some sites no longer exist")
        for site in sites:
            try:
                diff = apply_site_change(s, site, actor, changes.values, source, now=now)
            except InvalidTransition as exc:
                raise InvalidTransition(exc.detail, **exc.params, code=site.code) from exc
            changed += bool(diff)
    return BulkResult(changed=changed, unchanged=len(sites) - changed)


@retry_transient()
def decide_approval(
    engine: Engine,
    actor: Actor,
    site_id: int,
    approve: bool,
    approved_cost: int | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> None:
    """Approve or reject a new site ("phát sinh mới"); only leaders decide."""
    require_role(actor, APPROVERS, "approve sites")
    if not approve and not reason.strip():
        raise ReasonRequired("a rejection needs a reason", field="reason")
    with write_session(engine) as s:
        site = s.get(Site, site_id)
        if site is None:
            raise NotFound(f"site {site_id}")
        if site.approval != Approval.PENDING.value:
            raise InvalidInput("site is not waiting for approval")
        changes: dict[str, object]
        if approve:
            cost = site.estimated_cost if approved_cost is None else approved_cost
            changes = {"approval": Approval.APPROVED.value, "approved_cost": cost}
        else:
            changes = {"approval": Approval.REJECTED.value, "rejection_reason": reason}
        # Leaders are not site editors: the role check above is this decision's permission.
        apply_site_change(
            s, site, actor, changes, ChangeSource.UI,
            action="approval", check_permission=False, now=now,
        )  # fmt: skip
