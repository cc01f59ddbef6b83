"""The fix loop: sites an inspector sent back, grouped by the unit that must fix them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, and_, func, select

from kehoach.db.engine import read_session
from kehoach.db.models import Inspection, Site, Street, Unit, User, Ward
from kehoach.domain.enums import Approval, SiteStatus
from kehoach.domain.inspection import InspectionOutcome
from kehoach.services.campaigns import campaign_id_or_none


@dataclass(frozen=True)
class FixItem:
    """A site waiting for its unit to fix it, with what the inspector found."""

    site_id: int
    code: str
    name: str
    ward_id: int | None
    ward: str | None
    street: str | None
    address: str
    version: int
    is_demo: bool
    since: datetime
    inspector: str | None
    defects: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class FixGroup:
    """The to-do list of one responsible unit (None: no unit assigned yet)."""

    unit_id: int | None
    unit: str | None
    items: tuple[FixItem, ...]


def fix_todo(engine: Engine, campaign_id: int | None = None) -> list[FixGroup]:
    """List a campaign's sites needing a fix, grouped by responsible unit, oldest first."""
    with read_session(engine) as s:
        cid = campaign_id_or_none(s, campaign_id)
        rows = s.execute(
            select(Site, Unit.id, Unit.name, Unit.position, Ward.name, Street.name)
            .outerjoin(Unit, Site.unit_id == Unit.id)
            .outerjoin(Ward, Site.ward_id == Ward.id)
            .outerjoin(Street, Site.street_id == Street.id)
            .where(
                Site.status == SiteStatus.NEEDS_FIX.value,
                Site.approval == Approval.APPROVED.value,
                Site.campaign_id == cid,
            )
        ).all()
        ids = [row[0].id for row in rows]
        latest = (
            select(Inspection.site_id, func.max(Inspection.at).label("at"))
            .where(
                Inspection.site_id.in_(ids),
                Inspection.result == InspectionOutcome.NEEDS_FIX.value,
            )
            .group_by(Inspection.site_id)
            .subquery()
        )
        found = {
            insp.site_id: (insp, username)
            for insp, username in s.execute(
                select(Inspection, User.username)
                .join(
                    latest,
                    and_(Inspection.site_id == latest.c.site_id, Inspection.at == latest.c.at),
                )
                .outerjoin(User, Inspection.inspector_id == User.id)
            )
        }
        groups: dict[int | None, tuple[str | None, int, list[FixItem]]] = {}
        for site, unit_id, unit_name, position, ward, street in rows:
            insp, inspector = found.get(site.id, (None, None))
            item = FixItem(
                site_id=site.id,
                code=site.code,
                name=site.name,
                ward_id=site.ward_id,
                ward=ward,
                street=street,
                address=site.address,
                version=site.version,
                is_demo=site.is_demo,
                since=insp.at if insp else site.updated_at,
                inspector=inspector,
                defects=tuple(insp.defects) if insp else (),
                note=insp.note if insp else "",
            )
            rank = position if position is not None else 10**6
            groups.setdefault(unit_id, (unit_name, rank, []))[2].append(item)
    ordered = sorted(groups.items(), key=lambda kv: kv[1][1])
    return [
        FixGroup(unit_id, name, tuple(sorted(items, key=lambda i: (i.since, i.site_id))))
        for unit_id, (name, _, items) in ordered
    ]
