"""Task status per executor: each ward its own row, a shared status derived, history kept."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, select, text

from kehoach.db.engine import read_session, write_session
from kehoach.db.migrate import migrate_to
from kehoach.db.models import Task, Unit, Ward
from kehoach.domain.enums import Role
from kehoach.domain.errors import PermissionDenied
from kehoach.domain.progress import (
    NotAWardTask,
    TaskStatus,
    next_monthly_due,
    overall_status,
    task_due_date,
    task_overdue,
)
from kehoach.services.progress import TaskProgress, task_board, task_statuses_as_of
from kehoach.services.task_status import set_task_status, task_history, task_rows
from tests.apptest import signed_in
from tests.factories import make_user, ward_id

WARD_A, WARD_B = "00349", "00343"  # Khương Trung, Nhân Chính


def _task_id(engine: Engine, unit_word: str, position: int) -> int:
    with read_session(engine) as s:
        found = s.scalar(
            select(Task.id)
            .join(Unit)
            .where(Unit.name.like(f"%{unit_word}%"), Task.position == position)
        )
    assert found is not None
    return found


def _board_task(engine: Engine, task_id: int, today: date | None = None) -> TaskProgress:
    return next(t for b in task_board(engine, today=today) for t in b.tasks if t.task_id == task_id)


# --- pure rules -------------------------------------------------------------------------------


def test_a_shared_task_is_done_only_when_every_executor_is() -> None:
    done, begun, open_ = TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.OPEN
    assert overall_status([done] * 11) == done
    assert overall_status([done] * 10 + [open_]) == begun
    assert overall_status([open_, begun]) == begun
    assert overall_status([open_] * 11) == open_
    assert overall_status([]) == open_


def test_monthly_and_fixed_deadlines_with_a_fixed_today() -> None:
    assert next_monthly_due(20, date(2024, 9, 3)) == date(2024, 9, 20)
    assert next_monthly_due(20, date(2024, 9, 20)) == date(2024, 9, 20)
    assert next_monthly_due(20, date(2024, 9, 21)) == date(2024, 10, 20)
    assert next_monthly_due(31, date(2024, 2, 10)) == date(2024, 2, 29)
    assert next_monthly_due(20, date(2024, 12, 25)) == date(2025, 1, 20)
    assert task_due_date(date(2024, 9, 30), 20, date(2024, 9, 1)) == date(2024, 9, 30)
    assert task_due_date(None, None, date(2024, 9, 1)) is None
    due = date(2024, 9, 30)
    assert not task_overdue(due, None, TaskStatus.IN_PROGRESS, date(2024, 9, 30))
    assert task_overdue(due, None, TaskStatus.IN_PROGRESS, date(2024, 10, 1))
    assert task_overdue(due, None, TaskStatus.OPEN, date(2024, 10, 1))
    assert not task_overdue(due, None, TaskStatus.DONE, date(2024, 10, 1))
    # A monthly task always has a next deadline ahead of it.
    assert not task_overdue(None, 20, TaskStatus.OPEN, date(2024, 9, 25))


# --- one row per ward -------------------------------------------------------------------------


def test_a_ward_finishing_does_not_finish_another_ward(engine: Engine) -> None:
    officer_a = make_user(engine, "phuong-a", Role.WARD_OFFICER, ward_code=WARD_A)
    officer_b = make_user(engine, "phuong-b", Role.WARD_OFFICER, ward_code=WARD_B)
    staff = make_user(engine, "canbo", Role.STAFF)
    task_id = _task_id(engine, "Ủy ban nhân dân các phường", 1)
    set_task_status(engine, officer_a, task_id, "done", "Đã tổ chức văn nghệ.")
    task = _board_task(engine, task_id)
    assert (task.wards_done, task.wards_total) == (1, 11)
    assert task.status == TaskStatus.IN_PROGRESS
    set_task_status(engine, officer_b, task_id, "in_progress")
    assert _board_task(engine, task_id).wards_done == 1  # ward B begun, not done
    with read_session(engine) as s:
        wards = list(s.scalars(select(Ward.id)))
    for ward in wards:
        set_task_status(engine, staff, task_id, "done", ward_id=ward)
    task = _board_task(engine, task_id)
    assert (task.wards_done, task.status) == (11, TaskStatus.DONE)
    history = task_history(engine, task_id)
    assert len(history) == 2 + 10  # ward A, already done, adds evidence but no history line
    first = history[0]
    assert (first.ward_id, first.username, first.old_status, first.new_status) == (
        ward_id(engine, WARD_A),
        "phuong-a",
        "open",
        "done",
    )
    assert history[-1].username == "canbo"


def test_the_unit_row_stands_for_wards_that_did_not_report(engine: Engine) -> None:
    staff = make_user(engine, "canbo", Role.STAFF)
    officer_a = make_user(engine, "phuong-a", Role.WARD_OFFICER, ward_code=WARD_A)
    task_id = _task_id(engine, "Ủy ban nhân dân các phường", 2)
    set_task_status(engine, staff, task_id, "done")  # the unit row: every ward
    assert _board_task(engine, task_id).wards_done == 11
    set_task_status(engine, officer_a, task_id, "in_progress", "Còn một di tích.")
    task = _board_task(engine, task_id)
    assert (task.wards_done, task.status) == (10, TaskStatus.IN_PROGRESS)
    assert "Còn một di tích." in task.evidence_note
    assert task_history(engine, task_id)[-1].old_status == "done"  # ward A had the unit's


def test_who_may_set_which_row(engine: Engine) -> None:
    officer_a = make_user(engine, "phuong-a", Role.WARD_OFFICER, ward_code=WARD_A)
    staff = make_user(engine, "canbo", Role.STAFF)
    admin = make_user(engine, "quantri", Role.ADMIN)
    wards_task = _task_id(engine, "Ủy ban nhân dân các phường", 1)
    centre_task = _task_id(engine, "Trung tâm Văn hoá", 2)
    b = ward_id(engine, WARD_B)
    with pytest.raises(PermissionDenied):
        set_task_status(engine, officer_a, wards_task, "done", ward_id=b)
    with pytest.raises(PermissionDenied):
        set_task_status(engine, officer_a, centre_task, "done")
    set_task_status(engine, staff, wards_task, "done", ward_id=b)
    set_task_status(engine, admin, wards_task, "in_progress", ward_id=ward_id(engine, WARD_A))
    set_task_status(engine, staff, centre_task, "done", "Đã tổ chức chương trình nghệ thuật.")
    assert _board_task(engine, centre_task).status == TaskStatus.DONE
    assert _board_task(engine, wards_task).wards_done == 1
    with pytest.raises(NotAWardTask):
        set_task_status(engine, staff, centre_task, "done", ward_id=b)


def test_oversight_and_advice_tasks_are_finished_by_hand(engine: Engine) -> None:
    staff = make_user(engine, "canbo", Role.STAFF)
    oversight = _task_id(engine, "Phòng Văn hoá và Thông tin", 2)  # "Chủ trì đôn đốc, kiểm tra"
    flags_notice = _task_id(engine, "Văn phòng HĐND", 1)  # "Tham mưu ... thông báo treo cờ"
    for task_id in (oversight, flags_notice):
        before = _board_task(engine, task_id)
        assert not before.measured and before.status == TaskStatus.OPEN
        set_task_status(engine, staff, task_id, "done", "Đã ban hành văn bản.")
        assert _board_task(engine, task_id).status == TaskStatus.DONE
    # The decoration task stays measured from the sites of the campaign.
    assert _board_task(engine, _task_id(engine, "Trung tâm Văn hoá", 1)).measured


def test_overdue_tasks_on_the_board(engine: Engine) -> None:
    staff = make_user(engine, "canbo", Role.STAFF)
    fixed = _task_id(engine, "Nội vụ", 1)
    monthly = _task_id(engine, "Nội vụ", 2)
    with write_session(engine) as s:
        s.get(Task, fixed).due_on = date(2024, 9, 30)
        s.get(Task, monthly).due_day = 20
    assert not _board_task(engine, fixed, date(2024, 9, 30)).overdue
    assert _board_task(engine, fixed, date(2024, 10, 1)).overdue
    recurring = _board_task(engine, monthly, date(2024, 9, 25))
    assert (recurring.due_on, recurring.monthly_day, recurring.overdue) == (
        date(2024, 10, 20),
        20,
        False,
    )
    set_task_status(engine, staff, fixed, "done")
    assert not _board_task(engine, fixed, date(2024, 10, 1)).overdue


def test_past_statuses_are_rebuilt_per_ward(engine: Engine) -> None:
    officer_a = make_user(engine, "phuong-a", Role.WARD_OFFICER, ward_code=WARD_A)
    staff = make_user(engine, "canbo", Role.STAFF)
    task_id = _task_id(engine, "Ủy ban nhân dân các phường", 1)
    set_task_status(engine, staff, task_id, "done")  # the unit row: every ward done
    after_unit = datetime.now(UTC)
    set_task_status(engine, staff, task_id, "open")  # the unit row reopened
    set_task_status(engine, officer_a, task_id, "in_progress")  # ward A's own row, later
    campaign = None
    assert task_statuses_as_of(engine, campaign)[task_id] == "in_progress"
    # Back then ward A had no row of its own: it followed the unit row, done like every ward.
    assert task_statuses_as_of(engine, campaign, after_unit)[task_id] == "done"
    with read_session(engine) as s:
        then = task_rows(s, [task_id], after_unit)[task_id]
    assert then.unit == TaskStatus.DONE and then.wards == {}
    assert [(c.ward_id, c.old_status, c.new_status) for c in task_history(engine, task_id)] == [
        (None, "open", "done"),
        (None, "done", "open"),
        (ward_id(engine, WARD_A), "open", "in_progress"),
    ]


# --- migration --------------------------------------------------------------------------------


def test_migration_copies_each_shared_status_to_the_unit_row(engine: Engine) -> None:
    office = _task_id(engine, "Văn phòng HĐND", 1)
    centre = _task_id(engine, "Trung tâm Văn hoá", 1)
    migrate_to(engine, "0007")
    with engine.begin() as conn:
        # The kinds the parser gave before: oversight and the flag notice counted as measured.
        conn.execute(text("UPDATE task SET kind = 'decoration' WHERE id = 2"))
        conn.execute(text("UPDATE task SET kind = 'flags' WHERE id = :id"), {"id": office})
        conn.execute(
            text("UPDATE task SET status = 'done', evidence_note = 'Đã xong' WHERE id = 1")
        )
        conn.execute(text("UPDATE task SET status = 'in_progress' WHERE id = 2"))
        tasks = conn.execute(text("SELECT id, status, evidence_note FROM task ORDER BY id")).all()
    migrate_to(engine, "head")
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT task_id, ward_id, status, note FROM task_status ORDER BY task_id")
        ).all()
        # No event for the copies: a row without later events has had its status all along.
        assert conn.execute(text("SELECT count(*) FROM task_event")).scalar() == 0
    assert [(r.task_id, r.ward_id, r.status, r.note) for r in rows] == [
        (t.id, None, t.status, t.evidence_note) for t in tasks
    ]
    with engine.connect() as conn:
        kinds = dict(conn.execute(text("SELECT id, kind FROM task")).all())
    assert (kinds[2], kinds[office], kinds[centre]) == ("inspection", "reporting", "decoration")
    # Tasks 1 and 2 are the Culture Department's hand-kept ones: the board reads the copies.
    assert not _board_task(engine, 1).measured and not _board_task(engine, 2).measured
    assert _board_task(engine, 1).status == TaskStatus.DONE
    assert _board_task(engine, 1).evidence_note == "Đã xong"
    assert _board_task(engine, 2).status == TaskStatus.IN_PROGRESS


# --- the task board page ----------------------------------------------------------------------


def test_a_ward_officer_updates_their_ward_on_the_board(app_env, engine: Engine) -> None:
    at = signed_in(engine, Role.WARD_OFFICER, ward=WARD_A).switch_page("app_pages/tasks.py").run()
    boxes = {box.label: box for box in at.selectbox}
    assert "Phường" not in boxes  # an officer acts for their own ward
    task_id = boxes["Nhiệm vụ"].value
    at.radio[0].set_value("done")
    at.button[0].click().run()
    assert not at.exception
    task = _board_task(engine, task_id)
    assert (task.wards_done, task.wards_total) == (1, 11)
    assert any(p.proto.text == "1/11 phường hoàn thành" for p in at.get("progress"))


def test_staff_pick_the_ward_they_update(app_env, engine: Engine) -> None:
    at = signed_in(engine, Role.STAFF).switch_page("app_pages/tasks.py").run()
    wards_task = _task_id(engine, "Ủy ban nhân dân các phường", 1)
    boxes = {box.label: box for box in at.selectbox}
    boxes["Nhiệm vụ"].set_value(wards_task)
    boxes["Phường"].set_value(ward_id(engine, WARD_B))
    at.radio[0].set_value("done")
    at.button[0].click().run()
    assert not at.exception
    assert _board_task(engine, wards_task).wards_done == 1
    assert task_history(engine, wards_task)[-1].ward_id == ward_id(engine, WARD_B)
    # A ward picked for a task that is not the wards' is refused with a message.
    next(box for box in at.selectbox if box.label == "Nhiệm vụ").set_value(
        _task_id(engine, "Nội vụ", 1)
    )
    at.button[0].click().run()
    assert [e.value for e in at.error] == [
        "Nhiệm vụ này không theo dõi theo từng phường: hãy chọn «Cả đơn vị»."
    ]
