"""Leader's home: KPI and coverage tiles, the coverage map, the ward table, the approval queue."""

import streamlit as st

from kehoach import ui
from kehoach.domain.sites import compute_kpis
from kehoach.i18n import t
from kehoach.services import progress
from kehoach.ui import approvals, leader

actor = ui.require_actor()
st.title(t("leader.title"), anchor=False)
st.caption(t("app.subtitle"))
ui.flash_messages()

sites = ui.sites_table()
kpis = compute_kpis(sites)
if sites.empty:
    st.info(f"**{t('home.empty.title')}**\n\n{t('home.empty.body')}")
elif kpis.demo:
    st.warning(t("demo.banner", n=kpis.demo))
ui.kpi_tiles(kpis)
report = leader.measure(sites)
leader.coverage_tiles(report)

month = leader.chosen_month()
table = progress.ward_progress(ui.engine(), month, coverage=report)
st.subheader(t("leader.map"), anchor=False)
leader.coverage_map(report, sites, leader.selected_ward(table))
leader.ward_heading(month)
leader.ward_table(table)
approvals.queue(actor)
