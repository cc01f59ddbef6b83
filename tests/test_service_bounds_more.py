"""Places, routes, inspections, campaigns, task notes, reports and flag windows refuse bad values.

Each refusal is a named error whose Vietnamese message names the field (as the site checks do).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import Engine

from kehoach.domain.enums import Role
from kehoach.domain.errors import (
    DateOutOfReach,
    DomainError,
    InvalidGeometry,
    OutOfRange,
    OutsideDistrict,
    TextTooLong,
    UnknownReference,
)
from kehoach.domain.inspection import BadFlagCounts
from kehoach.domain.permissions import Actor
from kehoach.i18n import VI, t
from kehoach.services import (
    campaigns,
    inspections,
    places,
    reports,
    routes,
    task_status,
)
from kehoach.services.campaign_start import start_campaign
from tests.factories import point_on_street, street_id, ward_id

ADMIN = Actor(None, "test", Role.ADMIN)
NAN = float("nan")
NT = "Đường Nguyễn Trãi"
WARD = "00367"  # a ward Nguyễn Trãi crosses


def _place(engine: Engine, **kw: object) -> object:
    lon, lat = point_on_street(NT, 0.4)
    values = {"name": "Bảng tin", "kind": "notice_board", "lon": lon, "lat": lat, **kw}
    return places.create_place(engine, ADMIN, places.NewPlace(**values))  # type: ignore[arg-type]


def _route(engine: Engine, **kw: object) -> object:
    values: dict = {"street_id": street_id(engine, NT), "ward_id": ward_id(engine, WARD), **kw}
    return routes.register_route(engine, ADMIN, **values)


def _inspect(engine: Engine, **kw: object) -> object:
    values: dict = {"outcome": "pass", **kw}
    return inspections.record_inspection(engine, ADMIN, 1, **values)


def _campaign(engine: Engine, **kw: object) -> object:
    plan_id = campaigns.resolve_campaign(engine).plan_id
    values: dict = {"name": "Tết", "plan_id": plan_id, **kw}
    return start_campaign(engine, ADMIN, **values)


def _window(engine: Engine, start: object, end: object) -> object:
    return campaigns.add_flag_window(engine, ADMIN, start, end)  # type: ignore[arg-type]


def _old_window(engine: Engine, start: object, end: object) -> object:
    return inspections.set_flag_window(engine, ADMIN, start, end)  # type: ignore[arg-type]


def _one_point(engine: Engine) -> tuple[float, float]:
    return point_on_street(NT, 0.5)


CASES: list[tuple[str, Callable[[Engine], object], type, str]] = [
    ("place name", lambda e: _place(e, name="x" * 301), TextTooLong, "field.place_name"),
    ("place address", lambda e: _place(e, address="x" * 301), TextTooLong, "field.address"),
    ("place nan", lambda e: _place(e, lon=NAN), InvalidGeometry, ""),
    ("place inf", lambda e: _place(e, lat=float("inf")), InvalidGeometry, ""),
    ("place outside", lambda e: _place(e, lon=105.5, lat=21.3), OutsideDistrict, ""),
    ("route name", lambda e: _route(e, name="x" * 301), TextTooLong, "field.route_name"),
    ("route street", lambda e: _route(e, street_id=999_999), UnknownReference,
     "field.street_id"),
    ("route ward", lambda e: _route(e, ward_id=999_999), UnknownReference, "field.ward_id"),
    ("route one point", lambda e: _route(e, start=_one_point(e), end=_one_point(e)),
     InvalidGeometry, ""),
    ("route short", lambda e: _route(e, start=point_on_street(NT, 0.5),
                                     end=point_on_street(NT, 0.5001)), InvalidGeometry, ""),
    ("route nan", lambda e: _route(e, start=(NAN, 21.0), end=_one_point(e)),
     InvalidGeometry, ""),
    ("inspection note", lambda e: _inspect(e, note="x" * 2001), TextTooLong, "field.note"),
    ("inspection hung nan", lambda e: _inspect(e, flags_hung=NAN, flags_expected=3),
     OutOfRange, "field.flags_hung"),
    ("inspection expected huge", lambda e: _inspect(e, flags_hung=1, flags_expected=10**18),
     OutOfRange, "field.flags_expected"),
    ("inspection over", lambda e: _inspect(e, flags_hung=4, flags_expected=3),
     BadFlagCounts, ""),
    ("inspection defects", lambda e: _inspect(e, outcome="needs_fix", defects=["torn"] * 10**6),
     OutOfRange, "field.defects"),
    ("campaign name", lambda e: _campaign(e, name="x" * 201), TextTooLong,
     "field.campaign_name"),
    ("campaign occasion", lambda e: _campaign(e, occasion="x" * 2001), TextTooLong,
     "field.occasion"),
    ("campaign backwards", lambda e: _campaign(e, start=date(2025, 2, 1), end=date(2025, 1, 1)),
     DateOutOfReach, "field.campaign_end"),
    ("campaign year 1999", lambda e: _campaign(e, start=date(1999, 1, 1), end=date(2025, 1, 1)),
     DateOutOfReach, "field.campaign_start"),
    ("campaign year 2101", lambda e: _campaign(e, start=date(2025, 1, 1), end=date(2101, 1, 1)),
     DateOutOfReach, "field.campaign_end"),
    ("task note", lambda e: task_status.set_task_status(e, ADMIN, 1, "done", "x" * 2001),
     TextTooLong, "field.evidence"),
    ("report body", lambda e: reports.submit_monthly_report(e, ADMIN, "2024-09", "x" * 20_001),
     TextTooLong, "field.report_body"),
    ("window before", lambda e: _window(e, date(2020, 1, 1), date(2020, 1, 5)), DateOutOfReach,
     "field.window_start"),
    ("window after", lambda e: _window(e, date(2024, 10, 1), date(2099, 1, 5)), DateOutOfReach,
     "field.window_end"),
    ("old window after", lambda e: _old_window(e, date(2030, 1, 1), date(2030, 1, 5)),
     DateOutOfReach, "field.window_start"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("call", "error", "field"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_services_refuse_bad_values(
    engine: Engine, call: Callable[[Engine], object], error: type, field: str
) -> None:
    with pytest.raises(error) as caught:
        call(engine)
    exc: DomainError = caught.value
    assert exc.code in VI
    message = t(exc.code, **exc.params)
    if field:
        assert t(field) in message, message


def test_good_values_still_pass(engine: Engine) -> None:
    assert _place(engine, name="x" * 300)
    assert _route(
        engine,
        name="Đoạn Nguyễn Trãi",
        start=point_on_street(NT, 0.3),
        end=point_on_street(NT, 0.5),
    )
    dates = campaigns.resolve_campaign(engine)
    assert _window(engine, dates.start, dates.end)
