"""New site: tap the map (or type coordinates), check ward and street, fill in the form."""

import streamlit as st

from kehoach import ui
from kehoach.i18n import t
from kehoach.ui import new_site

actor = ui.require_actor()
st.title(t("new.title"), anchor=False)
ui.flash_messages()

mode = new_site.mode_picker()
street_id = None
if mode == "stretch":
    streets = ui.street_names()
    street_id = st.selectbox(t("new.stretch_street"), list(streets), format_func=streets.get)
st.caption(t(f"new.hint.{mode}"))

points, line = new_site.pick_on_map(mode, street_id)
new_site.typed_coordinates()
if st.button(t("new.reset"), key="new-reset"):
    st.session_state[new_site.POINTS] = []
    st.rerun()

needed = 2 if mode == "stretch" else 1
if len(points) < needed or (mode == "stretch" and line is None):
    st.info(t("new.waiting"))
    st.stop()
if line is not None:
    st.success(t("new.stretch_length", m=f"{ui.stretch_length_m(line):,.0f}".replace(",", ".")))
if mode == "place":
    new_site.place_form(actor, points)
else:
    new_site.site_form(actor, mode, points, line, street_id)
