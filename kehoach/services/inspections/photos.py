"""The photos of inspections: the store, thumbnails, full images and crash repair."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, select

from kehoach.adapters.photos import PhotoStore
from kehoach.config import get_settings
from kehoach.db.engine import read_session
from kehoach.db.models import Inspection, Photo, User
from kehoach.domain.errors import NotFound

log = logging.getLogger(__name__)

# A leftover temporary photo file younger than this may belong to a transaction in flight.
RECONCILE_MIN_AGE = timedelta(minutes=10)


def photo_store() -> PhotoStore:
    """Return the photo store in the configured media folder."""
    return PhotoStore(get_settings().media_dir)


@dataclass(frozen=True)
class SitePhoto:
    """A stored photo of one of a site's inspections, with its thumbnail bytes."""

    photo_id: int
    inspection_id: int
    at: datetime
    inspector: str | None
    outcome: str
    flags: tuple[str, ...]
    thumb: bytes


def site_photos(
    engine: Engine, site_id: int, limit: int = 12, store: PhotoStore | None = None
) -> list[SitePhoto]:
    """Return the thumbnails of a site's inspection photos, newest first."""
    store = store or photo_store()
    with read_session(engine) as s:
        rows = s.execute(
            select(Photo, Inspection.at, Inspection.result, User.username)
            .join(Inspection, Photo.inspection_id == Inspection.id)
            .outerjoin(User, Inspection.inspector_id == User.id)
            .where(Inspection.site_id == site_id)
            .order_by(Inspection.at.desc(), Photo.id)
            .limit(limit)
        ).all()
    photos = []
    for photo, at, outcome, username in rows:
        try:
            thumb = store.read(photo.thumb_name)
        except (OSError, ValueError):
            log.exception("photo %s unreadable", photo.id)
            continue
        photos.append(
            SitePhoto(
                photo.id, photo.inspection_id, at, username, outcome, tuple(photo.flags), thumb
            )
        )
    return photos


def photo_bytes(engine: Engine, photo_id: int, store: PhotoStore | None = None) -> bytes:
    """Return the stored (clean) JPEG of one photo."""
    with read_session(engine) as s:
        photo = s.get(Photo, photo_id)
        if photo is None:
            raise NotFound(f"photo {photo_id}")
        name = photo.file_name
    return (store or photo_store()).read(name)


@dataclass(frozen=True)
class ReconcileReport:
    """What a sweep of the photo folder did after a crash."""

    promoted: int
    removed: int


def reconcile_photo_files(
    engine: Engine,
    store: PhotoStore | None = None,
    min_age: timedelta = RECONCILE_MIN_AGE,
) -> ReconcileReport:
    """Finish renames whose rows committed and delete files no row refers to (crash repair)."""
    store = store or photo_store()
    with read_session(engine) as s:
        referenced: set[str] = set()
        for file_name, thumb_name in s.execute(select(Photo.file_name, Photo.thumb_name)):
            referenced.update((file_name, thumb_name))
    cutoff = time.time() - min_age.total_seconds()
    promoted = removed = 0
    for name in store.staged_names():
        if name in referenced:
            store.promote(name)
            promoted += 1
        elif store.temp_path(name).stat().st_mtime < cutoff:
            store.remove(name)
            removed += 1
    for name in store.stored_names() - referenced:
        if store.path(name).stat().st_mtime < cutoff:
            store.remove(name)
            removed += 1
    return ReconcileReport(promoted, removed)
