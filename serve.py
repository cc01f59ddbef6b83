"""Start the app's server with the first page's modules imported before it listens.

``streamlit run app.py`` imports nothing of the app until the first browser tab connects, so
the first person to open the map after a restart waited for about a second of imports
(pandas, Folium, Shapely, pyproj, SQLAlchemy's PostgreSQL dialect, our services) on top of
their own page. Here those modules are imported first, in the main thread and before any
session exists (so no import can race a page's), and then Streamlit's own command line runs
``run app.py`` with the options given:

    .venv/bin/python serve.py --server.port 8501

It lives next to ``app.py``, outside the ``kehoach`` package, and imports neither
``streamlit_folium`` nor ``kehoach.ui``: the first declares a Streamlit component and the
second Streamlit caches, both of which belong to a script run.
``kehoach/ui/warmup.py`` still overlaps the libraries' imports with the sign-in form when
the app is started with a bare ``streamlit run app.py``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from kehoach.preload import preload

APP = Path(__file__).resolve().parent / "app.py"


def main(argv: Sequence[str] | None = None) -> None:
    """Preload, then run ``streamlit run app.py`` with ``argv`` (default: this command's)."""
    preload()
    from streamlit.web import cli

    options = list(sys.argv[1:] if argv is None else argv)
    cli.main(["run", str(APP), *options], prog_name="streamlit")


if __name__ == "__main__":
    main()
