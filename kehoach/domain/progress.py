"""Pure rules of progress tracking: task statuses, overdue items, monthly report deadlines.

Also who may register ward routes and set a task's status. Nothing here reads the database.
"""

from __future__ import annotations

import calendar
import re
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


def require_route_edit(actor: Actor, ward_id: int | None) -> None:
    """Refuse unless ``actor`` may register or remove routes of ward ``ward_id``."""
    if actor.role not in ROUTE_EDITORS:
        raise PermissionDenied(f"{actor.role} may not register routes")
    if actor.role == Role.WARD_OFFICER and (actor.ward_id is None or ward_id != actor.ward_id):
        raise PermissionDenied("a ward officer registers only their own ward's routes")


def may_set_task(actor: Actor, unit_id: int, unit_name: str) -> bool:
    """Tell whether ``actor`` may set the status of a task of this unit."""
    if actor.role in TASK_EDITORS:
        return True
    if actor.role in OWN_UNIT_TASK_EDITORS:
        return actor.unit_id == unit_id or (
            bool(actor.unit_name) and name_key(actor.unit_name or "") == name_key(unit_name)
        )
    if actor.role != Role.WARD_OFFICER:
        return False
    return actor.unit_id == unit_id or WARDS_UNIT_KEY in name_key(unit_name)


def require_task_edit(actor: Actor, unit_id: int, unit_name: str) -> None:
    """Refuse unless ``actor`` may set the status of a task of this unit."""
    if not may_set_task(actor, unit_id, unit_name):
        raise PermissionDenied(f"{actor.role} may not update tasks of unit {unit_id}")


def evidence_entry(when: str, username: str, status: str, text: str) -> str:
    """Return one dated, attributed line of a task's evidence log."""
    line = f"[{when} · {username} · {status}]"
    return f"{line} {text.strip()}" if text.strip() else line
