"""The "Cần định vị" list: place unplaced sites on the map, confirm or move guessed ones.

Session state holds the chosen site's id, the version seen when it was listed and the taps;
saving goes through ``services.placement.place_site_at`` (a historied edit, version-checked).
"""

from __future__ import annotations

import streamlit as st
from shapely.geometry import LineString, Point, shape

from kehoach.adapters.draftmap import add_draft
from kehoach.adapters.mapview import build_map
from kehoach.domain.enums import STRETCH_KINDS, SiteKind
from kehoach.domain.errors import DomainError
from kehoach.domain.permissions import SITE_EDITORS, Actor
from kehoach.i18n import t
from kehoach.services.placement import SiteToPlace, place_site_at, sites_to_place
from kehoach.ui import base_layers, clear_read_caches, engine, map_options, show_error
from kehoach.ui import sites_table as ui_sites_table
from kehoach.ui.maps import add_point, show_map, snapped_stretch, tapped_point

TAPS = "place_points"
CHOSEN = "place_site_id"


def _label(site: SiteToPlace) -> str:
    text = site.position_text or "—"
    if site.unplaced:
        return t("place.unplaced", code=site.code, text=text)
    return t("place.guessed", code=site.code, source=t(f"import.source.{site.location_source}"),
             text=text)


def _guess(site: SiteToPlace) -> tuple[list[tuple[float, float]], LineString | None]:
    if site.geometry is None:
        return [], None
    geom = shape(site.geometry)
    if isinstance(geom, LineString):
        return [], geom
    assert isinstance(geom, Point)
    return [(geom.x, geom.y)], None


def _drawn(street_id: int | None, taps: list[tuple[float, float]]) -> Point | LineString | None:
    """Return what the taps draw: a point, or along a street the stretch between two taps."""
    if street_id is not None:
        return snapped_stretch(street_id, taps[0], taps[1]) if len(taps) == 2 else None
    return Point(taps[-1]) if taps else None


def _street_id(site: SiteToPlace) -> int | None:
    """Return the street a stretch is drawn along: the site's, or one the user picks."""
    from kehoach.ui import street_names

    names = street_names()
    ids = list(names)
    known = next((i for i, n in names.items() if n == site.street), None)
    return st.selectbox(t("new.stretch_street"), ids, format_func=names.__getitem__,
                        index=ids.index(known) if known in ids else 0, key="place-street")


def placement_section(actor: Actor) -> None:
    """List the sites to place or confirm; place one by tapping the map or drawing a stretch."""
    if actor.role not in SITE_EDITORS:
        return
    todo = sites_to_place(engine(), actor)
    with st.expander(f"{t('place.title')} ({len(todo)})", expanded=bool(todo)):
        st.caption(t("place.intro"))
        if not todo:
            st.info(t("place.none"))
            return
        by_id = {site.id: site for site in todo}
        chosen = st.selectbox(t("place.pick"), list(by_id),
                              format_func=lambda i: _label(by_id[i]), key=CHOSEN)
        site = by_id[chosen]
        if st.session_state.get("place-last-site") != chosen:
            st.session_state[TAPS] = []
            st.session_state["place-last-site"] = chosen
        taps: list[tuple[float, float]] = st.session_state.setdefault(TAPS, [])
        stretch = SiteKind(site.kind) in STRETCH_KINDS
        drawn = _drawn(_street_id(site) if stretch else None, taps)
        points, line = _guess(site) if not taps else (taps, drawn if isinstance(
            drawn, LineString) else None)
        fmap = build_map(base_layers(), ui_sites_table(), map_options(height=420))
        result = show_map(add_draft(fmap, points, line), "place-map", 420, ["last_clicked"])
        if point := tapped_point(result, "place-last-click"):
            add_point(TAPS, point, limit=2 if stretch else 1)
            st.rerun()
        _actions(actor, site, drawn)


def _actions(actor: Actor, site: SiteToPlace, drawn: Point | LineString | None) -> None:
    left, right = st.columns(2)
    if not site.unplaced and left.button(t("place.confirm"), key="place-confirm"):
        _save(actor, site, None)
    if right.button(t("place.save"), type="primary", key="place-save"):
        if drawn is None:
            st.warning(t("place.tap_first"))
            return
        _save(actor, site, drawn)


def _save(actor: Actor, site: SiteToPlace, geometry: Point | LineString | None) -> None:
    try:
        place_site_at(engine(), actor, site.id, site.version, geometry)
    except DomainError as exc:
        show_error(exc)
        return
    st.session_state[TAPS] = []
    st.session_state["flash_success"] = t("place.saved", code=site.code)
    clear_read_caches()
    st.rerun()
