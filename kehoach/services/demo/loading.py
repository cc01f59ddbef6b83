"""Write the demo set into the database in one transaction, or clear it."""

from __future__ import annotations

import random

from sqlalchemy import Engine, delete, func, select

from kehoach.db.engine import write_session
from kehoach.db.models import Inspection, Photo, Site, SiteEvent
from kehoach.domain.enums import ChangeSource
from kehoach.services.demo.finalise import finalise
from kehoach.services.demo.generator import DemoGenerator
from kehoach.services.geography import load_spatial_index
from kehoach.services.history import record_created


def load_demo(engine: Engine, seed: int = 2024) -> int:
    """Generate the demo sites in one transaction; return how many (0 if already loaded)."""
    with write_session(engine) as session:
        if session.scalar(select(func.count()).select_from(Site).where(Site.is_demo)):
            return 0
        index = load_spatial_index(session)
        drafts = DemoGenerator(session, index, random.Random(seed)).drafts()
        sites = finalise(session, drafts, random.Random(seed + 1))
        session.add_all(sites)
        session.flush()
        for site in sites:
            record_created(session, site, user=None, source=ChangeSource.SYSTEM)
        return len(sites)


def clear_demo(engine: Engine) -> int:
    """Delete the demo sites with their history, inspections and photo rows; return count."""
    with write_session(engine) as session:
        demo_ids = select(Site.id).where(Site.is_demo).scalar_subquery()
        inspections = select(Inspection.id).where(Inspection.site_id.in_(demo_ids))
        count = session.scalar(select(func.count()).select_from(Site).where(Site.is_demo)) or 0
        session.execute(delete(Photo).where(Photo.inspection_id.in_(inspections.scalar_subquery())))
        session.execute(delete(Inspection).where(Inspection.site_id.in_(demo_ids)))
        # The only delete the database allows on site_event: events of demo sites (0005).
        session.execute(delete(SiteEvent).where(SiteEvent.site_id.in_(demo_ids)))
        session.execute(
            delete(Site).where(Site.is_demo).execution_options(synchronize_session=False)
        )
        return int(count)
