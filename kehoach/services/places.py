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
from kehoach.services.site_rules import check_lonlat, check_text

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

MAX_TEXT = 300  # the name and address columns (String(300))


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
    if not check_text(new.name, "place_name", MAX_TEXT).strip():
        raise InvalidInput("a place needs a name", field="place_name")
    check_text(new.address, "address", MAX_TEXT)
    if new.kind not in PLACE_KINDS:
        raise InvalidInput(f"unknown place kind {new.kind}", field="kind")
    lon, lat = check_lonlat(new.lon, new.lat)
    index = spatial_index(engine)
    validate_lonlat(lon, lat, index.district)
    ward_id = index.ward_at(lon, lat)
    require_site_edit(actor, ward_id)
    with write_session(engine) as s:
        place = Place(
            name=new.name.strip(),
            kind=new.kind,
            lon=lon,
            lat=lat,
            ward_id=ward_id,
            address=new.address.strip(),
            source=f"registered by {actor.username}",
            created_by_id=actor.id,
        )
        s.add(place)
        s.flush()
        return place.id
