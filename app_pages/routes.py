"""Routes: each ward registers the streets or stretches it decorates (plan IV.13)."""

import pandas as pd
import streamlit as st

from kehoach import ui
from kehoach.domain.enums import Role
from kehoach.domain.errors import DomainError
from kehoach.i18n import format_local_time, format_number, format_percent, t
from kehoach.services import views
from kehoach.services.coverage import route_coverage
from kehoach.services.routes import list_routes, register_route, remove_route
from kehoach.ui.formats import km, with_dashes
from kehoach.ui.maps import add_point, routes_map, show_map, snapped_stretch, tapped_point

POINTS = "route_points"
LAST_CLICK = "route_last_click"
MAP_HEIGHT = 460

actor = ui.require_actor()
st.title(t("routes.title"), anchor=False)
st.caption(t("routes.caption"))
ui.flash_messages()

# A ward officer works on their own ward; staff choose one.
wards = ui.ward_names()
ward_id = actor.ward_id
if actor.role != Role.WARD_OFFICER:
    ward_id = st.selectbox(
        t("routes.ward"), list(wards), format_func=wards.__getitem__, key="routes-ward"
    )
elif ward_id in wards:
    st.markdown(t("routes.own_ward", ward=ui.md(wards[ward_id])))
else:
    st.warning(t("routes.no_ward"))
    ward_id = None
if ward_id is None:
    st.stop()
ward_routes = list_routes(ui.engine(), ward_id)

# The street (the ward's own first), and all of it or a stretch tapped on the map.
streets = views.streets_own_first(ui.engine(), ward_id, ui.street_names())
c1, c2 = st.columns([3, 2])
street_id = c1.selectbox(
    t("routes.street"), list(streets), format_func=streets.__getitem__, key="routes-street"
)
mode = c2.radio(
    t("routes.mode"),
    ["whole", "stretch"],
    format_func=lambda m: t(f"routes.mode.{m}"),
    horizontal=True,
    key="routes-mode",
)
if st.session_state.get("routes-last-key") != (street_id, mode):
    st.session_state[POINTS] = []
    st.session_state["routes-last-key"] = (street_id, mode)

points = st.session_state.setdefault(POINTS, [])
line = None
if mode == "stretch" and len(points) == 2:
    line = snapped_stretch(street_id, points[0], points[1])
fmap = routes_map(ward_id, ward_routes, street_id, points, line, MAP_HEIGHT)
taps = ["last_clicked"] if mode == "stretch" else []
result = show_map(fmap, f"routes-map-{ward_id}", MAP_HEIGHT, taps)
if mode == "stretch" and (point := tapped_point(result, LAST_CLICK)):
    add_point(POINTS, point, limit=2)
    st.rerun()

# Register the whole street, or the snapped stretch once both ends are tapped.
if mode == "stretch" and line is None:
    st.info(t("routes.tap_hint", n=len(points)))
else:
    if line is not None:
        metres = format_number(ui.stretch_length_m(line))
        st.success(t("routes.stretch_length", m=metres))
    with st.form("route-register", enter_to_submit=False):
        name = st.text_input(t("routes.name"), max_chars=300, placeholder=t("routes.name_hint"))
        register = st.form_submit_button(t("routes.submit"), type="primary")
    if register:
        start, end = (points[0], points[1]) if mode == "stretch" else (None, None)
        try:
            register_route(ui.engine(), actor, street_id, ward_id, start, end, name=name)
        except DomainError as exc:
            ui.show_error(exc)
        else:
            st.session_state[POINTS] = []
            st.session_state["flash_success"] = t("routes.registered")
            st.rerun()

st.subheader(t("routes.list", n=len(ward_routes)), anchor=False)
if not ward_routes:
    st.caption(t("routes.none"))
    st.stop()
coverage = route_coverage(ui.engine(), campaign_id=ui.current_campaign_id())
shares = {r.route_id: r.share for r in coverage}
table = {
    t("routes.col.ward"): [r.ward for r in ward_routes],
    t("routes.col.name"): [r.name for r in ward_routes],
    t("routes.col.extent"): [
        t("routes.mode.whole") if r.whole_street else t("routes.mode.stretch") for r in ward_routes
    ],
    t("routes.col.length"): [f"{km(r.length_m)} km" for r in ward_routes],
    t("routes.col.coverage"): [format_percent(shares.get(r.id)) for r in ward_routes],
    t("routes.col.by"): [
        f"{r.created_by or '—'} · {format_local_time(r.created_at)}" for r in ward_routes
    ],
}
st.dataframe(with_dashes(pd.DataFrame(table)), hide_index=True, width="stretch")

labels = {r.id: f"{r.ward} — {r.name} ({km(r.length_m)} km)" for r in ward_routes}
with st.expander(t("routes.remove.title")), st.form("route-remove", enter_to_submit=False):
    route_id = st.selectbox(t("routes.remove.route"), list(labels), format_func=labels.__getitem__)
    remove = st.form_submit_button(t("routes.remove.submit"))
if remove:
    try:
        remove_route(ui.engine(), actor, route_id)
    except DomainError as exc:
        ui.show_error(exc)
    else:
        st.session_state["flash_success"] = t("routes.removed")
        st.rerun()
