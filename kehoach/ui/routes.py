"""Widgets of the routes page: pick ward and street, tap a stretch, list and remove routes."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st
from shapely.geometry import LineString
from streamlit_folium import st_folium

from kehoach.adapters.coverage_layer import add_chosen_street, add_routes
from kehoach.adapters.draftmap import add_draft
from kehoach.adapters.mapview import build_map, empty_sites
from kehoach.domain.enums import Role
from kehoach.domain.errors import DomainError
from kehoach.domain.permissions import Actor
from kehoach.i18n import format_local_time, t
from kehoach.services import progress
from kehoach.services.coverage import route_coverage, ward_street_ids
from kehoach.services.routes import RouteView, list_routes, register_route, remove_route
from kehoach.services.sites import spatial_index
from kehoach.ui import (
    base_layers,
    engine,
    map_options,
    md,
    show_error,
    street_names,
    stretch_length_m,
    ward_names,
)
from kehoach.ui.leader import km, percent

POINTS = "route_points"
LAST_CLICK = "route_last_click"
MAP_HEIGHT = 460


def ward_picker(actor: Actor) -> int | None:
    """Return the ward to work on: a ward officer's own, or the one staff choose."""
    wards = ward_names()
    if actor.role == Role.WARD_OFFICER:
        if actor.ward_id not in wards:
            st.warning(t("routes.no_ward"))
            return None
        st.markdown(t("routes.own_ward", ward=md(wards[actor.ward_id])))  # type: ignore[index]
        return actor.ward_id
    return st.selectbox(t("routes.ward"), list(wards), format_func=wards.get, key="routes-ward")


def street_and_mode(ward_id: int) -> tuple[int, str]:
    """Ask for the street (the ward's own first) and whether all of it or a stretch."""
    names = street_names()
    own = [sid for sid in ward_street_ids(engine(), ward_id) if sid in names]
    streets = {sid: names[sid] for sid in own} | {
        sid: name for sid, name in names.items() if sid not in own
    }
    c1, c2 = st.columns([3, 2])
    street_id = c1.selectbox(
        t("routes.street"), list(streets), format_func=streets.get, key="routes-street"
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
    return street_id, mode


def _route_geometries(routes: list[RouteView]) -> list[dict]:
    streets = {street["id"]: street["geometry"] for street in base_layers().streets}
    shown = []
    for route in routes:
        geometry = json.loads(route.geojson) if route.geojson else streets.get(route.street_id)
        if geometry:
            shown.append({"geometry": geometry, "name": route.name})
    return shown


def pick_on_map(
    ward_id: int, street_id: int, mode: str, routes: list[RouteView]
) -> LineString | None:
    """Show the ward's routes; in stretch mode each tap sets the start, then the end."""
    points: list[tuple[float, float]] = st.session_state.setdefault(POINTS, [])
    line = None
    if mode == "stretch" and len(points) == 2:
        try:
            line = spatial_index(engine()).snap_stretch(street_id, points[0], points[1])
        except DomainError as exc:
            show_error(exc)
    focus = progress.ward_bounds(engine()).get(ward_id)
    options = map_options(height=MAP_HEIGHT, focus_bounds=focus, show_places=False)
    fmap = add_routes(build_map(base_layers(), empty_sites(), options), _route_geometries(routes))
    street = next((s for s in base_layers().streets if s["id"] == street_id), None)
    if street is not None:
        fmap = add_chosen_street(fmap, street["geometry"], street["name"])
    fmap = add_draft(fmap, points, line)
    result = st_folium(
        fmap,
        key=f"routes-map-{ward_id}",
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=["last_clicked"] if mode == "stretch" else [],
    )
    clicked = (result or {}).get("last_clicked")
    if mode == "stretch" and clicked and st.session_state.get(LAST_CLICK) != clicked:
        st.session_state[LAST_CLICK] = clicked
        point = (round(float(clicked["lng"]), 7), round(float(clicked["lat"]), 7))
        st.session_state[POINTS] = ([*points, point] if len(points) < 2 else [point])[-2:]
        st.rerun()
    return line


def register_button(
    actor: Actor, ward_id: int, street_id: int, mode: str, line: LineString | None
) -> None:
    """Register the whole street, or the snapped stretch once both ends are tapped."""
    points = st.session_state.get(POINTS, [])
    if mode == "stretch":
        if line is None:
            st.info(t("routes.tap_hint", n=len(points)))
            return
        metres = f"{stretch_length_m(line):,.0f}".replace(",", ".")
        st.success(t("routes.stretch_length", m=metres))
    with st.form("route-register"):
        name = st.text_input(t("routes.name"), max_chars=300, placeholder=t("routes.name_hint"))
        if not st.form_submit_button(t("routes.submit"), type="primary"):
            return
    start, end = (points[0], points[1]) if mode == "stretch" else (None, None)
    try:
        register_route(engine(), actor, street_id, ward_id, start, end, name=name)
    except DomainError as exc:
        show_error(exc)
        return
    st.session_state[POINTS] = []
    st.session_state["flash_success"] = t("routes.registered")
    st.rerun()


def routes_table(routes: list[RouteView]) -> None:
    """List the routes with their length and how much of each is decorated."""
    if not routes:
        st.caption(t("routes.none"))
        return
    shares = {r.route_id: r.share for r in route_coverage(engine())}
    view = pd.DataFrame(
        {
            t("routes.col.ward"): [r.ward for r in routes],
            t("routes.col.name"): [r.name for r in routes],
            t("routes.col.extent"): [
                t("routes.mode.whole") if r.whole_street else t("routes.mode.stretch")
                for r in routes
            ],
            t("routes.col.length"): [f"{km(r.length_m)} km" for r in routes],
            t("routes.col.coverage"): [percent(shares.get(r.id)) for r in routes],
            t("routes.col.by"): [
                f"{r.created_by or '—'} · {format_local_time(r.created_at)}" for r in routes
            ],
        }
    )
    st.dataframe(view, hide_index=True, width="stretch")


def remove_form(actor: Actor, routes: list[RouteView]) -> None:
    """Remove one of the listed routes."""
    if not routes:
        return
    labels = {r.id: f"{r.ward} — {r.name} ({km(r.length_m)} km)" for r in routes}
    with st.expander(t("routes.remove.title")), st.form("route-remove"):
        route_id = st.selectbox(t("routes.remove.route"), list(labels), format_func=labels.get)
        if not st.form_submit_button(t("routes.remove.submit")):
            return
    try:
        remove_route(engine(), actor, route_id)
    except DomainError as exc:
        show_error(exc)
        return
    st.session_state["flash_success"] = t("routes.removed")
    st.rerun()


def ward_routes(ward_id: int | None) -> list[RouteView]:
    """Return the routes of one ward (or every ward)."""
    return list_routes(engine(), ward_id)
