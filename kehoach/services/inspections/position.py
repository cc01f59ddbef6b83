"""Where am I: check a device position against the district, list a ward's streets."""

from __future__ import annotations

import math

from shapely import Point
from sqlalchemy import Engine, select

from kehoach.adapters.geometry import to_metric
from kehoach.db.engine import read_session
from kehoach.db.models import Street
from kehoach.domain.errors import InvalidGeometry, OutsideDistrict, SwappedCoordinates
from kehoach.services.geography import district_zone, spatial_index
from kehoach.services.queries import Option


def check_position(engine: Engine, lon: float, lat: float) -> None:
    """Refuse a device position that is not numbers, swapped, or outside the district."""
    for value in (lon, lat):
        if not isinstance(value, (int, float)) or not math.isfinite(value):
            raise InvalidGeometry("coordinates must be numbers")
    if spatial_index(engine).district.covers(Point(lat, lon)):
        raise SwappedCoordinates("latitude and longitude are swapped", swapped=True)
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidGeometry("coordinates out of range")
    zone = district_zone(engine)
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
