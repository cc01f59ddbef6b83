"""Offline inspection packs: gather a pack's sites, and import the results it gives back.

The rules are ODK Central's: every result carries the unique id its device gave it (stored
in ``inspection.client_uuid``), so sending a file again adds nothing; a result for a site
changed since the pack was made (its version differs) is returned as a conflict for the
inspector to confirm or drop, never applied silently; a file this server did not sign, or a
damaged one, is refused before anything is stored. Every result goes through
``record_inspection`` — the same service and rules as an online inspection — in its own
transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from kehoach.adapters.backup_signature import backup_key
from kehoach.adapters.geometry import metric_xy
from kehoach.adapters.offline_pack import build_pack_html
from kehoach.adapters.offline_results import (
    OfflineResult,
    ResultsFile,
    check_signature,
    pack_signature,
    read_results_file,
)
from kehoach.adapters.photos import PhotoStore
from kehoach.config import get_settings
from kehoach.db.engine import read_session
from kehoach.db.models import District, Inspection, Site, Street, Ward, utcnow
from kehoach.domain.enums import Approval, SiteKind, SiteStatus
from kehoach.domain.errors import DomainError, InvalidInput, NotFound
from kehoach.domain.inspection import Defect, DevicePosition, NotAnInspector, UploadedPhoto
from kehoach.domain.offline import MAX_PACK_SITES, MAX_RADIUS_M, PACK_FORMAT, EmptyPack
from kehoach.domain.permissions import Actor
from kehoach.domain.text import name_key
from kehoach.i18n import VI, format_number, label, t
from kehoach.services.campaigns import resolve_campaign
from kehoach.services.inspections.position import check_position
from kehoach.services.inspections.recording import (
    MAY_INSPECT,
    load_campaign,
    record_inspection,
)

# A device clock this far ahead of the server is not believed: the result is dated now.
CLOCK_SKEW = timedelta(minutes=5)
COORD_DIGITS = 6
JS_TEXTS = "offline.js."
IMPORT_WORKERS = 2


@dataclass(frozen=True)
class PackScope:
    """Which sites a pack holds: a ward (GSO code), a street (name) or a circle."""

    ward_code: str | None = None
    street: str | None = None
    near: tuple[float, float] | None = None  # lon, lat
    radius_m: float | None = None
    ward_id: int | None = None
    campaign_id: int | None = None  # None: the newest running campaign


@dataclass(frozen=True)
class PackContents:
    """Everything a pack page needs, as plain data (the adapter turns it into HTML)."""

    pack_id: str
    created_at: str  # ISO 8601, UTC
    signature: str
    plan: str
    scope: str
    base: dict[str, Any]
    sites: list[dict[str, Any]]
    flag_window: tuple[str, str] | None = None  # local dates, ISO


    def as_data(self) -> dict[str, Any]:
        """Return the pack's data document (what the page's script reads)."""
        return {
            "format": PACK_FORMAT,
            "pack_id": self.pack_id,
            "created_at": self.created_at,
            "sig": self.signature,
            "plan": self.plan,
            "scope": self.scope,
            "base": self.base,
            "sites": self.sites,
            "defects": [{"value": d.value, "label": label(d)} for d in Defect],
            "flag_window": self.flag_window,
        }


@dataclass(frozen=True)
class Conflict:
    """A result for a site changed since the pack was made: confirm it or drop it."""

    uuid: str
    site_id: int
    code: str
    name: str
    outcome: str
    recorded_at: datetime
    pack_version: int
    current_version: int
    current_status: str


@dataclass
class ImportReport:
    """What an import did: stored, already there, conflicts to decide, results refused."""

    stored: list[tuple[str, str]] = field(default_factory=list)  # uuid, site code
    duplicates: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # uuid, code, reason


def pack_key() -> bytes:
    """Return the secret that signs packs: KEHOACH_PACK_KEY, else derived from the backup key."""
    configured = get_settings().pack_key
    if configured:
        return configured.encode()
    return hmac.new(backup_key(), b"kehoach offline pack key", hashlib.sha256).digest()


def make_pack(
    engine: Engine, actor: Actor, scope: PackScope, now: datetime | None = None
) -> tuple[str, PackContents]:
    """Return a pack's page (one self-contained HTML file) and what it holds."""
    contents = gather_pack(engine, actor, scope, now)
    return build_pack_html(contents.as_data(), pack_texts()), contents


def pack_texts() -> dict[str, str]:
    """Return the pack page's Vietnamese texts from the catalogue."""
    texts = {k.removeprefix(JS_TEXTS): v for k, v in VI.items() if k.startswith(JS_TEXTS)}
    texts["title"] = t("offline.title")
    return texts


def gather_pack(
    engine: Engine, actor: Actor, scope: PackScope, now: datetime | None = None
) -> PackContents:
    """Collect a pack's sites (with their versions), base layers and signed id."""
    if actor.role not in MAY_INSPECT:
        raise NotAnInspector(f"{actor.role} may not take inspection packs")
    now = now or utcnow()
    created_at = now.isoformat(timespec="seconds")
    pack_id = uuid.uuid4().hex
    info = resolve_campaign(engine, scope.campaign_id)
    with read_session(engine) as s:
        ids, scope_text = _scope_sites(engine, s, scope, info.id)
        if not ids:
            raise EmptyPack("no site in the chosen area")
        campaign = load_campaign(engine, info.id)
        window = None
        if campaign.flag_start is not None and campaign.flag_end is not None:
            window = (campaign.flag_start.isoformat(), campaign.flag_end.isoformat())
        return PackContents(
            pack_id=pack_id,
            created_at=created_at,
            signature=pack_signature(pack_key(), pack_id, created_at),
            plan=info.title,
            scope=scope_text,
            base=_base_layers(s),
            sites=_site_rows(s, ids),
            flag_window=window,
        )


def _inspectable(campaign_id: int) -> Any:
    return (
        (Site.campaign_id == campaign_id)
        & (Site.approval == Approval.APPROVED.value)
        & (Site.status != SiteStatus.REMOVED.value)
    )


def _scope_sites(
    engine: Engine, s: Session, scope: PackScope, campaign_id: int
) -> tuple[list[int], str]:
    """Return the ids of the scope's sites (nearest first for a circle) and its description."""
    query = select(Site.id).where(_inspectable(campaign_id)).order_by(Site.id)
    if scope.ward_code or scope.ward_id is not None:
        ward = (
            s.get(Ward, scope.ward_id)
            if scope.ward_id is not None
            else s.scalar(select(Ward).where(Ward.code == str(scope.ward_code).strip()))
        )
        if ward is None:
            raise NotFound(f"ward {scope.ward_code or scope.ward_id}")
        ids = list(s.scalars(query.where(Site.ward_id == ward.id)))
        return ids[:MAX_PACK_SITES], t("offline.scope.ward", name=ward.full_name)
    if scope.street:
        key = name_key(scope.street)
        street = s.scalar(select(Street).where(Street.name_key == key)) or s.scalar(
            select(Street).where(func.lower(Street.name) == scope.street.strip().lower())
        )
        if street is None:
            raise NotFound(f"street {scope.street}")
        ids = list(s.scalars(query.where(Site.street_id == street.id)))
        return ids[:MAX_PACK_SITES], t("offline.scope.street", name=street.name)
    if scope.near is not None and scope.radius_m is not None:
        return _sites_near(engine, s, scope.near, scope.radius_m, campaign_id)
    raise InvalidInput("a pack needs a ward, a street or a position and radius", field="scope")


def _sites_near(
    engine: Engine, s: Session, near: tuple[float, float], radius_m: float, campaign_id: int
) -> tuple[list[int], str]:
    lon, lat = near
    if not 0 < radius_m <= MAX_RADIUS_M:
        raise InvalidInput(f"radius {radius_m} outside (0, {MAX_RADIUS_M}]", field="radius")
    check_position(engine, lon, lat)
    rows = s.execute(
        select(Site.id, Site.lon, Site.lat).where(_inspectable(campaign_id))
    ).all()
    if not rows:
        return [], ""
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    xs, ys = metric_xy(np.array([r[1] for r in rows]), np.array([r[2] for r in rows]))
    x0, y0 = metric_xy(lon, lat)
    distances = np.hypot(np.asarray(xs) - x0, np.asarray(ys) - y0)
    order = np.argsort(distances, kind="stable")
    inside = [int(ids[i]) for i in order if distances[i] <= radius_m]
    text = t("offline.scope.near", r=format_number(radius_m), lon=f"{lon:.5f}", lat=f"{lat:.5f}")
    return inside[:MAX_PACK_SITES], text


def _round_coords(coords: Any) -> Any:
    if isinstance(coords, list | tuple) and coords and isinstance(coords[0], int | float):
        return [round(float(c), COORD_DIGITS) for c in coords]
    return [_round_coords(c) for c in coords]


def _geometry(text: str) -> dict[str, Any]:
    geometry = json.loads(text)
    return {"type": geometry["type"], "coordinates": _round_coords(geometry["coordinates"])}


def _base_layers(s: Session) -> dict[str, Any]:
    """Return the district outline, wards and streets as plain GeoJSON geometries."""
    district = s.scalars(select(District)).first()
    return {
        "district": _geometry(district.geojson) if district else None,
        "wards": [
            {"name": w.name, "geometry": _geometry(w.geojson)}
            for w in s.scalars(select(Ward).order_by(Ward.code))
        ],
        "streets": [
            {"name": st.name, "geometry": _geometry(st.geojson)}
            for st in s.scalars(select(Street).order_by(Street.id))
        ],
    }


def _site_rows(s: Session, ids: list[int]) -> list[dict[str, Any]]:
    """Return the pack's sites in the given order, each with its version."""
    position = {site_id: n for n, site_id in enumerate(ids)}
    query = (
        select(Site, Street.name)
        .outerjoin(Street, Site.street_id == Street.id)
        .where(Site.id.in_(ids))
    )
    rows: list[dict[str, Any]] = []
    for site, street in s.execute(query):
        row: dict[str, Any] = {
            "id": site.id,
            "code": site.code,
            "name": site.name,
            "kind": site.kind,
            "kind_label": label(SiteKind(site.kind)),
            "status": site.status,
            "status_label": label(SiteStatus(site.status)),
            "street": street or "",
            "address": site.address,
            "lon": round(site.lon, COORD_DIGITS),
            "lat": round(site.lat, COORD_DIGITS),
            "version": site.version,
            "flags": site.kind in {SiteKind.NATIONAL_FLAG.value, SiteKind.FLAG_LINE.value},
            "flags_expected": site.flags_expected,
            "flags_hung": site.flags_hung,
        }
        if site.length_m and '"LineString"' in site.geojson:
            row["line"] = _geometry(site.geojson)["coordinates"]
        rows.append(row)
    rows.sort(key=lambda r: position[r["id"]])
    return rows


# --- Import -----------------------------------------------------------------------------------


def read_results(files: Sequence[bytes]) -> list[ResultsFile]:
    """Read and check every file (structure, sizes, this server's signature) before any write."""
    key = pack_key()
    parsed = [read_results_file(data) for data in files]
    for results in parsed:
        check_signature(key, results)
    return parsed


def import_results(
    engine: Engine,
    actor: Actor,
    files: Sequence[bytes],
    confirm: Collection[str] = (),
    store: PhotoStore | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Record every new result of the files (one transaction each); return what happened.

    Results already stored are skipped; results for sites changed since the pack was made are
    returned as conflicts unless their id is in ``confirm``; a result the inspection rules
    refuse is reported with its reason and the others are still stored.
    """
    if actor.role not in MAY_INSPECT:
        raise NotAnInspector(f"{actor.role} may not record inspections")
    documents = read_results(files)
    made = {r.uuid: _parse_time(doc.created_at) for doc in documents for r in doc.results}
    results = sorted(
        {r.uuid: r for doc in documents for r in doc.results}.values(),
        key=lambda r: (r.recorded_at, r.uuid),
    )
    now = now or utcnow()
    confirmed = {str(c).strip().lower() for c in confirm}
    report = ImportReport()
    known = _stored_uuids(engine, [r.uuid for r in results])
    report.duplicates.extend(r.uuid for r in results if r.uuid in known)
    by_site: dict[int, list[OfflineResult]] = {}
    for result in results:
        if result.uuid not in known:
            by_site.setdefault(result.site_id, []).append(result)

    def run(group: list[OfflineResult]) -> None:
        # One site's results in the order they were recorded (a later one may follow an
        # earlier one of the same pack); different sites in parallel, one transaction each.
        for result in group:
            conflict = _conflict(engine, result)
            if conflict is not None and result.uuid not in confirmed:
                report.conflicts.append(conflict)
                continue
            at = result.recorded_at
            if not made[result.uuid] - CLOCK_SKEW <= at <= now + CLOCK_SKEW:
                at = now  # the device clock was wrong: date the result by its arrival
            _apply(engine, actor, result, report, store, at)

    # Photo work (decode, re-encode) releases the GIL: two workers halve a large import.
    with ThreadPoolExecutor(max_workers=IMPORT_WORKERS) as pool:
        list(pool.map(run, by_site.values()))
    order = {r.uuid: n for n, r in enumerate(results)}
    report.stored.sort(key=lambda item: order[item[0]])
    report.conflicts.sort(key=lambda c: order[c.uuid])
    report.failed.sort(key=lambda item: order[item[0]])
    return report


def _stored_uuids(engine: Engine, uuids: list[str]) -> set[str]:
    found: set[str] = set()
    with read_session(engine) as s:
        for start in range(0, len(uuids), 500):
            chunk = uuids[start : start + 500]
            found.update(
                s.scalars(select(Inspection.client_uuid).where(Inspection.client_uuid.in_(chunk)))
            )
    return found


def _conflict(engine: Engine, result: OfflineResult) -> Conflict | None:
    """Return a conflict if the site changed since the pack (other than by this pack)."""
    with read_session(engine) as s:
        site = s.get(Site, result.site_id)
        if site is None or site.version == result.site_version:
            return None
        if result.after is not None:
            # The site may have changed only through this pack's own earlier result for it.
            left = s.scalar(
                select(Inspection.site_version).where(Inspection.client_uuid == result.after)
            )
            if left is not None and left == site.version:
                return None
        return Conflict(
            uuid=result.uuid,
            site_id=site.id,
            code=site.code,
            name=site.name,
            outcome=result.outcome,
            recorded_at=result.recorded_at,
            pack_version=result.site_version,
            current_version=site.version,
            current_status=site.status,
        )


def _apply(
    engine: Engine,
    actor: Actor,
    result: OfflineResult,
    report: ImportReport,
    store: PhotoStore | None,
    at: datetime,
) -> None:
    """Record one result through ``record_inspection``; a refusal is reported, not raised."""
    position = DevicePosition(*result.position) if result.position else None
    try:
        saved = record_inspection(
            engine, actor, result.site_id, result.outcome, result.defects, result.note,
            [UploadedPhoto(p.data, p.filename) for p in result.photos], position,
            flags_hung=result.flags_hung, flags_expected=result.flags_expected,
            now=at,
            store=store, client_uuid=result.uuid,
        )  # fmt: skip
    except DomainError as exc:
        if _stored_uuids(engine, [result.uuid]):  # sent at the same moment by someone else
            report.duplicates.append(result.uuid)
            return
        reason = t(exc.code, **exc.params)
        report.failed.append((result.uuid, _site_code(engine, result.site_id), reason))
        return
    report.stored.append((result.uuid, saved.code))


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _site_code(engine: Engine, site_id: int) -> str:
    with read_session(engine) as s:
        return s.scalar(select(Site.code).where(Site.id == site_id)) or f"#{site_id}"

