"""Campaign (admins): the flag-hanging window of the district's notice, flags hung by ward."""

import streamlit as st

from kehoach import ui
from kehoach.i18n import t
from kehoach.ui import campaign

actor = ui.require_actor()
st.title(t("campaign.title"), anchor=False)
ui.flash_messages()
campaign.window_form(actor)
campaign.ward_flags_table()
