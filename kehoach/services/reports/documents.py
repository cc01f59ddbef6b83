"""The district's documents: the monthly report (.docx) and the summary table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Engine, func, select

from kehoach.adapters.report_docx import ReportData, Section, TableBlock, write_report_docx
from kehoach.adapters.static_map import render_coverage_map
from kehoach.adapters.summary_table import write_table
from kehoach.db.engine import read_session
from kehoach.db.models import Site, Unit, utcnow
from kehoach.domain.enums import Role, SiteStatus, TaskKind
from kehoach.domain.permissions import Actor, require_role
from kehoach.domain.progress import ReportStatus
from kehoach.domain.sites import Headline, compute_kpis, headline_figures
from kehoach.i18n import format_date, format_number, label, t
from kehoach.services import coverage, progress, queries
from kehoach.services.campaigns import campaign_id_or_none, campaign_or_none
from kehoach.services.reports.board import board_summary, report_board
from kehoach.services.reports.district_draft import load_district_draft
from kehoach.services.reports.district_report import compile_district_report
from kehoach.services.reports.figures import _live, _pct
from kehoach.services.reports.months import _as_of, _refuse_future, last_day, parse_month
from kehoach.services.reports.units import _plan
from kehoach.services.site_export import export_sites
from kehoach.services.timeline import REPORT_COLUMNS, local_date, sites_as_of

# Leaders read the district's documents; staff and administrators write them; Phòng VH&TT
# compiles them and Finance-Planning reads their cost section.
DOCUMENT_READERS = frozenset(
    {Role.LEADER, Role.ADMIN, Role.STAFF, Role.CULTURE_OFFICE, Role.FINANCE}
)


# --- the district's documents -----------------------------------------------------------------


def _place_date(day: date) -> str:
    # Decree 30: days under 10 and months 1-2 are written with a leading zero.
    day_text = f"{day.day:02d}" if day.day < 10 else str(day.day)
    month_text = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return t("report.doc.place_date", day=day_text, month=month_text, year=day.year)


def _number(value: float | int) -> str:
    return format_number(value)


def _money(value: float | int | None) -> str:
    if value is None or pd.isna(value):
        return "—"
    return _number(value)


def require_documents(actor: Actor) -> None:
    """Refuse unless ``actor`` may download the district's documents."""
    require_role(actor, DOCUMENT_READERS, "download the district's reports")


@dataclass(frozen=True)
class DistrictFigures:
    """What the district report says, computed once."""

    month: str
    as_of: datetime
    sites: pd.DataFrame
    demo: int
    coverage: coverage.CoverageReport
    board: pd.DataFrame
    plan_number: str | None
    plan_title: str
    anniversary: date | None
    campaign_id: int | None = None
    occasion: str = ""  # "kỷ niệm …": what the campaign celebrates, from the campaign

    @property
    def headline(self) -> Headline:
        """Return the headline figures as of the report's moment (the one shared function)."""
        return headline_figures(self.sites, self.anniversary, local_date(self.as_of))


def district_figures(
    engine: Engine,
    month: str,
    include_demo: bool = True,
    now: datetime | None = None,
    campaign_id: int | None = None,
) -> DistrictFigures:
    """Compute the district's figures of a campaign for a month (as of its end, or now)."""
    now = now or utcnow()
    parse_month(month)
    _refuse_future(month, now)
    as_of = _as_of(month, now)
    with read_session(engine) as s:
        campaign = campaign_or_none(s, campaign_id)
        cid = campaign.id if campaign else None
        plan = _plan(s, cid) if cid is not None else None
        number, title = (plan.number, plan.title) if plan else (None, "")
        anniversary = plan.anniversary if plan else None
        occasion = (campaign.occasion or campaign.name) if campaign else ""
    sites = _live(sites_as_of(engine, as_of, cid, extra=REPORT_COLUMNS))
    if not include_demo and len(sites):
        sites = sites[~sites["is_demo"].astype(bool)]
    return DistrictFigures(
        month=month,
        as_of=as_of,
        sites=sites,
        demo=int(sites["is_demo"].astype(bool).sum()) if len(sites) else 0,
        coverage=coverage.coverage_report(engine, as_of_sites=sites, campaign_id=cid),
        board=report_board(engine, [month], today=local_date(now), campaign_id=cid),
        plan_number=number,
        plan_title=title,
        anniversary=anniversary,
        campaign_id=cid,
        occasion=occasion,
    )


def _ward_table(fig: DistrictFigures) -> TableBlock:
    sites = fig.sites
    by_ward = {w.ward_id: w for w in fig.coverage.wards}
    board = fig.board.set_index("ward_id") if len(fig.board) else fig.board
    rows = []
    totals = [0, 0, 0, 0, 0]
    for number, ward in enumerate(fig.coverage.wards, start=1):
        scoped = sites[sites["ward_id"] == ward.ward_id] if len(sites) else sites
        kpis = compute_kpis(scoped)
        counts = (
            len(scoped),
            kpis.by_status["installed"],
            kpis.by_status["needs_fix"],
            kpis.flags_hung,
            kpis.flags_expected,
        )
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        status = (
            label(ReportStatus(board.loc[ward.ward_id, fig.month]))
            if len(board) and ward.ward_id in board.index
            else "—"
        )
        rows.append(
            (
                str(number),
                ward.name,
                *(_number(c) for c in counts[:3]),
                f"{_number(counts[3])}/{_number(counts[4])}",
                _pct(by_ward[ward.ward_id].routes_share),
                status,
            )
        )
    rows.append(
        (
            "",
            t("report.doc.total"),
            *(_number(c) for c in totals[:3]),
            f"{_number(totals[3])}/{_number(totals[4])}",
            _pct(fig.coverage.district.routes_share),
            "",
        )
    )
    return TableBlock(
        header=tuple(t(f"report.doc.ward_col.{i}") for i in range(8)),
        rows=tuple(rows),
        widths_cm=(1.2, 3.7, 1.5, 1.9, 1.8, 2.1, 2.0, 2.3),
        bold_last_row=True,
    )


def _task_result(task: progress.TaskProgress, sites: pd.DataFrame) -> str:
    """Word a task's result: measured from the month's sites, or the status its unit set."""
    if not task.measured:
        text = label(task.status)
    else:
        mine = sites[(sites["task_id"] == task.task_id) & (sites["status"] != "removed")]
        installed = int((mine["status"] == SiteStatus.INSTALLED.value).sum())
        hung, expected = int(mine["flags_hung"].sum()), int(mine["flags_expected"].sum())
        if task.kind == TaskKind.FLAGS.value and expected:
            text = t(
                "report.doc.task_flags",
                hung=_number(hung),
                expected=_number(expected),
                share=_pct(hung / expected),
            )
        elif len(mine):
            text = t(
                "report.doc.task_sites",
                done=_number(installed),
                total=_number(len(mine)),
                share=_pct(installed / len(mine)),
            )
        else:
            text = t("report.doc.task_no_sites")
    return f"{text} ({t('report.doc.overdue')})" if task.overdue else text


def _task_table(engine: Engine, fig: DistrictFigures) -> TableBlock:
    # Task links and statuses as they stood at the month's end, like every other figure.
    sites = fig.sites
    rows = []
    boards = progress.task_board(
        engine, today=local_date(fig.as_of), campaign_id=fig.campaign_id, as_of=fig.as_of
    )
    for unit in boards:
        rows.append((str(unit.position), unit.name, ""))
        for task in unit.tasks:
            rows.append(
                (
                    f"{unit.position}.{task.position}",
                    " ".join(task.text.replace("*", "").split()),
                    _task_result(task, sites),
                )
            )
    return TableBlock(
        header=tuple(t(f"report.doc.task_col.{i}") for i in range(3)),
        rows=tuple(rows),
        widths_cm=(1.2, 10.3, 4.9),
        numeric_from=99,
        bold_rows=tuple(i for i, row in enumerate(rows) if not row[2]),
    )


def _costs_as_of(engine: Engine, fig: DistrictFigures, include_demo: bool) -> pd.DataFrame:
    """Sum new sites' costs by unit as they stood at the month's end (rejected ones too)."""
    sites = sites_as_of(engine, fig.as_of, fig.campaign_id, extra=REPORT_COLUMNS)
    new = sites[sites["is_new"].astype(bool)] if len(sites) else sites
    if not include_demo and len(new):
        new = new[~new["is_demo"].astype(bool)]
    with read_session(engine) as s:
        names = dict(s.execute(select(Unit.id, Unit.name)).all())
    frame = pd.DataFrame(
        {
            "unit": new["unit_id"].map(names),
            "approval": new["approval"],
            "estimated_cost": pd.to_numeric(new["estimated_cost"]),
            "approved_cost": pd.to_numeric(new["approved_cost"]),
        }
    )
    return queries.sum_costs(frame)


def _cost_table(costs: pd.DataFrame) -> TableBlock | None:
    costs = costs[costs["n"] > 0]  # a unit with only rejected items is listed apart
    if costs.empty:
        return None
    rows = [
        (
            str(i),
            str(r.unit),
            _number(r.n),
            _number(r.pending),
            _money(r.estimated),
            _money(r.approved),
        )
        for i, r in enumerate(costs.itertuples(index=False), start=1)
    ]
    rows.append(
        (
            "",
            t("report.doc.total"),
            _number(costs["n"].sum()),
            _number(costs["pending"].sum()),
            _money(costs["estimated"].sum()),
            _money(costs["approved"].sum()),
        )
    )
    return TableBlock(
        header=tuple(t(f"report.doc.cost_col.{i}") for i in range(6)),
        rows=tuple(rows),
        widths_cm=(1.2, 5.8, 1.8, 2.0, 2.9, 2.8),
        bold_last_row=True,
    )


def _board_paragraphs(fig: DistrictFigures) -> tuple[str, ...]:
    summary = board_summary(fig.board, fig.month)
    lines = [t("report.doc.board", total=len(fig.board), **summary)]
    missing = fig.board[fig.board[fig.month].isin([ReportStatus.MISSING.value])]
    if len(missing):
        lines.append(t("report.doc.board_missing", names="; ".join(missing["label"])))
    late = fig.board[fig.board[fig.month] == ReportStatus.LATE.value]
    if len(late):
        lines.append(t("report.doc.board_late", names="; ".join(late["label"])))
    return tuple(lines)


def _km(metres: float) -> str:
    return format_number(metres / 1000, 1)


def _overview(fig: DistrictFigures) -> tuple[str, ...]:
    kpis = compute_kpis(fig.sites)
    d = fig.coverage.district
    main = "; ".join(f"{s.name} {_pct(s.share)}" for s in fig.coverage.main_streets) or "—"
    lines = [
        t(
            "report.doc.sites",
            total=_number(kpis.total),
            **{k: _number(v) for k, v in kpis.by_status.items()},
        ),
        t(
            "report.doc.flags",
            hung=_number(kpis.flags_hung),
            expected=_number(kpis.flags_expected),
            rate=_pct(kpis.flags_rate),
        ),
        t(
            "report.doc.coverage",
            share=_pct(d.share),
            covered=_km(d.covered_m),
            length=_km(d.length_m),
        ),
    ]
    lines.append(t("report.doc.main", share=_pct(d.main_share), streets=main))
    if fig.coverage.routes:
        n = len(fig.coverage.routes)
        lines.append(t("report.doc.routes", share=_pct(d.routes_share), n=n))
    else:
        lines.append(t("report.doc.no_routes"))
    days = fig.headline.days_to_anniversary
    if fig.anniversary and days is not None:
        key = "report.doc.days_left" if days >= 0 else "report.doc.days_past"
        lines.append(t(key, days=abs(days), date=format_date(fig.anniversary)))
    return tuple(lines)


def report_date(month: str, now: datetime) -> date:
    """Return the date a month's report bears by default: the month's last day once it has
    ended (the same document whenever it is made), else today."""
    return min(local_date(now), last_day(month))


def build_report_data(
    engine: Engine,
    month: str,
    include_demo: bool = True,
    now: datetime | None = None,
    campaign_id: int | None = None,
    dated: date | None = None,
) -> ReportData:
    """Compose a campaign's district monthly report (words, tables, map) from the data.

    ``dated`` is the date the document bears (default: ``report_date``).
    """
    now = now or utcnow()
    fig = district_figures(engine, month, include_demo, now, campaign_id)
    report_day = dated or report_date(month, now)
    first = parse_month(month)
    base = coverage.base_layers_with_coverage(engine, fig.coverage.streets)
    demo_note = t("report.doc.demo_map", n=fig.demo) if fig.demo else ""
    png = render_coverage_map(base, fig.sites, note=demo_note)
    sections = [
        Section(t("report.doc.h1"), paragraphs=_overview(fig)),
        Section(
            t("report.doc.h2"), paragraphs=(t("report.doc.ward_intro"),), table=_ward_table(fig)
        ),
        Section(
            t("report.doc.h3"),
            paragraphs=(t("report.doc.task_intro"),),
            table=_task_table(engine, fig),
        ),
    ]
    costs = _costs_as_of(engine, fig, include_demo)
    cost_table = _cost_table(costs)
    rejected = int(costs["rejected"].sum()) if len(costs) else 0
    sections.append(
        Section(
            t("report.doc.h4"),
            table=cost_table,
            paragraphs=(t("report.doc.cost_intro") if cost_table else t("report.doc.no_costs"),),
            after=(t("report.doc.cost_rejected", n=rejected),) if rejected else (),
        )
    )
    sections.append(
        Section(
            t("report.doc.h5"),
            paragraphs=(t("report.doc.map_intro"),),
            image_png=png,
            caption=t("report.doc.map_caption", date=format_date(local_date(fig.as_of))),
        )
    )
    sections.append(Section(t("report.doc.h6"), paragraphs=_board_paragraphs(fig)))
    warning = t("report.doc.demo_warning", n=fig.demo) if fig.demo else ""
    month_text = {"month": f"{first.month:02d}", "year": first.year}
    subject = t("report.doc.subject", occasion=fig.occasion, **month_text)
    return ReportData(
        parent_body=t("report.doc.parent_body"),
        issuer=t("report.doc.issuer"),
        number=t("report.doc.number"),
        nation=t("report.doc.nation"),
        motto=t("report.doc.motto"),
        place_date=_place_date(report_day),
        kind=t("report.doc.kind"),
        subject=subject,
        intro=(
            t(
                "report.doc.intro",
                plan=fig.plan_number or "…/KH-UBND",
                occasion=fig.occasion,
                month=f"{first.month:02d}",
                year=first.year,
                as_of=format_date(local_date(fig.as_of)),
            ),
            t("report.doc.source"),
        ),
        sections=tuple(sections),
        recipients_title=t("report.doc.recipients_title"),
        recipients=tuple(t("report.doc.recipients").split("\n")),
        signer_title=(t("report.doc.signer"),),
        warning=warning,
        header_note=t("report.doc.demo_header") if fig.demo else "",
        title_for_properties=subject,
        author=t("report.doc.issuer"),
        created=report_day,
    )


def monthly_report_docx(
    engine: Engine,
    actor: Actor,
    month: str,
    include_demo: bool = True,
    now: datetime | None = None,
    campaign_id: int | None = None,
    dated: date | None = None,
) -> bytes:
    """Return a campaign's district monthly report as a Word document (Decree 30 layout).

    The figures come from the data; the units' texts and the Culture Office's draft (its
    texts, number, date, signer and issuer) are added by ``compile_district_report``.
    """
    require_documents(actor)
    dated = dated or load_district_draft(engine, month, campaign_id).doc_date
    data = build_report_data(engine, month, include_demo, now, campaign_id, dated)
    return write_report_docx(compile_district_report(engine, data, month, campaign_id))


def summary_table_xlsx(
    engine: Engine, actor: Actor, include_demo: bool = True, campaign_id: int | None = None
) -> bytes:
    """Return a campaign's summary table of sites (the columns the import reads) as .xlsx."""
    require_documents(actor)
    rows = export_sites(engine, actor, include_demo=include_demo, campaign_id=campaign_id)
    return write_table(rows, "xlsx")


def demo_count(engine: Engine, campaign_id: int | None = None) -> int:
    """Return how many demo sites a campaign (default: the current one) holds."""
    with read_session(engine) as s:
        cid = campaign_id_or_none(s, campaign_id)
        query = select(func.count()).select_from(Site).where(Site.is_demo, Site.campaign_id == cid)
        return int(s.scalar(query) or 0)
