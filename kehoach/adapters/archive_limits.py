"""Bound a zip package (XLSX, DOCX) before a library inflates it, and stream its XML parts.

openpyxl and python-docx trust the archive: a few kilobytes of deflate can claim gigabytes of
XML, a sheet can declare twenty million rows. Everything here reads the central directory or
streams a part in small chunks and stops at the first limit passed, so a hostile file costs
at most one chunk of memory and the time to inflate up to that limit.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

from kehoach.i18n import format_number, t

CHUNK_BYTES = 64 * 1024
# Below this many inflated bytes no ratio can hurt; a tiny repetitive part compresses well.
RATIO_FLOOR_BYTES = 4 * 1024 * 1024

_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row(?=[\s/>])([^>]*)>")
_ROW_NUMBER = re.compile(rb"\sr\s*=\s*[\"'](\d+)[\"']")
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension\s[^>]*?ref\s*=\s*[\"']([^\"']*)[\"']")
_LAST_ROW = re.compile(r"(\d+)\s*$")


class LimitExceeded(Exception):
    """A package passes a limit; ``key`` names the catalogue reason, ``params`` fill it."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class PartLimits:
    """What one streamed XML part may hold: elements of ``tag``, rows, longest text."""

    tag: bytes  # a local name, e.g. b"c" (cells) or b"p" (paragraphs)
    max_tags: int
    tags_key: str
    max_text_bytes: int
    max_rows: int | None = None  # sheets only: the highest row number a row claims


def check_archive(
    archive: zipfile.ZipFile, packed_bytes: int, max_bytes: int, max_ratio: int
) -> int:
    """Refuse an archive whose members inflate past ``max_bytes`` or ``max_ratio``; return size.

    The sizes come from the central directory; zipfile never yields more than a member's
    declared size, so the declared sum bounds what any later reader can inflate.
    """
    total = sum(info.file_size for info in archive.infolist())
    if total > max_bytes:
        raise LimitExceeded("limit.unzipped_too_big", mb=_mb(total), limit=_mb(max_bytes))
    ratio = total / max(packed_bytes, 1)
    if total > RATIO_FLOOR_BYTES and ratio > max_ratio:
        raise LimitExceeded("limit.ratio", ratio=round(ratio), limit=max_ratio)
    return total


def declared_rows(archive: zipfile.ZipFile, name: str) -> int | None:
    """Return the last row a sheet's ``<dimension ref="A1:K20">`` declares (from its head)."""
    with archive.open(name) as part:
        head = part.read(CHUNK_BYTES)
    match = _DIMENSION.search(head)
    if not match:
        return None
    last = _LAST_ROW.search(match.group(1).decode("ascii", "replace"))
    return int(last.group(1)) if last else None


def scan_part(archive: zipfile.ZipFile, name: str, limits: PartLimits) -> int:
    """Stream one XML part, refusing at the first limit passed; return the elements counted.

    Each chunk is cut just before its last ``<``, so every tag scanned is whole and the
    carried rest is one text run in the making (its length is checked as it grows).
    """
    element = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?" + re.escape(limits.tag) + rb"(?=[\s/>])")
    counted, rows, carry = 0, 0, b""
    with archive.open(name) as part:
        while True:
            chunk = part.read(CHUNK_BYTES)
            buffer = carry + chunk
            cut = buffer.rfind(b"<") if chunk else len(buffer)
            body, carry = (buffer[:cut], buffer[cut:]) if cut > 0 else (b"", buffer)
            _check_text(carry, limits)
            counted += len(element.findall(body))
            if counted > limits.max_tags:
                raise LimitExceeded(limits.tags_key, n=counted, limit=limits.max_tags)
            _check_text(max(body.split(b"<"), key=len, default=b""), limits)
            if limits.max_rows is not None:
                rows = _check_rows(body, rows, limits.max_rows)
            if not chunk:
                return counted


def _check_text(run: bytes, limits: PartLimits) -> None:
    if len(run) > limits.max_text_bytes:
        raise LimitExceeded("limit.text_too_long", limit=limits.max_text_bytes // 1024)


def _check_rows(body: bytes, rows: int, max_rows: int) -> int:
    """Follow the row numbers as openpyxl will: an ``r=`` jumps, a row without one adds one."""
    for match in _ROW_TAG.finditer(body):
        number = _ROW_NUMBER.search(match.group(1))
        rows = int(number.group(1)) if number else rows + 1
        if rows > max_rows:
            raise LimitExceeded("limit.rows_declared", n=rows, limit=max_rows)
    return rows


def _mb(size: int) -> int:
    return -(-size // (1024 * 1024))


def reason(exc: LimitExceeded) -> str:
    """Return the Vietnamese reason of a passed limit, numbers written the Vietnamese way."""
    params = {k: format_number(v) if isinstance(v, int) else v for k, v in exc.params.items()}
    return t(exc.key, **params)
