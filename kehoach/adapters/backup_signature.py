"""Sign backup files with HMAC-SHA256 and check the signature before a restore reads them.

The signature lives next to the backup (``<file>.sig``, a small JSON document). The key is
KEHOACH_BACKUP_KEY, or else a random key generated on first use into the key file
(KEHOACH_BACKUP_KEY_FILE, by default under var/, readable by its owner only). A file changed
after it was signed, or signed with another key, does not verify.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from kehoach.config import get_settings

SIGNATURE_FORMAT = "kehoach-backup-signature/1"
CHUNK = 1024 * 1024


class SignatureMissing(Exception):
    """The backup has no signature file."""


class SignatureMismatch(Exception):
    """The signature does not match the file under this key."""


def signature_path(backup: Path) -> Path:
    """Return where the signature of ``backup`` is kept."""
    return backup.with_name(backup.name + ".sig")


def backup_key() -> bytes:
    """Return the signing key: KEHOACH_BACKUP_KEY, else the key file (created on first use)."""
    settings = get_settings()
    if settings.backup_key:
        return settings.backup_key.encode()
    path = settings.backup_key_file
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first: use theirs
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32) + "\n")
    return path.read_text().strip().encode()


def file_mac(path: Path, key: bytes) -> str:
    """Return the hex HMAC-SHA256 of a file's bytes under ``key``."""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            mac.update(chunk)
    return mac.hexdigest()


def write_signature(backup: Path, signature: Path | None = None) -> Path:
    """Sign ``backup`` and write the signature (to ``signature`` or next to the file)."""
    target = signature or signature_path(backup)
    document = {"format": SIGNATURE_FORMAT, "hmac_sha256": file_mac(backup, backup_key())}
    target.write_text(json.dumps(document) + "\n")
    return target


def check_signature(backup: Path) -> None:
    """Raise SignatureMissing or SignatureMismatch unless ``backup`` verifies under our key."""
    path = signature_path(backup)
    try:
        document = json.loads(path.read_text())
        claimed = str(document["hmac_sha256"])
        if document.get("format") != SIGNATURE_FORMAT:
            raise SignatureMismatch("unknown signature format")
    except FileNotFoundError as exc:
        raise SignatureMissing(str(path)) from exc
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SignatureMismatch(f"unreadable signature: {exc}") from exc
    if not hmac.compare_digest(claimed, file_mac(backup, backup_key())):
        raise SignatureMismatch("HMAC differs")
