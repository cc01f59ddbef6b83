"""Compare campaigns: two pickers and, per ward, sites, installed, coverage, flags side by side."""

import pandas as pd
import streamlit as st

from kehoach import ui
from kehoach.domain.errors import DomainError
from kehoach.i18n import format_percent, t
from kehoach.services import campaigns
from kehoach.services.campaign_compare import compare_campaigns
from kehoach.ui.campaign_picker import campaign_label
from kehoach.ui.formats import with_dashes

actor = ui.require_actor()
st.title(t("compare.title"), anchor=False)
st.caption(t("compare.hint"))

listed = campaigns.list_campaigns(ui.engine())  # newest first
if len(listed) < 2:
    st.info(t("compare.need_two"))
    st.stop()
labels = {c.id: campaign_label(c) for c in listed}
ids = list(labels)
# By default: the chosen campaign (right) against the one before it (left).
current = ui.current_campaign_id()
chosen = ids.index(current) if current in ids else 0
before = chosen + 1 if chosen + 1 < len(ids) else chosen - 1
left, right = st.columns(2)
a_id = left.selectbox(t("compare.a"), ids, index=before, format_func=labels.__getitem__,
                      key="compare-a")  # fmt: skip
b_id = right.selectbox(t("compare.b"), ids, index=chosen, format_func=labels.__getitem__,
                       key="compare-b")  # fmt: skip

try:
    rows = compare_campaigns(ui.engine(), actor, a_id, b_id)
except DomainError as exc:
    ui.show_error(exc)
    st.stop()
columns = {
    "sites": lambda f: f.sites,
    "installed": lambda f: f.installed,
    "coverage": lambda f: format_percent(f.coverage),
    "flags": lambda f: format_percent(f.flag_rate),
}
table = pd.DataFrame(
    [
        {
            t("compare.col.ward"): row.ward,
            **{
                t(f"compare.col.{name}", side=side): value(figures)
                for name, value in columns.items()
                for side, figures in (("A", row.a), ("B", row.b))
            },
        }
        for row in rows
    ]
)
st.dataframe(with_dashes(table), hide_index=True, width="stretch")
st.caption(t("compare.legend", a=ui.md(labels[a_id]), b=ui.md(labels[b_id])))
