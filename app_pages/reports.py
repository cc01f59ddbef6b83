"""Reports: campaign clock, who reported each month, submitting, documents, the past map."""

from datetime import date

import streamlit as st

from kehoach import ui
from kehoach.domain.errors import DomainError
from kehoach.domain.permissions import REPORTERS
from kehoach.domain.sites import compute_kpis
from kehoach.i18n import format_date, format_local_time, t
from kehoach.services import progress, queries, reports, views
from kehoach.ui import district_report_form as office
from kehoach.ui import report_widgets as widgets
from kehoach.ui.formats import month_label, report_status_text

BOARD, SUBMIT, DOCUMENTS, TIMELINE = "board", "submit", "docs", "timeline"
BOARD_SPAN = 6  # months shown on the board by default

actor = ui.require_actor()
st.title(t("reports.title"), anchor=False)
st.caption(ui.campaign_subtitle())
read_only = ui.closed_banner()
ui.flash_messages()
campaign_id = ui.current_campaign_id()
widgets.campaign_clock()

# One section at a time (not st.tabs): only the chosen one is computed, and the map is
# drawn in a visible frame so Leaflet can fit the district.
section = st.segmented_control(
    t("reports.section"),
    (BOARD, SUBMIT, DOCUMENTS, TIMELINE),
    default=BOARD,
    format_func=lambda s: t(f"reports.tab.{s}"),
    key="reports-section",
    label_visibility="collapsed",
)
months = progress.report_months(ui.engine(), campaign_id=campaign_id)  # newest first


if section in (BOARD, None):
    shown = list(reversed(months))
    if len(shown) > 1:
        plan = queries.load_plan(ui.engine(), campaign_id)
        start, end = st.select_slider(
            t("reports.board.months"),
            options=shown,
            value=views.board_window(shown, plan.anniversary if plan else None, BOARD_SPAN),
            format_func=month_label,
            key="reports-board-months",
        )
        shown = shown[shown.index(start) : shown.index(end) + 1]
    table = reports.report_board(ui.engine(), shown, campaign_id=campaign_id)
    if table.empty:
        st.info(t("reports.board.no_units"))
    else:
        widgets.board_table(table, shown)
    st.subheader(t("reports.list.title"), anchor=False)
    month = widgets.month_picker(months, "reports.list.month", "reports-list-month")
    widgets.report_list(reports.list_reports(ui.engine(), month, campaign_id), actor)

elif section == SUBMIT:
    # A ward officer reports for their own ward, staff for any unit; sending again amends.
    if actor.role not in REPORTERS or read_only:
        st.caption(t("campaign_picker.view_only" if read_only else "reports.submit.read_only"))
        st.stop()
    month = widgets.month_picker(months, "reports.submit.month", "reports-submit-month")
    unit = widgets.unit_picker(actor)
    if unit is None:
        st.warning(t("reports.submit.no_unit"))
        st.stop()
    try:
        figures = reports.draft_figures(
            ui.engine(), actor, month, unit.unit_id, unit.ward_id, campaign_id=campaign_id
        )
    except DomainError as exc:
        ui.show_error(exc)
        st.stop()
    existing = reports.unit_report(ui.engine(), month, unit.unit_id, unit.ward_id, campaign_id)
    as_of = format_date(date.fromisoformat(figures["as_of"]))
    st.caption(t("reports.submit.as_of", date=as_of))
    widgets.figure_tiles(figures)
    if figures.get("demo_sites"):
        st.warning(t("reports.submit.demo", n=figures["demo_sites"]))
    if existing is not None:
        at, status = format_local_time(existing.submitted_at), report_status_text(existing.status)
        st.info(t("reports.submit.existing", at=at, status=status))
    if existing is not None:
        office.review_notes(existing)
        office.attach_uploader(actor, existing.id)
    if (result := widgets.report_form(actor, month, unit, figures, existing)) is not None:
        ui.clear_read_caches()
        done = "reports.submit.amended" if result.amended else "reports.submit.done"
        status = report_status_text(result.status)
        st.session_state["flash_success"] = t(done, month=month_label(month), status=status)
        st.rerun()

elif section == DOCUMENTS:
    if actor.role not in reports.DOCUMENT_READERS:
        st.caption(t("reports.docs.read_only"))
        st.stop()
    month = widgets.month_picker(months, "reports.docs.month", "reports-doc-month")
    exclude = False
    if demo := reports.demo_count(ui.engine(), campaign_id):
        exclude = st.checkbox(t("reports.docs.exclude_demo"), key="reports-doc-exclude-demo")
        if not exclude:
            st.warning(t("reports.docs.demo_included", n=demo))
    widgets.document_buttons(actor, month, include_demo=not exclude)
    office.compile_form(actor, month)
    st.caption(t("reports.docs.cli"))

else:
    burn = widgets.burnup()
    st.subheader(t("reports.timeline.burnup"), anchor=False)
    widgets.burnup_chart(burn)
    # The map as it stood at the end of a past day, replayed from the history.
    st.subheader(t("reports.timeline.map"), anchor=False)
    today = progress.local_today()
    first = burn["date"].iloc[0].date() if len(burn) else today
    plan = queries.load_plan(ui.engine(), campaign_id)
    day = st.date_input(
        t("reports.timeline.day"),
        value=views.as_of_default_day(first, today, plan.anniversary if plan else None),
        min_value=first,
        max_value=today,
        format="DD/MM/YYYY",
        key="reports-as-of-day",
    )
    sites = widgets.sites_on(day)
    st.caption(t("reports.timeline.as_of", date=format_date(day), n=len(sites)))
    kpis = compute_kpis(sites)
    if kpis.demo:
        st.warning(t("demo.banner", n=kpis.demo))
    ui.kpi_tiles(kpis)
    widgets.as_of_map(sites)
