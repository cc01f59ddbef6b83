"""Coverage as plain figures (metres and percents) for the command line and other tools.

Lengths are corridor lengths (``kehoach.domain.corridor``): a dual road counts once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from kehoach.services.coverage import StreetCoverage, coverage_report


def coverage_figures(engine: Engine, campaign_id: int | None = None) -> dict[str, Any]:
    """Return a campaign's (default: the current one) corridor coverage of every street,
    the plan streets and the district."""
    report = coverage_report(engine, campaign_id=campaign_id)
    streets = sorted(report.streets, key=lambda s: (not s.is_main, s.name))
    plan = [s for s in streets if s.is_main]
    return {
        "streets": [{"name": s.name, **_totals([s]), "plan_street": s.is_main} for s in streets],
        "plan_streets": _totals(plan),
        "district": _totals(streets),
    }


def _totals(streets: list[StreetCoverage]) -> dict[str, Any]:
    length = sum(s.length_m for s in streets)
    covered = sum(s.covered_m for s in streets)
    return {
        "corridor_m": round(length, 1),
        "covered_m": round(covered, 1),
        "percent": round(100 * covered / length, 1) if length > 0 else None,
    }
