"""Forms that register what was picked on the map: a new site, or a place."""

from __future__ import annotations

import streamlit as st
from shapely.geometry import LineString

from kehoach.domain.enums import STRETCH_KINDS, Role, SiteKind
from kehoach.domain.errors import DomainError
from kehoach.domain.permissions import Actor
from kehoach.i18n import label, t
from kehoach.services import queries, views
from kehoach.services.places import PLACE_KINDS, NewPlace, create_place
from kehoach.services.sites import NewSite, create_site
from kehoach.ui import current_campaign_id, engine, show_error, street_names, ward_names

NONE = -1  # the "not chosen" entry of the select boxes


def new_site_form(
    actor: Actor,
    mode: str,
    points: list[tuple[float, float]],
    line: LineString | None,
    street_id: int | None,
) -> int | None:
    """Show the form for a new point or stretch site; return its id once created."""
    wards = ward_names()
    if actor.role == Role.WARD_OFFICER and actor.ward_id in wards:
        # An officer corrects an approximate boundary only towards their own ward.
        wards = {actor.ward_id: wards[actor.ward_id]}
    streets = street_names()
    units, tasks = queries.unit_and_task_options(engine(), current_campaign_id())
    ward_guess, street_guess = views.detect_ward_and_street(engine(), points, line)
    if mode == "stretch":
        street_guess = street_id
    kinds = [k.value for k in SiteKind if (k in STRETCH_KINDS) or mode == "point"]
    with st.form("new-site", enter_to_submit=False):
        kind = st.selectbox(t("card.kind"), kinds, format_func=lambda v: label(SiteKind(v)))
        name = st.text_input(t("sites.col.name"), max_chars=300)
        address = st.text_input(t("card.address"), max_chars=300)
        content = st.text_area(t("card.content"), max_chars=2000)
        c1, c2, c3 = st.columns(3)
        quantity = c1.number_input(t("card.quantity"), min_value=1, value=1, step=1)
        expected = c2.number_input(t("form.flags_expected"), min_value=0, value=0, step=1)
        planned = c3.date_input(t("card.planned_on"), value=None, format="DD/MM/YYYY")
        ward_ids = [NONE, *wards]
        ward = st.selectbox(
            t("new.ward"),
            ward_ids,
            index=ward_ids.index(ward_guess) if ward_guess in wards else 0,
            format_func=lambda i: wards.get(i, t("new.auto")),
        )
        street_ids = [NONE, *streets]
        street = st.selectbox(
            t("new.street"),
            street_ids,
            index=street_ids.index(street_guess) if street_guess in streets else 0,
            format_func=lambda i: streets.get(i, "—"),
        )
        unit = st.selectbox(t("card.unit"), [NONE, *units], format_func=lambda i: units.get(i, "—"))
        task = st.selectbox(t("card.task"), [NONE, *tasks], format_func=lambda i: tasks.get(i, "—"))
        is_new = st.checkbox(t("new.is_new"))
        cost = st.number_input(t("new.cost"), min_value=0, value=0, step=500_000)
        note = st.text_area(t("card.note"), max_chars=2000)
        if not st.form_submit_button(t("new.submit"), type="primary"):
            return None
    new = NewSite(
        kind=SiteKind(kind),
        lon=points[0][0] if mode == "point" else None,
        lat=points[0][1] if mode == "point" else None,
        line=tuple(line.coords) if line is not None else (),
        name=name,
        address=address,
        content=content,
        note=note,
        quantity=int(quantity),
        flags_expected=int(expected),
        planned_on=planned,
        ward_id=None if ward == NONE else ward,
        street_id=None if street == NONE else street,
        unit_id=None if unit == NONE else unit,
        task_id=None if task == NONE else task,
        is_new=is_new,
        estimated_cost=int(cost) if is_new else None,
        campaign_id=current_campaign_id(),
    )
    try:
        return create_site(engine(), actor, new)
    except DomainError as exc:
        show_error(exc)
        return None


def place_form(actor: Actor, point: tuple[float, float]) -> str | None:
    """Show the form for a place (headquarters, notice board...); return its name once created."""
    with st.form("new-place", enter_to_submit=False):
        name = st.text_input(t("place.name"), max_chars=300)
        kind = st.selectbox(
            t("place.kind"), PLACE_KINDS, format_func=lambda k: t(f"place.kind.{k}")
        )
        address = st.text_input(t("card.address"), max_chars=300)
        if not st.form_submit_button(t("place.submit"), type="primary"):
            return None
    try:
        create_place(engine(), actor, NewPlace(name, kind, point[0], point[1], address))
    except DomainError as exc:
        show_error(exc)
        return None
    return name
