"""Export the stored sites: as rows of the summary table, or as machine-readable records.

Every export takes the acting user and refuses a role not in ``EXPORTERS``. The file itself
is written by the format adapter (``kehoach.adapters.summary_table.write_table``).
"""

from __future__ import annotations

import json
from typing import Any

import shapely
from sqlalchemy import Engine, Select, func, select

from kehoach.adapters.summary_table import (
    ADDRESS,
    CODE,
    CONTENT,
    FLAGS_EXPECTED,
    FLAGS_HUNG,
    GEOMETRY,
    INSTALL,
    KIND,
    LAT,
    LON,
    NOTE,
    QUANTITY,
    REMOVE,
    SIZE,
    STATUS,
    STREET,
    STT,
    TASK,
    UNIT,
    VERSION,
    WARD,
    Cell,
)
from kehoach.db.engine import read_session
from kehoach.db.models import Site, Street, Task, Unit, Ward
from kehoach.domain.enums import Approval, SiteKind, SiteStatus
from kehoach.domain.permissions import EXPORTERS, Actor, require_role
from kehoach.i18n import label
from kehoach.services.campaigns import campaign_id_or_none


def _site_query(
    include_demo: bool, campaign_id: int | None, counted_only: bool = False
) -> Select[*tuple[Any, ...]]:
    query = (
        select(Site, Ward.name.label("ward_name"), Street.name.label("street_name"),
               Unit.name.label("unit_name"), Task.text.label("task_text"))
        .outerjoin(Ward, Site.ward_id == Ward.id)
        .outerjoin(Task, Site.task_id == Task.id)
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
                LON: _round(row.Site.lon), LAT: _round(row.Site.lat), NOTE: row.Site.note,
                **_round_trip(row.Site, row.task_text),
            }
            for number, row in enumerate(session.execute(query), start=1)
        ]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def geometry_text(geojson: str | None) -> str:
    """Return a stored geometry as WKT with 6 decimals (about 0.1 m); "" when unplaced."""
    if not geojson:
        return ""
    return str(shapely.to_wkt(shapely.from_geojson(geojson), rounding_precision=6, trim=True))


def _round_trip(site: Site, task_text: str | None) -> dict[str, Cell]:
    """Return the columns a re-import needs to update this very site (see site_update_rows)."""
    task = f"{site.task_id}. {(task_text or '')[:60]}" if site.task_id else ""
    return {
        CODE: site.code, GEOMETRY: geometry_text(site.geojson), CONTENT: site.content,
        SIZE: site.size, INSTALL: site.install_on.isoformat() if site.install_on else "",
        REMOVE: site.remove_on.isoformat() if site.remove_on else "",
        FLAGS_EXPECTED: site.flags_expected, FLAGS_HUNG: site.flags_hung, TASK: task,
        VERSION: site.version,
    }


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
                "unit": row.unit_name,
                "geometry": json.loads(row.Site.geojson) if row.Site.geojson else None,
                "version": row.Site.version, "is_demo": bool(row.Site.is_demo),
                "position_text": row.Site.position_text,
                "location_source": row.Site.location_source,
                "needs_confirmation": bool(row.Site.needs_confirmation),
                "flags_expected": row.Site.flags_expected, "content": row.Site.content,
                "size": row.Site.size,
                "install_on": row.Site.install_on.isoformat() if row.Site.install_on else None,
                "remove_on": row.Site.remove_on.isoformat() if row.Site.remove_on else None,
                "approval": row.Site.approval,
            }
            for row in session.execute(query)
        ]
