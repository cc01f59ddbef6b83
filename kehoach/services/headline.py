"""The headline figures every surface shows: one function each, so they always agree.

Sites and completed sites come from ``compute_kpis`` over the campaign's site table (rejected
new sites left out); days to the anniversary from ``days_to`` on the local date. The home and
leader pages' KPI tiles, the reports page's clock and the district's documents all use these.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine, select

from kehoach.db.engine import read_session
from kehoach.db.models import Plan
from kehoach.domain.sites import Headline, days_to, headline_figures
from kehoach.services import queries
from kehoach.services.campaigns import plan_id_of
from kehoach.services.timeline import local_date


def anniversary_of(engine: Engine, campaign_id: int | None = None) -> date | None:
    """Return the anniversary of a campaign's plan (default: the current campaign)."""
    with read_session(engine) as s:
        plan_id = plan_id_of(s, campaign_id)
        if plan_id is None:
            return None
        return s.scalar(select(Plan.anniversary).where(Plan.id == plan_id))


def today() -> date:
    """Return the local date now (Asia/Ho_Chi_Minh)."""
    return local_date(datetime.now(UTC))


def days_to_anniversary(
    engine: Engine, campaign_id: int | None = None, on: date | None = None
) -> int | None:
    """Return the days left to the campaign's anniversary on ``on`` (default: today)."""
    return days_to(anniversary_of(engine, campaign_id), on or today())


def headline(engine: Engine, campaign_id: int | None = None, on: date | None = None) -> Headline:
    """Return the campaign's headline figures now (sites, completed, days left)."""
    sites = queries.load_sites(engine, campaign_id)
    return headline_figures(sites, anniversary_of(engine, campaign_id), on or today())
