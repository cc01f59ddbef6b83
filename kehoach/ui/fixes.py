"""Widgets of the fix to-do: sites needing a fix by responsible unit; editors mark them fixed."""

from __future__ import annotations

import streamlit as st

from kehoach.domain.errors import DomainError
from kehoach.domain.inspection import Defect
from kehoach.domain.permissions import Actor, may_edit_site
from kehoach.i18n import format_local_time, label, t
from kehoach.services import inspections
from kehoach.services.inspections import FixItem
from kehoach.services.sites import SiteChanges, update_site
from kehoach.ui import clear_read_caches, engine, md


def _mark_fixed(actor: Actor, item: FixItem) -> None:
    try:
        update_site(
            engine(), actor, item.site_id, item.version, SiteChanges({"status": "installed"})
        )
    except DomainError as exc:
        st.session_state["flash_error"] = t(exc.code, **exc.params)
    else:
        st.session_state["flash_success"] = t("fixes.fixed", code=item.code)
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
    groups = inspections.fix_todo(engine())
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
                    if may_edit_site(actor, item.ward_id):
                        st.button(
                            t("fixes.mark_fixed"),
                            key=f"fixed-{item.site_id}",
                            on_click=_mark_fixed,
                            args=(actor, item),
                        )
