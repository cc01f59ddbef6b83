"""Widgets of the task board: units and their tasks, progress, overdue items, status form."""

from __future__ import annotations

import streamlit as st

from kehoach.domain.enums import TaskKind
from kehoach.domain.errors import DomainError
from kehoach.domain.permissions import Actor
from kehoach.domain.progress import TaskStatus
from kehoach.i18n import format_date, label, t
from kehoach.services.progress import TaskProgress, UnitBoard, editable_tasks, set_task_status
from kehoach.ui import engine, md, show_error

TEXT_MAX = 260
STATUS_BADGES = {
    TaskStatus.OPEN: "gray",
    TaskStatus.IN_PROGRESS: "orange",
    TaskStatus.DONE: "green",
}


def summary(boards: list[UnitBoard]) -> None:
    """Show how many tasks there are, how many are done and how many are overdue."""
    tasks = [task for board in boards for task in board.tasks]
    cols = st.columns(4)
    cols[0].metric(t("tasks.kpi.units"), len(boards))
    cols[1].metric(t("tasks.kpi.tasks"), len(tasks))
    cols[2].metric(t("tasks.kpi.done"), sum(task.status == TaskStatus.DONE for task in tasks))
    cols[3].metric(t("tasks.kpi.overdue"), sum(task.overdue for task in tasks))


def only_overdue() -> bool:
    """Ask whether to show only units with overdue tasks."""
    return st.toggle(t("tasks.only_overdue"), key="tasks-overdue")


def _badge(color: str, text: str) -> str:
    # Streamlit's badge directive; the text is escaped for Markdown and cannot close it.
    return f":{color}-badge[{md(text)}]"


def _task_line(task: TaskProgress) -> None:
    text = task.text if len(task.text) <= TEXT_MAX else task.text[: TEXT_MAX - 1] + "…"
    badges = [
        _badge("blue", label(TaskKind(task.kind))),
        _badge(STATUS_BADGES[task.status], label(task.status)),
    ]
    if task.overdue:
        badges.append(_badge("red", t("tasks.overdue")))
    left, right = st.columns([3, 2])
    left.markdown(f"**{task.position}.** {md(text)}")
    left.markdown(" ".join(badges))
    with right:
        if task.measured:
            _measured(task)
        if task.due_on:
            due = t("tasks.due", date=format_date(task.due_on))
            st.markdown(f":red[**{due}**]" if task.overdue else due)
        if task.evidence_note:
            last = task.evidence_note.strip().splitlines()[-1]
            st.caption(f"{t('tasks.evidence')}: {md(last)}")


def _measured(task: TaskProgress) -> None:
    if not task.sites_total:
        st.caption(t("tasks.no_sites"))
        return
    text = t("tasks.sites_done", done=task.sites_installed, total=task.sites_total)
    if task.flags_expected:
        text += " · " + t("tasks.flags", hung=task.flags_hung, expected=task.flags_expected)
    st.progress(min(task.share or 0.0, 1.0), text=text)


def unit_board(board: UnitBoard) -> None:
    """Show one unit; units with overdue tasks are open and say so in red in their header."""
    title = f"**{board.position}. {md(board.name)}** · " + t(
        "tasks.unit_detail", done=board.done, total=len(board.tasks)
    )
    if board.overdue:
        title += f" · :red[**{t('tasks.unit_overdue', n=board.overdue)}**]"
    with st.expander(title, expanded=bool(board.overdue)):
        for task in board.tasks:
            with st.container(border=True):
                _task_line(task)


def status_form(actor: Actor) -> None:
    """Let a unit set the status and evidence of the tasks the app cannot measure."""
    tasks = editable_tasks(engine(), actor)
    if not tasks:
        return
    with st.expander(t("tasks.form.title")), st.form("task-status"):
        task_id = st.selectbox(t("tasks.form.task"), list(tasks), format_func=tasks.get)
        status = st.radio(
            t("tasks.form.status"),
            [s.value for s in TaskStatus],
            format_func=lambda v: label(TaskStatus(v)),
            horizontal=True,
        )
        evidence = st.text_area(t("tasks.form.evidence"), max_chars=2000)
        if not st.form_submit_button(t("tasks.form.save"), type="primary"):
            return
    try:
        set_task_status(engine(), actor, task_id, status, evidence)
    except DomainError as exc:
        show_error(exc)
        return
    st.session_state["flash_success"] = t("tasks.form.saved")
    st.rerun()
