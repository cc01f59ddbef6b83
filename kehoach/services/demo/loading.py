"""Write the demo set into a campaign in one transaction, or clear it."""

from __future__ import annotations

import random

from sqlalchemy import Engine, delete, func, select

from kehoach.db.engine import write_session
from kehoach.db.models import FlagCount, Inspection, Photo, Plan, Position, Site, SiteEvent
from kehoach.domain.enums import ChangeSource
from kehoach.services.campaigns import campaign_id_or_none, open_campaign_in
from kehoach.services.demo.finalise import DemoCampaign, finalise
from kehoach.services.demo.generator import DemoGenerator
from kehoach.services.geography import load_spatial_index
from kehoach.services.history import record_created
from kehoach.services.positions import attach_position


def load_demo(engine: Engine, seed: int = 2024, campaign_id: int | None = None) -> int:
    """Generate the demo sites into a campaign (default: the current one); 0 if already there."""
    with write_session(engine) as session:
        campaign = open_campaign_in(session, campaign_id)
        demo = select(func.count()).select_from(Site).where(
            Site.is_demo, Site.campaign_id == campaign.id
        )
        if session.scalar(demo):
            return 0
        plan = session.get(Plan, campaign.plan_id) if campaign.plan_id else None
        target = DemoCampaign(
            id=campaign.id,
            day=(plan.anniversary if plan and plan.anniversary else None) or campaign.end_on,
            occasion=campaign.occasion or campaign.name,
            plan_id=campaign.plan_id,
        )
        index = load_spatial_index(session)
        drafts = DemoGenerator(session, index, random.Random(seed)).drafts()
        sites = finalise(session, drafts, random.Random(seed + 1), target)
        for site in sites:
            attach_position(session, site)
        session.add_all(sites)
        session.flush()
        for site in sites:
            record_created(session, site, user=None, source=ChangeSource.SYSTEM)
        return len(sites)


def clear_demo(engine: Engine, campaign_id: int | None = None) -> int:
    """Delete a campaign's demo sites with their history, inspections and photo rows."""
    with write_session(engine) as session:
        cid = campaign_id_or_none(session, campaign_id)
        mine = (Site.is_demo, Site.campaign_id == cid)
        demo_ids = select(Site.id).where(*mine).scalar_subquery()
        inspections = select(Inspection.id).where(Inspection.site_id.in_(demo_ids))
        count = session.scalar(select(func.count()).select_from(Site).where(*mine)) or 0
        session.execute(delete(Photo).where(Photo.inspection_id.in_(inspections.scalar_subquery())))
        session.execute(delete(Inspection).where(Inspection.site_id.in_(demo_ids)))
        session.execute(delete(FlagCount).where(FlagCount.site_id.in_(demo_ids)))
        # The only delete the database allows on site_event: events of demo sites (0005).
        session.execute(delete(SiteEvent).where(SiteEvent.site_id.in_(demo_ids)))
        session.execute(delete(Site).where(*mine).execution_options(synchronize_session=False))
        # Demo positions no campaign deploys any more go too.
        deployed = select(Site.position_id).where(Site.position_id.isnot(None))
        session.execute(
            delete(Position)
            .where(Position.is_demo, Position.id.not_in(deployed))
            .execution_options(synchronize_session=False)
        )
        return int(count)
