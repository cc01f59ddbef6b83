"""Pure rules of an inspection: outcomes, defects, photo flags and what they do to a site.

Nothing here touches the database, files or Streamlit; services and adapters call these.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from kehoach.domain.enums import SiteStatus, can_transition
from kehoach.domain.errors import DomainError, InvalidInput, PermissionDenied

# Farther than this from the site, an inspection is still saved but carries a warning.
DISTANCE_WARNING_M = 100.0
# A device fix this imprecise is shown with a warning (the position is a guess).
ACCURACY_WARNING_M = 100.0
# A device may stand this far outside the district outline (boundary streets, GPS error).
DISTRICT_TOLERANCE_M = 200.0
MAX_PHOTOS = 5
MAX_NOTE_CHARS = 2000
# A photo taken longer than this before the inspection was probably not taken on the spot.
PHOTO_STALE_AFTER = timedelta(hours=24)
# Days after the anniversary that still count as the campaign (take-down, final checks).
CAMPAIGN_TAIL_DAYS = 30
# Days before the anniversary the campaign starts when the plan gives no earlier date.
CAMPAIGN_LEAD_DAYS = 365


class InspectionOutcome(StrEnum):
    """What the inspector found: all good, or something to fix."""

    PASS = "pass"  # noqa: S105 - đạt, not a password
    NEEDS_FIX = "needs_fix"  # cần khắc phục


class Defect(StrEnum):
    """The checklist of defects an inspector can tick."""

    TORN = "torn"  # rách
    FADED = "faded"  # bạc màu
    WRONG_CONTENT = "wrong_content"  # sai nội dung
    FLAG_MISSING = "flag_missing"  # thiếu hoặc hỏng cờ
    LEANING = "leaning"  # nghiêng đổ nguy hiểm
    BLOCKS_TRAFFIC_SIGN = "blocks_traffic_sign"  # che khuất biển báo hoặc đèn giao thông
    MISSING = "missing"  # mất


class PhotoFlag(StrEnum):
    """Why a stored photo deserves a second look (it is kept all the same)."""

    GPS_FAR = "gps_far"  # EXIF position far from the site
    TIME_OUTSIDE_CAMPAIGN = "time_outside_campaign"
    TIME_OUTSIDE_FLAG_WINDOW = "time_outside_flag_window"
    TIME_STALE = "time_stale"  # taken long before the inspection
    TIME_FUTURE = "time_future"  # camera clock ahead of the server


class InspectionWarning(StrEnum):
    """Warnings returned with a saved inspection (never a refusal)."""

    FAR_FROM_SITE = "far_from_site"
    NO_POSITION = "no_position"
    LOW_ACCURACY = "low_accuracy"
    PHOTO_FLAGGED = "photo_flagged"


# --- Errors -----------------------------------------------------------------------------------


class NotAnInspector(PermissionDenied):
    code = "error.inspection.not_inspector"


class SiteRemoved(DomainError):
    code = "error.inspection.site_removed"


class SiteNotStarted(DomainError):
    """Nothing stands on a planned site yet: neither a pass nor a defect can be recorded."""

    code = "error.inspection.not_started"


class InspectionNotSaved(DomainError):
    code = "error.inspection.not_saved"


class PhotoRejected(DomainError):
    code = "error.photo.generic"


class NotAnImage(PhotoRejected):
    code = "error.photo.not_image"


class TruncatedImage(PhotoRejected):
    code = "error.photo.truncated"


class ImageTooLarge(PhotoRejected):
    code = "error.photo.too_large"


class ImageTooManyPixels(PhotoRejected):
    code = "error.photo.too_many_pixels"


class EmptyImage(PhotoRejected):
    code = "error.photo.empty"


class TooManyPhotos(PhotoRejected):
    code = "error.photo.too_many"


class NoPhoto(PhotoRejected):
    code = "error.photo.required"


class NoDefect(DomainError):
    code = "error.inspection.no_defect"


class DefectsOnPass(DomainError):
    code = "error.inspection.defects_on_pass"


class FlagsOutsideWindow(DomainError):
    code = "error.inspection.flags_outside_window"


class BadFlagCounts(InvalidInput):
    code = "error.inspection.flag_counts"


class BadFlagWindow(InvalidInput):
    code = "error.campaign.window"


# --- Inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadedPhoto:
    """A photo as it came from the browser: raw bytes and the name the device gave it."""

    data: bytes
    filename: str = ""


@dataclass(frozen=True)
class DevicePosition:
    """Where the inspector's device said it was (WGS84) and how sure it was."""

    lon: float
    lat: float
    accuracy_m: float | None = None


@dataclass(frozen=True)
class CampaignDates:
    """The campaign period and its flag-hanging windows (dates in local time)."""

    start: date | None
    end: date | None
    flag_start: date | None = None
    flag_end: date | None = None
    # Every flag window (start, end) of the campaign; empty: the one above, if any.
    windows: tuple[tuple[date, date], ...] = ()

    def in_flag_window(self, day: date) -> bool:
        """Tell whether ``day`` falls inside a flag-hanging window."""
        if self.windows:
            return any(start <= day <= end for start, end in self.windows)
        if self.flag_start is None or self.flag_end is None:
            return False
        return self.flag_start <= day <= self.flag_end


def campaign_dates(
    anniversary: date | None,
    issued_on: date | None,
    earliest_reference: date | None,
    flag_start: date | None,
    flag_end: date | None,
) -> CampaignDates:
    """Derive the campaign period: from the plan (or what it implements) to after the day."""
    if anniversary is None:
        return CampaignDates(None, None, flag_start, flag_end)
    starts = [d for d in (issued_on, earliest_reference, flag_start) if d is not None]
    start = min(starts) if starts else anniversary - timedelta(days=CAMPAIGN_LEAD_DAYS)
    ends = [anniversary + timedelta(days=CAMPAIGN_TAIL_DAYS)]
    if flag_end is not None:
        ends.append(flag_end)
    return CampaignDates(start, max(ends), flag_start, flag_end)


# --- Rules ------------------------------------------------------------------------------------


def check_record(
    outcome: InspectionOutcome, defects: Collection[Defect], photo_count: int, note: str
) -> None:
    """Refuse an inconsistent record: a fix needs a defect and a photo; a pass has no defect."""
    if len(note) > MAX_NOTE_CHARS:
        raise InvalidInput(f"note longer than {MAX_NOTE_CHARS}", field="note")
    if photo_count > MAX_PHOTOS:
        raise TooManyPhotos(f"{photo_count} photos", limit=MAX_PHOTOS)
    if outcome == InspectionOutcome.PASS and defects:
        raise DefectsOnPass("a pass cannot list defects")
    if outcome == InspectionOutcome.NEEDS_FIX:
        if not defects:
            raise NoDefect("needs fix without a defect")
        if photo_count == 0:
            raise NoPhoto("needs fix without a photo")


def check_flags(hung: int | None, expected: int | None) -> None:
    """Refuse negative flag counts or more flags hung than expected."""
    if hung is None and expected is None:
        return
    if hung is None or expected is None:
        raise BadFlagCounts("flag counts come in pairs")
    if hung < 0 or expected < 0:
        raise BadFlagCounts("counts cannot be negative")
    if hung > expected:
        raise BadFlagCounts("more flags hung than expected")


def status_after(current: SiteStatus, outcome: InspectionOutcome) -> SiteStatus:
    """Return the status an inspection leaves a site in, or refuse what cannot be recorded.

    A defect sends the site to "needs fix" only where that move is allowed (not while it is
    being installed: the inspection is kept with its defects, the status stays); a pass
    closes the fix loop. A planned site has nothing to inspect yet.
    """
    if current == SiteStatus.REMOVED:
        raise SiteRemoved("site removed")
    if current == SiteStatus.PLANNED:
        raise SiteNotStarted("site not started")
    if outcome == InspectionOutcome.NEEDS_FIX:
        fix = SiteStatus.NEEDS_FIX
        return fix if can_transition(current, fix) else current
    if current == SiteStatus.NEEDS_FIX:
        return SiteStatus.INSTALLED  # seen fixed on the spot: the loop closes here
    return current


def recordable_outcomes(current: SiteStatus) -> tuple[InspectionOutcome, ...]:
    """Return what an inspection of a site in ``current`` status may record (none: refused)."""
    allowed = []
    for outcome in InspectionOutcome:
        try:
            status_after(current, outcome)
        except DomainError:
            continue
        allowed.append(outcome)
    return tuple(allowed)


def photo_flags(
    taken_at: datetime | None,
    exif_distance_m: float | None,
    inspected_at: datetime,
    campaign: CampaignDates,
    taken_local_day: date | None,
    records_flags: bool,
) -> list[PhotoFlag]:
    """Return the flags of one photo from its EXIF time and position."""
    flags: list[PhotoFlag] = []
    if exif_distance_m is not None and exif_distance_m > DISTANCE_WARNING_M:
        flags.append(PhotoFlag.GPS_FAR)
    if taken_at is None or taken_local_day is None:
        return flags
    if campaign.start and campaign.end and not campaign.start <= taken_local_day <= campaign.end:
        flags.append(PhotoFlag.TIME_OUTSIDE_CAMPAIGN)
    if records_flags and campaign.flag_start and not campaign.in_flag_window(taken_local_day):
        flags.append(PhotoFlag.TIME_OUTSIDE_FLAG_WINDOW)
    if taken_at < inspected_at - PHOTO_STALE_AFTER:
        flags.append(PhotoFlag.TIME_STALE)
    if taken_at > inspected_at + timedelta(hours=1):
        flags.append(PhotoFlag.TIME_FUTURE)
    return flags


def inspection_warnings(
    distance_m: float | None, accuracy_m: float | None, any_photo_flagged: bool
) -> list[InspectionWarning]:
    """Return the warnings to show with a saved inspection."""
    warnings: list[InspectionWarning] = []
    if distance_m is None:
        warnings.append(InspectionWarning.NO_POSITION)
    elif distance_m > DISTANCE_WARNING_M:
        warnings.append(InspectionWarning.FAR_FROM_SITE)
    if accuracy_m is not None and accuracy_m > ACCURACY_WARNING_M:
        warnings.append(InspectionWarning.LOW_ACCURACY)
    if any_photo_flagged:
        warnings.append(InspectionWarning.PHOTO_FLAGGED)
    return warnings
