"""Decide the ward of a new site, letting a ward officer correct an approximate boundary.

Ward shapes are approximate (censusVN2009): a point a few metres over a boundary is often in
the officer's own ward on the ground. The position decides unless a ward is chosen; a ward
officer may choose their own ward for a point within ``WARD_CORRECTION_TOLERANCE_M`` of it.
"""

from __future__ import annotations

from shapely import Point
from sqlalchemy.orm import Session

from kehoach.adapters.geometry import to_metric
from kehoach.adapters.spatial import SpatialIndex
from kehoach.db.models import Ward
from kehoach.domain.enums import Role
from kehoach.domain.errors import PointFarFromWard, PointInOtherWard
from kehoach.domain.permissions import Actor

WARD_CORRECTION_TOLERANCE_M = 150


def _name(session: Session, ward_id: int | None) -> str:
    ward = session.get(Ward, ward_id) if ward_id is not None else None
    return ward.name if ward is not None else "—"


def ward_for_new_site(
    session: Session, index: SpatialIndex, actor: Actor, point: Point, chosen: int | None
) -> int | None:
    """Return the ward of a new site at ``point``; say which ward when it is not the officer's."""
    found = index.ward_at(point.x, point.y)
    if actor.role != Role.WARD_OFFICER or actor.ward_id is None:
        return chosen or found
    if chosen is None or chosen == found:
        if found is not None and found != actor.ward_id:
            raise PointInOtherWard(
                "point in another ward",
                ward=_name(session, found),
                own=_name(session, actor.ward_id),
                tolerance=WARD_CORRECTION_TOLERANCE_M,
            )
        return found
    if chosen == actor.ward_id:
        ward = to_metric(index.ward_geometry(chosen))
        distance = ward.distance(to_metric(point))
        if distance > WARD_CORRECTION_TOLERANCE_M:
            raise PointFarFromWard(
                "point too far from the chosen ward",
                ward=_name(session, found),
                own=_name(session, chosen),
                distance=round(distance),
                tolerance=WARD_CORRECTION_TOLERANCE_M,
            )
    return chosen  # another ward than their own: the permission check refuses it
