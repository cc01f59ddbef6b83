"""A short, bounded load test: 20 users for 10 s through a running app on PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from tools.loadtest import run_load_test
from tools.server import ARTIFACTS

USERS = 20
SECONDS = 10


def test_twenty_users_lose_no_update_and_meet_no_error(pg_url: str, tmp_path: Path) -> None:
    result = run_load_test(pg_url, users=USERS, seconds=SECONDS, log_dir=tmp_path)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "loadtest.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    assert result["database"] == "postgresql"
    assert result["errors"] == 0, (result["error_samples"], result.get("app_log_tail"))
    assert result["lost_updates"] == 0
    assert result["updates_ok"] >= USERS  # every user saved, more than once on average
    kinds = result["by_kind"]
    assert kinds["sign_in"]["n"] == USERS  # each user is a real signed-in Streamlit session
    assert kinds["page"]["n"] >= USERS // 2  # home pages rerun on the server during the load
    assert result["http_checks"] >= SECONDS and result["app_alive_after"]
    assert result["p95_ms"] is not None and result["p95_ms"] >= result["p50_ms"] > 0


def test_the_scratch_database_of_the_command_has_a_campaign_to_seed(tmp_path: Path) -> None:
    # `python -m kehoach loadtest` seeds its sites into a scratch database's campaign.
    from kehoach.db.engine import make_engine, read_session
    from kehoach.services.campaigns import campaign_id_in
    from tools.loadtest import scratch_database

    with scratch_database(f"sqlite:///{tmp_path / 'unused.db'}") as url:
        engine = make_engine(url)
        with read_session(engine) as s:
            assert campaign_id_in(s) > 0
        engine.dispose()
