"""Inspection use cases: nearest sites, walking order, recording with photos, the fix loop.

Inspectors are not site editors: the status change an inspection causes is written here, in
the inspection's own transaction, after the same transition check and with the same history
as an edit (action ``inspection``). Photo files and rows commit together or not at all.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely import LineString, Point
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Engine, and_, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kehoach.adapters.geometry import from_geojson, to_metric
from kehoach.adapters.photos import PhotoStore, ProcessedPhoto, StagedPhoto, process_photo
from kehoach.config import METRIC_CRS, STORAGE_CRS, get_settings
from kehoach.db.engine import read_session, write_session
from kehoach.db.models import Inspection, Photo, Plan, Site, Street, Unit, User, Ward, utcnow
from kehoach.domain.enums import (
    STRETCH_KINDS,
    Approval,
    ChangeSource,
    Role,
    SiteStatus,
    can_transition,
)
from kehoach.domain.errors import (
    DomainError,
    InvalidGeometry,
    InvalidInput,
    InvalidTransition,
    NotFound,
    OutsideDistrict,
    SwappedCoordinates,
)
from kehoach.domain.inspection import (
    DISTRICT_TOLERANCE_M,
    BadFlagWindow,
    CampaignDates,
    Defect,
    DevicePosition,
    FlagsOutsideWindow,
    InspectionNotSaved,
    InspectionOutcome,
    InspectionWarning,
    NotAnInspector,
    PhotoFlag,
    SiteRemoved,
    UploadedPhoto,
    campaign_dates,
    check_flags,
    check_record,
    inspection_warnings,
    photo_flags,
    status_after,
)
from kehoach.domain.permissions import INSPECTORS, Actor, require_role
from kehoach.i18n import LOCAL_TZ, format_date, label
from kehoach.services.history import record_changes
from kehoach.services.queries import Option
from kehoach.services.sites import spatial_index

log = logging.getLogger(__name__)

# Admins may do what inspectors do (they set up campaigns and check the tool works).
MAY_INSPECT = INSPECTORS | {Role.ADMIN}
ADMINS = frozenset({Role.ADMIN})
DEFAULT_NEAREST = 15
# A leftover temporary photo file younger than this may belong to a transaction in flight.
RECONCILE_MIN_AGE = timedelta(minutes=10)

__all__ = [
    "DevicePosition",
    "InspectionOutcome",
    "UploadedPhoto",
    "check_position",
    "fix_todo",
    "load_campaign",
    "nearest_sites",
    "record_inspection",
    "set_flag_window",
    "site_photos",
    "walking_order",
    "ward_flag_rates",
]


def photo_store() -> PhotoStore:
    """Return the photo store in the configured media folder."""
    return PhotoStore(get_settings().media_dir)


# --- Where am I -------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _district_zone(url: str, engine_id: int, engine: Engine) -> BaseGeometry:
    zone = to_metric(spatial_index(engine).district).buffer(DISTRICT_TOLERANCE_M)
    shapely.prepare(zone)
    return zone


def check_position(engine: Engine, lon: float, lat: float) -> None:
    """Refuse a device position that is not numbers, swapped, or outside the district."""
    for value in (lon, lat):
        if not isinstance(value, (int, float)) or not math.isfinite(value):
            raise InvalidGeometry("coordinates must be numbers")
    if spatial_index(engine).district.covers(Point(lat, lon)):
        raise SwappedCoordinates("latitude and longitude are swapped", swapped=True)
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidGeometry("coordinates out of range")
    zone = _district_zone(str(engine.url), id(engine), engine)
    if not zone.covers(to_metric(Point(lon, lat))):
        raise OutsideDistrict(f"({lon:.6f}, {lat:.6f}) is outside the district")


def streets_in_ward(engine: Engine, ward_id: int) -> list[Option]:
    """List the streets crossing a ward (ward outlines are approximate), by name."""
    index = spatial_index(engine)
    ward = index.ward_geometry(ward_id)
    inside = {sid for sid in index.street_ids if ward.intersects(index.street_geometry(sid))}
    with read_session(engine) as s:
        rows = s.execute(
            select(Street.id, Street.name).where(Street.id.in_(inside)).order_by(Street.name)
        ).all()
    return [Option(i, n) for i, n in rows]


# --- Lists ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NearSite:
    """One line of the inspector's list: a site, how far, and its last inspection."""

    id: int
    code: str
    name: str
    kind: str
    status: str
    street: str | None
    address: str
    is_demo: bool
    lon: float
    lat: float
    distance_m: float | None
    position_m: float | None  # along the street centreline (walking order)
    last_inspected_at: datetime | None
    last_outcome: str | None
    inspected_today: bool
    awaiting_recheck: bool  # fixed by staff after a "needs fix": inspect again


@dataclass(frozen=True)
class _Candidates:
    ids: np.ndarray
    rows: list[tuple]
    lons: np.ndarray
    lats: np.ndarray
    stretch: np.ndarray  # bool: drawn as a line along the street
    half_lengths: np.ndarray  # metres: no point of a stretch is farther from its middle


def _candidates(
    session: Session, street_id: int | None = None, site_id: int | None = None
) -> _Candidates:
    query = (
        select(
            Site.id,
            Site.code,
            Site.name,
            Site.kind,
            Site.status,
            Street.name,
            Site.address,
            Site.is_demo,
            Site.lon,
            Site.lat,
            Site.length_m,
        )
        .outerjoin(Street, Site.street_id == Street.id)
        .where(Site.approval == Approval.APPROVED.value, Site.status != SiteStatus.REMOVED.value)
        .order_by(Site.id)
    )
    if street_id is not None:
        query = query.where(Site.street_id == street_id)
    if site_id is not None:
        query = query.where(Site.id == site_id)
    rows = [tuple(r) for r in session.execute(query)]
    stretch_kinds = {k.value for k in STRETCH_KINDS}
    return _Candidates(
        ids=np.array([r[0] for r in rows], dtype=np.int64),
        rows=rows,
        lons=np.array([r[8] for r in rows], dtype=float),
        lats=np.array([r[9] for r in rows], dtype=float),
        stretch=np.array([r[3] in stretch_kinds and (r[10] or 0) > 0 for r in rows], dtype=bool),
        half_lengths=np.array([(r[10] or 0.0) / 2 for r in rows], dtype=float),
    )


@lru_cache(maxsize=1)
def _metric_transformer() -> Transformer:
    return Transformer.from_crs(STORAGE_CRS, METRIC_CRS, always_xy=True)


def _middle_distances(c: _Candidates, lon: float, lat: float) -> np.ndarray:
    """Return metres (UTM 48N) from (lon, lat) to each site's stored point (a stretch's middle)."""
    transform = _metric_transformer().transform
    xs, ys = transform(c.lons, c.lats)
    x0, y0 = transform(lon, lat)
    return np.hypot(np.asarray(xs, dtype=float) - x0, np.asarray(ys, dtype=float) - y0)


def _distances(
    session: Session, c: _Candidates, lon: float, lat: float, within: float = math.inf
) -> np.ndarray:
    """Return metres (UTM 48N) from (lon, lat) to each site: its point or its stretch.

    A stretch's stored point is its middle, so its true distance lies between the distance to
    the middle and that minus half its length; only stretches that could come within
    ``within`` metres are measured against their line.
    """
    if not len(c.ids):
        return np.zeros(0)
    distances = _middle_distances(c, lon, lat)
    refine = np.flatnonzero(c.stretch & (distances - c.half_lengths <= within))
    if len(refine):
        ids = [int(i) for i in c.ids[refine]]
        texts = dict(session.execute(select(Site.id, Site.geojson).where(Site.id.in_(ids))).all())
        lines = to_metric(shapely.from_geojson(np.array([texts[i] for i in ids], dtype=object)))
        distances[refine] = shapely.distance(lines, to_metric(Point(lon, lat)))
    return distances


def _limit_threshold(distances: np.ndarray, keep: np.ndarray, limit: int) -> float:
    """Return the distance of the ``limit``-th nearest kept site by its middle (an upper bound)."""
    kept = distances[keep]
    if len(kept) <= limit:
        return math.inf
    return float(np.partition(kept, limit - 1)[limit - 1])


def _local_day_start(now: datetime) -> datetime:
    local = now.astimezone(LOCAL_TZ)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(now.tzinfo)


def _last_inspections(session: Session, ids: Iterable[int]) -> dict[int, tuple[datetime, str]]:
    ids = [int(i) for i in ids]
    if not ids:
        return {}
    latest = (
        select(Inspection.site_id, func.max(Inspection.at).label("at"))
        .where(Inspection.site_id.in_(ids))
        .group_by(Inspection.site_id)
        .subquery()
    )
    rows = session.execute(
        select(Inspection.site_id, Inspection.at, Inspection.result)
        .join(latest, and_(Inspection.site_id == latest.c.site_id, Inspection.at == latest.c.at))
        .order_by(Inspection.id)
    )
    return {site_id: (at, result) for site_id, at, result in rows}


def _inspected_since(session: Session, since: datetime) -> set[int]:
    return set(session.scalars(select(Inspection.site_id).where(Inspection.at >= since)))


def _near_site(
    row: tuple,
    distance: float | None,
    position: float | None,
    last: tuple[datetime, str] | None,
    day_start: datetime,
) -> NearSite:
    at, outcome = last if last else (None, None)
    return NearSite(
        id=int(row[0]),
        code=row[1],
        name=row[2],
        kind=row[3],
        status=row[4],
        street=row[5],
        address=row[6],
        is_demo=bool(row[7]),
        lon=float(row[8]),
        lat=float(row[9]),
        distance_m=None if distance is None else round(float(distance), 1),
        position_m=None if position is None else round(float(position), 1),
        last_inspected_at=at,
        last_outcome=outcome,
        inspected_today=at is not None and at >= day_start,
        awaiting_recheck=row[4] == SiteStatus.INSTALLED.value
        and outcome == InspectionOutcome.NEEDS_FIX.value,
    )


def _hidden(session: Session, c: _Candidates, day_start: datetime) -> np.ndarray:
    """Return a mask of sites inspected today that are not waiting for a re-check."""
    today = _inspected_since(session, day_start)
    if not today:
        return np.zeros(len(c.ids), dtype=bool)
    last = _last_inspections(session, today)
    status = {r[0]: r[4] for r in c.rows if r[0] in today}
    keep_anyway = {
        sid
        for sid, (_, outcome) in last.items()
        if outcome == InspectionOutcome.NEEDS_FIX.value
        and status.get(sid) == SiteStatus.INSTALLED.value
    }
    return np.isin(c.ids, list(today - keep_anyway))


def nearest_sites(
    engine: Engine,
    lon: float,
    lat: float,
    limit: int = DEFAULT_NEAREST,
    hide_inspected_today: bool = False,
    now: datetime | None = None,
) -> list[NearSite]:
    """List the sites nearest to (lon, lat), nearest first, with their last inspection."""
    check_position(engine, lon, lat)
    day_start = _local_day_start(now or utcnow())
    with read_session(engine) as s:
        c = _candidates(s)
        keep = ~_hidden(s, c, day_start) if hide_inspected_today else np.ones(len(c.ids), bool)
        if not len(c.ids):
            return []
        within = _limit_threshold(_middle_distances(c, lon, lat), keep, limit)
        distances = _distances(s, c, lon, lat, within)
        order = [int(i) for i in np.argsort(distances, kind="stable") if keep[i]][:limit]
        last = _last_inspections(s, (c.ids[i] for i in order))
    return [
        _near_site(c.rows[i], distances[i], None, last.get(int(c.ids[i])), day_start) for i in order
    ]


def _positions_along(street_m: BaseGeometry, points_m: np.ndarray) -> np.ndarray:
    """Return each point's position (m) along a street; a split street uses its main axis."""
    merged = shapely.line_merge(street_m)
    if isinstance(merged, LineString):
        return np.asarray(shapely.line_locate_point(merged, points_m), dtype=float)
    # Dual carriageways and gaps leave several parts: order along the principal axis.
    coords = shapely.get_coordinates(merged)
    mean = coords.mean(axis=0)
    _, vectors = np.linalg.eigh(np.cov((coords - mean).T))
    axis = vectors[:, -1]
    xy = shapely.get_coordinates(points_m)
    along = (xy - mean) @ axis
    ends = (coords - mean) @ axis
    return np.asarray(along - ends.min(), dtype=float)


def walking_order(
    engine: Engine,
    street_id: int,
    hide_inspected_today: bool = False,
    lon: float | None = None,
    lat: float | None = None,
    now: datetime | None = None,
) -> list[NearSite]:
    """List a street's sites in walking order along its centreline, from the nearer end."""
    index = spatial_index(engine)
    street_m = to_metric(index.street_geometry(street_id))
    day_start = _local_day_start(now or utcnow())
    with read_session(engine) as s:
        c = _candidates(s, street_id)
        if not len(c.ids):
            return []
        points_m = to_metric(shapely.points(np.column_stack([c.lons, c.lats])))
        positions = _positions_along(street_m, points_m)
        distances = _distances(s, c, lon, lat) if lon is not None and lat is not None else None
        mask = ~_hidden(s, c, day_start) if hide_inspected_today else np.ones(len(c.ids), bool)
        order = [int(i) for i in np.argsort(positions, kind="stable") if mask[i]]
        if distances is not None and order and distances[order[-1]] < distances[order[0]]:
            order.reverse()  # start walking from the end the inspector stands at
        last = _last_inspections(s, (c.ids[i] for i in order))
    return [
        _near_site(
            c.rows[i],
            None if distances is None else distances[i],
            positions[i],
            last.get(int(c.ids[i])),
            day_start,
        )
        for i in order
    ]


def load_target(
    engine: Engine, site_id: int, lon: float | None = None, lat: float | None = None
) -> NearSite | None:
    """Return one site as a list line (distance from (lon, lat) when given), or None."""
    day_start = _local_day_start(utcnow())
    with read_session(engine) as s:
        c = _candidates(s, site_id=site_id)
        if not len(c.ids):
            return None  # unknown, removed or not approved: not a target for inspection
        distance = _distances(s, c, lon, lat)[0] if lon is not None and lat is not None else None
        last = _last_inspections(s, [site_id]).get(site_id)
    return _near_site(c.rows[0], distance, None, last, day_start)


# --- Recording --------------------------------------------------------------------------------


@dataclass(frozen=True)
class InspectionResult:
    """What a saved inspection did, with the warnings to show the inspector."""

    inspection_id: int
    site_id: int
    code: str
    status: str
    distance_m: float | None
    warnings: tuple[InspectionWarning, ...]
    photo_flags: tuple[tuple[PhotoFlag, ...], ...]

    @property
    def photos(self) -> int:
        """Return how many photos were stored."""
        return len(self.photo_flags)


def load_campaign(engine: Engine) -> CampaignDates:
    """Return the campaign period and flag-hanging window of the newest plan."""
    with read_session(engine) as s:
        plan = _newest_plan(s)
        if plan is None:
            return CampaignDates(None, None)
        referenced = [
            date.fromisoformat(str(doc["date"]))
            for doc in plan.implements or []
            if isinstance(doc, dict) and doc.get("date")
        ]
        return campaign_dates(
            plan.anniversary,
            plan.issued_on,
            min(referenced) if referenced else None,
            plan.flag_window_start,
            plan.flag_window_end,
        )


def _newest_plan(session: Session) -> Plan | None:
    return session.scalars(select(Plan).order_by(Plan.imported_at.desc(), Plan.id.desc())).first()


def _site_distance_m(geojson: str, lon: float, lat: float) -> float:
    """Return metres (UTM 48N) from (lon, lat) to a site's geometry."""
    return float(to_metric(from_geojson(geojson)).distance(to_metric(Point(lon, lat))))


def _parse_inputs(
    outcome: InspectionOutcome | str, defects: Iterable[Defect | str]
) -> tuple[InspectionOutcome, list[Defect]]:
    try:
        parsed = InspectionOutcome(outcome)
        listed = list(dict.fromkeys(Defect(d) for d in defects))
    except ValueError as exc:
        raise InvalidInput(str(exc), field="result") from exc
    return parsed, listed


def _precheck_site(engine: Engine, site_id: int, outcome: InspectionOutcome) -> None:
    """Refuse early (before any photo work) what the transaction would refuse anyway."""
    with read_session(engine) as s:
        site = s.get(Site, site_id)
        if site is None:
            raise NotFound(f"site {site_id}")
        _check_transition(SiteStatus(site.status), outcome)


def _check_transition(old: SiteStatus, outcome: InspectionOutcome) -> SiteStatus:
    new = status_after(old, outcome)
    if not can_transition(old, new):
        raise InvalidTransition(old=label(old), new=label(new))
    return new


def record_inspection(
    engine: Engine,
    actor: Actor,
    site_id: int,
    outcome: InspectionOutcome | str,
    defects: Iterable[Defect | str] = (),
    note: str = "",
    photos: Sequence[UploadedPhoto] = (),
    position: DevicePosition | None = None,
    flags_hung: int | None = None,
    flags_expected: int | None = None,
    now: datetime | None = None,
    store: PhotoStore | None = None,
) -> InspectionResult:
    """Save one inspection with its photos; 'needs fix' moves the site into the fix loop."""
    if actor.role not in MAY_INSPECT:
        raise NotAnInspector(f"{actor.role} may not record inspections")
    parsed, defect_list = _parse_inputs(outcome, defects)
    note = (note or "").strip()
    check_record(parsed, defect_list, len(photos), note)
    check_flags(flags_hung, flags_expected)
    if position is not None:
        check_position(engine, position.lon, position.lat)
    now = now or utcnow()
    campaign = load_campaign(engine)
    records_flags = flags_hung is not None
    if records_flags and not campaign.in_flag_window(now.astimezone(LOCAL_TZ).date()):
        raise FlagsOutsideWindow(
            "outside the flag window",
            start=format_date(campaign.flag_start),
            end=format_date(campaign.flag_end),
        )
    _precheck_site(engine, site_id, parsed)
    processed = [process_photo(photo) for photo in photos]
    store = store or photo_store()
    staged: list[StagedPhoto] = []
    try:
        for photo in processed:
            staged.append(store.stage(photo))
        with write_session(engine) as s:
            result = _write_inspection(
                s, actor, site_id, parsed, defect_list, note, processed, staged, position,
                (flags_hung, flags_expected), now, campaign,
            )  # fmt: skip
    except DomainError:
        store.discard(staged)
        raise
    except (OSError, SQLAlchemyError) as exc:
        store.discard(staged)
        log.exception("inspection of site %s not saved", site_id)
        raise InspectionNotSaved(str(exc)) from exc
    except BaseException:
        store.discard(staged)
        raise
    try:
        store.publish(staged)
    except OSError:
        # The rows are committed; PhotoStore.read and reconcile_photo_files finish the rename.
        log.exception("photos of inspection %s left under temporary names", result.inspection_id)
    return result


def _write_inspection(
    s: Session,
    actor: Actor,
    site_id: int,
    outcome: InspectionOutcome,
    defects: list[Defect],
    note: str,
    processed: list[ProcessedPhoto],
    staged: list[StagedPhoto],
    position: DevicePosition | None,
    flags: tuple[int | None, int | None],
    now: datetime,
    campaign: CampaignDates,
) -> InspectionResult:
    site = s.get(Site, site_id)
    if site is None:
        raise NotFound(f"site {site_id}")
    if site.status == SiteStatus.REMOVED.value:
        raise SiteRemoved("site removed")
    old = SiteStatus(site.status)
    new = _check_transition(old, outcome)
    distance = _site_distance_m(site.geojson, position.lon, position.lat) if position else None
    hung, expected = flags
    inspection = Inspection(
        site_id=site.id,
        inspector_id=actor.id,
        at=now,
        result=outcome.value,
        defects=[d.value for d in defects],
        note=note,
        device_lon=position.lon if position else None,
        device_lat=position.lat if position else None,
        device_accuracy_m=position.accuracy_m if position else None,
        distance_m=None if distance is None else round(distance, 1),
        flags_hung=hung,
        flags_expected=expected,
    )
    s.add(inspection)
    s.flush()
    all_flags: list[tuple[PhotoFlag, ...]] = []
    for photo, names in zip(processed, staged, strict=True):
        exif_distance = (
            _site_distance_m(site.geojson, photo.lon, photo.lat)
            if photo.lon is not None and photo.lat is not None
            else None
        )
        local_day = photo.taken_at.astimezone(LOCAL_TZ).date() if photo.taken_at else None
        flags_of_photo = tuple(
            photo_flags(photo.taken_at, exif_distance, now, campaign, local_day, hung is not None)
        )
        all_flags.append(flags_of_photo)
        s.add(
            Photo(
                inspection_id=inspection.id,
                file_name=names.file_name,
                thumb_name=names.thumb_name,
                width=photo.width,
                height=photo.height,
                size_bytes=len(photo.jpeg),
                sha256=photo.sha256,
                exif_taken_at=photo.taken_at,
                exif_lon=photo.lon,
                exif_lat=photo.lat,
                flags=[f.value for f in flags_of_photo],
            )
        )
    changes: dict[str, tuple[object, object]] = {}
    if new != old:
        changes["status"] = (old.value, new.value)
        if new == SiteStatus.INSTALLED and site.done_on is None:
            changes["done_on"] = (None, now.astimezone(LOCAL_TZ).date())
    if hung is not None and expected is not None:
        changes["flags_expected"] = (site.flags_expected, expected)
        changes["flags_hung"] = (site.flags_hung, hung)
    changes = {k: v for k, v in changes.items() if v[0] != v[1]}
    if changes:
        for name, (_, value) in changes.items():
            setattr(site, name, value)
        site.updated_by_id = actor.id
        site.updated_at = now
    user = s.get(User, actor.id) if actor.id is not None else None
    # The result itself goes into the history too, so a pass shows in the site's timeline.
    history = {**changes, "inspection": (None, f"{outcome.value} #{inspection.id}")}
    record_changes(s, site, history, user, ChangeSource.UI, action="inspection")
    s.flush()
    return InspectionResult(
        inspection_id=inspection.id,
        site_id=site.id,
        code=site.code,
        status=site.status,
        distance_m=inspection.distance_m,
        warnings=tuple(
            inspection_warnings(
                distance,
                position.accuracy_m if position else None,
                any(all_flags),
            )
        ),
        photo_flags=tuple(all_flags),
    )


# --- The fix loop -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FixItem:
    """A site waiting for its unit to fix it, with what the inspector found."""

    site_id: int
    code: str
    name: str
    ward_id: int | None
    ward: str | None
    street: str | None
    address: str
    version: int
    is_demo: bool
    since: datetime
    inspector: str | None
    defects: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class FixGroup:
    """The to-do list of one responsible unit (None: no unit assigned yet)."""

    unit_id: int | None
    unit: str | None
    items: tuple[FixItem, ...]


def fix_todo(engine: Engine) -> list[FixGroup]:
    """List the sites needing a fix, grouped by responsible unit, oldest first."""
    with read_session(engine) as s:
        rows = s.execute(
            select(Site, Unit.id, Unit.name, Unit.position, Ward.name, Street.name)
            .outerjoin(Unit, Site.unit_id == Unit.id)
            .outerjoin(Ward, Site.ward_id == Ward.id)
            .outerjoin(Street, Site.street_id == Street.id)
            .where(
                Site.status == SiteStatus.NEEDS_FIX.value,
                Site.approval == Approval.APPROVED.value,
            )
        ).all()
        ids = [row[0].id for row in rows]
        latest = (
            select(Inspection.site_id, func.max(Inspection.at).label("at"))
            .where(
                Inspection.site_id.in_(ids),
                Inspection.result == InspectionOutcome.NEEDS_FIX.value,
            )
            .group_by(Inspection.site_id)
            .subquery()
        )
        found = {
            insp.site_id: (insp, username)
            for insp, username in s.execute(
                select(Inspection, User.username)
                .join(
                    latest,
                    and_(Inspection.site_id == latest.c.site_id, Inspection.at == latest.c.at),
                )
                .outerjoin(User, Inspection.inspector_id == User.id)
            )
        }
        groups: dict[int | None, tuple[str | None, int, list[FixItem]]] = {}
        for site, unit_id, unit_name, position, ward, street in rows:
            insp, inspector = found.get(site.id, (None, None))
            item = FixItem(
                site_id=site.id,
                code=site.code,
                name=site.name,
                ward_id=site.ward_id,
                ward=ward,
                street=street,
                address=site.address,
                version=site.version,
                is_demo=site.is_demo,
                since=insp.at if insp else site.updated_at,
                inspector=inspector,
                defects=tuple(insp.defects) if insp else (),
                note=insp.note if insp else "",
            )
            rank = position if position is not None else 10**6
            groups.setdefault(unit_id, (unit_name, rank, []))[2].append(item)
    ordered = sorted(groups.items(), key=lambda kv: kv[1][1])
    return [
        FixGroup(unit_id, name, tuple(sorted(items, key=lambda i: (i.since, i.site_id))))
        for unit_id, (name, _, items) in ordered
    ]


# --- Flags ------------------------------------------------------------------------------------


def set_flag_window(engine: Engine, actor: Actor, start: date | None, end: date | None) -> None:
    """Set the flag-hanging window of the newest plan (both dates, or neither); admins only."""
    require_role(actor, ADMINS, "set the flag-hanging window")
    if (start is None) != (end is None):
        raise BadFlagWindow("give both dates or neither")
    if start is not None and end is not None and start > end:
        raise BadFlagWindow("window ends before it starts")
    with write_session(engine) as s:
        plan = _newest_plan(s)
        if plan is None:
            raise NotFound("no plan loaded")
        plan.flag_window_start = start
        plan.flag_window_end = end


def ward_flag_rates(engine: Engine) -> dict[int, tuple[int, int]]:
    """Return ward id → (flags hung, flags expected) over approved, not removed sites."""
    with read_session(engine) as s:
        rates = {ward_id: (0, 0) for ward_id in s.scalars(select(Ward.id).order_by(Ward.code))}
        rows = s.execute(
            select(Site.ward_id, func.sum(Site.flags_hung), func.sum(Site.flags_expected))
            .where(
                Site.approval == Approval.APPROVED.value,
                Site.status != SiteStatus.REMOVED.value,
                Site.ward_id.isnot(None),
            )
            .group_by(Site.ward_id)
        )
        for ward_id, hung, expected in rows:
            rates[ward_id] = (int(hung or 0), int(expected or 0))
    return rates


# --- Photos -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SitePhoto:
    """A stored photo of one of a site's inspections, with its thumbnail bytes."""

    photo_id: int
    inspection_id: int
    at: datetime
    inspector: str | None
    outcome: str
    flags: tuple[str, ...]
    thumb: bytes


def site_photos(
    engine: Engine, site_id: int, limit: int = 12, store: PhotoStore | None = None
) -> list[SitePhoto]:
    """Return the thumbnails of a site's inspection photos, newest first."""
    store = store or photo_store()
    with read_session(engine) as s:
        rows = s.execute(
            select(Photo, Inspection.at, Inspection.result, User.username)
            .join(Inspection, Photo.inspection_id == Inspection.id)
            .outerjoin(User, Inspection.inspector_id == User.id)
            .where(Inspection.site_id == site_id)
            .order_by(Inspection.at.desc(), Photo.id)
            .limit(limit)
        ).all()
    photos = []
    for photo, at, outcome, username in rows:
        try:
            thumb = store.read(photo.thumb_name)
        except (OSError, ValueError):
            log.exception("photo %s unreadable", photo.id)
            continue
        photos.append(
            SitePhoto(
                photo.id, photo.inspection_id, at, username, outcome, tuple(photo.flags), thumb
            )
        )
    return photos


def photo_bytes(engine: Engine, photo_id: int, store: PhotoStore | None = None) -> bytes:
    """Return the stored (clean) JPEG of one photo."""
    with read_session(engine) as s:
        photo = s.get(Photo, photo_id)
        if photo is None:
            raise NotFound(f"photo {photo_id}")
        name = photo.file_name
    return (store or photo_store()).read(name)


@dataclass(frozen=True)
class ReconcileReport:
    """What a sweep of the photo folder did after a crash."""

    promoted: int
    removed: int


def reconcile_photo_files(
    engine: Engine,
    store: PhotoStore | None = None,
    min_age: timedelta = RECONCILE_MIN_AGE,
) -> ReconcileReport:
    """Finish renames whose rows committed and delete files no row refers to (crash repair)."""
    store = store or photo_store()
    with read_session(engine) as s:
        referenced = set()
        for file_name, thumb_name in s.execute(select(Photo.file_name, Photo.thumb_name)):
            referenced.update((file_name, thumb_name))
    cutoff = time.time() - min_age.total_seconds()
    promoted = removed = 0
    for name in store.staged_names():
        if name in referenced:
            store.promote(name)
            promoted += 1
        elif store.temp_path(name).stat().st_mtime < cutoff:
            store.remove(name)
            removed += 1
    for name in store.stored_names() - referenced:
        if store.path(name).stat().st_mtime < cutoff:
            store.remove(name)
            removed += 1
    return ReconcileReport(promoted, removed)
