"""Slow down password guessing: after a few failures each further try waits longer, up to a cap.

Pure rules on a (failures, wait-until) pair, so the same policy applies to an account row, to a
name nobody has, and to a client address. A refusal always expires within ``MAX_WAIT``: an
attacker is slowed, a real user is never locked out for good.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failures are free, how the wait grows and when failures are forgotten."""

    free_failures: int
    base_wait: timedelta
    max_wait: timedelta
    forget_after: timedelta


ACCOUNT_POLICY = ThrottlePolicy(
    free_failures=5,
    base_wait=timedelta(seconds=5),
    max_wait=timedelta(minutes=5),
    forget_after=timedelta(hours=1),
)
# One address may be shared by an office behind one NAT: more free tries, the same cap.
CLIENT_POLICY = ThrottlePolicy(
    free_failures=20,
    base_wait=timedelta(seconds=5),
    max_wait=timedelta(minutes=5),
    forget_after=timedelta(hours=1),
)


@dataclass(frozen=True)
class ThrottleState:
    """Failures counted so far and the time before which another try is refused.

    ``wait_until`` is set on every failure (to the failure time while failures are free), so
    one timestamp also says when the failures may be forgotten.
    """

    failures: int = 0
    wait_until: datetime | None = None


def current(state: ThrottleState, now: datetime, policy: ThrottlePolicy) -> ThrottleState:
    """Return ``state`` with failures forgotten once they are old enough."""
    if state.wait_until is not None and now - state.wait_until > policy.forget_after:
        return ThrottleState()
    return state


def seconds_to_wait(state: ThrottleState, now: datetime, policy: ThrottlePolicy) -> int:
    """Return how many seconds another try must wait (0: it may go ahead)."""
    state = current(state, now, policy)
    if state.wait_until is None or state.wait_until <= now:
        return 0
    return max(1, int((state.wait_until - now).total_seconds() + 0.999))


def after_failure(state: ThrottleState, now: datetime, policy: ThrottlePolicy) -> ThrottleState:
    """Count one more failure; past the free ones the wait doubles each time, up to the cap."""
    failures = current(state, now, policy).failures + 1
    extra = failures - policy.free_failures
    if extra < 0:
        return ThrottleState(failures, now)
    wait = min(policy.base_wait * (2 ** min(extra, 30)), policy.max_wait)
    return ThrottleState(failures, now + wait)
