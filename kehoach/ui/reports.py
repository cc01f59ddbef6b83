"""Widgets of the reports page: campaign clock, report board, submission form, documents."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from kehoach.adapters.mapview import build_map
from kehoach.domain.enums import Role
from kehoach.domain.errors import DomainError
from kehoach.domain.permissions import REPORTERS, Actor
from kehoach.domain.progress import ReportStatus
from kehoach.domain.sites import compute_kpis
from kehoach.i18n import format_date, format_local_time, label, t
from kehoach.services import coverage, progress, queries, reports, timeline
from kehoach.ui import (
    clear_read_caches,
    engine,
    kpi_tiles,
    map_options,
    md,
    show_error,
    status_label,
)

BOARD_MONTHS = "reports-board-months"
LIST_MONTH = "reports-list-month"
SUBMIT_MONTH = "reports-submit-month"
SUBMIT_UNIT = "reports-submit-unit"
DOC_MONTH = "reports-doc-month"
DOC_EXCLUDE_DEMO = "reports-doc-exclude-demo"
AS_OF_DAY = "reports-as-of-day"
SECTION = "reports-section"
BOARD_SPAN = 6  # months shown on the board by default
BOARD, SUBMIT, DOCUMENTS, TIMELINE = "board", "submit", "docs", "timeline"
SECTIONS = (BOARD, SUBMIT, DOCUMENTS, TIMELINE)
ICONS = {
    ReportStatus.ON_TIME: "✅",
    ReportStatus.LATE: "⚠️",
    ReportStatus.MISSING: "❌",
    ReportStatus.NOT_DUE: "⏳",
}
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def month_label(month: str) -> str:
    """Format "YYYY-MM" as "MM/YYYY"."""
    return f"{month[5:]}/{month[:4]}"


def status_text(value: str) -> str:
    """Return a report status with its icon, in Vietnamese."""
    status = ReportStatus(value)
    return f"{ICONS[status]} {label(status)}"


def section_picker() -> str:
    """Ask which part of the page to show (the board by default)."""
    chosen = st.segmented_control(
        t("reports.section"),
        SECTIONS,
        default=BOARD,
        format_func=lambda s: t(f"reports.tab.{s}"),
        key=SECTION,
        label_visibility="collapsed",
    )
    return chosen or BOARD


@st.cache_data(ttl=60, show_spinner=False)
def _burnup() -> pd.DataFrame:
    return timeline.burnup(engine())


@st.cache_data(ttl=60, show_spinner=False)
def _sites_on(day: date) -> pd.DataFrame:
    return timeline.sites_as_of(engine(), timeline.local_day_end(day))


def campaign_clock() -> None:
    """Show days to the anniversary and sites installed against planned (today)."""
    plan = queries.load_plan(engine())
    today = progress.local_today()
    burn = _burnup()
    cols = st.columns(3)
    if plan is not None and plan.anniversary:
        days = (plan.anniversary - today).days
        cols[0].metric(
            t("reports.clock.anniversary", date=format_date(plan.anniversary)),
            t("reports.clock.days", days=abs(days)),
            t("reports.clock.left") if days >= 0 else t("reports.clock.past"),
            delta_color="off",
            delta_arrow="off",
        )
    if len(burn):
        done = (
            burn.dropna(subset=["installed"]).iloc[-1] if burn["installed"].notna().any() else None
        )
        cols[1].metric(t("reports.clock.planned"), int(burn["planned"].iloc[-1]))
        cols[2].metric(
            t("reports.clock.installed"), int(done["installed"]) if done is not None else 0
        )


def _default_last_month(months: list[str]) -> str:
    """Return the board's default last month: this month, or the campaign's end once past."""
    plan = queries.load_plan(engine())
    if plan is None or plan.anniversary is None:
        return months[-1]
    after = plan.anniversary.replace(day=1) + pd.Timedelta(days=32)
    end = f"{after.year:04d}-{after.month:02d}"
    return min(months[-1], end) if end in months else months[-1]


def board() -> None:
    """Show who reported on time, late or not at all, month by month."""
    months = list(reversed(progress.report_months(engine())))
    if len(months) > 1:
        last = _default_last_month(months)
        start, end = st.select_slider(
            t("reports.board.months"),
            options=months,
            value=(months[max(0, months.index(last) - BOARD_SPAN + 1)], last),
            format_func=month_label,
            key=BOARD_MONTHS,
        )
        months = months[months.index(start) : months.index(end) + 1]
    table = reports.report_board(engine(), months)
    if table.empty:
        st.info(t("reports.board.no_units"))
        return
    summary = reports.board_summary(table, months[-1])
    st.caption(t("reports.board.summary", month=month_label(months[-1]), **summary))
    shown = table[["label", *months]].rename(
        columns={"label": t("reports.board.unit"), **{m: month_label(m) for m in months}}
    )
    for month in months:
        shown[month_label(month)] = table[month].map(status_text)
    st.dataframe(shown, hide_index=True, width="stretch")
    st.caption(t("reports.board.rule", day=reports.deadline_day(engine())))


def submitted_list() -> None:
    """List the reports submitted for a chosen month with their text."""
    months = progress.report_months(engine())
    month = st.selectbox(t("reports.list.month"), months, format_func=month_label, key=LIST_MONTH)
    items = reports.list_reports(engine(), month)
    if not items:
        st.caption(t("reports.list.none"))
    for item in items:
        name = t("report.ward_row", ward=item.ward) if item.ward else item.unit
        title = f"{name} · {format_local_time(item.submitted_at)} · {status_text(item.status)}"
        with st.expander(title):
            amendments = item.figures.get("amendments") or []
            by = md(item.submitted_by or "—")
            st.caption(t("reports.list.by", by=by, n=len(amendments)))
            st.markdown(md(item.body))


def _figure_tiles(figures: dict) -> None:
    cols = st.columns(5)
    sites = figures["sites"]
    cols[0].metric(t("home.kpi.sites"), sites["total"])
    cols[1].metric(status_label("installed"), sites["installed"])
    cols[2].metric(status_label("needs_fix"), sites["needs_fix"])
    cols[3].metric(
        t("reports.submit.flags"), f"{figures['flags']['hung']}/{figures['flags']['expected']}"
    )
    cols[4].metric(t("reports.submit.inspections"), figures["inspections"]["total"])


def _choose_unit(actor: Actor) -> reports.ReportingUnit | None:
    units = reports.reporting_units(engine())
    if actor.role == Role.WARD_OFFICER:
        mine = next((u for u in units if u.ward_id == actor.ward_id), None)
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


def submit_form(actor: Actor) -> None:
    """Let a ward officer (own ward) or staff (any unit) submit or amend a monthly report."""
    if actor.role not in REPORTERS:
        st.caption(t("reports.submit.read_only"))
        return
    months = progress.report_months(engine())
    month = st.selectbox(
        t("reports.submit.month"), months, format_func=month_label, key=SUBMIT_MONTH
    )
    unit = _choose_unit(actor)
    if unit is None:
        st.warning(t("reports.submit.no_unit"))
        return
    try:
        figures = reports.draft_figures(engine(), actor, month, unit.unit_id, unit.ward_id)
    except DomainError as exc:
        show_error(exc)
        return
    existing = reports.unit_report(engine(), month, unit.unit_id, unit.ward_id)
    st.caption(t("reports.submit.as_of", date=format_date(date.fromisoformat(figures["as_of"]))))
    _figure_tiles(figures)
    if figures.get("demo_sites"):
        st.warning(t("reports.submit.demo", n=figures["demo_sites"]))
    if existing is not None:
        st.info(
            t(
                "reports.submit.existing",
                at=format_local_time(existing.submitted_at),
                status=status_text(existing.status),
            )
        )
    body_default = existing.body if existing else reports.draft_text(figures)
    with st.form(f"report-{month}-{unit.unit_id}-{unit.ward_id}"):
        body = st.text_area(
            t("reports.submit.body"),
            value=body_default,
            height=320,
            max_chars=reports.MAX_BODY_CHARS,
        )
        label_key = "reports.submit.amend" if existing else "reports.submit.send"
        sent = st.form_submit_button(t(label_key), type="primary")
    if not sent:
        return
    try:
        result = reports.submit_monthly_report(
            engine(), actor, month, body, unit.unit_id, unit.ward_id
        )
    except DomainError as exc:
        show_error(exc)
        return
    clear_read_caches()
    key = "reports.submit.amended" if result.amended else "reports.submit.done"
    st.session_state["flash_success"] = t(
        key, month=month_label(month), status=status_text(result.status)
    )
    st.rerun()


def documents(actor: Actor) -> None:
    """Offer the district's monthly report (.docx) and the summary table (.xlsx)."""
    if actor.role not in reports.DOCUMENT_READERS:
        st.caption(t("reports.docs.read_only"))
        return
    months = progress.report_months(engine())
    month = st.selectbox(t("reports.docs.month"), months, format_func=month_label, key=DOC_MONTH)
    demo = reports.demo_count(engine())
    exclude = False
    if demo:
        exclude = st.checkbox(t("reports.docs.exclude_demo"), key=DOC_EXCLUDE_DEMO)
        if not exclude:
            st.warning(t("reports.docs.demo_included", n=demo))
    db = engine()
    cols = st.columns(2)
    cols[0].download_button(
        t("reports.docs.monthly", month=month_label(month)),
        data=lambda: reports.monthly_report_docx(db, actor, month, include_demo=not exclude),
        file_name=f"bao-cao-thang-{month}.docx",
        mime=DOCX_MIME,
        type="primary",
        key="reports-docx",
    )
    cols[1].download_button(
        t("reports.docs.summary"),
        data=lambda: reports.summary_table_xlsx(db, actor, include_demo=not exclude),
        file_name="bieu-tong-hop-diem-truc-quan.xlsx",
        mime=XLSX_MIME,
        key="reports-xlsx",
    )
    st.caption(t("reports.docs.cli"))


def burnup_chart() -> None:
    """Draw planned against installed sites by day (dates written dd/mm, Vietnamese legend)."""
    burn = _burnup()
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


def as_of_map() -> None:
    """Pick a past day and draw the map as it stood at its end, replayed from the history."""
    burn = _burnup()
    today = progress.local_today()
    first = burn["date"].iloc[0].date() if len(burn) else today
    plan = queries.load_plan(engine())
    default = min(plan.anniversary, today) if plan and plan.anniversary else today
    default = max(default, first)
    day = st.date_input(
        t("reports.timeline.day"),
        value=default,
        min_value=first,
        max_value=today,
        format="DD/MM/YYYY",
        key=AS_OF_DAY,
    )
    sites = _sites_on(day)
    st.caption(t("reports.timeline.as_of", date=format_date(day), n=len(sites)))
    kpis = compute_kpis(sites)
    if kpis.demo:
        st.warning(t("demo.banner", n=kpis.demo))
    kpi_tiles(kpis)
    streets = coverage.street_coverage(engine(), as_of_sites=sites)
    base = coverage.base_layers_with_coverage(engine(), streets)
    st_folium(
        build_map(base, sites, map_options()),
        key="reports-as-of-map",
        height=560,
        use_container_width=True,
        returned_objects=[],
    )
