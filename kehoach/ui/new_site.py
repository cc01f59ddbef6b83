"""Widgets of the 'new site' page: pick a point or a stretch on the map, then the form."""

from __future__ import annotations

import streamlit as st
from shapely.geometry import LineString
from streamlit_folium import st_folium

from kehoach.adapters.draftmap import add_draft
from kehoach.adapters.mapview import build_map
from kehoach.domain.enums import STRETCH_KINDS, SiteKind
from kehoach.domain.errors import DomainError
from kehoach.domain.permissions import Actor
from kehoach.i18n import label, t
from kehoach.services import queries
from kehoach.services.places import PLACE_KINDS, NewPlace, create_place
from kehoach.services.sites import NewSite, create_site, spatial_index
from kehoach.ui import (
    SELECTED_SITE,
    base_layers,
    clear_read_caches,
    engine,
    map_options,
    show_error,
    sites_table,
    street_names,
    ward_names,
)

POINTS = "draft_points"
NONE = -1


def mode_picker() -> str:
    """Ask what to register: a point site, a stretch along a street, or a place."""
    mode = st.radio(
        t("new.mode"),
        ["point", "stretch", "place"],
        horizontal=True,
        format_func=lambda m: t(f"new.mode.{m}"),
        key="new-mode",
    )
    if st.session_state.get("new-mode-last") != mode:
        st.session_state[POINTS] = []
        st.session_state["new-mode-last"] = mode
    return mode


def pick_on_map(
    mode: str, street_id: int | None
) -> tuple[list[tuple[float, float]], LineString | None]:
    """Show the map; each tap adds a point (one for a point, start and end for a stretch)."""
    points: list[tuple[float, float]] = st.session_state.setdefault(POINTS, [])
    line = None
    if mode == "stretch" and street_id is not None and len(points) == 2:
        try:
            line = spatial_index(engine()).snap_stretch(street_id, points[0], points[1])
        except DomainError as exc:
            show_error(exc)
    fmap = add_draft(build_map(base_layers(), sites_table(), map_options(height=480)), points, line)
    result = st_folium(
        fmap, key="new-map", height=480, use_container_width=True, returned_objects=["last_clicked"]
    )
    clicked = (result or {}).get("last_clicked")
    if clicked and st.session_state.get("new-last-click") != clicked:
        st.session_state["new-last-click"] = clicked
        point = (round(float(clicked["lng"]), 7), round(float(clicked["lat"]), 7))
        limit = 2 if mode == "stretch" else 1
        st.session_state[POINTS] = ([*points, point] if len(points) < limit else [point])[-limit:]
        st.rerun()
    return points, line


def typed_coordinates() -> None:
    """Let the user type longitude and latitude instead of tapping the map."""
    with st.expander(t("new.typed")), st.form("typed"):
        c1, c2 = st.columns(2)
        lon = c1.text_input(t("new.lon"), placeholder="105.8123")
        lat = c2.text_input(t("new.lat"), placeholder="20.9987")
        if st.form_submit_button(t("new.use_coords")):
            try:
                point = (float(lon.replace(",", ".")), float(lat.replace(",", ".")))
            except ValueError:
                st.error(t("error.coords_not_numbers"))
                return
            st.session_state[POINTS] = [point]
            st.rerun()


def detected(
    points: list[tuple[float, float]], line: LineString | None
) -> tuple[int | None, int | None]:
    """Return the ward and street found for the picked position (ids)."""
    index = spatial_index(engine())
    anchor = line.interpolate(0.5, normalized=True) if line is not None else None
    lon, lat = (anchor.x, anchor.y) if anchor is not None else points[0]
    if not index.contains(lon, lat):
        return None, None
    nearest = index.nearest_street(lon, lat, max_m=30.0)
    return index.ward_at(lon, lat), nearest[0] if nearest else None


def site_form(
    actor: Actor,
    mode: str,
    points: list[tuple[float, float]],
    line: LineString | None,
    street_id: int | None,
) -> None:
    """Show the form for the new site and create it."""
    wards = ward_names()
    streets = street_names()
    units, tasks = queries.unit_and_task_options(engine())
    ward_guess, street_guess = detected(points, line)
    if mode == "stretch":
        street_guess = street_id
    kinds = [k.value for k in SiteKind if (k in STRETCH_KINDS) or mode == "point"]
    with st.form("new-site"):
        kind = st.selectbox(t("card.kind"), kinds, format_func=lambda v: label(SiteKind(v)))
        name = st.text_input(t("sites.col.name"), max_chars=300)
        address = st.text_input(t("card.address"), max_chars=300)
        content = st.text_area(t("card.content"), max_chars=2000)
        c1, c2, c3 = st.columns(3)
        quantity = c1.number_input(t("card.quantity"), min_value=1, value=1, step=1)
        expected = c2.number_input(t("form.flags_expected"), min_value=0, value=0, step=1)
        planned = c3.date_input(t("card.planned_on"), value=None, format="DD/MM/YYYY")
        ward_ids = [NONE, *wards]
        ward = st.selectbox(
            t("new.ward"),
            ward_ids,
            index=ward_ids.index(ward_guess) if ward_guess in wards else 0,
            format_func=lambda i: wards.get(i, t("new.auto")),
        )
        street_ids = [NONE, *streets]
        street = st.selectbox(
            t("new.street"),
            street_ids,
            index=street_ids.index(street_guess) if street_guess in streets else 0,
            format_func=lambda i: streets.get(i, "—"),
        )
        unit = st.selectbox(t("card.unit"), [NONE, *units], format_func=lambda i: units.get(i, "—"))
        task = st.selectbox(t("card.task"), [NONE, *tasks], format_func=lambda i: tasks.get(i, "—"))
        is_new = st.checkbox(t("new.is_new"))
        cost = st.number_input(t("new.cost"), min_value=0, value=0, step=500_000)
        note = st.text_area(t("card.note"), max_chars=2000)
        if not st.form_submit_button(t("new.submit"), type="primary"):
            return
    new = NewSite(
        kind=SiteKind(kind),
        lon=points[0][0] if mode == "point" else None,
        lat=points[0][1] if mode == "point" else None,
        line=tuple(line.coords) if line is not None else (),
        name=name,
        address=address,
        content=content,
        note=note,
        quantity=int(quantity),
        flags_expected=int(expected),
        planned_on=planned,
        ward_id=None if ward == NONE else ward,
        street_id=None if street == NONE else street,
        unit_id=None if unit == NONE else unit,
        task_id=None if task == NONE else task,
        is_new=is_new,
        estimated_cost=int(cost) if is_new else None,
    )
    try:
        site_id = create_site(engine(), actor, new)
    except DomainError as exc:
        show_error(exc)
        return
    st.session_state[POINTS] = []
    st.session_state[SELECTED_SITE] = site_id
    st.session_state["flash_success"] = t("new.created")
    clear_read_caches()
    st.switch_page("pages/home.py")


def place_form(actor: Actor, points: list[tuple[float, float]]) -> None:
    """Register a place (headquarters, notice board, school...) at the picked point."""
    with st.form("new-place"):
        name = st.text_input(t("place.name"), max_chars=300)
        kind = st.selectbox(
            t("place.kind"), PLACE_KINDS, format_func=lambda k: t(f"place.kind.{k}")
        )
        address = st.text_input(t("card.address"), max_chars=300)
        if not st.form_submit_button(t("place.submit"), type="primary"):
            return
    try:
        create_place(engine(), actor, NewPlace(name, kind, points[0][0], points[0][1], address))
    except DomainError as exc:
        show_error(exc)
        return
    base_layers.clear()
    st.session_state[POINTS] = []
    st.session_state["flash_success"] = t("place.created", name=name)
    st.rerun()
