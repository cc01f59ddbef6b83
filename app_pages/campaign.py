"""Campaign (admins): the flag-hanging window of the district's notice, flags hung by ward."""

import pandas as pd
import streamlit as st

from kehoach import ui
from kehoach.domain.errors import DomainError
from kehoach.i18n import format_date, t
from kehoach.services import inspections
from kehoach.ui.formats import percent

actor = ui.require_actor()
st.title(t("campaign.title"), anchor=False)
ui.flash_messages()

campaign = inspections.load_campaign(ui.engine())
st.caption(t("campaign.hint"))
if campaign.flag_start and campaign.flag_end:
    window = {"start": format_date(campaign.flag_start), "end": format_date(campaign.flag_end)}
    st.info(t("campaign.current", **window))
else:
    st.info(t("campaign.none"))
if campaign.start and campaign.end:
    period = {"start": format_date(campaign.start), "end": format_date(campaign.end)}
    st.caption(t("campaign.period", **period))

with st.form("flag-window", enter_to_submit=False):
    left, right = st.columns(2)
    start = left.date_input(t("campaign.start"), value=campaign.flag_start, format="DD/MM/YYYY")
    end = right.date_input(t("campaign.end"), value=campaign.flag_end, format="DD/MM/YYYY")
    clear = st.checkbox(t("campaign.clear"))
    submitted = st.form_submit_button(t("campaign.save"), type="primary")
if submitted:
    start, end = (None, None) if clear else (start, end)
    try:
        inspections.set_flag_window(ui.engine(), actor, start, end)  # type: ignore[arg-type]
    except DomainError as exc:
        ui.show_error(exc)
    else:
        if start is None:
            st.session_state["flash_success"] = t("campaign.cleared")
        else:
            saved = {"start": format_date(start), "end": format_date(end)}  # type: ignore[arg-type]
            st.session_state["flash_success"] = t("campaign.saved", **saved)
        st.rerun()

st.subheader(t("campaign.rates"), anchor=False)
names = ui.ward_names()
rates = inspections.ward_flag_rates(ui.engine())
rows = [
    {
        t("campaign.col.ward"): names.get(ward_id, str(ward_id)),
        t("campaign.col.hung"): hung,
        t("campaign.col.expected"): expected,
        t("campaign.col.rate"): percent(hung / expected if expected else None),
    }
    for ward_id, (hung, expected) in rates.items()
]
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
