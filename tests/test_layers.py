"""The layers' import contracts in pyproject.toml hold (import-linter).

Dependencies point down: domain ← db, adapters (peers) ← services ← ui; Streamlit only in
kehoach.ui; the domain imports no framework.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def test_every_layer_contract_is_kept() -> None:
    result = _lint()
    assert "BROKEN" not in result.stdout, result.stdout
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 5 kept, 0 broken." in result.stdout
