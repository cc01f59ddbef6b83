"""What the Culture Office writes into the district's report: its texts, number, date, signer.

One record per campaign and month. The compiled report (``district_report``) takes the
figures from the data, each unit's and ward's submitted text, and these.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import Engine, select

from kehoach.db.engine import read_session, write_session
from kehoach.db.models import DistrictReportDraft, utcnow
from kehoach.domain.errors import InvalidInput
from kehoach.domain.permissions import DISTRICT_REPORT_WRITERS, Actor, require_role
from kehoach.services.campaigns import campaign_id_or_none
from kehoach.services.reports.months import parse_month

ISSUERS = ("office", "district")  # Phòng VH&TT, or UBND quận
SIGN_MODES = ("", "KT.", "TM.")
MAX_TEXT_CHARS = 20_000
TEXT_FIELDS = ("assessment", "difficulties", "next_tasks", "recommendations")
SHORT_FIELDS = ("doc_number", "signer_name", "signer_title")


@dataclass(frozen=True)
class DistrictDraft:
    """The Culture Office's part of a month's district report."""

    assessment: str = ""
    difficulties: str = ""
    next_tasks: str = ""
    recommendations: str = ""
    doc_number: str = ""
    doc_date: date | None = None
    signer_name: str = ""
    signer_title: str = ""
    sign_mode: str = ""  # "", "KT." (signing for the head) or "TM." (on behalf of the body)
    issuer: str = "office"  # "office": Phòng VH&TT; "district": UBND quận


def _check(draft: DistrictDraft) -> DistrictDraft:
    if draft.issuer not in ISSUERS:
        raise InvalidInput(f"issuer must be one of {ISSUERS}", field="issuer")
    if draft.sign_mode not in SIGN_MODES:
        raise InvalidInput("sign mode must be empty, KT. or TM.", field="sign_mode")
    for name in TEXT_FIELDS:
        if len(getattr(draft, name)) > MAX_TEXT_CHARS:
            raise InvalidInput(f"{name} longer than {MAX_TEXT_CHARS} characters", field=name)
    for name, limit in (("doc_number", 40), ("signer_name", 120), ("signer_title", 120)):
        if len(getattr(draft, name)) > limit:
            raise InvalidInput(f"{name} longer than {limit} characters", field=name)
    return DistrictDraft(
        **{name: getattr(draft, name).strip() for name in (*TEXT_FIELDS, *SHORT_FIELDS)},
        doc_date=draft.doc_date,
        sign_mode=draft.sign_mode,
        issuer=draft.issuer,
    )


def load_district_draft(
    engine: Engine, month: str, campaign_id: int | None = None
) -> DistrictDraft:
    """Return what was written for a campaign's month (empty fields when nothing yet)."""
    parse_month(month)
    with read_session(engine) as s:
        cid = campaign_id_or_none(s, campaign_id)
        row = s.scalars(
            select(DistrictReportDraft).where(
                DistrictReportDraft.campaign_id == cid, DistrictReportDraft.month == month
            )
        ).first()
        if row is None:
            return DistrictDraft()
        return DistrictDraft(**{f: getattr(row, f) for f in DistrictDraft.__dataclass_fields__})


def save_district_draft(
    engine: Engine,
    actor: Actor,
    month: str,
    draft: DistrictDraft,
    campaign_id: int | None = None,
) -> DistrictDraft:
    """Store the Culture Office's texts, number, date and signer for a campaign's month."""
    require_role(actor, DISTRICT_REPORT_WRITERS, "write the district's report")
    parse_month(month)
    clean = _check(draft)
    with write_session(engine) as s:
        cid = campaign_id_or_none(s, campaign_id)
        if cid is None:
            raise InvalidInput("no campaign to report on", field="campaign")
        row = s.scalars(
            select(DistrictReportDraft).where(
                DistrictReportDraft.campaign_id == cid, DistrictReportDraft.month == month
            )
        ).first()
        if row is None:
            row = DistrictReportDraft(campaign_id=cid, month=month)
            s.add(row)
        for name, value in asdict(clean).items():
            setattr(row, name, value)
        row.updated_at = utcnow()
        row.updated_by_id = actor.id
    return clean
