"""Crash safety: an import killed with SIGKILL mid-transaction leaves none or all of its rows."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Engine

from kehoach.db.engine import make_engine
from kehoach.domain.enums import Role
from kehoach.domain.permissions import Actor
from kehoach.services.geography import spatial_index
from kehoach.services.site_import import import_file
from tests.test_summary_table import to_csv
from tools.server import ROOT
from tools.synthetic import synthetic_sites

ROWS = 5000
# Staging takes no write lock: the lock is the final transaction, which publishes every row in
# well under a second; kill just after it is taken, inside it.
KILL_AFTER_LOCK_S = 0.02
TIMEOUT_S = 120.0


def big_table(engine: Engine, n: int) -> bytes:
    """Return a valid CSV summary table of ``n`` panels spread over the district."""
    index = spatial_index(engine)
    sites = synthetic_sites(n + n // 5, seed=5)
    points = sites[sites["geojson"].isna()]
    rows = []
    for lon, lat in zip(points["lon"], points["lat"], strict=True):
        if index.ward_at(lon, lat) is None:  # the approximate wards leave small gaps
            continue
        i = len(rows) + 1
        rows.append(
            {"STT": i, "Vị trí (địa chỉ)": f"Điểm thử mất điện {i}", "Loại hình": "Pa-nô",
             "Số lượng": 1, "Kinh độ": round(lon, 6), "Vĩ độ": round(lat, 6)}
        )  # fmt: skip
        if len(rows) == n:
            return to_csv(rows)
    raise AssertionError("not enough points inside wards")


def _write_lock_taken(probe: sqlite3.Connection) -> bool:
    """Tell whether another connection holds the write lock (its transaction has begun)."""
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc):
            return True
        raise
    probe.execute("ROLLBACK")
    return False


def _counts(path: Path) -> tuple[str, int, int]:
    with sqlite3.connect(path) as conn:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        sites = conn.execute("SELECT count(*) FROM site").fetchone()[0]
        events = conn.execute("SELECT count(*) FROM site_event").fetchone()[0]
    return check, sites, events


def test_import_killed_mid_transaction_leaves_none_or_all(db_url: str, tmp_path: Path) -> None:
    path = Path(db_url.removeprefix("sqlite:///"))
    engine = make_engine(db_url)
    table = tmp_path / "bieu-lon.csv"
    table.write_bytes(big_table(engine, ROWS))
    engine.dispose()
    assert _counts(path) == ("ok", 0, 0)

    env = {**os.environ, "DATABASE_URL": db_url}
    log = (tmp_path / "import.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "kehoach", "sites", "import", str(table)],
        cwd=ROOT, env=env, stdout=log, stderr=log,
    )  # fmt: skip
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while not _write_lock_taken(probe):
            assert proc.poll() is None, "the import ended before its write transaction began"
            assert time.monotonic() < deadline, "the import never began writing"
            time.sleep(0.01)
        time.sleep(KILL_AFTER_LOCK_S)
        assert proc.poll() is None, "the import committed before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        probe.close()
        if proc.poll() is None:
            proc.kill()
        log.close()

    check, sites, events = _counts(path)  # reopening recovers from the WAL (or rolls back)
    assert check == "ok"
    assert sites in (0, ROWS), f"a partial import survived: {sites} sites"
    assert events == sites  # one 'created' event per site, never one without the other

    engine = make_engine(db_url)  # the database is usable: the same file imports in full
    report = import_file(engine, Actor(None, "cli", Role.ADMIN), table.read_bytes(), table.name)
    assert report.added + report.skipped_existing == ROWS and not report.problems
    assert _counts(path) == ("ok", ROWS, ROWS)
    engine.dispose()
