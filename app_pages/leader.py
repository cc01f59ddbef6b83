"""Leader's home: KPI and coverage tiles, the coverage map, the ward table, the approval queue."""

import streamlit as st

from kehoach import ui
from kehoach.domain.sites import compute_kpis
from kehoach.i18n import t
from kehoach.services import headline, progress
from kehoach.services.coverage import coverage_report
from kehoach.ui.coverage_widgets import coverage_map, coverage_tiles, ward_table
from kehoach.ui.formats import month_label
from kehoach.ui.queues import approval_queue

WARD_TABLE = "leader-wards"  # session key of the ward table's selection
MONTH = "leader-month"

actor = ui.require_actor()
st.title(t("leader.title"), anchor=False)
st.caption(ui.campaign_subtitle())
ui.flash_messages()

sites = ui.sites_table()
kpis = compute_kpis(sites)
if sites.empty:
    st.info(f"**{t('home.empty.title')}**\n\n{t('home.empty.body')}")
elif kpis.demo:
    st.warning(t("demo.banner", n=kpis.demo))
ui.kpi_tiles(kpis, headline.days_to_anniversary(ui.engine()))
# Coverage is measured from the same (cached) site table the rest of the page shows.
report = coverage_report(ui.engine(), as_of_sites=sites)
coverage_tiles(report)

# The ward table judges the month picked on the last run, else this month.
months = progress.report_months(ui.engine())
month = st.session_state.get(MONTH)
if month not in months:
    month = st.session_state[MONTH] = months[0]
table = progress.ward_progress(ui.engine(), month, coverage=report)
# A ward selected in the table on the last run focuses the map.
rows = (st.session_state.get(WARD_TABLE) or {}).get("selection", {}).get("rows", [])
ward_id = int(table.iloc[rows[0]]["ward_id"]) if rows and rows[0] < len(table) else None

st.subheader(t("leader.map"), anchor=False)
coverage_map(report, sites, ward_id)
head, pick = st.columns([3, 1], vertical_alignment="bottom")
head.subheader(t("leader.wards", month=month_label(month)), anchor=False)
pick.selectbox(t("leader.month"), months, key=MONTH, format_func=month_label)
ward_table(table, WARD_TABLE)
approval_queue(actor)
