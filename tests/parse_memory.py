"""Parse one file in a fresh process and report time, peak memory and outcome as JSON.

Run as ``python -m tests.parse_memory table|plan FILE``: ``table`` reads a summary table as
the import page does, ``plan`` runs the ``kehoach plan parse`` command in-process. Peak memory
is VmHWM (tests/photo_memory.py explains why not ru_maxrss).
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import time
from pathlib import Path

from tests.photo_memory import _peak_mb


def main(kind: str, path: str) -> None:
    """Parse ``path`` as ``kind`` and print seconds, peak MB and the outcome."""
    from kehoach.adapters.plan_parser import main_parse_cli
    from kehoach.adapters.summary_table import TableError, read_table

    data = Path(path).read_bytes() if kind == "table" else b""
    before = _peak_mb()
    started = time.perf_counter()
    if kind == "table":
        try:
            table = read_table(data, Path(path).name)
            outcome = f"ok {len(table.rows)} rows"
        except TableError as exc:
            outcome = exc.params["reason"]
    else:
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main_parse_cli(path, as_json=True)
        outcome = f"exit {code}: {err.getvalue().strip()}"
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "before_mb": before, "peak_mb": _peak_mb(),
                      "outcome": outcome}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
