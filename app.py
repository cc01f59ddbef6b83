"""The frame: page config, sign-in gate and per-role navigation. Logic lives in kehoach/."""

import streamlit as st

from kehoach import ui
from kehoach.domain.enums import Role
from kehoach.i18n import t

st.set_page_config(page_title=t("app.title"), page_icon="🇻🇳", layout="wide")

actor = ui.current_actor()
if actor is None:
    st.navigation([st.Page(ui.login_form, title=t("login.submit"), icon="🔑")]).run()
    st.stop()

ui.user_box(actor)
EDITORS = {Role.ADMIN, Role.STAFF, Role.WARD_OFFICER}
pages = [st.Page("pages/home.py", title=t("nav.map"), icon="🗺️", default=True)]
if actor.role in EDITORS:
    pages.append(st.Page("pages/sites.py", title=t("nav.sites"), icon="📍"))
    pages.append(st.Page("pages/new_site.py", title=t("nav.new_site"), icon="➕"))
if actor.role in {Role.ADMIN, Role.STAFF, Role.LEADER}:
    pages.append(st.Page("pages/approvals.py", title=t("nav.approvals"), icon="✅"))
pages += [
    st.Page("pages/plan.py", title=t("nav.plan"), icon="📋"),
    st.Page("pages/about.py", title=t("nav.about"), icon="ℹ️"),
]
st.navigation(pages).run()
