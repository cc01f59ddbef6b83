"""Routes: each ward registers the streets or stretches it decorates (plan IV.13)."""

import streamlit as st

from kehoach import ui
from kehoach.i18n import t
from kehoach.ui import routes

actor = ui.require_actor()
st.title(t("routes.title"), anchor=False)
st.caption(t("routes.caption"))
ui.flash_messages()

ward_id = routes.ward_picker(actor)
if ward_id is None:
    st.stop()
ward_routes = routes.ward_routes(ward_id)
street_id, mode = routes.street_and_mode(ward_id)
line = routes.pick_on_map(ward_id, street_id, mode, ward_routes)
routes.register_button(actor, ward_id, street_id, mode, line)

st.subheader(t("routes.list", n=len(ward_routes)), anchor=False)
routes.routes_table(ward_routes)
routes.remove_form(actor, ward_routes)
