"""Plan: the imported plan's units, tasks and the streets it names."""

from datetime import date

import streamlit as st

from kehoach import ui
from kehoach.domain.enums import TaskKind
from kehoach.i18n import label, t
from kehoach.services import queries

ui.require_actor()
st.title(t("plan.title"), anchor=False)
plan = queries.load_plan(ui.engine(), ui.current_campaign_id())
if plan is None:
    st.info(t("plan.none"))
    st.stop()

st.markdown(f"**{ui.md(plan.title)}**")
st.caption(
    f"{ui.md(plan.issuer)} · {t('plan.number')}: {ui.md(plan.number or t('plan.number_blank'))}"
)
if plan.implements:
    docs = ", ".join(f"{d.get('number', '')} ({d.get('date', '')})" for d in plan.implements)
    st.caption(f"{t('plan.implements')}: {ui.md(docs)}")

cols = st.columns(3)
if plan.anniversary:
    days = (plan.anniversary - date.today()).days
    cols[0].metric(
        t("plan.anniversary"),
        ui.local_date(plan.anniversary),
        t("plan.days_left", days=days) if days >= 0 else t("plan.days_past", days=-days),
        delta_color="off",
    )
if plan.report_deadline_day:
    cols[1].metric(t("plan.deadline", day=plan.report_deadline_day), plan.report_deadline_day)
cols[2].metric(t("plan.units"), len(plan.units))

st.subheader(t("plan.streets"), anchor=False)
st.markdown(
    "\n".join(
        f"- {ui.md(s['name'])} — {t('plan.matched') if s['matched'] else t('plan.unmatched')}"
        for s in plan.streets
    )
)

st.subheader(t("plan.units"), anchor=False)
for unit in plan.units:
    with st.expander(f"{unit['position']}. {ui.md(unit['name'])} ({len(unit['tasks'])})"):
        if unit["lead_in"]:
            st.markdown(f"_{ui.md(unit['lead_in'])}_")
        for task in unit["tasks"]:
            st.markdown(f"**{label(TaskKind(task['kind']))}** — {ui.md(task['text'])}")
            if task["attachment"]:
                st.caption(f"{t('plan.attachment')}: {ui.md(task['attachment'])}")
