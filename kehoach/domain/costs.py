"""Pure rules of costs and approval: what counts, what may be spent, when work may start.

A rejected item is out of every total and count (it may be listed apart as rejected); a
pending one counts but is not installed before a leader approves it; an item's actual spend
is recorded once it is done.
"""

from __future__ import annotations

from kehoach.domain.enums import Approval, FundingSource, SiteStatus
from kehoach.domain.errors import DomainError, InvalidInput

# Statuses that mean work on the ground: a new item reaches them only once approved.
WORK_STATUSES = frozenset({SiteStatus.INSTALLING, SiteStatus.INSTALLED})
# Statuses after which the money is spent and its amount can be recorded.
SPENT_STATUSES = frozenset({SiteStatus.INSTALLED, SiteStatus.NEEDS_FIX, SiteStatus.REMOVED})


class SiteNotApproved(DomainError):
    """A pending or rejected new site cannot be installed."""

    code = "error.site.not_approved"


class SpendBeforeDone(InvalidInput):
    code = "error.cost.not_done"


class NegativeCost(InvalidInput):
    code = "error.cost.negative"


def counts(approval: str | None) -> bool:
    """Tell whether an item of this approval state belongs in totals and counts."""
    return approval != Approval.REJECTED.value


def require_approved_for(new_status: SiteStatus, approval: str, code: str, label: str) -> None:
    """Refuse moving a not-yet-approved site into work (installing or installed)."""
    if new_status in WORK_STATUSES and approval != Approval.APPROVED.value:
        raise SiteNotApproved(
            f"site {code} is {approval}: approve it first", code=code, approval=label
        )


def check_amount(value: object, field: str) -> int | None:
    """Return a cost in đồng (a whole number, not negative) or None; refuse anything else."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise NegativeCost(f"{field} must be a whole number of đồng, not negative", field=field)
    return value


def check_spend(actual_cost: int | None, status: SiteStatus) -> None:
    """Refuse an actual spend on an item that is not done yet."""
    if actual_cost is not None and status not in SPENT_STATUSES:
        raise SpendBeforeDone("actual spend is recorded once the item is done", field="actual_cost")


def funding_source(value: object) -> str | None:
    """Return a funding source value (or None for "not said"); refuse an unknown one."""
    if value in (None, ""):
        return None
    try:
        return FundingSource(str(value)).value
    except ValueError:
        raise InvalidInput(f"unknown funding source {value!r}", field="funding_source") from None
