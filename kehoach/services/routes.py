"""Ward routes (plan IV.13): the streets or stretches each ward registers with the district."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import aliased

from kehoach.adapters.geometry import length_m, to_geojson
from kehoach.db.engine import read_session, write_session
from kehoach.db.models import Street, User, Ward, WardRoute
from kehoach.domain.errors import InvalidGeometry, InvalidInput, NotFound
from kehoach.domain.permissions import Actor
from kehoach.domain.progress import RouteExists, require_route_edit
from kehoach.services.geography import spatial_index, street_layout
from kehoach.services.site_rules import check_lonlat, check_references, check_text

MAX_NAME = 300


@dataclass(frozen=True)
class RouteView:
    """A registered route with its ward, street and who registered it."""

    id: int
    ward_id: int
    ward: str
    street_id: int
    street: str
    name: str
    whole_street: bool
    length_m: float
    geojson: str | None
    created_at: datetime
    created_by: str | None


def register_route(
    engine: Engine,
    actor: Actor,
    street_id: int,
    ward_id: int | None = None,
    start: tuple[float, float] | None = None,
    end: tuple[float, float] | None = None,
    name: str = "",
) -> int:
    """Register a whole street (no ends) or the stretch between two points (lon, lat)."""
    ward_id = ward_id if ward_id is not None else actor.ward_id
    require_route_edit(actor, ward_id)
    if ward_id is None:
        raise InvalidInput("a route belongs to a ward", field="ward_id")
    if (start is None) != (end is None):
        raise InvalidInput("a stretch needs both ends", field="end")
    name = check_text(name, "route_name", MAX_NAME)
    with read_session(engine) as s:
        check_references(s, {"street_id": street_id, "ward_id": ward_id})
    index = spatial_index(engine)
    line = None
    if start is not None and end is not None:
        ends = check_lonlat(*start), check_lonlat(*end)
        if ends[0] == ends[1]:
            raise InvalidGeometry("a stretch needs two distinct ends")
        line = index.snap_stretch(street_id, *ends)  # refuses a stretch of (almost) no length
    # A whole street is as long as its corridor: a dual road counts once, as coverage counts it.
    whole_m = street_layout(engine).network.street_length(street_id) if line is None else 0.0
    with write_session(engine) as s:
        street = s.get(Street, street_id)
        if street is None:
            raise NotFound(f"street {street_id}")
        if s.get(Ward, ward_id) is None:
            raise NotFound(f"ward {ward_id}")
        if line is None and s.scalar(
            select(WardRoute.id).where(
                WardRoute.ward_id == ward_id,
                WardRoute.street_id == street_id,
                WardRoute.geojson.is_(None),
            )
        ):
            raise RouteExists("the ward already registered the whole street", street=street.name)
        route = WardRoute(
            ward_id=ward_id,
            street_id=street_id,
            name=name.strip() or street.name,
            geojson=to_geojson(line) if line is not None else None,
            length_m=round(length_m(line) if line is not None else whole_m, 1),
            created_by_id=actor.id,
        )
        s.add(route)
        s.flush()
        return route.id


def remove_route(engine: Engine, actor: Actor, route_id: int) -> None:
    """Remove a registered route (ward officers: their own ward's only)."""
    with write_session(engine) as s:
        route = s.get(WardRoute, route_id)
        if route is None:
            raise NotFound(f"route {route_id}")
        require_route_edit(actor, route.ward_id)
        s.delete(route)


def list_routes(engine: Engine, ward_id: int | None = None) -> list[RouteView]:
    """List the registered routes, by ward then street (of one ward if given)."""
    creator = aliased(User)
    query = (
        select(WardRoute, Ward.name, Street.name, creator.username)
        .join(Ward, WardRoute.ward_id == Ward.id)
        .join(Street, WardRoute.street_id == Street.id)
        .outerjoin(creator, WardRoute.created_by_id == creator.id)
        .order_by(Ward.code, Street.name, WardRoute.id)
    )
    if ward_id is not None:
        query = query.where(WardRoute.ward_id == ward_id)
    with read_session(engine) as s:
        return [
            RouteView(
                id=route.id,
                ward_id=route.ward_id,
                ward=ward,
                street_id=route.street_id,
                street=street,
                name=route.name,
                whole_street=route.geojson is None,
                length_m=route.length_m,
                geojson=route.geojson,
                created_at=route.created_at,
                created_by=by,
            )
            for route, ward, street, by in s.execute(query)
        ]
