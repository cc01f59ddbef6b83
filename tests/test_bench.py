"""The benchmark script runs end to end on a small synthetic set (figures, not timings)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from sqlalchemy import select

from kehoach.db.engine import read_session
from kehoach.db.models import Site
from tools.bench import BENCH_GOALS
from tools.server import ROOT
from tools.synthetic import insert_synthetic_sites

KEYS = {
    "n_sites", "map_seconds", "map_bytes", "naive_seconds", "naive_bytes", "browser_seconds",
    "coverage_seconds", "rerun_seconds", "update_seconds", "peak_rss_mb", "map_mb",
    "server_first_page_seconds", "server_rerun_seconds", "server_peak_rss_mb",
    "sites_page_rerun_seconds", "locate_seconds", "import_5000_seconds", "export_xlsx_seconds",
    "pack_mb", "pack_open_seconds", "sync_200_seconds", "import_save_wait_sqlite_seconds",
    "import_save_wait_postgresql_seconds",
}  # fmt: skip
# Timed only with --browser (the full benchmark): None in the quick run below.
# Measured on PostgreSQL only with --postgres.
FULL_ONLY = {"browser_seconds", "pack_open_seconds", "sync_200_seconds",
             "import_save_wait_postgresql_seconds"}


def test_synthetic_sites_are_labelled_and_placed(engine) -> None:
    assert insert_synthetic_sites(engine, 200) == 200
    with read_session(engine) as s:
        sites = s.scalars(select(Site)).all()
    assert all("dữ liệu tổng hợp" in site.name and site.code.startswith("TH-") for site in sites)
    assert sum(site.ward_id is not None for site in sites) >= 190  # ward gaps are small
    assert any(site.street_id is not None for site in sites)
    stretches = [site for site in sites if site.length_m > 0]
    assert stretches and all("LineString" in site.geojson for site in stretches)


def test_bench_command_prints_every_figure_as_json(tmp_path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'not-used.db'}"}
    done = subprocess.run(
        [sys.executable, "-m", "kehoach", "bench", "--sites", "300", "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240, check=True,
    )  # fmt: skip
    result = json.loads(done.stdout)
    assert set(result) >= KEYS and result["synthetic"] is True
    assert result["n_sites"] == 300  # no --browser
    assert all(result[key] is None for key in FULL_ONLY)
    for key in KEYS - {"n_sites"} - FULL_ONLY:
        assert result[key] is not None and result[key] > 0, key
    assert set(BENCH_GOALS) <= KEYS
    assert not (tmp_path / "not-used.db").exists()  # the bench never touches DATABASE_URL
