"""Widgets of the reports page, with its cached read models.

The campaign clock, the report board and the list of reports, the figures and unit picker of
a submission, the document downloads, the burn-up chart and the map of a past day.
"""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from kehoach.adapters.mapview import build_map
from kehoach.domain.enums import Role
from kehoach.domain.errors import DomainError
from kehoach.domain.permissions import Actor
from kehoach.domain.report_sections import parse_sections
from kehoach.i18n import format_date, format_local_time, t
from kehoach.services import coverage, progress, queries, reports, timeline
from kehoach.ui import (
    current_campaign_id,
    data_version,
    engine,
    map_options,
    md,
    show_error,
    status_label,
)
from kehoach.ui.formats import month_label, report_status_text, with_dashes
from kehoach.ui.maps import show_map

SUBMIT_UNIT = "reports-submit-unit"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def burnup() -> pd.DataFrame:
    """Return planned and installed sites by day as the latest write (in any process) left it."""
    return _burnup(current_campaign_id(), data_version(), progress.local_today())


def sites_on(day: date) -> pd.DataFrame:
    """Return the site table as it stood at the end of a local day (fresh after any write)."""
    return _sites_on(day, current_campaign_id(), queries.site_list_version(engine()))


# Keyed by the data stamps (and the day), so a write in any process shows on the next rerun.
@st.cache_data(max_entries=4, show_spinner=False)
def _burnup(campaign_id: int | None, version: tuple[object, ...], today: date) -> pd.DataFrame:
    return timeline.burnup(engine(), today=today, campaign_id=campaign_id)


@st.cache_data(max_entries=16, show_spinner=False)
def _sites_on(day: date, campaign_id: int | None, version: tuple[object, ...]) -> pd.DataFrame:
    return timeline.sites_as_of(engine(), timeline.local_day_end(day), campaign_id)


def campaign_clock() -> None:
    """Show days to the anniversary, sites and completed sites: the home page's figures."""
    from kehoach.domain.sites import headline_figures
    from kehoach.services import headline
    from kehoach.ui import sites_table

    anniversary = headline.anniversary_of(engine(), current_campaign_id())
    figures = headline_figures(sites_table(), anniversary, headline.today())
    cols = st.columns(3)
    if anniversary is not None and figures.days_to_anniversary is not None:
        days = figures.days_to_anniversary
        cols[0].metric(
            t("reports.clock.anniversary", date=format_date(anniversary)),
            t("reports.clock.days", days=abs(days)),
            t("reports.clock.left") if days >= 0 else t("reports.clock.past"),
            delta_color="off",
            delta_arrow="off",
        )
    cols[1].metric(t("home.kpi.sites"), figures.total)
    cols[2].metric(status_label("installed"), figures.completed)


def board_table(table: pd.DataFrame, months: list[str]) -> None:
    """Show each unit's report status month by month, with a summary of the last month."""
    summary = reports.board_summary(table, months[-1])
    st.caption(t("reports.board.summary", month=month_label(months[-1]), **summary))
    shown = table[["label", *months]].rename(
        columns={"label": t("reports.board.unit"), **{m: month_label(m) for m in months}}
    )
    for month in months:
        shown[month_label(month)] = table[month].map(report_status_text)
    st.dataframe(with_dashes(shown), hide_index=True, width="stretch")
    st.caption(t("reports.board.rule", day=reports.deadline_day(engine(), current_campaign_id())))


def report_list(items: list[reports.ReportView], actor: Actor | None = None) -> None:
    """List submitted reports, each opening on who sent it, its text, files and review."""
    from kehoach.ui.district_report_form import return_form, review_notes

    if not items:
        st.caption(t("reports.list.none"))
    for item in items:
        name = t("report.ward_row", ward=md(item.ward)) if item.ward else md(item.unit)
        status = report_status_text(item.status)
        returned = f" · {t('reports.return.short')}" if item.returned else ""
        title = f"{name} · {format_local_time(item.submitted_at)} · {status}{returned}"
        with st.expander(title):
            amendments = item.figures.get("amendments") or []
            by = md(item.submitted_by or "—")
            st.caption(t("reports.list.by", by=by, n=len(amendments)))
            st.markdown(md(item.body))
            review_notes(item)
            if actor is not None:
                return_form(actor, item)


def month_picker(months: list[str], label_key: str, key: str) -> str:
    """Ask for one of the report months, written MM/YYYY."""
    return st.selectbox(t(label_key), months, format_func=month_label, key=key)


def figure_tiles(figures: dict) -> None:
    """Show a report draft's figures: sites, installed, needing a fix, flags, inspections."""
    cols = st.columns(5)
    sites = figures["sites"]
    cols[0].metric(t("home.kpi.sites"), sites["total"])
    cols[1].metric(status_label("installed"), sites["installed"])
    cols[2].metric(status_label("needs_fix"), sites["needs_fix"])
    cols[3].metric(
        t("reports.submit.flags"), f"{figures['flags']['hung']}/{figures['flags']['expected']}"
    )
    cols[4].metric(t("reports.submit.inspections"), figures["inspections"]["total"])


def unit_picker(actor: Actor) -> reports.ReportingUnit | None:
    """Return the unit to report for: a ward officer's own ward, or the one staff choose."""
    units = reports.reporting_units(engine(), current_campaign_id())
    if actor.role in (Role.WARD_OFFICER, Role.UNIT_REPORTER):
        # Ward officers report for their ward, unit reporters for their own unit only.
        mine = next(
            (
                u
                for u in units
                if (u.ward_id == actor.ward_id if actor.role == Role.WARD_OFFICER
                    else u.unit_id == actor.unit_id and u.ward_id is None)
            ),
            None,
        )  # fmt: skip
        if mine is not None:
            st.markdown(t("reports.submit.for", name=md(mine.label)))
        return mine
    if not units:
        return None
    default = next(
        (i for i, u in enumerate(units) if u.unit_id == actor.unit_id and u.ward_id is None), 0
    )
    index = st.selectbox(
        t("reports.submit.unit"),
        range(len(units)),
        index=default,
        format_func=lambda i: units[i].label,
        key=SUBMIT_UNIT,
    )
    return units[index]


def report_form(
    actor: Actor,
    month: str,
    unit: reports.ReportingUnit,
    figures: dict,
    existing: reports.ReportView | None,
) -> reports.SubmittedReport | None:
    """Show the report's text (the draft, or the report sent before); return it once sent."""
    if existing is not None:
        start = existing.sections or parse_sections(existing.body)
    else:
        start = {"results": reports.draft_text(figures)}
    prefix = f"report-{month}-{unit.unit_id}-{unit.ward_id}"
    with st.form(prefix, enter_to_submit=False):
        sections = {
            key: st.text_area(heading, value=start.get(key, ""), height=200 if i == 0 else 100,
                              max_chars=reports.MAX_BODY_CHARS, key=f"{prefix}-{key}")
            for i, (key, heading) in enumerate(reports.section_headings().items())
        }  # fmt: skip
        send = "reports.submit.amend" if existing else "reports.submit.send"
        sent = st.form_submit_button(t(send), type="primary")
    if not sent:
        return None
    try:
        return reports.submit_monthly_report(
            engine(), actor, month, "", unit.unit_id, unit.ward_id,
            campaign_id=current_campaign_id(), sections=sections,
        )  # fmt: skip
    except DomainError as exc:
        show_error(exc)
        return None


def document_buttons(actor: Actor, month: str, include_demo: bool) -> None:
    """Offer the monthly report (.docx) and the summary table (.xlsx), built when clicked."""
    db, campaign_id = engine(), current_campaign_id()
    cols = st.columns(2)
    cols[0].download_button(
        t("reports.docs.monthly", month=month_label(month)),
        data=lambda: reports.monthly_report_docx(
            db, actor, month, include_demo=include_demo, campaign_id=campaign_id
        ),
        file_name=f"bao-cao-thang-{month}.docx",
        mime=DOCX_MIME,
        type="primary",
        key="reports-docx",
    )
    cols[1].download_button(
        t("reports.docs.summary"),
        data=lambda: reports.summary_table_xlsx(
            db, actor, include_demo=include_demo, campaign_id=campaign_id
        ),
        file_name="bieu-tong-hop-diem-truc-quan.xlsx",
        mime=XLSX_MIME,
        key="reports-xlsx",
    )


def burnup_chart(burn: pd.DataFrame) -> None:
    """Draw planned against installed sites by day (dates written dd/mm, Vietnamese legend)."""
    if burn.empty:
        st.info(t("reports.timeline.empty"))
        return
    names = {"planned": t("reports.timeline.planned"), "installed": t("reports.timeline.installed")}
    long = burn.melt("date", var_name="series", value_name="sites").dropna()
    long["series"] = long["series"].map(names)
    chart = (
        alt.Chart(long)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=alt.X(
                "date:T",
                title=t("reports.timeline.date"),
                axis=alt.Axis(format="%d/%m/%Y", labelAngle=0),
            ),
            y=alt.Y("sites:Q", title=t("reports.timeline.sites")),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=list(names.values()), range=["#64748b", "#16a34a"]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("date:T", title=t("reports.timeline.date"), format="%d/%m/%Y"),
                alt.Tooltip("series:N", title=" "),
                alt.Tooltip("sites:Q", title=t("reports.timeline.sites")),
            ],
        )
    )
    st.altair_chart(chart, width="stretch")


def as_of_map(sites: pd.DataFrame) -> None:
    """Draw a past day's sites over the streets coloured by their coverage on that day."""
    streets = coverage.street_coverage(
        engine(), as_of_sites=sites, campaign_id=current_campaign_id()
    )
    base = coverage.base_layers_with_coverage(engine(), streets)
    show_map(build_map(base, sites, map_options()), "reports-as-of-map", 560)
