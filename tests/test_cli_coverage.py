"""`python -m kehoach coverage --json`: corridor coverage per street, plan streets, district."""

from __future__ import annotations

import json

import pytest

from kehoach.domain.enums import Role
from kehoach.domain.permissions import Actor
from kehoach.services import campaigns
from kehoach.services.campaign_start import start_campaign
from kehoach.services.coverage import coverage_report
from kehoach.services.demo import load_demo
from tests.test_cli_errors import run_cli

ADMIN = Actor(None, "tester", Role.ADMIN)


def test_coverage_json_gives_streets_plan_streets_and_district(engine, db_url) -> None:
    load_demo(engine)
    result = run_cli("coverage", "--json", db_url=db_url)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    report = coverage_report(engine)
    streets = figures["streets"]
    assert len(streets) == len(report.streets)
    assert set(streets[0]) == {"name", "corridor_m", "covered_m", "percent", "plan_street"}
    plan = [s for s in streets if s["plan_street"]]
    assert {s["name"] for s in plan} == {c.name for c in report.main_streets}
    # Totals are sums of the street rows; the percent is covered over corridor length.
    for total, rows in ((figures["plan_streets"], plan), (figures["district"], streets)):
        assert total["corridor_m"] == pytest.approx(sum(s["corridor_m"] for s in rows), abs=1)
        assert total["covered_m"] == pytest.approx(sum(s["covered_m"] for s in rows), abs=1)
        assert total["percent"] == pytest.approx(
            100 * total["covered_m"] / total["corridor_m"], abs=0.1
        )
    assert figures["district"]["percent"] == pytest.approx(100 * report.district.share, abs=0.1)
    assert figures["plan_streets"]["percent"] == pytest.approx(
        100 * report.district.main_share, abs=0.1
    )
    # Corridor lengths: Nguyễn Trãi's two carriageways count once.
    nguyen_trai = next(s for s in streets if s["name"] == "Đường Nguyễn Trãi")
    assert 2500 < nguyen_trai["corridor_m"] < 3500


def test_coverage_is_per_campaign(engine, db_url) -> None:
    load_demo(engine)
    first = campaigns.resolve_campaign(engine).id
    plan = campaigns.resolve_campaign(engine).plan_id
    empty = start_campaign(engine, ADMIN, "Đợt trống", plan_id=plan).campaign.id
    covered = {}
    for campaign in (first, empty):
        result = run_cli("coverage", "--json", "--campaign", str(campaign), db_url=db_url)
        assert result.returncode == 0, result.stderr
        covered[campaign] = json.loads(result.stdout)["district"]["covered_m"]
    assert covered[first] > 0 and covered[empty] == 0
    unknown = run_cli("coverage", "--json", "--campaign", "999", db_url=db_url)
    assert unknown.returncode == 2
    assert "Traceback" not in unknown.stderr and unknown.stdout == ""
