"""Read a task's deadline from its text: a fixed due date or a monthly day.

Forms a plan uses, with the date read as the last day the work is on time:

* "trước ngày 20/9/2024", "xong trước ngày 01/10/2024", "hoàn thành trước 30/9" — before that
  day, so due the day before (as the monthly report "trước ngày 20" is late on the 20th);
* "chậm nhất ngày 25/9", "hạn chót 25/9/2024", "đến hết ngày 25/9" — that day itself;
* "trong tháng 9/2024", "trong tháng 9 năm 2024" — the month's last day;
* "hằng tháng trước ngày 20", "định kỳ hàng tháng (trước ngày 20)" — monthly, day 20.

A date without a year takes ``default_year`` (the plan's anniversary or issue year). The
earliest deadline phrase in the text wins.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace

from kehoach.adapters.plan_parser.records import Unit

_DAY_MONTH = r"(\d{1,2})\s*(?:[/.\-]|\s+tháng\s+)\s*(\d{1,2})(?:\s*(?:[/.\-]|\s+năm\s+)\s*(\d{4}))?"
_BEFORE_RE = re.compile(rf"\btrước\s+(?:ngày\s+)?{_DAY_MONTH}", re.IGNORECASE)
_BY_RE = re.compile(
    rf"\b(?:chậm\s+nhất(?:\s+là)?(?:\s+vào)?|hạn\s+chót(?:\s+là)?|đến\s+hết)\s+(?:ngày\s+)?"
    rf"{_DAY_MONTH}",
    re.IGNORECASE,
)
_MONTH_RE = re.compile(
    r"\btrong\s+tháng\s+(\d{1,2})(?:\s*(?:/|\s+năm\s+)\s*(\d{4}))?(?![\d/])", re.IGNORECASE
)
_MONTHLY_RE = re.compile(
    r"\b(?:hằng|hàng)\s+tháng\W{0,3}\s*(?:\(\s*)?trước\s+ngày\s+(\d{1,2})(?![\d/.]|\s+tháng)"
    r"|\btrước\s+ngày\s+(\d{1,2})\s+(?:hằng|hàng)\s+tháng\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Deadline:
    """A task's deadline: a fixed last day, or the day of a monthly deadline."""

    due_on: dt.date | None = None
    monthly_day: int | None = None


NO_DEADLINE = Deadline()


def _date(day: str, month: str, year: str | None, default_year: int | None) -> dt.date | None:
    chosen = int(year) if year else default_year
    if chosen is None:
        return None
    try:
        return dt.date(chosen, int(month), int(day))
    except ValueError:
        return None


def parse_deadline(text: str, default_year: int | None) -> Deadline:
    """Return the deadline a task text states, or ``NO_DEADLINE``."""
    found: list[tuple[int, Deadline]] = []
    if match := _MONTHLY_RE.search(text):
        day = int(match.group(1) or match.group(2))
        if 1 <= day <= 31:
            found.append((match.start(), Deadline(monthly_day=day)))
    for pattern, shift in ((_BEFORE_RE, -1), (_BY_RE, 0)):
        for match in pattern.finditer(text):
            found_day, found_month, found_year = match.group(1, 2, 3)
            when = _date(found_day, found_month, found_year, default_year)
            if when is not None:
                found.append((match.start(), Deadline(when + dt.timedelta(days=shift))))
                break
    if match := _MONTH_RE.search(text):
        month, year = int(match.group(1)), match.group(2)
        chosen = int(year) if year else default_year
        if chosen is not None and 1 <= month <= 12:
            last = calendar.monthrange(chosen, month)[1]
            found.append((match.start(), Deadline(dt.date(chosen, month, last))))
    return min(found, key=lambda item: item[0])[1] if found else NO_DEADLINE


def with_deadlines(unit: Unit, default_year: int | None) -> Unit:
    """Return ``unit`` with each task's deadline read from its text."""
    tasks = []
    for task in unit.tasks:
        deadline = parse_deadline(task.text, default_year)
        tasks.append(replace(task, due_on=deadline.due_on, due_day=deadline.monthly_day))
    return replace(unit, tasks=tuple(tasks))
