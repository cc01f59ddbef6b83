"""The costs section: estimated, approved and spent by unit and by funding source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kehoach.domain.enums import FundingSource
from kehoach.domain.errors import DomainError
from kehoach.domain.permissions import COST_COMMENTERS, COST_READERS, Actor
from kehoach.i18n import format_money, label, t
from kehoach.services import costs
from kehoach.ui import current_campaign_id, engine, show_error
from kehoach.ui.formats import with_dashes

COLUMNS = {
    "n": "costs.col.n",
    "estimated": "costs.col.estimated",
    "approved": "costs.col.approved",
    "spent": "costs.col.spent",
}


def source_label(value: object) -> str:
    """Return the Vietnamese name of a funding source value ("—": not said)."""
    try:
        return label(FundingSource(str(value)))
    except ValueError:
        return t("funding.none")


def _table(frame: pd.DataFrame, group: str, names: object = None) -> None:
    view = frame[[group, *COLUMNS]].copy()
    if callable(names):
        view[group] = view[group].map(names)
    for column in ("estimated", "approved", "spent"):
        view[column] = view[column].map(format_money)
    names_of = {group: t("costs.col.group"), **{k: t(v) for k, v in COLUMNS.items()}}
    view = view.rename(columns=names_of)
    st.dataframe(with_dashes(view), hide_index=True, width="stretch")


def costs_section(actor: Actor) -> None:
    """Show costs per unit and per funding source; rejected items apart; comment form."""
    if actor.role not in COST_READERS:
        return
    st.subheader(t("costs.title"), anchor=False)
    overview = costs.costs_overview(engine(), actor, current_campaign_id())
    if overview.by_unit.empty:
        st.caption(t("costs.none"))
        return
    tiles = st.columns(3)
    for tile, column in zip(tiles, ("estimated", "approved", "spent"), strict=True):
        tile.metric(t(COLUMNS[column]), format_money(overview.total(column)))
    st.markdown(f"**{t('costs.by_unit')}**")
    _table(overview.by_unit, "unit")
    st.markdown(f"**{t('costs.by_source')}**")
    _table(overview.by_source, "source", source_label)
    if overview.rejected:
        amount = format_money(overview.rejected_estimated)
        st.caption(t("costs.rejected", n=overview.rejected, amount=amount))
    if actor.role in COST_COMMENTERS:
        comment_form(actor)


def comment_form(actor: Actor) -> None:
    """Let Finance-Planning comment on one new site's cost (kept in the site's history)."""
    sites = costs.new_site_options(engine(), current_campaign_id())
    if not sites:
        return
    with st.form("cost-comment", enter_to_submit=False):
        site_id = st.selectbox(t("home.card.title"), list(sites), format_func=sites.__getitem__)
        text = st.text_area(t("costs.comment"), max_chars=costs.MAX_COMMENT)
        sent = st.form_submit_button(t("costs.comment"), type="primary")
    if sent:
        try:
            costs.comment_on_costs(engine(), actor, int(site_id), text)
        except DomainError as exc:
            show_error(exc)
        else:
            st.session_state["flash_success"] = t("costs.comment_saved")
            st.rerun()
