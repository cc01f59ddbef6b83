"""Every command-line error is one Vietnamese line and a non-zero exit, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kehoach.config import PROJECT_ROOT

NOT_INITIALISED = "chưa khởi tạo cơ sở dữ liệu, hãy chạy python -m kehoach init"


def run_cli(*args: str, db_url: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run ``python -m kehoach`` in a subprocess against ``db_url``."""
    env = {**os.environ, "DATABASE_URL": db_url, "PYTHONPATH": str(PROJECT_ROOT)}
    env.pop("KEHOACH_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "kehoach", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=120,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["user", "list"],
        ["user", "add", "bob", "--role", "admin"],
        ["sites", "list"],
        ["sites", "export", "--out", "x.csv"],
        ["report", "summary", "--out", "x.xlsx"],
        ["demo"],
        ["photos", "reconcile"],
    ],
)
def test_commands_before_init_say_what_to_run(args: list[str], tmp_path: Path) -> None:
    result = run_cli(*args, db_url=f"sqlite:///{tmp_path / 'empty.db'}", stdin="mat-khau-dai\n")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert NOT_INITIALISED in result.stderr


@pytest.mark.parametrize(
    "command",
    [["sites", "export", "--out"], ["report", "summary", "--out"], ["backup", "--out"]],
)
def test_bad_output_path_is_a_message(command: list[str], db_url: str, tmp_path: Path) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    out = a_file / ("x.xlsx" if "report" in command else "x.csv")
    result = run_cli(*command, str(out), db_url=db_url)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Lỗi: ")
    assert str(a_file) in result.stderr


def test_bad_database_url_is_a_message() -> None:
    result = run_cli("user", "list", db_url="no-such-driver://x/y")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "DATABASE_URL" in result.stderr


def test_debug_switch_shows_the_traceback(tmp_path: Path) -> None:
    env_url = f"sqlite:///{tmp_path / 'empty.db'}"
    env = {**os.environ, "DATABASE_URL": env_url, "KEHOACH_DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "kehoach", "user", "list"],
        capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0 and "Traceback" in result.stderr
