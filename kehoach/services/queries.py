"""Read models for pages: the map's layers, the site table, one site's card, the plan."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Engine, Select, func, select
from sqlalchemy.orm import aliased

from kehoach.adapters.mapview import BaseLayers
from kehoach.db.engine import read_session
from kehoach.db.models import (
    District,
    Place,
    Plan,
    PlanStreet,
    Site,
    SiteEvent,
    Street,
    Task,
    Unit,
    User,
    Ward,
)
from kehoach.domain.enums import STRETCH_KINDS, SiteKind
from kehoach.domain.sites import SITE_COLUMNS, empty_sites
from kehoach.services.campaigns import campaign_id_for, campaign_id_or_none, plan_id_of


def load_base_layers(engine: Engine) -> BaseLayers:
    """Read district, wards, streets (plan's main streets flagged) and places."""
    with read_session(engine) as s:
        district = s.scalars(select(District)).first()
        main_ids = set(
            s.scalars(
                select(PlanStreet.street_id).where(
                    PlanStreet.street_id.isnot(None), PlanStreet.plan_id == plan_id_of(s)
                )
            )
        )
        wards = [
            {"id": w.id, "code": w.code, "name": w.name, "geometry": json.loads(w.geojson)}
            for w in s.scalars(select(Ward).order_by(Ward.code))
        ]
        streets = [
            {
                "id": st.id,
                "name": st.name,
                "geometry": json.loads(st.geojson),
                "is_main": st.id in main_ids,
                "coverage": None,
            }
            for st in s.scalars(select(Street).order_by(Street.id))
        ]
        places = [
            {"id": p.id, "name": p.name, "kind": p.kind, "lon": p.lon, "lat": p.lat}
            for p in s.scalars(select(Place).order_by(Place.id))
        ]
    return BaseLayers(
        district=json.loads(district.geojson) if district else {},
        wards=wards,
        streets=streets,
        places=places,
    )


def load_sites(engine: Engine, campaign_id: int | None = None) -> pd.DataFrame:
    """Read every site of a campaign (default: the current one) as a lean table."""
    cid = campaign_id_for(engine, campaign_id)
    query = (
        select(*(getattr(Site, c) for c in SITE_COLUMNS))
        .where(Site.campaign_id == cid, Site.geojson.is_not(None))  # unplaced: not on a map
        .order_by(Site.id)
    )
    with engine.connect() as conn:
        frame = pd.read_sql(query, conn)
    if frame.empty:
        return empty_sites()
    stretch = frame["kind"].isin([k.value for k in STRETCH_KINDS]) & frame["geojson"].str.contains(
        "LineString", regex=False
    )
    frame.loc[~stretch, "geojson"] = None
    frame["is_demo"] = frame["is_demo"].astype(bool)
    return frame


def site_list_version(engine: Engine) -> tuple[int, int, str, int, int]:
    """Return a stamp of the sites that changes with every site added, changed or removed.

    Content-derived (count, last id, last update, sum of row versions, last history event),
    so a write in any process shows, and a restored database never matches a stale stamp.
    """
    with engine.connect() as conn:
        count, last_id, last_update, versions = conn.execute(
            select(
                func.count(Site.id),
                func.max(Site.id),
                func.max(Site.updated_at),
                func.coalesce(func.sum(Site.version), 0),
            )
        ).one()
        last_event = conn.scalar(select(func.max(SiteEvent.id)))
    return (int(count), int(last_id or 0), str(last_update), int(versions), int(last_event or 0))


@dataclass(frozen=True)
class Option:
    """One choice of a filter widget: the id stored, the label shown."""

    id: int
    label: str


def ward_options(engine: Engine) -> list[Option]:
    """List the wards for filters, in official code order."""
    with read_session(engine) as s:
        return [Option(w.id, w.name) for w in s.scalars(select(Ward).order_by(Ward.code))]


def street_options(engine: Engine) -> list[Option]:
    """List the streets by name for filters."""
    with read_session(engine) as s:
        rows = s.execute(select(Street.id, Street.name).order_by(Street.name)).all()
    return [Option(i, n) for i, n in rows]


@dataclass(frozen=True)
class HistoryLine:
    """One event of a site's history, for the card's timeline."""

    at: datetime
    username: str
    action: str
    field: str | None
    old_value: str | None
    new_value: str | None
    source: str


@dataclass(frozen=True)
class SiteCard:
    """Everything the site card shows, with names resolved."""

    id: int
    code: str
    name: str
    kind: str
    status: str
    approval: str
    is_demo: bool
    lon: float | None  # None while unplaced
    lat: float | None
    length_m: float
    ward_id: int | None
    street_id: int | None
    unit_id: int | None
    task_id: int | None
    ward: str | None
    street: str | None
    unit: str | None
    task: str | None
    address: str
    content: str
    note: str
    quantity: int
    flags_expected: int
    flags_hung: int
    planned_on: date | None
    done_on: date | None
    version: int
    updated_at: datetime
    updated_by: str | None
    history: tuple[HistoryLine, ...]
    campaign_id: int | None = None
    is_new: bool = False
    rejection_reason: str = ""
    funding_source: str | None = None
    estimated_cost: int | None = None
    approved_cost: int | None = None
    actual_cost: int | None = None


def load_site_card(engine: Engine, site_id: int) -> SiteCard | None:
    """Read one site with its names and history, or None if it does not exist."""
    updater = aliased(User)
    with read_session(engine) as s:
        row = s.execute(
            select(Site, Ward.name, Street.name, Unit.name, Task.text, updater.username)
            .outerjoin(Ward, Site.ward_id == Ward.id)
            .outerjoin(Street, Site.street_id == Street.id)
            .outerjoin(Unit, Site.unit_id == Unit.id)
            .outerjoin(Task, Site.task_id == Task.id)
            .outerjoin(updater, Site.updated_by_id == updater.id)
            .where(Site.id == site_id)
        ).first()
        if row is None:
            return None
        site, ward, street, unit, task, updated_by = row
        events = s.scalars(
            select(SiteEvent)
            .where(SiteEvent.site_id == site_id)
            .order_by(SiteEvent.at, SiteEvent.id)
        )
        history = tuple(
            HistoryLine(e.at, e.username, e.action, e.field, e.old_value, e.new_value, e.source)
            for e in events
        )
        return SiteCard(
            id=site.id,
            code=site.code,
            name=site.name,
            kind=site.kind,
            status=site.status,
            approval=site.approval,
            is_demo=site.is_demo,
            lon=site.lon,
            lat=site.lat,
            length_m=site.length_m,
            ward_id=site.ward_id,
            street_id=site.street_id,
            unit_id=site.unit_id,
            task_id=site.task_id,
            ward=ward,
            street=street,
            unit=unit,
            task=task,
            address=site.address,
            content=site.content,
            note=site.note,
            quantity=site.quantity,
            flags_expected=site.flags_expected,
            flags_hung=site.flags_hung,
            planned_on=site.planned_on,
            done_on=site.done_on,
            version=site.version,
            campaign_id=site.campaign_id,
            updated_at=site.updated_at,
            updated_by=updated_by,
            history=history,
            is_new=site.is_new,
            rejection_reason=site.rejection_reason,
            funding_source=site.funding_source,
            estimated_cost=site.estimated_cost,
            approved_cost=site.approved_cost,
            actual_cost=site.actual_cost,
        )


@dataclass(frozen=True)
class PlanView:
    """The current plan with its units, tasks and the streets it names."""

    issuer: str
    number: str | None
    title: str
    implements: list[dict[str, Any]]
    anniversary: date | None
    report_deadline_day: int | None
    units: list[dict[str, Any]]
    streets: list[dict[str, Any]]


def load_plan(engine: Engine, campaign_id: int | None = None) -> PlanView | None:
    """Read the plan of a campaign (default: the current one), or None without one."""
    with read_session(engine) as s:
        plan_id = plan_id_of(s, campaign_id)
        plan = s.get(Plan, plan_id) if plan_id is not None else None
        if plan is None:
            return None
        units = [
            {
                "position": u.position,
                "name": u.name,
                "lead_in": u.lead_in,
                "tasks": [
                    {
                        "position": t.position,
                        "text": t.text,
                        "kind": t.kind,
                        "attachment": t.attachment_note,
                        "status": t.status,
                    }
                    for t in u.tasks
                ],
            }
            for u in plan.units
        ]
        streets = [
            {"name": name, "matched": street_id is not None, "street": street_name}
            for name, street_id, street_name in s.execute(
                select(PlanStreet.mentioned_name, PlanStreet.street_id, Street.name)
                .outerjoin(Street, PlanStreet.street_id == Street.id)
                .where(PlanStreet.plan_id == plan.id)
                .order_by(PlanStreet.id)
            )
        ]
        return PlanView(
            issuer=plan.issuer,
            number=plan.number,
            title=plan.title,
            implements=list(plan.implements or []),
            anniversary=plan.anniversary,
            report_deadline_day=plan.report_deadline_day,
            units=units,
            streets=streets,
        )


def is_point_kind(kind: str) -> bool:
    """Tell whether a kind is drawn as a point (everything but stretch kinds)."""
    return SiteKind(kind) not in STRETCH_KINDS


def unit_and_task_options(
    engine: Engine, campaign_id: int | None = None
) -> tuple[dict[int, str], dict[int, str]]:
    """Return the campaign plan's units and tasks as id → label, in plan order."""
    with read_session(engine) as s:
        plan_id = plan_id_of(s, campaign_id)
        rows = s.execute(
            select(Unit.id, Unit.position, Unit.name, Task.id, Task.position, Task.text)
            .outerjoin(Task, Task.unit_id == Unit.id)
            .where(Unit.plan_id == plan_id)
            .order_by(Unit.position, Task.position)
        ).all()
    units: dict[int, str] = {}
    tasks: dict[int, str] = {}
    for unit_id, u_pos, u_name, task_id, t_pos, text in rows:
        units[unit_id] = f"{u_pos}. {u_name}"
        if task_id is not None:
            short = text if len(text) <= 90 else text[:87] + "…"
            tasks[task_id] = f"{u_pos}.{t_pos} {short}"
    return units, tasks


@dataclass(frozen=True)
class PendingSite:
    """A new site waiting for a leader's decision."""

    id: int
    code: str
    name: str
    kind: str
    ward: str | None
    street: str | None
    unit: str | None
    estimated_cost: int | None
    is_demo: bool
    created_at: datetime
    created_by: str | None


def pending_sites(engine: Engine, campaign_id: int | None = None) -> list[PendingSite]:
    """List a campaign's new sites waiting for approval, oldest first."""
    creator = aliased(User)
    with read_session(engine) as s:
        cid = campaign_id_or_none(s, campaign_id)
        rows = s.execute(
            select(Site, Ward.name, Street.name, Unit.name, creator.username)
            .outerjoin(Ward, Site.ward_id == Ward.id)
            .outerjoin(Street, Site.street_id == Street.id)
            .outerjoin(Unit, Site.unit_id == Unit.id)
            .outerjoin(creator, Site.created_by_id == creator.id)
            .where(Site.approval == "pending", Site.campaign_id == cid)
            .order_by(Site.created_at, Site.id)
        ).all()
        return [
            PendingSite(
                site.id,
                site.code,
                site.name,
                site.kind,
                ward,
                street,
                unit,
                site.estimated_cost,
                site.is_demo,
                site.created_at,
                by,
            )
            for site, ward, street, unit, by in rows
        ]


def costs_by_unit(
    engine: Engine, include_demo: bool = True, campaign_id: int | None = None
) -> pd.DataFrame:
    """Sum costs of a campaign's new sites by responsible unit; rejected ones apart.

    ``n``, ``pending``, ``estimated``, ``approved`` and ``spent`` leave rejected items out
    (they were never part of the campaign); ``rejected`` counts them on their own.
    """
    query = new_site_costs(campaign_id_for(engine, campaign_id))
    if not include_demo:
        query = query.where(Site.is_demo.is_(False))
    with engine.connect() as conn:
        frame = pd.read_sql(query, conn)
    return cost_table(frame, "unit")


COST_COLUMNS = ["n", "pending", "estimated", "approved", "spent", "rejected"]
NEW_SITE_COST_FIELDS = ["unit", "source", "approval", "estimated_cost", "approved_cost",
                        "actual_cost"]  # fmt: skip


def new_site_costs(campaign_id: int | None) -> Select[*tuple[Any, ...]]:
    """Select a campaign's new sites' costs with their unit's name and funding source.

    The columns are ``NEW_SITE_COST_FIELDS``, what ``cost_table`` groups.
    """
    return (
        select(
            Unit.name.label("unit"),
            Site.funding_source.label("source"),
            Site.approval,
            Site.estimated_cost,
            Site.approved_cost,
            Site.actual_cost,
        )
        .select_from(Site)
        .outerjoin(Unit, Site.unit_id == Unit.id)
        .where(Site.is_new.is_(True), Site.campaign_id == campaign_id)
    )


def cost_table(frame: pd.DataFrame, group: str) -> pd.DataFrame:
    """Group new sites' costs by ``group``: counted figures leave rejected items out."""
    if frame.empty:
        return pd.DataFrame(columns=[group, *COST_COLUMNS])
    frame = frame.assign(**{group: frame[group].fillna("—")})
    rejected = frame["approval"].eq("rejected")
    counted = ~rejected
    amounts = {"estimated": "estimated_cost", "approved": "approved_cost", "spent": "actual_cost"}
    work = pd.DataFrame(
        {
            group: frame[group],
            "n": counted.astype(int),
            "pending": frame["approval"].eq("pending").astype(int),
            **{k: _amount(frame, c).where(counted).fillna(0).astype("int64")
               for k, c in amounts.items()},
            "rejected": rejected.astype(int),
        }
    )
    return work.groupby(group, as_index=False, sort=True).sum()


def _amount(frame: pd.DataFrame, column: str) -> pd.Series:
    """Return an amount column as numbers (0 where a table, e.g. one as of a date, lacks it)."""
    if column not in frame.columns:
        return pd.Series(0, index=frame.index)
    return pd.to_numeric(frame[column])


def sum_costs(frame: pd.DataFrame) -> pd.DataFrame:
    """Sum new sites' costs by unit (rejected items apart); the same table as costs_by_unit."""
    return cost_table(frame, "unit")
