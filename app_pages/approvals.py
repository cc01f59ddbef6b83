"""Approvals: new sites waiting for a leader; costs by unit and funding source."""

import streamlit as st

from kehoach import ui
from kehoach.i18n import t
from kehoach.ui.cost_widgets import costs_section
from kehoach.ui.queues import approval_queue

actor = ui.require_actor()
st.title(t("approvals.title"), anchor=False)
ui.closed_banner()
ui.flash_messages()
approval_queue(actor)
costs_section(actor)
