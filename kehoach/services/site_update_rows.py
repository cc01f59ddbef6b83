"""Turn a row of an edited export (it names a stored site by code) into that site's changes.

The export carries each site's code and version; a re-import compares every column the file
has with the stored site and plans only what differs, so a file nobody edited changes
nothing. The commit writes the changes through ``apply_site_change`` (source import) after
checking the version again, exactly as a form edit does.
"""

from __future__ import annotations

import dataclasses

import shapely
from shapely.geometry.base import BaseGeometry

from kehoach.adapters.spatial import SpatialIndex
from kehoach.adapters.summary_table import (
    ADDRESS,
    CONTENT,
    FLAGS_EXPECTED,
    FLAGS_HUNG,
    INSTALL,
    KIND,
    NOTE,
    QUANTITY,
    REMOVE,
    SIZE,
    STATUS,
    TASK,
    UNIT,
    VERSION,
)
from kehoach.domain.permissions import Actor
from kehoach.i18n import t
from kehoach.services.import_plan import PlannedRow, RowProblem, StoredSite
from kehoach.services.placement import placement_changes

# Site field → the column that carries it (a column the file lacks changes nothing).
FIELD_COLUMNS = {
    "address": ADDRESS, "content": CONTENT, "size": SIZE, "install_on": INSTALL,
    "remove_on": REMOVE, "flags_expected": FLAGS_EXPECTED, "flags_hung": FLAGS_HUNG,
    "task_id": TASK, "quantity": QUANTITY, "note": NOTE, "unit_id": UNIT, "kind": KIND,
    "status": STATUS,
}
# Coordinates agree when they differ by less than the 6 decimals written (about 0.1 m).
_SAME_PLACE = 2e-6


def _new_values(planned: PlannedRow) -> dict[str, object]:
    new = planned.new
    values = {name: getattr(new, name) for name in FIELD_COLUMNS}
    values["kind"], values["status"] = new.kind.value, new.status.value
    return values


def _moved(stored: str | None, geom: BaseGeometry | None) -> bool:
    if geom is None:
        return False
    if stored is None:
        return True
    before = shapely.from_geojson(stored)
    return before.geom_type != geom.geom_type or not before.equals_exact(geom, _SAME_PLACE)


def update_row(planned: PlannedRow, stored: StoredSite, version: str, geom: BaseGeometry | None,
               columns: frozenset[str], index: SpatialIndex,
               actor: Actor) -> tuple[PlannedRow | None, list[RowProblem]]:
    """Return the planned update of a stored site (empty changes: nothing edited)."""
    del actor  # the commit checks the permission with the stored ward, as a form edit does
    if version and version != str(stored.version):
        message = t("table.problem.version_changed", code=planned.code, version=version,
                    now=stored.version)
        return None, [RowProblem(planned.row_number, VERSION, message)]
    new_values = _new_values(planned)
    changes: dict[str, object] = {
        name: new_values[name]
        for name, column in FIELD_COLUMNS.items()
        if column in columns and new_values[name] != stored.values.get(name)
    }
    before = stored.values.get("geojson")
    if geom is not None and _moved(before if isinstance(before, str) else None, geom):
        changes |= placement_changes(index, geom, source="coordinates")
    changes.pop("kind", None)  # a site's kind is fixed once stored: it names its corridor
    return dataclasses.replace(planned, site_id=stored.id, expected_version=stored.version,
                               changes=changes), []
