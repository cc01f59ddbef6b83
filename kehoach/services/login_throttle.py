"""Failed sign-ins counted in the database, so that every app process slows the same guesser.

Two kinds of key have no account row to count on: a name nobody has (``name:…``) and a client
address (``client:…``). Accounts that exist count on their own row (``app_user``). The rules
(how many tries are free, how the wait grows, when failures are forgotten) are the pure ones
of ``kehoach.domain.throttle``; rows older than the policy's memory are pruned as new
failures come in, so the table stays as small as the current attack.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kehoach.db.models import LoginThrottle
from kehoach.domain import throttle
from kehoach.domain.throttle import ThrottlePolicy, ThrottleState

MAX_KEY = 160
PRUNE_BATCH = 500


def name_key(name: str) -> str:
    """Return the key of a name no account has (names are matched as typed)."""
    return ("name:" + name)[:MAX_KEY]


def client_key(client: str) -> str:
    """Return the key of a client address."""
    return ("client:" + client)[:MAX_KEY]


def state(session: Session, key: str) -> ThrottleState:
    """Return the failures counted for ``key`` (none when it has no row)."""
    row = session.get(LoginThrottle, key)
    return ThrottleState(row.failures, row.wait_until) if row else ThrottleState()


def record_failure(session: Session, key: str, now: datetime, policy: ThrottlePolicy) -> None:
    """Count one more failure for ``key`` (in the caller's write transaction)."""
    row = session.get(LoginThrottle, key)
    before = ThrottleState(row.failures, row.wait_until) if row else ThrottleState()
    after = throttle.after_failure(before, now, policy)
    if row is None:
        session.add(LoginThrottle(key=key, failures=after.failures, wait_until=after.wait_until))
    else:
        row.failures, row.wait_until = after.failures, after.wait_until
    stale = select(LoginThrottle.key).where(LoginThrottle.wait_until < now - policy.forget_after)
    keys = session.scalars(stale.limit(PRUNE_BATCH)).all()
    if keys:
        session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(keys)))


def clear(session: Session, key: str) -> None:
    """Forget the failures of ``key`` (a successful sign-in from that client)."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))
