"""The district's fixed geography, read once per engine and kept until ``clear_geography``.

District, wards and streets change only when ``init_database`` loads them or a backup is
restored, so every use case shares one cache of what is built from them: the spatial index,
the zone a device may stand in, the measured street network and the ward and street names.
Each part is built on first use. The cache is keyed by the engine object itself (weakly, so a
disposed engine's geography goes with it) and ``clear_geography`` empties it after init or
restore.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kehoach.adapters.geometry import from_geojson, to_metric
from kehoach.adapters.locator import StreetGeometry
from kehoach.adapters.spatial import SpatialIndex
from kehoach.db.engine import read_session
from kehoach.db.models import District, Street, Ward
from kehoach.domain.coverage import StreetNetwork
from kehoach.domain.errors import NotFound
from kehoach.domain.inspection import DISTRICT_TOLERANCE_M
from kehoach.domain.position_text import Gazetteer

T = TypeVar("T")

_cache: weakref.WeakKeyDictionary[Engine, dict[str, Any]] = weakref.WeakKeyDictionary()
# Reentrant: building the district zone asks for the spatial index.
_lock = threading.RLock()


@dataclass(frozen=True)
class StreetLayout:
    """The measured streets (UTM 48N, clipped to the district) and each ward's stretches of them."""

    network: StreetNetwork
    names: dict[int, str]
    wards: tuple[tuple[int, str, str, np.ndarray, np.ndarray], ...]  # id, code, name, lo, hi


def clear_geography() -> None:
    """Forget the cached geography of every engine (after init or restore)."""
    with _lock:
        _cache.clear()


def spatial_index(engine: Engine) -> SpatialIndex:
    """Return the spatial index of the district, wards and streets."""
    return _part(engine, "index", _build_index)


def district_zone(engine: Engine) -> BaseGeometry:
    """Return the district outline widened by the device tolerance, in metres (prepared)."""
    return _part(engine, "zone", _build_zone)


def street_layout(engine: Engine) -> StreetLayout:
    """Return the measured street network and where each ward lies along it."""
    return _part(engine, "layout", _build_layout)


def ward_names(engine: Engine) -> dict[int, str]:
    """Return ward id → name in official code order."""
    return _part(engine, "ward_names", _read_ward_names)


def street_names(engine: Engine) -> dict[int, str]:
    """Return street id → name, sorted by name."""
    return _part(engine, "street_names", _read_street_names)


def _part(engine: Engine, key: str, build: Callable[[Engine], T]) -> T:
    with _lock:
        parts = _cache.setdefault(engine, {})
        if key not in parts:
            parts[key] = build(engine)
        return cast(T, parts[key])


def load_spatial_index(session: Session) -> SpatialIndex:
    """Build the spatial index from the District, Ward and Street rows (uncached)."""
    district = session.scalar(select(District.geojson).order_by(District.id).limit(1))
    if district is None:
        raise NotFound("the district is not loaded; run init_database first")
    wards = session.execute(select(Ward.id, Ward.geojson).order_by(Ward.id)).all()
    streets = session.execute(select(Street.id, Street.geojson).order_by(Street.id)).all()
    return SpatialIndex.from_records(district, wards, streets)


def _build_index(engine: Engine) -> SpatialIndex:
    with read_session(engine) as s:
        return load_spatial_index(s)


def _build_zone(engine: Engine) -> BaseGeometry:
    zone = to_metric(spatial_index(engine).district).buffer(DISTRICT_TOLERANCE_M)
    shapely.prepare(zone)
    return zone


def _build_layout(engine: Engine) -> StreetLayout:
    with read_session(engine) as s:
        area = to_metric(_district_area(s))
        streets = s.execute(select(Street.id, Street.name, Street.geojson).order_by(Street.id))
        names: dict[int, str] = {}
        measured = []
        for street_id, name, text in streets:
            names[street_id] = name
            # Streets run on beyond the district: only the length inside it is ours.
            measured.append((street_id, to_metric(from_geojson(text)).intersection(area)))
        network = StreetNetwork(measured)
        wards = tuple(
            (w.id, w.code, w.name, *network.ranges_within(to_metric(from_geojson(w.geojson))))
            for w in s.scalars(select(Ward).order_by(Ward.code))
        )
    return StreetLayout(network, names, wards)


def _read_ward_names(engine: Engine) -> dict[int, str]:
    with read_session(engine) as s:
        rows = s.execute(select(Ward.id, Ward.name).order_by(Ward.code))
        return {ward_id: name for ward_id, name in rows}


def _read_street_names(engine: Engine) -> dict[int, str]:
    with read_session(engine) as s:
        rows = s.execute(select(Street.id, Street.name).order_by(Street.name))
        return {street_id: name for street_id, name in rows}


def _district_area(session: Session) -> BaseGeometry:
    district = session.scalars(select(District).order_by(District.id)).first()
    if district is None:
        raise NotFound("the district is not loaded; run init_database first")
    return from_geojson(district.geojson)


@dataclass(frozen=True)
class StreetLocator:
    """What reading position texts needs: the names a text may use and the street shapes."""

    gazetteer: Gazetteer
    geometry: StreetGeometry
    street_ids: dict[str, int]  # street name → id


def locator(engine: Engine) -> StreetLocator:
    """Return the street name index and street geometry for locating position texts."""
    return _part(engine, "locator", _build_locator)


def _build_locator(engine: Engine) -> StreetLocator:
    with read_session(engine) as s:
        streets = s.execute(select(Street.id, Street.name, Street.name_variants, Street.geojson))
        ids: dict[str, int] = {}
        spellings: dict[str, list[str]] = {}
        shapes: dict[str, BaseGeometry] = {}
        for street_id, name, variants, text in streets:
            ids[name] = street_id
            spellings[name] = [name, *(variants or [])]
            shapes[name] = from_geojson(text)
        district = _district_area(s)
    gazetteer = Gazetteer.build(spellings, ward_names(engine).values())
    return StreetLocator(gazetteer, StreetGeometry(shapes, district), ids)
