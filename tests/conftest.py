"""Shared fixtures: initialised SQLite databases on temporary files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kehoach.db.engine import make_engine
from kehoach.services.bootstrap import init_database

# PostgreSQL: a throwaway cluster per session and `any_engine` over SQLite and PostgreSQL.
from tests.pg_server import any_db_url, any_engine, pg_server, pg_template, pg_url  # noqa: F401


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Initialise one database per test session (schema, geodata, plan)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    init_database(engine)
    engine.dispose()
    return path


def _clone(source: Path, target: Path) -> None:
    # SQLite's online backup API, so WAL content is included.
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    with sqlite3.connect(target) as conn:
        conn.execute("PRAGMA journal_mode = WAL")


@pytest.fixture
def db_url(template_db: Path, tmp_path: Path) -> str:
    """Return the URL of a fresh, initialised database file for one test."""
    path = tmp_path / "kehoach.db"
    _clone(template_db, path)
    return f"sqlite:///{path}"


@pytest.fixture
def engine(db_url: str) -> Engine:
    """Return an engine on a fresh, initialised database file."""
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def app_env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Point the app at a fresh database and photo folder; clear Streamlit's caches."""
    import streamlit as st

    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("KEHOACH_MEDIA_DIR", str(tmp_path / "media"))
    monkeypatch.setenv("KEHOACH_HEARTBEAT_FILE", str(tmp_path / "serving.heartbeat"))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield db_url
    st.cache_resource.clear()
    st.cache_data.clear()
