"""Name the kinds, statuses and roles the campaign works with."""

from __future__ import annotations

from enum import StrEnum


class SiteKind(StrEnum):
    """What is put up at a decoration site."""

    PANEL = "panel"  # pa-nô
    PANEL_CLUSTER = "panel_cluster"  # cụm pa-nô
    BANNER = "banner"  # băng-rôn
    FLAG_LINE = "flag_line"  # cờ phướn / cờ dây along a stretch
    NATIONAL_FLAG = "national_flag"  # cờ Tổ quốc
    LED_SCREEN = "led_screen"  # màn hình LED
    OTHER = "other"


# Kinds that are drawn as a stretch of street rather than a point.
STRETCH_KINDS = frozenset({SiteKind.FLAG_LINE, SiteKind.BANNER})


class SiteStatus(StrEnum):
    """Where a site is in its life."""

    PLANNED = "planned"  # chưa triển khai
    INSTALLING = "installing"  # đang lắp đặt
    INSTALLED = "installed"  # đã hoàn thành
    NEEDS_FIX = "needs_fix"  # cần khắc phục
    REMOVED = "removed"  # đã tháo dỡ


ALLOWED_TRANSITIONS: dict[SiteStatus, frozenset[SiteStatus]] = {
    SiteStatus.PLANNED: frozenset(
        {SiteStatus.INSTALLING, SiteStatus.INSTALLED, SiteStatus.REMOVED}
    ),
    SiteStatus.INSTALLING: frozenset({SiteStatus.PLANNED, SiteStatus.INSTALLED}),
    SiteStatus.INSTALLED: frozenset({SiteStatus.NEEDS_FIX, SiteStatus.REMOVED}),
    SiteStatus.NEEDS_FIX: frozenset({SiteStatus.INSTALLED, SiteStatus.REMOVED}),
    SiteStatus.REMOVED: frozenset({SiteStatus.PLANNED}),
}


def can_transition(old: SiteStatus, new: SiteStatus) -> bool:
    """Tell whether a site may move from status ``old`` to ``new``."""
    return old == new or new in ALLOWED_TRANSITIONS[old]


class Approval(StrEnum):
    """Approval state of a site; new sites after the plan wait for a leader."""

    APPROVED = "approved"
    PENDING = "pending"  # chờ phê duyệt
    REJECTED = "rejected"


class FundingSource(StrEnum):
    """Where the money for a site comes from."""

    DISTRICT_BUDGET = "district_budget"  # ngân sách quận
    UNIT_BUDGET = "unit_budget"  # kinh phí của đơn vị
    CONTRIBUTIONS = "contributions"  # xã hội hóa


class TaskKind(StrEnum):
    """What a plan task is about, as far as the app can serve it."""

    DECORATION = "decoration"
    FLAGS = "flags"
    REPORTING = "reporting"
    INSPECTION = "inspection"
    OTHER = "other"


class Role(StrEnum):
    """What a user may do."""

    ADMIN = "admin"
    STAFF = "staff"  # Culture Centre
    WARD_OFFICER = "ward_officer"
    INSPECTOR = "inspector"
    LEADER = "leader"
    CULTURE_OFFICE = "culture_office"  # Phòng VH&TT: compiles, sees all, edits nothing
    FINANCE = "finance"  # Phòng Tài chính - Kế hoạch: sees and comments on costs
    UNIT_REPORTER = "unit_reporter"  # any other unit of the plan: reports on its own tasks


class ChangeSource(StrEnum):
    """Through which door a change came in."""

    UI = "ui"
    IMPORT = "import"
    CLI = "cli"
    SYSTEM = "system"
