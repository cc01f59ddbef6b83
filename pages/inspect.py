"""Inspection (tablet): where am I, the nearest sites, one tap to pass or a fix with photos."""

import streamlit as st

from kehoach import ui
from kehoach.i18n import t
from kehoach.ui import fixes, inspect

actor = ui.require_actor()
# On a tablet the page needs the whole width: the sidebar only holds the sign-out button.
st.set_page_config(initial_sidebar_state="collapsed")
inspect.tablet_style()
st.title(t("inspect.title"), anchor=False)
ui.flash_messages()

where = inspect.where_am_i()
site_id = st.session_state.get(inspect.TARGET)
if site_id:
    inspect.record_view(actor, site_id, where)
else:
    inspect.last_saved()
    inspect.site_list(where)
fixes.fix_todo(actor)
