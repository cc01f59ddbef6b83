"""Read the shipped geodata (data/geo) into GeoDataFrames; validate what it promises."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd

from kehoach.config import GEO_DIR, STORAGE_CRS

FILES = ("district", "wards", "streets", "places")


@dataclass(frozen=True)
class GeoData:
    """The four shipped layers, all in WGS84."""

    district: gpd.GeoDataFrame
    wards: gpd.GeoDataFrame
    streets: gpd.GeoDataFrame
    places: gpd.GeoDataFrame


def read_layer(name: str, geo_dir: Path = GEO_DIR) -> gpd.GeoDataFrame:
    """Read one shipped GeoJSON layer and check it is WGS84 and valid."""
    # Read with the json module: list-valued properties (name_variants) survive intact.
    data = json.loads((geo_dir / f"{name}.geojson").read_text(encoding="utf-8"))
    frame = gpd.GeoDataFrame.from_features(data["features"], crs=STORAGE_CRS)
    invalid = ~frame.geometry.is_valid
    if invalid.any():
        raise ValueError(f"{name}.geojson has {int(invalid.sum())} invalid geometries")
    return frame


@lru_cache(maxsize=2)
def load_geodata(geo_dir: Path = GEO_DIR) -> GeoData:
    """Load the district, wards, streets and places shipped with the app."""
    return GeoData(*(read_layer(name, geo_dir) for name in FILES))
