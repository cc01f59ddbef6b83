"""Flag counts per flag window: what each deployment (site) expects and has hung, per window.

A campaign has any number of flag windows. An inspection that counts flags does so inside
one of them (the inspection refuses counts outside every window); its counts land in that
window's ``flag_count`` row for the site, replacing the window's earlier count. The site's
own ``flags_expected``/``flags_hung`` keep the latest count (the current window's figures),
so the map, the KPIs and the sites' history read as before; per-window rates come from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from kehoach.db.engine import read_session
from kehoach.db.models import FlagCount, FlagWindow, Site
from kehoach.domain.enums import Approval, SiteStatus
from kehoach.domain.inspection import FlagsOutsideWindow, check_flags
from kehoach.services.campaigns import campaign_id_or_none

WINDOW_RATE_COLUMNS = ("ward_id", "window_id", "start_on", "end_on", "hung", "expected", "share")


@dataclass(frozen=True)
class WindowRef:
    """A flag window as tables name it: its id and dates."""

    window_id: int
    start_on: date
    end_on: date

    @property
    def column(self) -> str:
        """Return the ward table's column holding this window's rate."""
        return f"flags_window_{self.window_id}"


def window_on(session: Session, campaign_id: int, day: date) -> FlagWindow | None:
    """Return the campaign's flag window holding ``day`` (the earliest-starting one if several)."""
    return session.scalars(
        select(FlagWindow)
        .where(
            FlagWindow.campaign_id == campaign_id,
            FlagWindow.start_on <= day,
            FlagWindow.end_on >= day,
        )
        .order_by(FlagWindow.start_on, FlagWindow.id)
    ).first()


def record_flag_count(
    session: Session,
    site: Site,
    day: date,
    expected: int,
    hung: int,
    user_id: int | None,
    now: datetime,
) -> FlagCount:
    """Write a site's flag count into the window holding ``day``; refuse bad counts.

    More flags hung than expected is refused by name (``BadFlagCounts``), and so is a day
    outside every window of the site's campaign (``FlagsOutsideWindow``).
    """
    check_flags(hung, expected)
    window = window_on(session, site.campaign_id, day)
    if window is None:
        raise FlagsOutsideWindow("outside every flag window", start="—", end="—")
    row = session.scalars(
        select(FlagCount).where(FlagCount.window_id == window.id, FlagCount.site_id == site.id)
    ).first()
    if row is None:
        row = FlagCount(window_id=window.id, site_id=site.id)
        session.add(row)
    row.expected, row.hung = expected, hung
    row.updated_at, row.updated_by_id = now, user_id
    return row


def flag_windows(engine: Engine, campaign_id: int | None = None) -> list[WindowRef]:
    """Return a campaign's flag windows in date order."""
    with read_session(engine) as s:
        cid = campaign_id_or_none(s, campaign_id)
        rows = s.execute(
            select(FlagWindow.id, FlagWindow.start_on, FlagWindow.end_on)
            .where(FlagWindow.campaign_id == cid)
            .order_by(FlagWindow.start_on, FlagWindow.id)
        ).all()
    return [WindowRef(*row) for row in rows]


def ward_window_rates(engine: Engine, campaign_id: int | None = None) -> pd.DataFrame:
    """Return per ward and flag window: flags hung, expected and the rate (hung/expected).

    Counts the campaign's live sites (not rejected, not removed); a ward without counts in a
    window has no row for it.
    """
    with read_session(engine) as s:
        cid = campaign_id_or_none(s, campaign_id)
        rows = s.execute(
            select(
                Site.ward_id,
                FlagWindow.id,
                FlagWindow.start_on,
                FlagWindow.end_on,
                func.sum(FlagCount.hung),
                func.sum(FlagCount.expected),
            )
            .join(FlagWindow, FlagWindow.id == FlagCount.window_id)
            .join(Site, Site.id == FlagCount.site_id)
            .where(
                FlagWindow.campaign_id == cid,
                Site.campaign_id == cid,
                Site.ward_id.isnot(None),
                Site.approval != Approval.REJECTED.value,
                Site.status != SiteStatus.REMOVED.value,
            )
            .group_by(Site.ward_id, FlagWindow.id, FlagWindow.start_on, FlagWindow.end_on)
            .order_by(Site.ward_id, FlagWindow.start_on)
        ).all()
    records = [
        (ward, window, start, end, int(hung or 0), int(expected or 0),
         (hung or 0) / expected if expected else None)
        for ward, window, start, end, hung, expected in rows
    ]  # fmt: skip
    return pd.DataFrame(records, columns=list(WINDOW_RATE_COLUMNS))
