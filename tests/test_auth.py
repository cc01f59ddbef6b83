"""Accounts: Argon2 hashes, lock-out after repeated failures, CLI with password on stdin."""

import io

import pytest
from sqlalchemy import select

from kehoach.cli import main
from kehoach.db.engine import read_session
from kehoach.db.models import User
from kehoach.domain.enums import Role
from kehoach.domain.errors import InvalidInput
from kehoach.services import auth


def test_password_is_hashed_and_checked(engine) -> None:
    auth.add_user(engine, "canbo1", "mat-khau-dai", Role.STAFF)
    with read_session(engine) as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "canbo1"))
    assert stored.startswith("$argon2") and "mat-khau-dai" not in stored
    assert auth.authenticate(engine, "canbo1", "mat-khau-dai").role == Role.STAFF
    with pytest.raises(auth.LoginFailed):
        auth.authenticate(engine, "canbo1", "sai")
    with pytest.raises(auth.LoginFailed):
        auth.authenticate(engine, "khong-ton-tai", "x")


def test_lockout_after_repeated_failures(engine) -> None:
    auth.add_user(engine, "lanhdao", "mat-khau-dai", Role.LEADER)
    for _ in range(auth.MAX_FAILED_LOGINS):
        with pytest.raises(auth.LoginFailed):
            auth.authenticate(engine, "lanhdao", "sai-mat-khau")
    with pytest.raises(auth.AccountLocked):
        auth.authenticate(engine, "lanhdao", "mat-khau-dai")  # right password, still locked


def test_ward_officer_needs_a_known_ward(engine) -> None:
    with pytest.raises(InvalidInput):
        auth.add_user(engine, "phuong", "mat-khau-dai", Role.WARD_OFFICER)
    with pytest.raises(InvalidInput):
        auth.add_user(engine, "phuong", "mat-khau-dai", Role.WARD_OFFICER, ward_code="99999")
    actor = auth.add_user(engine, "phuong", "mat-khau-dai", Role.WARD_OFFICER, ward_code="00343")
    assert actor.ward_id is not None


def test_cli_user_add_reads_password_from_stdin(db_url, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setattr("sys.stdin", io.StringIO("mot-mat-khau-tot\n"))
    assert main(["user", "add", "admin", "--role", "admin"]) == 0
    assert "created user admin" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("ngan\n"))
    assert main(["user", "add", "admin2", "--role", "admin"]) == 2
    assert "Lỗi" in capsys.readouterr().err
