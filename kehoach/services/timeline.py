"""Replay the sites' history: the map as of a past moment and the installation burn-up.

Rules (one place, so the map, the burn-up and the report agree):

- A site exists from its *effective creation*: the earlier of ``Site.created_at`` and its
  first history event. Imports and the demo set store a creation time that can be earlier
  than the moment the rows were written (the demo set says 2024-09-01 01:00 UTC while its
  'created' events carry the load time), so the earlier of the two tells the story.
- A field's value at a moment T is the ``old_value`` of the first event on that field after T;
  with no later event it is the site's current value. No snapshot table is needed: the
  append-only history records every edited field.
- A site stored as already put up when it was created (status installed, needs fix or removed:
  imports and the demo set do this) whose completion date ``done_on`` is later than its
  creation replays as *planned* until that date, and counts as installed from that date in
  the burn-up. Without ``done_on`` an installed or needs-fix site counts from its creation.
- Days are local days in Asia/Ho_Chi_Minh: a site installed at 23:30 UTC counts for the next
  local day.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import Engine, func, select

from kehoach.db.engine import read_session
from kehoach.db.models import Plan, Site, SiteEvent
from kehoach.domain.enums import Approval, SiteStatus
from kehoach.domain.errors import InvalidInput
from kehoach.domain.sites import SITE_COLUMNS
from kehoach.i18n import LOCAL_TZ
from kehoach.services.campaigns import campaign_id_for, campaign_id_or_none, plan_id_of
from kehoach.services.queries import load_sites


def _flag(text: str) -> bool:
    return text == "True"


# Fields whose history is replayed, with how to read the stored text: the lean site table's
# and what the district report adds (task links, costs, new-site flag, completion date).
REPLAYED_FIELDS: dict[str, Callable[[str], object]] = {
    "status": str,
    "approval": str,
    "name": str,
    "ward_id": int,
    "street_id": int,
    "unit_id": int,
    "flags_expected": int,
    "flags_hung": int,
    "task_id": int,
    "estimated_cost": int,
    "approved_cost": int,
    "is_new": _flag,
    "done_on": date.fromisoformat,
}
# Extra columns the district report reads from ``sites_as_of`` besides the lean table.
REPORT_COLUMNS = ("task_id", "estimated_cost", "approved_cost", "is_new", "done_on")
NUMERIC_FIELDS = frozenset(name for name, kind in REPLAYED_FIELDS.items() if kind is int)
# 'created' events state a new site's first values; replay reads changes only.
CREATED = "created"
PUT_UP = frozenset(
    s.value for s in (SiteStatus.INSTALLED, SiteStatus.NEEDS_FIX, SiteStatus.REMOVED)
)
UP = frozenset(s.value for s in (SiteStatus.INSTALLED, SiteStatus.NEEDS_FIX))
FACT_COLUMNS = ["id", "is_demo", "created", "initial_status", "done_on", "planned_on", "approval"]
BURNUP_COLUMNS = ["date", "planned", "installed"]


def local_day_start(day: date) -> datetime:
    """Return the UTC moment a local (Asia/Ho_Chi_Minh) day starts."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ).astimezone(UTC)


def local_day_end(day: date) -> datetime:
    """Return the last UTC moment of a local day."""
    return local_day_start(day + timedelta(days=1)) - timedelta(microseconds=1)


def local_date(moment: datetime) -> date:
    """Return the local (Asia/Ho_Chi_Minh) date of an aware moment."""
    return moment.astimezone(LOCAL_TZ).date()


def site_facts(engine: Engine, campaign_id: int | None = None) -> pd.DataFrame:
    """Read per site of a campaign: creation, initial status, done_on, planned_on, approval."""
    first_event = (
        select(SiteEvent.site_id, func.min(SiteEvent.at).label("first_at"))
        .group_by(SiteEvent.site_id)
        .subquery()
    )
    with read_session(engine) as s:
        cid = campaign_id_or_none(s, campaign_id)
        rows = s.execute(
            select(
                Site.id,
                Site.is_demo,
                Site.status,
                Site.approval,
                Site.created_at,
                Site.done_on,
                Site.planned_on,
                first_event.c.first_at,
            )
            .outerjoin(first_event, first_event.c.site_id == Site.id)
            .where(Site.campaign_id == cid)
            .order_by(Site.id)
        ).all()
        initial: dict[int, str | None] = {}
        status_events = s.execute(
            select(SiteEvent.site_id, SiteEvent.old_value)
            .where(SiteEvent.field == "status", SiteEvent.action != CREATED)
            .order_by(SiteEvent.at, SiteEvent.id)
        )
        for site_id, old_value in status_events:
            initial.setdefault(site_id, old_value)
    records = [
        (
            site_id,
            bool(is_demo),
            min(created_at, first_at) if first_at is not None else created_at,
            initial.get(site_id) or status,
            done_on,
            planned_on,
            approval,
        )
        for site_id, is_demo, status, approval, created_at, done_on, planned_on, first_at in rows
    ]
    return pd.DataFrame(records, columns=FACT_COLUMNS)


def _later_values(engine: Engine, when: datetime) -> pd.DataFrame:
    """Read, per site and replayed field, the old value of the first event after ``when``."""
    query = (
        select(SiteEvent.site_id, SiteEvent.field, SiteEvent.old_value)
        .where(
            SiteEvent.at > when,
            SiteEvent.field.in_(list(REPLAYED_FIELDS)),
            SiteEvent.action != CREATED,
        )
        .order_by(SiteEvent.at, SiteEvent.id)
    )
    with read_session(engine) as s:
        rows = s.execute(query).all()
    frame = pd.DataFrame(rows, columns=["site_id", "field", "old_value"])
    return frame.drop_duplicates(["site_id", "field"], keep="first")


def _status_changed_until(engine: Engine, when: datetime) -> set[int]:
    """Return the ids of sites with a status event at or before ``when``."""
    with read_session(engine) as s:
        return set(
            s.scalars(
                select(SiteEvent.site_id)
                .where(
                    SiteEvent.field == "status",
                    SiteEvent.at <= when,
                    SiteEvent.action != CREATED,
                )
                .distinct()
            )
        )


def _convert(value: str | None, kind: Callable[[str], object]) -> object:
    if value is None or value == "" or (isinstance(value, float) and pd.isna(value)):
        return None
    return kind(value)


def _require_aware(when: datetime) -> None:
    if when.tzinfo is None:
        raise InvalidInput("naive datetime given; pass a timezone-aware time")


def _completed_later(facts: pd.DataFrame) -> pd.Series:
    """Tell, per fact row, whether the site was stored as put up before its completion date."""
    created_day = facts["created"].map(local_date)
    done = facts["done_on"]
    has_done = done.notna()
    later = pd.Series(False, index=facts.index)
    later[has_done] = done[has_done] > created_day[has_done]
    return facts["initial_status"].isin(PUT_UP) & later


def _current(engine: Engine, campaign_id: int | None, extra: Sequence[str]) -> pd.DataFrame:
    """Read the lean site table now, with the ``extra`` replayed columns joined on."""
    current = load_sites(engine, campaign_id)
    if current.empty or not extra:
        return current
    cid = campaign_id_for(engine, campaign_id)
    query = select(Site.id, *(getattr(Site, c) for c in extra)).where(Site.campaign_id == cid)
    with engine.connect() as conn:
        more = pd.read_sql(query, conn)
    return current.merge(more, on="id", how="left")


def sites_as_of(
    engine: Engine,
    when: datetime,
    campaign_id: int | None = None,
    extra: Sequence[str] = (),
) -> pd.DataFrame:
    """Return a campaign's lean site table (as load_sites) as it stood at ``when`` (aware).

    ``extra`` names more replayed columns to add (``REPORT_COLUMNS``: what the report reads).
    """
    _require_aware(when)
    unknown = set(extra) - set(REPLAYED_FIELDS)
    if unknown:
        raise InvalidInput(f"not replayed: {sorted(unknown)}")
    columns = [*SITE_COLUMNS, *(c for c in extra if c not in SITE_COLUMNS)]
    current = _current(engine, campaign_id, [c for c in extra if c not in SITE_COLUMNS])
    if current.empty:
        return _empty(columns)
    facts = site_facts(engine, campaign_id)
    alive = facts[facts["created"] <= when].set_index("id")
    frame = current[current["id"].isin(alive.index)].reset_index(drop=True)
    if frame.empty:
        return _empty(columns)
    ids = pd.Index(frame["id"])
    later = _later_values(engine, when)
    later = later[later["site_id"].isin(ids) & later["field"].isin(columns)]
    for name, group in later.groupby("field"):
        column = frame[name].astype(object)
        column.iloc[ids.get_indexer(group["site_id"])] = [
            _convert(v, REPLAYED_FIELDS[str(name)]) for v in group["old_value"]
        ]
        frame[name] = column
    # Stored as put up at creation but completed later: still planned before done_on.
    facts_here = alive.reindex(ids)
    before_done = facts_here["done_on"].map(lambda d: d is not None and local_date(when) < d)
    rule = (
        _completed_later(facts_here.reset_index()).set_axis(ids).astype(bool)
        & before_done.astype(bool)
        & ~ids.isin(_status_changed_until(engine, when))
    )
    frame.loc[rule.to_numpy(), "status"] = SiteStatus.PLANNED.value
    for name in set(later["field"]) & set(columns):
        # Only replayed columns change type; the others keep load_sites' dtypes.
        if name in NUMERIC_FIELDS:
            frame[name] = pd.to_numeric(frame[name])
        elif name not in ("done_on", "is_new"):
            frame[name] = frame[name].astype(current[name].dtype)
    return frame[columns]


def _empty(columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="object") for column in columns})


def install_dates(
    engine: Engine, include_demo: bool = True, campaign_id: int | None = None
) -> pd.DataFrame:
    """Return per site its creation, planned and first installation dates (local days)."""
    facts = site_facts(engine, campaign_id)
    facts = facts[facts["approval"] != Approval.REJECTED.value]
    if not include_demo:
        facts = facts[~facts["is_demo"]]
    with read_session(engine) as s:
        first_installed = dict(
            s.execute(
                select(SiteEvent.site_id, func.min(SiteEvent.at))
                .where(
                    SiteEvent.field == "status",
                    SiteEvent.new_value == "installed",
                    SiteEvent.action != CREATED,
                )
                .group_by(SiteEvent.site_id)
            ).all()
        )
    rows = []
    for fact in facts.itertuples(index=False):
        created_day = local_date(fact.created)
        done_on = fact.done_on if isinstance(fact.done_on, date) else None
        candidates = []
        if fact.id in first_installed:
            candidates.append(local_date(first_installed[fact.id]))
        if fact.initial_status in PUT_UP and done_on is not None:
            candidates.append(done_on)
        elif fact.initial_status in UP:
            candidates.append(created_day)
        planned = fact.planned_on if isinstance(fact.planned_on, date) else created_day
        rows.append((fact.id, created_day, planned, min(candidates) if candidates else None))
    return pd.DataFrame(rows, columns=["id", "created_on", "planned_on", "installed_on"])


def burnup(
    engine: Engine,
    include_demo: bool = True,
    today: date | None = None,
    campaign_id: int | None = None,
) -> pd.DataFrame:
    """Return one row per local day from the first site's creation: planned and installed.

    Planned counts ``Site.planned_on`` (the creation day when it is empty); installed counts
    the first day a site reached 'installed'. Rejected new sites count for neither. Days after
    ``today`` (default: the local date now) carry planned figures only.
    """
    dates = install_dates(engine, include_demo, campaign_id)
    if dates.empty:
        return pd.DataFrame(columns=BURNUP_COLUMNS)
    today = today or local_date(datetime.now(UTC))
    with read_session(engine) as s:
        plan_id = plan_id_of(s, campaign_id)
        anniversary = s.scalar(select(Plan.anniversary).where(Plan.id == plan_id))
    known = [d for d in [*dates["planned_on"], *dates["installed_on"]] if d is not None]
    start = min([*known, *dates["created_on"]])
    end = max([*known, *([anniversary] if anniversary else [])])
    days = pd.date_range(start, end, freq="D").date
    planned = pd.Series(dates["planned_on"]).value_counts().reindex(days, fill_value=0).cumsum()
    installed_on = dates["installed_on"].dropna()
    installed = pd.Series(installed_on).value_counts().reindex(days, fill_value=0).cumsum()
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(list(days)),
            "planned": planned.to_numpy(dtype=int),
            "installed": installed.to_numpy(dtype=float),
        }
    )
    frame.loc[frame["date"].dt.date > today, "installed"] = float("nan")
    return frame
