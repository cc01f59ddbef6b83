"""Files attached to a unit's monthly report: checked (type, size) and stored under media.

Pure file work, no database: the service records what was stored. Accepted: PDF, Word
(.docx), Excel (.xlsx), JPEG and PNG up to ``MAX_ATTACHMENT_BYTES``; the content must match
the suffix (its first bytes), so a renamed program is refused.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from kehoach.domain.errors import InvalidInput

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 10
# suffix -> the bytes such a file starts with (.docx and .xlsx are zip files)
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
FOLDER = "reports"


@dataclass(frozen=True)
class StoredFile:
    """An attachment written to the media folder."""

    name: str  # the name the user gave, for display
    stored: str  # the file's name inside the reports folder
    size: int
    kind: str  # the suffix, lower case


def check_attachment(filename: str, data: bytes) -> str:
    """Return the file's kind (suffix) or refuse a wrong type, a mismatch or an oversize."""
    kind = Path(filename or "").suffix.lower().lstrip(".")
    if kind not in SIGNATURES:
        raise InvalidInput(f"{filename}: only pdf, docx, xlsx, jpg, png files", field="file")
    if not data:
        raise InvalidInput(f"{filename}: the file is empty", field="file")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise InvalidInput(f"{filename}: larger than 10 MB", field="file")
    if not data.startswith(SIGNATURES[kind]):
        raise InvalidInput(f"{filename}: the content is not a .{kind} file", field="file")
    return kind


def store_attachment(media_dir: Path, filename: str, data: bytes) -> StoredFile:
    """Check a file and write it under ``media_dir/reports`` with a fresh random name."""
    kind = check_attachment(filename, data)
    folder = media_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{uuid.uuid4().hex}.{kind}"
    temporary = folder / f".{stored}.part"
    temporary.write_bytes(data)
    temporary.replace(folder / stored)
    shown = Path(filename).name[:200]
    return StoredFile(name=shown, stored=stored, size=len(data), kind=kind)


def read_attachment(media_dir: Path, stored: str) -> bytes:
    """Return a stored attachment's bytes; refuse a name that is not one this module wrote."""
    if Path(stored).name != stored or stored.startswith("."):
        raise InvalidInput("not an attachment name", field="file")
    return (media_dir / FOLDER / stored).read_bytes()


def remove_attachment(media_dir: Path, stored: str) -> None:
    """Delete a stored attachment if it is there (a failed transaction's leftover)."""
    if Path(stored).name == stored:
        (media_dir / FOLDER / stored).unlink(missing_ok=True)
