"""Run Alembic migrations from code, so `init` creates or upgrades any database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
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
    connection.connection.driver_connection.execute(f"PRAGMA {pragma}")  # type: ignore[union-attr]


def upgrade_database(engine: Engine) -> bool:
    """Create or upgrade the schema to the newest revision; return True if it was new."""
    is_new = not inspect(engine).has_table("alembic_version")
    if is_new:
        enable_wal(engine)
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
                command.upgrade(cfg, "head")
        finally:
            if sqlite:
                _raw_pragma(connection, "foreign_keys = ON")
    return is_new
