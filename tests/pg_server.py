"""PostgreSQL fixtures: one throwaway cluster per session, a fresh database per test."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from kehoach.db.engine import make_engine
from kehoach.services.bootstrap import init_database
from tools.pg_cluster import PG_USER, PgServer, in_ci, start_pg_server

__all__ = ["PG_USER", "PgServer", "any_db_url", "any_engine", "pg_server", "pg_template",
           "pg_url"]  # fmt: skip

TEMPLATE_DB = "kehoach_template"
_database_numbers = itertools.count(1)


# --- fixtures (imported by tests/conftest.py) ------------------------------------------------


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """Run one throwaway PostgreSQL cluster for the session; skip without it (fail in CI)."""
    try:
        server = start_pg_server()
    except RuntimeError as exc:
        if in_ci():
            pytest.fail(f"CI=true and PostgreSQL cannot start: {exc}")
        pytest.skip(f"PostgreSQL not available: {exc}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server: PgServer) -> str:
    """Create and initialise one template database per session; return its name."""
    engine = make_engine(pg_server.create_database(TEMPLATE_DB))
    failure = ""
    try:
        init_database(engine)
    except Exception as exc:  # one short line instead of a page of SQL per dependent test
        failure = f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}"
    finally:
        engine.dispose()
    if failure:
        pytest.fail(f"init_database failed on PostgreSQL: {failure}", pytrace=False)
    return TEMPLATE_DB


@pytest.fixture
def pg_url(pg_server: PgServer, pg_template: str) -> Iterator[str]:
    """Return the URL of a fresh, initialised PostgreSQL database (a template copy)."""
    name = f"kehoach_test_{os.getpid()}_{next(_database_numbers)}"
    url = pg_server.create_database(name, template=pg_template)
    yield url
    pg_server.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request: pytest.FixtureRequest) -> str:
    """Return a fresh initialised database URL: once on SQLite, once on PostgreSQL."""
    return request.getfixturevalue("db_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def any_engine(any_db_url: str) -> Iterator[Engine]:
    """Return an engine on a fresh initialised database, SQLite then PostgreSQL."""
    engine = make_engine(any_db_url)
    yield engine
    engine.dispose()
