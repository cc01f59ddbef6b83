"""Check, clean and store inspection photos.

A photo is accepted by what its bytes decode to, never by its file name. The stored copy is
a fresh JPEG (EXIF orientation applied, every metadata block dropped); EXIF time and GPS are
read from the original first. A JPEG that is already within the stored size, upright and
RGB (what a browser's canvas makes, as the offline pack resizes photos on the device) is not
re-encoded: its metadata blocks (EXIF, XMP, ICC, comments) are cut out of the file as they
are, and the result is stored once it has decoded in full. Re-encoding it would cost about
50 ms a photo and some quality, for nothing.

Files get names the server makes (uuid) and are written in two steps — a hidden temporary
name, then a rename once the database row is committed — so that no row points at a missing
file and no file outlives a failed transaction.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from kehoach.config import LOCAL_TZ
from kehoach.domain.inspection import (
    EmptyImage,
    ImageTooLarge,
    ImageTooManyPixels,
    NotAnImage,
    TruncatedImage,
    UploadedPhoto,
)

MAX_PHOTO_BYTES = 15 * 1024 * 1024
# Pixel caps, checked from the header before anything is decoded, so that one upload stays
# under 150 MB and two at once well under 500 MB (measured with tests/photo_memory.py).
# A baseline JPEG is decoded at a reduced scale (libjpeg's DCT scaling, via Image.draft), so
# its cost follows the stored size, not the camera's: 50 MP covers current phones. A
# progressive JPEG keeps every coefficient of the full picture whatever the scale, and PNG
# and WebP have no reduced decode at all: decoding, flattening transparency and resizing cost
# 12-16 bytes a pixel (a 16 MP WebP took 250 MB), hence 8 MP (6 MP for WebP, whose decoder
# keeps an extra copy); a phone screenshot is under 4 MP. Pillow's own bomb limit is set to
# the largest cap, so what it merely warns about (DecompressionBombWarning) is refused here,
# and above twice that it raises DecompressionBombError while reading the header; both
# become one message. (No process-wide warnings filter: Streamlit serves sessions from
# threads.)
MAX_PIXELS = 50_000_000
MAX_FULL_DECODE_PIXELS = {"JPEG": 8_000_000, "MPO": 8_000_000, "PNG": 8_000_000, "WEBP": 6_000_000}
REDUCED_DECODE_FORMATS = frozenset({"JPEG", "MPO"})
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
ACCEPTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP"})
STORED_MAX_EDGE = 2560
STORED_QUALITY = 85
THUMB_EDGE = 320
THUMB_QUALITY = 80

# Decoding a truncated file must fail, not produce a half-grey picture.
ImageFile.LOAD_TRUNCATED_IMAGES = False

_TAG_EXIF_IFD = 0x8769
_TAG_GPS_IFD = 0x8825
_TAG_DATETIME = 0x0132
_TAG_ORIENTATION = 0x0112
_TAG_DATETIME_ORIGINAL = 0x9003
_TAG_OFFSET_ORIGINAL = 0x9011
_NAME = re.compile(r"^[0-9a-f]{32}(_t)?\.jpg$")


@dataclass(frozen=True)
class ProcessedPhoto:
    """A checked photo: the clean JPEG, its thumbnail and what its EXIF said."""

    jpeg: bytes
    thumb: bytes
    width: int
    height: int
    sha256: str  # of the original upload, to spot the same photo sent twice
    source_format: str
    taken_at: datetime | None  # UTC
    lon: float | None
    lat: float | None


def process_photo(upload: UploadedPhoto) -> ProcessedPhoto:
    """Decode and verify a photo, read its EXIF, and re-encode a clean JPEG and thumbnail."""
    data = upload.data
    if not data:
        raise EmptyImage("empty file", filename=_shown_name(upload.filename))
    if len(data) > MAX_PHOTO_BYTES:
        raise ImageTooLarge(
            f"{len(data)} bytes",
            filename=_shown_name(upload.filename),
            mb=round(len(data) / 1024 / 1024, 1),
            limit=MAX_PHOTO_BYTES // (1024 * 1024),
        )
    name = _shown_name(upload.filename)
    image = _open_checked(data, name)
    taken_at, lon, lat = read_exif(image)
    source_format = str(image.format)
    kept = _stored_as_sent(image, data)
    if kept is not None:
        image = _open_checked(kept, name)  # what is stored is what gets decoded and checked
    stored = _normalise(_decode_reduced(image, name))  # a full decode checks every byte
    thumb = _thumbnail(stored, THUMB_EDGE)
    return ProcessedPhoto(
        jpeg=kept if kept is not None else _jpeg(stored, STORED_QUALITY),
        thumb=_jpeg(thumb, THUMB_QUALITY),
        width=stored.width,
        height=stored.height,
        sha256=hashlib.sha256(data).hexdigest(),
        source_format=source_format,
        taken_at=taken_at,
        lon=lon,
        lat=lat,
    )


def _stored_as_sent(image: Image.Image, data: bytes) -> bytes | None:
    """Return a JPEG that needs no re-encoding with its metadata cut out, else None."""
    if (
        image.format != "JPEG"
        or image.mode != "RGB"
        or max(image.size) > STORED_MAX_EDGE
        or image.getexif().get(_TAG_ORIENTATION, 1) != 1  # shown turned: re-encode upright
        or not data.endswith(b"\xff\xd9")  # nothing may hide after the end of the picture
    ):
        return None
    return without_metadata(data)


def without_metadata(data: bytes) -> bytes | None:
    """Return a baseline/progressive JPEG with every APPn and COM block cut out, JFIF's kept.

    The compressed picture is copied as it is (nothing is decoded or re-encoded). None when the
    header is not the plain sequence of blocks this expects, or holds an Adobe block (APP14,
    which says how to read the colours, so it cannot be dropped).
    """
    out, at = bytearray(b"\xff\xd8"), 2
    if not data.startswith(b"\xff\xd8"):
        return None
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xDA:  # start of scan: the picture itself follows, kept as it is
            return bytes(out + data[at:])
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        block = data[at : at + 2 + length]
        if length < 2 or len(block) != 2 + length or marker == 0xEE:
            return None
        jfif = marker == 0xE0 and block[4:9] == b"JFIF\0"
        if jfif or not (0xE0 <= marker <= 0xEF or marker == 0xFE):
            out += block
        at += 2 + length
    return None


def _shown_name(filename: str) -> str:
    """Return the device's file name cut short, only ever used inside messages."""
    base = os.path.basename(filename or "").strip() or "ảnh"
    return base if len(base) <= 60 else base[:57] + "…"


def _too_many_pixels(detail: str, name: str, limit: int) -> ImageTooManyPixels:
    return ImageTooManyPixels(detail, filename=name, limit=limit // 1_000_000)


def _pixel_limit(image: Image.Image) -> int:
    """Return the pixel cap for an opened image: what its decoder holds in memory at once."""
    fmt = str(image.format)
    if fmt in REDUCED_DECODE_FORMATS and not image.info.get("progressive"):
        return MAX_PIXELS
    return MAX_FULL_DECODE_PIXELS.get(fmt, min(MAX_FULL_DECODE_PIXELS.values()))


def _open_checked(data: bytes, name: str) -> Image.Image:
    """Open ``data`` lazily and check its header: format, pixel count, file structure."""
    try:
        probe = Image.open(BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels(str(exc), name, MAX_PIXELS) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise NotAnImage(str(exc), filename=name) from exc
    if probe.format not in ACCEPTED_FORMATS:
        raise NotAnImage(f"format {probe.format}", filename=name)
    width, height = probe.size
    limit = _pixel_limit(probe)
    if width * height > limit:
        raise _too_many_pixels(f"{width}x{height}", name, limit)
    try:
        probe.verify()  # PNG: every chunk's checksum, streamed, nothing decoded
        return Image.open(BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels(str(exc), name, MAX_PIXELS) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise TruncatedImage(str(exc), filename=name) from exc


def _decode_reduced(image: Image.Image, name: str) -> Image.Image:
    """Decode an opened image at no more than the stored size, keeping its EXIF."""
    box = (STORED_MAX_EDGE, STORED_MAX_EDGE)
    try:
        if image.format in REDUCED_DECODE_FORMATS:
            image.draft("RGB", box)  # decode at 1/2, 1/4 or 1/8 scale, still >= box
        image.load()
        # In place: Image.reduce by whole factors first, then a resample of a small picture.
        image.thumbnail(box, Image.Resampling.LANCZOS, reducing_gap=2.0)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels(str(exc), name, MAX_PIXELS) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise TruncatedImage(str(exc), filename=name) from exc
    return image


def _normalise(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation and return an RGB image with no metadata attached."""
    with contextlib.suppress(Exception):  # a broken orientation tag leaves the photo as shot
        ImageOps.exif_transpose(image, in_place=True)
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    clean = image if image.mode == "RGB" else image.convert("RGB")
    clean.info = {}
    return clean


def _thumbnail(image: Image.Image, edge: int) -> Image.Image:
    """Return a copy of ``image`` that fits in ``edge`` × ``edge`` (never enlarged)."""
    scale = min(1.0, edge / max(image.size))
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = BytesIO()
    # No exif=/icc_profile= arguments: the stored copy carries no metadata at all.
    image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


# --- EXIF --------------------------------------------------------------------------------------


def read_exif(image: Image.Image) -> tuple[datetime | None, float | None, float | None]:
    """Return (time taken in UTC, longitude, latitude) from a photo's EXIF, where present."""
    try:
        exif = image.getexif()
    except Exception:  # noqa: BLE001 - a broken EXIF block only means "no EXIF"
        return None, None, None
    return _exif_time(exif), *_exif_position(exif)


def _exif_time(exif: Image.Exif) -> datetime | None:
    try:
        sub = exif.get_ifd(_TAG_EXIF_IFD)
        raw = sub.get(_TAG_DATETIME_ORIGINAL) or exif.get(_TAG_DATETIME)
        if not raw:
            return None
        naive = datetime.strptime(str(raw).strip("\x00 ").strip(), "%Y:%m:%d %H:%M:%S")
        offset = _parse_offset(sub.get(_TAG_OFFSET_ORIGINAL))
        # Cameras without an offset tag write local wall-clock time: this is Hanoi.
        tz = offset if offset is not None else ZoneInfo(LOCAL_TZ)
        return naive.replace(tzinfo=tz).astimezone(UTC)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def _parse_offset(raw: object) -> timezone | None:
    match = re.fullmatch(r"([+-])(\d{2}):(\d{2})", str(raw or "").strip("\x00 "))
    if not match:
        return None
    sign = 1 if match.group(1) == "+" else -1
    return timezone(sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(3))))


def _exif_position(exif: Image.Exif) -> tuple[float | None, float | None]:
    try:
        gps = exif.get_ifd(_TAG_GPS_IFD)
        if not gps or 2 not in gps or 4 not in gps:
            return None, None
        lat = _degrees(gps[2]) * (-1 if str(gps.get(1, "N")).upper().startswith("S") else 1)
        lon = _degrees(gps[4]) * (-1 if str(gps.get(3, "E")).upper().startswith("W") else 1)
    except (ValueError, TypeError, ZeroDivisionError, KeyError, IndexError):
        return None, None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90) or (lon == 0 and lat == 0):
        return None, None
    return round(lon, 7), round(lat, 7)


def _degrees(value: Iterable[object]) -> float:
    d, m, s = (float(part) for part in value)  # type: ignore[arg-type]  # EXIF rationals
    return d + m / 60 + s / 3600


# --- Storage -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StagedPhoto:
    """A photo written under temporary names, waiting for its database row to commit."""

    file_name: str
    thumb_name: str


class PhotoStore:
    """Keep photo files in one folder under names the server makes; never a user's path."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def stage(self, photo: ProcessedPhoto) -> StagedPhoto:
        """Write a photo and its thumbnail under hidden temporary names."""
        self.root.mkdir(parents=True, exist_ok=True)
        stem = uuid.uuid4().hex
        staged = StagedPhoto(f"{stem}.jpg", f"{stem}_t.jpg")
        try:
            self._write(self.temp_path(staged.file_name), photo.jpeg)
            self._write(self.temp_path(staged.thumb_name), photo.thumb)
        except BaseException:
            self.discard([staged])
            raise
        return staged

    def publish(self, staged: Iterable[StagedPhoto]) -> None:
        """Rename staged files into place (after the database commit)."""
        for photo in staged:
            for name in (photo.file_name, photo.thumb_name):
                os.replace(self.temp_path(name), self.path(name))

    def discard(self, staged: Iterable[StagedPhoto]) -> None:
        """Delete staged (and, if any, published) files of a transaction that failed."""
        for photo in staged:
            for name in (photo.file_name, photo.thumb_name):
                for path in (self.temp_path(name), self.path(name)):
                    path.unlink(missing_ok=True)

    def read(self, name: str) -> bytes:
        """Return a stored file's bytes, finishing a rename a crash left half done."""
        path = self.path(name)
        if not path.exists() and self.temp_path(name).exists():
            os.replace(self.temp_path(name), path)
        return path.read_bytes()

    def path(self, name: str) -> Path:
        """Return the path of a stored file, refusing any name the server did not make."""
        if not _NAME.fullmatch(name):
            raise ValueError(f"not a stored photo name: {name!r}")
        return self.root / name

    def stored_names(self) -> set[str]:
        """Return the names of the published files."""
        if not self.root.exists():
            return set()
        return {p.name for p in self.root.iterdir() if _NAME.fullmatch(p.name)}

    def staged_names(self) -> set[str]:
        """Return the final names of files still under a temporary name."""
        if not self.root.exists():
            return set()
        found = set()
        for p in self.root.iterdir():
            if p.name.startswith(".") and p.name.endswith(".part"):
                name = p.name[1:-5]
                if _NAME.fullmatch(name):
                    found.add(name)
        return found

    def promote(self, name: str) -> None:
        """Move a leftover temporary file into place (its row exists)."""
        os.replace(self.temp_path(name), self.path(name))

    def remove(self, name: str) -> None:
        """Delete a file and its temporary twin (no row refers to it)."""
        self.path(name).unlink(missing_ok=True)
        self.temp_path(name).unlink(missing_ok=True)

    def temp_path(self, name: str) -> Path:
        """Return the hidden temporary path a file has until its row commits."""
        return self.path(name).with_name(f".{name}.part")

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        with open(path, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
