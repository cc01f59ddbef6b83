"""Photos: accepted by content, size- and bomb-safe, cleaned, EXIF read, stored atomically."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

import pytest
from PIL import Image

from kehoach.adapters.photos import (
    MAX_PHOTO_BYTES,
    STORED_MAX_EDGE,
    THUMB_EDGE,
    PhotoStore,
    process_photo,
    without_metadata,
)
from kehoach.domain.inspection import (
    EmptyImage,
    ImageTooLarge,
    ImageTooManyPixels,
    NotAnImage,
    PhotoRejected,
    TruncatedImage,
    UploadedPhoto,
)
from kehoach.i18n import t
from tests.images import make_bomb_png, make_jpeg, make_png, padded, truncated


def _open(data: bytes) -> Image.Image:
    image = Image.open(BytesIO(data))
    image.load()
    return image


def test_a_jpeg_is_reencoded_without_metadata_and_thumbnailed() -> None:
    original = make_jpeg(
        (4000, 3000), taken=datetime(2024, 10, 5, 9, 30), offset="+07:00", gps=(105.81, 20.99)
    )
    photo = process_photo(UploadedPhoto(original, "IMG_0001.JPG"))
    stored = _open(photo.jpeg)
    assert stored.format == "JPEG"
    assert max(stored.size) == STORED_MAX_EDGE
    assert (photo.width, photo.height) == stored.size == (2560, 1920)
    assert len(stored.getexif()) == 0
    assert "exif" not in stored.info and "icc_profile" not in stored.info
    thumb = _open(photo.thumb)
    assert max(thumb.size) == THUMB_EDGE
    assert photo.source_format == "JPEG"
    assert len(photo.sha256) == 64


def _clean_jpeg(size: tuple[int, int], **options: object) -> bytes:
    """Return a JPEG as a browser canvas makes it: JFIF only, no EXIF, ICC or comment."""
    out = BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, "JPEG", quality=85, **options)
    return out.getvalue()


def test_a_clean_jpeg_within_the_stored_size_is_kept_byte_for_byte() -> None:
    original = _clean_jpeg((1600, 1200))
    photo = process_photo(UploadedPhoto(original, "pack.jpg"))
    assert photo.jpeg == original
    assert (photo.width, photo.height) == (1600, 1200)
    assert max(_open(photo.thumb).size) == THUMB_EDGE


@pytest.mark.parametrize(
    "original",
    [
        _clean_jpeg((1600, 1200), comment=b"a comment"),
        _clean_jpeg((1600, 1200), icc_profile=b"\0" * 200),
        make_jpeg((1600, 1200), taken=datetime(2024, 10, 5, 9, 30), gps=(105.81, 20.99)),
    ],
    ids=["comment", "icc", "exif-gps"],
)
def test_metadata_is_cut_out_of_a_jpeg_that_needs_no_reencoding(original: bytes) -> None:
    photo = process_photo(UploadedPhoto(original, "a.jpg"))
    stored = _open(photo.jpeg)
    assert not {"comment", "icc_profile", "exif", "xmp"} & set(stored.info)
    assert [marker for marker, _ in stored.applist] == ["APP0"]
    assert photo.jpeg.endswith(original[original.index(b"\xff\xda"):])  # same picture bytes
    assert stored.tobytes() == _open(original).tobytes()


@pytest.mark.parametrize(
    "original",
    [
        _clean_jpeg((1600, 1200)) + b"<script>hidden</script>",  # bytes after the end marker
        _clean_jpeg((3000, 2000)),  # larger than the stored size
        make_jpeg((1600, 1200), orientation=6),  # shown turned: stored upright
    ],
    ids=["trailing-bytes", "too-large", "turned"],
)
def test_any_other_jpeg_is_reencoded_clean(original: bytes) -> None:
    photo = process_photo(UploadedPhoto(original, "a.jpg"))
    stored = _open(photo.jpeg)
    assert max(stored.size) <= STORED_MAX_EDGE
    assert not {"comment", "icc_profile", "exif"} & set(stored.info)
    assert photo.jpeg.endswith(b"\xff\xd9") and b"<script>" not in photo.jpeg
    assert b"\xff\xda" in photo.jpeg and not photo.jpeg.endswith(
        original[original.index(b"\xff\xda"):])  # fmt: skip


def test_a_jpeg_with_an_adobe_block_is_not_cut_but_reencoded() -> None:
    original = _clean_jpeg((800, 600))
    adobe = b"\xff\xee\x00\x0eAdobe\x00\x64\x00\x00\x00\x00\x01"
    assert without_metadata(original[:2] + adobe + original[2:]) is None


def test_a_truncated_clean_jpeg_is_refused() -> None:
    with pytest.raises(TruncatedImage):
        process_photo(UploadedPhoto(truncated(_clean_jpeg((1600, 1200))), "cut.jpg"))


def test_exif_time_and_gps_are_read_from_the_original() -> None:
    original = make_jpeg(taken=datetime(2024, 10, 5, 9, 30), offset="+07:00", gps=(105.81, 20.99))
    photo = process_photo(UploadedPhoto(original, "a.jpg"))
    assert photo.taken_at == datetime(2024, 10, 5, 2, 30, tzinfo=UTC)
    assert photo.lon == pytest.approx(105.81, abs=1e-6)
    assert photo.lat == pytest.approx(20.99, abs=1e-6)


def test_exif_time_without_offset_is_hanoi_time() -> None:
    photo = process_photo(UploadedPhoto(make_jpeg(taken=datetime(2024, 10, 5, 9, 30)), "a.jpg"))
    assert photo.taken_at == datetime(2024, 10, 5, 2, 30, tzinfo=UTC)
    assert photo.lon is None and photo.lat is None


def test_exif_orientation_is_applied() -> None:
    # 6 = the camera was turned a quarter: the stored copy is upright (portrait).
    photo = process_photo(UploadedPhoto(make_jpeg((400, 200), orientation=6), "a.jpg"))
    stored = _open(photo.jpeg)
    assert stored.size == (200, 400)
    # The yellow mark drawn top-left ends up top-right after a 90° clockwise turn.
    r, g, b = stored.getpixel((190, 10))
    assert r > 200 and g > 200 and b < 80


def test_transparent_png_becomes_a_jpeg_on_white() -> None:
    photo = process_photo(UploadedPhoto(make_png(), "screenshot.png"))
    stored = _open(photo.jpeg)
    assert stored.format == "JPEG" and stored.mode == "RGB"
    assert min(stored.getpixel((10, 10))) > 240


def test_a_real_jpeg_named_anything_is_accepted() -> None:
    assert process_photo(UploadedPhoto(make_jpeg(), "scan.pdf")).width == 640


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"%PDF-1.7 this is a document, not a photo" * 50, NotAnImage),
        (b"GIF89a" + bytes(200), NotAnImage),
        (b"", EmptyImage),
    ],
)
def test_non_images_are_refused_by_content(data: bytes, error: type) -> None:
    with pytest.raises(error) as info:
        process_photo(UploadedPhoto(data, "anh-hien-truong.jpg"))
    message = t(info.value.code, **info.value.params)
    assert "anh-hien-truong.jpg" in message


def test_a_gif_is_not_accepted_even_if_it_decodes() -> None:
    out = BytesIO()
    Image.new("P", (50, 50)).save(out, "GIF")
    with pytest.raises(NotAnImage):
        process_photo(UploadedPhoto(out.getvalue(), "a.jpg"))


def test_a_truncated_jpeg_is_refused() -> None:
    with pytest.raises(TruncatedImage) as info:
        process_photo(UploadedPhoto(truncated(make_jpeg((1200, 900))), "cut.jpg"))
    assert t(info.value.code, **info.value.params).startswith("Ảnh «cut.jpg» bị hỏng")


@pytest.mark.parametrize(
    ("width", "height", "limit"), [(20_000, 20_000, 50), (8_000, 7_000, 8), (7_000, 7_000, 8)]
)
def test_decompression_bombs_are_refused_before_decoding(width: int, height: int, limit) -> None:
    bomb = make_bomb_png(width, height)
    assert len(bomb) < 200_000  # tiny file, huge picture
    with pytest.raises(ImageTooManyPixels) as info:
        process_photo(UploadedPhoto(bomb, "bomb.png"))
    assert f"tối đa {limit} triệu" in t(info.value.code, **info.value.params)


def test_a_30_mb_photo_is_refused() -> None:
    huge = padded(make_jpeg(), 30 * 1024 * 1024)
    with pytest.raises(ImageTooLarge) as info:
        process_photo(UploadedPhoto(huge, "big.jpg"))
    message = t(info.value.code, **info.value.params)
    assert "30.0 MB" in message and "15 MB" in message


def test_a_photo_just_under_the_cap_is_accepted() -> None:
    photo = process_photo(UploadedPhoto(padded(make_jpeg(), MAX_PHOTO_BYTES), "ok.jpg"))
    assert photo.width == 640


def test_every_photo_error_has_a_complete_vietnamese_message() -> None:
    cases = [
        NotAnImage("x", filename="a.jpg"),
        TruncatedImage("x", filename="a.jpg"),
        ImageTooLarge("x", filename="a.jpg", mb=30.0, limit=15),
        ImageTooManyPixels("x", filename="a.jpg", limit=50),
        EmptyImage("x", filename="a.jpg"),
    ]
    for exc in cases:
        assert isinstance(exc, PhotoRejected)
        message = t(exc.code, **exc.params)
        assert message != exc.code and "{" not in message and "ảnh" in message.lower()


# --- Storage ----------------------------------------------------------------------------------


def test_store_stages_under_hidden_names_then_publishes(tmp_path) -> None:
    store = PhotoStore(tmp_path / "media")
    photo = process_photo(UploadedPhoto(make_jpeg(), "a.jpg"))
    staged = store.stage(photo)
    names = sorted(p.name for p in (tmp_path / "media").iterdir())
    assert names == sorted([f".{staged.file_name}.part", f".{staged.thumb_name}.part"])
    assert store.stored_names() == set()
    store.publish([staged])
    assert store.stored_names() == {staged.file_name, staged.thumb_name}
    assert store.read(staged.file_name) == photo.jpeg
    assert store.read(staged.thumb_name) == photo.thumb


def test_store_discard_leaves_nothing(tmp_path) -> None:
    store = PhotoStore(tmp_path)
    staged = store.stage(process_photo(UploadedPhoto(make_jpeg(), "a.jpg")))
    store.discard([staged])
    assert list(tmp_path.iterdir()) == []


def test_store_read_finishes_an_interrupted_rename(tmp_path) -> None:
    store = PhotoStore(tmp_path)
    staged = store.stage(process_photo(UploadedPhoto(make_jpeg(), "a.jpg")))
    assert store.read(staged.thumb_name)[:2] == b"\xff\xd8"
    assert (tmp_path / staged.thumb_name).exists()


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd", "/etc/passwd", "a.jpg", "0" * 32 + ".png", ".." + "0" * 30 + ".jpg"],
)
def test_store_refuses_names_it_did_not_make(tmp_path, name: str) -> None:
    with pytest.raises(ValueError):
        PhotoStore(tmp_path).read(name)
