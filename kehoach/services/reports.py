"""Monthly reports: units submit theirs, the board shows who is on time, the district's is written.

The plan's closing paragraph asks every unit to report monthly, before the 20th
(``Plan.report_deadline_day``), to the district through the Culture and Information Office.

Rules, kept explicit:

- *Who reports*: every unit of the newest plan except the Culture and Information Office
  itself (it receives the reports and writes the district's) and the bodies the plan only
  invites ("Đề nghị …": Party and Front bodies). The wards report as the unit "Ủy ban nhân
  dân các phường", one report per ward (``ward_id`` set); other units with ``ward_id`` None.
- *Who submits*: a ward officer for their own ward; staff and administrators for a unit they
  choose (a report received on paper, or the Culture Centre's own). Leaders and inspectors
  read the board only.
- *Deadline*: the report for month M is due before day D of month M (D = the plan's
  deadline day, 20 when the plan gives none), judged on the local date in Asia/Ho_Chi_Minh.
  On time: submitted on a local date before D; late: on D or after; missing: D has come and
  nothing was submitted; not yet due: D has not come and nothing was submitted.
- *Resubmission*: a unit may amend its report for a month at any time. The amendment
  replaces the text and the figures, but the first submission time is kept (``submitted_at``)
  so an amendment never turns a late report into an on-time one or the reverse; each
  amendment's time and author are kept in ``figures["amendments"]`` (the latest also in
  ``amended_at``/``amended_by_id``); the database refuses a second first submission.
- *Figures* are computed from the data as of the end of the month (or now, for the current
  month) by replaying the history (kehoach.services.timeline), never typed by hand.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Engine, and_, func, select
from sqlalchemy.orm import Session

from kehoach.adapters.report_docx import ReportData, Section, TableBlock, write_report_docx
from kehoach.adapters.static_map import render_coverage_map
from kehoach.adapters.summary_table import write_table
from kehoach.db.engine import read_session, write_session
from kehoach.db.models import Inspection, MonthlyReport, Plan, Site, Unit, User, Ward, utcnow
from kehoach.domain import progress as progress_rules
from kehoach.domain.enums import Approval, Role, SiteStatus, TaskKind
from kehoach.domain.errors import InvalidInput, NotFound, PermissionDenied
from kehoach.domain.permissions import REPORTERS, Actor, require_role
from kehoach.domain.progress import WARDS_UNIT_KEY, ReportStatus, report_status
from kehoach.domain.sites import compute_kpis
from kehoach.domain.text import name_key
from kehoach.i18n import format_date, label, t
from kehoach.services import coverage, progress, queries
from kehoach.services.site_export import export_sites
from kehoach.services.timeline import local_date, local_day_end, local_day_start, sites_as_of

MAX_BODY_CHARS = 20_000
# Leaders read the district's documents; staff and administrators write them.
DOCUMENT_READERS = frozenset({Role.LEADER, Role.ADMIN, Role.STAFF})
CULTURE_CENTRE_KEY = "trung tam van hoa"
RECEIVER_KEY = "phong van hoa va thong tin"
INVITED_PREFIX = "de nghi"


# --- months and deadlines ---------------------------------------------------------------------


def parse_month(month: str) -> date:
    """Return the first day of a "YYYY-MM" month; refuse anything else."""
    year, number = progress_rules.parse_month(str(month or "").strip())
    return date(year, number, 1)


def month_of(day: date) -> str:
    """Return the "YYYY-MM" month of a date."""
    return f"{day.year:04d}-{day.month:02d}"


def last_day(month: str) -> date:
    """Return the last day of a "YYYY-MM" month."""
    first = parse_month(month)
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _today() -> date:
    return local_date(datetime.now(UTC))


def _as_of(month: str, now: datetime) -> datetime:
    """Return the moment a month's figures stand at: its last local moment, or now."""
    return min(now, local_day_end(last_day(month)))


def _refuse_future(month: str, now: datetime) -> None:
    if parse_month(month) > parse_month(month_of(local_date(now))):
        raise InvalidInput(f"month {month} has not started", field="month")


# --- the plan, its units and who reports ------------------------------------------------------


@dataclass(frozen=True)
class ReportingUnit:
    """One row of the board: a unit, or a ward under the wards' unit."""

    unit_id: int
    ward_id: int | None
    unit: str
    ward: str | None

    @property
    def label(self) -> str:
        """Return the name shown: the ward's for ward rows, else the unit's."""
        return t("report.ward_row", ward=self.ward) if self.ward else self.unit


def _plan(session: Session) -> Plan | None:
    return session.scalars(select(Plan).order_by(Plan.imported_at.desc(), Plan.id.desc())).first()


def _units(session: Session) -> list[Unit]:
    plan = _plan(session)
    return list(plan.units) if plan else []


def _find_unit(units: list[Unit], key: str) -> Unit | None:
    return next((u for u in units if name_key(u.name).startswith(key)), None)


def is_reporting_unit(name: str) -> bool:
    """Tell whether a unit of the plan must report monthly (see the module's rules)."""
    key = name_key(name)
    return not key.startswith(RECEIVER_KEY) and not key.startswith(INVITED_PREFIX)


def reporting_units(engine: Engine) -> list[ReportingUnit]:
    """List who must report, in plan order; the wards' unit expands into its 11 wards."""
    with read_session(engine) as s:
        wards = s.execute(select(Ward.id, Ward.name).order_by(Ward.code)).all()
        rows: list[ReportingUnit] = []
        for unit in _units(s):
            if not is_reporting_unit(unit.name):
                continue
            if name_key(unit.name).startswith(WARDS_UNIT_KEY):
                rows += [ReportingUnit(unit.id, wid, unit.name, wname) for wid, wname in wards]
            else:
                rows.append(ReportingUnit(unit.id, None, unit.name, None))
        return rows


def _deadline_day(session: Session) -> int:
    plan = _plan(session)
    return (plan.report_deadline_day if plan else None) or progress_rules.DEFAULT_REPORT_DAY


@dataclass(frozen=True)
class Target:
    """Whose report: a unit, and the ward for the wards' unit."""

    unit_id: int
    ward_id: int | None
    unit: str
    ward: str | None
    is_wards_unit: bool
    is_culture_centre: bool


def _target(session: Session, actor: Actor, unit_id: int | None, ward_id: int | None) -> Target:
    """Resolve and authorise whose report ``actor`` may draft or submit."""
    require_role(actor, REPORTERS, "submit monthly reports")
    units = _units(session)
    wards_unit = _find_unit(units, WARDS_UNIT_KEY)
    if actor.role == Role.WARD_OFFICER:
        if actor.ward_id is None or wards_unit is None:
            raise PermissionDenied("a ward officer without a ward cannot report")
        if (unit_id not in (None, wards_unit.id)) or (ward_id not in (None, actor.ward_id)):
            raise PermissionDenied("a ward officer reports for their own ward only")
        unit_id, ward_id = wards_unit.id, actor.ward_id
    elif unit_id is None:
        default = actor.unit_id or getattr(_find_unit(units, CULTURE_CENTRE_KEY), "id", None)
        unit_id = default
    unit = next((u for u in units if u.id == unit_id), None)
    if unit is None:
        raise NotFound(f"unit {unit_id}")
    if not is_reporting_unit(unit.name):
        raise InvalidInput("this unit does not report monthly", field="unit")
    is_wards = wards_unit is not None and unit.id == wards_unit.id
    ward = session.get(Ward, ward_id) if ward_id is not None else None
    if is_wards and ward is None:
        raise InvalidInput("choose the ward the report is for", field="ward")
    if not is_wards:
        ward = None
    return Target(
        unit_id=unit.id,
        ward_id=ward.id if ward else None,
        unit=unit.name,
        ward=ward.name if ward else None,
        is_wards_unit=is_wards,
        is_culture_centre=name_key(unit.name).startswith(CULTURE_CENTRE_KEY),
    )


# --- figures ----------------------------------------------------------------------------------


def _count_by_status(sites: pd.DataFrame) -> dict[str, int]:
    counts = sites["status"].value_counts().to_dict() if len(sites) else {}
    return {s.value: int(counts.get(s.value, 0)) for s in SiteStatus}


def _live(sites: pd.DataFrame) -> pd.DataFrame:
    """Drop rejected new sites: they were never part of the campaign."""
    return sites[sites["approval"] != Approval.REJECTED.value] if len(sites) else sites


def _inspections(engine: Engine, month: str, as_of: datetime, site_ids: list[int]) -> dict:
    start = local_day_start(parse_month(month))
    query = (
        select(Inspection.result, func.count())
        .where(Inspection.at >= start, Inspection.at <= as_of, Inspection.site_id.in_(site_ids))
        .group_by(Inspection.result)
    )
    with read_session(engine) as s:
        counts = dict(s.execute(query).all()) if site_ids else {}
    passed, needs_fix = int(counts.get("pass", 0)), int(counts.get("needs_fix", 0))
    return {"total": passed + needs_fix, "pass": passed, "needs_fix": needs_fix}


def _share(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def _street_rows(items: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "name": item.name,
            "length_m": round(item.length_m),
            "covered_m": round(item.covered_m),
            "share": _share(item.share),
        }
        for item in items
    ]


def _scope_figures(
    engine: Engine, target: Target, month: str, as_of: datetime, sites: pd.DataFrame
) -> dict[str, Any]:
    if target.ward_id is not None:
        scoped = sites[sites["ward_id"] == target.ward_id]
    else:
        scoped = sites[sites["unit_id"] == target.unit_id]
    kpis = compute_kpis(scoped) if len(scoped) else None
    figures: dict[str, Any] = {
        "month": month,
        "as_of": local_date(as_of).isoformat(),
        "unit": target.unit,
        "ward": target.ward,
        "sites": {"total": int(len(scoped)), **_count_by_status(scoped)},
        "flags": {
            "hung": kpis.flags_hung if kpis else 0,
            "expected": kpis.flags_expected if kpis else 0,
        },
        "demo_sites": int(scoped["is_demo"].astype(bool).sum()) if len(scoped) else 0,
        "inspections": _inspections(engine, month, as_of, [int(i) for i in scoped["id"]]),
    }
    if target.ward_id is not None or target.is_culture_centre:
        report = coverage.coverage_report(engine, as_of_sites=sites)
        if target.ward_id is not None:
            routes = [r for r in report.routes if r.ward_id == target.ward_id]
            ward = next((w for w in report.wards if w.ward_id == target.ward_id), None)
            figures["routes"] = _street_rows(routes)
            figures["routes_share"] = _share(ward.routes_share) if ward else None
            figures["streets_share"] = _share(ward.share) if ward else None
        if target.is_culture_centre:
            figures["main_streets"] = _street_rows(report.main_streets)
            figures["main_share"] = _share(report.district.main_share)
    return figures


def draft_figures(
    engine: Engine,
    actor: Actor,
    month: str,
    unit_id: int | None = None,
    ward_id: int | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Compute the figures of a unit's monthly report from the data (as of the month's end)."""
    now = now or utcnow()
    parse_month(month)
    _refuse_future(month, now)
    with read_session(engine) as s:
        target = _target(s, actor, unit_id, ward_id)
    as_of = _as_of(month, now)
    sites = _live(sites_as_of(engine, as_of))
    return _scope_figures(engine, target, month, as_of, sites)


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def draft_text(figures: dict[str, Any]) -> str:
    """Return a Vietnamese draft of the report's text with the figures filled in."""
    month = parse_month(figures["month"])
    sites = figures["sites"]
    lines = [
        t(
            "report.draft.opening",
            month=month.month,
            year=month.year,
            as_of=format_date(date.fromisoformat(figures["as_of"])),
        ),
        t(
            "report.draft.sites",
            total=sites["total"],
            installed=sites["installed"],
            installing=sites["installing"],
            planned=sites["planned"],
            needs_fix=sites["needs_fix"],
            removed=sites["removed"],
        ),
        t(
            "report.draft.flags",
            hung=figures["flags"]["hung"],
            expected=figures["flags"]["expected"],
        ),
        t("report.draft.inspections", **figures["inspections"]),
    ]
    if "routes" in figures:
        if figures["routes"]:
            routes = "; ".join(f"{r['name']} {_pct(r['share'])}" for r in figures["routes"])
            lines.append(
                t("report.draft.routes", share=_pct(figures["routes_share"]), routes=routes)
            )
        else:
            lines.append(t("report.draft.no_routes"))
    if "main_streets" in figures:
        streets = "; ".join(f"{r['name']} {_pct(r['share'])}" for r in figures["main_streets"])
        lines.append(
            t(
                "report.draft.main_streets",
                share=_pct(figures["main_share"]),
                streets=streets or "—",
            )
        )
    if figures.get("demo_sites"):
        lines.append(t("report.draft.demo", n=figures["demo_sites"]))
    lines.append(t("report.draft.next"))
    return "\n\n".join(lines)


# --- submitting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubmittedReport:
    """What a submission stored."""

    id: int
    month: str
    unit: str
    ward: str | None
    submitted_at: datetime
    amended: bool
    status: ReportStatus


def _existing(session: Session, target: Target, month: str) -> MonthlyReport | None:
    ward_match = (
        MonthlyReport.ward_id.is_(None)
        if target.ward_id is None
        else MonthlyReport.ward_id == target.ward_id
    )
    return session.scalars(
        select(MonthlyReport).where(
            and_(MonthlyReport.unit_id == target.unit_id, ward_match, MonthlyReport.month == month)
        )
    ).first()


def submit_monthly_report(
    engine: Engine,
    actor: Actor,
    month: str,
    body: str,
    unit_id: int | None = None,
    ward_id: int | None = None,
    now: datetime | None = None,
) -> SubmittedReport:
    """Submit (or amend) a unit's report for a month; figures are computed, never typed.

    A ward officer reports for their own ward; staff and administrators for the unit (and
    ward) they choose. ``now`` is the submission moment (default: the current time).
    """
    now = now or utcnow()
    parse_month(month)
    _refuse_future(month, now)
    text = (body or "").strip()
    if not text:
        raise InvalidInput("the report has no text", field="body")
    if len(text) > MAX_BODY_CHARS:
        raise InvalidInput(f"report longer than {MAX_BODY_CHARS} characters", field="body")
    with read_session(engine) as s:
        target = _target(s, actor, unit_id, ward_id)
    as_of = _as_of(month, now)
    figures = _scope_figures(engine, target, month, as_of, _live(sites_as_of(engine, as_of)))
    with write_session(engine) as s:
        report = _existing(s, target, month)
        if report is None:
            report = MonthlyReport(
                unit_id=target.unit_id,
                ward_id=target.ward_id,
                month=month,
                body=text,
                figures={**figures, "amendments": []},
                submitted_at=now,
                submitted_by_id=actor.id,
            )
            s.add(report)
            amended = False
        else:
            amendments = list((report.figures or {}).get("amendments", []))
            amendments.append({"at": now.isoformat(), "by": actor.username})
            report.body = text
            report.figures = {**figures, "amendments": amendments}
            report.amended_at = now
            report.amended_by_id = actor.id
            amended = True
        s.flush()
        status = report_status(month, _deadline_day(s), report.submitted_at, local_date(now))
        return SubmittedReport(
            id=report.id,
            month=month,
            unit=target.unit,
            ward=target.ward,
            submitted_at=report.submitted_at,
            amended=amended,
            status=status,
        )


# --- the board --------------------------------------------------------------------------------


def report_board(engine: Engine, months: list[str], today: date | None = None) -> pd.DataFrame:
    """Return one row per reporting unit (wards one by one) and one status column per month."""
    for month in months:
        parse_month(month)
    today = today or _today()
    units = reporting_units(engine)
    with read_session(engine) as s:
        day = _deadline_day(s)
        submitted = {
            (unit_id, ward_id, month): at
            for unit_id, ward_id, month, at in s.execute(
                select(
                    MonthlyReport.unit_id,
                    MonthlyReport.ward_id,
                    MonthlyReport.month,
                    MonthlyReport.submitted_at,
                ).where(MonthlyReport.month.in_(months))
            )
        }
    rows = [
        {
            "unit_id": u.unit_id,
            "ward_id": u.ward_id,
            "unit": u.unit,
            "ward": u.ward,
            "label": u.label,
            **{
                m: report_status(m, day, submitted.get((u.unit_id, u.ward_id, m)), today).value
                for m in months
            },
        }
        for u in units
    ]
    frame = pd.DataFrame(rows, columns=["unit_id", "ward_id", "unit", "ward", "label", *months])
    frame["ward_id"] = frame["ward_id"].astype("Int64")
    return frame


def board_summary(board: pd.DataFrame, month: str) -> dict[str, int]:
    """Count the board's statuses for one month."""
    counts = board[month].value_counts().to_dict() if month in board else {}
    return {s.value: int(counts.get(s.value, 0)) for s in ReportStatus}


@dataclass(frozen=True)
class ReportView:
    """A submitted report as the page lists it."""

    unit: str
    ward: str | None
    month: str
    body: str
    figures: dict[str, Any]
    submitted_at: datetime
    submitted_by: str | None
    status: ReportStatus


def _views(session: Session, month: str, *where: Any) -> list[ReportView]:
    day = _deadline_day(session)
    rows = session.execute(
        select(MonthlyReport, Unit.name, Ward.name, User.username)
        .join(Unit, MonthlyReport.unit_id == Unit.id)
        .outerjoin(Ward, MonthlyReport.ward_id == Ward.id)
        .outerjoin(User, MonthlyReport.submitted_by_id == User.id)
        .where(MonthlyReport.month == month, *where)
        .order_by(Unit.position, Ward.code)
    ).all()
    return [
        ReportView(
            unit=unit,
            ward=ward,
            month=month,
            body=r.body,
            figures=dict(r.figures or {}),
            submitted_at=r.submitted_at,
            submitted_by=username,
            status=report_status(month, day, r.submitted_at, local_date(r.submitted_at)),
        )
        for r, unit, ward, username in rows
    ]


def list_reports(engine: Engine, month: str) -> list[ReportView]:
    """Return the reports submitted for a month, in plan and ward order."""
    parse_month(month)
    with read_session(engine) as s:
        return _views(s, month)


def unit_report(
    engine: Engine, month: str, unit_id: int, ward_id: int | None = None
) -> ReportView | None:
    """Return one unit's (or ward's) report for a month, or None if not submitted."""
    parse_month(month)
    ward_match = (
        MonthlyReport.ward_id.is_(None) if ward_id is None else (MonthlyReport.ward_id == ward_id)
    )
    with read_session(engine) as s:
        found = _views(s, month, MonthlyReport.unit_id == unit_id, ward_match)
    return found[0] if found else None


def deadline_day(engine: Engine) -> int:
    """Return the day of the month reports are due before (the plan's, else 20)."""
    with read_session(engine) as s:
        return _deadline_day(s)


# --- the district's documents -----------------------------------------------------------------


def _place_date(day: date) -> str:
    # Decree 30: days under 10 and months 1-2 are written with a leading zero.
    day_text = f"{day.day:02d}" if day.day < 10 else str(day.day)
    month_text = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return t("report.doc.place_date", day=day_text, month=month_text, year=day.year)


def _number(value: float | int) -> str:
    return f"{value:,.0f}".replace(",", ".")


def _money(value: float | int | None) -> str:
    if value is None or pd.isna(value):
        return "—"
    return _number(value)


def require_documents(actor: Actor) -> None:
    """Refuse unless ``actor`` may download the district's documents."""
    require_role(actor, DOCUMENT_READERS, "download the district's reports")


@dataclass(frozen=True)
class DistrictFigures:
    """What the district report says, computed once."""

    month: str
    as_of: datetime
    sites: pd.DataFrame
    demo: int
    coverage: coverage.CoverageReport
    board: pd.DataFrame
    plan_number: str | None
    plan_title: str
    anniversary: date | None


def district_figures(
    engine: Engine, month: str, include_demo: bool = True, now: datetime | None = None
) -> DistrictFigures:
    """Compute the district's figures for a month (as of its end, or now)."""
    now = now or utcnow()
    parse_month(month)
    _refuse_future(month, now)
    as_of = _as_of(month, now)
    sites = _live(sites_as_of(engine, as_of))
    if not include_demo and len(sites):
        sites = sites[~sites["is_demo"].astype(bool)]
    with read_session(engine) as s:
        plan = _plan(s)
        number, title = (plan.number, plan.title) if plan else (None, "")
        anniversary = plan.anniversary if plan else None
    return DistrictFigures(
        month=month,
        as_of=as_of,
        sites=sites,
        demo=int(sites["is_demo"].astype(bool).sum()) if len(sites) else 0,
        coverage=coverage.coverage_report(engine, as_of_sites=sites),
        board=report_board(engine, [month], today=local_date(now)),
        plan_number=number,
        plan_title=title,
        anniversary=anniversary,
    )


def _ward_table(fig: DistrictFigures) -> TableBlock:
    sites = fig.sites
    by_ward = {w.ward_id: w for w in fig.coverage.wards}
    board = fig.board.set_index("ward_id") if len(fig.board) else fig.board
    rows = []
    totals = [0, 0, 0, 0, 0]
    for number, ward in enumerate(fig.coverage.wards, start=1):
        scoped = sites[sites["ward_id"] == ward.ward_id] if len(sites) else sites
        kpis = compute_kpis(scoped)
        counts = (
            len(scoped),
            kpis.by_status["installed"],
            kpis.by_status["needs_fix"],
            kpis.flags_hung,
            kpis.flags_expected,
        )
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        status = (
            label(ReportStatus(board.loc[ward.ward_id, fig.month]))
            if len(board) and ward.ward_id in board.index
            else "—"
        )
        rows.append(
            (
                str(number),
                ward.name,
                *(_number(c) for c in counts[:3]),
                f"{_number(counts[3])}/{_number(counts[4])}",
                _pct(by_ward[ward.ward_id].routes_share),
                status,
            )
        )
    rows.append(
        (
            "",
            t("report.doc.total"),
            *(_number(c) for c in totals[:3]),
            f"{_number(totals[3])}/{_number(totals[4])}",
            _pct(fig.coverage.district.routes_share),
            "",
        )
    )
    return TableBlock(
        header=tuple(t(f"report.doc.ward_col.{i}") for i in range(8)),
        rows=tuple(rows),
        widths_cm=(1.2, 3.7, 1.5, 1.9, 1.8, 2.1, 2.0, 2.3),
        bold_last_row=True,
    )


def _task_result(task: progress.TaskProgress, sites: pd.DataFrame) -> str:
    """Word a task's result: measured from the month's sites, or the status its unit set."""
    if not task.measured:
        text = label(task.status)
    else:
        mine = sites[(sites["task_id"] == task.task_id) & (sites["status"] != "removed")]
        installed = int((mine["status"] == SiteStatus.INSTALLED.value).sum())
        hung, expected = int(mine["flags_hung"].sum()), int(mine["flags_expected"].sum())
        if task.kind == TaskKind.FLAGS.value and expected:
            text = t(
                "report.doc.task_flags",
                hung=_number(hung),
                expected=_number(expected),
                share=_pct(hung / expected),
            )
        elif len(mine):
            text = t(
                "report.doc.task_sites",
                done=_number(installed),
                total=_number(len(mine)),
                share=_pct(installed / len(mine)),
            )
        else:
            text = t("report.doc.task_no_sites")
    return f"{text} ({t('report.doc.overdue')})" if task.overdue else text


def _task_table(engine: Engine, fig: DistrictFigures) -> TableBlock:
    with read_session(engine) as s:
        task_of = dict(s.execute(select(Site.id, Site.task_id)).all())
    sites = (
        fig.sites.assign(task_id=fig.sites["id"].map(task_of))
        if len(fig.sites)
        else (fig.sites.assign(task_id=pd.Series(dtype=object)))
    )
    rows = []
    for unit in progress.task_board(engine, today=local_date(fig.as_of)):
        rows.append((str(unit.position), unit.name, ""))
        for task in unit.tasks:
            rows.append(
                (
                    f"{unit.position}.{task.position}",
                    _short(" ".join(task.text.replace("*", "").split()), 120),
                    _task_result(task, sites),
                )
            )
    return TableBlock(
        header=tuple(t(f"report.doc.task_col.{i}") for i in range(3)),
        rows=tuple(rows),
        widths_cm=(1.2, 10.3, 4.9),
        numeric_from=99,
        bold_rows=tuple(i for i, row in enumerate(rows) if not row[2]),
    )


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cost_table(engine: Engine, include_demo: bool) -> TableBlock | None:
    costs = queries.costs_by_unit(engine, include_demo)
    if costs.empty:
        return None
    rows = [
        (
            str(i),
            _short(str(r.unit), 60),
            _number(r.n),
            _number(r.pending),
            _money(r.estimated),
            _money(r.approved),
        )
        for i, r in enumerate(costs.itertuples(index=False), start=1)
    ]
    rows.append(
        (
            "",
            t("report.doc.total"),
            _number(costs["n"].sum()),
            _number(costs["pending"].sum()),
            _money(costs["estimated"].sum()),
            _money(costs["approved"].sum()),
        )
    )
    return TableBlock(
        header=tuple(t(f"report.doc.cost_col.{i}") for i in range(6)),
        rows=tuple(rows),
        widths_cm=(1.2, 5.8, 1.8, 2.0, 2.9, 2.8),
        bold_last_row=True,
    )


def _board_paragraphs(fig: DistrictFigures) -> tuple[str, ...]:
    summary = board_summary(fig.board, fig.month)
    lines = [t("report.doc.board", total=len(fig.board), **summary)]
    missing = fig.board[fig.board[fig.month].isin([ReportStatus.MISSING.value])]
    if len(missing):
        lines.append(t("report.doc.board_missing", names="; ".join(missing["label"])))
    late = fig.board[fig.board[fig.month] == ReportStatus.LATE.value]
    if len(late):
        lines.append(t("report.doc.board_late", names="; ".join(late["label"])))
    return tuple(lines)


def _km(metres: float) -> str:
    return f"{metres / 1000:.1f}".replace(".", ",")


def _overview(fig: DistrictFigures) -> tuple[str, ...]:
    kpis = compute_kpis(fig.sites)
    d = fig.coverage.district
    main = "; ".join(f"{s.name} {_pct(s.share)}" for s in fig.coverage.main_streets) or "—"
    lines = [
        t(
            "report.doc.sites",
            total=_number(kpis.total),
            **{k: _number(v) for k, v in kpis.by_status.items()},
        ),
        t(
            "report.doc.flags",
            hung=_number(kpis.flags_hung),
            expected=_number(kpis.flags_expected),
            rate=_pct(kpis.flags_rate),
        ),
        t(
            "report.doc.coverage",
            share=_pct(d.share),
            covered=_km(d.covered_m),
            length=_km(d.length_m),
        ),
    ]
    lines.append(t("report.doc.main", share=_pct(d.main_share), streets=main))
    if fig.coverage.routes:
        n = len(fig.coverage.routes)
        lines.append(t("report.doc.routes", share=_pct(d.routes_share), n=n))
    else:
        lines.append(t("report.doc.no_routes"))
    if fig.anniversary:
        days = (fig.anniversary - local_date(fig.as_of)).days
        key = "report.doc.days_left" if days >= 0 else "report.doc.days_past"
        lines.append(t(key, days=abs(days), date=format_date(fig.anniversary)))
    return tuple(lines)


def build_report_data(
    engine: Engine, month: str, include_demo: bool = True, now: datetime | None = None
) -> ReportData:
    """Compose the district's monthly report (words, tables, map) from the data."""
    now = now or utcnow()
    fig = district_figures(engine, month, include_demo, now)
    report_day = local_date(now)
    first = parse_month(month)
    base = coverage.base_layers_with_coverage(engine, fig.coverage.streets)
    demo_note = t("report.doc.demo_map", n=fig.demo) if fig.demo else ""
    png = render_coverage_map(base, fig.sites, note=demo_note)
    sections = [
        Section(t("report.doc.h1"), paragraphs=_overview(fig)),
        Section(
            t("report.doc.h2"), paragraphs=(t("report.doc.ward_intro"),), table=_ward_table(fig)
        ),
        Section(
            t("report.doc.h3"),
            paragraphs=(t("report.doc.task_intro"),),
            table=_task_table(engine, fig),
        ),
    ]
    cost_table = _cost_table(engine, include_demo)
    sections.append(
        Section(
            t("report.doc.h4"),
            table=cost_table,
            paragraphs=(t("report.doc.cost_intro") if cost_table else t("report.doc.no_costs"),),
        )
    )
    sections.append(
        Section(
            t("report.doc.h5"),
            paragraphs=(t("report.doc.map_intro"),),
            image_png=png,
            caption=t("report.doc.map_caption", date=format_date(local_date(fig.as_of))),
        )
    )
    sections.append(Section(t("report.doc.h6"), paragraphs=_board_paragraphs(fig)))
    warning = t("report.doc.demo_warning", n=fig.demo) if fig.demo else ""
    return ReportData(
        parent_body=t("report.doc.parent_body"),
        issuer=t("report.doc.issuer"),
        number=t("report.doc.number"),
        nation=t("report.doc.nation"),
        motto=t("report.doc.motto"),
        place_date=_place_date(report_day),
        kind=t("report.doc.kind"),
        subject=t("report.doc.subject", month=f"{first.month:02d}", year=first.year),
        intro=(
            t(
                "report.doc.intro",
                plan=fig.plan_number or "…/KH-UBND",
                month=f"{first.month:02d}",
                year=first.year,
                as_of=format_date(local_date(fig.as_of)),
            ),
            t("report.doc.source"),
        ),
        sections=tuple(sections),
        recipients_title=t("report.doc.recipients_title"),
        recipients=tuple(t("report.doc.recipients").split("\n")),
        signer_title=(t("report.doc.signer"),),
        warning=warning,
        header_note=t("report.doc.demo_header") if fig.demo else "",
        title_for_properties=t("report.doc.subject", month=f"{first.month:02d}", year=first.year),
        author=t("report.doc.issuer"),
        created=report_day,
    )


def monthly_report_docx(
    engine: Engine,
    actor: Actor,
    month: str,
    include_demo: bool = True,
    now: datetime | None = None,
) -> bytes:
    """Return the district's monthly report as a Word document (Decree 30 layout)."""
    require_documents(actor)
    return write_report_docx(build_report_data(engine, month, include_demo, now))


def summary_table_xlsx(engine: Engine, actor: Actor, include_demo: bool = True) -> bytes:
    """Return the summary table of sites (the columns the import reads) as an .xlsx file."""
    require_documents(actor)
    return write_table(export_sites(engine, actor, include_demo=include_demo), "xlsx")


def demo_count(engine: Engine) -> int:
    """Return how many demo sites the database holds."""
    with read_session(engine) as s:
        return int(s.scalar(select(func.count()).select_from(Site).where(Site.is_demo)) or 0)
