"""Alembic: the migrations build exactly the models' schema and upgrade old databases."""

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from kehoach.db.engine import make_engine
from kehoach.db.migrate import alembic_config, upgrade_database
from kehoach.db.models import Base


def test_migrations_match_models(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade_database(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_upgrade_from_first_revision_keeps_data(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO ward (code, name, full_name, name_key, area_km2, approximate, geojson) "
            "VALUES ('00343', 'Nhân Chính', 'Phường Nhân Chính', 'nhan chinh', 1.7, 1, '{}')"
        ))
    upgrade_database(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM ward")).scalar() == "Nhân Chính"
        assert conn.execute(text("SELECT count(*) FROM ward_route")).scalar() == 0
