"""Type checking: mypy passes with the project's configuration, and every ignore says why."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = [*sorted((ROOT / "kehoach").rglob("*.py")), *sorted((ROOT / "app_pages").glob("*.py"))]
CHECKED.append(ROOT / "app.py")
# `# type: ignore[code, ...]  # reason` — an error code and a reason on the same line.
EXPLAINED = re.compile(r"#\s*type:\s*ignore\[[a-z-]+(,\s*[a-z-]+)*\]\s+#\s*\S")


def test_every_type_ignore_names_its_error_code_and_reason() -> None:
    unexplained = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in CHECKED
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"#\s*type:\s*ignore", line) and not EXPLAINED.search(line)
    ]
    assert unexplained == []


def test_mypy_passes() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
