"""An import appears all at once or not at all: readers never see part of it."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, func, select

from kehoach.db.engine import read_session
from kehoach.db.models import Position, Site, SiteEvent
from kehoach.domain.campaigns import CampaignClosed
from kehoach.domain.enums import ChangeSource, Role
from kehoach.domain.permissions import Actor
from kehoach.services import import_commit, site_import
from kehoach.services.campaigns import close_campaign, resolve_campaign
from kehoach.services.queries import load_sites
from kehoach.services.site_validation import ImportPlan
from tests.factories import point_on_street
from tools.bench_import_load import synthetic_plan

ADMIN = Actor(None, "test", Role.ADMIN)


def _plan(n: int) -> ImportPlan:
    return synthetic_plan(n, *point_on_street("Đường Nguyễn Trãi", 0.4))
ROWS = 3000


def _counts(engine: Engine) -> tuple[int, int, int]:
    with read_session(engine) as s:
        return (s.scalar(select(func.count(Position.id))) or 0,
                s.scalar(select(func.count(Site.id))) or 0,
                s.scalar(select(func.count(SiteEvent.id))) or 0)  # fmt: skip


def test_readers_see_none_or_all_of_an_import(any_engine: Engine) -> None:
    engine = any_engine
    seen: list[int] = []
    done = threading.Event()

    def reader() -> None:
        while not done.is_set():
            seen.append(len(load_sites(engine)))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        result = site_import.commit_import(engine, ADMIN, _plan(ROWS), ChangeSource.IMPORT)
    finally:
        done.set()
        thread.join()
    assert result.added == ROWS
    assert 0 in seen and set(seen) <= {0, ROWS}, sorted(set(seen))
    assert _counts(engine) == (ROWS, ROWS, ROWS)


def test_an_import_that_fails_at_its_last_step_leaves_nothing(any_engine: Engine) -> None:
    engine = any_engine
    plan = _plan(200)
    prepared = import_commit.prepare_rows(engine, ADMIN, plan.rows)
    close_campaign(engine, ADMIN, resolve_campaign(engine).id)  # closes while it is staged
    with pytest.raises(CampaignClosed):
        import_commit.publish_rows(engine, ADMIN, prepared, ChangeSource.IMPORT)
    assert _counts(engine) == (0, 0, 0)
    assert len(load_sites(engine)) == 0
