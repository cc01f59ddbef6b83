"""Pure rules of progress tracking: task statuses, overdue items, monthly report deadlines.

Also who may register ward routes and set a task's status (for its unit or one ward), how a
shared task's status follows from its wards', and when a task is overdue. Nothing here reads the
database.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from enum import StrEnum

from kehoach.domain.clock import LOCAL_TZ
from kehoach.domain.enums import Role, TaskKind
from kehoach.domain.errors import InvalidInput, PermissionDenied
from kehoach.domain.permissions import OWN_UNIT_TASK_EDITORS, Actor
from kehoach.domain.text import name_key

# The plan's closing paragraph: report monthly before the 20th (when the plan gives no day).
DEFAULT_REPORT_DAY = 20
# Tasks whose progress is computed from their linked sites, not set by hand.
SITE_TASK_KINDS = frozenset({TaskKind.DECORATION, TaskKind.FLAGS})
# Inspection results that count as passed ("đạt").
PASSED_RESULTS = frozenset({"pass", "dat"})
# The unit whose tasks ward officers carry out (IV.13 of the plan).
WARDS_UNIT_KEY = "uy ban nhan dan cac phuong"
ROUTE_EDITORS = frozenset({Role.ADMIN, Role.STAFF, Role.WARD_OFFICER})
TASK_EDITORS = frozenset({Role.ADMIN, Role.STAFF})
MAX_EVIDENCE = 2000

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class TaskStatus(StrEnum):
    """Where a task the app cannot measure stands, as its unit says."""

    OPEN = "open"  # chưa thực hiện
    IN_PROGRESS = "in_progress"  # đang thực hiện
    DONE = "done"  # đã hoàn thành


class ReportStatus(StrEnum):
    """A ward's monthly report against the deadline."""

    ON_TIME = "on_time"  # đúng hạn
    LATE = "late"  # nộp muộn
    MISSING = "missing"  # chưa nộp (quá hạn)
    NOT_DUE = "not_due"  # chưa đến hạn


class InvalidMonth(InvalidInput):
    code = "error.progress.month"


class RouteExists(InvalidInput):
    code = "error.route.exists"


class TaskMeasured(InvalidInput):
    code = "error.task.measured"


class NotAWardTask(InvalidInput):
    code = "error.task.not_ward"


def parse_month(month: str) -> tuple[int, int]:
    """Return (year, month) of a 'YYYY-MM' string, or refuse it."""
    match = _MONTH.match(month or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InvalidMonth(f"not a month: {month!r}", month=month)
    return int(match.group(1)), int(match.group(2))


def report_deadline(month: str, day: int | None) -> date:
    """Return the deadline day of a month's report (clipped to the month's last day)."""
    year, number = parse_month(month)
    last = calendar.monthrange(year, number)[1]
    return date(year, number, min(max(day or DEFAULT_REPORT_DAY, 1), last))


def report_status(
    month: str, day: int | None, submitted_at: datetime | None, today: date
) -> ReportStatus:
    """Judge a report: on time if in before the deadline day begins (local time), else late.

    "Trước ngày 20" reads as before the 20th: a report submitted on the 20th itself is late.
    With no report, the month is missing once its deadline day has come, else not yet due.
    """
    deadline = report_deadline(month, day)
    if submitted_at is None:
        return ReportStatus.NOT_DUE if today < deadline else ReportStatus.MISSING
    start = datetime.combine(deadline, time(0, 0), tzinfo=LOCAL_TZ)
    return ReportStatus.ON_TIME if submitted_at < start else ReportStatus.LATE


def is_overdue(due_on: date | None, done: bool, today: date) -> bool:
    """Tell whether a task is past its due date and not done."""
    return due_on is not None and today > due_on and not done


def next_monthly_due(day: int, today: date) -> date:
    """Return the next deadline of a monthly task ("hằng tháng trước ngày N") from ``today``.

    The deadline is the day itself (clipped to short months); on that day it is still the
    current one, from the day after it is next month's.
    """
    this_month = _clipped(today.year, today.month, day)
    if today <= this_month:
        return this_month
    year, month = (today.year, today.month + 1) if today.month < 12 else (today.year + 1, 1)
    return _clipped(year, month, day)


def _clipped(year: int, month: int, day: int) -> date:
    return date(year, month, min(max(day, 1), calendar.monthrange(year, month)[1]))


def task_due_date(due_on: date | None, monthly_day: int | None, today: date) -> date | None:
    """Return a task's due date: its fixed date, else the next one of a monthly deadline."""
    if due_on is not None:
        return due_on
    return next_monthly_due(monthly_day, today) if monthly_day else None


def task_overdue(
    due_on: date | None, monthly_day: int | None, status: TaskStatus, today: date
) -> bool:
    """Tell whether a task is overdue on ``today``: its due date passed and it is not done."""
    due = task_due_date(due_on, monthly_day, today)
    return is_overdue(due, status == TaskStatus.DONE, today)


# --- tasks carried out by every ward ------------------------------------------------------------


def is_ward_task(unit_name: str) -> bool:
    """Tell whether a unit's tasks are carried out by each ward ("UBND các phường")."""
    return WARDS_UNIT_KEY in name_key(unit_name)


def ward_statuses(
    unit_status: TaskStatus, rows: Mapping[int, TaskStatus], ward_ids: Iterable[int]
) -> dict[int, TaskStatus]:
    """Return each ward's status of a ward task; a ward with no row of its own has the unit's."""
    return {ward_id: rows.get(ward_id, unit_status) for ward_id in ward_ids}


def overall_status(statuses: Iterable[TaskStatus]) -> TaskStatus:
    """Return a shared task's status: done when every executor is done, open if none began."""
    found = list(statuses)
    if found and all(status == TaskStatus.DONE for status in found):
        return TaskStatus.DONE
    if any(status != TaskStatus.OPEN for status in found):
        return TaskStatus.IN_PROGRESS
    return TaskStatus.OPEN


def require_route_edit(actor: Actor, ward_id: int | None) -> None:
    """Refuse unless ``actor`` may register or remove routes of ward ``ward_id``."""
    if actor.role not in ROUTE_EDITORS:
        raise PermissionDenied(f"{actor.role} may not register routes")
    if actor.role == Role.WARD_OFFICER and (actor.ward_id is None or ward_id != actor.ward_id):
        raise PermissionDenied("a ward officer registers only their own ward's routes")


def acting_ward(actor: Actor, unit_name: str, ward_id: int | None) -> int | None:
    """Return whose row a status update writes: a ward officer acts for their own ward."""
    if ward_id is None and actor.role == Role.WARD_OFFICER and is_ward_task(unit_name):
        return actor.ward_id
    return ward_id


def may_set_task(actor: Actor, unit_id: int, unit_name: str, ward_id: int | None = None) -> bool:
    """Tell whether ``actor`` may set a task's status for the unit (no ward) or one ward.

    Staff and admins set any row; a ward officer sets only their own ward's row of the wards'
    tasks, or the unit row of the unit they belong to.
    """
    if actor.role in TASK_EDITORS:
        return True
    if actor.role in OWN_UNIT_TASK_EDITORS:
        return actor.unit_id == unit_id or (
            bool(actor.unit_name) and name_key(actor.unit_name or "") == name_key(unit_name)
        )
    if actor.role != Role.WARD_OFFICER:
        return False
    if is_ward_task(unit_name):
        return actor.ward_id is not None and ward_id == actor.ward_id
    return actor.unit_id == unit_id and ward_id is None


def require_task_edit(
    actor: Actor, unit_id: int, unit_name: str, ward_id: int | None = None
) -> None:
    """Refuse unless ``actor`` may set this row (unit or ward) of a task of this unit."""
    if not may_set_task(actor, unit_id, unit_name, ward_id):
        raise PermissionDenied(f"{actor.role} may not update tasks of unit {unit_id}/{ward_id}")
    if ward_id is not None and not is_ward_task(unit_name):
        raise NotAWardTask(f"unit {unit_id} is not carried out ward by ward")


def evidence_entry(when: str, username: str, status: str, text: str) -> str:
    """Return one dated, attributed line of a task's evidence log."""
    line = f"[{when} · {username} · {status}]"
    return f"{line} {text.strip()}" if text.strip() else line
