"""Ward progress table and task board, computed from the demo set, inspections and reports."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from kehoach.db.engine import read_session, write_session
from kehoach.db.models import Inspection, MonthlyReport, Site, Task, Unit
from kehoach.domain.enums import Role, SiteStatus
from kehoach.domain.errors import InvalidInput, NotFound, PermissionDenied
from kehoach.domain.progress import (
    InvalidMonth,
    ReportStatus,
    TaskMeasured,
    TaskStatus,
    is_overdue,
    parse_month,
    report_deadline,
    report_status,
)
from kehoach.services.campaigns import campaign_id_in
from kehoach.services.demo import load_demo
from kehoach.services.progress import (
    current_month,
    report_months,
    task_board,
    ward_bounds,
    ward_progress,
)
from kehoach.services.routes import register_route
from kehoach.services.task_status import editable_tasks, set_task_status
from tests.factories import make_user, street_id, ward_id

BEFORE_DEADLINE = date(2024, 9, 10)
AFTER_DEADLINE = date(2024, 9, 25)
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def _local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """Return a Hanoi wall-clock time as an aware UTC datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=HANOI).astimezone(UTC)


# --- pure rules -----------------------------------------------------------------------------


def test_reports_are_due_before_the_deadline_day_in_local_time() -> None:
    assert report_deadline("2024-09", 20) == date(2024, 9, 20)
    assert report_deadline("2024-02", 31) == date(2024, 2, 29)
    assert report_deadline("2024-09", None) == date(2024, 9, 20)  # the plan's "before the 20th"
    on_time = _local(2024, 9, 19, 23, 59)
    late = _local(2024, 9, 20, 0, 0)
    assert on_time == datetime(2024, 9, 19, 16, 59, tzinfo=UTC)
    assert report_status("2024-09", 20, on_time, AFTER_DEADLINE) == ReportStatus.ON_TIME
    assert report_status("2024-09", 20, late, AFTER_DEADLINE) == ReportStatus.LATE
    assert report_status("2024-09", 20, None, date(2024, 9, 19)) == ReportStatus.NOT_DUE
    assert report_status("2024-09", 20, None, date(2024, 9, 20)) == ReportStatus.MISSING


@pytest.mark.parametrize("bad", ["2024-13", "24-09", "2024-9", "", "2024-09-01"])
def test_bad_months_are_refused(bad: str) -> None:
    with pytest.raises(InvalidMonth):
        parse_month(bad)


def test_overdue_means_past_due_and_not_done() -> None:
    due = date(2024, 10, 10)
    assert is_overdue(due, False, date(2024, 10, 11))
    assert not is_overdue(due, False, due)
    assert not is_overdue(due, True, date(2024, 12, 1))
    assert not is_overdue(None, False, date(2030, 1, 1))


# --- the ward table ---------------------------------------------------------------------------


def test_ward_progress_on_the_demo_set(engine) -> None:
    load_demo(engine)
    table = ward_progress(engine, "2024-09", today=AFTER_DEADLINE).set_index("ward")
    assert len(table) == 11
    nhan_chinh = table.loc["Nhân Chính"]
    assert (nhan_chinh["planned"], nhan_chinh["installing"], nhan_chinh["installed"]) == (5, 2, 15)
    assert (nhan_chinh["needs_fix"], nhan_chinh["removed"], nhan_chinh["sites"]) == (1, 1, 23)
    assert nhan_chinh["installed_share"] == pytest.approx(15 / 23)
    assert (nhan_chinh["flags_hung"], nhan_chinh["flags_expected"]) == (51, 70)
    assert nhan_chinh["flags_share"] == pytest.approx(51 / 70)
    thuong_dinh = table.loc["Thượng Đình"]
    assert (thuong_dinh["installed"], thuong_dinh["sites"]) == (10, 12)
    # Every demo site is in a ward: the table accounts for all of them, by status.
    with read_session(engine) as s:
        by_status = dict(s.execute(select(Site.status, func.count()).group_by(Site.status)).all())
    for status in SiteStatus:
        assert table[status.value].sum() == by_status.get(status.value, 0)
    assert table["sites"].sum() + table["removed"].sum() == 111
    assert (table["passed_share"] == 0).all()  # nobody inspected yet
    assert table["routes"].sum() == 0 and table["route_coverage"].isna().all()
    assert set(table["report_status"]) == {ReportStatus.MISSING.value}
    assert 0 < table.loc["Thượng Đình", "street_coverage"] < 1


def test_inspections_routes_and_reports_reach_the_ward_table(engine) -> None:
    load_demo(engine)
    inspector = make_user(engine, "kiemtra", Role.INSPECTOR)
    staff = make_user(engine, "canbo", Role.STAFF)
    kt, nc, td = ward_id(engine, "00349"), ward_id(engine, "00343"), ward_id(engine, "00346")
    register_route(engine, staff, street_id(engine, "Phố Khương Trung"), kt)
    with write_session(engine) as s:
        sites = s.scalars(
            select(Site.id).where(Site.ward_id == kt, Site.status != "removed").order_by(Site.id)
        ).all()
        assert len(sites) == 3
        at = datetime(2024, 9, 12, 3, tzinfo=UTC)
        # First site: passed. Second: passed, then found needing a fix (latest wins).
        s.add(Inspection(site_id=sites[0], inspector_id=inspector.id, at=at, result="pass"))
        s.add(Inspection(site_id=sites[1], inspector_id=inspector.id, at=at, result="pass"))
        later = datetime(2024, 9, 13, 3, tzinfo=UTC)
        s.add(Inspection(site_id=sites[1], inspector_id=inspector.id, at=later, result="needs_fix"))
        cid = campaign_id_in(s)
        for ward, month, day in ((kt, 9, 18), (nc, 9, 21), (td, 8, 5)):
            at = _local(2024, month, day, 9)
            s.add(MonthlyReport(campaign_id=cid, ward_id=ward, month=f"2024-{month:02d}",
                                submitted_at=at))  # fmt: skip
    table = ward_progress(engine, "2024-09", today=AFTER_DEADLINE).set_index("ward_id")
    assert table.loc[kt, "passed_share"] == pytest.approx(1 / 3)
    assert table.loc[kt, "routes"] == 1 and table.loc[kt, "routes_km"] > 0.5
    assert 0 <= table.loc[kt, "route_coverage"] <= 1
    assert table.loc[kt, "report_status"] == "on_time"
    assert table.loc[nc, "report_status"] == "late"
    assert table.loc[td, "report_status"] == "missing"  # its August report is not September's
    early = ward_progress(engine, "2024-09", today=BEFORE_DEADLINE).set_index("ward_id")
    assert early.loc[td, "report_status"] == "not_due"
    assert early.loc[kt, "report_status"] == "on_time"
    august = ward_progress(engine, "2024-08", today=AFTER_DEADLINE).set_index("ward_id")
    assert august.loc[td, "report_status"] == "on_time"
    with pytest.raises(InvalidMonth):
        ward_progress(engine, "09/2024")


def test_month_picker_and_ward_bounds(engine) -> None:
    months = report_months(engine, today=date(2024, 11, 5))
    assert months[0] == "2024-11" and months[-1] == "2024-03"  # the campaign starts 22/03/2024
    assert current_month(date(2024, 9, 3)) == "2024-09"
    bounds = ward_bounds(engine)
    assert len(bounds) == 11
    (south, west), (north, east) = bounds[ward_id(engine, "00349")]
    assert 20.9 < south < north < 21.1 and 105.7 < west < east < 105.9


# --- the task board ---------------------------------------------------------------------------


def _task(boards, unit_word: str, position: int):  # type: ignore[no-untyped-def]
    board = next(b for b in boards if unit_word in b.name)
    return next(task for task in board.tasks if task.position == position)


def test_task_board_measures_decoration_tasks_from_their_sites(engine) -> None:
    load_demo(engine)
    boards = task_board(engine, today=date(2024, 9, 30))
    assert len(boards) == 13 and sum(len(b.tasks) for b in boards) == 30
    centre = _task(boards, "Trung tâm Văn hoá", 1)
    assert centre.measured and centre.kind == "decoration"
    assert (centre.sites_installed, centre.sites_total) == (26, 36)
    assert centre.share == pytest.approx(26 / 36)
    assert centre.status == TaskStatus.IN_PROGRESS
    assert centre.due_on == date(2024, 10, 10) and not centre.overdue  # the anniversary
    wards = _task(boards, "Ủy ban nhân dân các phường", 3)
    assert (wards.sites_installed, wards.sites_total) == (49, 73)
    assert wards.flags_expected > 0 and wards.flags_hung <= wards.flags_expected
    # A measured task with no linked site has nothing done.
    schools = _task(boards, "Giáo dục", 1)
    assert schools.measured and schools.sites_total == 0 and schools.status == TaskStatus.OPEN
    # "Tham mưu UBND quận thông báo treo cờ" is paperwork its office finishes by hand.
    office = _task(boards, "Văn phòng HĐND", 1)
    assert office.kind == "reporting" and not office.measured
    after = task_board(engine, today=date(2024, 10, 11))
    assert _task(after, "Trung tâm Văn hoá", 1).overdue
    assert next(b for b in after if "Trung tâm Văn hoá" in b.name).overdue == 1
    # Reported tasks have no default due date: never overdue until one is set.
    assert not _task(after, "Phòng Nội vụ", 1).overdue


def test_task_done_when_all_linked_sites_are_installed(engine) -> None:
    load_demo(engine)
    with write_session(engine) as s:
        task_id = s.scalar(
            select(Task.id).join(Unit).where(Unit.name.like("Trung tâm%"), Task.position == 1)
        )
        for site in s.scalars(select(Site).where(Site.task_id == task_id)):
            if site.status != "removed":
                site.status = "installed"
                site.flags_hung = site.flags_expected
    centre = _task(task_board(engine, today=date(2024, 10, 20)), "Trung tâm Văn hoá", 1)
    assert centre.share == 1.0 and centre.status == TaskStatus.DONE and not centre.overdue


def _reported_task(engine, unit_word: str, position: int) -> int:  # type: ignore[no-untyped-def]
    with read_session(engine) as s:
        return s.scalar(
            select(Task.id)
            .join(Unit)
            .where(Unit.name.like(f"%{unit_word}%"))
            .where(Task.position == position)
        )


def test_units_set_status_and_evidence_of_reported_tasks(engine) -> None:
    staff = make_user(engine, "canbo", Role.STAFF)
    task_id = _reported_task(engine, "Nội vụ", 1)
    set_task_status(engine, staff, task_id, "in_progress", "Đã ban hành kế hoạch thi đua.")
    set_task_status(engine, staff, task_id, TaskStatus.DONE, "Tổng kết, khen thưởng xong.")
    task = _task(task_board(engine), "Nội vụ", 1)
    assert task.status == TaskStatus.DONE and not task.measured
    lines = task.evidence_note.splitlines()
    assert len(lines) == 2
    assert "canbo · Đang thực hiện]" in lines[0] and "Đã ban hành kế hoạch" in lines[0]
    assert "canbo · Đã hoàn thành]" in lines[1] and lines[1].endswith("khen thưởng xong.")
    with write_session(engine) as s:
        s.get(Task, task_id).due_on = date(2024, 9, 1)
    set_task_status(engine, staff, task_id, "open")
    assert _task(task_board(engine, today=date(2024, 9, 2)), "Nội vụ", 1).overdue


def test_who_may_set_which_task(engine) -> None:
    officer = make_user(engine, "phuong", Role.WARD_OFFICER, ward_code="00349")
    leader = make_user(engine, "lanhdao", Role.LEADER)
    admin = make_user(engine, "quantri", Role.ADMIN)
    wards_task = _reported_task(engine, "Ủy ban nhân dân các phường", 1)
    other_task = _reported_task(engine, "Nội vụ", 1)
    set_task_status(engine, officer, wards_task, "in_progress", "Phường đã tổ chức văn nghệ.")
    with pytest.raises(PermissionDenied):
        set_task_status(engine, officer, other_task, "done")
    with pytest.raises(PermissionDenied):
        set_task_status(engine, leader, other_task, "done")
    set_task_status(engine, admin, other_task, "done")
    with pytest.raises(TaskMeasured):
        set_task_status(engine, admin, _reported_task(engine, "Trung tâm", 1), "done")
    with pytest.raises(InvalidInput):
        set_task_status(engine, admin, other_task, "finished")
    with pytest.raises(InvalidInput):
        set_task_status(engine, admin, other_task, "done", "x" * 2001)
    with pytest.raises(NotFound):
        set_task_status(engine, admin, 99_999, "done")
    editable = editable_tasks(engine, officer)
    assert wards_task in editable and other_task not in editable
    assert len(editable) == 3  # the wards' unit has 4 tasks; one is measured (decoration)
    assert editable_tasks(engine, leader) == {}
    # All but the measured ones: the Culture Centre's, the schools' and the wards' decoration.
    assert len(editable_tasks(engine, admin)) == 30 - 3
