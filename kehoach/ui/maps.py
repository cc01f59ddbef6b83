"""Map widgets for the pages: build and show the maps, take taps, snap a stretch, typed points.

Pages ask for a map here (``home_map``, ``draft_map``, ``routes_map``); the Folium building
itself stays in ``kehoach.adapters`` (mapview, draftmap, coverage_layer).
"""

from __future__ import annotations

import folium
import pandas as pd
import streamlit as st
from shapely.geometry import LineString
from streamlit_folium import st_folium

from kehoach.adapters.coverage_layer import add_chosen_street, add_routes
from kehoach.adapters.draftmap import add_draft
from kehoach.adapters.mapview import MapOptions, build_map, empty_sites
from kehoach.domain.errors import DomainError, InvalidInput
from kehoach.i18n import parse_decimal, t
from kehoach.services import progress, views
from kehoach.services.geography import spatial_index
from kehoach.services.routes import RouteView
from kehoach.ui import base_layers, engine, map_options, show_error, sites_table

Point = tuple[float, float]


def show_map(
    fmap: folium.Map, key: str, height: int, returned_objects: list[str] | None = None
) -> dict:
    """Show a map across the page; it reruns the page only for the objects asked for."""
    return st_folium(
        fmap,
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=returned_objects or [],
    )


def home_map(shown: pd.DataFrame, options: MapOptions) -> folium.Map:
    """Return the district map with the ``shown`` sites."""
    return build_map(base_layers(), shown, options)


def draft_map(points: list[Point], line: LineString | None, height: int) -> folium.Map:
    """Return the map of every site with the points tapped so far and the snapped stretch."""
    fmap = build_map(base_layers(), sites_table(), map_options(height=height))
    return add_draft(fmap, points, line)


def routes_map(ward_id: int, routes: list[RouteView], street_id: int, points: list[Point],
               line: LineString | None, height: int) -> folium.Map:
    """Return a ward's registered routes, the chosen street and the stretch being tapped."""
    focus = progress.ward_bounds(engine()).get(ward_id)
    options = map_options(height=height, focus_bounds=focus, show_places=False)
    streets = base_layers().streets
    fmap = add_routes(build_map(base_layers(), empty_sites(), options),
                      views.route_geometries(routes, streets))  # fmt: skip
    street = next((s for s in streets if s["id"] == street_id), None)
    if street is not None:
        fmap = add_chosen_street(fmap, street["geometry"], street["name"])
    return add_draft(fmap, points, line)


def tapped_point(result: dict | None, last_click_key: str) -> Point | None:
    """Return a new tap on the map as (lon, lat) to 7 decimals, or None if nothing changed."""
    clicked = (result or {}).get("last_clicked")
    if not clicked or st.session_state.get(last_click_key) == clicked:
        return None
    st.session_state[last_click_key] = clicked
    return (round(float(clicked["lng"]), 7), round(float(clicked["lat"]), 7))


def add_point(points_key: str, point: Point, limit: int) -> None:
    """Add a tapped point to the draft; once it holds ``limit`` points, start again."""
    points = st.session_state.get(points_key, [])
    st.session_state[points_key] = ([*points, point] if len(points) < limit else [point])[-limit:]


def snapped_stretch(street_id: int, start: Point, end: Point) -> LineString | None:
    """Return the street's stretch between two taps, or None after showing why not."""
    try:
        return spatial_index(engine()).snap_stretch(street_id, start, end)
    except DomainError as exc:
        show_error(exc)
        return None


def typed_point(points_key: str) -> None:
    """Let the user type longitude and latitude instead of tapping the map."""
    with st.expander(t("new.typed")), st.form("typed", enter_to_submit=False):
        c1, c2 = st.columns(2)
        lon = c1.text_input(t("new.lon"), placeholder="105.8123")
        lat = c2.text_input(t("new.lat"), placeholder="20.9987")
        if st.form_submit_button(t("new.use_coords")):
            try:
                point = (parse_decimal(lon), parse_decimal(lat))
            except InvalidInput:
                st.error(t("error.coords_not_numbers"))
                return
            st.session_state[points_key] = [point]
            st.rerun()
