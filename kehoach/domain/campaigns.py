"""Campaign rules: states, what a flag window applies to, names and occasions from a plan."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from kehoach.domain.errors import DomainError, InvalidInput
from kehoach.domain.inspection import BadFlagWindow, campaign_dates

# Without a date in its plan, a campaign runs this long from the day it is created.
NO_PLAN_DAYS = 90


class CampaignState(StrEnum):
    """Where a campaign is in its life."""

    PREPARING = "preparing"  # chuẩn bị
    RUNNING = "running"  # đang triển khai
    CLOSED = "closed"  # đã kết thúc


class FlagTarget(StrEnum):
    """Who a flag-hanging window applies to (the district's notice names them)."""

    AGENCIES = "agencies"  # cơ quan, đơn vị
    SCHOOLS = "schools"  # trường học
    HOUSEHOLDS = "households"  # hộ gia đình, tổ dân phố
    STREETS = "streets"  # tuyến phố


class CampaignClosed(DomainError):
    """A write to a deployment of a campaign that has ended."""

    code = "error.campaign.closed"


@dataclass(frozen=True)
class FlagWindowDates:
    """One flag-hanging window: its dates (local) and whom it applies to."""

    start: date
    end: date
    applies_to: tuple[FlagTarget, ...] = tuple(FlagTarget)

    def contains(self, day: date) -> bool:
        """Tell whether ``day`` falls inside the window."""
        return self.start <= day <= self.end


def check_window(start: date | None, end: date | None) -> None:
    """Refuse a window without both dates or one that ends before it starts."""
    if start is None or end is None:
        raise BadFlagWindow("give both dates")
    if start > end:
        raise BadFlagWindow("window ends before it starts")


def check_period(start: date, end: date) -> None:
    """Refuse a campaign that ends before it starts."""
    if start > end:
        raise InvalidInput("campaign ends before it starts", field="end")


_OCCASION_RE = re.compile(r"(kỷ niệm\s.+?)\s*$", re.IGNORECASE)
_PLACE_RE = re.compile(r"\s+trên địa bàn\b.*$", re.IGNORECASE)
_DATES_RE = re.compile(r"\s*\(\s*\d{1,2}/\d{1,2}/\d{4}\s*[-–]\s*\d{1,2}/\d{1,2}/\d{4}\s*\)\s*")


def occasion_from_title(title: str) -> str:
    """Return the "kỷ niệm …" phrase of a plan title ("" when the title names none)."""
    match = _OCCASION_RE.search(" ".join((title or "").split()))
    if not match:
        return ""
    text = match.group(1).rstrip(" .;,")
    return "kỷ niệm" + text[len("kỷ niệm"):]


def name_from_occasion(occasion: str, fallback: str) -> str:
    """Return a short campaign name: the occasion, capitalised, without its date range."""
    text = _PLACE_RE.sub("", _DATES_RE.sub(" ", occasion)).strip()
    if not text:
        return " ".join((fallback or "").split())[:200]
    return (text[0].upper() + text[1:])[:200]


def default_period(
    anniversary: date | None,
    issued_on: date | None,
    earliest_reference: date | None,
    windows: list[FlagWindowDates],
    today: date,
) -> tuple[date, date]:
    """Return a campaign's start and end when none is given: from its plan, else from today."""
    flag_start = min((w.start for w in windows), default=None)
    flag_end = max((w.end for w in windows), default=None)
    dates = campaign_dates(anniversary, issued_on, earliest_reference, flag_start, flag_end)
    if dates.start is not None and dates.end is not None:
        return dates.start, dates.end
    start = min(today, flag_start) if flag_start else today
    end = max(start + timedelta(days=NO_PLAN_DAYS), flag_end or start)
    return start, end
