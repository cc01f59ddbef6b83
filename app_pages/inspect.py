"""Inspection (tablet): where am I, the nearest sites, one tap to pass or a fix with photos."""

import streamlit as st

from kehoach import ui
from kehoach.domain.enums import SiteStatus
from kehoach.domain.errors import DomainError
from kehoach.domain.inspection import InspectionOutcome, UploadedPhoto, recordable_outcomes
from kehoach.domain.permissions import Actor
from kehoach.i18n import format_length, label, t
from kehoach.services import inspections, queries
from kehoach.ui import inspection_widgets as widgets
from kehoach.ui.inspection_widgets import InspectionEntry
from kehoach.ui.location import Where, device_position, where_am_i
from kehoach.ui.offline_pack import offline_pack_panel
from kehoach.ui.photos import inspection_photos, show_photos
from kehoach.ui.queues import fix_todo

FORM_ROUND = "inspect_form_round"
LAST_SAVED = "inspect_last_saved"
PASS = InspectionEntry(InspectionOutcome.PASS, [], "", [], None)


def save(actor: Actor, site_id: int, entry: InspectionEntry) -> None:
    """Record the inspection, remember the confirmation and go back to the list."""
    uploads = [UploadedPhoto(f.getvalue(), f.name) for f in entry.files]
    with st.spinner(t("inspect.saving")):
        try:
            result = inspections.record_inspection(
                ui.engine(),
                actor,
                site_id,
                entry.outcome,
                entry.defects,
                entry.note,
                uploads,
                device_position(),
                flags_hung=entry.flags[0] if entry.flags else None,
                flags_expected=entry.flags[1] if entry.flags else None,
            )
        except DomainError as exc:
            ui.show_error(exc)
            widgets.keep_draft(site_id, entry)  # a retry finds everything entered
            return
    st.session_state.pop(widgets.draft_key(site_id), None)
    message = t(
        "inspect.saved",
        code=ui.md(result.code),
        result=label(entry.outcome),
        n=result.photos,
        status=ui.status_label(result.status),
    )
    if result.distance_m is not None:
        message += " " + t("inspect.saved.distance", d=format_length(result.distance_m))
    st.session_state[LAST_SAVED] = {
        "site_id": result.site_id,
        "inspection_id": result.inspection_id,
        "message": message,
        "warnings": widgets.warning_texts(result),
    }
    st.session_state[FORM_ROUND] = st.session_state.get(FORM_ROUND, 0) + 1
    st.session_state[ui.SELECTED_SITE] = result.site_id
    st.session_state.pop(widgets.TARGET, None)
    st.session_state[widgets.SCROLL_TOP] = True
    ui.clear_read_caches()
    st.rerun()


def last_saved() -> None:
    """Confirm the last save with the photos read back from storage, and its site card."""
    saved = st.session_state.get(LAST_SAVED)
    if not saved:
        return
    st.success(saved["message"])
    for text in saved["warnings"]:
        st.warning(text)
    photos = inspections.site_photos(ui.engine(), saved["site_id"])
    mine = [p for p in photos if p.inspection_id == saved["inspection_id"]]
    show_photos(mine, width=120, captions=False)
    card = queries.load_site_card(ui.engine(), saved["site_id"])
    if card is not None:
        with st.expander(f"{t('inspect.card')}: {ui.md(card.code)}"):
            ui.site_card(card)
            inspection_photos(card.id)


def record_view(actor: Actor, site_id: int, where: Where) -> None:
    """Show the chosen site with the one-tap pass and the detailed form."""
    target = inspections.load_target(ui.engine(), site_id, where.lon, where.lat)
    card = queries.load_site_card(ui.engine(), site_id)
    if target is None or card is None:
        st.warning(t("inspect.not_target"))
        st.button(t("inspect.back"), on_click=widgets.back_to_list, key="inspect-back")
        return
    widgets.site_header(target)
    outcomes = recordable_outcomes(SiteStatus(card.status))
    if read_only:  # the banner above says the campaign has ended
        st.caption(t("campaign_picker.view_only"))
    elif not outcomes:  # said before the inspector fills anything in
        st.warning(t("error.inspection.not_started"))
    else:
        record_controls(actor, card, outcomes)
    with st.expander(t("inspect.card")):
        ui.site_card(card)
        inspection_photos(card.id)


def record_controls(
    actor: Actor, card: queries.SiteCard, outcomes: tuple[InspectionOutcome, ...]
) -> None:
    """Show the one-tap pass and the detailed form for what this site's status allows."""
    site_id = card.id
    if card.status == SiteStatus.INSTALLING:
        st.info(t("inspect.installing_note"))
    if InspectionOutcome.PASS in outcomes and st.button(
        t("inspect.pass_now"),
        type="primary",
        width="stretch",
        key="inspect-pass",
        icon=":material/check_circle:",
    ):
        save(actor, site_id, PASS)
    st.caption(t("inspect.pass_hint"))
    if entry := widgets.inspection_form(card, st.session_state.get(FORM_ROUND, 0), outcomes):
        save(actor, site_id, entry)


actor = ui.require_actor()
# On a tablet the page needs the whole width: the sidebar only holds the sign-out button.
st.set_page_config(initial_sidebar_state="collapsed")
widgets.tablet_style()
st.title(t("inspect.title"), anchor=False)
read_only = ui.closed_banner()
ui.flash_messages()

where = where_am_i()
site_id = st.session_state.get(widgets.TARGET)
if site_id:
    record_view(actor, site_id, where)
else:
    last_saved()
    widgets.site_list(where)
fix_todo(actor)
offline_pack_panel(actor, where)
