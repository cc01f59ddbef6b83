"""The inspector's lists: nearest sites, a street in walking order, one target site."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import shapely
from shapely import LineString, Point
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Engine, and_, func, select
from sqlalchemy.orm import Session

from kehoach.adapters.geometry import metric_xy, to_metric
from kehoach.db.engine import read_session
from kehoach.db.models import Inspection, Site, Street, utcnow
from kehoach.domain.enums import STRETCH_KINDS, Approval, SiteStatus
from kehoach.domain.inspection import InspectionOutcome
from kehoach.i18n import LOCAL_TZ
from kehoach.services.campaigns import campaign_id_or_none
from kehoach.services.geography import spatial_index
from kehoach.services.inspections.position import check_position

DEFAULT_NEAREST = 15


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
    rows: list[tuple[Any, ...]]
    lons: np.ndarray
    lats: np.ndarray
    stretch: np.ndarray  # bool: drawn as a line along the street
    half_lengths: np.ndarray  # metres: no point of a stretch is farther from its middle


def _candidates(
    session: Session,
    street_id: int | None = None,
    site_id: int | None = None,
    campaign_id: int | None = None,
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
        .where(Site.geojson.is_not(None))  # an unplaced site has no distance to anywhere
        .order_by(Site.id)
    )
    if street_id is not None:
        query = query.where(Site.street_id == street_id)
    if site_id is not None:
        query = query.where(Site.id == site_id)
    else:
        query = query.where(Site.campaign_id == campaign_id_or_none(session, campaign_id))
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


def _middle_distances(c: _Candidates, lon: float, lat: float) -> np.ndarray:
    """Return metres (UTM 48N) from (lon, lat) to each site's stored point (a stretch's middle)."""
    xs, ys = metric_xy(c.lons, c.lats)
    x0, y0 = metric_xy(lon, lat)
    dx, dy = np.asarray(xs, dtype=float) - x0, np.asarray(ys, dtype=float) - y0
    metres: np.ndarray = np.hypot(dx, dy)
    return metres


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
    row: tuple[Any, ...],
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
    campaign_id: int | None = None,
) -> list[NearSite]:
    """List a campaign's sites nearest to (lon, lat), nearest first, with last inspection."""
    check_position(engine, lon, lat)
    day_start = _local_day_start(now or utcnow())
    with read_session(engine) as s:
        c = _candidates(s, campaign_id=campaign_id)
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
    campaign_id: int | None = None,
) -> list[NearSite]:
    """List a street's sites (of a campaign) in walking order, from the nearer end."""
    index = spatial_index(engine)
    street_m = to_metric(index.street_geometry(street_id))
    day_start = _local_day_start(now or utcnow())
    with read_session(engine) as s:
        c = _candidates(s, street_id, campaign_id=campaign_id)
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
