"""Synthetic sites for measuring: random points and street stretches over the real district.

Synthetic sites are clearly labelled as such (name suffix "dữ liệu tổng hợp", code prefix
``TH-``) so figures measured on them are never mistaken for the campaign's real data.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.ops import substring
from sqlalchemy import Engine, insert, select

from kehoach.adapters.geodata import GeoData, load_geodata
from kehoach.adapters.geometry import from_geojson, length_m, to_geojson, to_metric
from kehoach.adapters.mapview import BaseLayers, base_layers_from_geodata
from kehoach.config import METRIC_CRS, STORAGE_CRS
from kehoach.db.engine import make_engine, read_session, write_session
from kehoach.db.models import Site, SiteEvent, Street, Ward, utcnow
from kehoach.domain.enums import STRETCH_KINDS, ChangeSource, SiteKind, SiteStatus
from kehoach.services.bootstrap import init_database
from kehoach.services.campaigns import campaign_id_in

SYNTHETIC_NAME = "Điểm tổng hợp #{i} (dữ liệu tổng hợp)"
SYNTHETIC_CODE_PREFIX = "TH-"
STRETCH_SHARE = 0.10
STRETCH_METRES = (60.0, 400.0)
STATUS_WEIGHTS = {
    SiteStatus.PLANNED: 0.30,
    SiteStatus.INSTALLING: 0.15,
    SiteStatus.INSTALLED: 0.40,
    SiteStatus.NEEDS_FIX: 0.10,
    SiteStatus.REMOVED: 0.05,
}
POINT_KINDS = tuple(kind for kind in SiteKind if kind != SiteKind.FLAG_LINE)
LINE_KINDS = tuple(sorted(STRETCH_KINDS))
BENCH_MAIN_HIGHWAYS = frozenset({"trunk", "primary"})
NEAREST_STREET_M = 30.0


def synthetic_sites(n: int, seed: int = 7) -> pd.DataFrame:
    """Return ``n`` synthetic sites inside the district, about 10 % of them street stretches."""
    rng = np.random.default_rng(seed)
    geodata = load_geodata()
    n_lines = int(round(n * STRETCH_SHARE))
    n_points = n - n_lines
    lon, lat = _random_points_inside(geodata, n_points, rng)
    lines, mid_lon, mid_lat = _random_stretches(geodata, n_lines, rng)
    statuses = list(STATUS_WEIGHTS)
    weights = np.array(list(STATUS_WEIGHTS.values()))
    status_idx = rng.choice(len(statuses), size=n, p=weights / weights.sum())
    kinds = [POINT_KINDS[i] for i in rng.integers(0, len(POINT_KINDS), n_points)]
    kinds += [LINE_KINDS[i] for i in rng.integers(0, len(LINE_KINDS), n_lines)]
    ids = np.arange(1, n + 1)
    return pd.DataFrame(
        {
            "id": ids,
            "code": [f"{SYNTHETIC_CODE_PREFIX}{i:05d}" for i in ids],
            "name": [SYNTHETIC_NAME.format(i=i) for i in ids],
            "kind": [kind.value for kind in kinds],
            "status": [statuses[i].value for i in status_idx],
            "approval": ["approved"] * n,
            "is_demo": np.zeros(n, dtype=bool),
            "lon": np.concatenate([lon, mid_lon]),
            "lat": np.concatenate([lat, mid_lat]),
            # object dtype keeps None for point sites (a str column would turn it into NaN)
            "geojson": pd.Series([None] * n_points + lines, dtype=object),
        }
    )


def _random_points_inside(
    geodata: GeoData, n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Draw uniform points over the district's bounding box, keeping those inside it."""
    district = shapely.union_all(geodata.district.geometry.to_numpy())
    shapely.prepare(district)
    west, south, east, north = district.bounds
    lon_parts: list[np.ndarray] = []
    lat_parts: list[np.ndarray] = []
    found = 0
    while found < n:
        batch = max(2 * (n - found), 64)
        x = rng.uniform(west, east, batch)
        y = rng.uniform(south, north, batch)
        inside = shapely.contains_xy(district, x, y)
        lon_parts.append(x[inside])
        lat_parts.append(y[inside])
        found += int(inside.sum())
    return np.concatenate(lon_parts)[:n], np.concatenate(lat_parts)[:n]


def _random_stretches(
    geodata: GeoData, n: int, rng: np.random.Generator
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Cut ``n`` random stretches out of real streets (in metres); return GeoJSON and midpoints."""
    if n == 0:
        return [], np.empty(0), np.empty(0)
    streets = shapely.line_merge(geodata.streets.to_crs(METRIC_CRS).geometry.to_numpy())
    parts = [max(shapely.get_parts(street), key=lambda part: part.length) for street in streets]
    picks = rng.integers(0, len(parts), n)
    wanted = rng.uniform(*STRETCH_METRES, n)
    starts = rng.uniform(0.0, 1.0, n)
    stretches = []
    for pick, length, start_share in zip(picks, wanted, starts, strict=True):
        line = parts[pick]
        length = min(length, line.length)
        start = start_share * (line.length - length)
        stretches.append(substring(line, start, start + length))
    metric = gpd.GeoSeries(stretches, crs=METRIC_CRS)
    mids = metric.interpolate(0.5, normalized=True).to_crs(STORAGE_CRS)
    wgs84 = metric.to_crs(STORAGE_CRS).to_numpy()
    return list(shapely.to_geojson(wgs84)), mids.x.to_numpy(), mids.y.to_numpy()


def bench_base_layers() -> BaseLayers:
    """Return the base layers from the shipped geodata, trunk and primary roads as main."""
    geodata = load_geodata()
    main = geodata.streets.loc[geodata.streets["highway"].isin(BENCH_MAIN_HIGHWAYS), "name"]
    return base_layers_from_geodata(geodata, set(main))


def synthetic_site_rows(engine: Engine, sites: pd.DataFrame) -> list[dict[str, Any]]:
    """Turn synthetic sites into ``site`` rows: ward by position, nearest street within 30 m."""
    with read_session(engine) as s:
        wards = s.execute(select(Ward.id, Ward.geojson).order_by(Ward.code)).all()
        streets = s.execute(select(Street.id, Street.geojson).order_by(Street.id)).all()
    lon = sites["lon"].to_numpy(dtype=float)
    lat = sites["lat"].to_numpy(dtype=float)
    ward_ids: list[int | None] = [None] * len(sites)
    for ward_id, text in wards:
        for i in np.flatnonzero(shapely.contains_xy(from_geojson(text), lon, lat)).tolist():
            ward_ids[i] = ward_ids[i] or ward_id
    street_ids: list[int | None] = [None] * len(sites)
    tree = shapely.STRtree(np.array([to_metric(from_geojson(t)) for _, t in streets]))
    points_m = to_metric(shapely.points(lon, lat))
    found, nearest = tree.query_nearest(points_m, max_distance=NEAREST_STREET_M)
    for i, k in zip(found, nearest, strict=True):
        street_ids[i] = street_ids[i] or streets[k][0]
    now = utcnow()
    rows = []
    for i, site in enumerate(sites.itertuples(index=False)):
        line = site.geojson if isinstance(site.geojson, str) else None
        geometry = line or to_geojson(shapely.Point(site.lon, site.lat))
        rows.append(
            {
                "code": site.code,
                "name": site.name,
                "kind": site.kind,
                "status": site.status,
                "approval": "approved",
                "geojson": geometry,
                "lon": round(float(site.lon), 7),
                "lat": round(float(site.lat), 7),
                "length_m": round(length_m(from_geojson(line)), 1) if line else 0.0,
                "ward_id": ward_ids[i],
                "street_id": street_ids[i],
                "address": "",
                "content": "",
                "note": "",
                "quantity": 1,
                "flags_expected": 0,
                "flags_hung": 0,
                "is_new": False,
                "rejection_reason": "",
                "is_demo": False,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows


def insert_synthetic_sites(engine: Engine, n: int, seed: int = 7) -> int:
    """Bulk-insert ``n`` synthetic sites (labelled "dữ liệu tổng hợp") with a 'created' event."""
    rows = synthetic_site_rows(engine, synthetic_sites(n, seed=seed))
    with write_session(engine) as s:
        campaign_id = campaign_id_in(s)
        s.execute(insert(Site), [{**row, "campaign_id": campaign_id} for row in rows])
        ids = s.scalars(select(Site.id).where(Site.code.startswith(SYNTHETIC_CODE_PREFIX))).all()
        s.execute(
            insert(SiteEvent),
            [
                {"site_id": i, "at": utcnow(), "username": "bench", "action": "created",
                 "source": ChangeSource.SYSTEM.value}
                for i in ids
            ],
        )  # fmt: skip
    return len(ids)


def create_bench_database(url: str, n: int) -> Engine:
    """Initialise the database at ``url`` and bulk-insert ``n`` synthetic sites into it."""
    engine = make_engine(url)
    init_database(engine)
    insert_synthetic_sites(engine, n)
    return engine
