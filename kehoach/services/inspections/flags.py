"""The flag-hanging window of the campaign and each ward's flag rate."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, func, select

from kehoach.db.engine import read_session, write_session
from kehoach.db.models import Site, Ward
from kehoach.domain.enums import Approval, Role, SiteStatus
from kehoach.domain.errors import NotFound
from kehoach.domain.inspection import BadFlagWindow
from kehoach.domain.permissions import Actor, require_role
from kehoach.services.inspections.recording import newest_plan

ADMINS = frozenset({Role.ADMIN})


def set_flag_window(engine: Engine, actor: Actor, start: date | None, end: date | None) -> None:
    """Set the flag-hanging window of the newest plan (both dates, or neither); admins only."""
    require_role(actor, ADMINS, "set the flag-hanging window")
    if (start is None) != (end is None):
        raise BadFlagWindow("give both dates or neither")
    if start is not None and end is not None and start > end:
        raise BadFlagWindow("window ends before it starts")
    with write_session(engine) as s:
        plan = newest_plan(s)
        if plan is None:
            raise NotFound("no plan loaded")
        plan.flag_window_start = start
        plan.flag_window_end = end


def ward_flag_rates(engine: Engine) -> dict[int, tuple[int, int]]:
    """Return ward id → (flags hung, flags expected) over approved, not removed sites."""
    with read_session(engine) as s:
        rates = {ward_id: (0, 0) for ward_id in s.scalars(select(Ward.id).order_by(Ward.code))}
        rows = s.execute(
            select(Site.ward_id, func.sum(Site.flags_hung), func.sum(Site.flags_expected))
            .where(
                Site.approval == Approval.APPROVED.value,
                Site.status != SiteStatus.REMOVED.value,
                Site.ward_id.isnot(None),
            )
            .group_by(Site.ward_id)
        )
        for ward_id, hung, expected in rows:
            assert ward_id is not None  # the query keeps wards only
            rates[ward_id] = (int(hung or 0), int(expected or 0))
    return rates
