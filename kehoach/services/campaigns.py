"""Campaigns: which campaign a use case works on, its flag windows, closing it.

Every service that reads or writes sites works on one campaign. ``resolve_campaign`` (or
``campaign_id_in`` inside an open session) is the one place that decides which: the campaign
asked for, else the newest running one, else the newest one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, case, select
from sqlalchemy.orm import Session

from kehoach.db.engine import read_session, write_session
from kehoach.db.models import Campaign, FlagWindow, Plan, utcnow
from kehoach.domain.campaigns import (
    CampaignClosed,
    CampaignState,
    FlagTarget,
    FlagWindowDates,
    check_window,
)
from kehoach.domain.enums import Role
from kehoach.domain.errors import InvalidInput, NotFound
from kehoach.domain.inspection import CampaignDates
from kehoach.domain.permissions import Actor, require_role
from kehoach.services.site_rules import check_date

CAMPAIGN_MANAGERS = frozenset({Role.ADMIN, Role.STAFF})
WINDOW_EDITORS = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class WindowInfo(FlagWindowDates):
    """A stored flag window: its dates, targets and id."""

    id: int = 0


@dataclass(frozen=True)
class CampaignInfo:
    """A campaign as the app shows it: name, occasion, period, state, plan facts, windows."""

    id: int
    name: str
    occasion: str
    state: CampaignState
    start: date
    end: date
    plan_id: int | None = None
    plan_number: str | None = None
    anniversary: date | None = None
    report_deadline_day: int | None = None
    windows: tuple[WindowInfo, ...] = ()

    @property
    def closed(self) -> bool:
        """Tell whether the campaign has ended (its deployments are read-only)."""
        return self.state == CampaignState.CLOSED

    @property
    def title(self) -> str:
        """Return the occasion as a heading ("Kỷ niệm …"), else the campaign's name."""
        text = self.occasion or self.name
        return text[:1].upper() + text[1:]

    def in_flag_window(self, day: date) -> bool:
        """Tell whether ``day`` falls inside one of the campaign's flag windows."""
        return any(w.contains(day) for w in self.windows)

    def dates(self) -> CampaignDates:
        """Return the period and the first flag window as the inspection rules take them."""
        first = self.windows[0] if self.windows else None
        return CampaignDates(
            self.start,
            self.end,
            first.start if first else None,
            first.end if first else None,
            tuple((w.start, w.end) for w in self.windows),
        )

    def as_dict(self) -> dict[str, object]:
        """Return the campaign as JSON-ready values (ISO dates)."""
        return {
            "id": self.id,
            "name": self.name,
            "occasion": self.occasion,
            "state": self.state.value,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "plan_id": self.plan_id,
            "flag_windows": [
                {"id": w.id, "start": w.start.isoformat(), "end": w.end.isoformat(),
                 "applies_to": [t.value for t in w.applies_to]}
                for w in self.windows
            ],
        }


def _targets(values: Iterable[object]) -> tuple[FlagTarget, ...]:
    try:
        return tuple(FlagTarget(str(v)) for v in values)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="applies_to") from exc


def campaign_info(session: Session, campaign: Campaign) -> CampaignInfo:
    """Return what the app needs of a stored campaign (its plan's facts included)."""
    plan = session.get(Plan, campaign.plan_id) if campaign.plan_id else None
    return CampaignInfo(
        id=campaign.id,
        name=campaign.name,
        occasion=campaign.occasion,
        state=CampaignState(campaign.state),
        start=campaign.start_on,
        end=campaign.end_on,
        plan_id=campaign.plan_id,
        plan_number=plan.number if plan else None,
        anniversary=plan.anniversary if plan else None,
        report_deadline_day=plan.report_deadline_day if plan else None,
        windows=tuple(
            WindowInfo(w.start_on, w.end_on, _targets(w.applies_to or list(FlagTarget)), id=w.id)
            for w in campaign.flag_windows
        ),
    )


def campaign_in(session: Session, campaign_id: int | None = None) -> Campaign:
    """Return the campaign ``campaign_id``, or (None) the newest running, else newest, one."""
    if campaign_id is not None:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise NotFound(f"campaign {campaign_id}")
        return campaign
    running_first = case((Campaign.state == CampaignState.RUNNING.value, 0), else_=1)
    campaign = session.scalars(
        select(Campaign).order_by(running_first, Campaign.start_on.desc(), Campaign.id.desc())
    ).first()
    if campaign is None:
        raise NotFound("no campaign yet")
    return campaign


def campaign_id_in(session: Session, campaign_id: int | None = None) -> int:
    """Return the id of the campaign a use case works on (see ``campaign_in``)."""
    return campaign_in(session, campaign_id).id


def resolve_campaign(engine: Engine, campaign_id: int | None = None) -> CampaignInfo:
    """Return the campaign ``campaign_id``; None: the newest running one, else the newest."""
    with read_session(engine) as s:
        return campaign_info(s, campaign_in(s, campaign_id))


def find_campaign(engine: Engine, campaign_id: int | None = None) -> CampaignInfo | None:
    """Return ``resolve_campaign``'s answer, or None when there is no campaign yet."""
    try:
        return resolve_campaign(engine, campaign_id)
    except NotFound:
        if campaign_id is not None:
            raise
        return None


def open_campaign_in(session: Session, campaign_id: int | None = None) -> Campaign:
    """Return the campaign to write to; refuse a closed one with ``CampaignClosed``."""
    campaign = campaign_in(session, campaign_id)
    require_open(campaign)
    return campaign


def require_open(campaign: Campaign) -> None:
    """Refuse a write to a deployment of a closed campaign."""
    if campaign.state == CampaignState.CLOSED.value:
        raise CampaignClosed(f"campaign {campaign.id} is closed", name=campaign.name)


def list_campaigns(engine: Engine) -> list[CampaignInfo]:
    """Return every campaign, newest first."""
    with read_session(engine) as s:
        rows = s.scalars(select(Campaign).order_by(Campaign.start_on.desc(), Campaign.id.desc()))
        return [campaign_info(s, c) for c in rows]


def open_campaign(engine: Engine, actor: Actor, campaign_id: int) -> CampaignInfo:
    """Move a preparing campaign to running (a closed one stays closed); staff and admins."""
    require_role(actor, CAMPAIGN_MANAGERS, "open a campaign")
    with write_session(engine) as s:
        campaign = open_campaign_in(s, campaign_id)
        campaign.state = CampaignState.RUNNING.value
        s.flush()
        return campaign_info(s, campaign)


def close_campaign(engine: Engine, actor: Actor, campaign_id: int) -> CampaignInfo:
    """Close a campaign: its deployments become read-only; staff and admins only."""
    require_role(actor, CAMPAIGN_MANAGERS, "close a campaign")
    with write_session(engine) as s:
        campaign = campaign_in(s, campaign_id)
        if campaign.state != CampaignState.CLOSED.value:
            campaign.state = CampaignState.CLOSED.value
            campaign.closed_at = utcnow()
        s.flush()
        return campaign_info(s, campaign)


def add_flag_window(
    engine: Engine,
    actor: Actor,
    start: date | None,
    end: date | None,
    applies_to: Iterable[FlagTarget | str] = tuple(FlagTarget),
    campaign_id: int | None = None,
) -> int:
    """Add a flag-hanging window to a campaign (default: the current one); admins only."""
    require_role(actor, WINDOW_EDITORS, "set the flag-hanging window")
    check_window(start, end)
    targets = _targets(applies_to)
    if not targets:
        raise InvalidInput("a flag window applies to someone", field="applies_to")
    with write_session(engine) as s:
        campaign = open_campaign_in(s, campaign_id)
        check_date(campaign, start, "window_start")
        check_date(campaign, end, "window_end")
        window = FlagWindow(start_on=start, end_on=end, applies_to=[t.value for t in targets])
        campaign.flag_windows.append(window)
        s.flush()
        return window.id


def remove_flag_window(engine: Engine, actor: Actor, window_id: int) -> None:
    """Remove one flag-hanging window of an open campaign; admins only."""
    require_role(actor, WINDOW_EDITORS, "set the flag-hanging window")
    with write_session(engine) as s:
        window = s.get(FlagWindow, window_id)
        if window is None:
            raise NotFound(f"flag window {window_id}")
        require_open(window.campaign)
        s.delete(window)


def campaign_id_or_none(session: Session, campaign_id: int | None = None) -> int | None:
    """Return the id reads filter on; None when there is no campaign yet (nothing matches)."""
    try:
        return campaign_in(session, campaign_id).id
    except NotFound:
        if campaign_id is not None:
            raise
        return None


def campaign_id_for(engine: Engine, campaign_id: int | None = None) -> int | None:
    """Return ``campaign_id_or_none`` in a short read session of its own."""
    with read_session(engine) as s:
        return campaign_id_or_none(s, campaign_id)


def plan_id_of(session: Session, campaign_id: int | None = None) -> int | None:
    """Return the plan of a campaign (default: the current one), None without one."""
    try:
        return campaign_in(session, campaign_id).plan_id
    except NotFound:
        if campaign_id is not None:
            raise
        return None


def campaign_or_none(session: Session, campaign_id: int | None = None) -> Campaign | None:
    """Return ``campaign_in``'s campaign, or None when there is no campaign yet."""
    cid = campaign_id_or_none(session, campaign_id)
    return session.get(Campaign, cid) if cid is not None else None
