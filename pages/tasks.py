"""Task board: the plan's units and tasks, progress from sites, overdue items standing out."""

import streamlit as st

from kehoach import ui
from kehoach.i18n import t
from kehoach.services import progress
from kehoach.ui import tasks

actor = ui.require_actor()
st.title(t("tasks.title"), anchor=False)
st.caption(t("tasks.caption"))
ui.flash_messages()

boards = progress.task_board(ui.engine())
if not boards:
    st.info(t("plan.none"))
    st.stop()
tasks.summary(boards)
tasks.status_form(actor)
if tasks.only_overdue():
    boards = [board for board in boards if board.overdue]
for board in boards:
    tasks.unit_board(board)
