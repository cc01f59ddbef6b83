"""Import the libraries of the data pages in the background while the sign-in form is shown.

A fresh server imports nothing of the app until the first browser tab connects; the sign-in
form itself needs only SQLAlchemy. Pandas, Folium, streamlit-folium, Shapely and pyproj (about
a second of CPU) are imported by a background thread started on the app's first run, so the
first page after sign-in does not wait for them: the password check (Argon2, which releases
the GIL) and the user's typing overlap with them.

Only third-party libraries are imported here, never modules of ``kehoach``: their imports
never wait for a module the page's own thread is importing, so the two threads cannot meet
in an import cycle and see a partly initialised module.
"""

from __future__ import annotations

import importlib
import logging
import threading

from kehoach.preload import LIBRARIES

# Not streamlit_folium: importing it declares its Streamlit component, and declared from this
# thread instead of a script run the map's iframe stays hidden (seen in a real browser).

_log = logging.getLogger(__name__)
_lock = threading.Lock()
_thread: threading.Thread | None = None


def start_warmup() -> threading.Thread:
    """Start importing ``LIBRARIES`` in a daemon thread, once per process; return the thread."""
    global _thread
    with _lock:
        if _thread is None:
            _thread = threading.Thread(target=_import_all, name="kehoach-warmup", daemon=True)
            _thread.start()
        return _thread


def _import_all() -> None:
    for name in LIBRARIES:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the page's own import will raise it where it matters
            _log.warning("warm-up could not import %s", name, exc_info=True)
