"""About: what the app is, where its data comes from, and the credits licences require."""

import streamlit as st

from kehoach.i18n import t

st.title(t("about.title"), anchor=False)
st.markdown(t("about.body"))
