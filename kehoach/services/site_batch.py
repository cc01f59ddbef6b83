"""Add many checked sites in one transaction with a few statements, not a few per site.

The import stores thousands of rows at once. Each row is checked exactly as ``place_site``
checks one (``build_site``: geometry, ward, permission, street, counts); what is batched is
the database work: codes are handed out from one read, positions and sites are inserted in
bulk, and the "created" history events follow in one more insert.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from kehoach.adapters.spatial import SpatialIndex
from kehoach.db.models import Position, Site, SiteEvent, User, utcnow
from kehoach.domain.enums import ChangeSource
from kehoach.domain.errors import DomainError, InvalidInput
from kehoach.domain.permissions import Actor
from kehoach.services.campaigns import open_campaign_in
from kehoach.services.sites import NewSite, build_site, new_position


class SiteRefused(Exception):
    """A site of the batch failed its checks: which one (0-based) and why."""

    def __init__(self, index: int, cause: DomainError) -> None:
        super().__init__(f"site {index}: {cause}")
        self.index, self.cause = index, cause


class _Codes:
    """Hand out position codes not used yet, from one read of the codes in use."""

    def __init__(self, session: Session) -> None:
        self.used = set(session.scalars(select(Position.code)))
        self.number = max(
            session.scalar(select(Position.id).order_by(Position.id.desc()).limit(1)) or 0,
            session.scalar(select(Site.id).order_by(Site.id.desc()).limit(1)) or 0,
        )

    def next(self) -> str:
        while True:
            self.number += 1
            code = f"TX-{self.number:05d}"
            if code not in self.used:
                self.used.add(code)
                return code


def place_sites(
    session: Session,
    index: SpatialIndex,
    actor: Actor,
    rows: Sequence[tuple[NewSite, str | None]],
    source: ChangeSource,
    campaign_id: int | None = None,
) -> list[int]:
    """Check and add sites (with a code to keep, or None) of one campaign; return their ids.

    Raise ``SiteRefused`` naming the first site that fails a check; nothing is added then.
    """
    campaign = open_campaign_in(session, campaign_id)
    taken = set(session.scalars(select(Site.code).where(Site.campaign_id == campaign.id)))
    codes = _Codes(session)
    sites: list[Site] = []
    for number, (new, code) in enumerate(rows):
        code = code or codes.next()
        try:
            if code in taken:
                raise InvalidInput(f"code {code} already used in this campaign", field="code")
            sites.append(build_site(session, index, actor, new, campaign.id, code))
        except DomainError as exc:
            raise SiteRefused(number, exc) from exc
        taken.add(code)
    if not sites:
        return []
    codes_of = [site.code for site in sites]
    found = session.execute(select(Position.code, Position.id).where(Position.code.in_(codes_of)))
    positions: dict[str, int] = {code: position_id for code, position_id in found}
    fresh = [new_position(site) for site in sites if site.code not in positions]
    if fresh:
        ids = _insert(session, Position, fresh)
        positions |= {p.code: i for p, i in zip(fresh, ids, strict=True)}
    now = utcnow()
    for site in sites:
        site.position_id = positions[site.code]
        site.version = 1  # what the ORM's version counter starts at
        site.created_at = site.updated_at = now
    site_ids = _insert(session, Site, sites)
    user = session.get(User, actor.id) if actor.id is not None else None
    events = SiteEvent.__table__
    assert isinstance(events, Table)
    session.connection().execute(insert(events), [
        {"site_id": i, "at": now, "user_id": user.id if user else None,
         "username": user.username if user else source.value, "action": "created",
         "field": None, "old_value": None, "new_value": None, "source": source.value}
        for i in site_ids
    ])
    return site_ids


def _insert(session: Session, model: type[Position] | type[Site],
            objects: Sequence[Position | Site]) -> list[int]:
    """Insert unsaved objects in one statement (executemany); return their new ids in order.

    ORM objects are kept for their checks and defaults, but thousands of ORM inserts cost
    seconds; the values they were given go to a Core insert instead.
    """
    columns = [c.key for c in model.__table__.columns if c.key != "id"]
    rows = [{k: v for k, v in vars(o).items() if k in columns} for o in objects]
    keys = set().union(*rows)
    for row in rows:  # executemany needs the same keys in every row
        for key in keys - row.keys():
            row[key] = None
    table = Site.__table__ if model is Site else Position.__table__
    assert isinstance(table, Table)
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.connection().execute(statement, rows).scalars())
