"""Widgets of the campaign page: its state and the buttons that move it, the list, a new one."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from kehoach.domain.campaigns import CampaignState
from kehoach.domain.enums import SiteKind
from kehoach.domain.errors import DomainError
from kehoach.domain.permissions import Actor
from kehoach.i18n import format_date, label, t
from kehoach.services import campaigns, geography
from kehoach.services.campaign_start import CopyFilters, start_campaign
from kehoach.services.campaigns import CampaignInfo
from kehoach.ui import clear_read_caches, engine, md, show_error, street_names
from kehoach.ui.campaign_picker import CAMPAIGN, PARAM, campaign_label

COPY_SCOPES = ("all", "ward", "street", "kind")


def _done(message: str, campaign_id: int | None = None) -> None:
    if campaign_id is not None:  # show the campaign just started on every page
        st.session_state[CAMPAIGN] = campaign_id
        st.query_params[PARAM] = str(campaign_id)
    st.session_state["flash_success"] = message
    clear_read_caches()
    st.rerun()


def lifecycle(actor: Actor, campaign: CampaignInfo) -> None:
    """Show the chosen campaign's state with the step it can take: open or close."""
    period = {"start": format_date(campaign.start), "end": format_date(campaign.end)}
    st.markdown(t("campaign.state_line", name=md(campaign.name), state=label(campaign.state),
                  **period))  # fmt: skip
    if campaign.closed:
        return
    left, right = st.columns(2)
    if campaign.state == CampaignState.PREPARING and left.button(
        t("campaign.open"), type="primary", key="campaign-open"
    ):
        try:
            campaigns.open_campaign(engine(), actor, campaign.id)
        except DomainError as exc:
            show_error(exc)
        else:
            _done(t("campaign.opened", name=md(campaign.name)))
    with right.popover(t("campaign.close")):
        st.caption(t("campaign.close_hint"))
        if st.button(t("campaign.close_confirm"), type="primary", key="campaign-close"):
            try:
                campaigns.close_campaign(engine(), actor, campaign.id)
            except DomainError as exc:
                show_error(exc)
            else:
                _done(t("campaign.closed_done", name=md(campaign.name)))


def campaign_list(listed: list[CampaignInfo]) -> None:
    """Show every campaign with its occasion, state and period, newest first."""
    st.dataframe(
        pd.DataFrame(
            {
                t("campaign.col.name"): [c.name for c in listed],
                t("campaign.col.occasion"): [c.title for c in listed],
                t("campaign.col.state"): [label(c.state) for c in listed],
                t("campaign.col.start"): [format_date(c.start) for c in listed],
                t("campaign.col.end"): [format_date(c.end) for c in listed],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def _copy_filters(scope: str) -> CopyFilters:
    """Ask for the ward, street or kind the copy is limited to (inside the form)."""
    if scope == "ward":
        wards = {code: name for _id, code, name, *_ in geography.street_layout(engine()).wards}
        code = st.selectbox(t("campaign.new.ward"), list(wards), format_func=wards.__getitem__)
        return CopyFilters(ward_code=code)
    if scope == "street":
        streets = list(street_names().values())
        return CopyFilters(street_name=st.selectbox(t("campaign.new.street"), streets))
    if scope == "kind":
        return CopyFilters(kind=st.selectbox(t("campaign.new.kind"), list(SiteKind),
                                             format_func=label))  # fmt: skip
    return CopyFilters()


def _plan_file(upload: UploadedFile, folder: str) -> Path:
    """Write an uploaded plan where the plan parser reads it (it goes by the suffix)."""
    path = Path(folder) / (Path(upload.name).name or "plan.txt")  # the plan keeps its name
    path.write_bytes(upload.getvalue())
    return path


def start_form(actor: Actor, listed: list[CampaignInfo], chosen: CampaignInfo) -> None:
    """Start a campaign from the chosen one's plan or an uploaded one, copying sites forward."""
    sources = {c.id: campaign_label(c) for c in listed}
    scope = st.radio(t("campaign.new.scope"), COPY_SCOPES, horizontal=True,
                     format_func=lambda s: t(f"campaign.new.scope.{s}"), key="campaign-new-scope")
    with st.form("campaign-new", enter_to_submit=False):
        upload = st.file_uploader(t("campaign.new.plan"), type=["txt", "docx"],
                                  key="campaign-new-plan")  # fmt: skip
        st.caption(t("campaign.new.plan_hint", plan=md(chosen.plan_number or chosen.title)))
        name = st.text_input(t("campaign.new.name"), max_chars=200)
        occasion = st.text_input(t("campaign.new.occasion"), max_chars=300)
        left, right = st.columns(2)
        start = left.date_input(t("campaign.new.start"), value=None, format="DD/MM/YYYY")
        end = right.date_input(t("campaign.new.end"), value=None, format="DD/MM/YYYY")
        source = st.selectbox(t("campaign.new.copy_from"), [None, *sources],
                              format_func=lambda i: sources.get(i, t("campaign.new.no_copy")),
                              index=1 + list(sources).index(chosen.id))  # fmt: skip
        filters = _copy_filters(scope)
        submitted = st.form_submit_button(t("campaign.new.submit"), type="primary")
    if not submitted:
        return
    with tempfile.TemporaryDirectory() as folder:
        try:
            started = start_campaign(
                engine(), actor, name or None,
                plan_file=_plan_file(upload, folder) if upload is not None else None,
                plan_id=None if upload is not None else chosen.plan_id,
                occasion=occasion or None, start=start, end=end, copy_from=source,
                filters=filters if source is not None else CopyFilters(),
            )  # fmt: skip
        except DomainError as exc:
            show_error(exc)
            return
    message = t("campaign.new.done", name=md(started.campaign.name), n=started.copied)
    _done(message, started.campaign.id)
