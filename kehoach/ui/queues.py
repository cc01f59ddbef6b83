"""Work queues shown on several pages: new sites awaiting approval, sites awaiting a fix."""

from __future__ import annotations

import streamlit as st

from kehoach.domain.enums import SiteKind
from kehoach.domain.errors import DomainError, ReasonRequired
from kehoach.domain.inspection import Defect
from kehoach.domain.permissions import APPROVERS, Actor, may_edit_site
from kehoach.i18n import format_local_time, format_money, label, t
from kehoach.services import inspections, queries
from kehoach.services.inspections import FixItem
from kehoach.services.sites import SiteChanges, decide_approval, update_site
from kehoach.ui import (
    campaign_closed,
    clear_read_caches,
    current_campaign_id,
    engine,
    error_text,
    md,
    show_error,
)

# --- Approvals --------------------------------------------------------------------------------


def approval_queue(actor: Actor) -> None:
    """List pending sites; leaders approve (optionally with another cost) or reject."""
    pending = queries.pending_sites(engine(), current_campaign_id())
    closed = campaign_closed()
    st.subheader(t("approvals.queue", n=len(pending)), anchor=False)
    if not pending:
        st.caption(t("approvals.empty"))
    for site in pending:
        title = f"{md(site.code)} — {md(site.name)} · {format_money(site.estimated_cost)}"
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
            if actor.role in APPROVERS and not closed:
                decision_form(actor, site)


def decision_form(actor: Actor, site: queries.PendingSite) -> None:
    """Show approve / reject with cost and reason for one pending site."""
    missing_reason = f"decide-{site.id}-missing-reason"
    with st.form(f"decide-{site.id}", enter_to_submit=False):
        cost = st.number_input(
            t("approvals.cost"), min_value=0, step=500_000, value=int(site.estimated_cost or 0)
        )
        reason = st.text_input(t("approvals.reason"), max_chars=500)
        if st.session_state.pop(missing_reason, False):
            st.error(t(ReasonRequired.code))  # next to the field it asks for
        c1, c2 = st.columns(2)
        approve = c1.form_submit_button(t("approvals.approve"), type="primary")
        reject = c2.form_submit_button(t("approvals.reject"))
    if not (approve or reject):
        return
    try:
        decide_approval(
            engine(), actor, site.id, approve=approve, approved_cost=int(cost), reason=reason
        )
    except ReasonRequired:
        st.session_state[missing_reason] = True
        st.rerun()
    except DomainError as exc:
        show_error(exc)
        return
    key = "approvals.approved" if approve else "approvals.rejected"
    st.session_state["flash_success"] = t(key, code=md(site.code))
    clear_read_caches()
    st.rerun()


# --- Fixes ------------------------------------------------------------------------------------


def _mark_fixed(actor: Actor, item: FixItem) -> None:
    try:
        update_site(
            engine(), actor, item.site_id, item.version, SiteChanges({"status": "installed"})
        )
    except DomainError as exc:
        st.session_state["flash_error"] = error_text(exc)
    else:
        st.session_state["flash_success"] = t("fixes.fixed", code=md(item.code))
        clear_read_caches()


def _fix_line(item: FixItem) -> str:
    where = ", ".join(md(p) for p in (item.address, item.street, item.ward) if p)
    defects = ", ".join(
        md(label(Defect(d))) for d in item.defects if d in Defect._value2member_map_
    )
    line = f"**{md(item.code)}** — {md(item.name)}"
    line += f"  \n{where}" if where else ""
    line += f"  \n:red-badge[{defects}]" if defects else ""
    line += "  \n" + md(
        t("fixes.since", time=format_local_time(item.since), who=item.inspector or "—")
    )
    if item.note:
        line += f"  \n_{md(item.note)}_"
    return line


def fix_todo(actor: Actor, expanded: bool = False) -> None:
    """List the sites needing a fix by responsible unit; editors can mark one fixed."""
    groups = inspections.fix_todo(engine(), current_campaign_id())
    closed = campaign_closed()
    total = sum(len(g.items) for g in groups)
    with st.expander(f"{t('fixes.title')} ({total})", expanded=expanded):
        if not groups:
            st.caption(t("fixes.none"))
            return
        st.caption(t("fixes.count", n=total))
        for group in groups:
            st.markdown(f"#### {md(group.unit or t('fixes.unassigned'))} ({len(group.items)})")
            for item in group.items:
                with st.container(border=True):
                    st.markdown(_fix_line(item))
                    if may_edit_site(actor, item.ward_id) and not closed:
                        st.button(
                            t("fixes.mark_fixed"),
                            key=f"fixed-{item.site_id}",
                            on_click=_mark_fixed,
                            args=(actor, item),
                        )
