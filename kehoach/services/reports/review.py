"""The Culture Office's side of unit reports: send one back with a comment; attached files.

A returned report stays on record (its first submission time too); the unit amends it and
submits again, which clears the return. Every submit and return is kept in the report's
history. Attachments are small files (see ``kehoach.adapters.report_files``) stored under
the media folder; the report keeps their names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from kehoach.adapters import report_files
from kehoach.config import get_settings
from kehoach.db.engine import read_session, write_session
from kehoach.db.models import MonthlyReport, utcnow
from kehoach.domain.errors import InvalidInput, NotFound, PermissionDenied
from kehoach.domain.permissions import REPORT_REVIEWERS, Actor, require_role
from kehoach.services.reports.units import _target

MAX_COMMENT_CHARS = 2_000


@dataclass(frozen=True)
class Attachment:
    """A file attached to a report, as the page lists it."""

    name: str
    stored: str
    size: int
    kind: str


def return_report(
    engine: Engine, actor: Actor, report_id: int, comment: str, now: datetime | None = None
) -> None:
    """Send a unit's report back with a comment; the unit amends and submits it again."""
    require_role(actor, REPORT_REVIEWERS, "return unit reports")
    text = (comment or "").strip()
    if not text:
        raise InvalidInput("say what the unit should change", field="comment")
    if len(text) > MAX_COMMENT_CHARS:
        raise InvalidInput(f"comment longer than {MAX_COMMENT_CHARS} characters", field="comment")
    now = now or utcnow()
    with write_session(engine) as s:
        report = s.get(MonthlyReport, report_id)
        if report is None:
            raise NotFound(f"report {report_id}")
        report.review_status = "returned"
        report.review_comment = text
        event = {"at": now.isoformat(), "by": actor.username, "action": "returned", "comment": text}
        report.history = [*(report.history or []), event]


def _require_owner(engine: Engine, actor: Actor, report: MonthlyReport) -> None:
    """Refuse unless ``actor`` may submit this report (its ward's officer, or staff/admin)."""
    with read_session(engine) as s:
        target = _target(s, actor, report.unit_id, report.ward_id, report.campaign_id)
    if (target.unit_id, target.ward_id) != (report.unit_id, report.ward_id):
        raise PermissionDenied("not this unit's report")


def attach_file(
    engine: Engine, actor: Actor, report_id: int, filename: str, data: bytes
) -> Attachment:
    """Attach a small file (pdf, docx, xlsx, jpg, png; at most 10 MB) to a submitted report."""
    with read_session(engine) as s:
        report = s.get(MonthlyReport, report_id)
        if report is None:
            raise NotFound(f"report {report_id}")
        s.expunge(report)
    _require_owner(engine, actor, report)
    if len(report.attachments or []) >= report_files.MAX_ATTACHMENTS:
        raise InvalidInput(f"at most {report_files.MAX_ATTACHMENTS} files", field="file")
    media = get_settings().media_dir
    stored = report_files.store_attachment(media, filename, data)
    try:
        with write_session(engine) as s:
            row = s.get(MonthlyReport, report_id)
            assert row is not None
            item = {"name": stored.name, "stored": stored.stored, "size": stored.size,
                    "kind": stored.kind, "by": actor.username}  # fmt: skip
            row.attachments = [*(row.attachments or []), item]
    except Exception:
        report_files.remove_attachment(media, stored.stored)
        raise
    return Attachment(stored.name, stored.stored, stored.size, stored.kind)


def attachment_bytes(engine: Engine, report_id: int, stored: str) -> bytes:
    """Return an attached file's bytes (every signed-in role reads the reports, as the board)."""
    with read_session(engine) as s:
        report = s.get(MonthlyReport, report_id)
        names = {a.get("stored") for a in (report.attachments or [])} if report else set()
    if stored not in names:
        raise NotFound(f"attachment {stored}")
    return report_files.read_attachment(get_settings().media_dir, stored)
