"""Read the district, wards and streets from the database as plain data for the map adapters."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kehoach.adapters.spatial import SpatialIndex
from kehoach.db.models import District, Street, Ward
from kehoach.domain.errors import NotFound


def load_spatial_index(session: Session) -> SpatialIndex:
    """Build the spatial index from the District, Ward and Street rows of the database."""
    district = session.scalar(select(District.geojson).order_by(District.id).limit(1))
    if district is None:
        raise NotFound("the district is not loaded; run init_database first")
    wards = session.execute(select(Ward.id, Ward.geojson).order_by(Ward.id)).all()
    streets = session.execute(select(Street.id, Street.geojson).order_by(Street.id)).all()
    return SpatialIndex.from_records(district, wards, streets)
