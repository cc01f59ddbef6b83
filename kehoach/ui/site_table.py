"""Widgets of the sites page: filters, the table, bulk edits, import and export."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kehoach.domain.enums import SiteKind, SiteStatus
from kehoach.domain.errors import DomainError
from kehoach.domain.permissions import Actor
from kehoach.domain.sites import filter_sites
from kehoach.i18n import label, t
from kehoach.services import queries
from kehoach.services.sites import SiteChanges, bulk_update
from kehoach.ui import (
    FOCUS_SITE,
    SELECTED_SITE,
    clear_read_caches,
    current_campaign_id,
    engine,
    show_error,
    sites_table,
    street_names,
    ward_names,
)
from kehoach.ui.formats import with_dashes
from kehoach.ui.view_state import filter_widgets, whole_district_button

NONE = -1


def _table() -> pd.DataFrame:
    """Return the cached site list by code, with ward, street and unit names."""
    units, _ = queries.unit_and_task_options(engine(), current_campaign_id())
    sites = sites_table().sort_values("code", ignore_index=True)
    return sites.assign(
        ward=sites["ward_id"].map(ward_names()),
        street=sites["street_id"].map(street_names()),
        unit=sites["unit_id"].map(units),
    )


def filtered_table(actor: Actor) -> pd.DataFrame:
    """Show the filters (shared with the map, kept in the URL); return the matching rows."""
    choice = filter_widgets(actor)
    whole_district_button(choice)
    return filter_sites(_table(), choice)


def show_table(table: pd.DataFrame) -> list[int]:
    """Show the sortable table with row selection; return the selected site ids."""
    view = pd.DataFrame(
        {
            t("card.code"): table["code"],
            t("sites.col.name"): table["name"],
            t("card.ward"): table["ward"],
            t("card.street"): table["street"],
            t("card.kind"): table["kind"].map(lambda v: label(SiteKind(v))),
            t("card.status"): table["status"].map(lambda v: label(SiteStatus(v))),
            t("card.unit"): table["unit"],
            t("card.flags"): table["flags_hung"].astype(str)
            + " / "
            + table["flags_expected"].astype(str),
            t("sites.col.demo"): table["is_demo"].map(lambda d: t("demo.badge") if d else ""),
        }
    )
    st.caption(t("sites.count", n=len(table)))
    # Fits a 1366 px screen with the sidebar open: fixed widths, status early, no demo
    # column when no site is a demo (most campaigns).
    if not table["is_demo"].any():
        view = view.drop(columns=[t("sites.col.demo")])
    widths = {
        t("card.code"): 80,
        t("sites.col.name"): 170,
        t("card.status"): 110,
        t("card.ward"): 100,
        t("card.street"): 130,
        t("card.kind"): 90,
        t("card.unit"): 100,
        t("card.flags"): 60,
        t("sites.col.demo"): 60,
    }
    view = view[[c for c in widths if c in view.columns]]
    event = st.dataframe(
        with_dashes(view),
        hide_index=True,
        width="stretch",
        column_config={name: st.column_config.Column(width=w) for name, w in widths.items()},
        height=460,
        on_select="rerun",
        selection_mode="multi-row",
        key="sites-table",
    )
    rows = event.selection.rows if event else []
    return [int(table.iloc[r]["id"]) for r in rows]


def focus_button(selected_ids: list[int]) -> None:
    """Offer to open the first selected site on the map."""
    if selected_ids and st.button(t("sites.focus"), key="sites-focus"):
        st.session_state[SELECTED_SITE] = selected_ids[0]
        st.session_state[FOCUS_SITE] = selected_ids[0]
        st.switch_page("app_pages/home.py")


def bulk_form(actor: Actor, selected_ids: list[int], table: pd.DataFrame) -> None:
    """Change status or unit of the selected (or all filtered) sites in one action."""
    units, _ = queries.unit_and_task_options(engine(), current_campaign_id())
    with st.expander(t("sites.bulk.title")), st.form("bulk", enter_to_submit=False):
        scope = st.radio(
            t("sites.bulk.scope"),
            ["selected", "filtered"],
            horizontal=True,
            format_func=lambda v: t(
                f"sites.bulk.{v}", n=len(selected_ids) if v == "selected" else len(table)
            ),
        )
        status = st.selectbox(
            t("card.status"),
            [None, *[s.value for s in SiteStatus]],
            format_func=lambda v: t("sites.bulk.keep") if v is None else label(SiteStatus(v)),
        )
        unit = st.selectbox(
            t("card.unit"),
            [None, *units],
            format_func=lambda v: t("sites.bulk.keep") if v is None else units[v],
        )
        if not st.form_submit_button(t("sites.bulk.apply"), type="primary"):
            return
    ids = selected_ids if scope == "selected" else [int(i) for i in table["id"]]
    pairs = (("status", status), ("unit_id", unit))
    values: dict[str, object] = {k: v for k, v in pairs if v is not None}
    if not values:
        st.warning(t("sites.bulk.nothing"))
        return
    try:
        result = bulk_update(engine(), actor, ids, SiteChanges(values))
    except DomainError as exc:
        show_error(exc)
        return
    st.session_state["flash_success"] = t("sites.bulk.done", n=result.changed)
    clear_read_caches()
    st.rerun()


def import_section(actor: Actor) -> None:
    """Upload the summary table, preview it and import all rows or none (issue 3)."""
    from kehoach.ui.site_import import import_widget

    import_widget(actor, on_done=clear_read_caches)


def export_section(actor: Actor) -> None:
    """Offer the template and the current sites as downloads (built when clicked)."""
    from kehoach.ui.site_import import export_widget

    export_widget(actor)
