"""The figures of a monthly report, replayed from the history, and their draft text."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Engine, func, select

from kehoach.db.engine import read_session
from kehoach.db.models import Inspection, utcnow
from kehoach.domain.enums import SiteStatus
from kehoach.domain.permissions import Actor
from kehoach.domain.sites import compute_kpis, live_sites
from kehoach.i18n import format_date, t
from kehoach.services import coverage
from kehoach.services.reports.months import _as_of, _refuse_future, parse_month
from kehoach.services.reports.units import Target, _target
from kehoach.services.timeline import local_date, local_day_start, sites_as_of

# --- figures ----------------------------------------------------------------------------------


def _count_by_status(sites: pd.DataFrame) -> dict[str, int]:
    counts = sites["status"].value_counts().to_dict() if len(sites) else {}
    return {s.value: int(counts.get(s.value, 0)) for s in SiteStatus}


def _live(sites: pd.DataFrame) -> pd.DataFrame:
    """Drop rejected new sites: they were never part of the campaign."""
    return live_sites(sites)


def _inspections(
    engine: Engine, month: str, as_of: datetime, site_ids: list[int]
) -> dict[str, int]:
    start = local_day_start(parse_month(month))
    query = (
        select(Inspection.result, func.count())
        .where(Inspection.at >= start, Inspection.at <= as_of, Inspection.site_id.in_(site_ids))
        .group_by(Inspection.result)
    )
    with read_session(engine) as s:
        counts = dict(s.execute(query).all()) if site_ids else {}
    passed, needs_fix = int(counts.get("pass", 0)), int(counts.get("needs_fix", 0))
    return {"total": passed + needs_fix, "pass": passed, "needs_fix": needs_fix}


def _share(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def _street_rows(items: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "name": item.name,
            "length_m": round(item.length_m),
            "covered_m": round(item.covered_m),
            "share": _share(item.share),
        }
        for item in items
    ]


def _scope_figures(
    engine: Engine, target: Target, month: str, as_of: datetime, sites: pd.DataFrame
) -> dict[str, Any]:
    if target.ward_id is not None:
        scoped = sites[sites["ward_id"] == target.ward_id]
    else:
        scoped = sites[sites["unit_id"] == target.unit_id]
    kpis = compute_kpis(scoped) if len(scoped) else None
    figures: dict[str, Any] = {
        "month": month,
        "as_of": local_date(as_of).isoformat(),
        "unit": target.unit,
        "ward": target.ward,
        "sites": {"total": int(len(scoped)), **_count_by_status(scoped)},
        "flags": {
            "hung": kpis.flags_hung if kpis else 0,
            "expected": kpis.flags_expected if kpis else 0,
        },
        "demo_sites": int(scoped["is_demo"].astype(bool).sum()) if len(scoped) else 0,
        "inspections": _inspections(engine, month, as_of, [int(i) for i in scoped["id"]]),
    }
    if target.ward_id is not None or target.is_culture_centre:
        report = coverage.coverage_report(
            engine, as_of_sites=sites, campaign_id=target.campaign_id
        )
        if target.ward_id is not None:
            routes = [r for r in report.routes if r.ward_id == target.ward_id]
            ward = next((w for w in report.wards if w.ward_id == target.ward_id), None)
            figures["routes"] = _street_rows(routes)
            figures["routes_share"] = _share(ward.routes_share) if ward else None
            figures["streets_share"] = _share(ward.share) if ward else None
        if target.is_culture_centre:
            figures["main_streets"] = _street_rows(report.main_streets)
            figures["main_share"] = _share(report.district.main_share)
    return figures


def draft_figures(
    engine: Engine,
    actor: Actor,
    month: str,
    unit_id: int | None = None,
    ward_id: int | None = None,
    now: datetime | None = None,
    campaign_id: int | None = None,
) -> dict[str, Any]:
    """Compute the figures of a unit's monthly report from the data (as of the month's end)."""
    now = now or utcnow()
    parse_month(month)
    _refuse_future(month, now)
    with read_session(engine) as s:
        target = _target(s, actor, unit_id, ward_id, campaign_id)
    as_of = _as_of(month, now)
    sites = _live(sites_as_of(engine, as_of, target.campaign_id))
    return _scope_figures(engine, target, month, as_of, sites)


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def draft_text(figures: dict[str, Any]) -> str:
    """Return a Vietnamese draft of the report's text with the figures filled in."""
    month = parse_month(figures["month"])
    sites = figures["sites"]
    lines = [
        t(
            "report.draft.opening",
            month=month.month,
            year=month.year,
            as_of=format_date(date.fromisoformat(figures["as_of"])),
        ),
        t(
            "report.draft.sites",
            total=sites["total"],
            installed=sites["installed"],
            installing=sites["installing"],
            planned=sites["planned"],
            needs_fix=sites["needs_fix"],
            removed=sites["removed"],
        ),
        t(
            "report.draft.flags",
            hung=figures["flags"]["hung"],
            expected=figures["flags"]["expected"],
        ),
        t("report.draft.inspections", **figures["inspections"]),
    ]
    if "routes" in figures:
        if figures["routes"]:
            routes = "; ".join(f"{r['name']} {_pct(r['share'])}" for r in figures["routes"])
            lines.append(
                t("report.draft.routes", share=_pct(figures["routes_share"]), routes=routes)
            )
        else:
            lines.append(t("report.draft.no_routes"))
    if "main_streets" in figures:
        streets = "; ".join(f"{r['name']} {_pct(r['share'])}" for r in figures["main_streets"])
        lines.append(
            t(
                "report.draft.main_streets",
                share=_pct(figures["main_share"]),
                streets=streets or "—",
            )
        )
    if figures.get("demo_sites"):
        lines.append(t("report.draft.demo", n=figures["demo_sites"]))
    lines.append(t("report.draft.next"))
    return "\n\n".join(lines)
