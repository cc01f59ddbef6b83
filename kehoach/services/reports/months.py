"""Months and deadlines: parse a month, its last day, the moment its figures are taken."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime

from kehoach.domain import progress as progress_rules
from kehoach.domain.errors import InvalidInput
from kehoach.services.timeline import local_date, local_day_end


class MonthNotStarted(InvalidInput):
    code = "error.month.not_started"


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
        raise MonthNotStarted(f"month {month} has not started", field="month", month=month)
