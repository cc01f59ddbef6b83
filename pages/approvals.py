"""Approvals: new sites waiting for a leader, and their costs by responsible unit."""

import streamlit as st

from kehoach import ui
from kehoach.i18n import t
from kehoach.ui import approvals

actor = ui.require_actor()
st.title(t("approvals.title"), anchor=False)
ui.flash_messages()
approvals.queue(actor)
approvals.costs()
