"""Widgets of the campaign page: the flag-hanging window (admins) and flags hung by ward."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kehoach.domain.errors import DomainError
from kehoach.domain.permissions import Actor
from kehoach.i18n import format_date, t
from kehoach.services import inspections
from kehoach.ui import engine, show_error, ward_names


def window_form(actor: Actor) -> None:
    """Show the current flag-hanging window and a form to change or clear it."""
    campaign = inspections.load_campaign(engine())
    st.caption(t("campaign.hint"))
    if campaign.flag_start and campaign.flag_end:
        st.info(
            t(
                "campaign.current",
                start=format_date(campaign.flag_start),
                end=format_date(campaign.flag_end),
            )
        )
    else:
        st.info(t("campaign.none"))
    if campaign.start and campaign.end:
        st.caption(
            t("campaign.period", start=format_date(campaign.start), end=format_date(campaign.end))
        )
    with st.form("flag-window"):
        left, right = st.columns(2)
        start = left.date_input(t("campaign.start"), value=campaign.flag_start, format="DD/MM/YYYY")
        end = right.date_input(t("campaign.end"), value=campaign.flag_end, format="DD/MM/YYYY")
        clear = st.checkbox(t("campaign.clear"))
        submitted = st.form_submit_button(t("campaign.save"), type="primary")
    if not submitted:
        return
    start, end = (None, None) if clear else (start, end)
    try:
        inspections.set_flag_window(engine(), actor, start, end)  # type: ignore[arg-type]
    except DomainError as exc:
        show_error(exc)
        return
    if start is None:
        st.session_state["flash_success"] = t("campaign.cleared")
    else:
        st.session_state["flash_success"] = t(
            "campaign.saved",
            start=format_date(start),
            end=format_date(end),  # type: ignore[arg-type]
        )
    st.rerun()


def ward_flags_table() -> None:
    """Show flags hung / expected per ward, from the sites."""
    st.subheader(t("campaign.rates"), anchor=False)
    names = ward_names()
    rows = [
        {
            t("campaign.col.ward"): names.get(ward_id, str(ward_id)),
            t("campaign.col.hung"): hung,
            t("campaign.col.expected"): expected,
            t("campaign.col.rate"): f"{hung / expected:.0%}" if expected else "—",
        }
        for ward_id, (hung, expected) in inspections.ward_flag_rates(engine()).items()
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
