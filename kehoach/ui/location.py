"""Where am I: the GPS button, a ward and street picker, or a tap on the map (inspection).

Session state keeps the last GPS fix, the tapped point and the geolocation error code only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

from kehoach.adapters.draftmap import add_draft
from kehoach.adapters.mapview import build_map
from kehoach.domain.errors import DomainError
from kehoach.domain.inspection import ACCURACY_WARNING_M, DevicePosition
from kehoach.i18n import LOCAL_TZ, t
from kehoach.services import inspections
from kehoach.ui import (
    base_layers,
    engine,
    map_options,
    show_error,
    sites_table,
    street_names,
    ward_names,
)
from kehoach.ui.maps import show_map, tapped_point

GPS_FIX = "inspect_gps_fix"
GPS_ERROR = "inspect_gps_error"
GPS_SEEN = "inspect_gps_seen_ts"
MAP_POINT = "inspect_map_point"
MAP_CLICK = "inspect_map_click"
# A GPS fix older than this is not stored with an inspection as the device position.
GPS_FRESH_S = 600
# Streamlit ships the Material Symbols font, so these draw offline on any tablet.
MODE_ICONS = {
    "gps": ":material/my_location:",
    "street": ":material/signpost:",
    "map": ":material/map:",
}

_geolocation = components.declare_component(
    "kh_geolocation", path=str(Path(__file__).parent / "components" / "geolocation")
)


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


def gps_button() -> None:
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
        format_func=wards.__getitem__,
        index=None,
        placeholder=t("home.filter.all"),
        key="inspect-ward",
    )
    streets = _streets_in_ward(ward) if ward else _all_streets()
    street = right.selectbox(
        t("inspect.street"),
        list(streets),
        format_func=streets.__getitem__,
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
    result = show_map(fmap, "inspect-map", 380, ["last_clicked"])
    if tapped := tapped_point(result, MAP_CLICK):
        st.session_state[MAP_POINT] = tapped
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
    gps_button()
    gps = _checked_fix() if mode in ("gps", "street") else Where()
    if mode == "street":
        return _street_picker(gps)
    if mode == "map":
        return _map_picker()
    return gps
