"""Photos cost bounded memory: pixel caps from the header, JPEGs decoded at reduced scale.

Peak memory is measured in a fresh process (tests/photo_memory.py, ru_maxrss delta), with
several uploads processed at once in threads as simultaneous users would send them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from kehoach.adapters.photos import MAX_FULL_DECODE_PIXELS, STORED_MAX_EDGE, process_photo
from kehoach.config import PROJECT_ROOT
from kehoach.domain.inspection import ImageTooManyPixels, UploadedPhoto
from tests.images import make_bomb_png

EDGE = 7000  # 49 MP: what a phone's full-resolution mode gives, and what an attack sent
ONE_UPLOAD_MB = 180  # measured: about 110 MB for a 49 MP JPEG, 130 MB for a 6 MP WebP
TWO_UPLOADS_PROCESS_MB = 500  # the whole process, two at once (measured: about 240 MB)


@pytest.fixture(scope="module")
def big_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Write 49 MP JPEGs (baseline and progressive) and a PNG at the full-decode cap."""
    folder = tmp_path_factory.mktemp("big-photos")
    image = Image.new("RGB", (EDGE, EDGE), (200, 30, 30))
    ImageDraw.Draw(image).rectangle([0, 0, EDGE // 4, EDGE // 4], fill=(255, 255, 0))
    files = {"jpeg": folder / "big.jpg", "progressive": folder / "prog.jpg"}
    image.save(files["jpeg"], "JPEG", quality=85)
    image.save(files["progressive"], "JPEG", quality=85, progressive=True)
    del image
    edge = int(MAX_FULL_DECODE_PIXELS["PNG"] ** 0.5)
    files["png"] = folder / "cap.png"
    Image.new("RGBA", (edge, edge), (10, 200, 10, 128)).save(files["png"], "PNG")
    files["bomb"] = folder / "bomb.png"
    files["bomb"].write_bytes(make_bomb_png(EDGE, EDGE))
    return files


def measure(*files: Path) -> dict:
    """Process ``files`` at once in a fresh Python; return its memory figures and outcomes."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.photo_memory", *map(str, files)],
        capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)


def test_a_49_mp_jpeg_is_accepted_and_stored_at_the_stored_size(big_files) -> None:
    photo = process_photo(UploadedPhoto(big_files["jpeg"].read_bytes(), "big.jpg"))
    assert (photo.width, photo.height) == (STORED_MAX_EDGE, STORED_MAX_EDGE)
    stored = Image.open(BytesIO(photo.jpeg))
    assert stored.getpixel((10, 10))[0] > 200 and stored.getpixel((10, 10))[2] < 60  # the mark


@pytest.mark.parametrize("kind", ["progressive", "bomb"])
def test_pictures_decoded_whole_are_refused_past_their_cap(big_files, kind: str) -> None:
    with pytest.raises(ImageTooManyPixels):
        process_photo(UploadedPhoto(big_files[kind].read_bytes(), big_files[kind].name))


def test_one_upload_has_a_memory_bound(big_files) -> None:
    for kind in ("jpeg", "png"):
        figures = measure(big_files[kind])
        assert figures["outcomes"][0].startswith("ok"), figures
        assert figures["delta_mb"] < ONE_UPLOAD_MB, (kind, figures)


def test_two_uploads_at_once_keep_the_process_bounded(big_files) -> None:
    figures = measure(big_files["jpeg"], big_files["jpeg"])
    assert figures["outcomes"] == ["ok 2560x2560", "ok 2560x2560"]
    assert figures["peak_mb"] < TWO_UPLOADS_PROCESS_MB, figures


def test_refused_bombs_cost_almost_nothing(big_files) -> None:
    figures = measure(big_files["bomb"], big_files["progressive"])
    assert figures["outcomes"] == ["ImageTooManyPixels", "ImageTooManyPixels"]
    assert figures["delta_mb"] < 40, figures
