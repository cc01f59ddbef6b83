"""Turn values into the short Vietnamese texts and Markdown badges the pages show."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from kehoach.domain.progress import ReportStatus
from kehoach.i18n import (
    LOCAL_TZ,
    format_number,
    label,
    t,
)
from kehoach.ui import md, status_label

REPORT_ICONS = {
    ReportStatus.ON_TIME: "✅",
    ReportStatus.LATE: "⚠️",
    ReportStatus.MISSING: "❌",
    ReportStatus.NOT_DUE: "⏳",
}
_STATUS_COLOURS = {
    "planned": "gray",
    "installing": "orange",
    "installed": "green",
    "needs_fix": "red",
    "removed": "gray",
}


def km(metres: float) -> str:
    """Format metres as kilometres with a decimal comma (Vietnamese style)."""
    return format_number(metres / 1000, 1)


def month_label(month: str) -> str:
    """Format "YYYY-MM" as "MM/YYYY"."""
    return f"{month[5:]}/{month[:4]}"


def since(at: datetime | None, now: datetime | None = None) -> str:
    """Say how long ago a site was last inspected."""
    if at is None:
        return t("inspect.never")
    minutes = int(((now or datetime.now(LOCAL_TZ)) - at).total_seconds() // 60)
    if minutes < 1:
        return t("inspect.ago.now")
    if minutes < 60:
        return t("inspect.ago.minutes", n=minutes)
    if minutes < 48 * 60:
        return t("inspect.ago.hours", n=minutes // 60)
    return t("inspect.ago.days", n=minutes // (24 * 60))


def report_status_text(value: str) -> str:
    """Return a report status with its icon, in Vietnamese."""
    status = ReportStatus(value)
    return f"{REPORT_ICONS[status]} {label(status)}"


def badge(colour: str, text: str) -> str:
    """Return Streamlit's badge directive; the text is escaped and cannot close it."""
    return f":{colour}-badge[{md(text)}]"


def status_badge(status: str) -> str:
    """Return a coloured Markdown badge for a site status."""
    return badge(_STATUS_COLOURS.get(status, "gray"), status_label(status))


def with_dashes(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with every missing text cell shown as "—" (st.dataframe writes "None")."""
    shown = frame.copy()
    for column in shown.columns:
        values = shown[column]
        numbers = pd.api.types.is_numeric_dtype(values)
        if not (numbers or pd.api.types.is_datetime64_any_dtype(values)):
            shown[column] = values.astype(object).where(values.notna(), "—")
    return shown
