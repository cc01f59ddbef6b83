"""Run Alembic migrations from code, so `init` creates or upgrades any database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect

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


def upgrade_database(engine: Engine) -> bool:
    """Create or upgrade the schema to the newest revision; return True if it was new."""
    is_new = not inspect(engine).has_table("alembic_version")
    if is_new:
        enable_wal(engine)
    cfg = alembic_config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
    return is_new
