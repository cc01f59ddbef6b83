"""`init` creates the database with the real data and changes nothing when run again."""

from pathlib import Path

from sqlalchemy import func, select

from kehoach.cli import main
from kehoach.db.engine import make_engine, read_session
from kehoach.db.models import District, Place, Plan, PlanStreet, Street, Task, Unit, Ward
from kehoach.services.bootstrap import init_database

MODELS = (District, Ward, Street, Place, Plan, Unit, Task, PlanStreet)


def _counts(engine) -> dict[str, int]:
    with read_session(engine) as s:
        return {m.__name__: s.scalar(select(func.count()).select_from(m)) for m in MODELS}


def test_init_loads_real_data_and_is_idempotent(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    first = init_database(engine)
    counts = _counts(engine)
    assert first.schema_created
    assert counts["District"] == 1
    assert counts["Ward"] == 11
    assert counts["Street"] == 125
    assert counts["Place"] == 29
    assert counts["Plan"] == 1
    assert counts["Unit"] == 13

    second = init_database(engine)
    assert not second.schema_created
    assert sum(second.added.values()) == 0
    assert _counts(engine) == counts


def test_plan_streets_are_matched(engine) -> None:
    with read_session(engine) as s:
        rows = s.execute(
            select(PlanStreet.mentioned_name, Street.name).join(
                Street, PlanStreet.street_id == Street.id
            )
        ).all()
    matched = {street for _, street in rows}
    assert {"Đường Khuất Duy Tiến", "Đường Nguyễn Trãi", "Đường Lê Văn Lương"} <= matched


def test_sqlite_settings(engine) -> None:
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_cli_init_twice(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    assert main(["init"]) == 0
    assert "Cơ sở dữ liệu đã được tạo" in capsys.readouterr().out
    assert main(["init"]) == 0
    out = capsys.readouterr().out
    assert "đã nạp: quận 0, phường 0, tuyến phố 0, địa điểm 0, kế hoạch 0" in out
