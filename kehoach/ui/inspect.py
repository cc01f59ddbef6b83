"""Widgets of the inspection page, made for a 10-inch tablet in the street.

Where am I (GPS, a street, or a tap on the map) → the nearest sites or a street's walking
order → one tap to pass, or the form with defects, a note and photos. Session state keeps
ids, the last GPS fix and short messages only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components
from streamlit_folium import st_folium

from kehoach.adapters.draftmap import add_draft
from kehoach.adapters.mapview import build_map
from kehoach.domain.enums import SiteKind
from kehoach.domain.errors import DomainError
from kehoach.domain.inspection import (
    ACCURACY_WARNING_M,
    MAX_NOTE_CHARS,
    Defect,
    DevicePosition,
    InspectionOutcome,
    InspectionWarning,
    PhotoFlag,
    UploadedPhoto,
)
from kehoach.domain.permissions import Actor
from kehoach.i18n import LOCAL_TZ, format_date, label, t
from kehoach.services import inspections, queries
from kehoach.services.inspections import InspectionResult, NearSite
from kehoach.ui import (
    SELECTED_SITE,
    base_layers,
    clear_read_caches,
    engine,
    kind_label,
    map_options,
    md,
    show_error,
    site_card,
    sites_table,
    status_label,
    street_names,
    ward_names,
)
from kehoach.ui.photos import inspection_photos, show_photos

# Session-state keys (ids, the last fix and messages only).
TARGET = "inspect_site_id"
GPS_FIX = "inspect_gps_fix"
GPS_ERROR = "inspect_gps_error"
GPS_SEEN = "inspect_gps_seen_ts"
MAP_POINT = "inspect_map_point"
MAP_CLICK = "inspect_map_click"
FORM_ROUND = "inspect_form_round"
LAST_SAVED = "inspect_last_saved"
SCROLL_TOP = "inspect_scroll_top"
VIEW_COUNT = "inspect_view_count"
# A GPS fix older than this is not stored with an inspection as the device position.
GPS_FRESH_S = 600
NEAREST_LIMIT = 12
FLAG_KINDS = frozenset({SiteKind.NATIONAL_FLAG.value, SiteKind.FLAG_LINE.value})
PHOTO_TYPES = ["jpg", "jpeg", "png", "webp"]
# Streamlit ships the Material Symbols font, so these draw offline on any tablet.
MODE_ICONS = {
    "gps": ":material/my_location:",
    "street": ":material/signpost:",
    "map": ":material/map:",
}

_geolocation = components.declare_component(
    "kh_geolocation", path=str(Path(__file__).parent / "components" / "geolocation")
)

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


@dataclass(frozen=True)
class Where:
    """Where the inspector is: a point (GPS or a tap) and/or a chosen street."""

    lon: float | None = None
    lat: float | None = None
    source: str = ""  # gps | map | street
    street_id: int | None = None
    street: str | None = None

    @property
    def has_point(self) -> bool:
        """Tell whether a point is known."""
        return self.lon is not None and self.lat is not None


# --- Formatting -------------------------------------------------------------------------------


def metres(value: float | None) -> str:
    """Format a distance: metres below a kilometre, else kilometres with a decimal comma."""
    if value is None:
        return "—"
    if value < 1000:
        return f"{value:.0f} m"
    return f"{value / 1000:.1f} km".replace(".", ",")


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


_STATUS_COLOURS = {
    "planned": "gray",
    "installing": "orange",
    "installed": "green",
    "needs_fix": "red",
    "removed": "gray",
}


def status_badge(status: str) -> str:
    """Return a coloured Markdown badge for a site status."""
    return f":{_STATUS_COLOURS.get(status, 'gray')}-badge[{md(status_label(status))}]"


# --- Where am I -------------------------------------------------------------------------------


def _gps_widget() -> None:
    """Show the geolocation button and keep its newest answer in the session."""
    fix = st.session_state.get(GPS_FIX)
    status = ""
    if fix:
        received = datetime.fromtimestamp(fix["received"], LOCAL_TZ)
        status = t("inspect.gps.fix", acc=f"{fix['accuracy']:.0f}", time=received.strftime("%H:%M"))
    value = _geolocation(
        button=t("inspect.gps.button"),
        refresh=t("inspect.gps.refresh"),
        waiting=t("inspect.gps.waiting"),
        fix=t("inspect.gps.fix"),
        status=status,
        has_fix=fix is not None,
        auto=fix is None,
        key="inspect-geolocation",
        default=None,
    )
    if not isinstance(value, dict) or value.get("ts") == st.session_state.get(GPS_SEEN):
        return
    st.session_state[GPS_SEEN] = value.get("ts")
    if "error" in value:
        st.session_state[GPS_ERROR] = str(value["error"])
        return
    try:
        new_fix = {
            "lon": float(value["lon"]),
            "lat": float(value["lat"]),
            "accuracy": float(value.get("accuracy") or 0.0),
            "received": time.time(),
        }
    except (KeyError, TypeError, ValueError):
        st.session_state[GPS_ERROR] = "unavailable"
        return
    st.session_state[GPS_FIX] = new_fix
    st.session_state.pop(GPS_ERROR, None)


def device_position() -> DevicePosition | None:
    """Return the last GPS fix if it is fresh enough to be stored with an inspection."""
    fix = st.session_state.get(GPS_FIX)
    if not fix or time.time() - fix["received"] > GPS_FRESH_S:
        return None
    return DevicePosition(fix["lon"], fix["lat"], fix["accuracy"])


def _checked_fix() -> Where:
    fix = st.session_state.get(GPS_FIX)
    if error := st.session_state.get(GPS_ERROR):
        st.warning(t(f"inspect.gps.{error}"))
    if not fix:
        st.caption(t("inspect.gps.hint"))
        return Where()
    try:
        inspections.check_position(engine(), fix["lon"], fix["lat"])
    except DomainError as exc:
        show_error(exc)
        return Where()
    if fix["accuracy"] > ACCURACY_WARNING_M:
        st.warning(t("inspect.gps.low_accuracy", acc=f"{fix['accuracy']:.0f}"))
    return Where(fix["lon"], fix["lat"], "gps")


@st.cache_data(ttl=3600, show_spinner=False)
def _streets_in_ward(ward_id: int) -> dict[int, str]:
    return {o.id: o.label for o in inspections.streets_in_ward(engine(), ward_id)}


@st.cache_data(ttl=3600, show_spinner=False)
def _all_streets() -> dict[int, str]:
    return street_names()


def _street_picker(gps: Where) -> Where:
    wards = ward_names()
    left, right = st.columns(2)
    ward = left.selectbox(
        t("inspect.ward"),
        list(wards),
        format_func=wards.get,
        index=None,
        placeholder=t("home.filter.all"),
        key="inspect-ward",
    )
    streets = _streets_in_ward(ward) if ward else _all_streets()
    street = right.selectbox(
        t("inspect.street"),
        list(streets),
        format_func=streets.get,
        index=None,
        placeholder=t("inspect.street.pick"),
        key="inspect-street",
    )
    if street is None:
        return gps
    return Where(gps.lon, gps.lat, "street", street, streets[street])


def _map_picker() -> Where:
    st.caption(t("inspect.map.hint"))
    point = st.session_state.get(MAP_POINT)
    fmap = build_map(base_layers(), sites_table(), map_options(height=380))
    if point:
        add_draft(fmap, [tuple(point)])
    result = st_folium(
        fmap,
        key="inspect-map",
        height=380,
        use_container_width=True,
        returned_objects=["last_clicked"],
    )
    clicked = (result or {}).get("last_clicked")
    if clicked and st.session_state.get(MAP_CLICK) != clicked:
        st.session_state[MAP_CLICK] = clicked
        st.session_state[MAP_POINT] = (
            round(float(clicked["lng"]), 7),
            round(float(clicked["lat"]), 7),
        )
        st.rerun()
    if not point:
        return Where()
    lon, lat = point
    try:
        inspections.check_position(engine(), lon, lat)
    except DomainError as exc:
        show_error(exc)
        return Where()
    st.caption(t("inspect.map.picked", lat=f"{lat:.5f}", lon=f"{lon:.5f}"))
    return Where(lon, lat, "map")


def where_am_i() -> Where:
    """Ask where the inspector is: GPS first, else a ward and street, else a tap on the map."""
    mode = st.segmented_control(
        t("inspect.where"),
        ["gps", "street", "map"],
        format_func=lambda m: f"{MODE_ICONS[m]} {t(f'inspect.mode.{m}')}",
        default="gps",
        required=True,
        key="inspect-mode",
        label_visibility="collapsed",
    )
    _gps_widget()
    gps = _checked_fix() if mode in ("gps", "street") else Where()
    if mode == "street":
        return _street_picker(gps)
    if mode == "map":
        return _map_picker()
    return gps


# --- The list ---------------------------------------------------------------------------------


def _select(site_id: int) -> None:
    st.session_state[TARGET] = site_id
    st.session_state[SCROLL_TOP] = True


def _deselect() -> None:
    st.session_state.pop(TARGET, None)
    st.session_state[SCROLL_TOP] = True


def _meta_line(item: NearSite) -> str:
    parts = []
    if item.distance_m is not None:
        parts.append(f"**{metres(item.distance_m)}**")
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


def _row(position: int, item: NearSite) -> None:
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
            on_click=_select,
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
                engine(), where.street_id, hide_inspected_today=hide, lon=where.lon, lat=where.lat
            )
            st.subheader(t("inspect.walk", street=where.street), anchor=False)
        elif where.has_point:
            items = inspections.nearest_sites(
                engine(), where.lon, where.lat, NEAREST_LIMIT, hide_inspected_today=hide
            )  # type: ignore[arg-type]
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
        _row(position, item)


# --- Recording --------------------------------------------------------------------------------


def _warning_texts(result: InspectionResult) -> list[str]:
    texts = []
    for warning in result.warnings:
        if warning == InspectionWarning.PHOTO_FLAGGED:
            for n, flags in enumerate(result.photo_flags, start=1):
                if flags:
                    described = "; ".join(label(PhotoFlag(f)) for f in flags)
                    texts.append(t("InspectionWarning.photo_flagged", n=n, flags=described))
        elif warning == InspectionWarning.FAR_FROM_SITE:
            texts.append(t("InspectionWarning.far_from_site", d=metres(result.distance_m)))
        elif warning == InspectionWarning.LOW_ACCURACY:
            position = device_position()
            accuracy = f"{position.accuracy_m:.0f}" if position and position.accuracy_m else "?"
            texts.append(t("InspectionWarning.low_accuracy", acc=accuracy))
        else:
            texts.append(label(warning))
    return texts


def _save(
    actor: Actor,
    site_id: int,
    outcome: InspectionOutcome,
    defects: list[str],
    note: str,
    files: list,  # type: ignore[type-arg]
    flags: tuple[int, int] | None,
) -> None:
    uploads = [UploadedPhoto(f.getvalue(), f.name) for f in files]
    with st.spinner(t("inspect.saving")):
        try:
            result = inspections.record_inspection(
                engine(),
                actor,
                site_id,
                outcome,
                defects,
                note,
                uploads,
                device_position(),
                flags_hung=flags[0] if flags else None,
                flags_expected=flags[1] if flags else None,
            )
        except DomainError as exc:
            show_error(exc)
            return
    message = t(
        "inspect.saved",
        code=result.code,
        result=label(outcome),
        n=result.photos,
        status=status_label(result.status),
    )
    if result.distance_m is not None:
        message += " " + t("inspect.saved.distance", d=metres(result.distance_m))
    st.session_state[LAST_SAVED] = {
        "site_id": result.site_id,
        "inspection_id": result.inspection_id,
        "message": message,
        "warnings": _warning_texts(result),
    }
    st.session_state[FORM_ROUND] = st.session_state.get(FORM_ROUND, 0) + 1
    st.session_state[SELECTED_SITE] = result.site_id
    st.session_state.pop(TARGET, None)
    st.session_state[SCROLL_TOP] = True
    clear_read_caches()
    st.rerun()


def last_saved() -> None:
    """Confirm the last save with the photos read back from storage, and its site card."""
    saved = st.session_state.get(LAST_SAVED)
    if not saved:
        return
    st.success(saved["message"])
    for text in saved["warnings"]:
        st.warning(text)
    photos = [
        p
        for p in inspections.site_photos(engine(), saved["site_id"])
        if p.inspection_id == saved["inspection_id"]
    ]
    show_photos(photos, width=120, captions=False)
    card = queries.load_site_card(engine(), saved["site_id"])
    if card is not None:
        with st.expander(f"{t('inspect.card')}: {card.code}"):
            site_card(card)
            inspection_photos(card.id)


def _header(target: NearSite) -> None:
    st.button(
        t("inspect.back"), on_click=_deselect, key="inspect-back", icon=":material/arrow_back:"
    )
    st.markdown(
        f"### {md(target.code)} — {md(target.name or kind_label(target.kind))}\n"
        f"{_meta_line(target)}"
        + (f"  \n{md(target.address)}" if target.address else "")
        + (f"  \n{md(target.street)}" if target.street else "")
    )


def _flag_inputs(card: queries.SiteCard) -> tuple[int, int] | None:
    campaign = inspections.load_campaign(engine())
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


def record_view(actor: Actor, site_id: int, where: Where) -> None:
    """Show the chosen site with the one-tap pass and the detailed form."""
    target = inspections.load_target(engine(), site_id, where.lon, where.lat)
    card = queries.load_site_card(engine(), site_id)
    if target is None or card is None:
        st.warning(t("inspect.not_target"))
        st.button(t("inspect.back"), on_click=_deselect, key="inspect-back")
        return
    _header(target)
    if st.button(
        t("inspect.pass_now"),
        type="primary",
        width="stretch",
        key="inspect-pass",
        icon=":material/check_circle:",
    ):
        _save(actor, site_id, InspectionOutcome.PASS, [], "", [], None)
    st.caption(t("inspect.pass_hint"))
    round_no = st.session_state.get(FORM_ROUND, 0)
    with st.form(f"inspect-form-{round_no}", border=True):
        st.markdown(f"**{t('inspect.form.title')}**")
        outcome = st.segmented_control(
            t("inspect.result"),
            [o.value for o in InspectionOutcome],
            format_func=lambda v: label(InspectionOutcome(v)),
        )
        defects = st.pills(
            t("inspect.defects"),
            [d.value for d in Defect],
            selection_mode="multi",
            format_func=lambda v: label(Defect(v)),
        )
        files = st.file_uploader(t("inspect.photos"), type=PHOTO_TYPES, accept_multiple_files=True)
        note = st.text_area(t("inspect.note"), max_chars=MAX_NOTE_CHARS, height=90)
        flags = _flag_inputs(card)
        submitted = st.form_submit_button(
            t("inspect.submit"), type="primary", width="stretch", icon=":material/save:"
        )
    if submitted:
        if outcome is None:
            st.error(t("inspect.result.required"))
        else:
            _save(actor, site_id, InspectionOutcome(outcome), defects, note, files or [], flags)
    with st.expander(t("inspect.card")):
        site_card(card)
        inspection_photos(card.id)
