"""Costs of new sites for Finance-Planning: estimated, approved and spent, by unit and source.

Rejected items are out of every total (they are counted apart). Finance-Planning comments on
an item's cost; the comment is a line of the site's append-only history.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, select

from kehoach.db.engine import read_session, write_session
from kehoach.db.models import Site, SiteEvent, User, utcnow
from kehoach.domain.enums import ChangeSource
from kehoach.domain.errors import InvalidInput, NotFound
from kehoach.domain.permissions import COST_COMMENTERS, COST_READERS, Actor, require_role
from kehoach.services.campaigns import campaign_id_or_none, campaign_in, require_open
from kehoach.services.queries import NEW_SITE_COST_FIELDS, cost_table, new_site_costs

MAX_COMMENT = 2000
COMMENT_ACTION = "cost_comment"


class EmptyComment(InvalidInput):
    code = "error.cost.comment_empty"


@dataclass(frozen=True)
class CostsOverview:
    """Costs of a campaign's new sites: per unit, per funding source, and what was rejected."""

    by_unit: pd.DataFrame  # unit, n, pending, estimated, approved, spent, rejected
    by_source: pd.DataFrame  # source (FundingSource value or "—"), same figures
    rejected: int
    rejected_estimated: int

    def total(self, column: str) -> int:
        """Return a column's total over the counted (not rejected) items."""
        return int(self.by_unit[column].sum()) if len(self.by_unit) else 0


def costs_overview(engine: Engine, actor: Actor, campaign_id: int | None = None) -> CostsOverview:
    """Return estimated, approved and spent costs per unit and per funding source."""
    require_role(actor, COST_READERS, "read costs")
    with read_session(engine) as s:
        cid = campaign_id_or_none(s, campaign_id)
        rows = s.execute(new_site_costs(cid)).all()
    frame = pd.DataFrame(rows, columns=NEW_SITE_COST_FIELDS)
    rejected = frame[frame["approval"] == "rejected"]
    return CostsOverview(
        by_unit=cost_table(frame, "unit"),
        by_source=cost_table(frame, "source"),
        rejected=len(rejected),
        rejected_estimated=int(rejected["estimated_cost"].fillna(0).sum()),
    )


def comment_on_costs(engine: Engine, actor: Actor, site_id: int, text: str) -> None:
    """Add Finance-Planning's comment on a new site's cost to the site's history."""
    require_role(actor, COST_COMMENTERS, "comment on costs")
    text = (text or "").strip()
    if not text:
        raise EmptyComment("a comment needs text", field="comment")
    if len(text) > MAX_COMMENT:
        raise InvalidInput(f"comment longer than {MAX_COMMENT}", field="comment")
    with write_session(engine) as s:
        site = s.get(Site, site_id)
        if site is None:
            raise NotFound(f"site {site_id}")
        require_open(campaign_in(s, site.campaign_id))
        user = s.get(User, actor.id) if actor.id is not None else None
        s.add(
            SiteEvent(
                site_id=site.id,
                at=utcnow(),
                user_id=user.id if user else None,
                username=user.username if user else actor.username,
                action=COMMENT_ACTION,
                field="cost",
                new_value=text,
                source=ChangeSource.UI.value,
            )
        )


def new_site_options(engine: Engine, campaign_id: int | None = None) -> dict[int, str]:
    """Return the campaign's new sites (not rejected) as id → "code — name", for pickers."""
    with read_session(engine) as s:
        cid = campaign_id_or_none(s, campaign_id)
        rows = s.execute(
            select(Site.id, Site.code, Site.name)
            .where(Site.is_new.is_(True), Site.campaign_id == cid, Site.approval != "rejected")
            .order_by(Site.code)
        ).all()
    return {site_id: f"{code} — {name}" for site_id, code, name in rows}
