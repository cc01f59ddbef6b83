"""Check what a service stores, whatever the caller: numbers, texts, ids, dates, geometry.

Every check raises a named domain error whose message says, in Vietnamese, which field and
which bounds; the database never gets to refuse a value with an IntegrityError or to store
a quantity of 10^18 or a date in year 9999.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta
from numbers import Integral, Real
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from kehoach.db.models import Campaign, Place, Street, Task, Unit, Ward
from kehoach.domain.errors import (
    DateOutOfReach,
    FlagsOverExpected,
    InvalidGeometry,
    OutOfRange,
    TextTooLong,
    UnknownReference,
)
from kehoach.i18n import format_date, format_number, t

if TYPE_CHECKING:
    from shapely import LineString

MAX_COUNT = 100_000  # quantity, flags expected, flags hung
MAX_COST = 10**12  # đồng
DATE_REACH = timedelta(days=365)
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)  # a campaign's possible years
# Lengths of the site's text columns (models: String(300)) and of its Text columns.
TEXT_LIMITS = {"name": 300, "address": 300, "content": 2000, "note": 2000,
               "rejection_reason": 2000}  # fmt: skip
REFERENCES: dict[str, type] = {
    "unit_id": Unit, "task_id": Task, "ward_id": Ward, "street_id": Street, "place_id": Place,
}  # fmt: skip


def _what(name: str) -> str:
    return t(f"field.{name}")


def _out_of_range(value: object, name: str, low: int, high: int) -> OutOfRange:
    return OutOfRange(f"{name}={value!r} not a whole number in {low}..{high}", field=name,
                      what=_what(name), low=format_number(low), high=format_number(high))


def whole_in_range(value: object, name: str, high: int = MAX_COUNT, low: int = 0) -> int:
    """Return ``value`` as an int if it is a whole number within ``low``..``high``."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise _out_of_range(value, name, low, high)
    if not isinstance(value, Integral):
        as_float = float(value)
        if not math.isfinite(as_float) or not as_float.is_integer():
            raise _out_of_range(value, name, low, high)
        value = int(as_float)
    if not low <= int(value) <= high:
        raise _out_of_range(value, name, low, high)
    return int(value)


def check_counts(quantity: object, expected: object, hung: object) -> None:
    """Refuse counts that are not whole, negative, huge, or more flags hung than expected."""
    whole_in_range(quantity, "quantity")
    e = whole_in_range(expected, "flags_expected")
    h = whole_in_range(hung, "flags_hung")
    if e and h > e:
        raise FlagsOverExpected("more flags hung than expected", field="flags_hung",
                                hung=h, expected=e)


def check_cost(value: object, name: str) -> int | None:
    """Return a cost in đồng (None stays None) if whole, finite and within 0..10^12."""
    if value is None:
        return None
    return whole_in_range(value, name, high=MAX_COST)


def check_counts_pair(hung: object, expected: object) -> tuple[int, int]:
    """Return (hung, expected) if both are whole, finite, in bounds and hung ≤ expected."""
    e = whole_in_range(expected, "flags_expected")
    h = whole_in_range(hung, "flags_hung")
    if h > e:
        raise FlagsOverExpected("more flags hung than expected", field="flags_hung",
                                hung=h, expected=e)
    return h, e


def check_text(value: object, name: str, limit: int = 2000) -> str:
    """Return ``value`` as text if it is at most ``limit`` characters long."""
    text = "" if value is None else str(value)
    if len(text) > limit:
        raise TextTooLong(f"{name} longer than {limit}", field=name, what=_what(name),
                          limit=limit)
    return text


def check_texts(values: Mapping[str, object]) -> None:
    """Refuse texts longer than their column accepts."""
    for name, value in values.items():
        check_text(value or "", name, TEXT_LIMITS.get(name, 2000))


def check_references(session: Session, values: Mapping[str, object]) -> None:
    """Refuse ids of units, tasks, wards, streets or places that do not exist."""
    for name, model in REFERENCES.items():
        value = values.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, Integral):
            raise UnknownReference(f"{name}={value!r}", field=name, what=_what(name))
        if not -(2**62) < int(value) < 2**62 or session.get(model, int(value)) is None:
            raise UnknownReference(f"unknown {name} {value}", field=name, what=_what(name))


def check_date(campaign: Campaign, value: object, name: str) -> None:
    """Refuse a date more than a year before the campaign's start or after its end."""
    if value is None:
        return
    check_date_within(value, name, campaign.start_on - DATE_REACH, campaign.end_on + DATE_REACH)


def check_date_within(value: object, name: str, low: date, high: date) -> date:
    """Return ``value`` if it is a date within ``low``..``high``, else refuse it by name."""
    # A datetime is a date too, but comparing one with a date raises: refuse it here.
    if type(value) is not date or not low <= value <= high:
        raise DateOutOfReach(f"{name}={value!r} out of reach", field=name, what=_what(name),
                             low=format_date(low), high=format_date(high))
    return value


def check_period(start: object, end: object, start_name: str, end_name: str) -> None:
    """Refuse a period outside years 2000–2100 or one that ends before it starts."""
    first = check_date_within(start, start_name, EARLIEST, LATEST)
    check_date_within(end, end_name, first, LATEST)


def line_geometry(line: object) -> LineString:
    """Build a stretch from (lon, lat) pairs; refuse fewer than two distinct finite points."""
    # Imported here: campaign checks use this module, and the sign-in page loads no geometry.
    from shapely import LineString
    from shapely.errors import GEOSException

    try:
        points = [(float(x), float(y)) for x, y in line]  # type: ignore[attr-defined]  # any iterable of pairs; TypeError is caught below
        if len(set(points)) < 2 or not all(map(math.isfinite, sum(points, ()))):
            raise ValueError("a stretch needs two distinct finite points")
        return LineString(points)
    except (TypeError, ValueError, GEOSException) as exc:
        raise InvalidGeometry(f"not a stretch: {exc}") from exc


def check_lonlat(lon: object, lat: object) -> tuple[float, float]:
    """Return finite (lon, lat) floats or refuse them as an invalid geometry."""
    try:
        x, y = float(lon), float(lat)  # type: ignore[arg-type]  # any caller value; TypeError is caught
    except (TypeError, ValueError) as exc:
        raise InvalidGeometry("coordinates are not numbers") from exc
    if not (math.isfinite(x) and math.isfinite(y)):
        raise InvalidGeometry("coordinates are not finite")
    return x, y
