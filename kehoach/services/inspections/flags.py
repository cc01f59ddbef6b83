"""The flag-hanging window of the campaign and each ward's flag rate."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, func, select

from kehoach.db.engine import read_session, write_session
from kehoach.db.models import FlagWindow, Site, Ward
from kehoach.domain.campaigns import FlagTarget, check_window
from kehoach.domain.enums import Approval, Role, SiteStatus
from kehoach.domain.inspection import BadFlagWindow
from kehoach.domain.permissions import Actor, require_role
from kehoach.services.campaigns import campaign_id_or_none, open_campaign_in
from kehoach.services.site_rules import check_date

ADMINS = frozenset({Role.ADMIN})


def set_flag_window(
    engine: Engine,
    actor: Actor,
    start: date | None,
    end: date | None,
    campaign_id: int | None = None,
) -> None:
    """Make (start, end) the only flag-hanging window of a campaign (None, None: no window).

    Kept for callers of the one-window era; ``campaigns.add_flag_window`` and
    ``remove_flag_window`` edit a campaign's windows one by one. Admins only.
    """
    require_role(actor, ADMINS, "set the flag-hanging window")
    if (start is None) != (end is None):
        raise BadFlagWindow("give both dates or neither")
    if start is not None and end is not None:
        check_window(start, end)
    with write_session(engine) as s:
        campaign = open_campaign_in(s, campaign_id)
        check_date(campaign, start, "window_start")
        check_date(campaign, end, "window_end")
        campaign.flag_windows.clear()
        if start is not None and end is not None:
            campaign.flag_windows.append(
                FlagWindow(start_on=start, end_on=end, applies_to=[t.value for t in FlagTarget])
            )


def ward_flag_rates(engine: Engine, campaign_id: int | None = None) -> dict[int, tuple[int, int]]:
    """Return ward id → (flags hung, flags expected) over a campaign's approved, live sites."""
    with read_session(engine) as s:
        cid = campaign_id_or_none(s, campaign_id)
        rates = {ward_id: (0, 0) for ward_id in s.scalars(select(Ward.id).order_by(Ward.code))}
        rows = s.execute(
            select(Site.ward_id, func.sum(Site.flags_hung), func.sum(Site.flags_expected))
            .where(
                Site.approval == Approval.APPROVED.value,
                Site.status != SiteStatus.REMOVED.value,
                Site.ward_id.isnot(None),
                Site.campaign_id == cid,
            )
            .group_by(Site.ward_id)
        )
        for ward_id, hung, expected in rows:
            assert ward_id is not None  # the query keeps wards only
            rates[ward_id] = (int(hung or 0), int(expected or 0))
    return rates
