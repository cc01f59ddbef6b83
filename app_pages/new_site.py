"""New site: tap the map (or type coordinates), check ward and street, fill in the form."""

import streamlit as st

from kehoach import ui
from kehoach.i18n import format_number, t
from kehoach.ui.maps import (
    add_point,
    draft_map,
    show_map,
    snapped_stretch,
    tapped_point,
    typed_point,
)
from kehoach.ui.new_site_forms import new_site_form, place_form

POINTS = "draft_points"

actor = ui.require_actor()
st.title(t("new.title"), anchor=False)
ui.flash_messages()
if ui.closed_banner():  # no new site in a campaign that has ended
    st.stop()

# What to register: a point site, a stretch along a street, or a place.
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
street_id = None
if mode == "stretch":
    streets = ui.street_names()
    street_id = st.selectbox(
        t("new.stretch_street"), list(streets), format_func=streets.__getitem__
    )
st.caption(t(f"new.hint.{mode}"))

# Each tap adds a point: one for a point or a place, start and end for a stretch.
needed = 2 if mode == "stretch" else 1
points = st.session_state.setdefault(POINTS, [])
line = None
if mode == "stretch" and street_id is not None and len(points) == 2:
    line = snapped_stretch(street_id, points[0], points[1])
result = show_map(draft_map(points, line, 480), "new-map", 480, ["last_clicked"])
if point := tapped_point(result, "new-last-click"):
    add_point(POINTS, point, limit=needed)
    st.rerun()
typed_point(POINTS)
if st.button(t("new.reset"), key="new-reset"):
    st.session_state[POINTS] = []
    st.rerun()

if len(points) < needed or (mode == "stretch" and line is None):
    st.info(t("new.waiting"))
    st.stop()
if line is not None:
    st.success(t("new.stretch_length", m=format_number(ui.stretch_length_m(line))))
if mode == "place":
    if (name := place_form(actor, points[0])) is not None:
        st.session_state[POINTS] = []
        st.session_state["flash_success"] = t("place.created", name=ui.md(name))
        st.rerun()
elif (site_id := new_site_form(actor, mode, points, line, street_id)) is not None:
    st.session_state[POINTS] = []
    st.session_state[ui.SELECTED_SITE] = site_id
    st.session_state["flash_success"] = t("new.created")
    ui.clear_read_caches()
    st.switch_page("app_pages/home.py")
