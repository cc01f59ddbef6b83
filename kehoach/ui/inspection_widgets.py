"""Widgets of the inspection page, made for a 10-inch tablet in the street.

The tablet style, the list of sites to inspect (one row and one button each), the chosen
site's header, the detailed inspection form and the texts of a save's warnings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from kehoach.adapters.photos import MAX_PHOTO_BYTES
from kehoach.domain.enums import SiteKind
from kehoach.domain.errors import DomainError
from kehoach.domain.inspection import (
    MAX_NOTE_CHARS,
    MAX_PHOTOS,
    Defect,
    InspectionOutcome,
    InspectionWarning,
    PhotoFlag,
)
from kehoach.i18n import LOCAL_TZ, format_date, format_length, label, t
from kehoach.services import inspections, queries
from kehoach.services.inspections import InspectionResult, NearSite
from kehoach.ui import current_campaign_id, engine, kind_label, md, show_error
from kehoach.ui.formats import since, status_badge
from kehoach.ui.location import Where, device_position

# Session-state keys: the site being inspected and the scroll-to-top request.
TARGET = "inspect_site_id"
SCROLL_TOP = "inspect_scroll_top"
VIEW_COUNT = "inspect_view_count"
NEAREST_LIMIT = 12
FLAG_KINDS = frozenset({SiteKind.NATIONAL_FLAG.value, SiteKind.FLAG_LINE.value})
PHOTO_TYPES = ["jpg", "jpeg", "png", "webp"]
# The uploader refuses a bigger file itself, at the limit the photo check enforces.
PHOTO_UPLOAD_MB = MAX_PHOTO_BYTES // (1024 * 1024)

# Constant CSS, no data: touch targets of at least 44 px, larger type and darker text for
# sunlight, and nothing wider than the screen.
TABLET_CSS = """<style>
.stMainBlockContainer { padding: 2.75rem 1rem 3rem 1rem; max-width: 100%; }
.stApp, .stApp p, .stApp li, .stApp label { color: #0b0f19; }
.stApp p, .stApp li { font-size: 1.06rem; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * {
  color: #1f2937 !important; font-size: 1rem; opacity: 1 !important;
}
.stMainBlockContainer h1 { font-size: 2.1rem; padding-top: 0.25rem; }
.stButton button, .stFormSubmitButton button, [data-testid="stFileUploaderDropzone"] button {
  min-height: 48px; font-size: 1.08rem; font-weight: 600;
}
[data-testid="stButtonGroup"] button {
  min-height: 46px; padding-left: 16px; padding-right: 16px; font-size: 1.04rem;
}
[data-testid="stCheckbox"] label { min-height: 44px; align-items: center; }
[data-baseweb="select"] > div { min-height: 48px; }
.stApp textarea, .stApp input { font-size: 1.06rem !important; }
[data-testid="stNumberInputContainer"] { min-height: 48px; }
[data-testid="stNumberInputStepUp"], [data-testid="stNumberInputStepDown"] { min-width: 44px; }
[data-testid="stExpander"] summary { min-height: 48px; }
[data-testid="stImageCaption"] { color: #1f2937 !important; }
.stMarkdownBadge {
  color: #0b0f19 !important; font-weight: 700; border: 1.5px solid rgba(11, 15, 25, 0.45);
}
</style>"""


# Constant script, no data: after a tap that changes the view (open a site, back to the
# list, saved), show the top of the new view — where its main action is — not the old
# scroll position, which could leave the "pass" button above the screen.
SCROLL_TOP_JS = """<script>
/* view %d */
(function () {
  function top() {
    var main = document.querySelector('[data-testid="stMain"]');
    if (main) main.scrollTo({ top: 0 });
    window.scrollTo({ top: 0 });
  }
  setTimeout(top, 30);
  setTimeout(top, 400);
})();
</script>"""


def tablet_style() -> None:
    """Inject the page's constant tablet CSS, and scroll to the top after a change of view."""
    st.html(TABLET_CSS)
    if st.session_state.pop(SCROLL_TOP, False):
        # A new view number makes a new element, so the browser runs the script again.
        views = st.session_state[VIEW_COUNT] = st.session_state.get(VIEW_COUNT, 0) + 1
        st.html(SCROLL_TOP_JS % int(views), unsafe_allow_javascript=True)


def open_site(site_id: int) -> None:
    """Switch to the inspection of one site (a button callback)."""
    st.session_state[TARGET] = site_id
    st.session_state[SCROLL_TOP] = True


def back_to_list() -> None:
    """Switch back to the list of sites (a button callback)."""
    st.session_state.pop(TARGET, None)
    st.session_state[SCROLL_TOP] = True


# --- The list ---------------------------------------------------------------------------------


def _meta_line(item: NearSite) -> str:
    parts = []
    if item.distance_m is not None:
        parts.append(f"**{format_length(item.distance_m)}**")
    parts += [
        md(kind_label(item.kind)),
        status_badge(item.status),
        md(since(item.last_inspected_at)),
    ]
    if item.awaiting_recheck:
        parts.append(f":orange-badge[:material/autorenew: {md(t('inspect.recheck'))}]")
    elif item.inspected_today:
        parts.append(f":blue-badge[:material/check: {md(t('inspect.today'))}]")
    return " · ".join(parts)


def site_row(position: int, item: NearSite) -> None:
    """Show one site of the list: where, what, its state, and the button to inspect it."""
    with st.container(border=True):
        text, action = st.columns([4, 1.3], vertical_alignment="center")
        title = f"{md(item.code)} — {md(item.name or kind_label(item.kind))}"
        place = ", ".join(md(p) for p in (item.address, item.street) if p)
        text.markdown(
            f"**{position}. {title}**  \n{_meta_line(item)}" + (f"  \n{place}" if place else "")
        )
        action.button(
            t("inspect.open"),
            key=f"inspect-open-{item.id}",
            on_click=open_site,
            args=(item.id,),
            type="primary" if position == 1 else "secondary",
            width="stretch",
        )


def site_list(where: Where) -> None:
    """Show the nearest sites (or a street in walking order), each with a button to inspect."""
    hide = st.toggle(t("inspect.hide_today"), value=True, key="inspect-hide-today")
    try:
        if where.source == "street" and where.street_id is not None:
            items = inspections.walking_order(
                engine(), where.street_id, hide_inspected_today=hide, lon=where.lon,
                lat=where.lat, campaign_id=current_campaign_id(),
            )  # fmt: skip
            st.subheader(t("inspect.walk", street=where.street), anchor=False)
        elif where.lon is not None and where.lat is not None:  # where.has_point
            items = inspections.nearest_sites(
                engine(), where.lon, where.lat, NEAREST_LIMIT, hide_inspected_today=hide,
                campaign_id=current_campaign_id(),
            )  # fmt: skip
            st.subheader(t("inspect.nearest"), anchor=False)
        else:
            st.info(t("inspect.need_position"))
            return
    except DomainError as exc:
        show_error(exc)
        return
    if not items:
        st.info(t("inspect.none"))
    for position, item in enumerate(items, start=1):
        site_row(position, item)


# --- The chosen site --------------------------------------------------------------------------


def site_header(target: NearSite) -> None:
    """Show the back button and the chosen site: code, name, state and where it stands."""
    st.button(
        t("inspect.back"), on_click=back_to_list, key="inspect-back", icon=":material/arrow_back:"
    )
    st.markdown(
        f"### {md(target.code)} — {md(target.name or kind_label(target.kind))}\n"
        f"{_meta_line(target)}"
        + (f"  \n{md(target.address)}" if target.address else "")
        + (f"  \n{md(target.street)}" if target.street else "")
    )


@dataclass(frozen=True)
class InspectionEntry:
    """What the inspector entered in the detailed form."""

    outcome: InspectionOutcome
    defects: list[str]
    note: str
    files: list[UploadedFile]
    flags: tuple[int, int] | None


def _flag_inputs(card: queries.SiteCard) -> tuple[int, int] | None:
    campaign = inspections.load_campaign(engine(), card.campaign_id)
    today = datetime.now(LOCAL_TZ).date()
    if not campaign.in_flag_window(today):
        return None
    if card.kind not in FLAG_KINDS and not card.flags_expected:
        return None
    st.markdown(
        f"**{t('inspect.flags', start=format_date(campaign.flag_start), end=format_date(campaign.flag_end))}**"  # noqa: E501
    )
    left, right = st.columns(2)
    hung = left.number_input(t("inspect.flags_hung"), min_value=0, value=card.flags_hung, step=1)
    expected = right.number_input(
        t("inspect.flags_expected"), min_value=0, value=card.flags_expected, step=1
    )
    return int(hung), int(expected)


def inspection_form(
    card: queries.SiteCard, round_no: int, outcomes: tuple[InspectionOutcome, ...]
) -> InspectionEntry | None:
    """Show the form (result, defects, photos, note, flags); return it once sent complete.

    Widgets are keyed by site and save round, so a refused save keeps everything entered
    (result, defects, photos, note) on screen for another try.
    """
    key = f"inspect-{card.id}-{round_no}"
    for field, value in st.session_state.get(draft_key(card.id), {}).items():
        st.session_state.setdefault(f"{key}-{field}", value)  # back from the list: refill
    with st.form(f"{key}-form", border=True, enter_to_submit=False):
        st.markdown(f"**{t('inspect.form.title')}**")
        outcome = st.segmented_control(
            t("inspect.result"),
            [o.value for o in outcomes],
            format_func=lambda v: label(InspectionOutcome(v)),
            key=f"{key}-result",
        )
        defects = st.pills(
            t("inspect.defects"),
            [d.value for d in Defect],
            selection_mode="multi",
            format_func=lambda v: label(Defect(v)),
            key=f"{key}-defects",
        )
        files = st.file_uploader(
            t("inspect.photos", n=MAX_PHOTOS, mb=PHOTO_UPLOAD_MB),
            type=PHOTO_TYPES,
            accept_multiple_files=True,
            key=f"{key}-photos",
            max_upload_size=PHOTO_UPLOAD_MB,
        )
        note = st.text_area(
            t("inspect.note"), max_chars=MAX_NOTE_CHARS, height=90, key=f"{key}-note"
        )
        flags = _flag_inputs(card)
        submitted = st.form_submit_button(
            t("inspect.submit"), type="primary", width="stretch", icon=":material/save:"
        )
    if not submitted:
        return None
    if outcome is None:
        st.error(t("inspect.result.required"))
        return None
    return InspectionEntry(InspectionOutcome(outcome), defects, note, files or [], flags)


def draft_key(site_id: int) -> str:
    """Return the session key of what was entered for a site and not saved yet."""
    return f"inspect_draft_{site_id}"


def keep_draft(site_id: int, entry: InspectionEntry) -> None:
    """Remember a refused entry for the site (photos stay in the uploader while it is shown)."""
    st.session_state[draft_key(site_id)] = {
        "result": entry.outcome.value,
        "defects": list(entry.defects),
        "note": entry.note,
    }


def warning_texts(result: InspectionResult) -> list[str]:
    """Return the Vietnamese texts of a saved inspection's warnings."""
    texts = []
    for warning in result.warnings:
        if warning == InspectionWarning.PHOTO_FLAGGED:
            for n, flags in enumerate(result.photo_flags, start=1):
                if flags:
                    described = "; ".join(label(PhotoFlag(f)) for f in flags)
                    texts.append(t("InspectionWarning.photo_flagged", n=n, flags=described))
        elif warning == InspectionWarning.FAR_FROM_SITE:
            texts.append(t("InspectionWarning.far_from_site", d=format_length(result.distance_m)))
        elif warning == InspectionWarning.LOW_ACCURACY:
            position = device_position()
            accuracy = f"{position.accuracy_m:.0f}" if position and position.accuracy_m else "?"
            texts.append(t("InspectionWarning.low_accuracy", acc=accuracy))
        else:
            texts.append(label(warning))
    return texts
