"""The app installs Leaflet's files itself at start, or says exactly what to run."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from kehoach.adapters.assets import LEAFLET_DIR, LEAFLET_FILES
from kehoach.escape import escape_markdown


def _script(target: str) -> None:
    from pathlib import Path

    from kehoach import ui

    ui.ensure_map_assets(Path(target))


def _run(target: Path) -> AppTest:
    at = AppTest.from_function(_script, args=(str(target),), default_timeout=30)
    return at.run()


def test_an_empty_static_folder_is_filled_at_start(app_env, tmp_path: Path) -> None:
    vendor = tmp_path / "static" / "vendor"
    at = _run(vendor)
    assert not at.exception and not at.error
    for name in LEAFLET_FILES:
        assert (vendor / LEAFLET_DIR / name).stat().st_size > 1000
    assert any((vendor / LEAFLET_DIR / "images").iterdir())


def test_a_folder_that_cannot_be_written_shows_what_to_run(app_env, tmp_path: Path) -> None:
    blocker = tmp_path / "static"
    blocker.write_text("a file where the folder should be")
    at = _run(blocker / "vendor")
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert "python -m kehoach assets" in message
    assert escape_markdown(str(blocker / "vendor")) in message  # shown through Markdown
