"""The server's preload imports the first page's modules, and nothing that belongs to a run."""

from __future__ import annotations

import json
import subprocess
import sys

from tools.server import ROOT


def test_preload_imports_the_first_pages_modules_but_no_component_or_cache() -> None:
    code = (
        "import json, sys; from kehoach.preload import APP_MODULES, LIBRARIES, preload\n"
        "preload(); wanted = LIBRARIES + APP_MODULES\n"
        "print(json.dumps({'missing': [m for m in wanted if m not in sys.modules], "
        "'loaded': sorted(m for m in sys.modules if m == 'streamlit_folium' "
        "or m.startswith('kehoach.ui'))}))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=True)  # fmt: skip
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["missing"] == []
    # streamlit_folium declares its component when imported, kehoach.ui its caches: both
    # belong to a script run (the map's iframe stays hidden otherwise).
    assert result["loaded"] == []
