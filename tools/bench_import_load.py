"""Bench: how long another user's save waits while a 20,000-row import is stored.

One thread saves an existing site every 50 ms (``update_site``, the form's path) while the
main thread stores an import of synthetic rows through ``site_import.commit_import``. The
figure is the longest single save, on SQLite and, when asked, on a throwaway PostgreSQL
cluster (``tools/pg_cluster.py``). tests/test_import_under_load.py runs the same scenario and
checks that no save is lost; the goal (under a second) is checked here, not there.
"""

from __future__ import annotations

import json
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shapely.geometry import shape
from sqlalchemy import Engine, select

from kehoach.db.engine import make_engine, read_session
from kehoach.db.models import Ward
from kehoach.domain.enums import ChangeSource, Role, SiteKind
from kehoach.domain.errors import DatabaseBusy
from kehoach.domain.permissions import Actor
from kehoach.services import site_import
from kehoach.services.bootstrap import init_database
from kehoach.services.site_validation import ImportPlan, PlannedRow
from kehoach.services.sites import NewSite, SiteChanges, create_site, update_site

ADMIN = Actor(None, "bench", Role.ADMIN)
IMPORT_ROWS = 20_000
SAVE_EVERY_S = 0.05


@dataclass
class LoadRun:
    """What one import under saves did: its size and time, and every save's wait."""

    rows: int
    import_seconds: float = 0.0
    added: int = 0
    saved: int = 0
    busy: int = 0
    waits: list[float] = field(default_factory=list)

    @property
    def max_wait(self) -> float:
        return max(self.waits, default=0.0)


def anchor_point(engine: Engine) -> tuple[float, float]:
    """Return a point well inside the first ward, where synthetic rows can stand."""
    with read_session(engine) as s:
        ward = s.scalars(select(Ward).order_by(Ward.code)).first()
        if ward is None:
            raise RuntimeError("no wards: the database is not initialised")
        point = shape(json.loads(ward.geojson)).representative_point()
    return point.x, point.y


def synthetic_plan(n: int, lon: float, lat: float, prefix: str = "load") -> ImportPlan:
    """Return a checked import plan of ``n`` new panels in a small grid around (lon, lat)."""
    rows = tuple(
        PlannedRow(i + 2, NewSite(kind=SiteKind.PANEL, lon=lon + (i % 100) * 1e-5,
                                  lat=lat + (i // 100) * 1e-6, name=f"Pa-nô {i}",
                                  import_key=f"{prefix}-{i}"), {})
        for i in range(n)
    )  # fmt: skip
    return ImportPlan(total_rows=n, rows=rows)


def import_under_saves(engine: Engine, site_id: int, plan: ImportPlan) -> LoadRun:
    """Store ``plan`` while another thread keeps saving site ``site_id``; return what happened."""
    run = LoadRun(rows=plan.total_rows)
    done = threading.Event()

    def saver() -> None:
        version = 1
        while not done.is_set():
            started = time.perf_counter()
            try:
                version = update_site(engine, ADMIN, site_id, version,
                                      SiteChanges({"note": f"lần {run.saved + 1}"}))
                run.saved += 1
            except DatabaseBusy:
                run.busy += 1  # asked to retry: the form keeps the input
            run.waits.append(time.perf_counter() - started)
            time.sleep(SAVE_EVERY_S)

    thread = threading.Thread(target=saver, name="bench-saver")
    thread.start()
    started = time.perf_counter()
    try:
        result = site_import.commit_import(engine, ADMIN, plan, ChangeSource.IMPORT)
        run.added = result.added
    finally:
        run.import_seconds = time.perf_counter() - started
        done.set()
        thread.join()
    return run


def measure(url: str, rows: int = IMPORT_ROWS) -> LoadRun:
    """Initialise the database at ``url``, add one site, and import ``rows`` under saves."""
    engine = make_engine(url)
    try:
        init_database(engine)
        lon, lat = anchor_point(engine)
        site_id = create_site(engine, ADMIN, NewSite(kind=SiteKind.PANEL, lon=lon, lat=lat,
                                                     name="Pa-nô được sửa"))  # fmt: skip
        return import_under_saves(engine, site_id, synthetic_plan(rows, lon, lat))
    finally:
        engine.dispose()


def _figures(run: LoadRun, dialect: str) -> dict[str, Any]:
    return {
        f"import_{dialect}_seconds": round(run.import_seconds, 2),
        f"import_save_wait_{dialect}_seconds": round(run.max_wait, 3),
        f"import_saves_{dialect}": run.saved,
        f"import_saves_busy_{dialect}": run.busy,
    }


def run_import_load_bench(rows: int = IMPORT_ROWS, postgres: bool = False) -> dict[str, Any]:
    """Measure saves during an import of ``rows`` rows on SQLite (and PostgreSQL if asked)."""
    with tempfile.TemporaryDirectory(prefix="kehoach-bench-import-") as folder:
        result = _figures(measure(f"sqlite:///{Path(folder) / 'load.db'}", rows), "sqlite")
    if postgres:
        from tools.pg_cluster import start_pg_server

        server = start_pg_server()
        try:
            result.update(_figures(measure(server.create_database("bench_import"), rows),
                                   "postgresql"))  # fmt: skip
        finally:
            server.stop()
    return result
