"""site history is append-only: the database refuses to change or delete a real event

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 01:20:00.000000

Rules the database itself enforces (so no code path, script or console can break them):

- a ``site_event`` row is never updated;
- a ``site_event`` row is deleted only when its site is a demo site (``site.is_demo``), which
  is how clearing the demo set removes the demo history;
- ``site.is_demo`` never changes after the site is created, so a real site cannot be turned
  into a demo one to get its history deleted;
- (PostgreSQL) ``site_event`` cannot be truncated.

Errors are integrity errors (SQLite ``RAISE(ABORT)``, PostgreSQL SQLSTATE 23001
``restrict_violation``), so both engines raise ``sqlalchemy.exc.IntegrityError``.

Caution for later migrations: on SQLite, ``op.batch_alter_table`` rebuilds a table by copying
it and dropping the old one, which drops its triggers. A migration that batch-alters ``site``
or ``site_event`` must create these triggers again (tests/test_history.py catches it).
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UP = (
    """
    CREATE TRIGGER site_event_no_update BEFORE UPDATE ON site_event
    BEGIN SELECT RAISE(ABORT, 'site history is append-only: an event cannot be changed'); END
    """,
    """
    CREATE TRIGGER site_event_no_delete BEFORE DELETE ON site_event
    WHEN NOT EXISTS (SELECT 1 FROM site WHERE site.id = OLD.site_id AND site.is_demo)
    BEGIN SELECT RAISE(ABORT, 'site history is append-only: only demo events can be deleted'); END
    """,
    """
    CREATE TRIGGER site_is_demo_fixed BEFORE UPDATE OF is_demo ON site
    WHEN NEW.is_demo IS NOT OLD.is_demo
    BEGIN SELECT RAISE(ABORT, 'site.is_demo cannot change after the site is created'); END
    """,
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS site_is_demo_fixed",
    "DROP TRIGGER IF EXISTS site_event_no_delete",
    "DROP TRIGGER IF EXISTS site_event_no_update",
)

PG_UP = (
    """
    CREATE FUNCTION site_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION 'site history is append-only: an event cannot be changed'
                USING ERRCODE = 'restrict_violation';
        ELSIF TG_OP = 'TRUNCATE' THEN
            RAISE EXCEPTION 'site history is append-only: site_event cannot be truncated'
                USING ERRCODE = 'restrict_violation';
        ELSIF NOT EXISTS (SELECT 1 FROM site WHERE site.id = OLD.site_id AND site.is_demo) THEN
            RAISE EXCEPTION 'site history is append-only: only demo events can be deleted'
                USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN OLD;
    END $$
    """,
    """
    CREATE TRIGGER site_event_append_only BEFORE UPDATE OR DELETE ON site_event
    FOR EACH ROW EXECUTE FUNCTION site_event_append_only()
    """,
    """
    CREATE TRIGGER site_event_no_truncate BEFORE TRUNCATE ON site_event
    FOR EACH STATEMENT EXECUTE FUNCTION site_event_append_only()
    """,
    """
    CREATE FUNCTION site_is_demo_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.is_demo IS DISTINCT FROM OLD.is_demo THEN
            RAISE EXCEPTION 'site.is_demo cannot change after the site is created'
                USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER site_is_demo_fixed BEFORE UPDATE OF is_demo ON site
    FOR EACH ROW EXECUTE FUNCTION site_is_demo_fixed()
    """,
)
PG_DOWN = (
    "DROP TRIGGER IF EXISTS site_is_demo_fixed ON site",
    "DROP FUNCTION IF EXISTS site_is_demo_fixed()",
    "DROP TRIGGER IF EXISTS site_event_no_truncate ON site_event",
    "DROP TRIGGER IF EXISTS site_event_append_only ON site_event",
    "DROP FUNCTION IF EXISTS site_event_append_only()",
)


def _run(sqlite: Sequence[str], postgresql: Sequence[str]) -> None:
    dialect = op.get_bind().dialect.name
    statements = {"sqlite": sqlite, "postgresql": postgresql}.get(dialect)
    if statements is None:
        raise NotImplementedError(f"no append-only guard for the {dialect} database")
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    _run(SQLITE_UP, PG_UP)


def downgrade() -> None:
    _run(SQLITE_DOWN, PG_DOWN)
