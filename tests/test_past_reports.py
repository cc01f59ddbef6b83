"""Past figures stay true: a closed month's report is rebuilt from history, not today's rows."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import select

from kehoach.db.engine import read_session
from kehoach.db.models import Site, Task, TaskEvent, Unit
from kehoach.domain.enums import Role, TaskKind
from kehoach.domain.permissions import Actor
from kehoach.domain.progress import TaskStatus
from kehoach.services import progress, queries, task_status
from kehoach.services.demo import load_demo
from kehoach.services.reports import build_report_data
from kehoach.services.sites import SiteChanges, decide_approval, update_site
from kehoach.services.timeline import REPORT_COLUMNS, sites_as_of
from tests.test_cli_errors import run_cli

ADMIN = Actor(None, "test", Role.ADMIN)
LEADER = Actor(None, "lanhdao", Role.LEADER)
MONTH_END = datetime(2024, 9, 30, 16, 59, tzinfo=UTC)  # 23:59 in Hanoi


def _document_text(path: Path) -> list[str]:
    """Return every paragraph and table cell of a .docx, in order."""
    document = Document(io.BytesIO(path.read_bytes()))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines.extend(cell.text for row in table.rows for cell in row.cells)
    return lines


def _report(db_url: str, out: Path) -> list[str]:
    result = run_cli("report", "monthly", "--month", "2024-09", "--out", str(out), db_url=db_url)
    assert result.returncode == 0, result.stderr
    return _document_text(out)


def _later_changes(engine) -> tuple[int, int, int]:
    """Relink a site to another task, approve a new site's cost, close a reported task."""
    with read_session(engine) as s:
        site = s.scalars(select(Site).where(Site.task_id.isnot(None)).order_by(Site.id)).first()
        other_task = s.scalar(
            select(Task.id).where(
                Task.kind == site_kind_task(s, site.task_id), Task.id != site.task_id
            )
        )
        pending = s.scalar(select(Site.id).where(Site.approval == "pending").order_by(Site.id))
        reported = s.scalar(
            select(Task.id)
            .join(Unit, Unit.id == Task.unit_id)
            .where(Task.kind == TaskKind.OTHER.value)
            .order_by(Unit.position, Task.position)
        )
        site_id, version = site.id, site.version
    update_site(engine, ADMIN, site_id, version, SiteChanges({"task_id": other_task}))
    decide_approval(engine, LEADER, pending, True, approved_cost=987_654_321)
    task_status.set_task_status(engine, ADMIN, reported, TaskStatus.DONE, "xong")
    return site_id, pending, reported


def site_kind_task(session, task_id: int) -> str:
    return session.get(Task, task_id).kind


def test_a_closed_months_report_stays_the_same_after_later_changes(engine, db_url, tmp_path):
    load_demo(engine)
    before = _report(db_url, tmp_path / "before.docx")
    site_id, pending, reported = _later_changes(engine)
    # The changes are real and show today: the report must not pick them up.
    assert any(t.task_id == reported and t.status == TaskStatus.DONE
               for b in progress.task_board(engine) for t in b.tasks)  # fmt: skip
    assert 987_654_321 in set(queries.costs_by_unit(engine)["approved"])
    after = _report(db_url, tmp_path / "after.docx")
    assert after == before
    # Dated the month's last day (Decree 30 writes month 9 without a leading zero).
    assert "Thanh Xuân, ngày 30 tháng 9 năm 2024" in before


def test_the_report_date_is_a_parameter(engine) -> None:
    load_demo(engine)
    data = build_report_data(engine, "2024-09", now=datetime(2024, 10, 3, tzinfo=UTC))
    assert data.place_date == "Thanh Xuân, ngày 30 tháng 9 năm 2024"
    running = build_report_data(engine, "2024-10", now=datetime(2024, 10, 3, 3, tzinfo=UTC))
    assert running.place_date == "Thanh Xuân, ngày 03 tháng 10 năm 2024"
    chosen = build_report_data(
        engine, "2024-09", now=datetime(2024, 10, 3, tzinfo=UTC), dated=datetime(2024, 10, 5).date()
    )
    assert chosen.place_date == "Thanh Xuân, ngày 05 tháng 10 năm 2024"


def test_sites_as_of_replays_task_links_and_costs(engine) -> None:
    load_demo(engine)
    then = sites_as_of(engine, MONTH_END, extra=REPORT_COLUMNS).set_index("id")
    site_id, pending, _ = _later_changes(engine)
    again = sites_as_of(engine, MONTH_END, extra=REPORT_COLUMNS).set_index("id")
    now = sites_as_of(engine, datetime.now(UTC), extra=REPORT_COLUMNS).set_index("id")
    for column in ("task_id", "approved_cost", "approval"):
        assert _values(again[column]) == _values(then[column])
    assert now.loc[site_id, "task_id"] != then.loc[site_id, "task_id"]
    assert now.loc[pending, "approved_cost"] == 987_654_321
    assert now.loc[pending, "approval"] == "approved"
    assert pd_isna(then.loc[pending, "approved_cost"])


def pd_isna(value: object) -> bool:
    return value is None or value != value


def _values(column) -> dict[int, object]:
    """Return id → value with every missing value as None (None and NaN both mean 'none')."""
    return {k: None if pd_isna(v) else v for k, v in column.to_dict().items()}


def test_task_statuses_as_of_reads_the_task_history(engine) -> None:
    load_demo(engine)
    campaign = None
    before_change = datetime.now(UTC)
    *_, reported = _later_changes(engine)
    assert progress.task_statuses_as_of(engine, campaign, before_change)[reported] == "open"
    assert progress.task_statuses_as_of(engine, campaign)[reported] == "done"
    task_status.set_task_status(engine, ADMIN, reported, TaskStatus.IN_PROGRESS, "làm lại")
    middle = datetime.now(UTC)
    assert progress.task_statuses_as_of(engine, campaign, middle)[reported] == "in_progress"
    assert progress.task_statuses_as_of(engine, campaign, before_change)[reported] == "open"
    with read_session(engine) as s:
        events = s.execute(
            select(TaskEvent.old_value, TaskEvent.new_value)
            .where(TaskEvent.task_id == reported)
            .order_by(TaskEvent.id)
        ).all()
    assert events == [("open", "done"), ("done", "in_progress")]
    # Saving the same status again adds evidence, not a history line.
    task_status.set_task_status(engine, ADMIN, reported, TaskStatus.IN_PROGRESS, "vẫn làm")
    with read_session(engine) as s:
        assert len(s.scalars(select(TaskEvent).where(TaskEvent.task_id == reported)).all()) == 2


def test_task_statuses_as_of_refuses_a_naive_time(engine) -> None:
    with pytest.raises(Exception, match="naive"):
        progress.task_statuses_as_of(engine, None, datetime(2024, 9, 30))
