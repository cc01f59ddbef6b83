"""Unit names from the plan are clean: "Đề nghị" is how the plan invites a body, not its name."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import Engine, select, text

from kehoach.adapters.plan_parser import parse_plan_file
from kehoach.db.engine import make_engine, read_session
from kehoach.db.migrate import alembic_config, upgrade_database
from kehoach.db.models import Unit
from kehoach.services import reports

ROOT = Path(__file__).resolve().parent.parent
PLAN = next((ROOT / "data" / "plans").glob("*.txt"))
INVITED = "Ban Tuyên giáo Quận ủy, Ban Dân vận Quận ủy; Ủy ban MTTQ và các tổ chức chính trị"


def test_the_parser_keeps_the_invitation_out_of_the_name() -> None:
    units = parse_plan_file(PLAN).units
    assert not any(u.name.lower().startswith("đề nghị") for u in units)
    invited = [u for u in units if u.invited]
    assert [u.number for u in invited] == [12]
    assert invited[0].name.startswith(INVITED)


def test_stored_units_are_clean_and_invited_bodies_do_not_report(engine: Engine) -> None:
    with read_session(engine) as s:
        units = s.scalars(select(Unit)).all()
        stored = {u.name: u.invited for u in units}
    assert not any(name.startswith("Đề nghị") for name in stored)
    invited = [name for name, flag in stored.items() if flag]
    assert len(invited) == 1 and invited[0].startswith(INVITED)
    assert invited[0] not in {u.unit for u in reports.reporting_units(engine)}


def test_migration_cleans_names_stored_before_it(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0007")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO plan (id, issuer, title, implements, sections, source_name, "
            "text_sha256, imported_at) VALUES (1, '', 'KH', '[]', '[]', 'kh.txt', 'x', "
            "'2024-01-01 00:00:00')"
        ))
        for position, name in enumerate((f"Đề nghị {INVITED}", "Phòng Nội vụ quận"), 1):
            conn.execute(
                text("INSERT INTO unit (plan_id, position, name, lead_in) VALUES (1, :p, :n, '')"),
                {"p": position, "n": name},
            )
    upgrade_database(engine)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT name, invited FROM unit ORDER BY position")).all()
    assert [(name, bool(flag)) for name, flag in rows] == [
        (INVITED, True),
        ("Phòng Nội vụ quận", False),
    ]
