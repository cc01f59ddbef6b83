"""Place the sites a summary table could not locate, and confirm the ones it guessed.

A row whose position text could not be read is stored "chưa định vị" (no geometry); a row
read from a street name alone, or from a crossing of streets that do not quite meet, is stored
at its guessed position and flagged ``needs_confirmation``. Staff place the first by tapping
the map or drawing the stretch, and confirm or move the second. Either is an ordinary,
historied edit of the site (``apply_site_change``), checked against the version the page read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from kehoach.adapters.geometry import length_m, to_geojson, validate_geometry
from kehoach.adapters.spatial import SpatialIndex
from kehoach.db.engine import read_session, retry_transient, write_session
from kehoach.db.models import Position, Site, Street
from kehoach.domain.enums import ChangeSource
from kehoach.domain.errors import InvalidGeometry, NotFound
from kehoach.domain.permissions import SITE_EDITORS, Actor, require_role
from kehoach.services.campaigns import campaign_id_or_none
from kehoach.services.geography import spatial_index
from kehoach.services.sites import UNPLACED, _conflict, apply_site_change

DRAWN = "drawn"  # placed or moved by a person on the map


@dataclass(frozen=True)
class SiteToPlace:
    """A site waiting for a person: unplaced, or placed by a guess to confirm."""

    id: int
    code: str
    kind: str
    position_text: str
    location_source: str
    street: str
    ward_id: int | None
    version: int
    geometry: dict[str, Any] | None  # GeoJSON of the guessed position; None when unplaced

    @property
    def unplaced(self) -> bool:
        """Tell whether the site has no position yet."""
        return self.geometry is None


def placement_changes(
    index: SpatialIndex, geometry: BaseGeometry, source: str = DRAWN, confirmed: bool = True
) -> dict[str, object]:
    """Return the site fields that put it at ``geometry`` (WGS84, checked inside the district)."""
    if geometry.geom_type not in ("Point", "LineString"):
        raise InvalidGeometry("a site is a point or a line")
    validate_geometry(geometry, index.district)
    line = geometry.geom_type == "LineString"
    point = geometry.interpolate(0.5, normalized=True) if line else geometry
    return {
        "geojson": to_geojson(geometry),
        "lon": round(point.x, 7),
        "lat": round(point.y, 7),
        "length_m": round(length_m(geometry), 1) if line else 0.0,
        "location_source": source,
        "needs_confirmation": not confirmed,
    }


def sites_to_place(
    engine: Engine, actor: Actor, campaign_id: int | None = None
) -> list[SiteToPlace]:
    """List a campaign's unplaced sites first, then those whose position needs confirming."""
    require_role(actor, SITE_EDITORS, "place sites")
    with read_session(engine) as session:
        cid = campaign_id_or_none(session, campaign_id)
        query = (
            select(Site, Street.name)
            .outerjoin(Street, Site.street_id == Street.id)
            .where(Site.campaign_id == cid)
            .where(or_(Site.geojson.is_(None), Site.needs_confirmation.is_(True)))
            .order_by(Site.geojson.is_not(None), Site.id)
        )
        return [
            SiteToPlace(
                id=site.id, code=site.code, kind=site.kind, position_text=site.position_text,
                location_source=site.location_source, street=street or "",
                ward_id=site.ward_id, version=site.version,
                geometry=json.loads(site.geojson) if site.geojson else None,
            )
            for site, street in session.execute(query)
        ]


def _fill_position(session: Session, site: Site) -> None:
    """Give the lasting position the site's first geometry (it had none while unplaced)."""
    position = session.get(Position, site.position_id) if site.position_id else None
    if position is not None and position.geojson is None:
        position.geojson, position.lon, position.lat = site.geojson, site.lon, site.lat
        position.length_m = site.length_m
        position.ward_id = position.ward_id or site.ward_id
        position.street_id = position.street_id or site.street_id


@retry_transient()
def place_site_at(
    engine: Engine,
    actor: Actor,
    site_id: int,
    expected_version: int,
    geometry: BaseGeometry | None = None,
    now: datetime | None = None,
) -> int:
    """Place, move or (``geometry`` None) confirm a site's position; return its new version."""
    index = spatial_index(engine)
    with write_session(engine) as session:
        site = session.get(Site, site_id)
        if site is None:
            raise NotFound(f"site {site_id}")
        if site.version != expected_version:
            raise _conflict(session, site)
        if geometry is None:
            if site.geojson is None:
                raise InvalidGeometry("an unplaced site needs a position")
            changes: dict[str, object] = {"needs_confirmation": False}
        else:
            changes = placement_changes(index, geometry)
            at = shapely.from_geojson(str(changes["geojson"]))
            middle = at if at.geom_type == "Point" else at.interpolate(0.5, normalized=True)
            if site.ward_id is None:
                changes["ward_id"] = index.ward_at(middle.x, middle.y)
            if site.street_id is None:
                nearest = index.nearest_street(middle.x, middle.y, max_m=30.0)
                changes["street_id"] = nearest[0] if nearest else None
        apply_site_change(session, site, actor, changes, ChangeSource.UI, now=now)
        _fill_position(session, site)
        session.flush()
        return site.version


__all__ = ["DRAWN", "UNPLACED", "SiteToPlace", "place_site_at", "placement_changes",
           "sites_to_place"]
