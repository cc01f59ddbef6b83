"""The sign-in form imports no data libraries; the warm-up thread imports them, once."""

from __future__ import annotations

import json
import subprocess
import sys

from kehoach.config import PROJECT_ROOT

DATA_LIBRARIES = ("pandas", "folium", "streamlit_folium", "pyproj", "shapely", "geopandas")


def _fresh_python(code: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
        timeout=120, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_sign_in_frame_imports_no_data_library() -> None:
    loaded = _fresh_python(
        "import json, sys; import streamlit; from kehoach import ui; import kehoach.ui.warmup\n"
        f"print(json.dumps({{m: m in sys.modules for m in {DATA_LIBRARIES!r}}}))"
    )
    assert not any(loaded.values()), loaded


def test_warm_up_imports_the_libraries_once() -> None:
    result = _fresh_python(
        "import json, sys; from kehoach.ui.warmup import LIBRARIES, start_warmup\n"
        "first = start_warmup(); first.join(120)\n"
        "print(json.dumps({'same': start_warmup() is first, 'alive': first.is_alive(),"
        " 'missing': [m for m in LIBRARIES if m not in sys.modules]}))"
    )
    assert result == {"same": True, "alive": False, "missing": []}
