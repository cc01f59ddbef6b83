"""Decide who may do what. Services call these; hiding a page is only cosmetic."""

from __future__ import annotations

from dataclasses import dataclass

from kehoach.domain.enums import Role
from kehoach.domain.errors import PermissionDenied


@dataclass(frozen=True)
class Actor:
    """The acting user, read from the database on every request (never from the session)."""

    id: int | None
    username: str
    role: Role
    ward_id: int | None = None
    unit_id: int | None = None  # the bound unit's row in the current campaign's plan
    unit_name: str | None = None  # the bound unit as the plan names it


SITE_EDITORS = frozenset({Role.ADMIN, Role.STAFF, Role.WARD_OFFICER})
APPROVERS = frozenset({Role.LEADER, Role.ADMIN})
INSPECTORS = frozenset({Role.INSPECTOR})
# A unit reporter reports for its own unit only (kehoach.services.reports.units).
REPORTERS = frozenset({Role.ADMIN, Role.STAFF, Role.WARD_OFFICER, Role.UNIT_REPORTER})
# The Culture Office returns unit reports and writes the district's compiled report.
REPORT_REVIEWERS = frozenset({Role.ADMIN, Role.STAFF, Role.CULTURE_OFFICE})
DISTRICT_REPORT_WRITERS = frozenset({Role.ADMIN, Role.STAFF, Role.CULTURE_OFFICE})
# Every signed-in role sees every site on the map, so every role may export the list; a new
# role must be added here on purpose before it can.
EXPORTERS = frozenset(
    {
        Role.ADMIN,
        Role.STAFF,
        Role.WARD_OFFICER,
        Role.INSPECTOR,
        Role.LEADER,
        Role.CULTURE_OFFICE,
        Role.FINANCE,
        Role.UNIT_REPORTER,
    }
)
# Who reads the costs of new sites (estimated, approved, spent) per unit and funding source.
COST_READERS = frozenset({Role.ADMIN, Role.STAFF, Role.LEADER, Role.CULTURE_OFFICE, Role.FINANCE})
# Who comments on costs: Finance-Planning advises, the administrator stands in.
COST_COMMENTERS = frozenset({Role.ADMIN, Role.FINANCE})
# Roles that set the status of their own unit's tasks (bound to the unit by name).
OWN_UNIT_TASK_EDITORS = frozenset({Role.CULTURE_OFFICE, Role.FINANCE, Role.UNIT_REPORTER})


def require_site_edit(actor: Actor, site_ward_id: int | None) -> None:
    """Refuse unless ``actor`` may change a site in ward ``site_ward_id``."""
    if actor.role not in SITE_EDITORS:
        raise PermissionDenied(f"{actor.role} may not edit sites")
    if actor.role == Role.WARD_OFFICER and (actor.ward_id is None or site_ward_id != actor.ward_id):
        raise PermissionDenied("a ward officer edits only the sites of their own ward")


def require_role(actor: Actor, allowed: frozenset[Role], what: str) -> None:
    """Refuse unless ``actor`` has one of the ``allowed`` roles."""
    if actor.role not in allowed:
        raise PermissionDenied(f"{actor.role} may not {what}")


def may_edit_site(actor: Actor, site_ward_id: int | None) -> bool:
    """Tell whether ``actor`` may change a site in ward ``site_ward_id`` (for showing forms)."""
    try:
        require_site_edit(actor, site_ward_id)
    except PermissionDenied:
        return False
    return True
