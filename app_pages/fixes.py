"""Fix to-do: sites inspectors marked 'needs fix', by responsible unit; editors mark them fixed."""

import streamlit as st

from kehoach import ui
from kehoach.i18n import t
from kehoach.ui.queues import fix_todo

actor = ui.require_actor()
st.title(t("fixes.title"), anchor=False)
ui.closed_banner()
ui.flash_messages()
fix_todo(actor, expanded=True)
