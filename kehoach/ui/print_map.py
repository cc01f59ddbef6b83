"""The "print the map" button: the current view (campaign, filters, focus) as a PDF page.

Matplotlib (about 0.2 s to import) is loaded only when a PDF is drawn, not with the page.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from kehoach.domain.sites import SiteFilter
from kehoach.i18n import format_date, label, t
from kehoach.ui import base_layers, campaign_subtitle, street_names, ward_names


def _view_line(choice: SiteFilter, count: int) -> str:
    """Return what the printed view holds: the filters chosen and the number of sites."""
    from kehoach.domain.enums import SiteKind, SiteStatus

    wards, streets = ward_names(), street_names()
    parts = [
        *(wards.get(i, "") for i in choice.ward_ids),
        *(streets.get(i, "") for i in choice.street_ids),
        *(label(SiteStatus(s)) for s in choice.statuses),
        *(label(SiteKind(k)) for k in choice.kinds),
    ]
    text = ", ".join(p for p in parts if p) or t("home.filter.all")
    return f"{t('print.filters', text=text)} · {t('print.count', n=count)}"


def print_pdf(
    shown: pd.DataFrame, choice: SiteFilter, bounds: list[list[float]] | None = None
) -> bytes:
    """Return the PDF of the view (called only when the user clicks the download)."""
    from kehoach.adapters.print_map import PrintTexts, render_print_map

    texts = PrintTexts(
        title=f"{t('print.title')} — {campaign_subtitle()}",
        date_line=t("print.date", date=format_date(date.today())),
        view_line=_view_line(choice, len(shown)),
        credits=f"{t('map.attribution.osm')} · {t('map.attribution.wards')}",
    )
    return render_print_map(base_layers(), shown, texts, bounds)


def print_button(
    shown: pd.DataFrame, choice: SiteFilter, bounds: list[list[float]] | None = None
) -> None:
    """Offer the view as an A4 landscape PDF, drawn only when the button is clicked."""
    st.download_button(
        t("print.button"),
        lambda: print_pdf(shown, choice, bounds),
        f"ban-do-{date.today():%Y-%m-%d}.pdf",
        mime="application/pdf",
        key="print-map",
        icon=":material/print:",
    )
