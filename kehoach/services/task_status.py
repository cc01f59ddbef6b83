"""Set and read the hand-kept status of plan tasks: per executor (the unit, or each ward).

A task the app cannot measure from sites has one ``TaskState`` row per executor that reported:
the unit row (no ward) and, for the wards' tasks ("UBND các phường"), one row per ward. A ward
with no row of its own stands where the unit row says. Every change appends a
``TaskStatusEvent`` (who, when, old, new, note), so the statuses of any past day can be rebuilt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kehoach.db.engine import read_session, write_session
from kehoach.db.models import Task, TaskState, TaskStatusEvent, Unit, User, Ward
from kehoach.domain.enums import TaskKind
from kehoach.domain.errors import InvalidInput, NotFound
from kehoach.domain.permissions import Actor
from kehoach.domain.progress import (
    MAX_EVIDENCE,
    SITE_TASK_KINDS,
    TaskMeasured,
    TaskStatus,
    acting_ward,
    evidence_entry,
    may_set_task,
    require_task_edit,
)
from kehoach.i18n import LOCAL_TZ, format_local_time, label
from kehoach.services.campaigns import plan_id_of


@dataclass(frozen=True)
class TaskRows:
    """The hand-kept rows of one task: the unit's and each reporting ward's."""

    unit: TaskStatus = TaskStatus.OPEN
    unit_note: str = ""
    wards: dict[int, TaskStatus] | None = None
    last_note: str = ""  # the note of the row updated last


@dataclass(frozen=True)
class StatusChange:
    """One line of a task's history."""

    at: datetime
    ward_id: int | None
    username: str
    old_status: str | None
    new_status: str
    note: str


def _status(value: str) -> TaskStatus:
    try:
        return TaskStatus(value)
    except ValueError:
        return TaskStatus.OPEN


def task_rows(session: Session, task_ids: Iterable[int]) -> dict[int, TaskRows]:
    """Return the hand-kept rows of these tasks (tasks with no row are left out)."""
    ids = list(task_ids)
    states = session.scalars(
        select(TaskState).where(TaskState.task_id.in_(ids)).order_by(TaskState.updated_at)
    ).all()
    grouped: dict[int, list[TaskState]] = {}
    for state in states:
        grouped.setdefault(state.task_id, []).append(state)
    found = {}
    for task_id, rows in grouped.items():
        unit = next((row for row in rows if row.ward_id is None), None)
        found[task_id] = TaskRows(
            unit=_status(unit.status) if unit else TaskStatus.OPEN,
            unit_note=unit.note if unit else "",
            wards={row.ward_id: _status(row.status) for row in rows if row.ward_id is not None},
            last_note=next((row.note for row in reversed(rows) if row.note), ""),
        )
    return found


def ward_ids(session: Session) -> list[int]:
    """Return the ids of every ward, in code order."""
    return list(session.scalars(select(Ward.id).order_by(Ward.code)))


def editable_tasks(engine: Engine, actor: Actor, campaign_id: int | None = None) -> dict[int, str]:
    """Return the tasks whose status ``actor`` may set, as id → 'unit.task text'.

    A ward officer sets the wards' tasks for their own ward, staff and admins set any task.
    """
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
        if TaskKind(kind) not in SITE_TASK_KINDS
        and may_set_task(actor, unit_id, u_name, acting_ward(actor, u_name, None))
    }


def set_task_status(
    engine: Engine,
    actor: Actor,
    task_id: int,
    status: TaskStatus | str,
    evidence: str = "",
    ward_id: int | None = None,
) -> None:
    """Set one executor's status of a hand-kept task, append to its evidence, log the change.

    ``ward_id`` None is the unit itself, except that a ward officer acts for their own ward on
    the wards' tasks.
    """
    try:
        status = TaskStatus(status)
    except ValueError:
        raise InvalidInput(f"unknown task status {status!r}", field="status") from None
    if len(evidence) > MAX_EVIDENCE:
        raise InvalidInput(f"evidence longer than {MAX_EVIDENCE} characters", field="evidence")
    with write_session(engine) as s:
        task = s.get(Task, task_id)
        if task is None:
            raise NotFound(f"task {task_id}")
        unit = s.get(Unit, task.unit_id)
        assert unit is not None  # task.unit_id is a NOT NULL foreign key
        ward_id = acting_ward(actor, unit.name, ward_id)
        require_task_edit(actor, unit.id, unit.name, ward_id)
        if TaskKind(task.kind) in SITE_TASK_KINDS:
            raise TaskMeasured("progress of this task is computed from its sites")
        if ward_id is not None and s.get(Ward, ward_id) is None:
            raise NotFound(f"ward {ward_id}")
        _write(s, actor, task_id, ward_id, status, evidence)


def _write(
    s: Session, actor: Actor, task_id: int, ward_id: int | None, status: TaskStatus, text: str
) -> None:
    query = select(TaskState).where(TaskState.task_id == task_id)
    rows = {row.ward_id: row for row in s.scalars(query)}
    row = rows.get(ward_id)
    inherited = rows.get(None)
    old = row.status if row else inherited.status if inherited else TaskStatus.OPEN.value
    if row is None:
        row = TaskState(task_id=task_id, ward_id=ward_id, note="")
        s.add(row)
    user = s.get(User, actor.id) if actor.id is not None else None
    username = user.username if user else actor.username
    now = datetime.now(LOCAL_TZ)
    line = evidence_entry(format_local_time(now), username, label(status), text)
    row.status = status.value
    row.note = f"{row.note}\n{line}".strip()
    row.updated_at = now
    row.updated_by_id = user.id if user else None
    s.add(
        TaskStatusEvent(
            task_id=task_id, ward_id=ward_id, at=now, user_id=row.updated_by_id,
            username=username, old_status=old, new_status=status.value, note=text.strip(),
        )
    )  # fmt: skip


def task_history(engine: Engine, task_id: int) -> list[StatusChange]:
    """Return every recorded status change of a task, oldest first."""
    with read_session(engine) as s:
        events = s.scalars(
            select(TaskStatusEvent)
            .where(TaskStatusEvent.task_id == task_id)
            .order_by(TaskStatusEvent.at, TaskStatusEvent.id)
        ).all()
        return [
            StatusChange(e.at, e.ward_id, e.username, e.old_status, e.new_status, e.note)
            for e in events
        ]
