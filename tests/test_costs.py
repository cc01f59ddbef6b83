"""Costs of new sites: rejected items leave every total; funding source, spend, approval rules."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from kehoach.adapters.mapview import MARK_DEMO, MARK_PENDING, MARK_REJECTED, site_rows
from kehoach.db.engine import read_session
from kehoach.db.models import Site
from kehoach.domain.costs import SiteNotApproved, SpendBeforeDone
from kehoach.domain.enums import Approval, FundingSource, Role, SiteStatus
from kehoach.domain.errors import InvalidInput, PermissionDenied
from kehoach.domain.permissions import Actor
from kehoach.domain.sites import compute_kpis
from kehoach.i18n import t
from kehoach.services import costs, progress, queries, site_export, sites
from kehoach.services.reports.documents import build_report_data
from tests.factories import make_site, make_user

ADMIN = Actor(None, "setup", Role.ADMIN)


def _version(engine: Engine, site_id: int) -> int:
    with read_session(engine) as s:
        site = s.get(Site, site_id)
        assert site is not None
        return site.version


def _update(engine: Engine, site_id: int, **values: object) -> None:
    sites.update_site(engine, ADMIN, site_id, _version(engine, site_id), sites.SiteChanges(values))


@pytest.fixture
def three_new(engine: Engine) -> dict[str, int]:
    """Three new sites of 1, 2 and 4 million đồng: one approved, one pending, one rejected."""
    ids = {
        name: make_site(engine, is_new=True, estimated_cost=cost, name=name)
        for name, cost in (("duyet", 1_000_000), ("cho", 2_000_000), ("loai", 4_000_000))
    }
    sites.decide_approval(engine, ADMIN, ids["duyet"], approve=True)
    sites.decide_approval(engine, ADMIN, ids["loai"], approve=False, reason="Trùng vị trí")
    return ids


def test_rejected_items_leave_every_total(engine: Engine, three_new: dict[str, int]) -> None:
    by_unit = queries.costs_by_unit(engine)
    assert by_unit["n"].sum() == 2 and by_unit["rejected"].sum() == 1
    assert by_unit["estimated"].sum() == 3_000_000
    assert by_unit["approved"].sum() == 1_000_000
    kpis = compute_kpis(queries.load_sites(engine))
    assert kpis.total == 2 and kpis.rejected == 1
    overview = costs.costs_overview(engine, ADMIN)
    assert overview.total("estimated") == 3_000_000
    assert (overview.rejected, overview.rejected_estimated) == (1, 4_000_000)
    data = build_report_data(engine, progress.current_month())
    header = tuple(t(f"report.doc.cost_col.{i}") for i in range(6))
    table = next(s.table for s in data.sections if s.table and s.table.header == header)
    total = table.rows[-1]
    assert total[2:] == ("2", "1", "3.000.000", "1.000.000")
    section = next(s for s in data.sections if s.table is table)
    assert section.after == (t("report.doc.cost_rejected", n=1),)


def test_finance_sees_costs_per_unit_and_source(engine: Engine, three_new: dict[str, int]) -> None:
    _update(engine, three_new["duyet"], funding_source=FundingSource.CONTRIBUTIONS.value)
    _update(engine, three_new["duyet"], status=SiteStatus.INSTALLED.value, actual_cost=900_000)
    finance = make_user(engine, "tckh", Role.FINANCE, unit="Phòng TC-KH")
    overview = costs.costs_overview(engine, finance)
    by_source = overview.by_source.set_index("source")
    assert by_source.loc[FundingSource.CONTRIBUTIONS.value, "spent"] == 900_000
    assert by_source.loc[FundingSource.CONTRIBUTIONS.value, "approved"] == 1_000_000
    assert by_source.loc["—", "estimated"] == 2_000_000  # the pending item, no source yet
    assert overview.total("spent") == 900_000
    costs.comment_on_costs(engine, finance, three_new["cho"], "Đơn giá cao hơn định mức")
    card = queries.load_site_card(engine, three_new["cho"])
    assert card is not None and card.history[-1].new_value == "Đơn giá cao hơn định mức"
    with pytest.raises(PermissionDenied):
        officer = make_user(engine, "phuongvien", Role.WARD_OFFICER, ward_code="00343")
        costs.costs_overview(engine, officer)


def test_a_pending_site_is_not_installed_before_approval(
    engine: Engine, three_new: dict[str, int]
) -> None:
    for name in ("cho", "loai"):
        for status in (SiteStatus.INSTALLING, SiteStatus.INSTALLED):
            with pytest.raises(SiteNotApproved):
                _update(engine, three_new[name], status=status.value)
    _update(engine, three_new["duyet"], status=SiteStatus.INSTALLING.value)
    sites.decide_approval(engine, ADMIN, three_new["cho"], approve=True)
    _update(engine, three_new["cho"], status=SiteStatus.INSTALLING.value)


def test_spend_is_recorded_once_done_and_sources_are_an_enum(
    engine: Engine, three_new: dict[str, int]
) -> None:
    with pytest.raises(SpendBeforeDone):
        _update(engine, three_new["duyet"], actual_cost=500_000)
    with pytest.raises(InvalidInput):
        _update(engine, three_new["duyet"], funding_source="ngan sach")
    with pytest.raises(InvalidInput):
        _update(engine, three_new["duyet"], status="installed", actual_cost=-1)


def test_map_rows_mark_pending_and_rejected(engine: Engine, three_new: dict[str, int]) -> None:
    marks = {row[0]: row[3] for row in site_rows(queries.load_sites(engine))}
    assert marks[three_new["cho"]] == MARK_PENDING
    assert marks[three_new["loai"]] == MARK_REJECTED
    assert marks[three_new["duyet"]] & (MARK_PENDING | MARK_REJECTED) == 0
    assert MARK_DEMO == 1


def test_the_card_says_rejected_and_why(engine: Engine, three_new: dict[str, int]) -> None:
    card = queries.load_site_card(engine, three_new["loai"])
    assert card is not None
    assert card.approval == Approval.REJECTED.value and card.rejection_reason == "Trùng vị trí"


def test_the_summary_table_leaves_rejected_sites_out(
    engine: Engine, three_new: dict[str, int]
) -> None:
    rows = site_export.export_sites(engine, ADMIN)
    assert len(rows) == 2
    assert site_export.count_exportable(engine, ADMIN) == 2
    records = site_export.export_site_records(engine, ADMIN)
    assert sorted(r["approval"] for r in records) == ["approved", "pending", "rejected"]
