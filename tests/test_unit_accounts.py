"""Accounts bound to a unit of the plan: by name, tolerant of abbreviations, across campaigns."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from kehoach.cli import main
from kehoach.db.engine import read_session
from kehoach.db.models import Unit
from kehoach.domain.enums import Role
from kehoach.domain.errors import InvalidInput, PermissionDenied
from kehoach.domain.permissions import Actor
from kehoach.domain.text import name_key
from kehoach.services import auth, progress, reports
from kehoach.services.campaign_start import start_campaign
from kehoach.services.campaigns import resolve_campaign
from kehoach.services.unit_accounts import UnitNeeded, UnknownUnit
from tests.factories import make_user

ROOT = Path(__file__).resolve().parent.parent
PLAN = next((ROOT / "data" / "plans").glob("*.txt"))
ADMIN = Actor(None, "setup", Role.ADMIN)


def _unit(engine: Engine, key: str, plan_id: int | None = None) -> Unit:
    with read_session(engine) as s:
        plan_id = plan_id or resolve_campaign(engine).plan_id
        units = s.scalars(select(Unit).where(Unit.plan_id == plan_id)).all()
        return next(u for u in units if name_key(u.name).startswith(key))


def test_a_user_is_bound_to_a_unit_named_with_abbreviations(engine: Engine) -> None:
    actor = make_user(engine, "taichinh", Role.FINANCE, unit="Phòng TC-KH")
    unit = _unit(engine, "phong tai chinh")
    assert (actor.unit_id, actor.unit_name) == (unit.id, unit.name)
    again = auth.load_actor(engine, actor.id)
    assert again is not None and again.unit_id == unit.id and again.role == Role.FINANCE


def test_an_unknown_unit_is_refused_with_near_names(engine: Engine) -> None:
    with pytest.raises(UnknownUnit) as refused:
        make_user(engine, "aimot", Role.UNIT_REPORTER, unit="Phong Tai chinh Ke hach")
    assert "Tài chính" in str(refused.value.params["candidates"])
    with pytest.raises(UnitNeeded):
        make_user(engine, "aihai", Role.UNIT_REPORTER)


def test_the_binding_survives_a_new_campaigns_plan(engine: Engine, tmp_path: Path) -> None:
    actor = make_user(engine, "giaoduc", Role.UNIT_REPORTER, unit="Phòng GD&ĐT")
    old = _unit(engine, "phong giao duc")
    assert actor.unit_id == old.id
    # A new campaign with a new plan (another text: new unit rows) rebinds by name.
    plan = tmp_path / "ke-hoach-moi.txt"
    plan.write_text(PLAN.read_text(encoding="utf-8") + "\nNơi nhận: các đơn vị.\n", "utf-8")
    start_campaign(engine, ADMIN, "Đợt mới", plan_file=plan, copy_from=None)
    new = _unit(engine, "phong giao duc")
    assert new.id != old.id
    again = auth.load_actor(engine, actor.id)
    assert again is not None and again.unit_id == new.id


def test_a_unit_reporter_reports_on_its_own_unit_only(engine: Engine) -> None:
    actor = make_user(engine, "giaoduc", Role.UNIT_REPORTER, unit="Phòng GD&ĐT")
    own, other = _unit(engine, "phong giao duc"), _unit(engine, "phong noi vu")
    month = progress.current_month()
    report = reports.submit_monthly_report(engine, actor, month, "Đã tuyên truyền")
    assert report.unit == own.name
    with pytest.raises(PermissionDenied):
        reports.submit_monthly_report(engine, actor, month, "x", unit_id=other.id)


def test_set_role_binds_and_unbinds_units(engine: Engine) -> None:
    make_user(engine, "canbo", Role.STAFF)
    auth.set_role(engine, ADMIN, "canbo", Role.UNIT_REPORTER, unit="Phòng Nội vụ")
    with read_session(engine) as s:
        user_id = s.scalar(select(auth.User.id).where(auth.User.username == "canbo"))
    actor = auth.load_actor(engine, user_id)
    assert actor is not None and actor.unit_id == _unit(engine, "phong noi vu").id
    auth.set_role(engine, ADMIN, "canbo", Role.LEADER)
    actor = auth.load_actor(engine, user_id)
    assert actor is not None and actor.unit_id is None and actor.unit_name is None


def test_cli_user_add_with_a_unit_speaks_vietnamese(db_url, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setattr("sys.stdin", io.StringIO("mot-mat-khau-tot\n"))
    unit = "Phòng Tài chính - Kế hoạch"
    argv = ["user", "add", "tckh", "--role", "unit_reporter", "--unit", unit]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "Đã tạo tài khoản tckh" in out and "Phòng Tài chính - Kế hoạch quận" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("ngan\n"))
    assert main(["user", "add", "tckh2", "--role", "finance"]) == 2
    err = capsys.readouterr().err
    assert "Mật khẩu phải có ít nhất 8 ký tự" in err and "shorter" not in err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["report", "monthly", "--month", "2999-01", "--out", "r.docx"], "Tháng 2999-01 chưa"),
        (["report", "monthly", "--month", "2024-13", "--out", "r.docx"], "Tháng không hợp lệ"),
        (["user", "role", "khongco", "leader"], "Không có tài khoản «khongco»"),
    ],
)
def test_cli_errors_are_vietnamese_only(db_url, monkeypatch, capsys, tmp_path, argv, expected):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert expected in err
    for english in ("has not started", "not a month", "user ", "unknown"):
        assert english not in err


def test_invalid_input_named_errors_are_still_invalid_input() -> None:
    assert issubclass(UnknownUnit, InvalidInput) and issubclass(UnitNeeded, InvalidInput)
