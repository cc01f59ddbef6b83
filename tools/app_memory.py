"""Measure the app's own peak memory on a bench database, in a fresh process.

The bench process cannot tell it: before the app's first page it has already imported what
only the bench needs (GeoPandas and pyogrio for the synthetic base layers, Playwright, the
naive map's code), built the synthetic sites in memory and run the locator and the export.
This module, run as ``python -m tools.app_memory DATABASE_URL USER_ID``, imports only the
app and Streamlit's AppTest, recomputes coverage, shows the home page signed in and changes
its status filter as a user does, then prints its peak resident memory as JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from kehoach.config import PROJECT_ROOT

TIMEOUT_S = 600
# Filter changes on the home page: narrow to one status, widen, back to everything.
FILTERS: tuple[tuple[str, ...], ...] = (("installed",), ("installed", "needs_fix"), ())


def measure_app_memory(url: str, user_id: int) -> float:
    """Run coverage and the home page in a child process; return its peak RSS in MB."""
    done = subprocess.run(
        [sys.executable, "-m", "tools.app_memory", url, str(user_id)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=TIMEOUT_S, check=True,
    )  # fmt: skip
    return float(json.loads(done.stdout.strip().splitlines()[-1])["peak_rss_mb"])


def run_app_work(url: str, user_id: int) -> None:
    """Recompute coverage, then show the home page signed in and rerun it per filter."""
    os.environ["DATABASE_URL"] = url
    from streamlit.testing.v1 import AppTest

    from kehoach.db.engine import make_engine
    from kehoach.services.coverage import bench_coverage

    engine = make_engine(url)
    try:
        bench_coverage(engine)
    finally:
        engine.dispose()
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT_S)
    app.session_state["user_id"] = user_id
    app.run()
    for statuses in FILTERS:
        next(m for m in app.multiselect if m.key == "filter-statuses").set_value(list(statuses))
        app.run()
    if app.exception:
        raise RuntimeError(f"the home page failed: {app.exception[0].value}")


def main() -> None:
    """Do the app's work on the database given, then print the process's peak memory."""
    run_app_work(sys.argv[1], int(sys.argv[2]))
    print(json.dumps({"peak_rss_mb": round(peak_kb() / 1024, 1)}))


def peak_kb() -> int:
    """Return this process's peak resident memory in kB since it started its program.

    Not ``getrusage``: Linux carries the parent's peak into a child started by fork or vfork
    and exec, so a child of the big bench process would report at least the bench's size.
    ``VmHWM`` belongs to the memory map that exec made.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


if __name__ == "__main__":
    main()
