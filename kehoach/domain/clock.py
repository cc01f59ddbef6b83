"""The district's time zone: dates of the campaign are local (Hanoi) dates."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ_NAME = "Asia/Ho_Chi_Minh"
LOCAL_TZ = ZoneInfo(LOCAL_TZ_NAME)


def local_today(now: datetime) -> date:
    """Return the local (Asia/Ho_Chi_Minh) calendar date at the aware moment ``now``.

    Dates people see and type (done on, flag window) are Hà Nội days: 17:30 UTC on
    1 October is already 2 October there, so ``now.date()`` of a UTC moment is wrong.
    """
    if now.tzinfo is None:
        raise ValueError("local_today needs a timezone-aware moment")
    return now.astimezone(LOCAL_TZ).date()
