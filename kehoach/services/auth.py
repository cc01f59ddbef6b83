"""Accounts: create and manage users, check passwords with throttling, derive the actor.

Sign-in never tells whether an account exists: an unknown name is checked against a dummy
Argon2 hash, every refusal has the same message, and every refusal takes at least
``MIN_REFUSAL_SECONDS`` so a database write for a real account cannot be timed. Repeated
failures slow the next try by account name and by client address (kehoach.domain.throttle);
the wait always expires, so nobody can lock a real user out for good. Account names that exist
keep their count on their row (``python -m kehoach user unlock NAME`` clears it); names that
do not exist and client addresses are counted in ``login_throttle`` (services/login_throttle),
so every app process behind the proxy slows the same guesser.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from kehoach.db.engine import read_session, write_session
from kehoach.db.models import User, UserSession, Ward, utcnow
from kehoach.domain import throttle
from kehoach.domain.enums import Role
from kehoach.domain.errors import (
    DomainError,
    InvalidInput,
    InvalidUsername,
    NotFound,
    PermissionDenied,
)
from kehoach.domain.permissions import Actor
from kehoach.domain.throttle import ACCOUNT_POLICY, CLIENT_POLICY, ThrottleState
from kehoach.services import login_throttle

MIN_PASSWORD_LENGTH = 8
MIN_REFUSAL_SECONDS = 0.25

_hasher = PasswordHasher()


class LoginFailed(DomainError):
    code = "error.login_failed"


class LoginThrottled(DomainError):
    code = "error.login_throttled"


class UnknownUser(NotFound):
    code = "error.user.unknown"


class UnknownOrDisabled(NotFound):
    code = "error.user.unknown_or_disabled"


class PasswordTooShort(InvalidInput):
    code = "error.user.password_short"


class BadUsername(InvalidInput):
    code = "error.user.bad_name"


class UserExists(InvalidInput):
    code = "error.user.exists"


class WardNeeded(InvalidInput):
    code = "error.user.ward_needed"


class UnknownWard(InvalidInput):
    code = "error.user.unknown_ward"


@cache
def _dummy_hash() -> str:
    return _hasher.hash("no account has this password")


def _actor(session: Session, user: User) -> Actor:
    # The unit is bound by name: its row is the one in the current campaign's plan.
    unit_id = _bound_unit_id(session, user.unit_name) if user.unit_name else user.unit_id
    role = Role(user.role)
    return Actor(user.id, user.username, role, user.ward_id, unit_id, user.unit_name)


# Letters (Vietnamese included), digits, dot, underscore, hyphen; existing names stay valid.
USERNAME_PATTERN = re.compile(r"[\w.\-]{3,40}")


def add_user(
    engine: Engine,
    username: str,
    password: str,
    role: Role,
    ward_code: str | None = None,
    display_name: str = "",
    unit: str | None = None,
) -> Actor:
    """Create a local account with an Argon2 password hash, bound to a ward or a plan unit."""
    username = username.strip()
    if not USERNAME_PATTERN.fullmatch(username):  # shown through Markdown: no specials
        raise InvalidUsername("username must be 3-40 letters, digits, . _ -", field="username")
    _check_password(password)
    if role == Role.WARD_OFFICER and not ward_code:
        raise WardNeeded("a ward officer needs --ward CODE", field="ward")
    with write_session(engine) as s:
        if s.scalar(select(User.id).where(User.username == username)):
            raise UserExists(f"user {username} exists", field="username", name=username)
        ward_id = _ward_id(s, ward_code) if ward_code else None
        unit_id, unit_name = _unit_binding(s, role, unit)
        user = User(
            username=username,
            display_name=display_name or username,
            password_hash=_hasher.hash(password),
            role=role.value,
            ward_id=ward_id,
            unit_id=unit_id,
            unit_name=unit_name,
        )
        s.add(user)
        s.flush()
        return _actor(s, user)


def _ward_id(s: Session, ward_code: str | None) -> int:
    ward_id = s.scalar(select(Ward.id).where(Ward.code == ward_code))
    if ward_id is None:
        raise UnknownWard(f"unknown ward code {ward_code}", field="ward", code=ward_code)
    return int(ward_id)


def _password_matches(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _account_state(session: Session, user: User | None, name: str) -> ThrottleState:
    if user is None:
        return login_throttle.state(session, login_throttle.name_key(name))
    return ThrottleState(user.failed_logins or 0, user.locked_until)


def _record_failure(session: Session, user_id: int | None, name: str, client: str,
                    now: datetime) -> None:
    """Count a failure for the account (or the unknown name) and for the client."""
    user = session.get(User, user_id) if user_id is not None else None
    if user is None:
        login_throttle.record_failure(session, login_throttle.name_key(name), now, ACCOUNT_POLICY)
    else:
        state = throttle.after_failure(_account_state(session, user, name), now, ACCOUNT_POLICY)
        user.failed_logins, user.locked_until = state.failures, state.wait_until
    login_throttle.record_failure(session, login_throttle.client_key(client), now, CLIENT_POLICY)


def authenticate(engine: Engine, username: str, password: str, client: str | None = None) -> Actor:
    """Check a password; refuse for a while after repeated failures by name or by ``client``."""
    started = time.monotonic()
    try:
        return _authenticate(engine, username.strip(), password, client or "local")
    except DomainError:
        # The same floor for every refusal hides whether a database row was written.
        time.sleep(max(0.0, MIN_REFUSAL_SECONDS - (time.monotonic() - started)))
        raise


def _authenticate(engine: Engine, name: str, password: str, client: str) -> Actor:
    now = utcnow()
    with read_session(engine) as s:
        user = s.scalar(select(User).where(User.username == name))
        wait = max(
            throttle.seconds_to_wait(_account_state(s, user, name), now, ACCOUNT_POLICY),
            throttle.seconds_to_wait(
                login_throttle.state(s, login_throttle.client_key(client)), now, CLIENT_POLICY
            ),
        )
    if wait:
        raise LoginThrottled("too many failures", seconds=wait)
    # Argon2 (about 0.3 s) outside any transaction: a sign-in never holds the write lock
    # while it hashes, so no save waits for one (tests/test_auth.py holds a hash open).
    matches = _password_matches(user.password_hash if user else _dummy_hash(), password)
    user_id = user.id if user is not None else None
    with write_session(engine) as s:
        fresh = s.get(User, user_id) if user_id is not None else None
        accepted = fresh is not None and fresh.active and matches
        if fresh is None or not accepted:
            _record_failure(s, user_id, name, client, now)
        else:
            fresh.failed_logins, fresh.locked_until = 0, None
            if _hasher.check_needs_rehash(fresh.password_hash):
                fresh.password_hash = _hasher.hash(password)
            login_throttle.clear(s, login_throttle.client_key(client))
            actor = _actor(s, fresh)
    if not accepted:
        raise LoginFailed("unknown user or wrong password")
    return actor


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordTooShort(
            f"password shorter than {MIN_PASSWORD_LENGTH}",
            field="password",
            length=MIN_PASSWORD_LENGTH,
        )


def _managed_user(s: Session, actor: Actor, username: str) -> User:
    """Return the account ``actor`` (an administrator) may change, or refuse."""
    if actor.role != Role.ADMIN:
        raise PermissionDenied("only an administrator manages accounts")
    user = s.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise UnknownUser(f"user {username}", name=username)
    return user


def set_user_active(engine: Engine, actor: Actor, username: str, active: bool) -> None:
    """Disable or enable an account; disabling revokes its sessions at once."""
    with write_session(engine) as s:
        user = _managed_user(s, actor, username)
        user.active = active
        if not active:
            _revoke_sessions(s, user.id)


def set_password(engine: Engine, actor: Actor, username: str, password: str) -> None:
    """Give an account a new password and clear its failed sign-ins."""
    _check_password(password)
    with write_session(engine) as s:
        user = _managed_user(s, actor, username)
        user.password_hash = _hasher.hash(password)
        user.failed_logins, user.locked_until = 0, None
        _revoke_sessions(s, user.id)


def set_role(
    engine: Engine,
    actor: Actor,
    username: str,
    role: Role,
    ward_code: str | None = None,
    unit: str | None = None,
) -> None:
    """Change an account's role and binding (a ward officer needs a ward; a reporter, a unit)."""
    if role == Role.WARD_OFFICER and not ward_code:
        raise WardNeeded("a ward officer needs --ward CODE", field="ward")
    with write_session(engine) as s:
        user = _managed_user(s, actor, username)
        ward_id = _ward_id(s, ward_code) if role == Role.WARD_OFFICER else None
        unit_id, unit_name = _unit_binding(s, role, unit)
        user.role, user.ward_id = role.value, ward_id
        user.unit_id, user.unit_name = unit_id, unit_name


def unlock_user(engine: Engine, actor: Actor, username: str) -> None:
    """Clear an account's failed sign-ins so the next try is not delayed."""
    with write_session(engine) as s:
        user = _managed_user(s, actor, username)
        user.failed_logins, user.locked_until = 0, None


def load_actor(engine: Engine, user_id: int) -> Actor | None:
    """Return the current identity and role of a signed-in user, or None if disabled."""
    with read_session(engine) as s:
        user = s.get(User, user_id)
        return _actor(s, user) if user is not None and user.active else None


def count_users(engine: Engine) -> int:
    """Return how many accounts exist (0 on a fresh install)."""
    with read_session(engine) as s:
        return int(s.scalar(select(func.count()).select_from(User)) or 0)


def list_users(engine: Engine) -> list[tuple[str, str, str | None]]:
    """List (username, role, ward or unit name) for the CLI."""
    with read_session(engine) as s:
        rows = s.execute(
            select(User.username, User.role, Ward.name, User.unit_name).outerjoin(
                Ward, User.ward_id == Ward.id
            )
        ).all()
    return [(name, role, ward or unit) for name, role, ward, unit in rows]


# --- Browser sessions ----------------------------------------------------------------
# A session token is 32 random bytes (URL-safe base64) kept in the browser's cookie; the
# database keeps only its SHA-256, so the token cannot be forged or read back from a copy
# of the database. Revoking a row (sign-out, account disabled, password reset) ends it at
# once: every rerun of the app resumes the session from the database.
LAST_SEEN_RESOLUTION = timedelta(seconds=60)  # slide the expiry at most once a minute
MAX_TOKEN_LENGTH = 100


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def _session_limits() -> tuple[timedelta, timedelta]:
    from kehoach.config import get_settings

    settings = get_settings()
    return timedelta(minutes=settings.idle_timeout_minutes), timedelta(
        hours=settings.session_max_hours
    )


def _expiry(created: datetime, now: datetime) -> datetime:
    idle, lifetime = _session_limits()
    return min(now + idle, created + lifetime)


def open_session(engine: Engine, actor: Actor) -> str:
    """Start a browser session for a signed-in user and return its secret token."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with write_session(engine) as s:
        s.add(
            UserSession(
                token_hash=_token_hash(token),
                user_id=actor.id,
                created_at=now,
                last_seen_at=now,
                expires_at=_expiry(now, now),
            )
        )
    return token


def resume_session(engine: Engine, token: str | None) -> Actor | None:
    """Return the user of a live session token (sliding its expiry), or None."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    digest, now = _token_hash(token), utcnow()
    # Most reruns only read; the write lock is taken once a minute to slide the expiry.
    with read_session(engine) as s:
        row = s.scalar(select(UserSession).where(UserSession.token_hash == digest))
        if row is None or row.revoked_at is not None or row.expires_at <= now:
            return None
        user = s.get(User, row.user_id)
        actor = _actor(s, user) if user is not None and user.active else None
        fresh = now - row.last_seen_at < LAST_SEEN_RESOLUTION
    if actor is not None and fresh:
        return actor
    with write_session(engine) as s:
        row = s.scalar(select(UserSession).where(UserSession.token_hash == digest))
        if row is None or row.revoked_at is not None:
            return None
        if actor is None:
            row.revoked_at = now
        else:
            row.last_seen_at, row.expires_at = now, _expiry(row.created_at, now)
    return actor


def close_session(engine: Engine, token: str | None) -> None:
    """Revoke a session token (sign-out); an unknown token is ignored."""
    if not token:
        return
    with write_session(engine) as s:
        s.execute(
            update(UserSession)
            .where(UserSession.token_hash == _token_hash(token), UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )


def session_cookie_seconds() -> int:
    """Return how long the browser should keep the cookie (the server decides the rest)."""
    return int(_session_limits()[1].total_seconds())


def _revoke_sessions(s: Session, user_id: int) -> None:
    s.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


# The unit matcher reads office spellings with the summary-table vocabulary; it is imported
# on use so that the sign-in page loads no spreadsheet or geometry library.
def _bound_unit_id(session: Session, unit_name: str) -> int | None:
    from kehoach.services.unit_accounts import bound_unit_id

    return bound_unit_id(session, unit_name)


def _unit_binding(session: Session, role: Role, unit: str | None) -> tuple[int | None, str | None]:
    from kehoach.services.unit_accounts import unit_binding

    return unit_binding(session, role, unit)
