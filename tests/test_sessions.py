"""Browser sessions: a token survives reloads until it idles out, is signed out or disabled."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import select, update

from kehoach.db.engine import read_session, write_session
from kehoach.db.models import UserSession, utcnow
from kehoach.domain.enums import Role
from kehoach.services import auth
from tests.factories import make_user


def test_a_token_resumes_its_user_and_only_its_hash_is_stored(engine) -> None:
    actor = make_user(engine, "canbo", Role.STAFF)
    token = auth.open_session(engine, actor)
    assert len(token) >= 40
    resumed = auth.resume_session(engine, token)
    assert resumed is not None and resumed.id == actor.id and resumed.role == Role.STAFF
    with read_session(engine) as s:
        stored = s.scalars(select(UserSession.token_hash)).all()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]
    assert auth.resume_session(engine, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert auth.resume_session(engine, "") is None
    assert auth.resume_session(engine, None) is None


def test_sign_out_revokes_the_token_at_once(engine) -> None:
    actor = make_user(engine, "canbo", Role.STAFF)
    token = auth.open_session(engine, actor)
    other = auth.open_session(engine, actor)  # another browser of the same user
    auth.close_session(engine, token)
    assert auth.resume_session(engine, token) is None
    assert auth.resume_session(engine, other) is not None


def test_disabling_a_user_revokes_every_session(engine) -> None:
    admin = make_user(engine, "quantri", Role.ADMIN)
    actor = make_user(engine, "canbo", Role.STAFF)
    tokens = [auth.open_session(engine, actor) for _ in range(2)]
    auth.set_user_active(engine, admin, "canbo", False)
    assert [auth.resume_session(engine, tk) for tk in tokens] == [None, None]
    auth.set_user_active(engine, admin, "canbo", True)
    assert [auth.resume_session(engine, tk) for tk in tokens] == [None, None]  # stays revoked
    assert auth.resume_session(engine, auth.open_session(engine, actor)) is not None


def test_an_idle_session_expires_and_a_used_one_slides(engine, monkeypatch) -> None:
    monkeypatch.setenv("KEHOACH_IDLE_TIMEOUT_MINUTES", "30")
    actor = make_user(engine, "canbo", Role.STAFF)
    token = auth.open_session(engine, actor)
    idle = auth.open_session(engine, actor)
    before = utcnow() - timedelta(minutes=20)
    with write_session(engine) as s:  # both were last used 20 minutes ago
        s.execute(
            update(UserSession).values(
                last_seen_at=before, expires_at=before + timedelta(minutes=30)
            )
        )
    assert auth.resume_session(engine, token) is not None  # used now: expiry slides 30 min on
    with read_session(engine) as s:
        row = s.scalar(
            select(UserSession).where(
                UserSession.token_hash == hashlib.sha256(token.encode()).hexdigest()
            )
        )
    assert row.expires_at > utcnow() + timedelta(minutes=29)
    with write_session(engine) as s:  # the other one idled past its expiry
        s.execute(
            update(UserSession)
            .where(UserSession.token_hash == hashlib.sha256(idle.encode()).hexdigest())
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    assert auth.resume_session(engine, idle) is None


def test_a_session_never_outlives_its_maximum_age(engine, monkeypatch) -> None:
    monkeypatch.setenv("KEHOACH_SESSION_MAX_HOURS", "12")
    actor = make_user(engine, "canbo", Role.STAFF)
    token = auth.open_session(engine, actor)
    created = utcnow() - timedelta(hours=11, minutes=50)
    with write_session(engine) as s:
        s.execute(update(UserSession).values(created_at=created, last_seen_at=created))
    assert auth.resume_session(engine, token) is not None
    with read_session(engine) as s:
        assert s.scalar(select(UserSession.expires_at)) <= created + timedelta(hours=12)
