"""DATABASE_URL with percent-encoding (a password with % @ :, a socket path) reaches init."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from kehoach.config import PROJECT_ROOT
from kehoach.db.migrate import alembic_config
from tests.pg_server import PG_USER, PgServer

ROLE = "kehoach_pct"
PASSWORD = "p%40ss%w@rd:/x%%"  # literal % @ : / — every character URLs and ConfigParser mind


def _admin(server: PgServer, sql: str) -> None:
    engine = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


def _init(url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(PROJECT_ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "kehoach", "init", "--no-plan"],
        capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, timeout=300,
    )  # fmt: skip


@pytest.fixture
def password_role(pg_server: PgServer) -> Iterator[str]:
    """Create a role (and its database) that must sign in with PASSWORD over TCP."""
    escaped = PASSWORD.replace("'", "''")
    _admin(pg_server, f"CREATE ROLE {ROLE} LOGIN PASSWORD '{escaped}'")
    _admin(pg_server, f"CREATE DATABASE {ROLE} OWNER {ROLE}")
    # The test cluster trusts loopback; make this one role prove its password.
    hba = pg_server.data_dir / "pg_hba.conf"
    original = hba.read_text()
    hba.write_text(f"host all {ROLE} 127.0.0.1/32 scram-sha-256\n{original}")
    _admin(pg_server, "SELECT pg_reload_conf()")
    yield ROLE
    hba.write_text(original)
    _admin(pg_server, "SELECT pg_reload_conf()")
    _admin(pg_server, f"DROP DATABASE IF EXISTS {ROLE} WITH (FORCE)")
    _admin(pg_server, f"DROP ROLE IF EXISTS {ROLE}")


def test_alembic_config_keeps_percent_encoded_url() -> None:
    engine = create_engine(f"postgresql+psycopg://u:{quote(PASSWORD, safe='')}@h/db?host=%2Fs")
    assert alembic_config(engine).get_main_option("sqlalchemy.url") == engine.url.render_as_string(
        hide_password=False
    )


def test_init_with_a_password_full_of_url_characters(
    pg_server: PgServer, password_role: str
) -> None:
    url = (
        f"postgresql+psycopg://{ROLE}:{quote(PASSWORD, safe='')}@127.0.0.1:{pg_server.port}/{ROLE}"
    )
    wrong = url.replace(quote(PASSWORD, safe=""), "wrong")
    refused = _init(wrong)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr  # the password counts
    result = _init(url)
    assert result.returncode == 0, result.stderr
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM ward")).scalar() == 11
    finally:
        engine.dispose()


def test_init_through_a_unix_socket_url(pg_server: PgServer) -> None:
    name = "kehoach_socket"
    pg_server.create_database(name)
    socket_dir = quote(str(pg_server.data_dir.parent), safe="")
    url = f"postgresql+psycopg://{PG_USER}@/{name}?host={socket_dir}&port={pg_server.port}"
    assert "%2F" in url
    try:
        result = _init(url)
        assert result.returncode == 0, result.stderr
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
        finally:
            engine.dispose()
    finally:
        pg_server.drop_database(name)
