"""Comparing two campaigns ward by ward, and the page that shows it."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from kehoach.db.engine import read_session
from kehoach.db.models import Site
from kehoach.domain.enums import Role, SiteKind, SiteStatus
from kehoach.domain.errors import PermissionDenied
from kehoach.domain.permissions import Actor
from kehoach.services import campaigns
from kehoach.services.campaign_compare import compare_campaigns
from kehoach.services.campaign_start import start_campaign
from kehoach.services.sites import SiteChanges, update_site
from tests.apptest import signed_in
from tests.factories import make_site, point_on_street

ADMIN = Actor(None, "tester", Role.ADMIN)
LEADER = Actor(None, "lanhdao", Role.LEADER)
NT = "Đường Nguyễn Trãi"


def _site(engine: Engine, fraction: float, **kw: object) -> int:
    lon, lat = point_on_street(NT, fraction)
    return make_site(engine, lon=lon, lat=lat, **kw)


def _two_campaigns(engine: Engine) -> tuple[int, int, int]:
    """Return (first, second, ward): two installed sites, copied forward, one installed again."""
    first = campaigns.resolve_campaign(engine)
    flags = _site(engine, 0.4, status=SiteStatus.INSTALLED, kind=SiteKind.NATIONAL_FLAG,
                  flags_expected=10, flags_hung=8)  # fmt: skip
    _site(engine, 0.41, status=SiteStatus.INSTALLED)
    second = start_campaign(engine, ADMIN, "Tết", plan_id=first.plan_id, copy_from=first.id)
    assert second.copied == 2
    with read_session(engine) as s:
        ward = s.get(Site, flags).ward_id
        copy = s.scalars(
            select(Site).where(Site.campaign_id == second.campaign.id, Site.kind == "panel")
        ).one()
        copy_id, version = copy.id, copy.version
    update_site(engine, ADMIN, copy_id, version, SiteChanges({"status": "installed"}))
    return first.id, second.campaign.id, ward


def test_compare_puts_each_wards_figures_side_by_side(engine: Engine) -> None:
    first, second, ward = _two_campaigns(engine)
    rows = compare_campaigns(engine, LEADER, first, second)
    assert [r.ward_id for r in rows] == [w.ward_id for w in rows]  # every ward once
    assert len({r.ward_id for r in rows}) == len(rows) >= 10
    row = next(r for r in rows if r.ward_id == ward)
    assert (row.a.sites, row.a.installed) == (2, 2)
    assert (row.b.sites, row.b.installed) == (2, 1)
    assert (row.a.flags_hung, row.a.flags_expected, row.a.flag_rate) == (8, 10, 0.8)
    assert (row.b.flags_hung, row.b.flags_expected, row.b.flag_rate) == (0, 10, 0.0)
    # Coverage counts installed sites only: the flag site still planned in B covers nothing.
    assert row.a.coverage is not None and row.b.coverage is not None
    assert row.a.coverage >= row.b.coverage > 0
    others = [r for r in rows if r.ward_id != ward]
    assert all(r.a.sites == r.b.sites == 0 and not r.a.coverage for r in others)
    # Swapping the campaigns swaps the columns.
    swapped = next(r for r in compare_campaigns(engine, LEADER, second, first) if r.ward_id == ward)
    assert (swapped.a, swapped.b) == (row.b, row.a)


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.WARD_OFFICER])
def test_compare_is_refused_to_other_roles(engine: Engine, role: Role) -> None:
    first = campaigns.resolve_campaign(engine).id
    with pytest.raises(PermissionDenied):
        compare_campaigns(engine, Actor(None, "x", role), first, first)


def test_compare_page_shows_both_campaigns(app_env, engine: Engine) -> None:
    first, second, _ward = _two_campaigns(engine)
    at = signed_in(engine, Role.LEADER).switch_page("app_pages/compare.py").run()
    assert not at.exception
    pickers = [s for s in at.selectbox if s.key in ("compare-a", "compare-b")]
    assert [p.value for p in pickers] == [first, second]  # the one before, then the chosen one
    table = at.dataframe[0].value
    assert len(table) >= 10
    installed = [c for c in table.columns if "hoàn thành" in c]
    assert len(installed) == 2
    assert max(table[installed[0]]) == 2 and max(table[installed[1]]) == 1
    # Picking the same campaign twice shows equal columns.
    at.selectbox(key="compare-a").set_value(second).run()
    table = at.dataframe[0].value
    assert not at.exception and table[installed[0]].equals(table[installed[1]])
