"""Factories for tests: users and sites with sensible defaults (make_site(**kw))."""

from __future__ import annotations

import json
from pathlib import Path

import shapely
from sqlalchemy import Engine, select

from kehoach.db.engine import read_session
from kehoach.db.models import Street, Ward
from kehoach.domain.enums import Role, SiteKind
from kehoach.domain.permissions import Actor
from kehoach.services import auth
from kehoach.services.sites import NewSite, create_site

GEO = Path(__file__).resolve().parent.parent / "data" / "geo"


def make_user(
    engine: Engine,
    username: str,
    role: Role,
    ward_code: str | None = None,
    password: str = "mat-khau-dai-1",
    unit: str | None = None,
) -> Actor:
    """Create and return an account (bound to a ward, or to a unit of the plan by name)."""
    return auth.add_user(engine, username, password, role, ward_code=ward_code, unit=unit)


def point_on_street(name: str, fraction: float = 0.5) -> tuple[float, float]:
    """Return (lon, lat) at ``fraction`` along the named street of the shipped data."""
    for feature in json.loads((GEO / "streets.geojson").read_text(encoding="utf-8"))["features"]:
        if feature["properties"]["name"] == name:
            geom = shapely.line_merge(shapely.geometry.shape(feature["geometry"]))
            if geom.geom_type == "MultiLineString":
                geom = max(geom.geoms, key=lambda g: g.length)
            p = geom.interpolate(fraction, normalized=True)
            return p.x, p.y
    raise KeyError(name)


def ward_point(engine: Engine, code: str) -> tuple[float, float]:
    """Return a point well inside the ward with GSO ``code``."""
    with read_session(engine) as s:
        ward = s.scalar(select(Ward).where(Ward.code == code))
        p = shapely.geometry.shape(json.loads(ward.geojson)).representative_point()
    return p.x, p.y


def ward_id(engine: Engine, code: str) -> int:
    """Return the id of the ward with GSO ``code``."""
    with read_session(engine) as s:
        return s.scalar(select(Ward.id).where(Ward.code == code))


def street_id(engine: Engine, name: str) -> int:
    """Return the id of the street named ``name``."""
    with read_session(engine) as s:
        return s.scalar(select(Street.id).where(Street.name == name))


def make_site(engine: Engine, actor: Actor | None = None, **kw: object) -> int:
    """Create a point site on Nguyễn Trãi (by default) and return its id."""
    if actor is None:
        actor = Actor(None, "test", Role.ADMIN)
    if "lon" not in kw and "line" not in kw:
        kw["lon"], kw["lat"] = point_on_street("Đường Nguyễn Trãi", 0.4)
    kw.setdefault("kind", SiteKind.PANEL)
    kw.setdefault("name", "Pa-nô thử nghiệm")
    return create_site(engine, actor, NewSite(**kw))  # type: ignore[arg-type]
