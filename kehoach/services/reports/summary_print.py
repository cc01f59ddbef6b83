"""The printed summary table of a campaign's sites, grouped by ward and street, to sign."""

from __future__ import annotations

from datetime import date
from itertools import groupby

from sqlalchemy import Engine, select

from kehoach.adapters.summary_print import (
    PrintedRow,
    PrintedSummary,
    StreetGroup,
    WardGroup,
    write_printed_summary,
)
from kehoach.db.engine import read_session
from kehoach.db.models import Site, Street, Unit, Ward
from kehoach.domain.enums import SiteKind, SiteStatus
from kehoach.domain.permissions import Actor
from kehoach.i18n import format_date, label, t
from kehoach.services.campaigns import campaign_or_none
from kehoach.services.reports.documents import _place_date, require_documents
from kehoach.services.reports.months import _today

# ward code, ward, street, then the printed row's fields (code, position, kind, quantity, …)
Row = tuple[str, str, str, str, str, str, int, str, str, str]


def _rows(engine: Engine, include_demo: bool, campaign_id: int | None) -> tuple[str, list[Row]]:
    with read_session(engine) as s:
        campaign = campaign_or_none(s, campaign_id)
        query = (
            select(Site, Ward.code, Ward.name, Street.name, Unit.name)
            .outerjoin(Ward, Site.ward_id == Ward.id)
            .outerjoin(Street, Site.street_id == Street.id)
            .outerjoin(Unit, Site.unit_id == Unit.id)
            .where(Site.campaign_id == (campaign.id if campaign else None))
        )
        if not include_demo:
            query = query.where(Site.is_demo.is_(False))
        rows = [
            (wcode or "~", wname or "", street or "", site.code, site.address or "",
             label(SiteKind(site.kind)), int(site.quantity or 0), unit or "",
             label(SiteStatus(site.status)), site.note or "")
            for site, wcode, wname, street, unit in s.execute(query)
        ]  # fmt: skip
        return (campaign.name if campaign else ""), sorted(rows, key=lambda r: r[:4])


def _wards(rows: list[Row]) -> tuple[WardGroup, ...]:
    wards = []
    for (_, ward), in_ward in groupby(rows, key=lambda r: (r[0], r[1])):
        streets = tuple(
            StreetGroup(street or t("report.summary.no_street"),
                        tuple(PrintedRow(*r[3:]) for r in in_street))
            for street, in_street in groupby(list(in_ward), key=lambda r: r[2])
        )  # fmt: skip
        heading = t("report.summary.ward", ward=ward) if ward else t("report.summary.no_ward")
        subtotal = t("report.summary.subtotal", ward=ward or "—")
        wards.append(WardGroup(heading, subtotal, streets))
    return tuple(wards)


def printed_summary_xlsx(
    engine: Engine,
    actor: Actor,
    include_demo: bool = True,
    campaign_id: int | None = None,
    dated: date | None = None,
) -> bytes:
    """Return the summary table as printed and signed: title block, wards, totals, signers."""
    require_documents(actor)
    day = dated or _today()
    campaign, rows = _rows(engine, include_demo, campaign_id)
    data = PrintedSummary(
        agency=t("report.summary.agency"),
        office=t("report.summary.office"),
        nation=t("report.doc.nation"),
        motto=t("report.doc.motto"),
        title=t("report.summary.title"),
        campaign=t("report.summary.campaign", campaign=campaign),
        place_date=_place_date(day),
        as_of=t("report.summary.as_of", date=format_date(day)),
        columns=tuple(t("report.summary.columns").split("|")),
        wards=_wards(rows),
        total_label=t("report.summary.total"),
        signers=(
            (t("report.summary.maker"), t("report.summary.sign_hint")),
            (t("report.summary.signer"), t("report.summary.sign_hint")),
        ),
    )
    return write_printed_summary(data)
