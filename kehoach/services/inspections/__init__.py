"""Inspection use cases: nearest sites, walking order, recording with photos, the fix loop.

One module per part: ``position`` (where am I), ``lists`` (what to inspect next),
``recording`` (save an inspection), ``fixes`` (the fix loop), ``flags`` (the flag window and
rates) and ``photos`` (stored photos). Callers import from this package.
"""

from __future__ import annotations

from kehoach.domain.inspection import DevicePosition, InspectionOutcome, UploadedPhoto
from kehoach.services.inspections.fixes import FixGroup, FixItem, fix_todo
from kehoach.services.inspections.flags import ADMINS, set_flag_window, ward_flag_rates
from kehoach.services.inspections.lists import (
    DEFAULT_NEAREST,
    NearSite,
    load_target,
    nearest_sites,
    walking_order,
)
from kehoach.services.inspections.photos import (
    RECONCILE_MIN_AGE,
    ReconcileReport,
    SitePhoto,
    photo_bytes,
    photo_store,
    reconcile_photo_files,
    site_photos,
)
from kehoach.services.inspections.position import check_position, streets_in_ward
from kehoach.services.inspections.recording import (
    MAY_INSPECT,
    InspectionResult,
    load_campaign,
    record_inspection,
)

__all__ = [
    "ADMINS",
    "DEFAULT_NEAREST",
    "MAY_INSPECT",
    "RECONCILE_MIN_AGE",
    "DevicePosition",
    "FixGroup",
    "FixItem",
    "InspectionOutcome",
    "InspectionResult",
    "NearSite",
    "ReconcileReport",
    "SitePhoto",
    "UploadedPhoto",
    "check_position",
    "fix_todo",
    "load_campaign",
    "load_target",
    "nearest_sites",
    "photo_bytes",
    "photo_store",
    "reconcile_photo_files",
    "record_inspection",
    "set_flag_window",
    "site_photos",
    "streets_in_ward",
    "walking_order",
    "ward_flag_rates",
]
