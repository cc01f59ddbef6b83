"""The board of who reported for which month, and the reports themselves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kehoach.db.engine import read_session
from kehoach.db.models import MonthlyReport, Unit, User, Ward
from kehoach.domain.progress import ReportStatus, report_status
from kehoach.services.campaigns import campaign_id_or_none
from kehoach.services.reports.months import _today, parse_month
from kehoach.services.reports.units import _deadline_day, reporting_units
from kehoach.services.timeline import local_date

# --- the board --------------------------------------------------------------------------------


def report_board(
    engine: Engine, months: list[str], today: date | None = None, campaign_id: int | None = None
) -> pd.DataFrame:
    """Return one row per reporting unit (wards one by one) and one status column per month."""
    for month in months:
        parse_month(month)
    today = today or _today()
    units = reporting_units(engine, campaign_id)
    with read_session(engine) as s:
        cid = campaign_id_or_none(s, campaign_id)
        day = _deadline_day(s, cid)
        submitted = {
            (unit_id, ward_id, month): at
            for unit_id, ward_id, month, at in s.execute(
                select(
                    MonthlyReport.unit_id,
                    MonthlyReport.ward_id,
                    MonthlyReport.month,
                    MonthlyReport.submitted_at,
                ).where(MonthlyReport.month.in_(months), MonthlyReport.campaign_id == cid)
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
    id: int = 0
    unit_id: int | None = None
    ward_id: int | None = None
    sections: dict[str, str] = field(default_factory=dict)
    attachments: tuple[dict[str, Any], ...] = ()
    returned: bool = False  # sent back by the Culture Office; the unit resubmits
    review_comment: str = ""
    history: tuple[dict[str, Any], ...] = ()


def _views(
    session: Session, month: str, campaign_id: int | None, *where: Any
) -> list[ReportView]:
    campaign_id = campaign_id_or_none(session, campaign_id)
    day = _deadline_day(session, campaign_id)
    rows = session.execute(
        select(MonthlyReport, Unit.name, Ward.name, User.username)
        .join(Unit, MonthlyReport.unit_id == Unit.id)
        .outerjoin(Ward, MonthlyReport.ward_id == Ward.id)
        .outerjoin(User, MonthlyReport.submitted_by_id == User.id)
        .where(MonthlyReport.month == month, MonthlyReport.campaign_id == campaign_id, *where)
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
            id=r.id,
            unit_id=r.unit_id,
            ward_id=r.ward_id,
            sections=dict(r.sections or {}),
            attachments=tuple(r.attachments or ()),
            returned=r.review_status == "returned",
            review_comment=r.review_comment or "",
            history=tuple(r.history or ()),
        )
        for r, unit, ward, username in rows
    ]


def list_reports(engine: Engine, month: str, campaign_id: int | None = None) -> list[ReportView]:
    """Return a campaign's reports submitted for a month, in plan and ward order."""
    parse_month(month)
    with read_session(engine) as s:
        return _views(s, month, campaign_id)


def unit_report(
    engine: Engine,
    month: str,
    unit_id: int,
    ward_id: int | None = None,
    campaign_id: int | None = None,
) -> ReportView | None:
    """Return one unit's (or ward's) report for a month, or None if not submitted."""
    parse_month(month)
    ward_match = (
        MonthlyReport.ward_id.is_(None) if ward_id is None else (MonthlyReport.ward_id == ward_id)
    )
    with read_session(engine) as s:
        found = _views(s, month, campaign_id, MonthlyReport.unit_id == unit_id, ward_match)
    return found[0] if found else None


def deadline_day(engine: Engine, campaign_id: int | None = None) -> int:
    """Return the day of the month reports are due before (the campaign plan's, else 20)."""
    with read_session(engine) as s:
        return _deadline_day(s, campaign_id)
