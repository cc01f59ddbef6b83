"""Lasting positions: the code a new one gets and the position a new deployment stands at."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kehoach.db.engine import numbers_from_sequence, reserve_numbers
from kehoach.db.models import Position, Site


def code_of(number: int) -> str:
    """Return the position code numbered ``number``."""
    return f"TX-{number:05d}"


def next_code(session: Session) -> str:
    """Return a position code not used yet (codes last across campaigns).

    On PostgreSQL the number comes from the position id sequence, as an import's codes do, so
    a code cannot collide with one of an import committing at the same time (imports there do
    not wait for other writers, nor they for it); on SQLite, with one writer at a time, it is
    the next number after the highest position or site id.
    """
    if numbers_from_sequence(session):
        while True:
            code = code_of(reserve_numbers(session, 1)[0])
            if session.scalar(select(Position.id).where(Position.code == code)) is None:
                return code
    number = max(
        session.scalar(select(func.max(Position.id))) or 0,
        session.scalar(select(func.max(Site.id))) or 0,
    )
    while True:
        number += 1
        code = code_of(number)
        if session.scalar(select(Position.id).where(Position.code == code)) is None:
            return code


def attach_position(session: Session, site: Site) -> Position:
    """Link a new deployment to the lasting position of its code, added where it stands."""
    position = session.scalar(select(Position).where(Position.code == site.code))
    if position is None:
        position = new_position(site)
        session.add(position)
        session.flush()
    site.position_id = position.id
    return position


def new_position(site: Site) -> Position:
    """Return the lasting position a new site stands at (unsaved), copied from the site."""
    return Position(
        code=site.code, kind=site.kind, name=site.name, geojson=site.geojson, lon=site.lon,
        lat=site.lat, length_m=site.length_m, ward_id=site.ward_id, street_id=site.street_id,
        place_id=site.place_id, address=site.address, is_demo=site.is_demo,
        created_by_id=site.created_by_id,
    )  # fmt: skip
