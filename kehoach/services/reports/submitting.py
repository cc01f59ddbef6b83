"""Submit or amend a unit's monthly report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, and_, select
from sqlalchemy.orm import Session

from kehoach.db.engine import read_session, write_session
from kehoach.db.models import MonthlyReport, utcnow
from kehoach.domain.errors import InvalidInput
from kehoach.domain.permissions import Actor
from kehoach.domain.progress import ReportStatus, report_status
from kehoach.services.reports.figures import _live, _scope_figures
from kehoach.services.reports.months import _as_of, _refuse_future, parse_month
from kehoach.services.reports.units import Target, _deadline_day, _target
from kehoach.services.site_rules import check_text
from kehoach.services.timeline import local_date, sites_as_of

MAX_BODY_CHARS = 20_000


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
            and_(
                MonthlyReport.campaign_id == target.campaign_id,
                MonthlyReport.unit_id == target.unit_id,
                ward_match,
                MonthlyReport.month == month,
            )
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
    campaign_id: int | None = None,
) -> SubmittedReport:
    """Submit (or amend) a unit's report for a month; figures are computed, never typed.

    A ward officer reports for their own ward; staff and administrators for the unit (and
    ward) they choose. ``now`` is the submission moment (default: the current time).
    """
    now = now or utcnow()
    parse_month(month)
    _refuse_future(month, now)
    text = check_text(body or "", "report_body", MAX_BODY_CHARS).strip()
    if not text:
        raise InvalidInput("the report has no text", field="body")
    with read_session(engine) as s:
        target = _target(s, actor, unit_id, ward_id, campaign_id)
    if target.campaign_id is None:
        raise InvalidInput("no campaign to report on", field="campaign")
    as_of = _as_of(month, now)
    sites = _live(sites_as_of(engine, as_of, target.campaign_id))
    figures = _scope_figures(engine, target, month, as_of, sites)
    with write_session(engine) as s:
        report = _existing(s, target, month)
        if report is None:
            report = MonthlyReport(
                campaign_id=target.campaign_id,
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
