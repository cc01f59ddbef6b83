"""Compare two campaigns ward by ward: sites, installed, corridor coverage, flags hung."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, case, func, select

from kehoach.db.engine import read_session
from kehoach.db.models import Site
from kehoach.domain.enums import Approval, Role, SiteStatus
from kehoach.domain.permissions import Actor, require_role
from kehoach.services.campaigns import campaign_id_in
from kehoach.services.coverage import WardCoverage, coverage_report
from kehoach.services.inspections import ward_flag_rates

COMPARERS = frozenset({Role.LEADER, Role.ADMIN, Role.STAFF})


@dataclass(frozen=True)
class WardFigures:
    """One ward in one campaign: its sites, how many are installed, coverage, flags."""

    sites: int = 0
    installed: int = 0
    coverage: float | None = None  # share of the ward's street length inside the corridor
    flags_hung: int = 0
    flags_expected: int = 0

    @property
    def flag_rate(self) -> float | None:
        """Return flags hung over flags expected (None when none are expected)."""
        return self.flags_hung / self.flags_expected if self.flags_expected else None


@dataclass(frozen=True)
class WardComparison:
    """One ward's figures in campaign A and campaign B, side by side."""

    ward_id: int
    ward: str
    a: WardFigures
    b: WardFigures


def _site_counts(engine: Engine, campaign_id: int) -> dict[int, tuple[int, int]]:
    """Return ward id → (live sites, installed) of a campaign (rejected and removed left out)."""
    installed = func.sum(case((Site.status == SiteStatus.INSTALLED.value, 1), else_=0))
    query = (
        select(Site.ward_id, func.count(Site.id), installed)
        .where(
            Site.campaign_id == campaign_id,
            Site.ward_id.isnot(None),
            Site.approval != Approval.REJECTED.value,
            Site.status != SiteStatus.REMOVED.value,
        )
        .group_by(Site.ward_id)
    )
    with read_session(engine) as s:
        return {int(w): (int(n), int(done or 0)) for w, n, done in s.execute(query)}


def _figures(engine: Engine, campaign_id: int) -> tuple[list[WardCoverage], dict[int, WardFigures]]:
    wards = coverage_report(engine, campaign_id=campaign_id).wards
    counts = _site_counts(engine, campaign_id)
    flags = ward_flag_rates(engine, campaign_id)
    figures = {
        w.ward_id: WardFigures(
            *counts.get(w.ward_id, (0, 0)), w.share, *flags.get(w.ward_id, (0, 0))
        )
        for w in wards
    }
    return wards, figures


def compare_campaigns(
    engine: Engine, actor: Actor, a_id: int, b_id: int
) -> list[WardComparison]:
    """Return every ward's figures in campaigns ``a_id`` and ``b_id``, in official order."""
    require_role(actor, COMPARERS, "compare campaigns")
    with read_session(engine) as s:  # NotFound for an unknown campaign, before any work
        a_id, b_id = campaign_id_in(s, a_id), campaign_id_in(s, b_id)
    wards, a = _figures(engine, a_id)
    _, b = _figures(engine, b_id)
    return [
        WardComparison(w.ward_id, w.name, a.get(w.ward_id, WardFigures()),
                       b.get(w.ward_id, WardFigures()))
        for w in wards
    ]  # fmt: skip
