"""Flag counts per flag window: an inspection's count lands in its window; rates per ward."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from kehoach.db.engine import read_session
from kehoach.db.models import FlagCount, Site
from kehoach.domain.enums import Role, SiteKind
from kehoach.domain.inspection import BadFlagCounts, FlagsOutsideWindow
from kehoach.services import campaigns, inspections, progress
from kehoach.services.flag_counts import flag_windows, ward_window_rates
from tests.factories import make_user, ward_id
from tests.test_inspections import KDT, _installed_site, inspector, media  # noqa: F401

FIRST = (date(2024, 9, 1), date(2024, 9, 3))
SECOND = (date(2024, 10, 1), date(2024, 10, 12))


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 3, 0, tzinfo=UTC)  # 10:00 in Hanoi


@pytest.fixture
def windows(engine) -> tuple[int, int]:
    admin = make_user(engine, "quantri", Role.ADMIN)
    inspections.set_flag_window(engine, admin, None, None)
    return (
        campaigns.add_flag_window(engine, admin, *FIRST),
        campaigns.add_flag_window(engine, admin, *SECOND),
    )


def _rows(engine) -> dict[tuple[int, int], tuple[int, int]]:
    with read_session(engine) as s:
        rows = s.scalars(select(FlagCount)).all()
        return {(r.window_id, r.site_id): (r.expected, r.hung) for r in rows}


def test_each_window_keeps_its_own_count(engine, inspector, media, windows) -> None:  # noqa: F811
    first, second = windows
    site = _installed_site(engine, kind=SiteKind.NATIONAL_FLAG, flags_expected=10)
    record = inspections.record_inspection
    record(engine, inspector, site, "pass", flags_hung=4, flags_expected=10, now=_at(FIRST[0]))
    record(engine, inspector, site, "pass", flags_hung=9, flags_expected=10, now=_at(FIRST[1]))
    record(engine, inspector, site, "pass", flags_hung=3, flags_expected=12, now=_at(SECOND[0]))
    # The last count of a window wins; the other window keeps its own.
    assert _rows(engine) == {(first, site): (10, 9), (second, site): (12, 3)}
    with read_session(engine) as s:  # the site shows the current (latest) window's figures
        row = s.get(Site, site)
        assert (row.flags_expected, row.flags_hung) == (12, 3)
    with pytest.raises(FlagsOutsideWindow):
        record(engine, inspector, site, "pass", flags_hung=1, flags_expected=2,
               now=_at(date(2024, 9, 20)))  # fmt: skip
    with pytest.raises(BadFlagCounts):
        record(engine, inspector, site, "pass", flags_hung=13, flags_expected=12,
               now=_at(SECOND[1]))  # fmt: skip
    assert _rows(engine)[(second, site)] == (12, 3)


def test_the_database_refuses_more_hung_than_expected(engine, windows) -> None:
    site = _installed_site(engine, kind=SiteKind.NATIONAL_FLAG)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO flag_count (window_id, site_id, expected, hung, updated_at)"
                " VALUES (:w, :s, 5, 6, '2024-10-01 00:00:00')"
            ),
            {"w": windows[0], "s": site},
        )


def test_the_ward_table_shows_each_windows_rate(engine, inspector, media, windows) -> None:  # noqa: F811
    first, second = windows
    nhan_chinh = ward_id(engine, "00343")
    a = _installed_site(engine, kind=SiteKind.NATIONAL_FLAG, ward_id=nhan_chinh)
    b = _installed_site(engine, KDT, 0.3, kind=SiteKind.NATIONAL_FLAG, ward_id=nhan_chinh)
    record = inspections.record_inspection
    record(engine, inspector, a, "pass", flags_hung=2, flags_expected=10, now=_at(FIRST[0]))
    record(engine, inspector, b, "pass", flags_hung=6, flags_expected=10, now=_at(FIRST[0]))
    record(engine, inspector, a, "pass", flags_hung=5, flags_expected=5, now=_at(SECOND[0]))
    rates = ward_window_rates(engine).set_index(["ward_id", "window_id"])
    assert tuple(rates.loc[(nhan_chinh, first), ["hung", "expected"]]) == (8, 20)
    assert rates.loc[(nhan_chinh, second), "share"] == pytest.approx(1.0)
    assert [w.window_id for w in flag_windows(engine)] == [first, second]
    table = progress.ward_progress(engine, "2024-10", today=date(2024, 10, 15)).set_index("ward_id")
    assert table.loc[nhan_chinh, f"flags_window_{first}"] == pytest.approx(0.4)
    assert table.loc[nhan_chinh, f"flags_window_{second}"] == pytest.approx(1.0)
    other = table.drop(index=nhan_chinh)
    assert other[f"flags_window_{first}"].isna().all()
