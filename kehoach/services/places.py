"""Places staff register because the shipped OSM layer lacks them (HQs, notice boards...)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from kehoach.adapters.geometry import validate_lonlat
from kehoach.db.engine import write_session
from kehoach.db.models import Place
from kehoach.domain.errors import InvalidInput
from kehoach.domain.permissions import Actor, require_site_edit
from kehoach.services.geography import spatial_index

PLACE_KINDS = (
    "district_hq",
    "ward_hq",
    "notice_board",
    "school",
    "kindergarten",
    "government",
    "culture",
    "park",
    "other",
)


@dataclass(frozen=True)
class NewPlace:
    """A place to register: name, kind, position, optional address."""

    name: str
    kind: str
    lon: float
    lat: float
    address: str = ""


def create_place(engine: Engine, actor: Actor, new: NewPlace) -> int:
    """Register a place inside the district; the ward comes from its position."""
    if not new.name.strip() or len(new.name) > 300:
        raise InvalidInput("a place needs a name of at most 300 characters", field="name")
    if new.kind not in PLACE_KINDS:
        raise InvalidInput(f"unknown place kind {new.kind}", field="kind")
    index = spatial_index(engine)
    validate_lonlat(new.lon, new.lat, index.district)
    ward_id = index.ward_at(new.lon, new.lat)
    require_site_edit(actor, ward_id)
    with write_session(engine) as s:
        place = Place(
            name=new.name.strip(),
            kind=new.kind,
            lon=new.lon,
            lat=new.lat,
            ward_id=ward_id,
            address=new.address.strip(),
            source=f"registered by {actor.username}",
            created_by_id=actor.id,
        )
        s.add(place)
        s.flush()
        return place.id
