"""Submit or amend a unit's monthly report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, and_, select
from sqlalchemy.orm import Session

from kehoach.db.engine import read_session, write_session
from kehoach.db.models import MonthlyReport, utcnow
from kehoach.domain.errors import InvalidInput
from kehoach.domain.permissions import Actor
from kehoach.domain.progress import ReportStatus, report_status
from kehoach.domain.report_sections import (
    SECTION_KEYS,
    clean_sections,
    compose_body,
    parse_sections,
)
from kehoach.i18n import t
from kehoach.services.reports.figures import _live, _scope_figures
from kehoach.services.reports.months import _as_of, _refuse_future, parse_month
from kehoach.services.reports.units import Target, _deadline_day, _target
from kehoach.services.site_rules import check_text
from kehoach.services.timeline import local_date, sites_as_of

MAX_BODY_CHARS = 20_000


# --- submitting -------------------------------------------------------------------------------


def section_headings() -> dict[str, str]:
    """Return the plan's report headings ("1. Kết quả thực hiện", …) by section key."""
    return {key: t(f"report.section.{key}") for key in SECTION_KEYS}


def _text_and_sections(body: str, sections: Mapping[str, str] | None) -> tuple[str, dict[str, str]]:
    """Return the stored text and its sections: composed from sections, or parsed from text."""
    if sections is not None:
        parts = clean_sections(sections)
        return compose_body(parts, section_headings()), parts
    text = (body or "").strip()
    return text, parse_sections(text)


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
    sections: Mapping[str, str] | None = None,
) -> SubmittedReport:
    """Submit (or amend) a unit's report for a month; figures are computed, never typed.

    A ward officer reports for their own ward; staff and administrators for the unit (and
    ward) they choose. ``now`` is the submission moment (default: the current time). The
    text is given either whole (``body``, Markdown under the plan's headings, parsed into
    sections) or by section (``sections``, joined under the headings). Submitting again
    amends the report and clears a return; every submit is kept in its history.
    """
    now = now or utcnow()
    parse_month(month)
    _refuse_future(month, now)
    text, parts = _text_and_sections(body, sections)
    text = check_text(text, "report_body", MAX_BODY_CHARS)
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
                sections=parts,
                history=[{"at": now.isoformat(), "by": actor.username, "action": "submitted"}],
            )
            s.add(report)
            amended = False
        else:
            amendments = list((report.figures or {}).get("amendments", []))
            amendments.append({"at": now.isoformat(), "by": actor.username})
            report.body = text
            report.sections = parts
            report.figures = {**figures, "amendments": amendments}
            report.amended_at = now
            report.amended_by_id = actor.id
            action = "resubmitted" if report.review_status == "returned" else "amended"
            event = {"at": now.isoformat(), "by": actor.username, "action": action}
            report.history = [*(report.history or []), event]
            report.review_status = None
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
