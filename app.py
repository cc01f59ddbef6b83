"""The frame: page config, sign-in gate and per-role navigation. Logic lives in kehoach/."""

import streamlit as st

from kehoach import ui
from kehoach.domain.enums import Role
from kehoach.i18n import t

st.set_page_config(page_title=t("app.title"), page_icon=":material/flag:", layout="wide")

actor = ui.current_actor()
if actor is None:
    st.navigation([st.Page(ui.login_form, title=t("login.submit"), icon=":material/login:")]).run()
    st.stop()

ui.user_box(actor)
EDITORS = {Role.ADMIN, Role.STAFF, Role.WARD_OFFICER}
LEADER_HOME = actor.role == Role.LEADER
pages = [st.Page("pages/home.py", title=t("nav.map"), icon=":material/map:", default=not LEADER_HOME)]
if actor.role in {Role.ADMIN, Role.STAFF, Role.LEADER}:
    pages.insert(
        0, st.Page("pages/leader.py", title=t("nav.leader"), icon=":material/dashboard:", default=LEADER_HOME)
    )
if actor.role in EDITORS:
    pages.append(st.Page("pages/sites.py", title=t("nav.sites"), icon=":material/table:"))
    pages.append(st.Page("pages/new_site.py", title=t("nav.new_site"), icon=":material/add_location_alt:"))
    pages.append(st.Page("pages/routes.py", title=t("nav.routes"), icon=":material/route:"))
if actor.role in {Role.ADMIN, Role.STAFF, Role.LEADER}:
    pages.append(st.Page("pages/approvals.py", title=t("nav.approvals"), icon=":material/fact_check:"))
if actor.role in {Role.INSPECTOR, Role.ADMIN}:
    pages.append(st.Page("pages/inspect.py", title=t("nav.inspect"), icon=":material/search:"))
pages.append(st.Page("pages/fixes.py", title=t("nav.fixes"), icon=":material/build:"))
if actor.role == Role.ADMIN:
    pages.append(st.Page("pages/campaign.py", title=t("nav.campaign"), icon=":material/flag:"))
pages += [
    st.Page("pages/reports.py", title=t("nav.reports"), icon=":material/description:"),
    st.Page("pages/plan.py", title=t("nav.plan"), icon=":material/assignment:"),
    st.Page("pages/tasks.py", title=t("nav.tasks"), icon=":material/checklist:"),
    st.Page("pages/about.py", title=t("nav.about"), icon=":material/info:"),
]
st.navigation(pages).run()
