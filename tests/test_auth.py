"""Accounts: Argon2 hashes, throttled sign-in that reveals no account, CLI account commands."""

import io
import re
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from kehoach.cli import main
from kehoach.db.engine import read_session
from kehoach.db.models import User
from kehoach.domain import throttle
from kehoach.domain.enums import Role
from kehoach.domain.errors import DomainError, InvalidInput, PermissionDenied
from kehoach.domain.permissions import Actor
from kehoach.domain.throttle import ACCOUNT_POLICY, CLIENT_POLICY
from kehoach.i18n import t
from kehoach.services import auth
from kehoach.services.sites import SiteChanges, update_site
from tests.factories import make_site
from tools.server import ROOT

ADMIN = Actor(None, "test", Role.ADMIN)


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


def _fail(engine, name: str, times: int, client: str = "10.0.0.1") -> None:
    for _ in range(times):
        with pytest.raises(auth.LoginFailed):
            auth.authenticate(engine, name, "sai-mat-khau", client)


def _refusal(engine, name: str, password: str, client: str = "10.0.0.1") -> tuple[str, str]:
    with pytest.raises(DomainError) as info:
        auth.authenticate(engine, name, password, client)
    return type(info.value).__name__, t(info.value.code, **info.value.params)


def test_throttle_after_repeated_failures_then_it_expires(engine) -> None:
    auth.add_user(engine, "lanhdao", "mat-khau-dai", Role.LEADER)
    _fail(engine, "lanhdao", ACCOUNT_POLICY.free_failures)
    with pytest.raises(auth.LoginThrottled) as info:
        auth.authenticate(engine, "lanhdao", "mat-khau-dai", "10.0.0.1")  # right password, wait
    assert 0 < info.value.params["seconds"] <= ACCOUNT_POLICY.base_wait.total_seconds()
    time.sleep(ACCOUNT_POLICY.base_wait.total_seconds() + 0.2)
    assert auth.authenticate(engine, "lanhdao", "mat-khau-dai", "10.0.0.1").role == Role.LEADER


def test_unknown_and_existing_names_look_the_same(engine) -> None:
    auth.add_user(engine, "co-that", "mat-khau-dai", Role.STAFF)
    for name in ("co-that", "khong-co"):
        assert _refusal(engine, name, "sai") == (
            "LoginFailed", "Tên đăng nhập hoặc mật khẩu không đúng."
        )  # fmt: skip
    _fail(engine, "co-that", ACCOUNT_POLICY.free_failures - 1)
    _fail(engine, "khong-co", ACCOUNT_POLICY.free_failures - 1)
    existing = _refusal(engine, "co-that", "sai")
    unknown = _refusal(engine, "khong-co", "sai")
    assert existing[0] == unknown[0] == "LoginThrottled"
    assert re.sub(r"\d+", "N", existing[1]) == re.sub(r"\d+", "N", unknown[1])


def test_refusals_take_the_same_time_whether_or_not_the_account_exists(engine) -> None:
    auth.add_user(engine, "co-that", "mat-khau-dai", Role.STAFF)

    def median_refusal(name: str, client: str) -> float:
        times = []
        for _ in range(3):
            started = time.monotonic()
            with pytest.raises(auth.LoginFailed):
                auth.authenticate(engine, name, "sai", client)
            times.append(time.monotonic() - started)
        return sorted(times)[1]

    verified: list[str] = []

    class CountingHasher:
        """The real Argon2 hasher, counting verifications."""

        def __init__(self, real: object) -> None:
            self.real = real

        def verify(self, stored: str, password: str) -> bool:
            verified.append(stored)
            return self.real.verify(stored, password)  # type: ignore[attr-defined]

        def __getattr__(self, name: str) -> object:
            return getattr(self.real, name)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(auth, "_hasher", CountingHasher(auth._hasher))
        existing, unknown = median_refusal("co-that", "a"), median_refusal("khong-co", "b")
    # Both paths do the same work: one Argon2 verification per try, and the same floor.
    assert len(verified) == 6
    assert min(existing, unknown) >= auth.MIN_REFUSAL_SECONDS
    # Wall time on a shared machine is noisy; the work above is what makes them equal.
    assert abs(existing - unknown) < 0.3


def test_one_client_is_slowed_across_many_names(engine) -> None:
    auth.add_user(engine, "nan-nhan", "mat-khau-dai", Role.STAFF)
    for i in range(CLIENT_POLICY.free_failures):
        _fail(engine, f"ten-{i}", 1, client="203.0.113.9")
    with pytest.raises(auth.LoginThrottled):
        auth.authenticate(engine, "nan-nhan", "mat-khau-dai", "203.0.113.9")
    # The real user at another address is not locked out by the attacker.
    assert auth.authenticate(engine, "nan-nhan", "mat-khau-dai", "198.51.100.7").id is not None


def test_every_process_counts_the_same_failures(db_url: str, engine) -> None:
    # Another app process (a real one) takes the guesser's tries; this one must slow them too.
    auth.add_user(engine, "nan-nhan", "mat-khau-dai", Role.STAFF)
    guesses = (
        "from kehoach.db.engine import make_engine\n"
        "from kehoach.services import auth\n"
        f"engine = make_engine({db_url!r})\n"
        f"for i in range({CLIENT_POLICY.free_failures}):\n"
        "    try:\n"
        "        auth.authenticate(engine, f'khong-co-{i}', 'sai', '203.0.113.50')\n"
        "    except auth.LoginFailed:\n"
        "        pass\n"
        f"for _ in range({ACCOUNT_POLICY.free_failures}):\n"
        "    try:\n"
        "        auth.authenticate(engine, 'ai-do', 'sai', '198.51.100.1')\n"
        "    except auth.LoginFailed:\n"
        "        pass\n"
    )
    subprocess.run([sys.executable, "-c", guesses], cwd=ROOT, check=True, timeout=120)
    with pytest.raises(auth.LoginThrottled):
        auth.authenticate(engine, "nan-nhan", "mat-khau-dai", "203.0.113.50")
    assert _refusal(engine, "ai-do", "x", client="198.51.100.2")[0] == "LoginThrottled"
    # The real user at another address is not slowed.
    assert auth.authenticate(engine, "nan-nhan", "mat-khau-dai", "192.0.2.10").id is not None


def test_a_sign_in_does_not_hold_the_write_lock_while_it_hashes(engine) -> None:
    auth.add_user(engine, "canbo", "mat-khau-dai", Role.STAFF)
    site_id = make_site(engine)
    hashing, release = threading.Event(), threading.Event()

    class SlowHasher:
        """The real Argon2 hasher, whose check waits until the test lets it go."""

        def __init__(self, real: object) -> None:
            self.real = real

        def verify(self, stored: str, password: str) -> bool:
            hashing.set()
            release.wait(30)
            return self.real.verify(stored, password)  # type: ignore[attr-defined]

        def __getattr__(self, name: str) -> object:
            return getattr(self.real, name)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(auth, "_hasher", SlowHasher(auth._hasher))
        signing_in = threading.Thread(
            target=auth.authenticate, args=(engine, "canbo", "mat-khau-dai", "10.0.0.9"))
        signing_in.start()
        try:
            assert hashing.wait(30)
            # While the password is being checked, another user's save goes through.
            update_site(engine, ADMIN, site_id, 1, SiteChanges({"note": "trong lúc đăng nhập"}))
            assert signing_in.is_alive()
        finally:
            release.set()
            signing_in.join(30)


def test_wait_doubles_up_to_a_cap_and_failures_are_forgotten() -> None:
    now = datetime(2024, 10, 10, tzinfo=UTC)
    state = throttle.ThrottleState()
    waits = []
    for _ in range(ACCOUNT_POLICY.free_failures + 12):
        state = throttle.after_failure(state, now, ACCOUNT_POLICY)
        waits.append(throttle.seconds_to_wait(state, now, ACCOUNT_POLICY))
    free = ACCOUNT_POLICY.free_failures - 1
    assert waits[:free] == [0] * free
    assert waits[free : free + 3] == [5, 10, 20]
    assert max(waits) == waits[-1] == ACCOUNT_POLICY.max_wait.total_seconds() == 300
    later = now + ACCOUNT_POLICY.max_wait + ACCOUNT_POLICY.forget_after + timedelta(seconds=1)
    assert throttle.seconds_to_wait(state, later, ACCOUNT_POLICY) == 0
    assert throttle.after_failure(state, later, ACCOUNT_POLICY).failures == 1


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
    assert "Đã tạo tài khoản admin" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("ngan\n"))
    assert main(["user", "add", "admin2", "--role", "admin"]) == 2
    assert "Lỗi" in capsys.readouterr().err


def _cli(monkeypatch, *args: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(list(args))


def test_cli_manages_accounts(db_url, engine, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    auth.add_user(engine, "canbo", "mat-khau-cu-1", Role.STAFF)
    assert _cli(monkeypatch, "user", "disable", "canbo") == 0
    with pytest.raises(auth.LoginFailed):
        auth.authenticate(engine, "canbo", "mat-khau-cu-1", "cli-test")
    assert _cli(monkeypatch, "user", "enable", "canbo") == 0
    assert _cli(monkeypatch, "user", "passwd", "canbo", stdin="mat-khau-moi-2\n") == 0
    assert auth.authenticate(engine, "canbo", "mat-khau-moi-2", "cli-test").role == Role.STAFF
    assert _cli(monkeypatch, "user", "role", "canbo", "ward_officer", "--ward", "00343") == 0
    actor = auth.authenticate(engine, "canbo", "mat-khau-moi-2", "cli-test")
    assert actor.role == Role.WARD_OFFICER and actor.ward_id is not None
    _fail(engine, "canbo", ACCOUNT_POLICY.free_failures, client="x")
    with pytest.raises(auth.LoginThrottled):
        auth.authenticate(engine, "canbo", "mat-khau-moi-2", "y")
    assert _cli(monkeypatch, "user", "unlock", "canbo") == 0
    assert auth.authenticate(engine, "canbo", "mat-khau-moi-2", "y").id is not None
    out = capsys.readouterr().out
    assert "Đã khoá tài khoản canbo" in out and "Đã xoá số lần đăng nhập sai" in out


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (["user", "disable", "khong-co"], ""),
        (["user", "passwd", "canbo"], "ngan\n"),
        (["user", "role", "canbo", "ward_officer"], ""),
        (["user", "unlock", "khong-co"], ""),
    ],
)
def test_cli_account_errors_are_messages(db_url, engine, monkeypatch, capsys, args, stdin) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    auth.add_user(engine, "canbo", "mat-khau-cu-1", Role.STAFF)
    assert _cli(monkeypatch, *args, stdin=stdin) == 2
    assert capsys.readouterr().err.startswith("Lỗi: ")


def test_only_an_administrator_manages_accounts(engine) -> None:
    staff = auth.add_user(engine, "canbo", "mat-khau-cu-1", Role.STAFF)
    with pytest.raises(PermissionDenied):
        auth.set_user_active(engine, staff, "canbo", active=False)
    with pytest.raises(PermissionDenied):
        auth.set_role(engine, staff, "canbo", Role.ADMIN)
