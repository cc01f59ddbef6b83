"""Project, validate and measure geometries: WGS84 for storage, UTM 48N for metres."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from typing import Any

import shapely
from pyproj import Transformer
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from kehoach.config import METRIC_CRS, STORAGE_CRS
from kehoach.domain.errors import InvalidGeometry, OutsideDistrict, SwappedCoordinates


@lru_cache(maxsize=1)
def _to_metric() -> Transformer:
    return Transformer.from_crs(STORAGE_CRS, METRIC_CRS, always_xy=True)


@lru_cache(maxsize=1)
def _to_wgs84() -> Transformer:
    return Transformer.from_crs(METRIC_CRS, STORAGE_CRS, always_xy=True)


def to_metric(geom: BaseGeometry) -> BaseGeometry:
    """Project a WGS84 (lon, lat) geometry to UTM 48N metres."""
    return shapely.transform(geom, lambda xy: _stack(_to_metric().transform(xy[:, 0], xy[:, 1])))


def metric_xy(lons: Any, lats: Any) -> tuple[Any, Any]:
    """Project WGS84 longitudes and latitudes (scalars or arrays) to UTM 48N x and y."""
    x, y = _to_metric().transform(lons, lats)
    return x, y


def to_wgs84(geom: BaseGeometry) -> BaseGeometry:
    """Project a UTM 48N geometry back to WGS84 (lon, lat)."""
    return shapely.transform(geom, lambda xy: _stack(_to_wgs84().transform(xy[:, 0], xy[:, 1])))


def _stack(xy: tuple[Any, Any]) -> Any:
    import numpy as np

    return np.column_stack(xy)


def from_geojson(text: str | dict[str, Any]) -> BaseGeometry:
    """Parse a GeoJSON geometry (text or mapping) into a Shapely geometry."""
    data = json.loads(text) if isinstance(text, str) else text
    if data.get("type") == "Feature":
        data = data["geometry"]
    return shape(data)


def to_geojson(geom: BaseGeometry, precision: int = 6) -> str:
    """Serialise a geometry as compact GeoJSON with ``precision`` decimals (6 ≈ 0.1 m)."""
    rounded = shapely.set_precision(geom, 10**-precision) if precision else geom
    return json.dumps(shapely.geometry.mapping(rounded), separators=(",", ":"))


def length_m(geom: BaseGeometry) -> float:
    """Return the length of a WGS84 line in metres."""
    return float(to_metric(geom).length)


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Return the distance in metres between two WGS84 points (UTM 48N)."""
    t = _to_metric()
    x1, y1 = t.transform(lon1, lat1)
    x2, y2 = t.transform(lon2, lat2)
    return math.hypot(x2 - x1, y2 - y1)


def validate_lonlat(lon: float, lat: float, district: BaseGeometry) -> None:
    """Refuse coordinates that are not numbers, are swapped, or fall outside the district."""
    for value in (lon, lat):
        if not isinstance(value, (int, float)) or math.isnan(value) or math.isinf(value):
            raise InvalidGeometry("coordinates must be numbers")
    point = shapely.Point(lon, lat)
    if district.covers(point):
        return
    if district.covers(shapely.Point(lat, lon)):
        raise SwappedCoordinates("latitude and longitude are swapped", swapped=True)
    raise OutsideDistrict(f"({lon:.6f}, {lat:.6f}) is outside the district")


def validate_geometry(geom: BaseGeometry, district: BaseGeometry) -> None:
    """Refuse an empty or invalid geometry, or one not inside the district."""
    if geom.is_empty or not geom.is_valid:
        raise InvalidGeometry("empty or invalid geometry")
    if not _margin(district).covers(geom):
        raise OutsideDistrict("geometry leaves the district")


@lru_cache(maxsize=4)
def _margin(district: BaseGeometry) -> BaseGeometry:
    """Return the district grown by about 50 m, prepared (an import checks thousands of lines)."""
    grown = district.buffer(0.0005)
    shapely.prepare(grown)
    return grown
