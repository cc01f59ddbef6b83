"""Helpers for AppTest runs of the real app.py."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from kehoach.domain.enums import Role
from tests.factories import make_user

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 60


def signed_in(engine: Engine, role: Role, ward: str | None = None) -> AppTest:
    """Return an AppTest of app.py with a new user of ``role`` signed in."""
    actor = make_user(engine, f"user-{role.value}", role, ward_code=ward)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["user_id"] = actor.id
    return at
