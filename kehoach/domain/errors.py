"""Name every error a user can cause; each maps to one Vietnamese message."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a user can cause; ``code`` keys the message catalogue."""

    code = "error.generic"

    def __init__(self, detail: str = "", **params: object) -> None:
        super().__init__(detail or self.code)
        self.detail = detail
        self.params = params


class PermissionDenied(DomainError):
    code = "error.permission_denied"


class VersionConflict(DomainError):
    code = "error.version_conflict"


class OutsideDistrict(DomainError):
    code = "error.outside_district"


class InvalidGeometry(DomainError):
    code = "error.invalid_geometry"


class SwappedCoordinates(InvalidGeometry):
    code = "error.swapped_coords"


class DuplicateImport(DomainError):
    code = "error.duplicate_import"


class NotAPlan(DomainError):
    code = "error.not_a_plan"


class InvalidTransition(DomainError):
    code = "error.invalid_transition"


class NotFound(DomainError):
    code = "error.not_found"


class InvalidInput(DomainError):
    code = "error.invalid_input"


class ReasonRequired(InvalidInput):
    """A rejection must say why (the ward or unit that proposed the site reads it)."""

    code = "error.rejection.reason_required"


class PointInOtherWard(PermissionDenied):
    """A ward officer's point fell in another ward by the (approximate) ward boundaries."""

    code = "error.ward.point_in_other"


class PointFarFromWard(PermissionDenied):
    """A ward officer chose their ward for a point too far outside it to be a boundary error."""

    code = "error.ward.point_far"


class DatabaseBusy(DomainError):
    """The database stayed locked by another writer past the wait and the retries."""

    code = "error.database_busy"


class OutOfRange(InvalidInput):
    """A number is not whole and finite, or lies outside the bounds the service accepts."""

    code = "error.out_of_range"


class TextTooLong(InvalidInput):
    """A text is longer than the database column (or the service) accepts."""

    code = "error.text_too_long"


class UnknownReference(InvalidInput):
    """An id names a unit, task, ward, street or place that does not exist."""

    code = "error.unknown_reference"


class DateOutOfReach(InvalidInput):
    """A date lies more than a year before the campaign starts or after it ends."""

    code = "error.date_out_of_reach"


class FlagsOverExpected(InvalidInput):
    """More flags hung than the site expects."""

    code = "error.flags_over_expected"


class InvalidUsername(InvalidInput):
    """A new user name is 3–40 letters, digits, dots, underscores or hyphens."""

    code = "error.username_chars"
