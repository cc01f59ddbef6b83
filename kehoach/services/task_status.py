"""Set and read the hand-kept status of plan tasks: per executor (the unit, or each ward).

A task the app cannot measure from sites has one ``TaskState`` row per executor that reported:
the unit row (no ward) and, for the wards' tasks ("UBND các phường"), one row per ward. A ward
with no row of its own stands where the unit row says. Every change of a row's status (and a
ward row's creation) appends a ``TaskEvent`` (who, when, which ward, old, new), so the rows of
any past moment can be rebuilt: ``task_rows(session, ids, at)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kehoach.db.engine import read_session, write_session
from kehoach.db.models import Task, TaskEvent, TaskState, Unit, User, Ward
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
from kehoach.services.site_rules import check_text


@dataclass(frozen=True)
class TaskRows:
    """The hand-kept rows of one task: the unit's and each reporting ward's."""

    unit: TaskStatus = TaskStatus.OPEN
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


def _status(value: str) -> TaskStatus:
    try:
        return TaskStatus(value)
    except ValueError:
        return TaskStatus.OPEN


def task_rows(
    session: Session, task_ids: Iterable[int], at: datetime | None = None
) -> dict[int, TaskRows]:
    """Return the hand-kept rows of these tasks, now or as they stood at ``at`` (aware).

    Going back in time, a row takes the old value of its first status event after ``at``,
    and a ward row first written after ``at`` did not exist yet (the ward had the unit's).
    Tasks with no row are left out.
    """
    ids = list(task_ids)
    states = session.scalars(
        select(TaskState).where(TaskState.task_id.in_(ids)).order_by(TaskState.updated_at)
    ).all()
    current = {(row.task_id, row.ward_id): _status(row.status) for row in states}
    notes = {row.task_id: row.note for row in states if row.note}  # the last updated wins
    if at is not None:
        _roll_back(session, ids, at, current)
        notes = {}  # evidence notes are not versioned: none is shown for a past moment
    found: dict[int, TaskRows] = {}
    for (task_id, ward_id), status in current.items():
        rows = found.get(task_id) or TaskRows(wards={}, last_note=notes.get(task_id, ""))
        if ward_id is None:
            rows = TaskRows(unit=status, wards=rows.wards, last_note=rows.last_note)
        else:
            assert rows.wards is not None  # made with a dict above
            rows.wards[ward_id] = status
        found[task_id] = rows
    return found


def _roll_back(
    session: Session,
    ids: list[int],
    at: datetime,
    current: dict[tuple[int, int | None], TaskStatus],
) -> None:
    events = session.execute(
        select(TaskEvent.task_id, TaskEvent.ward_id, TaskEvent.at, TaskEvent.old_value)
        .where(TaskEvent.task_id.in_(ids), TaskEvent.field == "status")
        .order_by(TaskEvent.at.desc(), TaskEvent.id.desc())
    ).all()
    first_at: dict[tuple[int, int | None], datetime] = {}
    for task_id, ward_id, when, old in events:  # newest first: the earliest after ``at`` wins
        first_at[(task_id, ward_id)] = when
        if when > at:
            current[(task_id, ward_id)] = _status(old or TaskStatus.OPEN.value)
    for key, when in first_at.items():
        if key[1] is not None and when > at:
            current.pop(key, None)


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
    evidence = check_text(evidence, "evidence", MAX_EVIDENCE)
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
    new_ward_row = row is None and ward_id is not None
    if row is None:
        row = TaskState(task_id=task_id, ward_id=ward_id, note="")
        s.add(row)
    user = s.get(User, actor.id) if actor.id is not None else None
    username = user.username if user else actor.username
    now = datetime.now(LOCAL_TZ)
    line = evidence_entry(format_local_time(now), username, label(status), text)
    # A new status, or a ward's first row (it stops following the unit row), is history; the
    # same status saved again only adds evidence.
    if old != status.value or new_ward_row:
        s.add(
            TaskEvent(
                task_id=task_id, ward_id=ward_id, at=now, user_id=user.id if user else None,
                username=username, field="status", old_value=old, new_value=status.value,
            )
        )  # fmt: skip
    row.status = status.value
    row.note = f"{row.note}\n{line}".strip()
    row.updated_at = now
    row.updated_by_id = user.id if user else None


def task_history(engine: Engine, task_id: int) -> list[StatusChange]:
    """Return every recorded status change of a task, oldest first."""
    with read_session(engine) as s:
        events = s.scalars(
            select(TaskEvent)
            .where(TaskEvent.task_id == task_id, TaskEvent.field == "status")
            .order_by(TaskEvent.at, TaskEvent.id)
        ).all()
        return [
            StatusChange(e.at, e.ward_id, e.username, e.old_value, e.new_value or "")
            for e in events
        ]
