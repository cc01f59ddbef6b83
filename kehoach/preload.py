"""What the first page needs imported, for the server to load before a user waits for it.

``serve.py`` imports all of it before Streamlit opens its port; ``kehoach/ui/warmup.py``
imports the libraries in a background thread when the app was started with a bare
``streamlit run app.py``. Nothing here may import ``streamlit_folium`` or ``kehoach.ui``: the
first declares a Streamlit component and the second Streamlit caches, both of which belong
to a script run.
"""

from __future__ import annotations

import importlib

# Third-party libraries of the data pages, in the order the first page needs them; each
# imports its own dependencies (numpy, jinja2...).
LIBRARIES = (
    "pandas",
    "shapely",
    "pyproj",
    "folium",
    "folium.plugins",
    "PIL.Image",
)
# The app's own modules behind the sign-in form and the first page of every role.
APP_MODULES = (
    "sqlalchemy.dialects.postgresql",  # loaded by the models' PostgreSQL index options
    "kehoach.db.models",
    "kehoach.services.auth",
    "kehoach.services.queries",
    "kehoach.services.sites",
    "kehoach.services.headline",
    "kehoach.services.coverage",
    "kehoach.services.progress",
    "kehoach.services.inspections",
    "kehoach.adapters.mapview",
    "kehoach.adapters.coverage_layer",
    "kehoach.adapters.photos",
)


def preload() -> None:
    """Import the libraries, then the app's modules, in order."""
    for name in (*LIBRARIES, *APP_MODULES):
        importlib.import_module(name)
