"""task history is append-only, as site history is

Revision ID: 0016
Revises: 0012
Create Date: 2026-11-30 05:00:00.000000

``task_event`` records every change of a task's reported status (who, when, which ward, old
and new). Like ``site_event`` (revision 0005) it is evidence for the monthly report, so the
database itself refuses to change it: a row is never updated nor deleted, and (PostgreSQL)
the table cannot be truncated. The app never deletes a task, so the rows' cascade from
``task`` never fires.

A later migration that rebuilds ``task_event`` on SQLite (``batch_alter_table`` with a table
copy) drops these triggers and must create them again (tests/test_history.py catches it).
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0016'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UP = (
    """
    CREATE TRIGGER task_event_no_update BEFORE UPDATE ON task_event
    BEGIN SELECT RAISE(ABORT, 'task history is append-only: an event cannot be changed'); END
    """,
    """
    CREATE TRIGGER task_event_no_delete BEFORE DELETE ON task_event
    BEGIN SELECT RAISE(ABORT, 'task history is append-only: an event cannot be deleted'); END
    """,
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS task_event_no_delete",
    "DROP TRIGGER IF EXISTS task_event_no_update",
)
POSTGRES_UP = (
    """
    CREATE FUNCTION task_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'task history is append-only: task_event cannot be %', lower(TG_OP)
            USING ERRCODE = 'restrict_violation';
    END $$
    """,
    """
    CREATE TRIGGER task_event_append_only BEFORE UPDATE OR DELETE ON task_event
    FOR EACH ROW EXECUTE FUNCTION task_event_append_only()
    """,
    """
    CREATE TRIGGER task_event_no_truncate BEFORE TRUNCATE ON task_event
    FOR EACH STATEMENT EXECUTE FUNCTION task_event_append_only()
    """,
)
POSTGRES_DOWN = (
    "DROP TRIGGER IF EXISTS task_event_no_truncate ON task_event",
    "DROP TRIGGER IF EXISTS task_event_append_only ON task_event",
    "DROP FUNCTION IF EXISTS task_event_append_only()",
)


def _statements(up: bool) -> Sequence[str]:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        return SQLITE_UP if up else SQLITE_DOWN
    if dialect == "postgresql":
        return POSTGRES_UP if up else POSTGRES_DOWN
    return ()


def upgrade() -> None:
    for statement in _statements(up=True):
        op.execute(statement)


def downgrade() -> None:
    for statement in _statements(up=False):
        op.execute(statement)
