"""The frame: page config, sign-in gate and per-role navigation. Logic lives in kehoach/."""

from pathlib import Path

import streamlit as st

from kehoach import ui
from kehoach.domain.enums import Role
from kehoach.i18n import t
from kehoach.ui import chrome
from kehoach.ui.warmup import start_warmup

st.set_page_config(
    page_title=t("app.title"),
    page_icon=":material/flag:",
    layout="wide",
    initial_sidebar_state="auto",
)
chrome.apply()  # one stylesheet (Vietnamese chrome, one column on narrow screens)
ui.ensure_map_assets()  # a fresh clone run without `make run` would show a blank map
ui.announce_serving()  # `restore` refuses while this app is serving
start_warmup()  # imports the data pages' libraries while the sign-in form is shown

EVERYONE = frozenset(Role)
EDITORS = frozenset({Role.ADMIN, Role.STAFF, Role.WARD_OFFICER})
OVERSIGHT = frozenset({Role.ADMIN, Role.STAFF, Role.LEADER, Role.CULTURE_OFFICE, Role.FINANCE})
# (page, title key, icon, roles that see it). Hiding a page is cosmetic: services check roles.
PAGES = [
    ("app_pages/leader.py", "nav.leader", "dashboard", OVERSIGHT),
    ("app_pages/home.py", "nav.map", "map", EVERYONE),
    ("app_pages/sites.py", "nav.sites", "table", EDITORS),
    ("app_pages/new_site.py", "nav.new_site", "add_location_alt", EDITORS),
    ("app_pages/routes.py", "nav.routes", "route", EDITORS),
    ("app_pages/approvals.py", "nav.approvals", "fact_check", OVERSIGHT),
    ("app_pages/inspect.py", "nav.inspect", "search", frozenset({Role.INSPECTOR, Role.ADMIN})),
    ("app_pages/fixes.py", "nav.fixes", "build", EVERYONE),
    ("app_pages/campaign.py", "nav.campaign", "flag", frozenset({Role.ADMIN, Role.STAFF})),
    ("app_pages/compare.py", "nav.compare", "compare_arrows", OVERSIGHT),
    ("app_pages/reports.py", "nav.reports", "description", EVERYONE),
    ("app_pages/plan.py", "nav.plan", "assignment", EVERYONE),
    ("app_pages/tasks.py", "nav.tasks", "checklist", EVERYONE),
    ("app_pages/about.py", "nav.about", "info", EVERYONE),
]
# Each role lands where it works.
LANDING = {
    Role.INSPECTOR: "app_pages/inspect.py",
    Role.LEADER: "app_pages/leader.py",
    Role.CULTURE_OFFICE: "app_pages/leader.py",
    Role.FINANCE: "app_pages/approvals.py",
    Role.UNIT_REPORTER: "app_pages/tasks.py",
}


def url_path(path: str) -> str:
    """Return the URL of a page file, as Streamlit derives it (app_pages/inspect.py → inspect)."""
    return Path(path).stem


actor = ui.current_actor()
if actor is None:
    # Every page URL exists while signed out (a bookmark or deep link shows the sign-in form
    # at its own address, never "Page not found"); after sign-in that same page runs.
    login = st.Page(ui.login_form, title=t("login.submit"), icon=":material/login:", default=True)
    hidden = [
        st.Page(ui.login_form, title=t(title), url_path=url_path(path), visibility="hidden")
        for path, title, _icon, _roles in PAGES
    ]
    st.navigation([login, *hidden]).run()
    st.stop()

ui.user_box(actor)
ui.campaign_picker()  # the campaign every page works on (sidebar, ?dot= in the URL)
landing = LANDING.get(actor.role, "app_pages/home.py")
st.navigation(
    [
        st.Page(path, title=t(title), icon=f":material/{icon}:", default=path == landing)
        if actor.role in roles
        # A page this role does not use keeps its URL, with a Vietnamese note instead.
        else st.Page(ui.not_for_role, title=t(title), url_path=url_path(path), visibility="hidden")
        for path, title, icon, roles in PAGES
    ],
    expanded=True,
).run()
