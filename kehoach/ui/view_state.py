"""The view a user looks at — filters, focused ward, chosen site — kept across pages and in links.

The filter widgets of every page share one stored value (session state under stable keys)
and mirror it into the URL query string, so moving between pages keeps the filters and a
link pasted to a colleague opens the same view after sign-in:

    ?dot=<campaign id>&phuong=<ward codes>&pho=<street ids>&tt=<statuses>&loai=<kinds>&site=<code>

One ward in the filter also focuses the map on that ward. Ward officers start on their own
ward, one tap ("Toàn quận") from the whole district.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st
from shapely.geometry import shape

from kehoach.domain.enums import Role, SiteKind, SiteStatus
from kehoach.domain.permissions import Actor
from kehoach.domain.sites import SiteFilter
from kehoach.i18n import label, t
from kehoach.ui import FOCUS_SITE, SELECTED_SITE, base_layers, street_names, ward_names

STORED = "view-filter"  # session-state key of the filter every page shares
SITE_PARAM = "site"  # the chosen site's code
APPLIED_SITE = "view-applied-site"  # the ?site= already applied in this session
FIELDS = ("ward_ids", "street_ids", "statuses", "kinds")
PARAMS = {"ward_ids": "phuong", "street_ids": "pho", "statuses": "tt", "kinds": "loai"}
WIDGET_KEYS = {name: f"filter-{name}" for name in FIELDS}  # the same on every page
WARD_PAD_DEG = 0.0005


def _ward_codes() -> dict[int, str]:
    return {int(w["id"]): str(w["code"]) for w in base_layers().wards}


def _options() -> dict[str, dict[object, str]]:
    """Return, per filter, the allowed values and how each is shown."""
    wards: dict[object, str] = {k: v for k, v in ward_names().items()}  # noqa: C416
    streets: dict[object, str] = {k: v for k, v in street_names().items()}  # noqa: C416
    return {
        "ward_ids": wards,
        "street_ids": streets,
        "statuses": {s.value: label(s) for s in SiteStatus},
        "kinds": {k.value: label(k) for k in SiteKind},
    }


def _to_url(name: str, values: Sequence[object]) -> str:
    if name == "ward_ids":
        codes = _ward_codes()
        return ",".join(codes[int(str(v))] for v in values if int(str(v)) in codes)
    return ",".join(str(v) for v in values)


def _from_url(name: str, text: str, allowed: dict[object, str]) -> list[object]:
    """Read one filter from the URL, keeping only values that exist (a link may be stale)."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if name == "ward_ids":
        by_code = {code: ward_id for ward_id, code in _ward_codes().items()}
        return [by_code[p] for p in parts if p in by_code]
    if name == "street_ids":
        return [int(p) for p in parts if p.isdigit() and int(p) in allowed]
    return [p for p in parts if p in allowed]


def _initial(actor: Actor, options: dict[str, dict[object, str]]) -> dict[str, list[object]]:
    """Return the filter a session starts with: the link's, else the user's own ward."""
    from_url = {
        name: _from_url(name, str(st.query_params.get(PARAMS[name], "")), options[name])
        for name in FIELDS
    }
    if any(PARAMS[name] in st.query_params for name in FIELDS):
        return from_url
    own = [actor.ward_id] if actor.role == Role.WARD_OFFICER and actor.ward_id else []
    return {**from_url, "ward_ids": [w for w in own if w in options["ward_ids"]]}


def _stored(actor: Actor, options: dict[str, dict[object, str]]) -> dict[str, list[object]]:
    if STORED not in st.session_state:
        st.session_state[STORED] = _initial(actor, options)
    return dict(st.session_state[STORED])


def _write_url(values: dict[str, list[object]]) -> None:
    for name in FIELDS:
        text = _to_url(name, values[name])
        if not text:
            if PARAMS[name] in st.query_params:
                del st.query_params[PARAMS[name]]
        elif st.query_params.get(PARAMS[name]) != text:
            st.query_params[PARAMS[name]] = text


def _changed(name: str) -> None:
    stored = dict(st.session_state.get(STORED, {}))
    stored[name] = list(st.session_state[WIDGET_KEYS[name]])
    st.session_state[STORED] = stored


def _whole_district() -> None:
    st.session_state[WIDGET_KEYS["ward_ids"]] = []
    stored = dict(st.session_state.get(STORED, {}))
    stored["ward_ids"] = []
    st.session_state[STORED] = stored


def filter_widgets(actor: Actor) -> SiteFilter:
    """Show the four filters (shared by every page, mirrored in the URL); return the choice."""
    options = _options()
    stored = _stored(actor, options)
    cols = st.columns(4)
    every = t("home.filter.all")
    titles = ("home.filter.ward", "home.filter.street", "home.filter.status", "home.filter.kind")
    chosen: dict[str, list[object]] = {}
    for col, name, title in zip(cols, FIELDS, titles, strict=True):
        key = WIDGET_KEYS[name]
        shown = options[name]
        # Every page's widget starts from the stored value (a change reaches it first
        # through the callback): the same filter on every page.
        st.session_state[key] = [v for v in stored[name] if v in shown]
        chosen[name] = col.multiselect(
            t(title),
            list(shown),
            format_func=shown.__getitem__,
            placeholder=every,
            key=key,
            on_change=_changed,
            args=(name,),
        )
    st.session_state[STORED] = chosen
    _write_url(chosen)
    return SiteFilter(
        ward_ids=tuple(int(str(v)) for v in chosen["ward_ids"]),
        street_ids=tuple(int(str(v)) for v in chosen["street_ids"]),
        statuses=tuple(str(v) for v in chosen["statuses"]),
        kinds=tuple(str(v) for v in chosen["kinds"]),
    )


def active_count(choice: SiteFilter) -> int:
    """Return how many filter values are chosen (0: everything shown)."""
    return sum(len(getattr(choice, name)) for name in FIELDS)


def ward_focus(choice: SiteFilter) -> list[list[float]] | None:
    """Return map bounds around the one ward the filter holds, None for none or several."""
    if len(choice.ward_ids) != 1:
        return None
    for ward in base_layers().wards:
        if int(ward["id"]) == choice.ward_ids[0]:
            west, south, east, north = shape(ward["geometry"]).bounds
            pad = WARD_PAD_DEG
            return [[south - pad, west - pad], [north + pad, east + pad]]
    return None


def open_linked_site(sites: pd.DataFrame) -> None:
    """Select and focus the site a link names (``?site=CODE``), once per session and code."""
    code = st.query_params.get(SITE_PARAM)
    if not code or st.session_state.get(APPLIED_SITE) == code:
        return
    st.session_state[APPLIED_SITE] = code
    match = sites[sites["code"] == code]
    if not match.empty:
        site_id = int(match.iloc[0]["id"])
        st.session_state[SELECTED_SITE] = site_id
        st.session_state[FOCUS_SITE] = site_id


def remember_site(code: str | None) -> None:
    """Put the chosen site's code into the URL (or take it out)."""
    if code:
        st.session_state[APPLIED_SITE] = code
        if st.query_params.get(SITE_PARAM) != code:
            st.query_params[SITE_PARAM] = code
    elif SITE_PARAM in st.query_params:
        del st.query_params[SITE_PARAM]


def whole_district_button(choice: SiteFilter) -> None:
    """While the filter holds wards, offer one tap back to the whole district."""
    if choice.ward_ids:
        st.button(
            t("home.whole_ward_district"),
            key="filter-whole-district",
            on_click=_whole_district,
            icon=":material/zoom_out_map:",
        )


def filter_row(actor: Actor) -> SiteFilter:
    """Show the filters folded into one low row, with the whole-district button beside them."""
    n = sum(len(v) for v in _stored(actor, _options()).values())
    fold, button = st.columns([5, 1], vertical_alignment="center")
    with fold, st.expander(t("home.filters_active", n=n) if n else t("home.filters")):
        choice = filter_widgets(actor)
    with button:
        whole_district_button(choice)
    return choice
