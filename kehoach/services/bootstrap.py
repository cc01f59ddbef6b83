"""Create or upgrade the database and load the real district, wards, streets, places, plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kehoach.adapters.geodata import GeoData, load_geodata
from kehoach.adapters.geometry import to_geojson
from kehoach.config import DEFAULT_PLAN_FILE
from kehoach.db.engine import write_session
from kehoach.db.migrate import upgrade_database
from kehoach.db.models import District, Place, Street, Ward
from kehoach.domain.text import name_key
from kehoach.services.campaign_start import first_campaign
from kehoach.services.geography import clear_geography
from kehoach.services.plans import store_plan


@dataclass
class InitReport:
    """Say what ``init_database`` created; all zeros on a second run."""

    schema_created: bool = False
    added: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        """Return a one-line Vietnamese summary for the CLI."""
        from kehoach.i18n import t

        parts = [f"{t(f'init.added.{k}')} {v}" for k, v in self.added.items()]
        state = t("init.schema_created" if self.schema_created else "init.schema_current")
        return t("init.summary", state=state, added=", ".join(parts) or t("init.nothing"))


def init_database(engine: Engine, plan_file: Path | None = DEFAULT_PLAN_FILE) -> InitReport:
    """Create or upgrade the schema and load geodata and the plan; idempotent."""
    report = InitReport(schema_created=upgrade_database(engine))
    geo = load_geodata()
    with write_session(engine) as session:
        report.added["district"] = _load_district(session, geo)
        report.added["wards"] = _load_wards(session, geo)
        report.added["streets"] = _load_streets(session, geo)
        session.flush()
        report.added["places"] = _load_places(session, geo)
    if plan_file is not None:
        with write_session(engine) as session:
            plan, added = store_plan(session, plan_file)
            report.added["plans"] = int(added)
            report.added["campaigns"] = int(first_campaign(session, plan) is not None)
    clear_geography()
    return report


def _load_district(session: Session, geo: GeoData) -> int:
    row = geo.district.iloc[0]
    if session.scalar(select(District).where(District.code == row["code"])):
        return 0
    session.add(
        District(
            code=row["code"],
            name=row["name"],
            full_name=row["full_name"],
            area_km2=float(row["area_km2"]),
            geojson=to_geojson(row.geometry),
            source=row["source"],
        )
    )
    return 1


def _load_wards(session: Session, geo: GeoData) -> int:
    known = set(session.scalars(select(Ward.code)))
    added = 0
    for row in geo.wards.itertuples():
        if row.code in known:
            continue
        session.add(
            Ward(
                code=row.code,
                name=row.name,
                full_name=row.full_name,
                name_key=row.name_key,
                area_km2=float(row.area_km2),
                approximate=bool(row.approximate),
                osm_relation_id=int(row.osm_relation_id),
                geojson=to_geojson(row.geometry),
            )
        )
        added += 1
    return added


def _load_streets(session: Session, geo: GeoData) -> int:
    known = set(session.scalars(select(Street.name_key)))
    added = 0
    for row in geo.streets.itertuples():
        key = name_key(row.name)
        if key in known:
            continue
        known.add(key)
        session.add(
            Street(
                name=row.name,
                name_key=key,
                name_variants=row.name_variants if isinstance(row.name_variants, list) else [],
                highway=row.highway or "",
                length_m=float(row.length_m),
                length_inside_m=float(row.length_inside_m),
                geojson=to_geojson(row.geometry),
            )
        )
        added += 1
    return added


def _load_places(session: Session, geo: GeoData) -> int:
    known = {tuple(r) for r in session.execute(select(Place.osm_type, Place.osm_id))}
    wards = {w.code: w.id for w in session.scalars(select(Ward))}
    added = 0
    for row in geo.places.itertuples():
        if (row.osm_type, int(row.osm_id)) in known:
            continue
        parts = (row.addr_housenumber, row.addr_street)
        address = " ".join(p for p in parts if isinstance(p, str) and p)
        session.add(
            Place(
                name=row.name,
                kind=row.kind,
                lon=float(row.geometry.x),
                lat=float(row.geometry.y),
                ward_id=wards.get(row.ward_code),
                address=address or "",
                osm_type=row.osm_type,
                osm_id=int(row.osm_id),
                source="© OpenStreetMap contributors (ODbL)",
            )
        )
        added += 1
    return added
