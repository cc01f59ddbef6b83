"""Small read models shaped for the pages: defaults, totals and orderings the UI shows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from shapely.geometry import LineString
from sqlalchemy import Engine

from kehoach.domain.progress import TaskStatus
from kehoach.services.coverage import StreetCoverage, ward_street_ids
from kehoach.services.geography import spatial_index
from kehoach.services.progress import UnitBoard
from kehoach.services.routes import RouteView

NEAR_STREET_M = 30.0  # a new site this close to a street is said to stand on it


@dataclass(frozen=True)
class TaskSummary:
    """How many units and tasks the plan has, how many tasks are done and overdue."""

    units: int
    tasks: int
    done: int
    overdue: int


def task_summary(boards: list[UnitBoard]) -> TaskSummary:
    """Count the units, their tasks, and the tasks done and overdue."""
    tasks = [task for board in boards for task in board.tasks]
    return TaskSummary(
        units=len(boards),
        tasks=len(tasks),
        done=sum(task.status == TaskStatus.DONE for task in tasks),
        overdue=sum(task.overdue for task in tasks),
    )


def gap_totals(streets: list[StreetCoverage]) -> tuple[int, float]:
    """Return how many undecorated gaps the streets have and their length in metres."""
    gaps = [gap for street in streets for gap in street.gaps]
    return len(gaps), sum(end - start for start, end in gaps)


def board_window(months: list[str], anniversary: date | None, span: int) -> tuple[str, str]:
    """Return the report board's default first and last month (oldest first in ``months``).

    The last is this month, or the month after the anniversary once the campaign is over.
    """
    last = months[-1]
    if anniversary is not None:
        after = anniversary.replace(day=1) + timedelta(days=32)
        end = f"{after.year:04d}-{after.month:02d}"
        last = min(months[-1], end) if end in months else months[-1]
    return months[max(0, months.index(last) - span + 1)], last


def as_of_default_day(first: date, today: date, anniversary: date | None) -> date:
    """Return the day the past map opens on: the anniversary if past, else today."""
    default = min(anniversary, today) if anniversary else today
    return max(default, first)


def streets_own_first(engine: Engine, ward_id: int, names: dict[int, str]) -> dict[int, str]:
    """Return the street names with the ward's own streets first, each in the given order."""
    own = [sid for sid in ward_street_ids(engine, ward_id) if sid in names]
    return {sid: names[sid] for sid in own} | {
        sid: name for sid, name in names.items() if sid not in own
    }


def route_geometries(
    routes: list[RouteView], streets: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Return each route's GeoJSON geometry (its stretch, else its whole street) and name."""
    by_id = {street["id"]: street["geometry"] for street in streets}
    shown = []
    for route in routes:
        geometry = json.loads(route.geojson) if route.geojson else by_id.get(route.street_id)
        if geometry:
            shown.append({"geometry": geometry, "name": route.name})
    return shown


def detect_ward_and_street(
    engine: Engine, points: list[tuple[float, float]], line: LineString | None
) -> tuple[int | None, int | None]:
    """Return the ward and street ids found at a picked point (or a stretch's middle)."""
    index = spatial_index(engine)
    anchor = line.interpolate(0.5, normalized=True) if line is not None else None
    lon, lat = (anchor.x, anchor.y) if anchor is not None else points[0]
    if not index.contains(lon, lat):
        return None, None
    nearest = index.nearest_street(lon, lat, max_m=NEAR_STREET_M)
    return index.ward_at(lon, lat), nearest[0] if nearest else None
