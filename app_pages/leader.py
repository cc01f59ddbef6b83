"""Leader's home: KPI and coverage tiles, the coverage map, the ward table, the approval queue."""

import streamlit as st

from kehoach import ui
from kehoach.domain.sites import SiteFilter, compute_kpis
from kehoach.i18n import t
from kehoach.services import flag_counts, headline, progress
from kehoach.services.coverage import coverage_report
from kehoach.ui import view_state
from kehoach.ui.coverage_widgets import coverage_map, coverage_tiles, ward_table
from kehoach.ui.formats import month_label
from kehoach.ui.print_map import print_button
from kehoach.ui.queues import approval_queue
from kehoach.ui.task_widgets import overdue_notice

WARD_TABLE = "leader-wards"  # session key of the ward table's selection
MONTH = "leader-month"

actor = ui.require_actor()
st.title(t("leader.title"), anchor=False)
st.caption(ui.campaign_subtitle())
ui.closed_banner()
ui.flash_messages()
campaign_id = ui.current_campaign_id()

sites = ui.sites_table()
kpis = compute_kpis(sites)
if sites.empty:
    st.info(f"**{t('home.empty.title')}**\n\n{t('home.empty.body')}")
elif kpis.demo:
    st.warning(t("demo.banner", n=kpis.demo))
ui.kpi_tiles(kpis, headline.days_to_anniversary(ui.engine(), ui.current_campaign_id()))
# Plan tasks past their due date and not done.
overdue_notice(progress.task_board(ui.engine(), campaign_id=campaign_id))
# Coverage is measured from the same (cached) site table the rest of the page shows.
report = coverage_report(ui.engine(), as_of_sites=sites, campaign_id=campaign_id)
coverage_tiles(report)

# The ward table judges the month picked on the last run, else this month.
months = progress.report_months(ui.engine(), campaign_id=campaign_id)
month = st.session_state.get(MONTH)
if month not in months:
    month = st.session_state[MONTH] = months[0]
table = progress.ward_progress(ui.engine(), month, coverage=report, campaign_id=campaign_id)
# A ward selected in the table on the last run focuses the map.
rows = (st.session_state.get(WARD_TABLE) or {}).get("selection", {}).get("rows", [])
ward_id = int(table.iloc[rows[0]]["ward_id"]) if rows and rows[0] < len(table) else None

map_head, print_col = st.columns([4, 1], vertical_alignment="bottom")
map_head.subheader(t("leader.map"), anchor=False)
with print_col:
    printed = SiteFilter(ward_ids=(ward_id,) if ward_id else ())
    print_button(sites, printed, view_state.ward_focus(printed))
coverage_map(report, sites, ward_id)
head, pick = st.columns([3, 1], vertical_alignment="bottom")
head.subheader(t("leader.wards", month=month_label(month)), anchor=False)
pick.selectbox(t("leader.month"), months, key=MONTH, format_func=month_label)
ward_table(table, WARD_TABLE, flag_counts.flag_windows(ui.engine()))
approval_queue(actor)
