"""Home: the coverage map under one compact row of figures and filters, and the site's card."""

import streamlit as st

from kehoach import ui
from kehoach.domain.permissions import may_edit_site
from kehoach.domain.sites import compute_kpis, filter_sites
from kehoach.i18n import t
from kehoach.services import headline, queries
from kehoach.ui import view_state
from kehoach.ui.maps import home_map, show_map
from kehoach.ui.photos import inspection_photos
from kehoach.ui.print_map import print_button
from kehoach.ui.site_form import edit_form, status_buttons

actor = ui.require_actor()
with st.container(key="kh-compact-head"):
    st.title(t("app.title"), anchor=False)
    st.caption(ui.campaign_subtitle())
read_only = ui.closed_banner()
ui.flash_messages()

sites = ui.sites_table()
view_state.open_linked_site(sites)
filters_col, print_col = st.columns([4, 1], vertical_alignment="center")
with filters_col:
    choice = view_state.filter_row(actor)
shown = filter_sites(sites, choice)
kpis = compute_kpis(shown)
if sites.empty:
    st.info(f"**{t('home.empty.title')}**\n\n{t('home.empty.body')}")
elif kpis.demo:
    st.warning(t("demo.banner", n=kpis.demo))
days_left = headline.days_to_anniversary(ui.engine(), ui.current_campaign_id())
ui.kpi_tiles(kpis, days_left, compact=True)
focus = ui.focus_bounds(sites) or view_state.ward_focus(choice)
with print_col:
    print_button(shown, choice, focus)

map_col, card_col = st.columns([5, 2])
with map_col:
    site_id = st.session_state.get(ui.SELECTED_SITE)
    options = ui.map_options(focus_bounds=focus, selected_site_id=site_id)
    # Only a click on a site reruns the page; pan and zoom do not.
    result = show_map(home_map(shown, options), key="home_map", height=620,
                      returned_objects=["last_active_drawing"])  # fmt: skip
    st.caption(t("home.shown", shown=len(shown), total=len(sites)))
    if ui.focus_bounds(sites) and st.button(t("home.whole_district"), key="unfocus"):
        st.session_state.pop(ui.FOCUS_SITE)
        st.rerun()
clicked = ((result or {}).get("last_active_drawing") or {}).get("properties") or {}
if "id" in clicked and int(clicked["id"]) != site_id:
    st.session_state[ui.SELECTED_SITE] = site_id = int(clicked["id"])
    st.rerun()  # draw the ring around the chosen site

with card_col:
    if sites.empty:
        st.info(f"**{t('home.empty.title')}**\n\n{t('home.empty.body')}")
    elif kpis.demo:
        st.warning(t("demo.banner", n=kpis.demo))
    st.subheader(t("home.card.title"), anchor=False)
    card = queries.load_site_card(ui.engine(), site_id) if site_id else None
    view_state.remember_site(card.code if card else None)
    if card is None:
        st.caption(t("home.card.hint"))
    else:
        editable = may_edit_site(actor, card.ward_id) and not read_only
        shown_card = card
        quick = (lambda: status_buttons(actor, shown_card)) if editable else None
        ui.site_card(card, actions=quick)
        inspection_photos(card.id)
        if editable:
            st.markdown(f"**{t('form.edit')}**")
            edit_form(actor, card)
        else:
            st.caption(t("campaign_picker.view_only" if read_only else "form.read_only"))
