"""About: what the app is, where its data comes from, and the credits licences require."""

import streamlit as st

from kehoach import ui
from kehoach.domain.corridor import FOLD_M
from kehoach.domain.coverage import DEFAULT_NEAR_M, DEFAULT_REACH_M
from kehoach.i18n import t

ui.require_actor()
st.title(t("about.title"), anchor=False)
st.markdown(t("about.body"))
st.markdown(
    t(
        "about.coverage",
        fold=f"{FOLD_M:.0f}",
        near=f"{DEFAULT_NEAR_M:.0f}",
        reach=f"{DEFAULT_REACH_M:.0f}",
    )
)
