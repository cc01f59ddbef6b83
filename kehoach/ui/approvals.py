"""Widgets of the approvals page: the queue of new sites and the costs by unit."""

from __future__ import annotations

import streamlit as st

from kehoach.domain.enums import SiteKind
from kehoach.domain.errors import DomainError
from kehoach.domain.permissions import APPROVERS, Actor
from kehoach.i18n import format_local_time, label, t
from kehoach.services import queries
from kehoach.services.sites import decide_approval
from kehoach.ui import clear_read_caches, engine, md, show_error


def money(value: object) -> str:
    """Format an amount in đồng with dots as thousands separators."""
    if value is None or value != value:  # None or NaN
        return "—"
    return f"{int(value):,} đ".replace(",", ".")


def queue(actor: Actor) -> None:
    """List pending sites; leaders approve (optionally with another cost) or reject."""
    pending = queries.pending_sites(engine())
    st.subheader(t("approvals.queue", n=len(pending)), anchor=False)
    if not pending:
        st.caption(t("approvals.empty"))
    for site in pending:
        title = f"{site.code} — {site.name} · {money(site.estimated_cost)}"
        if site.is_demo:
            title += f" ({t('demo.badge')})"
        with st.expander(title):
            st.markdown(
                f"- **{t('card.kind')}:** {label(SiteKind(site.kind))}\n"
                f"- **{t('card.ward')}:** {md(site.ward or '—')} · "
                f"**{t('card.street')}:** {md(site.street or '—')}\n"
                f"- **{t('card.unit')}:** {md(site.unit or '—')}\n"
                f"- **{t('approvals.requested')}:** {format_local_time(site.created_at)} · "
                f"{md(site.created_by or '—')}"
            )
            if actor.role in APPROVERS:
                decision_form(actor, site)


def decision_form(actor: Actor, site: queries.PendingSite) -> None:
    """Show approve / reject with cost and reason for one pending site."""
    with st.form(f"decide-{site.id}"):
        cost = st.number_input(
            t("approvals.cost"), min_value=0, step=500_000, value=int(site.estimated_cost or 0)
        )
        reason = st.text_input(t("approvals.reason"), max_chars=500)
        c1, c2 = st.columns(2)
        approve = c1.form_submit_button(t("approvals.approve"), type="primary")
        reject = c2.form_submit_button(t("approvals.reject"))
    if not (approve or reject):
        return
    try:
        decide_approval(
            engine(), actor, site.id, approve=approve, approved_cost=int(cost), reason=reason
        )
    except DomainError as exc:
        show_error(exc)
        return
    key = "approvals.approved" if approve else "approvals.rejected"
    st.session_state["flash_success"] = t(key, code=site.code)
    clear_read_caches()
    st.rerun()


def costs() -> None:
    """Show estimated and approved costs of new sites summed by unit."""
    st.subheader(t("approvals.costs"), anchor=False)
    frame = queries.costs_by_unit(engine())
    if frame.empty:
        st.caption(t("approvals.no_costs"))
        return
    view = frame.rename(
        columns={
            "unit": t("card.unit"),
            "n": t("approvals.col.n"),
            "pending": t("approvals.col.pending"),
            "estimated": t("approvals.col.estimated"),
            "approved": t("approvals.col.approved"),
        }
    )
    for column in (t("approvals.col.estimated"), t("approvals.col.approved")):
        view[column] = view[column].map(money)
    st.dataframe(view, hide_index=True, use_container_width=True)
    st.metric(t("approvals.total_estimated"), money(frame["estimated"].sum()))
