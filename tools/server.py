"""Start the app's server on a free loopback port and wait until it is healthy.

It is started as `make run` and deployments start it: ``python serve.py``, which imports the
first page's modules and then runs ``streamlit run app.py``. The one helper the benchmark,
the load test and the real-browser tests share.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from kehoach.config import PROJECT_ROOT

ROOT = PROJECT_ROOT
ARTIFACTS = ROOT / "test-artifacts"  # screenshots, logs and figures kept after a run
START_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 15.0


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_get(url: str, timeout: float = 10) -> int:
    """GET ``url`` (loopback http), read the body and return the status code."""
    with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 - loopback only
        resp.read()
        return int(resp.status)


@contextlib.contextmanager
def streamlit_process(
    db_url: str, log: Path, **env: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run the app against ``db_url`` (extra ``env`` on top); yield its URL and process."""
    port = free_port()
    environ = {**os.environ, "DATABASE_URL": db_url, **env}
    cmd = [
        sys.executable, str(ROOT / "serve.py"),  # how `make run` and deployments start it
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=environ, stdout=out, stderr=out)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, proc, log)
            yield url, proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=STOP_TIMEOUT_S)


@contextlib.contextmanager
def streamlit_app(db_url: str, log: Path, **env: str) -> Iterator[str]:
    """Run the app against ``db_url`` and yield its base URL; stop it afterwards."""
    with streamlit_process(db_url, log, **env) as (url, _proc):
        yield url


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited: {log.read_text(errors='replace')[-2000:]}")
        with contextlib.suppress(OSError):
            if http_get(f"{url}/_stcore/health", timeout=2) == 200:
                return
        time.sleep(0.3)
    raise TimeoutError(f"streamlit did not start: {log.read_text(errors='replace')[-2000:]}")
