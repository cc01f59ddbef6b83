"""The site card's edit form: loads the version it shows and saves against it."""

from __future__ import annotations

from datetime import date

import streamlit as st

from kehoach.domain.costs import WORK_STATUSES
from kehoach.domain.enums import Approval, FundingSource, SiteStatus, can_transition
from kehoach.domain.errors import DomainError, VersionConflict
from kehoach.domain.permissions import Actor
from kehoach.i18n import label, t
from kehoach.services import queries
from kehoach.services.sites import SiteChanges, update_site
from kehoach.ui import clear_read_caches, engine, error_text, md, show_error

NONE = -1


def _seen_key(site_id: int) -> str:
    return f"seen_version_{site_id}"


def _prefix(site_id: int, version: int) -> str:
    return f"edit-{site_id}-{version}"


def _seen_version(card: queries.SiteCard) -> int:
    """Return the version the form on screen was filled from.

    Streamlit drops a widget's state after a run that did not show it. So while the form's
    widgets are still in the session, the user is editing what they were filled with and the
    remembered version stands; once they are gone (the card was left, another site or page
    shown), the form is filled afresh from ``card`` and stands for ``card.version``.
    """
    seen = st.session_state.get(_seen_key(card.id))
    if seen is None or f"{_prefix(card.id, seen)}-status" not in st.session_state:
        seen = st.session_state[_seen_key(card.id)] = card.version
    return int(seen)


def _cost_fields(card: queries.SiteCard, prefix: str) -> dict[str, object]:
    """Show a new site's funding source and actual spend; return them as changes."""
    sources = [NONE, *(s.value for s in FundingSource)]
    f1, f2 = st.columns(2)
    source = f1.selectbox(
        t("card.funding"),
        sources,
        index=sources.index(card.funding_source) if card.funding_source in sources else 0,
        format_func=lambda v: t("funding.none") if v == NONE else label(FundingSource(v)),
        key=f"{prefix}-fs",
    )
    spent = f2.number_input(
        t("card.actual_cost"), min_value=0, step=100_000, value=card.actual_cost,
        key=f"{prefix}-ac",
    )  # fmt: skip
    return {
        "funding_source": None if source == NONE else source,
        "actual_cost": None if spent is None else int(spent),
    }


def next_statuses(card: queries.SiteCard) -> list[SiteStatus]:
    """Return the statuses ``card`` may move to next, in the order of the status list."""
    current = SiteStatus(card.status)
    return [s for s in SiteStatus if s != current and can_transition(current, s)]


def status_buttons(actor: Actor, card: queries.SiteCard) -> None:
    """Offer each allowed next status as one tap that saves it against the card's version."""
    choices = next_statuses(card)
    if not choices:
        return
    st.caption(t("form.quick_status"))
    columns = st.columns(len(choices))
    for column, status in zip(columns, choices, strict=True):
        if column.button(
            label(status),
            key=f"quick-{card.id}-{card.version}-{status.value}",
            width="stretch",
        ):
            _save(actor, card, card.version, {"status": status.value})


def _save(actor: Actor, card: queries.SiteCard, seen: int, values: dict[str, object]) -> None:
    """Save ``values`` against version ``seen``; rerun with a message either way."""
    try:
        new_version = update_site(engine(), actor, card.id, seen, SiteChanges(values))
    except VersionConflict as exc:
        # Reload: new widget keys pick up the current values from the database.
        st.session_state[_seen_key(card.id)] = int(str(exc.params.get("version", card.version)))
        st.session_state[f"conflict_msg_{card.id}"] = error_text(exc)
        clear_read_caches()
        st.rerun()
    except DomainError as exc:
        show_error(exc)
    else:
        st.session_state[_seen_key(card.id)] = new_version
        st.session_state["flash_success"] = t("form.saved", code=md(card.code))
        clear_read_caches()
        st.rerun()


def edit_form(actor: Actor, card: queries.SiteCard) -> None:
    """Show the edit form of ``card`` and save it against the version it was loaded at."""
    # The version the form was loaded at; a save from it is refused if the site moved on.
    seen = _seen_version(card)
    if message := st.session_state.pop(f"conflict_msg_{card.id}", None):
        st.error(message)
    units, tasks = queries.unit_and_task_options(engine(), card.campaign_id)
    statuses = [s.value for s in SiteStatus if can_transition(SiteStatus(card.status), s)]
    if card.approval != Approval.APPROVED.value:  # not installed before a leader approves
        statuses = [s for s in statuses if s == card.status or s not in WORK_STATUSES]
    prefix = _prefix(card.id, seen)
    with st.form(prefix, enter_to_submit=False):
        status = st.selectbox(
            t("card.status"),
            statuses,
            index=statuses.index(card.status),
            format_func=lambda v: label(SiteStatus(v)),
            key=f"{prefix}-status",
        )
        c1, c2 = st.columns(2)
        expected = c1.number_input(
            t("form.flags_expected"),
            min_value=0,
            step=1,
            value=card.flags_expected,
            key=f"{prefix}-fe",
        )
        hung = c2.number_input(
            t("form.flags_hung"), min_value=0, step=1, value=card.flags_hung, key=f"{prefix}-fh"
        )
        quantity = st.number_input(
            t("card.quantity"), min_value=0, step=1, value=card.quantity, key=f"{prefix}-q"
        )
        content = st.text_area(
            t("card.content"), value=card.content, key=f"{prefix}-c", max_chars=2000
        )
        unit_ids = [NONE, *units]
        unit_id = st.selectbox(
            t("card.unit"),
            unit_ids,
            index=unit_ids.index(card.unit_id) if card.unit_id in units else 0,
            format_func=lambda i: units.get(i, "—"),
            key=f"{prefix}-u",
        )
        task_ids = [NONE, *tasks]
        task_id = st.selectbox(
            t("card.task"),
            task_ids,
            index=task_ids.index(card.task_id) if card.task_id in tasks else 0,
            format_func=lambda i: tasks.get(i, "—"),
            key=f"{prefix}-t",
        )
        # One date a row: the card's column is narrow, and "dd/mm/yyyy" must read in full.
        planned = st.date_input(
            t("card.planned_on"), value=card.planned_on, format="DD/MM/YYYY", key=f"{prefix}-pd"
        )
        done = st.date_input(
            t("card.done_on"), value=card.done_on, format="DD/MM/YYYY", key=f"{prefix}-dd"
        )
        note = st.text_area(t("card.note"), value=card.note, key=f"{prefix}-n", max_chars=2000)
        money = _cost_fields(card, prefix) if card.is_new else {}
        submitted = st.form_submit_button(t("form.save"), type="primary")
    if not submitted:
        return
    values: dict[str, object] = {
        "status": status,
        "flags_expected": int(expected),
        "flags_hung": int(hung),
        "quantity": int(quantity),
        "content": content,
        "note": note,
        "unit_id": None if unit_id == NONE else unit_id,
        "task_id": None if task_id == NONE else task_id,
        "planned_on": planned if isinstance(planned, date) else None,
        "done_on": done if isinstance(done, date) else None,
        **money,
    }
    _save(actor, card, seen, values)
