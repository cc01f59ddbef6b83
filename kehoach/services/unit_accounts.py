"""Bind accounts to units of the plan: by the unit's name, looked up in the current campaign.

Unit rows belong to one plan, and each campaign may bring a new plan with new rows, so an
account keeps the unit's name (as the plan spells it) rather than a row id. At sign-in the
name is matched against the current campaign's plan (tolerant of abbreviations and spelling,
``match_unit``), so the binding survives a new campaign's plan without an edit.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from kehoach.adapters.summary_table import match_unit
from kehoach.db.models import Plan, Unit
from kehoach.domain.enums import Role
from kehoach.domain.errors import InvalidInput
from kehoach.services.campaigns import plan_id_of

# Roles whose work is a unit's: they need a unit to report on.
UNIT_REQUIRED = frozenset({Role.UNIT_REPORTER})


class UnknownUnit(InvalidInput):
    """The text names no unit of the current plan (or several equally well)."""

    code = "error.unit.unknown"


class UnitNeeded(InvalidInput):
    code = "error.unit.needed"


def plan_units(session: Session, campaign_id: int | None = None) -> list[Unit]:
    """Return the units of a campaign's plan (default: the current campaign), in plan order."""
    plan_id = plan_id_of(session, campaign_id)
    plan = session.get(Plan, plan_id) if plan_id is not None else None
    return list(plan.units) if plan else []


def find_plan_unit(session: Session, text: str, campaign_id: int | None = None) -> Unit:
    """Return the unit of the current plan that ``text`` names, or refuse with candidates."""
    units = plan_units(session, campaign_id)
    found = match_unit(text, [u.name for u in units])
    if found.best is None:
        names = "; ".join(found.candidates) or "—"
        raise UnknownUnit(f"unit {text!r}", text=text, candidates=names)
    return next(u for u in units if u.name == found.best)


def bound_unit_id(session: Session, unit_name: str | None) -> int | None:
    """Return the current campaign's row of the unit an account is bound to, None if none."""
    if not unit_name:
        return None
    units = plan_units(session)
    best = match_unit(unit_name, [u.name for u in units]).best
    return next((u.id for u in units if u.name == best), None)


def unit_binding(
    session: Session, role: Role, unit_text: str | None
) -> tuple[int | None, str | None]:
    """Return (unit id, unit name) to store for an account of ``role`` given ``unit_text``."""
    if role == Role.WARD_OFFICER or not (unit_text or "").strip():
        if role in UNIT_REQUIRED:
            raise UnitNeeded("this role needs --unit NAME", field="unit")
        return None, None
    unit = find_plan_unit(session, str(unit_text))
    return unit.id, unit.name
