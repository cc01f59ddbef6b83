"""Import the summary table: read the file, check every row, then store all rows or none.

The use case has two steps that a person sees: a dry run (``import_file(dry_run=True)``)
that shows what would be added and what is wrong, and the commit. The plan checked by the dry
run is kept, keyed by the file's SHA-256, its name, the acting user, the database and a
fingerprint of the data the check read, so confirming an import checks the file once: the
commit reuses the plan and re-checks only, inside its transaction, that nobody stored the same
rows in between. Any change to sites, units, wards or streets changes the fingerprint, and
the next call checks the file again.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from kehoach.adapters.summary_table import Cell, TableError, read_table
from kehoach.adapters.summary_table.columns import refuse
from kehoach.db.engine import read_session
from kehoach.db.models import Plan, Site, Street, Unit, Ward
from kehoach.domain.enums import ChangeSource
from kehoach.domain.errors import InvalidGeometry, InvalidInput, OutsideDistrict
from kehoach.domain.permissions import SITE_EDITORS, Actor, require_role
from kehoach.i18n import t
from kehoach.services.campaigns import campaign_id_or_none
from kehoach.services.geography import spatial_index
from kehoach.services.import_commit import RowFailed, prepare_rows, publish_rows
from kehoach.services.site_validation import (
    ImportPlan,
    PlannedRow,
    ProgressCallback,
    RowProblem,
    validate_rows,
)

__all__ = [
    "ImportPlan", "ImportReport", "ImportResult", "PlannedRow", "RowProblem", "TableError",
    "check_file", "commit_import", "import_file",
]

# Plans of up to 20,000 rows: keep a few (the files being confirmed right now), not a history.
MAX_KEPT_PLANS = 4


@dataclass(frozen=True)
class ImportResult:
    """What a commit stored: sites added, rows skipped because they were already there."""

    added: int
    skipped_existing: int


@dataclass(frozen=True)
class ImportReport:
    """What an import did or (dry run, problems) would do, for the UI and the CLI."""

    filename: str
    total_rows: int
    added: int
    to_add: int
    skipped_existing: int
    problems: tuple[RowProblem, ...]
    preview: tuple[Mapping[str, Cell], ...]
    dry_run: bool
    committed: bool

    @property
    def ok(self) -> bool:
        """Tell whether the file had no rejected row."""
        return not self.problems


@dataclass(frozen=True)
class CheckedFile:
    """A file read and checked: its name as shown and the plan the check produced."""

    filename: str
    plan: ImportPlan
    key: tuple[object, ...] = field(default=(), repr=False, compare=False)


class _Kept:
    """A small thread-safe LRU of checked files and of files refused as a whole."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[tuple[object, ...], CheckedFile | TableError] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[object, ...]) -> CheckedFile | TableError | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key: tuple[object, ...], item: CheckedFile | TableError) -> None:
        with self._lock:
            self._items[key] = item
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def forget(self, key: tuple[object, ...]) -> None:
        with self._lock:
            self._items.pop(key, None)


_checked = _Kept(MAX_KEPT_PLANS)
_refused = _Kept(MAX_KEPT_PLANS * 4)


def _data_version(session: Session) -> tuple[object, ...]:
    """Fingerprint what a check reads: every edit bumps a site's version, deletes the count."""
    sites = select(func.count(Site.id), func.max(Site.id), func.sum(Site.version))
    others = select(
        select(func.max(Plan.id)).scalar_subquery(),
        select(func.count(Unit.id)).scalar_subquery(),
        select(func.count(Ward.id)).scalar_subquery(),
        select(func.count(Street.id)).scalar_subquery(),
    )
    return (*session.execute(sites).one(), *session.execute(others).one())


def check_file(engine: Engine, actor: Actor, data: bytes, filename: str,
               on_progress: ProgressCallback | None = None,
               campaign_id: int | None = None) -> CheckedFile:
    """Read and check a summary table once per file, user and data; raise ``TableError``."""
    require_role(actor, SITE_EDITORS, "import sites")
    digest = hashlib.sha256(data).hexdigest()
    refused = _refused.get((digest, filename))
    if isinstance(refused, TableError):
        raise refused.with_traceback(None)
    with read_session(engine) as session:
        campaign_id = campaign_id_or_none(session, campaign_id)
        key = (digest, filename, actor, str(engine.url), id(engine), campaign_id,
               _data_version(session))
        kept = _checked.get(key)
        if isinstance(kept, CheckedFile):
            return kept
        try:
            raw = read_table(data, filename)
        except TableError as exc:
            _refused.put((digest, filename), exc)
            raise
        plan = validate_rows(session, raw, spatial_index(engine), actor, on_progress,
                             campaign_id)
        checked = CheckedFile(raw.filename, plan, key)
    _checked.put(key, checked)
    return checked


def commit_import(engine: Engine, actor: Actor, plan: ImportPlan,
                  source: ChangeSource = ChangeSource.IMPORT) -> ImportResult:
    """Store every planned row, all or nothing, holding the write lock only briefly."""
    if plan.problems:
        raise refuse("table.error.has_problems", n=len(plan.problems))
    try:
        prepared = prepare_rows(engine, actor, plan.rows)
    except RowFailed as failed:
        exc = failed.error
        if not isinstance(exc, (InvalidInput, InvalidGeometry, OutsideDistrict)):
            raise exc from failed
        reason = t("table.error.row_failed", row=failed.row, message=t(exc.code, **exc.params))
        raise TableError(exc.detail, reason=reason) from exc
    added, skipped = publish_rows(engine, actor, prepared, source)
    return ImportResult(added=added, skipped_existing=len(plan.skipped_existing) + skipped)


def import_file(engine: Engine, actor: Actor, data: bytes, filename: str,
                dry_run: bool = False, on_progress: ProgressCallback | None = None,
                source: ChangeSource = ChangeSource.IMPORT,
                campaign_id: int | None = None) -> ImportReport:
    """Check (once per file) and, unless a dry run or a row is rejected, store a table."""
    checked = check_file(engine, actor, data, filename, on_progress, campaign_id)
    plan = checked.plan
    result = ImportResult(0, len(plan.skipped_existing))
    committed = False
    if plan.ok and not dry_run:
        result = commit_import(engine, actor, plan, source)
        committed = True
        _checked.forget(checked.key)  # the data changed: this plan will not be asked again
    return ImportReport(
        filename=checked.filename,
        total_rows=plan.total_rows,
        added=result.added,
        to_add=len(plan.rows),
        skipped_existing=result.skipped_existing,
        problems=plan.problems,
        preview=tuple(r.preview for r in plan.rows),
        dry_run=dry_run,
        committed=committed,
    )
