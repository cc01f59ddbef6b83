"""Widgets of the task board: the summary tiles and one unit's tasks with their progress."""

from __future__ import annotations

import streamlit as st

from kehoach.domain.enums import TaskKind
from kehoach.domain.progress import TaskStatus
from kehoach.i18n import format_date, label, t
from kehoach.services.progress import TaskProgress, UnitBoard
from kehoach.services.views import TaskSummary
from kehoach.ui import md
from kehoach.ui.formats import badge

TEXT_MAX = 260
STATUS_BADGES = {
    TaskStatus.OPEN: "gray",
    TaskStatus.IN_PROGRESS: "orange",
    TaskStatus.DONE: "green",
}


def summary_tiles(summary: TaskSummary) -> None:
    """Show how many units and tasks there are, how many are done and how many overdue."""
    cols = st.columns(4)
    cols[0].metric(t("tasks.kpi.units"), summary.units)
    cols[1].metric(t("tasks.kpi.tasks"), summary.tasks)
    cols[2].metric(t("tasks.kpi.done"), summary.done)
    cols[3].metric(t("tasks.kpi.overdue"), summary.overdue)


def _measured(task: TaskProgress) -> None:
    if not task.sites_total:
        st.caption(t("tasks.no_sites"))
        return
    text = t("tasks.sites_done", done=task.sites_installed, total=task.sites_total)
    if task.flags_expected:
        text += " · " + t("tasks.flags", hung=task.flags_hung, expected=task.flags_expected)
    st.progress(min(task.share or 0.0, 1.0), text=text)


def _task_line(task: TaskProgress) -> None:
    text = task.text if len(task.text) <= TEXT_MAX else task.text[: TEXT_MAX - 1] + "…"
    badges = [
        badge("blue", label(TaskKind(task.kind))),
        badge(STATUS_BADGES[task.status], label(task.status)),
    ]
    if task.overdue:
        badges.append(badge("red", t("tasks.overdue")))
    left, right = st.columns([3, 2])
    left.markdown(f"**{task.position}.** {md(text)}")
    left.markdown(" ".join(badges))
    with right:
        if task.measured:
            _measured(task)
        if task.wards_total:
            done = task.wards_done or 0
            text = t("tasks.wards_done", done=done, total=task.wards_total)
            st.progress(done / task.wards_total, text=text)
        if task.due_on:
            key = "tasks.due_monthly" if task.monthly_day else "tasks.due"
            due = t(key, date=format_date(task.due_on), day=task.monthly_day)
            st.markdown(f":red[**{due}**]" if task.overdue else due)
        if task.evidence_note:
            last = task.evidence_note.strip().splitlines()[-1]
            st.caption(f"{t('tasks.evidence')}: {md(last)}")


def overdue_notice(boards: list[UnitBoard]) -> None:
    """Warn how many of the plan's tasks are overdue (nothing when none is)."""
    if overdue := sum(board.overdue for board in boards):
        st.warning(t("tasks.overdue_notice", n=overdue))


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
