"""Reports: campaign clock, who reported each month, submitting, documents, the past map."""

import streamlit as st

from kehoach import ui
from kehoach.i18n import t
from kehoach.ui import reports as view

actor = ui.require_actor()
st.title(t("reports.title"), anchor=False)
ui.flash_messages()
view.campaign_clock()

# One section at a time (not st.tabs): only the chosen one is computed, and the map is
# drawn in a visible frame so Leaflet can fit the district.
section = view.section_picker()
if section == view.BOARD:
    view.board()
    st.subheader(t("reports.list.title"), anchor=False)
    view.submitted_list()
elif section == view.SUBMIT:
    view.submit_form(actor)
elif section == view.DOCUMENTS:
    view.documents(actor)
else:
    st.subheader(t("reports.timeline.burnup"), anchor=False)
    view.burnup_chart()
    st.subheader(t("reports.timeline.map"), anchor=False)
    view.as_of_map()
