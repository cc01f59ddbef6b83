"""UI helpers: the only module of kehoach that imports Streamlit.

Session-state keys, cached resources, shared widgets and formatting live here so that
pages stay short scripts: read widgets, call one service, render.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st
from sqlalchemy import Engine

from kehoach.config import VENDOR_DIR, get_settings
from kehoach.db.engine import make_engine
from kehoach.domain.enums import Approval, FundingSource, SiteKind, SiteStatus
from kehoach.domain.errors import DomainError
from kehoach.domain.permissions import Actor
from kehoach.escape import escape_markdown
from kehoach.i18n import (
    format_date,
    format_length,
    format_local_time,
    format_money,
    format_number,
    format_percent,
    history_value,
    label,
    t,
)
from kehoach.services import auth, freshness

# The sign-in form needs none of these: pandas, folium and the geography load with the first
# page that shows data (and meanwhile in the background, see ``kehoach.ui.warmup``).
if TYPE_CHECKING:
    import pandas as pd

    from kehoach.adapters.mapview import BaseLayers, MapOptions
    from kehoach.domain.sites import Kpis
    from kehoach.services import queries

# Session-state keys: ids and filters only, never ORM objects or roles.
SELECTED_SITE = "selected_site_id"


@st.cache_resource
def engine() -> Engine:
    """Return the process-wide engine for DATABASE_URL."""
    return make_engine(get_settings().database_url)


LOCAL_ASSET_PREFIX = "/app/static/"


@st.cache_resource(show_spinner=False)
def _install_map_assets(target: Path) -> Path:
    """Copy Leaflet into ``target`` once per process (a failure is not cached: retried)."""
    from kehoach.adapters.assets import install_assets

    return install_assets(target)


def ensure_map_assets(target: Path = VENDOR_DIR) -> bool:
    """Make sure the map's Leaflet files are served; show what to run when they cannot be."""
    if not get_settings().asset_base_url.startswith(LOCAL_ASSET_PREFIX):
        return True  # served from elsewhere (KEHOACH_ASSET_BASE_URL)
    try:
        _install_map_assets(target)
    except Exception as exc:  # noqa: BLE001 - any failure leaves the map blank: say so
        st.error(t("assets.missing", path=md(target), reason=md(f"{type(exc).__name__}: {exc}")))
        return False
    return True


@st.cache_resource(show_spinner=False)
def _start_heartbeat(path: Path) -> None:
    from kehoach.adapters import heartbeat

    heartbeat.start(path)


def announce_serving() -> None:
    """Keep the heartbeat file fresh while this process serves (restore refuses meanwhile)."""
    # A read-only var/ must not stop the app; restore then cannot see it serving.
    with contextlib.suppress(OSError):
        _start_heartbeat(get_settings().heartbeat_file)


def base_layers() -> BaseLayers:
    """Return the base layers (district, wards, streets, places) as the latest write left them."""
    return _base_layers(freshness.reference_version(engine()))


# Shared, not copied, per stamp: a plan import (main streets) or a new place in any process
# changes the stamp; the geometry itself only changes with init or restore.
@st.cache_resource(max_entries=2, show_spinner=False)
def _base_layers(version: tuple[int, ...]) -> BaseLayers:
    from kehoach.services import queries

    return queries.load_base_layers(engine())


def data_version() -> tuple[object, ...]:
    """Return the stamp of the chosen campaign, sites, history, plan and places (each rerun)."""
    from kehoach.services import queries

    db = engine()
    stamp = (*queries.site_list_version(db), *freshness.reference_version(db))
    return (current_campaign_id(), *stamp)


def sites_table() -> pd.DataFrame:
    """Return the chosen campaign's sites as the latest write (in any process) left them."""
    from kehoach.services import queries

    return _sites_table(current_campaign_id(), queries.site_list_version(engine()))


# The one cached site list, keyed by campaign and the sites' version stamp: a write anywhere
# changes the stamp, so the next rerun of every session reads afresh; old entries are evicted.
@st.cache_data(max_entries=8, show_spinner=False)
def _sites_table(campaign_id: int | None, version: tuple[int, int, str, int, int]) -> pd.DataFrame:
    from kehoach.services import queries

    return queries.load_sites(engine(), campaign_id)


def campaign_subtitle() -> str:
    """Return the heading line (Markdown) of the chosen campaign: occasion, else name, dates."""
    campaign = current_campaign()
    if campaign is None:
        return t("app.no_campaign")
    if campaign.occasion:
        return t("app.subtitle", title=md(campaign.title))
    period = {"start": format_date(campaign.start), "end": format_date(campaign.end)}
    return t("app.subtitle_period", name=md(campaign.name), **period)


def clear_read_caches() -> None:
    """Drop the cached site list at once after a write (the version stamp would miss it too)."""
    _sites_table.clear()


def map_options(**overrides: object) -> MapOptions:
    """Return map options from the settings (tiles, asset URL)."""
    from kehoach.adapters.mapview import MapOptions

    settings = get_settings()
    params: dict[str, object] = {
        "tile_url": settings.tile_url,
        "tile_attribution": settings.tile_attribution,
        "asset_base_url": settings.asset_base_url,
    }
    params.update(overrides)
    return MapOptions(**params)  # type: ignore[arg-type]  # field types checked by the callers


local_time = format_local_time
local_date = format_date


def error_text(exc: DomainError) -> str:
    """Return a domain error's message for Markdown: the template as is, its values escaped."""
    return t(exc.code, **{name: md(value) for name, value in exc.params.items()})


def show_error(exc: DomainError) -> None:
    """Show a domain error as one clear Vietnamese message."""
    st.error(error_text(exc))


def kind_label(value: str) -> str:
    """Return the Vietnamese label of a site kind value."""
    return label(SiteKind(value))


def status_label(value: str) -> str:
    """Return the Vietnamese label of a site status value."""
    return label(SiteStatus(value))


def kpi_tiles(kpis: Kpis, days_left: int | None = None, compact: bool = False) -> None:
    """Show the KPI tiles: total, one per status, flags, days to the day (compact: one low row)."""
    place = st.container(key="kh-kpis-compact" if compact else "kh-kpis")
    columns = place.columns(len(SiteStatus) + 2 + (days_left is not None))
    columns[0].metric(t("home.kpi.sites"), format_number(kpis.total))
    for column, status in zip(columns[1:], SiteStatus, strict=False):
        column.metric(label(status), kpis.by_status[status.value])
    rate = kpis.flags_rate
    if days_left is not None:
        columns.pop().metric(
            t("home.kpi.days"),
            t("reports.clock.days", days=abs(days_left)),
            t("reports.clock.left") if days_left >= 0 else t("reports.clock.past"),
            delta_color="off",
            delta_arrow="off",
        )
    columns[-1].metric(
        t("home.kpi.flags"),
        format_percent(rate),
        t("home.kpi.flags_detail", hung=kpis.flags_hung, expected=kpis.flags_expected),
        delta_color="off",
        delta_arrow="off",
    )


def md(text: object) -> str:
    """Escape user text for st.markdown."""
    return escape_markdown(text)


def approval_badge(card: queries.SiteCard) -> None:
    """Say on the card that a new site waits for approval or was rejected (and why)."""
    if card.approval == Approval.PENDING.value:
        st.warning(t("card.approval_badge.pending"), icon=":material/hourglass_top:")
    elif card.approval == Approval.REJECTED.value:
        reason = card.rejection_reason or "—"
        st.error(
            f"{t('card.approval_badge.rejected')}  \n"
            f"**{t('card.rejection_reason')}:** {md(reason)}",
            icon=":material/block:",
        )


def cost_rows(card: queries.SiteCard) -> list[tuple[str, str]]:
    """Return the card's cost lines of a new site: funding source and the three amounts."""
    if not card.is_new:
        return []
    source = label(FundingSource(card.funding_source)) if card.funding_source else None
    return [
        (t("card.funding"), source or t("funding.none")),
        (t("approvals.col.estimated"), format_money(card.estimated_cost)),
        (t("approvals.col.approved"), format_money(card.approved_cost)),
        (t("card.actual_cost"), format_money(card.actual_cost)),
    ]


def site_card(card: queries.SiteCard, actions: Callable[[], None] | None = None) -> None:
    """Show a site's card with its history in local time; ``actions`` go under the title."""
    title = f"{md(card.code)} — {md(card.name)}"
    if card.is_demo:
        title += f" ({t('demo.badge')})"
    st.subheader(title, anchor=False)
    if card.is_demo:
        st.caption(f"⚠️ {t('demo.badge')}")
    approval_badge(card)
    if actions is not None:
        actions()
    rows = [
        (t("card.kind"), kind_label(card.kind)),
        (t("card.status"), status_label(card.status)),
        (t("card.ward"), card.ward or "—"),
        (t("card.street"), card.street or "—"),
        (t("card.address"), card.address or "—"),
        (t("card.content"), card.content or "—"),
        (t("card.quantity"), card.quantity),
        (t("card.unit"), card.unit or "—"),
        (t("card.task"), (card.task or "—")[:160]),
        (t("card.flags"), f"{card.flags_hung} / {card.flags_expected}"),
        (t("card.planned_on"), local_date(card.planned_on)),
        (t("card.done_on"), local_date(card.done_on)),
        (t("card.note"), card.note or "—"),
        (t("card.updated"), f"{local_time(card.updated_at)} · {card.updated_by or '—'}"),
        *cost_rows(card),
    ]
    if card.length_m:
        rows.insert(5, (t("card.length"), format_length(card.length_m)))
    st.markdown("\n".join(f"- **{md(k)}:** {md(v)}" for k, v in rows))
    with st.expander(t("card.history", n=len(card.history))):
        for line in reversed(card.history):
            change = ""
            if line.field:
                old = history_value(line.field, line.old_value)
                new = history_value(line.field, line.new_value)
                name = t(f"field.{line.field}")
                change = f" · {md(name)}: {md(old)} → {md(new)}"
            action = t(f"history.action.{line.action}")
            st.markdown(
                f"- {local_time(line.at)} · **{md(line.username)}** · {md(action)}"
                f"{change} · _{md(t(f'history.source.{line.source}'))}_"
            )


# --- Sign-in -------------------------------------------------------------------------
# A browser signs in once: the sign-in opens a server-side session whose token goes to a
# cookie (kehoach.ui.chrome), so a reload, a new tab or a bookmark resumes it until it idles
# out or is revoked (sign-out, account disabled). Every run checks it against the database.
SESSION_TOKEN = "session_token"  # noqa: S105 - a session-state key
SIGNED_OUT = "signed_out"
# A session signed in by code without a token (AppTest, the load test) keys on the user id.
USER_ID = "user_id"
LAST_SEEN = "last_seen_monotonic"


def current_actor() -> Actor | None:
    """Return the signed-in user read afresh from the database; sign out when idle."""
    from kehoach.ui import chrome

    token = st.session_state.get(SESSION_TOKEN)
    if token is None and not st.session_state.get(SIGNED_OUT):
        token = chrome.session_cookie()  # a reload, a new tab, a bookmark
    if token:
        actor = auth.resume_session(engine(), token)
        if actor is None:
            sign_out()
            st.session_state["signed_out_idle"] = True
        else:
            st.session_state[SESSION_TOKEN] = token
        return actor
    return _code_signed_in_actor()


def _code_signed_in_actor() -> Actor | None:
    user_id = st.session_state.get(USER_ID)
    if user_id is None:
        return None
    now = time.monotonic()
    idle_limit = get_settings().idle_timeout_minutes * 60
    if now - st.session_state.get(LAST_SEEN, now) > idle_limit:
        sign_out()
        st.session_state["signed_out_idle"] = True
        return None
    st.session_state[LAST_SEEN] = now
    actor = auth.load_actor(engine(), int(user_id))
    if actor is None:
        sign_out()
    return actor


def sign_out() -> None:
    """Revoke the session and forget everything kept for the user in this tab."""
    auth.close_session(engine(), st.session_state.get(SESSION_TOKEN))
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state[SIGNED_OUT] = True  # the cookie this tab connected with is dead now


def client_address() -> str | None:
    """Return the signing-in client's address (the proxy's X-Forwarded-For when behind one)."""
    if get_settings().behind_proxy:
        forwarded = st.context.headers.get("X-Forwarded-For", "")
        if last := forwarded.split(",")[-1].strip():
            return last
    address = st.context.ip_address
    return address if isinstance(address, str) else None  # None: no address (a test harness)


def login_form() -> None:
    """Show the sign-in form; on success open a session and rerun the page asked for."""
    from kehoach.ui import chrome

    if chrome.session_cookie() or st.session_state.get(SIGNED_OUT):
        chrome.write_session_cookie(None)  # a dead token: drop it from the browser
    st.title(t("app.title"), anchor=False)
    if st.session_state.pop("signed_out_idle", False):
        st.info(t("login.idle"))
    if auth.count_users(engine()) == 0:
        st.warning(t("login.no_users"))
    with st.form("login", enter_to_submit=False):
        username = st.text_input(t("login.username"))
        password = st.text_input(t("login.password"), type="password")
        submitted = st.form_submit_button(t("login.submit"), type="primary")
    if submitted:
        try:
            actor = auth.authenticate(engine(), username, password, client_address())
        except DomainError as exc:
            show_error(exc)
        else:
            st.session_state.pop(SIGNED_OUT, None)
            st.session_state[SESSION_TOKEN] = auth.open_session(engine(), actor)
            st.rerun()  # the same URL: a deep link opens its page now


def not_for_role() -> None:
    """Show, in place of a page this role does not use, where to go instead."""
    st.info(t("nav.not_for_role"))


def user_box(actor: Actor) -> None:
    """Show who is signed in, with their role, and the sign-out button (sidebar)."""
    from kehoach.ui import chrome

    if token := st.session_state.get(SESSION_TOKEN):
        chrome.write_session_cookie(token, auth.session_cookie_seconds())
    with st.sidebar:
        st.markdown(f"**{md(actor.username)}** · {label(actor.role)}")
        if st.button(t("login.logout"), key="logout"):
            sign_out()
            st.rerun()


def require_actor() -> Actor:
    """Return the signed-in user or stop the page (app.py shows the sign-in form)."""
    actor = current_actor()
    if actor is None:
        st.stop()
    return actor


def flash_messages() -> None:
    """Show the success or error message left by the previous run (after st.rerun)."""
    if message := st.session_state.pop("flash_success", None):
        st.success(message)
        st.toast(message, icon=":material/check_circle:")
    if message := st.session_state.pop("flash_error", None):
        st.error(message)


def stretch_length_m(line: object) -> float:
    """Return the length in metres (UTM 48N) of a WGS84 line."""
    from kehoach.adapters.geometry import length_m

    return length_m(line)


FOCUS_SITE = "focus_site_id"
FOCUS_PAD_DEG = 0.002  # about 200 m around a focused site


def focus_bounds(sites: pd.DataFrame) -> list[list[float]] | None:
    """Return map bounds around the site the sites table asked to focus on, if any."""
    site_id = st.session_state.get(FOCUS_SITE)
    row = sites[sites["id"] == site_id] if site_id is not None else sites.iloc[0:0]
    if row.empty:
        return None
    lon, lat = float(row.iloc[0]["lon"]), float(row.iloc[0]["lat"])
    pad = FOCUS_PAD_DEG
    return [[lat - pad, lon - pad], [lat + pad, lon + pad]]


def ward_names() -> dict[int, str]:
    """Return ward id → name in official order (from the one geography cache)."""
    from kehoach.services import geography

    return geography.ward_names(engine())


def street_names() -> dict[int, str]:
    """Return street id → name, sorted by name (from the one geography cache)."""
    from kehoach.services import geography

    return geography.street_names(engine())


# The chosen campaign (sidebar picker, session state, ?dot= in the URL); imported last
# because it uses ``engine`` above.
from kehoach.ui.campaign_picker import (  # noqa: E402
    campaign_closed as campaign_closed,
)
from kehoach.ui.campaign_picker import (  # noqa: E402
    campaign_picker as campaign_picker,
)
from kehoach.ui.campaign_picker import (  # noqa: E402
    closed_banner as closed_banner,
)
from kehoach.ui.campaign_picker import (  # noqa: E402
    current_campaign as current_campaign,
)
from kehoach.ui.campaign_picker import (  # noqa: E402
    current_campaign_id as current_campaign_id,
)
