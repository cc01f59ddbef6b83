"""The plan, its units and who reports: which unit or ward a report is for."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kehoach.db.engine import read_session
from kehoach.db.models import Plan, Unit, Ward
from kehoach.domain import progress as progress_rules
from kehoach.domain.enums import Role
from kehoach.domain.errors import InvalidInput, NotFound, PermissionDenied
from kehoach.domain.permissions import REPORTERS, Actor, require_role
from kehoach.domain.progress import WARDS_UNIT_KEY
from kehoach.domain.text import name_key
from kehoach.i18n import t
from kehoach.services.campaigns import campaign_id_or_none, plan_id_of

CULTURE_CENTRE_KEY = "trung tam van hoa"
RECEIVER_KEY = "phong van hoa va thong tin"
INVITED_PREFIX = "de nghi"


# --- the plan, its units and who reports ------------------------------------------------------


@dataclass(frozen=True)
class ReportingUnit:
    """One row of the board: a unit, or a ward under the wards' unit."""

    unit_id: int
    ward_id: int | None
    unit: str
    ward: str | None

    @property
    def label(self) -> str:
        """Return the name shown: the ward's for ward rows, else the unit's."""
        return t("report.ward_row", ward=self.ward) if self.ward else self.unit


def _plan(session: Session, campaign_id: int | None = None) -> Plan | None:
    plan_id = plan_id_of(session, campaign_id)
    return session.get(Plan, plan_id) if plan_id is not None else None


def _units(session: Session, campaign_id: int | None = None) -> list[Unit]:
    plan = _plan(session, campaign_id)
    return list(plan.units) if plan else []


def _find_unit(units: list[Unit], key: str) -> Unit | None:
    return next((u for u in units if name_key(u.name).startswith(key)), None)


def _own_unit(units: list[Unit], actor: Actor) -> Unit | None:
    """Return the actor's bound unit among ``units`` (by id, else by the plan's name)."""
    by_id = next((u for u in units if u.id == actor.unit_id), None)
    key = name_key(actor.unit_name or "")
    return by_id or next((u for u in units if key and name_key(u.name) == key), None)


def is_reporting_unit(name: str, invited: bool = False) -> bool:
    """Tell whether a unit of the plan must report monthly (see the module's rules)."""
    key = name_key(name)
    return not (invited or key.startswith(RECEIVER_KEY) or key.startswith(INVITED_PREFIX))


def reporting_units(engine: Engine, campaign_id: int | None = None) -> list[ReportingUnit]:
    """List who must report, in plan order; the wards' unit expands into its 11 wards."""
    with read_session(engine) as s:
        wards = s.execute(select(Ward.id, Ward.name).order_by(Ward.code)).all()
        rows: list[ReportingUnit] = []
        for unit in _units(s, campaign_id):
            if not is_reporting_unit(unit.name, unit.invited):
                continue
            if name_key(unit.name).startswith(WARDS_UNIT_KEY):
                rows += [ReportingUnit(unit.id, wid, unit.name, wname) for wid, wname in wards]
            else:
                rows.append(ReportingUnit(unit.id, None, unit.name, None))
        return rows


def _deadline_day(session: Session, campaign_id: int | None = None) -> int:
    plan = _plan(session, campaign_id)
    return (plan.report_deadline_day if plan else None) or progress_rules.DEFAULT_REPORT_DAY


@dataclass(frozen=True)
class Target:
    """Whose report: a unit, and the ward for the wards' unit."""

    unit_id: int
    ward_id: int | None
    unit: str
    ward: str | None
    is_wards_unit: bool
    is_culture_centre: bool
    campaign_id: int | None = None


def _target(
    session: Session,
    actor: Actor,
    unit_id: int | None,
    ward_id: int | None,
    campaign_id: int | None = None,
) -> Target:
    """Resolve and authorise whose report ``actor`` may draft or submit (in which campaign)."""
    require_role(actor, REPORTERS, "submit monthly reports")
    campaign_id = campaign_id_or_none(session, campaign_id)
    units = _units(session, campaign_id)
    wards_unit = _find_unit(units, WARDS_UNIT_KEY)
    if actor.role == Role.WARD_OFFICER:
        if actor.ward_id is None or wards_unit is None:
            raise PermissionDenied("a ward officer without a ward cannot report")
        if (unit_id not in (None, wards_unit.id)) or (ward_id not in (None, actor.ward_id)):
            raise PermissionDenied("a ward officer reports for their own ward only")
        unit_id, ward_id = wards_unit.id, actor.ward_id
    elif actor.role == Role.UNIT_REPORTER:
        own = _own_unit(units, actor)
        if own is None or unit_id not in (None, own.id) or ward_id is not None:
            raise PermissionDenied("a unit reporter reports for their own unit only")
        unit_id = own.id
    elif unit_id is None:
        default = actor.unit_id or getattr(_find_unit(units, CULTURE_CENTRE_KEY), "id", None)
        unit_id = default
    unit = next((u for u in units if u.id == unit_id), None)
    if unit is None:
        raise NotFound(f"unit {unit_id}")
    if not is_reporting_unit(unit.name, unit.invited):
        raise InvalidInput("this unit does not report monthly", field="unit")
    is_wards = wards_unit is not None and unit.id == wards_unit.id
    ward = session.get(Ward, ward_id) if ward_id is not None else None
    if is_wards and ward is None:
        raise InvalidInput("choose the ward the report is for", field="ward")
    if not is_wards:
        ward = None
    return Target(
        unit_id=unit.id,
        ward_id=ward.id if ward else None,
        unit=unit.name,
        ward=ward.name if ward else None,
        is_wards_unit=is_wards,
        is_culture_centre=name_key(unit.name).startswith(CULTURE_CENTRE_KEY),
        campaign_id=campaign_id,
    )
