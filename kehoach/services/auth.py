"""Accounts: create users, check passwords with lock-out, derive the acting user."""

from __future__ import annotations

from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, func, select

from kehoach.db.engine import read_session, write_session
from kehoach.db.models import User, Ward, utcnow
from kehoach.domain.enums import Role
from kehoach.domain.errors import DomainError, InvalidInput
from kehoach.domain.permissions import Actor

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 8

_hasher = PasswordHasher()


class LoginFailed(DomainError):
    code = "error.login_failed"


class AccountLocked(DomainError):
    code = "error.account_locked"


def _actor(user: User) -> Actor:
    return Actor(user.id, user.username, Role(user.role), user.ward_id, user.unit_id)


def add_user(
    engine: Engine,
    username: str,
    password: str,
    role: Role,
    ward_code: str | None = None,
    display_name: str = "",
) -> Actor:
    """Create a local account with an Argon2 password hash."""
    username = username.strip()
    if not username or len(username) > 80 or any(c.isspace() for c in username):
        raise InvalidInput("username must be 1-80 characters without spaces", field="username")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"password shorter than {MIN_PASSWORD_LENGTH}", field="password")
    if role == Role.WARD_OFFICER and not ward_code:
        raise InvalidInput("a ward officer needs --ward CODE", field="ward")
    with write_session(engine) as s:
        if s.scalar(select(User.id).where(User.username == username)):
            raise InvalidInput(f"user {username} exists", field="username")
        ward_id = None
        if ward_code:
            ward_id = s.scalar(select(Ward.id).where(Ward.code == ward_code))
            if ward_id is None:
                raise InvalidInput(f"unknown ward code {ward_code}", field="ward")
        user = User(
            username=username,
            display_name=display_name or username,
            password_hash=_hasher.hash(password),
            role=role.value,
            ward_id=ward_id,
        )
        s.add(user)
        s.flush()
        return _actor(user)


def authenticate(engine: Engine, username: str, password: str) -> Actor:
    """Check a password; lock the account for a while after repeated failures."""
    now = utcnow()
    with write_session(engine) as s:
        user = s.scalar(select(User).where(User.username == username.strip()))
        if user is None or not user.active:
            _hasher.hash(password)  # same cost whether or not the user exists
            raise LoginFailed("unknown user or wrong password")
        if user.locked_until and user.locked_until > now:
            raise AccountLocked("locked", minutes=int((user.locked_until - now).seconds / 60) + 1)
        try:
            _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILED_LOGINS:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
            failed = True
        else:
            failed = False
            user.failed_logins = 0
            user.locked_until = None
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = _hasher.hash(password)
        actor = _actor(user)
    if failed:
        raise LoginFailed("unknown user or wrong password")
    return actor


def load_actor(engine: Engine, user_id: int) -> Actor | None:
    """Return the current identity and role of a signed-in user, or None if disabled."""
    with read_session(engine) as s:
        user = s.get(User, user_id)
        return _actor(user) if user is not None and user.active else None


def count_users(engine: Engine) -> int:
    """Return how many accounts exist (0 on a fresh install)."""
    with read_session(engine) as s:
        return int(s.scalar(select(func.count()).select_from(User)) or 0)


def list_users(engine: Engine) -> list[tuple[str, str, str | None]]:
    """List (username, role, ward name) for the CLI."""
    with read_session(engine) as s:
        rows = s.execute(
            select(User.username, User.role, Ward.name).outerjoin(Ward, User.ward_id == Ward.id)
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]
