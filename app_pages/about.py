"""About: what the app is, where its data comes from, and the credits licences require."""

import streamlit as st

from kehoach import ui
from kehoach.i18n import t

ui.require_actor()
st.title(t("about.title"), anchor=False)
st.markdown(t("about.body"))
