"""Stamps of the data the UI caches, so every app process sees a write from any other.

A cache keyed by a stamp is read afresh on the first rerun after a write anywhere (another
process, another machine on the same PostgreSQL): no time-to-live to wait out. The sites'
stamp is ``queries.site_list_version``; this module adds the reference data around them.
"""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from kehoach.db.engine import read_session
from kehoach.db.models import Campaign, Place, Plan, PlanStreet


def reference_version(engine: Engine) -> tuple[int, ...]:
    """Return a stamp that changes when a plan, campaign or place is added."""
    with read_session(engine) as s:
        row = s.execute(
            select(
                select(func.count(Plan.id)).scalar_subquery(),
                select(func.coalesce(func.max(Plan.id), 0)).scalar_subquery(),
                select(func.count(PlanStreet.id)).scalar_subquery(),
                select(func.count(Place.id)).scalar_subquery(),
                select(func.coalesce(func.max(Place.id), 0)).scalar_subquery(),
                # A new campaign (or a closed one) changes the current plan's main streets.
                select(func.coalesce(func.max(Campaign.id), 0)).scalar_subquery(),
                select(func.count(Campaign.closed_at)).scalar_subquery(),
            )
        ).one()
    return tuple(int(value) for value in row)
