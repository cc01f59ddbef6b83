"""Home: the coverage map with filters, KPI tiles and the card of the clicked site."""

import streamlit as st
from streamlit_folium import st_folium

from kehoach import ui
from kehoach.adapters.mapview import build_map
from kehoach.domain.permissions import may_edit_site
from kehoach.domain.sites import compute_kpis, filter_sites
from kehoach.i18n import t
from kehoach.services import headline, queries
from kehoach.ui.photos import inspection_photos
from kehoach.ui.site_form import edit_form
from kehoach.ui.site_table import filter_widgets

actor = ui.require_actor()
st.title(t("app.title"), anchor=False)
st.caption(ui.campaign_subtitle())
read_only = ui.closed_banner()
ui.flash_messages()

sites = ui.sites_table()
shown = filter_sites(sites, filter_widgets("home"))
kpis = compute_kpis(shown)
if sites.empty:
    st.info(f"**{t('home.empty.title')}**\n\n{t('home.empty.body')}")
elif kpis.demo:
    st.warning(t("demo.banner", n=kpis.demo))
ui.kpi_tiles(kpis, headline.days_to_anniversary(ui.engine()))

map_col, card_col = st.columns([5, 2])
with map_col:
    st.caption(t("home.shown", shown=len(shown), total=len(sites)))
    focus = ui.focus_bounds(sites)
    if focus and st.button(t("home.whole_district"), key="unfocus"):
        st.session_state.pop(ui.FOCUS_SITE)
        st.rerun()
    fmap = build_map(ui.base_layers(), shown, ui.map_options(focus_bounds=focus))
    # Only a click on a site reruns the page; pan and zoom do not.
    result = st_folium(
        fmap,
        key="home_map",
        height=620,
        use_container_width=True,
        returned_objects=["last_active_drawing"],
    )
clicked = ((result or {}).get("last_active_drawing") or {}).get("properties") or {}
if "id" in clicked:
    st.session_state[ui.SELECTED_SITE] = int(clicked["id"])

with card_col:
    st.subheader(t("home.card.title"), anchor=False)
    site_id = st.session_state.get(ui.SELECTED_SITE)
    card = queries.load_site_card(ui.engine(), site_id) if site_id else None
    if card is None:
        st.caption(t("home.card.hint"))
    else:
        ui.site_card(card)
        inspection_photos(card.id)
        if may_edit_site(actor, card.ward_id) and not read_only:
            st.markdown(f"**{t('form.edit')}**")
            edit_form(actor, card)
        else:
            st.caption(t("campaign_picker.view_only" if read_only else "form.read_only"))
