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
