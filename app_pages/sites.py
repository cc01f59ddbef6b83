"""Sites: a filterable table of every site, bulk status/unit changes, import and export."""

import streamlit as st

from kehoach import ui
from kehoach.i18n import t
from kehoach.ui import site_table
from kehoach.ui.placement_widgets import placement_section

actor = ui.require_actor()
st.title(t("sites.title"), anchor=False)
read_only = ui.closed_banner()
ui.flash_messages()

placement_section(actor)  # "Cần định vị": rows a table could not place, guesses to confirm
table = site_table.filtered_table(actor)
selected_ids = site_table.show_table(table)
site_table.focus_button(selected_ids)
if not read_only:  # a closed campaign's sites are shown and exported, never changed
    site_table.bulk_form(actor, selected_ids, table)
    site_table.import_section(actor)
site_table.export_section(actor)
