"""Replaying the history: the site table as of a past moment, and the installation burn-up."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import select, update

from kehoach.db.engine import read_session, write_session
from kehoach.db.models import Site
from kehoach.domain.enums import Role, SiteKind, SiteStatus
from kehoach.domain.errors import InvalidInput
from kehoach.domain.permissions import Actor
from kehoach.i18n import LOCAL_TZ
from kehoach.services import history as history_service
from kehoach.services import timeline
from kehoach.services.demo import load_demo
from kehoach.services.queries import load_sites
from kehoach.services.sites import SiteChanges, decide_approval, update_site
from tests.factories import make_site, point_on_street

ADMIN = Actor(None, "test", Role.ADMIN)


def local(day: str, hour: int = 9, minute: int = 0) -> datetime:
    """Return a Hanoi wall-clock time as an aware UTC datetime."""
    y, m, d = (int(x) for x in day.split("-"))
    return datetime(y, m, d, hour, minute, tzinfo=LOCAL_TZ).astimezone(UTC)


@contextmanager
def history_clock(at: datetime) -> Iterator[None]:
    """Stamp the history written inside the block at ``at``: events are never re-dated."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(history_service, "utcnow", lambda: at)
        yield


def change(engine, site_id: int, at: datetime, **values: object) -> None:
    """Edit a site through the service as if at ``at`` (the past)."""
    with read_session(engine) as s:
        version = s.get(Site, site_id).version
    update_site(engine, ADMIN, site_id, version, SiteChanges(values), now=at)


def new_site(engine, at: datetime, **kw: object) -> int:
    """Create a site through the service as if at ``at`` (its 'created' event and date)."""
    with history_clock(at):
        site_id = make_site(engine, **kw)
    with write_session(engine) as s:
        s.execute(update(Site).where(Site.id == site_id).values(created_at=at))
    return site_id


@pytest.fixture
def history(engine):
    """Two sites with a hand-made history in September 2024 (Hanoi time)."""
    a = new_site(engine, local("2024-09-02", 10), name="A", planned_on=date(2024, 9, 6))
    change(engine, a, local("2024-09-05"), status=SiteStatus.INSTALLING.value)
    change(engine, a, local("2024-09-10"), status=SiteStatus.INSTALLED.value)
    change(engine, a, local("2024-09-10", 15), flags_expected=8, flags_hung=5)
    change(engine, a, local("2024-09-20"), status=SiteStatus.NEEDS_FIX.value)
    change(engine, a, local("2024-09-22"), status=SiteStatus.INSTALLED.value)
    lon, lat = point_on_street("Đường Nguyễn Trãi", 0.7)
    b = new_site(
        engine, local("2024-09-08"), name="B", lon=lon, lat=lat, planned_on=date(2024, 9, 12)
    )
    return a, b


def statuses(frame: pd.DataFrame) -> dict[str, str]:
    return dict(zip(frame["name"], frame["status"], strict=True))


def test_sites_as_of_replays_each_moment(engine, history) -> None:
    a, _b = history
    assert timeline.sites_as_of(engine, local("2024-09-01")).empty
    assert statuses(timeline.sites_as_of(engine, local("2024-09-06"))) == {"A": "installing"}
    assert statuses(timeline.sites_as_of(engine, local("2024-09-09"))) == {
        "A": "installing",
        "B": "planned",
    }
    before_flags = timeline.sites_as_of(engine, local("2024-09-10", 12))
    row = before_flags.set_index("name").loc["A"]
    assert (row["status"], row["flags_expected"], row["flags_hung"]) == ("installed", 0, 0)
    after_flags = timeline.sites_as_of(engine, local("2024-09-10", 16)).set_index("name")
    assert (after_flags.loc["A", "flags_expected"], after_flags.loc["A", "flags_hung"]) == (8, 5)
    assert statuses(timeline.sites_as_of(engine, local("2024-09-21"))) == {
        "A": "needs_fix",
        "B": "planned",
    }


def test_sites_as_of_now_is_the_current_table(engine, history) -> None:
    now = timeline.sites_as_of(engine, datetime.now(UTC))
    current = load_sites(engine)
    assert list(now.columns) == list(current.columns)
    pd.testing.assert_frame_equal(now.reset_index(drop=True), current, check_dtype=False)


def test_days_are_hanoi_days(engine) -> None:
    site = new_site(engine, local("2024-09-01"), planned_on=date(2024, 9, 10))
    # 17:30 UTC on the 10th is 00:30 on the 11th in Hanoi.
    change(engine, site, datetime(2024, 9, 10, 17, 30, tzinfo=UTC), status="installed")
    end_of_10th = timeline.local_day_end(date(2024, 9, 10))
    assert timeline.sites_as_of(engine, end_of_10th)["status"].tolist() == ["planned"]
    burn = timeline.burnup(engine, today=date(2024, 9, 30)).set_index("date")
    assert burn.loc["2024-09-10", "installed"] == 0
    assert burn.loc["2024-09-11", "installed"] == 1


def test_burnup_counts_planned_and_first_installation(engine, history) -> None:
    a, b = history
    rejected = new_site(
        engine,
        local("2024-09-03"),
        name="C",
        is_new=True,
        estimated_cost=1_000_000,
        planned_on=date(2024, 9, 3),
    )
    decide_approval(engine, ADMIN, rejected, approve=False, reason="trùng vị trí")
    burn = timeline.burnup(engine, today=date(2024, 9, 25))
    assert list(burn.columns) == ["date", "planned", "installed"]
    by_day = burn.set_index("date")
    assert by_day.index[0] == pd.Timestamp("2024-09-02")  # the first site's creation
    assert by_day.loc["2024-09-05", "planned"] == 0
    assert by_day.loc["2024-09-06", "planned"] == 1
    assert by_day.loc["2024-09-12", "planned"] == 2  # the rejected site never counts
    assert by_day.loc["2024-09-09", "installed"] == 0
    assert by_day.loc["2024-09-10", "installed"] == 1
    # needs fix, then installed again on the 22nd: still one site installed, not two.
    assert by_day.loc["2024-09-24", "installed"] == 1
    # The chart runs to the anniversary; days after `today` have no installed figure.
    assert by_day.index[-1] == pd.Timestamp("2024-10-10")
    assert math.isnan(by_day.loc["2024-09-26", "installed"])
    assert by_day.loc["2024-10-10", "planned"] == 2


def test_demo_set_replays_from_its_stated_creation_and_done_dates(engine) -> None:
    count = load_demo(engine)
    # The demo's 'created' events carry the load time; Site.created_at says 2024-09-01.
    assert timeline.sites_as_of(engine, local("2024-08-31", 23)).empty
    day = date(2024, 9, 20)
    replayed = timeline.sites_as_of(engine, timeline.local_day_end(day)).set_index("id")
    assert len(replayed) == count
    with read_session(engine) as s:
        rows = s.execute(select(Site.id, Site.status, Site.done_on)).all()
    expected = {
        i: "planned" if status in ("installed", "needs_fix", "removed") and done > day else status
        for i, status, done in rows
    }
    assert replayed["status"].to_dict() == expected
    assert 0 < list(expected.values()).count("planned") < count
    burn = timeline.burnup(engine, today=date(2026, 1, 1)).set_index("date")
    put_up = sum(1 for _, status, done in rows if done is not None)
    assert by_last(burn, "installed") == put_up
    assert by_last(burn, "planned") == count
    first_done = min(done for _, _, done in rows if done is not None)
    assert burn.loc[pd.Timestamp(first_done - timedelta(days=1)), "installed"] == 0


def by_last(frame: pd.DataFrame, column: str) -> int:
    return int(frame[column].dropna().iloc[-1])


def test_naive_time_is_refused(engine) -> None:
    with pytest.raises(InvalidInput):
        timeline.sites_as_of(engine, datetime(2024, 9, 1))


def test_empty_database(engine) -> None:
    assert timeline.sites_as_of(engine, datetime.now(UTC)).empty
    assert timeline.burnup(engine).empty


def test_kind_of_sites_is_kept(engine, history) -> None:
    frame = timeline.sites_as_of(engine, local("2024-09-30"))
    assert set(frame["kind"]) == {SiteKind.PANEL.value}
