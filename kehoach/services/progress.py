"""Progress read models for leadership: the ward table and the plan's task board.

Everything is computed from sites, inspections, routes and monthly reports, never typed in;
only the tasks the app cannot measure carry a status and an evidence note set by their unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Engine, select

from kehoach.adapters.geometry import from_geojson
from kehoach.db.engine import read_session, write_session
from kehoach.db.models import (
    Inspection,
    MonthlyReport,
    Plan,
    Site,
    Task,
    TaskEvent,
    Unit,
    User,
    Ward,
)
from kehoach.domain.enums import Approval, SiteStatus, TaskKind
from kehoach.domain.errors import InvalidInput, NotFound
from kehoach.domain.permissions import Actor
from kehoach.domain.progress import (
    MAX_EVIDENCE,
    PASSED_RESULTS,
    SITE_TASK_KINDS,
    TaskMeasured,
    TaskStatus,
    evidence_entry,
    is_overdue,
    may_set_task,
    parse_month,
    report_status,
    require_task_edit,
)
from kehoach.i18n import LOCAL_TZ, format_local_time, label
from kehoach.services.campaigns import campaign_or_none, plan_id_of
from kehoach.services.coverage import CoverageReport, coverage_report
from kehoach.services.flag_counts import flag_windows, ward_window_rates
from kehoach.services.site_rules import check_text
from kehoach.services.timeline import sites_as_of

CAMPAIGN_MONTHS = 6  # months of reporting before the anniversary offered in the month picker
STATUS_COLUMNS = tuple(status.value for status in SiteStatus)
WARD_COLUMNS = (
    "ward_id",
    "code",
    "ward",
    "routes",
    "routes_km",
    "sites",
    *STATUS_COLUMNS,
    "installed_share",
    "passed_share",
    "flags_hung",
    "flags_expected",
    "flags_share",
    "route_coverage",
    "street_coverage",
    "report_status",
    "report_submitted_at",
)


def local_today() -> date:
    """Return today's date in Hanoi."""
    return datetime.now(LOCAL_TZ).date()


def current_month(today: date | None = None) -> str:
    """Return the month of ``today`` (default: today in Hanoi) as 'YYYY-MM'."""
    return (today or local_today()).strftime("%Y-%m")


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


# --- the ward table ---------------------------------------------------------------------------


def _site_counts(engine: Engine, campaign_id: int | None) -> pd.DataFrame:
    query = select(Site.id, Site.ward_id, Site.status, Site.flags_hung, Site.flags_expected).where(
        Site.approval != Approval.REJECTED.value,
        Site.ward_id.isnot(None),
        Site.campaign_id == campaign_id,
    )
    latest = select(Inspection.site_id, Inspection.result).order_by(
        Inspection.site_id, Inspection.at, Inspection.id
    )
    with engine.connect() as conn:
        sites = pd.read_sql(query, conn)
        inspections = pd.read_sql(latest, conn)
    last = inspections.groupby("site_id")["result"].last()
    sites["passed"] = sites["id"].map(last).isin(PASSED_RESULTS)
    return sites


def _report_times(engine: Engine, month: str, campaign_id: int | None) -> dict[int, datetime]:
    with read_session(engine) as s:
        rows = s.execute(
            select(MonthlyReport.ward_id, MonthlyReport.submitted_at).where(
                MonthlyReport.month == month,
                MonthlyReport.ward_id.isnot(None),
                MonthlyReport.campaign_id == campaign_id,
            )
        ).all()
    first: dict[int, datetime] = {}
    for ward_id, at in rows:
        assert ward_id is not None  # the query keeps ward reports only
        first[ward_id] = min(at, first.get(ward_id, at))
    return first


def ward_progress(
    engine: Engine,
    month: str,
    today: date | None = None,
    coverage: CoverageReport | None = None,
    campaign_id: int | None = None,
) -> pd.DataFrame:
    """Return one row per ward of a campaign: routes, sites by status, flags, coverage, report.

    After ``WARD_COLUMNS`` come one column per flag window (``flag_counts.WindowRef.column``,
    in date order): the ward's flag rate in that window, None where nothing was counted.
    """
    parse_month(month)
    today = today or local_today()
    with read_session(engine) as s:
        wards = s.execute(select(Ward.id, Ward.code, Ward.name).order_by(Ward.code)).all()
        campaign = campaign_or_none(s, campaign_id)
        cid = campaign.id if campaign else None
        plan = s.get(Plan, campaign.plan_id) if campaign and campaign.plan_id else None
        deadline_day = plan.report_deadline_day if plan else None
    coverage = coverage or coverage_report(engine, campaign_id=cid)
    sites = _site_counts(engine, cid)
    reports = _report_times(engine, month, cid)
    by_ward = {w.ward_id: w for w in coverage.wards}
    rows = []
    for ward_id, code, name in wards:
        mine = sites[sites["ward_id"] == ward_id]
        counts = mine["status"].value_counts()
        active = mine[mine["status"] != SiteStatus.REMOVED.value]
        hung, expected = int(active["flags_hung"].sum()), int(active["flags_expected"].sum())
        installed = int(counts.get(SiteStatus.INSTALLED.value, 0))
        cov = by_ward.get(ward_id)
        submitted = reports.get(ward_id)
        rows.append(
            {
                "ward_id": ward_id,
                "code": code,
                "ward": name,
                "routes": cov.routes if cov else 0,
                "routes_km": round(cov.routes_length_m / 1000, 2) if cov else 0.0,
                "sites": len(active),
                **{status: int(counts.get(status, 0)) for status in STATUS_COLUMNS},
                "installed_share": _ratio(installed, len(active)),
                "passed_share": _ratio(int(active["passed"].sum()), len(active)),
                "flags_hung": hung,
                "flags_expected": expected,
                "flags_share": _ratio(hung, expected),
                "route_coverage": cov.routes_share if cov else None,
                "street_coverage": cov.share if cov else None,
                "report_status": report_status(month, deadline_day, submitted, today).value,
                "report_submitted_at": submitted,
            }
        )
    return _with_window_rates(pd.DataFrame(rows, columns=list(WARD_COLUMNS)), engine, cid)


def _with_window_rates(table: pd.DataFrame, engine: Engine, cid: int | None) -> pd.DataFrame:
    """Add one column per flag window (``WindowRef.column``): the ward's rate hung/expected."""
    rates = ward_window_rates(engine, cid)
    for window in flag_windows(engine, cid):
        mine = rates[rates["window_id"] == window.window_id].set_index("ward_id")["share"]
        table[window.column] = table["ward_id"].map(mine).astype(object)
        table[window.column] = table[window.column].where(table[window.column].notna(), None)
    return table


def ward_bounds(engine: Engine) -> dict[int, list[list[float]]]:
    """Return each ward's bounds as [[south, west], [north, east]] for focusing the map."""
    with read_session(engine) as s:
        rows = s.execute(select(Ward.id, Ward.geojson)).all()
    bounds = {}
    for ward_id, text in rows:
        west, south, east, north = from_geojson(text).bounds
        bounds[ward_id] = [[south, west], [north, east]]
    return bounds


# --- the task board ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskProgress:
    """One task: measured from its sites, or the status and evidence its unit set."""

    task_id: int
    position: int
    text: str
    kind: str
    measured: bool  # progress comes from linked sites (decoration, flags)
    status: TaskStatus
    evidence_note: str
    due_on: date | None
    overdue: bool
    sites_total: int = 0
    sites_installed: int = 0
    flags_hung: int = 0
    flags_expected: int = 0
    share: float | None = None


@dataclass(frozen=True)
class UnitBoard:
    """A responsible unit and its tasks, in the plan's order."""

    unit_id: int
    position: int
    name: str
    tasks: list[TaskProgress]

    @property
    def overdue(self) -> int:
        """Return how many of the unit's tasks are overdue."""
        return sum(task.overdue for task in self.tasks)

    @property
    def done(self) -> int:
        """Return how many of the unit's tasks are done."""
        return sum(task.status == TaskStatus.DONE for task in self.tasks)


def _task_sites(engine: Engine, campaign_id: int | None, at: datetime | None) -> pd.DataFrame:
    """Read the live sites linked to a task: now, or as they stood at ``at`` (replayed)."""
    if at is not None:
        sites = sites_as_of(engine, at, campaign_id, extra=("task_id",))
        keep = (
            sites["task_id"].notna()
            & (sites["approval"] != Approval.REJECTED.value)
            & (sites["status"] != SiteStatus.REMOVED.value)
        )
        return sites.loc[keep, ["task_id", "status", "flags_hung", "flags_expected"]]
    query = select(Site.task_id, Site.status, Site.flags_hung, Site.flags_expected).where(
        Site.campaign_id == campaign_id,
        Site.task_id.isnot(None),
        Site.approval != Approval.REJECTED.value,
        Site.status != SiteStatus.REMOVED.value,
    )
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


def task_statuses_as_of(
    engine: Engine, campaign_id: int | None, at: datetime | None = None
) -> dict[int, str]:
    """Return task id → the status its unit had set at ``at`` (aware; None: now).

    Read from the append-only ``task_event`` history: a task's status at ``at`` is the old
    value of its first status event after ``at``; without one, its current status. The one
    place that answers "what was this task's status then" (the report's task table uses it).
    """
    if at is not None and at.tzinfo is None:
        raise InvalidInput("naive datetime given; pass a timezone-aware time")
    with read_session(engine) as s:
        plan_id = plan_id_of(s, campaign_id)
        rows = s.execute(
            select(Task.id, Task.status)
            .join(Unit, Task.unit_id == Unit.id)
            .where(Unit.plan_id == plan_id)
        ).all()
        statuses = {task_id: status for task_id, status in rows}
        if at is None or not statuses:
            return statuses
        later = s.execute(
            select(TaskEvent.task_id, TaskEvent.old_value)
            .where(
                TaskEvent.field == "status",
                TaskEvent.at > at,
                TaskEvent.task_id.in_(list(statuses)),
            )
            .order_by(TaskEvent.at.desc(), TaskEvent.id.desc())
        ).all()
    for task_id, old_value in later:  # newest first: the earliest event after ``at`` wins
        statuses[task_id] = old_value or TaskStatus.OPEN.value
    return statuses


def _measured(task: Task, sites: pd.DataFrame, due: date | None, today: date) -> TaskProgress:
    mine = sites[sites["task_id"] == task.id]
    total = len(mine)
    installed = int((mine["status"] == SiteStatus.INSTALLED.value).sum())
    hung, expected = int(mine["flags_hung"].sum()), int(mine["flags_expected"].sum())
    if task.kind == TaskKind.FLAGS.value and expected:
        share: float | None = hung / expected
    else:
        share = _ratio(installed, total)
    started = (mine["status"] != SiteStatus.PLANNED.value).any()
    if total and share is not None and share >= 1.0:
        status = TaskStatus.DONE
    elif started or installed:
        status = TaskStatus.IN_PROGRESS
    else:
        status = TaskStatus.OPEN
    return TaskProgress(
        task_id=task.id,
        position=task.position,
        text=task.text,
        kind=task.kind,
        measured=True,
        status=status,
        evidence_note=task.evidence_note,
        due_on=due,
        overdue=is_overdue(due, status == TaskStatus.DONE, today),
        sites_total=total,
        sites_installed=installed,
        flags_hung=hung,
        flags_expected=expected,
        share=share,
    )


def _reported(task: Task, stored: str, today: date) -> TaskProgress:
    known = {status.value for status in TaskStatus}
    status = TaskStatus(stored) if stored in known else TaskStatus.OPEN
    return TaskProgress(
        task_id=task.id,
        position=task.position,
        text=task.text,
        kind=task.kind,
        measured=False,
        status=status,
        evidence_note=task.evidence_note,
        due_on=task.due_on,
        overdue=is_overdue(task.due_on, status == TaskStatus.DONE, today),
    )


def task_board(
    engine: Engine,
    today: date | None = None,
    campaign_id: int | None = None,
    as_of: datetime | None = None,
) -> list[UnitBoard]:
    """Return the campaign plan's units with their tasks' progress (measured or reported).

    ``as_of`` (aware) rebuilds the board as it stood then: sites and their task links from
    the sites' history, reported statuses from ``task_statuses_as_of``.
    """
    today = today or local_today()
    with read_session(engine) as s:
        campaign = campaign_or_none(s, campaign_id)
        plan = s.get(Plan, campaign.plan_id) if campaign and campaign.plan_id else None
        if campaign is None or plan is None:
            return []
        sites = _task_sites(engine, campaign.id, as_of)
        stored = task_statuses_as_of(engine, campaign.id, as_of)
        boards = []
        for unit in plan.units:
            tasks = []
            for task in unit.tasks:
                if TaskKind(task.kind) in SITE_TASK_KINDS:
                    due = task.due_on or plan.anniversary
                    tasks.append(_measured(task, sites, due, today))
                else:
                    tasks.append(_reported(task, stored.get(task.id, task.status), today))
            boards.append(UnitBoard(unit.id, unit.position, unit.name, tasks))
    return boards


def editable_tasks(engine: Engine, actor: Actor, campaign_id: int | None = None) -> dict[int, str]:
    """Return the tasks whose status ``actor`` may set, as id → 'unit.task text'."""
    with read_session(engine) as s:
        plan_id = plan_id_of(s, campaign_id)
        rows = s.execute(
            select(Unit.id, Unit.position, Unit.name, Task.id, Task.position, Task.text, Task.kind)
            .join(Task, Task.unit_id == Unit.id)
            .where(Unit.plan_id == plan_id)
            .order_by(Unit.position, Task.position)
        ).all()
    return {
        task_id: f"{u_pos}.{t_pos} {text if len(text) <= 90 else text[:87] + '…'}"
        for unit_id, u_pos, u_name, task_id, t_pos, text, kind in rows
        if TaskKind(kind) not in SITE_TASK_KINDS and may_set_task(actor, unit_id, u_name)
    }


def set_task_status(
    engine: Engine, actor: Actor, task_id: int, status: TaskStatus | str, evidence: str = ""
) -> None:
    """Set a reported task's status and append a dated, attributed line to its evidence."""
    try:
        status = TaskStatus(status)
    except ValueError:
        raise InvalidInput(f"unknown task status {status!r}", field="status") from None
    evidence = check_text(evidence, "evidence", MAX_EVIDENCE)
    with write_session(engine) as s:
        task = s.get(Task, task_id)
        if task is None:
            raise NotFound(f"task {task_id}")
        unit = s.get(Unit, task.unit_id)
        assert unit is not None  # task.unit_id is a NOT NULL foreign key
        require_task_edit(actor, unit.id, unit.name)
        if TaskKind(task.kind) in SITE_TASK_KINDS:
            raise TaskMeasured("progress of this task is computed from its sites")
        user = s.get(User, actor.id) if actor.id is not None else None
        when = format_local_time(datetime.now(LOCAL_TZ))
        line = evidence_entry(
            when, user.username if user else actor.username, label(status), evidence
        )
        if task.status != status.value:
            s.add(
                TaskEvent(
                    task_id=task.id,
                    user_id=user.id if user else None,
                    username=user.username if user else actor.username,
                    field="status",
                    old_value=task.status,
                    new_value=status.value,
                )
            )
        task.status = status.value
        task.evidence_note = f"{task.evidence_note}\n{line}".strip()


def report_months(
    engine: Engine, today: date | None = None, campaign_id: int | None = None
) -> list[str]:
    """Return the months a ward table can be asked for: campaign start to now, newest first."""
    today = today or local_today()
    with read_session(engine) as s:
        campaign = campaign_or_none(s, campaign_id)
        first_report = s.scalar(
            select(MonthlyReport.month)
            .where(MonthlyReport.campaign_id == (campaign.id if campaign else None))
            .order_by(MonthlyReport.month)
        )
    year, month = today.year, today.month
    start = (year, month)
    if campaign is not None:
        start = min(start, (campaign.start_on.year, campaign.start_on.month))
    if first_report:
        start = min(start, parse_month(first_report))
    months = []
    while (year, month) >= start:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months
