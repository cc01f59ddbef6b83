"""Site and task history are append-only, and the database itself holds the rule, on both engines.

No code path may change or delete a real site's event: the database refuses a raw UPDATE or
DELETE whoever sends it. Only the events of demo sites may be deleted, and only that way does
clearing the demo set remove history; a site's demo flag cannot change to get around it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import IntegrityError

from kehoach.db.engine import make_engine, read_session
from kehoach.db.models import Site, SiteEvent
from kehoach.domain.enums import Role, SiteStatus
from kehoach.domain.permissions import Actor
from kehoach.services.backup import backup_database, restore_database
from kehoach.services.demo import clear_demo, load_demo
from kehoach.services.sites import SiteChanges, update_site
from tests.factories import make_site

ADMIN = Actor(None, "tester", Role.ADMIN)

# Every way to rewrite or remove a real site's history behind the services' back.
REWRITES = {
    "update an event": "UPDATE site_event SET new_value = 'forged' WHERE site_id = :site",
    "re-date an event": "UPDATE site_event SET at = '2000-01-01 00:00:00' WHERE site_id = :site",
    "delete an event": "DELETE FROM site_event WHERE site_id = :site",
    "delete all history": "DELETE FROM site_event",
    "turn a real site into a demo one": "UPDATE site SET is_demo = TRUE WHERE id = :site",
}


def _events(engine: Engine, *where: object) -> list[tuple[object, ...]]:
    """Return every event matching ``where`` as a comparable tuple, in id order."""
    with read_session(engine) as s:
        rows = s.scalars(select(SiteEvent).where(*where).order_by(SiteEvent.id)).all()
        return [
            (e.id, e.site_id, e.at, e.user_id, e.username, e.action, e.field, e.old_value,
             e.new_value, e.source)
            for e in rows
        ]  # fmt: skip


def _real_site_with_history(engine: Engine) -> int:
    site_id = make_site(engine, name="Pa-nô thật")
    with read_session(engine) as s:
        version = s.get(Site, site_id).version
    update_site(
        engine, ADMIN, site_id, version, SiteChanges({"status": SiteStatus.INSTALLING.value})
    )
    return site_id


def _refused(engine: Engine, sql: str, **params: object) -> None:
    with pytest.raises(IntegrityError, match="append-only|is_demo"), engine.begin() as conn:
        conn.execute(text(sql), params)


@pytest.mark.parametrize("sql", REWRITES.values(), ids=REWRITES.keys())
def test_the_database_refuses_to_rewrite_a_real_sites_history(any_engine: Engine, sql) -> None:
    site_id = _real_site_with_history(any_engine)
    before = _events(any_engine)
    assert len(before) == 2  # 'created' and the status change
    params = {"site": site_id} if ":site" in sql else {}
    _refused(any_engine, sql, **params)
    assert _events(any_engine) == before
    with read_session(any_engine) as s:
        assert s.get(Site, site_id).is_demo is False


def test_demo_events_are_never_changed_either(any_engine: Engine) -> None:
    assert load_demo(any_engine) > 0
    demo = SiteEvent.site_id.in_(select(Site.id).where(Site.is_demo))
    before = _events(any_engine, demo)
    _refused(any_engine, "UPDATE site_event SET username = 'forged'")
    assert _events(any_engine, demo) == before


def test_loading_and_clearing_the_demo_keeps_every_real_event(any_engine: Engine) -> None:
    site_id = _real_site_with_history(any_engine)
    real = _events(any_engine)
    count = load_demo(any_engine)
    demo_events = _events(any_engine, SiteEvent.site_id != site_id)
    assert len(demo_events) == count > 0  # one 'created' event per demo site
    assert clear_demo(any_engine) == count
    assert _events(any_engine) == real
    with read_session(any_engine) as s:
        assert s.scalars(select(Site.id)).all() == [site_id]


@pytest.fixture
def restore_target(
    any_db_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[str]:
    """Return the URL of an empty database on the same engine as ``any_db_url``."""
    if any_db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    server = request.getfixturevalue("pg_server")
    name = f"kehoach_restored_{os.getpid()}"
    yield server.create_database(name)
    server.drop_database(name)


def test_a_restored_backup_keeps_the_guard(
    any_db_url: str, restore_target: str, tmp_path: Path
) -> None:
    engine = make_engine(any_db_url)
    try:
        site_id = _real_site_with_history(engine)
        before = _events(engine)
    finally:
        engine.dispose()
    backup = tmp_path / "backup"
    backup_database(any_db_url, backup)
    restore_database(restore_target, backup)
    restored = make_engine(restore_target)
    try:
        assert _events(restored) == before
        _refused(restored, "DELETE FROM site_event WHERE site_id = :site", site=site_id)
        _refused(restored, "UPDATE site_event SET username = 'forged'")
        assert _events(restored) == before
    finally:
        restored.dispose()


# --- task history (revision 0016) -------------------------------------------------------------

TASK_REWRITES = {
    "update a task event": "UPDATE task_event SET new_value = 'forged'",
    "delete a task event": "DELETE FROM task_event",
}


def _task_events(engine: Engine) -> list[tuple[object, ...]]:
    with read_session(engine) as s:
        rows = s.execute(text("SELECT * FROM task_event ORDER BY id")).all()
        return [tuple(row) for row in rows]


def _task_with_history(engine: Engine) -> None:
    from kehoach.db.models import Task
    from kehoach.domain.enums import TaskKind
    from kehoach.domain.progress import SITE_TASK_KINDS
    from kehoach.services.task_status import set_task_status

    with read_session(engine) as s:
        task_id = next(task.id for task in s.scalars(select(Task).order_by(Task.id))
                       if TaskKind(task.kind) not in SITE_TASK_KINDS)  # fmt: skip
    set_task_status(engine, ADMIN, task_id, "in_progress", "Đã họp triển khai")


@pytest.mark.parametrize("sql", TASK_REWRITES.values(), ids=TASK_REWRITES.keys())
def test_the_database_refuses_to_rewrite_the_task_history(any_engine: Engine, sql) -> None:
    _task_with_history(any_engine)
    before = _task_events(any_engine)
    assert before  # the change above was logged
    _refused(any_engine, sql)
    assert _task_events(any_engine) == before


@pytest.mark.parametrize("table", ["site_event", "task_event"])
def test_postgresql_refuses_to_truncate_either_history(pg_url: str, table: str) -> None:
    engine = make_engine(pg_url)
    try:
        _real_site_with_history(engine)
        _task_with_history(engine)
        before = (_events(engine), _task_events(engine))
        _refused(engine, f"TRUNCATE {table} CASCADE")
        assert (_events(engine), _task_events(engine)) == before
    finally:
        engine.dispose()
