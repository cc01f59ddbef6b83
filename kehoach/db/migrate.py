"""Run Alembic migrations from code, so `init` creates or upgrades any database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

from kehoach.db.engine import enable_wal

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    """Build an Alembic config bound to ``engine``'s connection."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # The config is a ConfigParser with interpolation: a percent-encoded URL (a socket path in
    # ?host=%2Fvar%2Frun..., a password with % @ :) must have each % doubled to survive it.
    url = engine.url.render_as_string(hide_password=False)
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def _raw_pragma(connection: Connection, pragma: str) -> None:
    # Straight to the driver: through SQLAlchemy the statement would start a transaction.
    driver = connection.connection.driver_connection
    assert driver is not None  # an open connection has its driver connection
    driver.execute(f"PRAGMA {pragma}")


def upgrade_database(engine: Engine) -> bool:
    """Create or upgrade the schema to the newest revision; return True if it was new."""
    is_new = not inspect(engine).has_table("alembic_version")
    if is_new:
        enable_wal(engine)
    migrate_to(engine, "head")
    return is_new


def migrate_to(engine: Engine, revision: str) -> None:
    """Upgrade or downgrade the schema to ``revision`` in one transaction."""
    cfg = alembic_config(engine)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Rebuilding a table that others reference (SQLite batch mode) needs foreign keys
            # off; the pragma is ignored inside a transaction, so it is set before one starts
            # (migrations that rebuild such a table check the keys themselves).
            _raw_pragma(connection, "foreign_keys = OFF")
        try:
            with connection.begin():
                cfg.attributes["connection"] = connection
                current = MigrationContext.configure(connection).get_current_revision()
                if revision == "head" or current is None or _is_ahead(cfg, revision, current):
                    command.upgrade(cfg, revision)
                else:
                    command.downgrade(cfg, revision)
        finally:
            if sqlite:
                _raw_pragma(connection, "foreign_keys = ON")


def _is_ahead(cfg: Config, revision: str, current: str) -> bool:
    """Tell whether ``revision`` comes after ``current`` (an upgrade, not a downgrade)."""
    scripts = ScriptDirectory.from_config(cfg)
    return any(r.revision == current for r in scripts.iterate_revisions(revision, "base"))
