"""Read the install and removal dates offices write in a summary table's "Thời gian" cells.

Offices write periods in many ways: "25/9 - 15/10/2024", "Từ 25/9 đến 15/10/2024",
"từ ngày 01/10/2024", "trước 30/9/2024", "tháng 10/2024", or a spreadsheet date. A day
without a year takes the year written later in the same cell ("25/9 - 15/10/2024"), else the
caller's default year (the table's own year); anything else raises ``UnreadableDate``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

from kehoach.domain.errors import DomainError
from kehoach.domain.text import fold_phrase


class UnreadableDate(DomainError):
    """A date or period cell that cannot be read as days; ``params['text']`` is the cell."""

    code = "error.unreadable_date"


@dataclass(frozen=True)
class Period:
    """When decorations go up and come down; either end may be unknown."""

    install_on: date | None
    remove_on: date | None


# A day written d/m, d/m/y, d-m-y or d.m.y; the year may have two digits.
_DAY = re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/])")
_DASHED_DAY = re.compile(r"(?<![\d/])(\d{1,2})[-.](\d{1,2})[-.](\d{4})(?![\d/])")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ t]\d{2}:\d{2}(?::\d{2})?)?$")
_MONTH = re.compile(r"^thang\s+(\d{1,2})\s*(?:/\s*|nam\s+)?(\d{4})?$")
_LONG_DAY = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})(?:\s+nam\s+(\d{4}))?")
_LONGEST_CROSSING_DAYS = 120
_RANGE_SEPARATOR = re.compile(r"\s(?:-|den|toi)\s")


def parse_period(text: str | date | datetime, default_year: int | None = None) -> Period:
    """Read a period cell into install and removal dates; raise ``UnreadableDate`` if unsure.

    A range gives both dates; "từ X" only the install date; "trước X" (a deadline) and a single
    day give the install date; "tháng 10/2024" spans the month.
    """
    if isinstance(text, datetime):
        return Period(text.date(), None)
    if isinstance(text, date):
        return Period(text, None)
    raw = str(text or "")
    iso = _ISO.match(raw.strip().lower())
    folded = _fold(raw)
    if not folded:
        raise UnreadableDate("empty date", text=raw)
    if iso:
        return Period(_make(raw, int(iso[1]), int(iso[2]), int(iso[3])), None)
    month = _MONTH.match(folded)
    if month:
        return _month(raw, int(month[1]), _year(raw, month[2], default_year))
    days = _days(raw, folded, default_year)
    if len(days) == 2 and _RANGE_SEPARATOR.search(folded):
        if days[1] < days[0]:
            raise UnreadableDate("period ends before it starts", text=raw)
        return Period(days[0], days[1])
    if len(days) == 1:
        return Period(days[0], None)
    raise UnreadableDate("not a day or a period", text=raw)


def _fold(text: str) -> str:
    text = _DASHED_DAY.sub(r"\1/\2/\3", text)  # "25-9-2024", "25.9.2024" → "25/9/2024"
    folded = fold_phrase(text).replace(" / ", "/")
    folded = re.sub(r"(?<![a-z])ngay(?= \d{1,2}[/.-])", "", folded)  # "từ ngày 01/10"
    return re.sub(r"\s+", " ", folded).strip(" ,;:")


def _days(raw: str, folded: str, default_year: int | None) -> list[date]:
    found = [(int(m[1]), int(m[2]), m[3]) for m in _DAY.finditer(folded)]
    found += [(int(m[1]), int(m[2]), m[3]) for m in _LONG_DAY.finditer(folded)]
    if not found or len(found) > 2:
        return []
    # A missing year is carried back from a later day in the same cell: "25/9 - 15/10/2024".
    years: list[int | None] = []
    carried = None
    for _day, _month_no, year in reversed(found):
        carried = _year(raw, year, None) if year else carried
        years.insert(0, carried)
    days = [_make(raw, years[i] or _year(raw, None, default_year), month, day)
            for i, (day, month, _) in enumerate(found)]
    if len(days) == 2 and found[0][2] is None and days[0] > days[1]:
        # "20/12 - 10/1/2025": the start's carried year is the year before the end's, if
        # that makes a campaign-length period rather than a year-long one.
        earlier = _make(raw, days[0].year - 1, days[0].month, days[0].day)
        if (days[1] - earlier).days <= _LONGEST_CROSSING_DAYS:
            days[0] = earlier
    return days


def _year(raw: str, written: str | None, default_year: int | None) -> int:
    if written:
        year = int(written)
        return year + 2000 if year < 100 else year
    if default_year is None:
        raise UnreadableDate("no year", text=raw)
    return default_year


def _make(raw: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise UnreadableDate("no such day", text=raw) from None


def _month(raw: str, month: int, year: int) -> Period:
    if not 1 <= month <= 12:
        raise UnreadableDate("no such month", text=raw)
    return Period(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))
