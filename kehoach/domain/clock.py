"""The district's time zone: dates of the campaign are local (Hanoi) dates."""

from __future__ import annotations

from zoneinfo import ZoneInfo

LOCAL_TZ_NAME = "Asia/Ho_Chi_Minh"
LOCAL_TZ = ZoneInfo(LOCAL_TZ_NAME)
