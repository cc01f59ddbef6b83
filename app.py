"""The frame: page config, sign-in gate and per-role navigation. Logic lives in kehoach/."""

import streamlit as st

from kehoach import ui
from kehoach.domain.enums import Role
from kehoach.i18n import t
from kehoach.ui.warmup import start_warmup

st.set_page_config(page_title=t("app.title"), page_icon=":material/flag:", layout="wide")
ui.ensure_map_assets()  # a fresh clone run without `make run` would show a blank map
ui.announce_serving()  # `restore` refuses while this app is serving
start_warmup()  # imports the data pages' libraries while the sign-in form is shown

actor = ui.current_actor()
if actor is None:
    st.navigation([st.Page(ui.login_form, title=t("login.submit"), icon=":material/login:")]).run()
    st.stop()

ui.user_box(actor)
EVERYONE = frozenset(Role)
EDITORS = frozenset({Role.ADMIN, Role.STAFF, Role.WARD_OFFICER})
OVERSIGHT = frozenset({Role.ADMIN, Role.STAFF, Role.LEADER})
# (page, title key, icon, roles that see it). Hiding a page is cosmetic: services check roles.
PAGES = [
    ("pages/leader.py", "nav.leader", "dashboard", OVERSIGHT),
    ("pages/home.py", "nav.map", "map", EVERYONE),
    ("pages/sites.py", "nav.sites", "table", EDITORS),
    ("pages/new_site.py", "nav.new_site", "add_location_alt", EDITORS),
    ("pages/routes.py", "nav.routes", "route", EDITORS),
    ("pages/approvals.py", "nav.approvals", "fact_check", OVERSIGHT),
    ("pages/inspect.py", "nav.inspect", "search", frozenset({Role.INSPECTOR, Role.ADMIN})),
    ("pages/fixes.py", "nav.fixes", "build", EVERYONE),
    ("pages/campaign.py", "nav.campaign", "flag", frozenset({Role.ADMIN})),
    ("pages/reports.py", "nav.reports", "description", EVERYONE),
    ("pages/plan.py", "nav.plan", "assignment", EVERYONE),
    ("pages/tasks.py", "nav.tasks", "checklist", EVERYONE),
    ("pages/about.py", "nav.about", "info", EVERYONE),
]
DEFAULT = "pages/leader.py" if actor.role == Role.LEADER else "pages/home.py"
st.navigation([
    st.Page(path, title=t(title), icon=f":material/{icon}:", default=path == DEFAULT)
    for path, title, icon, roles in PAGES
    if actor.role in roles
]).run()
