"""Campaign (staff, admins): its state, opening and closing it, its flag windows, a new one."""

import pandas as pd
import streamlit as st

from kehoach import ui
from kehoach.domain.campaigns import FlagTarget
from kehoach.domain.errors import DomainError
from kehoach.i18n import format_date, format_percent, label, t
from kehoach.services import campaigns, inspections
from kehoach.ui import campaign_widgets as widgets
from kehoach.ui.formats import with_dashes

actor = ui.require_actor()
st.title(t("campaign.title"), anchor=False)
read_only = ui.closed_banner()
ui.flash_messages()

campaign = ui.current_campaign()
if campaign is None:
    st.info(t("app.no_campaign"))
    st.stop()
widgets.lifecycle(actor, campaign)
st.caption(t("campaign.hint"))

st.subheader(t("campaign.windows", name=ui.md(campaign.name)), anchor=False)
if not campaign.windows:
    st.info(t("campaign.none"))
may_edit_windows = actor.role in campaigns.WINDOW_EDITORS and not read_only
for window in campaign.windows:
    left, right = st.columns([5, 1])
    targets = ", ".join(label(target) for target in window.applies_to)
    left.write(t("campaign.window_row", start=format_date(window.start),
                 end=format_date(window.end), targets=targets))  # fmt: skip
    if may_edit_windows and right.button(
        t("campaign.remove_window"), key=f"remove-window-{window.id}"
    ):
        try:
            campaigns.remove_flag_window(ui.engine(), actor, window.id)
        except DomainError as exc:
            ui.show_error(exc)
        else:
            st.session_state["flash_success"] = t("campaign.window_removed")
            st.rerun()

if may_edit_windows:
    with st.form("flag-window", enter_to_submit=False):
        left, right = st.columns(2)
        start = left.date_input(t("campaign.start"), value=None, format="DD/MM/YYYY")
        end = right.date_input(t("campaign.end"), value=None, format="DD/MM/YYYY")
        applies_to = st.multiselect(
            t("campaign.applies_to"), list(FlagTarget), default=list(FlagTarget), format_func=label
        )
        submitted = st.form_submit_button(t("campaign.add_window"), type="primary")
    if submitted:
        try:
            campaigns.add_flag_window(ui.engine(), actor, start, end, applies_to, campaign.id)
        except DomainError as exc:
            ui.show_error(exc)
        else:
            saved = {"start": format_date(start), "end": format_date(end)}
            st.session_state["flash_success"] = t("campaign.window_added", **saved)
            st.rerun()

st.subheader(t("campaign.rates"), anchor=False)
names = ui.ward_names()
rates = inspections.ward_flag_rates(ui.engine(), campaign.id)
rows = [
    {
        t("campaign.col.ward"): names.get(ward_id, str(ward_id)),
        t("campaign.col.hung"): hung,
        t("campaign.col.expected"): expected,
        t("campaign.col.rate"): format_percent(hung / expected if expected else None),
    }
    for ward_id, (hung, expected) in rates.items()
]
st.dataframe(with_dashes(pd.DataFrame(rows)), hide_index=True, width="stretch")

listed = campaigns.list_campaigns(ui.engine())
st.subheader(t("campaign.list"), anchor=False)
widgets.campaign_list(listed)
with st.expander(t("campaign.new.title")):
    widgets.start_form(actor, listed, campaign)
