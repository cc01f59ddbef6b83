"""Make real image files for tests: JPEGs with EXIF time, GPS and orientation, broken files."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from io import BytesIO

from PIL import Image, ImageDraw

EXIF_IFD = 0x8769
GPS_IFD = 0x8825
ORIENTATION = 0x0112
DATETIME_ORIGINAL = 0x9003
OFFSET_TIME_ORIGINAL = 0x9011


def _dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 4)
    return Fraction(degrees), Fraction(minutes), Fraction(seconds).limit_denominator(10000)


def make_jpeg(
    size: tuple[int, int] = (640, 480),
    taken: datetime | None = None,
    offset: str | None = None,
    gps: tuple[float, float] | None = None,
    orientation: int | None = None,
    color: tuple[int, int, int] = (200, 30, 30),
) -> bytes:
    """Return a real JPEG with a drawn mark and optional EXIF time, offset, GPS, orientation."""
    image = Image.new("RGB", size, color)
    draw = ImageDraw.Draw(image)
    # A mark in the top-left quadrant shows whether orientation was applied.
    draw.rectangle([0, 0, size[0] // 4, size[1] // 4], fill=(255, 255, 0))
    exif = Image.Exif()
    if orientation is not None:
        exif[ORIENTATION] = orientation
    if taken is not None:
        sub = exif.get_ifd(EXIF_IFD)
        sub[DATETIME_ORIGINAL] = taken.strftime("%Y:%m:%d %H:%M:%S")
        if offset:
            sub[OFFSET_TIME_ORIGINAL] = offset
    if gps is not None:
        lon, lat = gps
        block = exif.get_ifd(GPS_IFD)
        block[1] = "N" if lat >= 0 else "S"
        block[2] = _dms(lat)
        block[3] = "E" if lon >= 0 else "W"
        block[4] = _dms(lon)
    out = BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def make_png(size: tuple[int, int] = (300, 200), mode: str = "RGBA") -> bytes:
    """Return a real PNG (transparent by default)."""
    out = BytesIO()
    Image.new(mode, size, (0, 128, 0, 0) if mode == "RGBA" else 0).save(out, "PNG")
    return out.getvalue()


def make_bomb_png(width: int, height: int) -> bytes:
    """Return a tiny PNG that decodes to width × height pixels (a decompression bomb)."""
    out = BytesIO()
    Image.new("1", (width, height), 0).save(out, "PNG", optimize=True)
    return out.getvalue()


def truncated(data: bytes, keep: float = 0.5) -> bytes:
    """Return the first part of a file, as an upload cut off halfway."""
    return data[: int(len(data) * keep)]


def padded(data: bytes, total_bytes: int) -> bytes:
    """Return a valid image followed by filler up to ``total_bytes`` (a huge upload)."""
    return data + b"\0" * (total_bytes - len(data))
