"""Record an inspection with its photos; the status change goes through the one site change.

Inspectors are not site editors: the status change an inspection causes is written in the
inspection's own transaction by ``apply_site_change`` (same transition check, local done date
and history as an edit, action ``inspection``). Photo files and rows commit together or not
at all.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from shapely import Point
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kehoach.adapters.geometry import from_geojson, to_metric
from kehoach.adapters.photos import PhotoStore, ProcessedPhoto, StagedPhoto, process_photo
from kehoach.db.engine import read_session, write_session
from kehoach.db.models import Inspection, Photo, Site, User, utcnow
from kehoach.domain.clock import local_today
from kehoach.domain.enums import ChangeSource, Role, SiteStatus, can_transition
from kehoach.domain.errors import (
    DomainError,
    InvalidInput,
    InvalidTransition,
    NotFound,
    OutOfRange,
)
from kehoach.domain.inspection import (
    MAX_NOTE_CHARS,
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
    check_flags,
    check_record,
    inspection_warnings,
    photo_flags,
    status_after,
)
from kehoach.domain.permissions import INSPECTORS, Actor
from kehoach.i18n import format_date, label, t
from kehoach.services.campaigns import campaign_in, find_campaign, require_open
from kehoach.services.flag_counts import record_flag_count
from kehoach.services.history import record_changes
from kehoach.services.inspections.photos import photo_store
from kehoach.services.inspections.position import check_position
from kehoach.services.site_rules import check_counts_pair, check_text
from kehoach.services.sites import apply_site_change

log = logging.getLogger(__name__)

# Admins may do what inspectors do (they set up campaigns and check the tool works).
MAY_INSPECT = INSPECTORS | {Role.ADMIN}
MAX_DEFECTS = 4 * len(Defect)  # each kind once, with room for a device that repeats some


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


def load_campaign(engine: Engine, campaign_id: int | None = None) -> CampaignDates:
    """Return the period and flag-hanging windows of a campaign (default: the current one)."""
    campaign = find_campaign(engine, campaign_id)
    return campaign.dates() if campaign is not None else CampaignDates(None, None)


def _site_distance_m(geojson: str | None, lon: float, lat: float) -> float | None:
    """Return metres (UTM 48N) from (lon, lat) to a site's geometry (None: site unplaced)."""
    if geojson is None:
        return None
    return float(to_metric(from_geojson(geojson)).distance(to_metric(Point(lon, lat))))


def _parse_inputs(
    outcome: InspectionOutcome | str, defects: Iterable[Defect | str]
) -> tuple[InspectionOutcome, list[Defect]]:
    # Read one past the bound only: a caller's endless or huge list stops here.
    given = list(islice(defects, MAX_DEFECTS + 1))
    if len(given) > MAX_DEFECTS:
        raise OutOfRange(f"more than {MAX_DEFECTS} defects", field="defects",
                         what=t("field.defects"), low=0, high=MAX_DEFECTS)
    try:
        parsed = InspectionOutcome(outcome)
        listed = list(dict.fromkeys(Defect(d) for d in given))
    except ValueError as exc:
        raise InvalidInput(str(exc), field="result") from exc
    return parsed, listed


def _precheck_site(engine: Engine, site_id: int, outcome: InspectionOutcome) -> int:
    """Refuse early (before any photo work) what the transaction would refuse anyway.

    Returns the site's campaign (its flag windows decide whether flags may be counted).
    """
    with read_session(engine) as s:
        site = s.get(Site, site_id)
        if site is None:
            raise NotFound(f"site {site_id}")
        require_open(campaign_in(s, site.campaign_id))
        _check_transition(SiteStatus(site.status), outcome)
        return site.campaign_id


def _check_transition(old: SiteStatus, outcome: InspectionOutcome) -> SiteStatus:
    new = status_after(old, outcome)  # refuses a planned or removed site by name
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
    client_uuid: str | None = None,
) -> InspectionResult:
    """Save one inspection with its photos; 'needs fix' moves the site into the fix loop.

    ``client_uuid`` is the id a device gave an offline result (unique: stored once).
    """
    if actor.role not in MAY_INSPECT:
        raise NotAnInspector(f"{actor.role} may not record inspections")
    parsed, defect_list = _parse_inputs(outcome, defects)
    note = check_text(note or "", "note", MAX_NOTE_CHARS).strip()
    check_record(parsed, defect_list, len(photos), note)
    check_flags(flags_hung, flags_expected)  # in pairs
    if flags_hung is not None and flags_expected is not None:
        flags_hung, flags_expected = check_counts_pair(flags_hung, flags_expected)
    if position is not None:
        check_position(engine, position.lon, position.lat)
    now = now or utcnow()
    campaign = load_campaign(engine, _precheck_site(engine, site_id, parsed))
    records_flags = flags_hung is not None
    if records_flags and not campaign.in_flag_window(local_today(now)):
        raise FlagsOutsideWindow(
            "outside the flag window",
            start=format_date(campaign.flag_start),
            end=format_date(campaign.flag_end),
        )
    processed = [process_photo(photo) for photo in photos]
    store = store or photo_store()
    staged: list[StagedPhoto] = []
    try:
        for photo in processed:
            staged.append(store.stage(photo))
        with write_session(engine) as s:
            result = _write_inspection(
                s, actor, site_id, parsed, defect_list, note, processed, staged, position,
                (flags_hung, flags_expected), now, campaign, client_uuid,
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
    client_uuid: str | None = None,
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
        client_uuid=client_uuid,
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
        local_day = local_today(photo.taken_at) if photo.taken_at else None
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
    changes: dict[str, object] = {"status": new.value}
    if hung is not None and expected is not None:
        changes.update(flags_expected=expected, flags_hung=hung)
    # Inspectors are not site editors (role checked above); the change rules are the edit's.
    apply_site_change(
        s, site, actor, changes, ChangeSource.UI,
        action="inspection", check_permission=False, now=now,
    )  # fmt: skip
    if hung is not None and expected is not None:
        # The count lands in the row of the flag window it was made in (checked above).
        record_flag_count(s, site, local_today(now), expected, hung, actor.id, now)
    user = s.get(User, actor.id) if actor.id is not None else None
    # The result itself goes into the history too, so a pass shows in the site's timeline.
    result = {"inspection": (None, f"{outcome.value} #{inspection.id}")}
    record_changes(s, site, result, user, ChangeSource.UI, action="inspection", at=now)
    s.flush()
    inspection.site_version = site.version
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
