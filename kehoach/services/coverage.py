"""Coverage along streets: how much of each street, ward, route and main street is decorated.

Reads streets (clipped to the district), installed sites and registered routes, projects them
to UTM 48N and lets ``kehoach.domain.coverage`` do the measuring. The measured street network
comes from the one geography cache (``kehoach.services.geography``); sites and routes are
read on every call, or taken from ``as_of_sites`` (a replayed site table for "the map as of a
past date": columns id, kind, status, lon, lat, geojson).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, mapping
from sqlalchemy import Engine, select

from kehoach.adapters.geometry import from_geojson, metric_xy, to_metric, to_wgs84
from kehoach.adapters.mapview import BaseLayers
from kehoach.db.engine import read_session
from kehoach.db.models import PlanStreet, Site, WardRoute
from kehoach.domain.coverage import (
    DEFAULT_GAP_MIN_M,
    DEFAULT_REACH_M,
    CoveredRuns,
    StreetNetwork,
    measure_coverage,
    union_arrays,
)
from kehoach.domain.enums import STRETCH_KINDS, Approval, SiteStatus
from kehoach.services.campaigns import campaign_id_for, plan_id_of
from kehoach.services.geography import StreetLayout, street_layout
from kehoach.services.queries import load_base_layers

SITE_FRAME_COLUMNS = ("id", "kind", "status", "lon", "lat", "geojson")
_STRETCH_KIND_VALUES = [kind.value for kind in STRETCH_KINDS]


@dataclass(frozen=True)
class StreetCoverage:
    """One street: its length inside the district, how much is decorated and where not."""

    street_id: int
    name: str
    length_m: float
    covered_m: float
    share: float | None  # None for a street with no length inside the district
    gaps: tuple[tuple[float, float], ...]  # metres along the street (its parts end to end)
    gap_lines: tuple[LineString, ...]  # the same gaps as WGS84 lines
    is_main: bool = False

    @property
    def gaps_m(self) -> float:
        """Return the total length of the reported gaps."""
        return float(sum(b - a for a, b in self.gaps))


@dataclass(frozen=True)
class RouteCoverage:
    """A route a ward registered (whole street or stretch) and how much of it is decorated."""

    route_id: int
    ward_id: int
    street_id: int
    name: str
    whole_street: bool
    length_m: float
    covered_m: float
    share: float | None


@dataclass(frozen=True)
class WardCoverage:
    """A ward: street length inside it and covered, and its registered routes' coverage."""

    ward_id: int
    code: str
    name: str
    length_m: float
    covered_m: float
    share: float | None
    routes: int
    routes_length_m: float
    routes_covered_m: float
    routes_share: float | None


@dataclass(frozen=True)
class DistrictCoverage:
    """District totals: all streets, the plan's main streets, the wards' registered routes."""

    length_m: float
    covered_m: float
    share: float | None
    main_length_m: float
    main_covered_m: float
    main_share: float | None
    routes_length_m: float
    routes_covered_m: float
    routes_share: float | None
    gaps: int
    gaps_m: float


@dataclass(frozen=True)
class CoverageReport:
    """Everything measured in one pass over the sites."""

    streets: list[StreetCoverage]
    routes: list[RouteCoverage]
    wards: list[WardCoverage]
    district: DistrictCoverage

    @property
    def main_streets(self) -> list[StreetCoverage]:
        """Return the coverage of the plan's main streets only."""
        return [street for street in self.streets if street.is_main]

    @property
    def in_scope(self) -> list[StreetCoverage]:
        """Return the streets that should be decorated or already are: main, registered, begun.

        The map colours these by coverage and draws their gaps; a lane nobody registered and
        nobody decorated stays neutral instead of painting the map red.
        """
        registered = {route.street_id for route in self.routes}
        return [
            s for s in self.streets if s.is_main or s.street_id in registered or s.covered_m > 0
        ]


def _share(covered: float, length: float) -> float | None:
    return covered / length if length > 0 else None


# --- sites and routes -------------------------------------------------------------------------


def _installed_sites(engine: Engine, campaign_id: int | None) -> pd.DataFrame:
    query = select(*(getattr(Site, c) for c in SITE_FRAME_COLUMNS)).where(
        Site.status == SiteStatus.INSTALLED.value,
        Site.approval != Approval.REJECTED.value,
        Site.campaign_id == campaign_id,
        Site.geojson.is_not(None),  # unplaced sites cover nothing until placed
    )
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


def site_geometries(sites: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return installed point sites and installed stretches of a site table, in metres."""
    frame = sites[sites["status"] == SiteStatus.INSTALLED.value]
    if "approval" in frame.columns:
        frame = frame[frame["approval"] != Approval.REJECTED.value]
    text = frame["geojson"].astype(object)
    has_line = text.notna() & text.astype(str).str.contains("LineString", regex=False)
    stretch = frame["kind"].isin(_STRETCH_KIND_VALUES) & has_line
    points = frame[~stretch]
    x, y = metric_xy(points["lon"].to_numpy(dtype=float), points["lat"].to_numpy(dtype=float))
    point_geoms = shapely.points(np.column_stack([x, y])) if len(points) else np.empty(0, object)
    # A replayed table may hold a broken geometry: it decorates nothing rather than fail.
    lines = shapely.from_geojson(text[stretch].to_numpy(dtype=object), on_invalid="ignore")
    lines = lines[~shapely.is_missing(lines)]
    lines = shapely.get_parts(lines) if len(lines) else lines
    lines = lines[(shapely.get_type_id(lines) == 1) & ~shapely.is_empty(lines)]
    return np.asarray(point_geoms, dtype=object), np.asarray(to_metric(lines), dtype=object)


@dataclass(frozen=True)
class _Route:
    id: int
    ward_id: int
    street_id: int
    name: str
    geojson: str | None


def _routes(engine: Engine) -> list[_Route]:
    with read_session(engine) as s:
        rows = s.execute(
            select(WardRoute.id, WardRoute.ward_id, WardRoute.street_id, WardRoute.name)
            .add_columns(WardRoute.geojson)
            .order_by(WardRoute.ward_id, WardRoute.id)
        ).all()
    return [_Route(*row) for row in rows]


def _main_street_ids(engine: Engine, campaign_id: int | None) -> set[int]:
    with read_session(engine) as s:
        plan_id = plan_id_of(s, campaign_id)
        return set(
            s.scalars(
                select(PlanStreet.street_id).where(
                    PlanStreet.plan_id == plan_id, PlanStreet.street_id.isnot(None)
                )
            )
        )


def _route_ranges(network: StreetNetwork, routes: list[_Route]) -> list[tuple[np.ndarray, ...]]:
    """Return each route's disjoint global ranges along its own street."""
    ranges: list[tuple[np.ndarray, ...]] = [network.street_ranges(r.street_id) for r in routes]
    drawn = [i for i, r in enumerate(routes) if r.geojson]
    if drawn:
        lines = np.array(
            [to_metric(from_geojson(routes[i].geojson)) for i in drawn],  # type: ignore[arg-type]  # drawn: geojson set
            dtype=np.object_,
        )
        streets = np.array([routes[i].street_id for i in drawn])
        lo, hi, owner = network.locate_lines(lines, only_street=streets)
        for k, i in enumerate(drawn):
            mine = owner == k
            ranges[i] = union_arrays(lo[mine], hi[mine])
    return ranges


# --- measuring --------------------------------------------------------------------------------


def coverage_report(
    engine: Engine,
    reach_m: float = DEFAULT_REACH_M,
    gap_min_m: float = DEFAULT_GAP_MIN_M,
    as_of_sites: pd.DataFrame | None = None,
    *,
    campaign_id: int | None = None,
) -> CoverageReport:
    """Measure coverage of a campaign's sites (default: the current campaign) in one pass."""
    layout = street_layout(engine)
    network = layout.network
    campaign_id = campaign_id_for(engine, campaign_id)
    sites = _installed_sites(engine, campaign_id) if as_of_sites is None else as_of_sites
    points, stretches = site_geometries(sites)
    runs = measure_coverage(network, points, stretches, reach_m)
    streets = _streets(layout, runs, gap_min_m, _main_street_ids(engine, campaign_id))
    routes = _route_coverage(network, runs, _routes(engine))
    wards = _ward_coverage(layout, runs, routes)
    return CoverageReport(streets, routes, wards, _district(streets, routes))


def _streets(
    layout: StreetLayout, runs: CoveredRuns, gap_min_m: float, main_ids: set[int]
) -> list[StreetCoverage]:
    network = layout.network
    found: list[tuple[int, list[tuple[float, float]]]] = []
    pieces: list[LineString] = []
    for street_id in network.street_ids:
        gaps = network.street_gaps(street_id, runs, gap_min_m)
        found.append((street_id, gaps))
        pieces += [network.piece(lo, hi) for lo, hi in gaps]
    lines = iter(to_wgs84(np.array(pieces, dtype=object)) if pieces else [])
    result = []
    for street_id, gaps in found:
        lo, hi = network.street_ranges(street_id)
        length = float((hi - lo).sum())
        covered = float(runs.covered_between(lo, hi).sum()) if len(lo) else 0.0
        result.append(
            StreetCoverage(
                street_id=street_id,
                name=layout.names[street_id],
                length_m=length,
                covered_m=covered,
                share=_share(covered, length),
                gaps=tuple(network.to_local(a, b) for a, b in gaps),
                gap_lines=tuple(next(lines) for _ in gaps),
                is_main=street_id in main_ids,
            )
        )
    return result


def _route_coverage(
    network: StreetNetwork, runs: CoveredRuns, routes: list[_Route]
) -> list[RouteCoverage]:
    result = []
    for route, (lo, hi) in zip(routes, _route_ranges(network, routes), strict=True):
        length = float((hi - lo).sum())
        covered = float(runs.covered_between(lo, hi).sum()) if len(lo) else 0.0
        result.append(
            RouteCoverage(
                route_id=route.id,
                ward_id=route.ward_id,
                street_id=route.street_id,
                name=route.name,
                whole_street=route.geojson is None,
                length_m=length,
                covered_m=covered,
                share=_share(covered, length),
            )
        )
    return result


def _ward_coverage(
    layout: StreetLayout, runs: CoveredRuns, routes: list[RouteCoverage]
) -> list[WardCoverage]:
    result = []
    for ward_id, code, name, lo, hi in layout.wards:
        length = float((hi - lo).sum())
        covered = float(runs.covered_between(lo, hi).sum()) if len(lo) else 0.0
        own = [r for r in routes if r.ward_id == ward_id]
        r_length = sum(r.length_m for r in own)
        r_covered = sum(r.covered_m for r in own)
        result.append(
            WardCoverage(
                ward_id=ward_id,
                code=code,
                name=name,
                length_m=length,
                covered_m=covered,
                share=_share(covered, length),
                routes=len(own),
                routes_length_m=r_length,
                routes_covered_m=r_covered,
                routes_share=_share(r_covered, r_length),
            )
        )
    return result


def _district(streets: list[StreetCoverage], routes: list[RouteCoverage]) -> DistrictCoverage:
    length = sum(s.length_m for s in streets)
    covered = sum(s.covered_m for s in streets)
    main = [s for s in streets if s.is_main]
    main_length = sum(s.length_m for s in main)
    main_covered = sum(s.covered_m for s in main)
    r_length = sum(r.length_m for r in routes)
    r_covered = sum(r.covered_m for r in routes)
    return DistrictCoverage(
        length_m=length,
        covered_m=covered,
        share=_share(covered, length),
        main_length_m=main_length,
        main_covered_m=main_covered,
        main_share=_share(main_covered, main_length),
        routes_length_m=r_length,
        routes_covered_m=r_covered,
        routes_share=_share(r_covered, r_length),
        gaps=sum(len(s.gaps) for s in streets),
        gaps_m=sum(s.gaps_m for s in streets),
    )


# --- the named read models --------------------------------------------------------------------


def street_coverage(
    engine: Engine,
    reach_m: float = DEFAULT_REACH_M,
    gap_min_m: float = DEFAULT_GAP_MIN_M,
    as_of_sites: pd.DataFrame | None = None,
    *,
    campaign_id: int | None = None,
) -> list[StreetCoverage]:
    """Return the coverage of every street (inside the district), in street id order."""
    report = coverage_report(engine, reach_m, gap_min_m, as_of_sites, campaign_id=campaign_id)
    return report.streets


def main_street_coverage(
    engine: Engine,
    reach_m: float = DEFAULT_REACH_M,
    gap_min_m: float = DEFAULT_GAP_MIN_M,
    as_of_sites: pd.DataFrame | None = None,
    *,
    campaign_id: int | None = None,
) -> list[StreetCoverage]:
    """Return the coverage of the main streets the plan names (PlanStreet rows)."""
    report = coverage_report(engine, reach_m, gap_min_m, as_of_sites, campaign_id=campaign_id)
    return report.main_streets


def route_coverage(
    engine: Engine,
    reach_m: float = DEFAULT_REACH_M,
    gap_min_m: float = DEFAULT_GAP_MIN_M,
    as_of_sites: pd.DataFrame | None = None,
    *,
    campaign_id: int | None = None,
) -> list[RouteCoverage]:
    """Return the coverage of every route the wards registered."""
    report = coverage_report(engine, reach_m, gap_min_m, as_of_sites, campaign_id=campaign_id)
    return report.routes


def ward_coverage(
    engine: Engine,
    reach_m: float = DEFAULT_REACH_M,
    gap_min_m: float = DEFAULT_GAP_MIN_M,
    as_of_sites: pd.DataFrame | None = None,
    *,
    campaign_id: int | None = None,
) -> list[WardCoverage]:
    """Return per-ward totals: street length inside the ward covered, and registered routes."""
    report = coverage_report(engine, reach_m, gap_min_m, as_of_sites, campaign_id=campaign_id)
    return report.wards


def district_coverage(
    engine: Engine,
    reach_m: float = DEFAULT_REACH_M,
    gap_min_m: float = DEFAULT_GAP_MIN_M,
    as_of_sites: pd.DataFrame | None = None,
    *,
    campaign_id: int | None = None,
) -> DistrictCoverage:
    """Return the district totals, with main streets and registered routes separately."""
    report = coverage_report(engine, reach_m, gap_min_m, as_of_sites, campaign_id=campaign_id)
    return report.district


def ward_street_ids(engine: Engine, ward_id: int) -> list[int]:
    """Return the streets running through a ward, longest stretch inside it first."""
    layout = street_layout(engine)
    inside: dict[int, float] = {}
    for ward, _code, _name, lo, hi in layout.wards:
        if ward != ward_id:
            continue
        for a, b in zip(lo, hi, strict=True):
            street = layout.network.part_at(float(a)).street_id
            inside[street] = inside.get(street, 0.0) + float(b - a)
    return sorted(inside, key=lambda street: (-inside[street], street))


# --- for the map ------------------------------------------------------------------------------


def base_layers_with_coverage(
    engine: Engine, coverages: list[StreetCoverage], base: BaseLayers | None = None
) -> BaseLayers:
    """Return the map's base layers (read, or the cached ``base``) with coverage shares set."""
    base = base or load_base_layers(engine)
    shares = {c.street_id: c.share for c in coverages}
    streets = [{**street, "coverage": shares.get(street["id"])} for street in base.streets]
    return replace(base, streets=streets)


def gaps_geojson(coverages: list[StreetCoverage]) -> dict[str, Any]:
    """Return the gaps as a GeoJSON FeatureCollection (WGS84) with street name and metres."""
    features = [
        {
            "type": "Feature",
            "geometry": mapping(line),
            "properties": {
                "street_id": c.street_id,
                "name": c.name,
                "from_m": round(lo),
                "to_m": round(hi),
                "length_m": round(hi - lo),
            },
        }
        for c in coverages
        for (lo, hi), line in zip(c.gaps, c.gap_lines, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def bench_coverage(engine: Engine, sites: pd.DataFrame | None = None, repeats: int = 3) -> float:
    """Return the median seconds to recompute the coverage of all streets (network cached)."""
    street_layout(engine)  # the street network is built once per database, not per request
    timings = []
    for _ in range(max(1, repeats)):
        started = time.perf_counter()
        street_coverage(engine, as_of_sites=sites)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)
