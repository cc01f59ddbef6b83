"""Approvals: new sites waiting for a leader, and their costs by responsible unit."""

import streamlit as st

from kehoach import ui
from kehoach.i18n import t
from kehoach.services import queries
from kehoach.ui.formats import money
from kehoach.ui.queues import approval_queue

COST_COLUMNS = {
    "unit": "card.unit",
    "n": "approvals.col.n",
    "pending": "approvals.col.pending",
    "estimated": "approvals.col.estimated",
    "approved": "approvals.col.approved",
}

actor = ui.require_actor()
st.title(t("approvals.title"), anchor=False)
ui.closed_banner()
ui.flash_messages()
approval_queue(actor)

st.subheader(t("approvals.costs"), anchor=False)
costs = queries.costs_by_unit(ui.engine(), campaign_id=ui.current_campaign_id())
if costs.empty:
    st.caption(t("approvals.no_costs"))
    st.stop()
view = costs.rename(columns={column: t(key) for column, key in COST_COLUMNS.items()})
for column in (t("approvals.col.estimated"), t("approvals.col.approved")):
    view[column] = view[column].map(money)
st.dataframe(view, hide_index=True, use_container_width=True)
st.metric(t("approvals.total_estimated"), money(costs["estimated"].sum()))
