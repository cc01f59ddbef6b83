"""The campaign every page works on: a sidebar picker kept in session state and in the URL.

app.py calls ``campaign_picker`` once per run after sign-in; pages and widgets pass
``current_campaign_id()`` to every campaign-aware service. A link carrying ``?dot=<id>``
opens that campaign; without one the session's choice holds, else the newest running one.
"""

from __future__ import annotations

import streamlit as st

from kehoach.domain.errors import NotFound
from kehoach.escape import escape_markdown
from kehoach.i18n import format_date, label, t
from kehoach.services import campaigns
from kehoach.services.campaigns import CampaignInfo
from kehoach.ui import engine

CAMPAIGN = "campaign_id"  # session-state key: the chosen campaign's id
PICKER = "campaign-picker"  # the sidebar widget's own key
PARAM = "dot"  # query-string parameter (đợt = campaign)
# Per-campaign selections that would point into another campaign's deployments.
CAMPAIGN_BOUND_KEYS = ("selected_site_id", "focus_site_id")


def _as_id(raw: object) -> int | None:
    try:
        return int(str(raw))
    except ValueError:
        return None


def _exists(campaign_id: int | None) -> bool:
    if campaign_id is None:
        return False
    try:
        campaigns.resolve_campaign(engine(), campaign_id)
    except NotFound:
        return False
    return True


def _resolve() -> int | None:
    """Return the URL's campaign, else the session's, else the default; remember it."""
    for raw in (st.query_params.get(PARAM), st.session_state.get(CAMPAIGN)):
        if raw is not None and _exists(cid := _as_id(raw)):
            return _remember(cid)
    default = campaigns.find_campaign(engine())
    return _remember(default.id if default else None)


def _remember(campaign_id: int | None) -> int | None:
    if campaign_id is None:
        st.session_state.pop(CAMPAIGN, None)
        return None
    if st.session_state.get(CAMPAIGN) not in (None, campaign_id):
        for key in CAMPAIGN_BOUND_KEYS:
            st.session_state.pop(key, None)
    st.session_state[CAMPAIGN] = campaign_id
    if st.query_params.get(PARAM) != str(campaign_id):
        st.query_params[PARAM] = str(campaign_id)
    return campaign_id


def current_campaign_id() -> int | None:
    """Return the id of the campaign this session works on (None: no campaign yet)."""
    chosen = st.session_state.get(CAMPAIGN)
    if chosen is not None and st.query_params.get(PARAM) in (None, str(chosen)):
        return int(chosen)
    return _resolve()


def current_campaign() -> CampaignInfo | None:
    """Return the campaign this session works on, None when there is none yet."""
    campaign_id = current_campaign_id()
    return campaigns.resolve_campaign(engine(), campaign_id) if campaign_id is not None else None


def campaign_label(campaign: CampaignInfo) -> str:
    """Return a campaign as a picker shows it: name, state and period."""
    period = f"{format_date(campaign.start)} – {format_date(campaign.end)}"
    return f"{campaign.name} · {label(campaign.state)} · {period}"


def _picked() -> None:
    st.session_state[CAMPAIGN] = st.session_state[PICKER]
    st.query_params[PARAM] = str(st.session_state[PICKER])
    for key in CAMPAIGN_BOUND_KEYS:
        st.session_state.pop(key, None)


def campaign_picker() -> int | None:
    """Show the campaign picker in the sidebar; return the chosen campaign's id."""
    chosen = _resolve()
    options = {c.id: campaign_label(c) for c in campaigns.list_campaigns(engine())}
    if chosen is None or chosen not in options:
        return chosen
    st.session_state[PICKER] = chosen
    with st.sidebar:
        st.selectbox(
            t("campaign_picker.label"),
            list(options),
            format_func=options.__getitem__,
            key=PICKER,
            on_change=_picked,
        )
    return chosen


def campaign_closed() -> bool:
    """Tell whether the chosen campaign has ended (its sites are view-only)."""
    campaign = current_campaign()
    return campaign is not None and campaign.closed


def closed_banner() -> bool:
    """Say that the chosen campaign has ended and is view-only; return whether it has."""
    campaign = current_campaign()
    if campaign is None or not campaign.closed:
        return False
    st.warning(t("campaign_picker.closed", name=escape_markdown(campaign.name)),
               icon=":material/lock:")  # fmt: skip
    return True
