"""Task board: the plan's units and tasks, progress from sites, overdue items standing out."""

import streamlit as st

from kehoach import ui
from kehoach.domain.enums import Role
from kehoach.domain.errors import DomainError
from kehoach.domain.progress import TaskStatus
from kehoach.i18n import label, t
from kehoach.services import progress, task_status, views
from kehoach.ui.task_widgets import summary_tiles, unit_board

actor = ui.require_actor()
st.title(t("tasks.title"), anchor=False)
st.caption(t("tasks.caption"))
read_only = ui.closed_banner()
ui.flash_messages()
campaign_id = ui.current_campaign_id()

boards = progress.task_board(ui.engine(), campaign_id=campaign_id)
if not boards:
    st.info(t("plan.none"))
    st.stop()
summary_tiles(views.task_summary(boards))

# A unit sets the status and evidence of the tasks the app cannot measure; a ward officer sets
# the wards' tasks for their own ward, staff may set them for any ward.
editable = {} if read_only else task_status.editable_tasks(ui.engine(), actor, campaign_id)
if editable:
    with st.expander(t("tasks.form.title")), st.form("task-status", enter_to_submit=False):
        task_id = st.selectbox(
            t("tasks.form.task"), list(editable), format_func=editable.__getitem__
        )
        status = st.radio(
            t("tasks.form.status"),
            [s.value for s in TaskStatus],
            format_func=lambda v: label(TaskStatus(v)),
            horizontal=True,
        )
        ward_id = None
        if actor.role != Role.WARD_OFFICER:
            wards = ui.ward_names()
            ward_id = st.selectbox(
                t("tasks.form.ward"),
                [None, *wards],
                format_func=lambda w: t("tasks.form.whole_unit") if w is None else wards[w],
                help=t("tasks.form.ward_help"),
            )
        evidence = st.text_area(t("tasks.form.evidence"), max_chars=2000)
        saved = st.form_submit_button(t("tasks.form.save"), type="primary")
    if saved:
        try:
            task_status.set_task_status(
                ui.engine(), actor, task_id, status, evidence, ward_id=ward_id
            )
        except DomainError as exc:
            ui.show_error(exc)
        else:
            st.session_state["flash_success"] = t("tasks.form.saved")
            st.rerun()

if st.toggle(t("tasks.only_overdue"), key="tasks-overdue"):
    boards = [board for board in boards if board.overdue]
for board in boards:
    unit_board(board)
