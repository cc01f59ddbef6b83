"""Read and check an offline pack's results file (JSON, photos in base64); sign pack ids.

Pure format work: bytes in, plain data out, or ``ResultsFileDamaged`` with a Vietnamese
reason. Nothing here knows the database: whether the sites exist, the results were already
stored or the sites changed since the pack was made is the import service's business.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kehoach.adapters.photos import MAX_PHOTO_BYTES
from kehoach.domain.inspection import MAX_NOTE_CHARS, MAX_PHOTOS
from kehoach.domain.offline import (
    MAX_DEFECTS,
    MAX_RESULTS,
    MAX_RESULTS_FILE_BYTES,
    RESULTS_FORMAT,
    ForeignPack,
    ResultsFileDamaged,
)
from kehoach.i18n import t

_PACK_ID = re.compile(r"^[0-9a-f]{32}$")
_SIGNATURE = re.compile(r"^[0-9a-f]{64}$")
_MAX_NAME = 200
_MAX_INT = 1_000_000


@dataclass(frozen=True)
class OfflinePhoto:
    """A photo as the pack stored it (already resized on the device)."""

    data: bytes
    filename: str


@dataclass(frozen=True)
class OfflineResult:
    """One result recorded in the street, with the id its device gave it."""

    uuid: str
    site_id: int
    site_version: int
    outcome: str
    defects: tuple[str, ...]
    note: str
    flags_hung: int | None
    flags_expected: int | None
    position: tuple[float, float, float | None] | None  # lon, lat, accuracy in metres
    recorded_at: datetime  # UTC
    photos: tuple[OfflinePhoto, ...]
    after: str | None = None  # this pack's earlier result for the same site, if any


@dataclass(frozen=True)
class ResultsFile:
    """A results file: which pack it comes from (signed) and its results."""

    pack_id: str
    created_at: str
    signature: str
    results: tuple[OfflineResult, ...]


def pack_signature(key: bytes, pack_id: str, created_at: str) -> str:
    """Return the hex HMAC-SHA256 that ties a pack id and its creation time to this server."""
    message = f"{RESULTS_FORMAT}\n{pack_id}\n{created_at}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def check_signature(key: bytes, results: ResultsFile) -> None:
    """Raise ForeignPack unless the file's pack was made by the server holding ``key``."""
    expected = pack_signature(key, results.pack_id, results.created_at)
    if not hmac.compare_digest(expected, results.signature):
        raise ForeignPack("pack signature differs")


def _damaged(reason_key: str, detail: str = "", **params: object) -> ResultsFileDamaged:
    return ResultsFileDamaged(detail or reason_key, reason=t(reason_key, **params))


def read_results_file(data: bytes) -> ResultsFile:
    """Parse and check a results file; raise ResultsFileDamaged (nothing half-read) if bad."""
    if len(data) > MAX_RESULTS_FILE_BYTES:
        raise _damaged("offline.reason.too_large", mb=MAX_RESULTS_FILE_BYTES // 1_000_000)
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _damaged("offline.reason.not_json", str(exc)[:200]) from None
    if not isinstance(document, dict) or document.get("format") != RESULTS_FORMAT:
        raise _damaged("offline.reason.format")
    pack_id, created_at, signature = (document.get(k) for k in ("pack_id", "created_at", "sig"))
    if not (isinstance(pack_id, str) and _PACK_ID.match(pack_id)):
        raise _damaged("offline.reason.pack_id")
    if not (isinstance(signature, str) and _SIGNATURE.match(signature)):
        raise _damaged("offline.reason.signature")
    if not isinstance(created_at, str) or _datetime(created_at) is None:
        raise _damaged("offline.reason.pack_id")
    raw = document.get("results")
    if not isinstance(raw, list) or len(raw) > MAX_RESULTS:
        raise _damaged("offline.reason.results", n=MAX_RESULTS)
    results = tuple(_result(item, number) for number, item in enumerate(raw, start=1))
    if len({r.uuid for r in results}) != len(results):
        raise _damaged("offline.reason.duplicate_id")
    return ResultsFile(pack_id, created_at, signature, results)


def _result(item: Any, number: int) -> OfflineResult:
    """Check one result; the reason names its number in the file."""
    if not isinstance(item, dict):
        raise _damaged("offline.reason.result", n=number, what="?")
    try:
        client_id = str(uuid.UUID(str(item.get("uuid"))))
    except ValueError:
        raise _damaged("offline.reason.result", n=number, what="uuid") from None
    recorded_at = _datetime(item.get("recorded_at"))
    if recorded_at is None:
        raise _damaged("offline.reason.result", n=number, what="recorded_at")
    defects = item.get("defects", [])
    if not isinstance(defects, list) or len(defects) > MAX_DEFECTS:
        raise _damaged("offline.reason.result", n=number, what="defects")
    note = item.get("note", "")
    if not isinstance(note, str) or len(note) > MAX_NOTE_CHARS:
        raise _damaged("offline.reason.result", n=number, what="note")
    outcome = item.get("outcome")
    if not isinstance(outcome, str) or len(outcome) > 20:
        raise _damaged("offline.reason.result", n=number, what="outcome")
    return OfflineResult(
        uuid=client_id,
        site_id=_int(item.get("site_id"), number, "site_id"),
        site_version=_int(item.get("site_version"), number, "site_version"),
        outcome=outcome,
        defects=tuple(str(d)[:40] for d in defects),
        note=note,
        flags_hung=_optional_int(item.get("flags_hung"), number, "flags_hung"),
        flags_expected=_optional_int(item.get("flags_expected"), number, "flags_expected"),
        position=_position(item.get("position"), number),
        recorded_at=recorded_at,
        photos=_photos(item.get("photos", []), number),
        after=_optional_uuid(item.get("after"), number),
    )


def _optional_uuid(value: Any, number: int) -> str | None:
    if value is None:
        return None
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise _damaged("offline.reason.result", n=number, what="after") from None


def _int(value: Any, number: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 2**62:
        raise _damaged("offline.reason.result", n=number, what=what)
    return value


def _optional_int(value: Any, number: int, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _MAX_INT:
        raise _damaged("offline.reason.result", n=number, what=what)
    return value


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _position(value: Any, number: int) -> tuple[float, float, float | None] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _damaged("offline.reason.result", n=number, what="position")
    lon, lat = _float(value.get("lon")), _float(value.get("lat"))
    if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise _damaged("offline.reason.result", n=number, what="position")
    accuracy = _float(value.get("accuracy"))
    return lon, lat, accuracy if accuracy is not None and accuracy >= 0 else None


def _photos(value: Any, number: int) -> tuple[OfflinePhoto, ...]:
    if not isinstance(value, list) or len(value) > MAX_PHOTOS:
        raise _damaged("offline.reason.photos", n=number, limit=MAX_PHOTOS)
    photos = []
    for photo in value:
        if not isinstance(photo, dict) or not isinstance(photo.get("data"), str):
            raise _damaged("offline.reason.photo", n=number)
        encoded = photo["data"]
        if len(encoded) > (MAX_PHOTO_BYTES * 4) // 3 + 4:
            raise _damaged("offline.reason.photo", n=number)
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise _damaged("offline.reason.photo", n=number) from None
        if not _looks_like_image(data):
            raise _damaged("offline.reason.photo", n=number)
        photos.append(OfflinePhoto(data, str(photo.get("name") or "")[:_MAX_NAME]))
    return tuple(photos)


def _looks_like_image(data: bytes) -> bool:
    """Tell whether bytes start like a JPEG, PNG or WebP (the full check is process_photo's)."""
    return (
        data.startswith(b"\xff\xd8\xff")
        or data.startswith(b"\x89PNG\r\n\x1a\n")
        or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
    )


def _datetime(value: Any) -> datetime | None:
    """Return an ISO 8601 time with its offset as UTC; None if it is not one."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return parsed.astimezone(UTC)
