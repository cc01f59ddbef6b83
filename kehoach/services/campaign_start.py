"""Start a campaign from a plan, copying chosen positions forward from an earlier campaign."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from kehoach.db.engine import read_session, write_session
from kehoach.db.models import (
    Campaign,
    FlagWindow,
    Plan,
    Position,
    Site,
    Street,
    Unit,
    User,
    Ward,
    utcnow,
)
from kehoach.domain.campaigns import (
    CampaignState,
    FlagTarget,
    FlagWindowDates,
    default_period,
    name_from_occasion,
    occasion_from_title,
)
from kehoach.domain.clock import local_today
from kehoach.domain.enums import Approval, ChangeSource, SiteKind, SiteStatus
from kehoach.domain.errors import InvalidInput, NotFound
from kehoach.domain.permissions import Actor, require_role
from kehoach.domain.text import name_key
from kehoach.services.campaigns import CAMPAIGN_MANAGERS, CampaignInfo, campaign_in, campaign_info
from kehoach.services.history import record_created
from kehoach.services.plans import store_plan
from kehoach.services.site_rules import check_period, check_text

MAX_CAMPAIGN_NAME = 200  # the name column (String(200))


@dataclass(frozen=True)
class CopyFilters:
    """Which positions to copy forward: all, or those of a ward, a street, a kind."""

    ward_code: str | None = None
    street_name: str | None = None
    kind: SiteKind | str | None = None


@dataclass(frozen=True)
class StartedCampaign:
    """A new campaign and how many deployments were copied into it."""

    campaign: CampaignInfo
    copied: int


def _plan_windows(plan: Plan) -> list[FlagWindowDates]:
    if plan.flag_window_start and plan.flag_window_end:
        return [FlagWindowDates(plan.flag_window_start, plan.flag_window_end)]
    return []


def _earliest_reference(plan: Plan) -> date | None:
    dates = [
        date.fromisoformat(str(doc["date"]))
        for doc in plan.implements or []
        if isinstance(doc, dict) and doc.get("date")
    ]
    return min(dates, default=None)


def _new_campaign(
    session: Session,
    plan: Plan,
    *,
    name: str | None,
    occasion: str | None,
    start: date | None,
    end: date | None,
    created_by_id: int | None,
    today: date,
) -> Campaign:
    if name:
        check_text(name, "campaign_name", MAX_CAMPAIGN_NAME)
    if occasion is not None:
        occasion = " ".join(check_text(occasion, "occasion").split())
    occasion = occasion_from_title(plan.title) if occasion is None else occasion
    windows = _plan_windows(plan)
    if start is None or end is None:
        default = default_period(
            plan.anniversary, plan.issued_on, _earliest_reference(plan), windows, today
        )
        start, end = start or default[0], end or default[1]
    check_period(start, end, "campaign_start", "campaign_end")
    name = " ".join((name or "").split()) or name_from_occasion(occasion, plan.title)
    if not name:
        raise InvalidInput("a campaign needs a name", field="name")
    state = CampaignState.PREPARING if start > today else CampaignState.RUNNING
    campaign = Campaign(
        name=name[:MAX_CAMPAIGN_NAME], occasion=occasion, plan_id=plan.id,
        start_on=start, end_on=end,
        state=state.value, created_by_id=created_by_id,
    )  # fmt: skip
    for window in windows:
        campaign.flag_windows.append(
            FlagWindow(start_on=window.start, end_on=window.end,
                       applies_to=[t.value for t in FlagTarget])
        )  # fmt: skip
    session.add(campaign)
    session.flush()
    return campaign


def first_campaign(session: Session, plan: Plan) -> Campaign | None:
    """Create the first campaign from ``plan`` when the database has none (``init``)."""
    if session.scalar(select(func.count(Campaign.id))):
        return None
    return _new_campaign(
        session, plan, name=None, occasion=None, start=None, end=None,
        created_by_id=None, today=local_today(utcnow()),
    )  # fmt: skip


def _source_sites(session: Session, source_id: int, filters: CopyFilters) -> list[Site]:
    query = select(Site).where(
        Site.campaign_id == source_id, Site.approval == Approval.APPROVED.value
    )
    if filters.ward_code:
        ward = session.scalar(select(Ward.id).where(Ward.code == filters.ward_code.strip()))
        if ward is None:
            raise InvalidInput(f"unknown ward {filters.ward_code}", field="ward")
        query = query.where(Site.ward_id == ward)
    if filters.street_name:
        street = session.scalar(
            select(Street.id).where(Street.name_key == name_key(filters.street_name))
        )
        if street is None:
            raise InvalidInput(f"unknown street {filters.street_name}", field="street")
        query = query.where(Site.street_id == street)
    if filters.kind:
        try:
            query = query.where(Site.kind == SiteKind(str(filters.kind)).value)
        except ValueError as exc:
            raise InvalidInput(str(exc), field="kind") from exc
    return list(session.scalars(query.order_by(Site.id)))


def _unit_map(session: Session, old_plan: int | None, new_plan: int | None) -> dict[int, int]:
    """Map the old plan's units to the new plan's units of the same name."""
    if old_plan == new_plan:
        return {u: u for u in session.scalars(select(Unit.id).where(Unit.plan_id == old_plan))}
    def units(plan_id: int | None) -> list[Unit]:
        return list(session.scalars(select(Unit).where(Unit.plan_id == plan_id)))

    new = {name_key(u.name): u.id for u in units(new_plan)}
    return {u.id: new[name_key(u.name)] for u in units(old_plan) if name_key(u.name) in new}


def ensure_position(session: Session, site: Site) -> Position:
    """Return the lasting position of a deployment, creating it from the site if missing."""
    if site.position_id is not None:
        position = session.get(Position, site.position_id)
        if position is not None:
            return position
    position = Position(
        code=site.code, kind=site.kind, name=site.name, geojson=site.geojson, lon=site.lon,
        lat=site.lat, length_m=site.length_m, ward_id=site.ward_id, street_id=site.street_id,
        place_id=site.place_id, address=site.address, is_demo=site.is_demo,
        created_by_id=site.created_by_id,
    )  # fmt: skip
    session.add(position)
    session.flush()
    site.position_id = position.id
    return position


def copy_forward(
    session: Session, source: Campaign, target: Campaign, actor: Actor, filters: CopyFilters
) -> int:
    """Deploy the chosen positions of ``source`` in ``target``, reset; return how many."""
    taken = set(session.scalars(select(Site.code).where(Site.campaign_id == target.id)))
    units = _unit_map(session, source.plan_id, target.plan_id)
    same_plan = source.plan_id == target.plan_id
    user = session.get(User, actor.id) if actor.id is not None else None
    copied = 0
    for old in _source_sites(session, source.id, filters):
        if old.code in taken:
            continue
        position = ensure_position(session, old)
        site = Site(
            campaign_id=target.id, position_id=position.id, code=position.code,
            name=old.name, kind=old.kind, status=SiteStatus.PLANNED.value,
            approval=Approval.APPROVED.value, geojson=position.geojson, lon=position.lon,
            lat=position.lat, length_m=position.length_m, ward_id=old.ward_id,
            street_id=old.street_id, place_id=old.place_id,
            unit_id=units.get(old.unit_id) if old.unit_id else None,
            task_id=old.task_id if same_plan else None, address=old.address,
            quantity=old.quantity, flags_expected=old.flags_expected, flags_hung=0,
            is_demo=old.is_demo, created_by_id=actor.id, updated_by_id=actor.id,
        )  # fmt: skip
        session.add(site)
        session.flush()
        record_created(session, site, user, ChangeSource.SYSTEM)
        taken.add(site.code)
        copied += 1
    return copied


def start_campaign(
    engine: Engine,
    actor: Actor,
    name: str | None = None,
    *,
    plan_file: Path | None = None,
    plan_id: int | None = None,
    occasion: str | None = None,
    start: date | None = None,
    end: date | None = None,
    copy_from: int | None = None,
    filters: CopyFilters = CopyFilters(),
    today: date | None = None,
) -> StartedCampaign:
    """Create a campaign from a plan (file or stored) and copy positions forward from one."""
    require_role(actor, CAMPAIGN_MANAGERS, "start a campaign")
    if (plan_file is None) == (plan_id is None):
        raise InvalidInput("give a plan file or a stored plan", field="plan")
    with write_session(engine) as s:
        plan = store_plan(s, plan_file)[0] if plan_file is not None else s.get(Plan, plan_id)
        if plan is None:
            raise NotFound(f"plan {plan_id}")
        source = campaign_in(s, copy_from) if copy_from is not None else None
        campaign = _new_campaign(
            s, plan, name=name, occasion=occasion, start=start, end=end,
            created_by_id=actor.id, today=today or local_today(utcnow()),
        )  # fmt: skip
        copied = copy_forward(s, source, campaign, actor, filters) if source else 0
        s.flush()
        return StartedCampaign(campaign_info(s, campaign), copied)


def deployment_count(engine: Engine, campaign_id: int) -> int:
    """Return how many sites a campaign has."""
    with read_session(engine) as s:
        query = select(func.count(Site.id)).where(Site.campaign_id == campaign_id)
        return int(s.scalar(query) or 0)
