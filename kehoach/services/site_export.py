"""Export the stored sites: as rows of the summary table, or as machine-readable records.

Every export takes the acting user and refuses a role not in ``EXPORTERS``. The file itself
is written by the format adapter (``kehoach.adapters.summary_table.write_table``).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, Select, func, select

from kehoach.adapters.summary_table import (
    ADDRESS,
    KIND,
    LAT,
    LON,
    NOTE,
    QUANTITY,
    STATUS,
    STREET,
    STT,
    UNIT,
    WARD,
    Cell,
)
from kehoach.db.engine import read_session
from kehoach.db.models import Site, Street, Unit, Ward
from kehoach.domain.enums import Approval, SiteKind, SiteStatus
from kehoach.domain.permissions import EXPORTERS, Actor, require_role
from kehoach.i18n import label
from kehoach.services.campaigns import campaign_id_or_none


def _site_query(
    include_demo: bool, campaign_id: int | None, counted_only: bool = False
) -> Select[*tuple[Any, ...]]:
    query = (
        select(Site, Ward.name.label("ward_name"), Street.name.label("street_name"),
               Unit.name.label("unit_name"))
        .outerjoin(Ward, Site.ward_id == Ward.id)
        .outerjoin(Street, Site.street_id == Street.id)
        .outerjoin(Unit, Site.unit_id == Unit.id)
        .where(Site.campaign_id == campaign_id)
        .order_by(Site.id)
    )
    if counted_only:  # the summary table lists what the campaign counts: no rejected sites
        query = query.where(Site.approval != Approval.REJECTED.value)
    return query if include_demo else query.where(Site.is_demo.is_(False))


def count_exportable(
    engine: Engine, actor: Actor, include_demo: bool = True, campaign_id: int | None = None
) -> int:
    """Return how many sites of a campaign an export would hold, without reading them."""
    require_role(actor, EXPORTERS, "export sites")
    with read_session(engine) as session:
        cid = campaign_id_or_none(session, campaign_id)
        query = select(func.count(Site.id)).where(
            Site.campaign_id == cid, Site.approval != Approval.REJECTED.value
        )
        if not include_demo:
            query = query.where(Site.is_demo.is_(False))
        return int(session.scalar(query) or 0)


def export_sites(engine: Engine, actor: Actor, include_demo: bool = True,
                 campaign_id: int | None = None) -> list[dict[str, Cell]]:
    """Read a campaign's counted sites as summary-table rows (rejected new sites left out)."""
    require_role(actor, EXPORTERS, "export sites")
    with read_session(engine) as session:
        query = _site_query(include_demo, campaign_id_or_none(session, campaign_id), True)
        return [
            {
                STT: number, WARD: row.ward_name or "", STREET: row.street_name or "",
                ADDRESS: row.Site.address, KIND: label(SiteKind(row.Site.kind)),
                QUANTITY: row.Site.quantity, UNIT: row.unit_name or "",
                STATUS: label(SiteStatus(row.Site.status)),
                LON: round(row.Site.lon, 6), LAT: round(row.Site.lat, 6), NOTE: row.Site.note,
            }
            for number, row in enumerate(session.execute(query), start=1)
        ]


def export_site_records(engine: Engine, actor: Actor, include_demo: bool = True,
                        campaign_id: int | None = None) -> list[dict[str, Any]]:
    """Read a campaign's sites as machine-readable records with their GeoJSON geometry."""
    require_role(actor, EXPORTERS, "export sites")
    with read_session(engine) as session:
        query = _site_query(include_demo, campaign_id_or_none(session, campaign_id))
        return [
            {
                "id": row.Site.id, "code": row.Site.code, "kind": row.Site.kind,
                "status": row.Site.status, "street": row.street_name, "ward": row.ward_name,
                "unit": row.unit_name, "geometry": json.loads(row.Site.geojson),
                "version": row.Site.version, "is_demo": bool(row.Site.is_demo),
                "approval": row.Site.approval,
            }
            for row in session.execute(query)
        ]
