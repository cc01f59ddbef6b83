"""Every service refuses out-of-bounds values with a named error, whatever the caller."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import Engine

from kehoach.domain.enums import Role, SiteKind
from kehoach.domain.errors import (
    DateOutOfReach,
    DomainError,
    FlagsOverExpected,
    InvalidGeometry,
    InvalidUsername,
    OutOfRange,
    TextTooLong,
    UnknownReference,
)
from kehoach.domain.permissions import Actor
from kehoach.escape import escape_markdown
from kehoach.i18n import VI, t
from kehoach.services import auth
from kehoach.services.sites import NewSite, SiteChanges, create_site, update_site
from tests.factories import make_site, point_on_street

ADMIN = Actor(None, "test", Role.ADMIN)
NAN = float("nan")

BAD_NEW = [
    ({"quantity": 100_001}, OutOfRange), ({"quantity": -1}, OutOfRange),
    ({"quantity": NAN}, OutOfRange), ({"quantity": 1.5}, OutOfRange),
    ({"flags_expected": 10**18}, OutOfRange), ({"flags_expected": 2, "flags_hung": 3},
                                                FlagsOverExpected),
    ({"is_new": True, "estimated_cost": 10**12 + 1}, OutOfRange),
    ({"is_new": True, "estimated_cost": -5}, OutOfRange),
    ({"name": "x" * 301}, TextTooLong), ({"note": "x" * 2001}, TextTooLong),
    ({"unit_id": 999_999}, UnknownReference), ({"task_id": 999_999}, UnknownReference),
    ({"ward_id": 999_999}, UnknownReference), ({"street_id": 999_999}, UnknownReference),
    ({"place_id": 999_999}, UnknownReference), ({"unit_id": 2**70}, UnknownReference),
    ({"planned_on": date(9999, 12, 31)}, DateOutOfReach),
    ({"planned_on": date(1990, 1, 1)}, DateOutOfReach),
    ({"line": ((105.81, 20.99),)}, InvalidGeometry),
    ({"line": ((105.81, 20.99), (105.81, 20.99))}, InvalidGeometry),
    ({"lon": NAN, "lat": 20.99}, InvalidGeometry),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "error"), BAD_NEW, ids=lambda v: repr(v)[:40])
def test_create_site_refuses_bad_values(engine: Engine, changes: dict, error: type) -> None:
    lon, lat = point_on_street("Đường Nguyễn Trãi", 0.4)
    values = {"kind": SiteKind.PANEL, "lon": lon, "lat": lat, **changes}
    with pytest.raises(error) as caught:
        create_site(engine, ADMIN, NewSite(**values))
    assert _vietnamese(caught.value)


BAD_EDITS = [
    ({"quantity": 100_001}, OutOfRange), ({"flags_hung": -1}, OutOfRange),
    ({"flags_expected": float("inf")}, OutOfRange), ({"name": "x" * 301}, TextTooLong),
    ({"unit_id": 999_999}, UnknownReference), ({"street_id": 999_999}, UnknownReference),
    ({"planned_on": date(9999, 1, 1)}, DateOutOfReach),
    ({"done_on": date(1900, 1, 1)}, DateOutOfReach),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "error"), BAD_EDITS, ids=lambda v: repr(v)[:40])
def test_update_site_refuses_bad_values(engine: Engine, changes: dict, error: type) -> None:
    site_id = make_site(engine)
    with pytest.raises(error) as caught:
        update_site(engine, ADMIN, site_id, 1, SiteChanges(changes))
    assert _vietnamese(caught.value)


def _vietnamese(exc: DomainError) -> str:
    assert exc.code in VI
    return t(exc.code, **exc.params)


@pytest.mark.parametrize("name", ["ab", "x" * 41, "[x](http://evil/)", ":red[x]", "a b c",
                                  "$x$", "<img>"])
def test_new_user_names_keep_to_a_safe_set(engine: Engine, name: str) -> None:
    with pytest.raises(InvalidUsername):
        auth.add_user(engine, name, "mat-khau-dai-1", Role.ADMIN)


def test_vietnamese_user_names_are_accepted(engine: Engine) -> None:
    assert auth.add_user(engine, "Nguyễn.Văn_An-2", "mat-khau-dai-1", Role.ADMIN).id


@pytest.mark.parametrize("payload", ["[x](http://evil/)", "![b](http://evil/b.png)",
                                     ":red[x]", "$\\frac{1}{2}$", "<img src=x>", "**x**",
                                     ":material/home:", ":smile:"])
def test_markdown_escape_leaves_no_link_image_directive_or_math(payload: str) -> None:
    out = escape_markdown(payload)
    for special in "[]()<>*$!:":  # each one is backslash-escaped, so none acts
        assert re.search(r"(?<!\\)" + re.escape(special), out) is None, out
    assert ":material" not in out and ":smile" not in out and ":red" not in out
