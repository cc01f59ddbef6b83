"""Inspection service: nearest sites, walking order, recording with photos, the fix loop."""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, text

from kehoach.adapters.geometry import distance_m
from kehoach.adapters.photos import PhotoStore
from kehoach.db.engine import read_session
from kehoach.db.models import Inspection, Photo, Site, SiteEvent, Unit
from kehoach.domain.enums import Role, SiteKind, SiteStatus
from kehoach.domain.errors import (
    NotFound,
    OutsideDistrict,
    PermissionDenied,
    SwappedCoordinates,
)
from kehoach.domain.inspection import (
    BadFlagCounts,
    BadFlagWindow,
    DefectsOnPass,
    DevicePosition,
    FlagsOutsideWindow,
    ImageTooLarge,
    ImageTooManyPixels,
    InspectionNotSaved,
    InspectionWarning,
    NoDefect,
    NoPhoto,
    NotAnImage,
    NotAnInspector,
    PhotoFlag,
    SiteNotStarted,
    SiteRemoved,
    TooManyPhotos,
    TruncatedImage,
    UploadedPhoto,
)
from kehoach.i18n import t
from kehoach.services import inspections
from kehoach.services.campaigns import resolve_campaign
from kehoach.services.sites import SiteChanges, update_site
from tests.factories import make_site, make_user, point_on_street, street_id
from tests.images import make_bomb_png, make_jpeg, padded, truncated

NT = "Đường Nguyễn Trãi"
KDT = "Đường Khuất Duy Tiến"
HVT = "Phố Hoàng Văn Thái"


@pytest.fixture
def media(tmp_path, monkeypatch) -> Path:
    """Point the photo store at a fresh folder for each test."""
    folder = tmp_path / "media"
    monkeypatch.setenv("KEHOACH_MEDIA_DIR", str(folder))
    return folder


@pytest.fixture
def inspector(engine):
    return make_user(engine, "kiemtra", Role.INSPECTOR)


@pytest.fixture
def staff(engine):
    return make_user(engine, "canbo", Role.STAFF)


def _installed_site(engine, street: str = NT, fraction: float = 0.4, **kw) -> int:
    lon, lat = point_on_street(street, fraction)
    kw.setdefault("status", SiteStatus.INSTALLED)
    return make_site(engine, lon=lon, lat=lat, **kw)


def _photo(**kw) -> UploadedPhoto:
    return UploadedPhoto(make_jpeg(**kw), "IMG_2024.jpg")


def _at(street: str, fraction: float) -> DevicePosition:
    lon, lat = point_on_street(street, fraction)
    return DevicePosition(lon, lat, 8.0)


def _counts(engine) -> tuple[int, int]:
    with read_session(engine) as s:
        return (
            s.scalar(select(func.count()).select_from(Inspection)),
            s.scalar(select(func.count()).select_from(Photo)),
        )


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _events(engine, site_id: int) -> list[tuple[str, str, str | None, str | None, str | None]]:
    with read_session(engine) as s:
        return [
            (e.username, e.action, e.field, e.old_value, e.new_value)
            for e in s.scalars(
                select(SiteEvent).where(SiteEvent.site_id == site_id).order_by(SiteEvent.id)
            )
        ]


# --- Where am I, nearest, walking order ---------------------------------------------------------


def test_nearest_sites_sorted_by_metres(engine) -> None:
    near = _installed_site(engine, NT, 0.31, name="Pa-nô gần")
    middle = _installed_site(engine, NT, 0.45, name="Pa-nô xa hơn")
    other = _installed_site(engine, KDT, 0.5, name="Pa-nô Khuất Duy Tiến")
    lon, lat = point_on_street(NT, 0.30)
    listed = inspections.nearest_sites(engine, lon, lat)
    assert [s.id for s in listed] == [near, middle, other]
    first = listed[0]
    site_lon, site_lat = point_on_street(NT, 0.31)
    assert first.distance_m == pytest.approx(distance_m(lon, lat, site_lon, site_lat), abs=0.2)
    assert first.distance_m < listed[1].distance_m < listed[2].distance_m
    assert first.kind == "panel" and first.status == "installed"
    assert first.last_inspected_at is None and not first.inspected_today


def test_nearest_measures_to_a_stretch_not_its_middle(engine) -> None:
    line = tuple(point_on_street(NT, f) for f in (0.30, 0.34, 0.38))
    stretch = make_site(engine, kind=SiteKind.FLAG_LINE, line=line, name="Cờ phướn")
    point = _installed_site(engine, NT, 0.27)
    lon, lat = point_on_street(NT, 0.30)  # on the stretch's first end
    listed = inspections.nearest_sites(engine, lon, lat)
    assert [s.id for s in listed][:2] == [stretch, point]
    assert listed[0].distance_m < 2.0


def test_nearest_skips_removed_and_unapproved_sites(engine) -> None:
    _installed_site(engine, NT, 0.3, status=SiteStatus.REMOVED)
    make_site(engine, lon=point_on_street(NT, 0.3)[0], lat=point_on_street(NT, 0.3)[1],
              is_new=True, estimated_cost=1_000_000)  # fmt: skip
    kept = _installed_site(engine, KDT, 0.5)
    assert [s.id for s in inspections.nearest_sites(engine, *point_on_street(NT, 0.3))] == [kept]


def test_positions_outside_the_district_are_refused(engine) -> None:
    with pytest.raises(OutsideDistrict):
        inspections.nearest_sites(engine, 105.8523, 21.0287)  # Hoàn Kiếm lake
    lon, lat = point_on_street(NT, 0.5)
    with pytest.raises(SwappedCoordinates):
        inspections.check_position(engine, lat, lon)


def test_walking_order_follows_the_street(engine) -> None:
    ids = {f: _installed_site(engine, HVT, f) for f in (0.8, 0.2, 0.5, 0.05)}
    hvt = street_id(engine, HVT)
    walk = inspections.walking_order(engine, hvt)
    assert [s.id for s in walk] == [ids[0.05], ids[0.2], ids[0.5], ids[0.8]]
    assert [s.position_m for s in walk] == sorted(s.position_m for s in walk)
    # Standing at the far end, the walk starts there.
    back = inspections.walking_order(engine, hvt, lon=point_on_street(HVT, 0.9)[0],
                                     lat=point_on_street(HVT, 0.9)[1])  # fmt: skip
    assert [s.id for s in back] == [ids[0.8], ids[0.5], ids[0.2], ids[0.05]]
    assert back[0].distance_m < back[-1].distance_m


def test_walking_order_on_a_split_street(engine) -> None:
    # Nguyễn Trãi is a dual carriageway in several parts: order along its main axis.
    ids = {f: _installed_site(engine, NT, f) for f in (0.9, 0.1, 0.6, 0.3)}
    walk = inspections.walking_order(engine, street_id(engine, NT))
    order = [s.id for s in walk]
    assert order in ([ids[f] for f in (0.1, 0.3, 0.6, 0.9)], [ids[f] for f in (0.9, 0.6, 0.3, 0.1)])


def test_streets_in_ward_lists_streets_crossing_it(engine) -> None:
    from tests.factories import ward_id

    names = [o.label for o in inspections.streets_in_ward(engine, ward_id(engine, "00343"))]
    assert names == sorted(names) and len(names) >= 3


# --- Recording ------------------------------------------------------------------------------------


def test_needs_fix_with_photo_is_stored_with_position_and_history(engine, inspector, media) -> None:
    site = _installed_site(engine, NT, 0.4)
    result = inspections.record_inspection(
        engine,
        inspector,
        site,
        "needs_fix",
        defects=["torn", "faded"],
        note="Pa-nô rách góc trái",
        photos=[_photo(), _photo(color=(20, 20, 200))],
        position=_at(NT, 0.4),
    )
    assert result.status == "needs_fix" and result.photos == 2
    assert result.distance_m < 1.0
    assert result.warnings == ()
    with read_session(engine) as s:
        row = s.get(Inspection, result.inspection_id)
        assert (row.inspector_id, row.result, row.defects) == (
            inspector.id,
            "needs_fix",
            ["torn", "faded"],
        )
        assert row.device_accuracy_m == 8.0 and row.device_lon == pytest.approx(_at(NT, 0.4).lon)
        assert row.at.tzinfo is not None
        photos = s.scalars(select(Photo).where(Photo.inspection_id == row.id)).all()
        assert s.get(Site, site).status == "needs_fix"
    names = {p.file_name for p in photos} | {p.thumb_name for p in photos}
    assert _files(media) == sorted(names)  # no temporary file left behind
    events = _events(engine, site)
    assert ("kiemtra", "inspection", "status", "installed", "needs_fix") in events
    assert any(
        e[1:3] == ("inspection", "inspection") and e[4].startswith("needs_fix") for e in events
    )


def test_far_device_is_a_warning_not_a_refusal(engine, inspector, media) -> None:
    site = _installed_site(engine, NT, 0.4)
    result = inspections.record_inspection(engine, inspector, site, "pass", position=_at(NT, 0.6))
    assert InspectionWarning.FAR_FROM_SITE in result.warnings
    assert result.distance_m > 100
    assert _counts(engine) == (1, 0)
    message = t("InspectionWarning.far_from_site", d=f"{result.distance_m:.0f} m")
    assert "hơn 100 m" in message


def test_no_position_is_saved_with_a_warning(engine, inspector, media) -> None:
    site = _installed_site(engine)
    result = inspections.record_inspection(engine, inspector, site, "pass")
    assert result.warnings == (InspectionWarning.NO_POSITION,)
    assert result.distance_m is None


def test_exif_far_and_old_photos_are_flagged(engine, inspector, media) -> None:
    site = _installed_site(engine, NT, 0.4)
    far = point_on_street(KDT, 0.5)
    old = _photo(taken=datetime(2023, 5, 1, 8, 0), gps=far)
    fresh = _photo(taken=datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=7))
    result = inspections.record_inspection(
        engine, inspector, site, "needs_fix", defects=["torn"], photos=[old, fresh],
        position=_at(NT, 0.4),
    )  # fmt: skip
    first, second = result.photo_flags
    assert set(first) == {
        PhotoFlag.GPS_FAR,
        PhotoFlag.TIME_OUTSIDE_CAMPAIGN,
        PhotoFlag.TIME_STALE,
    }
    assert PhotoFlag.GPS_FAR not in second and PhotoFlag.TIME_STALE not in second
    assert InspectionWarning.PHOTO_FLAGGED in result.warnings
    with read_session(engine) as s:
        stored = s.scalars(select(Photo).order_by(Photo.id)).all()
        assert set(stored[0].flags) == {f.value for f in first}
        assert stored[0].exif_taken_at == datetime(2023, 5, 1, 1, 0, tzinfo=UTC)


def test_pass_on_a_site_needing_a_fix_closes_the_loop(engine, inspector, media) -> None:
    site = _installed_site(engine, status=SiteStatus.NEEDS_FIX)
    result = inspections.record_inspection(engine, inspector, site, "pass")
    assert result.status == "installed"


def test_the_whole_fix_loop(engine, inspector, staff, media) -> None:
    with read_session(engine) as s:
        unit_id = s.scalar(select(Unit.id).where(Unit.name.like("Trung tâm Văn hoá%")))
    site = _installed_site(engine, NT, 0.4, unit_id=unit_id, name="Cụm pa-nô ngã tư")
    lon, lat = point_on_street(NT, 0.4)
    inspections.record_inspection(
        engine, inspector, site, "needs_fix", defects=["leaning"], note="Khung nghiêng",
        photos=[_photo()], position=_at(NT, 0.4),
    )  # fmt: skip
    groups = inspections.fix_todo(engine)
    assert [g.unit_id for g in groups] == [unit_id]
    item = groups[0].items[0]
    assert (item.site_id, item.inspector, item.defects, item.note) == (
        site,
        "kiemtra",
        ("leaning",),
        "Khung nghiêng",
    )
    # The unit fixes it and marks it done through the normal site edit.
    update_site(engine, staff, site, item.version, SiteChanges({"status": "installed"}))
    assert inspections.fix_todo(engine) == []
    line = next(s for s in inspections.nearest_sites(engine, lon, lat) if s.id == site)
    assert line.awaiting_recheck and line.status == "installed"
    # Inspected today but waiting for a re-check: not hidden.
    hidden = inspections.nearest_sites(engine, lon, lat, hide_inspected_today=True)
    assert site in [s.id for s in hidden]
    inspections.record_inspection(engine, inspector, site, "pass", position=_at(NT, 0.4))
    line = next(s for s in inspections.nearest_sites(engine, lon, lat) if s.id == site)
    assert not line.awaiting_recheck and line.last_outcome == "pass"
    loop = [(e[0], e[1], e[3], e[4]) for e in _events(engine, site) if e[2] == "status"]
    assert loop == [
        ("kiemtra", "inspection", "installed", "needs_fix"),
        ("canbo", "updated", "needs_fix", "installed"),
    ]
    results = [e[4].split()[0] for e in _events(engine, site) if e[2] == "inspection"]
    assert results == ["needs_fix", "pass"]


def test_inspected_today_can_be_hidden_and_shows_tomorrow(engine, inspector, media) -> None:
    done = _installed_site(engine, NT, 0.31)
    other = _installed_site(engine, NT, 0.45)
    lon, lat = point_on_street(NT, 0.30)
    now = datetime(2024, 10, 5, 3, 0, tzinfo=UTC)  # 10:00 in Hanoi
    inspections.record_inspection(engine, inspector, done, "pass", now=now)
    listed = inspections.nearest_sites(engine, lon, lat, now=now + timedelta(hours=2))
    assert listed[0].id == done and listed[0].inspected_today
    assert listed[0].last_inspected_at == now
    hidden = inspections.nearest_sites(
        engine, lon, lat, hide_inspected_today=True, now=now + timedelta(hours=2)
    )
    assert [s.id for s in hidden] == [other]
    # 17:00 UTC is midnight in Hanoi: a new day.
    tomorrow = datetime(2024, 10, 5, 17, 30, tzinfo=UTC)
    shown = inspections.nearest_sites(engine, lon, lat, hide_inspected_today=True, now=tomorrow)
    assert [s.id for s in shown] == [done, other]


# --- Bad input: a clear message and nothing stored -----------------------------------------------


BAD_PHOTOS = {
    "not_an_image": (UploadedPhoto(b"<html>not a photo</html>" * 40, "fake.jpg"), NotAnImage),
    "truncated": (UploadedPhoto(truncated(make_jpeg((1200, 900))), "cut.jpg"), TruncatedImage),
    "bomb": (UploadedPhoto(make_bomb_png(20_000, 20_000), "bomb.jpg"), ImageTooManyPixels),
    "30mb": (UploadedPhoto(padded(make_jpeg(), 30 * 1024 * 1024), "big.jpg"), ImageTooLarge),
}


@pytest.mark.parametrize("case", sorted(BAD_PHOTOS))
def test_bad_photo_stores_nothing(engine, inspector, media, case: str) -> None:
    site = _installed_site(engine)
    bad, error = BAD_PHOTOS[case]
    with pytest.raises(error) as info:
        inspections.record_inspection(
            engine, inspector, site, "needs_fix", defects=["torn"], photos=[_photo(), bad],
            position=_at(NT, 0.4),
        )  # fmt: skip
    message = t(info.value.code, **info.value.params)
    assert bad.filename in message and "Chưa có gì được lưu" in message
    assert _counts(engine) == (0, 0)
    assert _files(media) == []
    with read_session(engine) as s:
        assert s.get(Site, site).status == "installed"


def _refused(engine, actor, site, error, **kw) -> str:
    kw.setdefault("photos", [_photo()])
    with pytest.raises(error) as info:
        inspections.record_inspection(engine, actor, site, "needs_fix", defects=["torn"], **kw)
    return t(info.value.code, **info.value.params)


def test_position_outside_the_district_stores_nothing(engine, inspector, media) -> None:
    site = _installed_site(engine)
    message = _refused(
        engine, inspector, site, OutsideDistrict, position=DevicePosition(105.8523, 21.0287, 5)
    )
    assert message == "Vị trí nằm ngoài địa bàn quận Thanh Xuân."
    assert _counts(engine) == (0, 0) and _files(media) == []


def test_removed_site_is_refused(engine, inspector, media) -> None:
    site = _installed_site(engine, status=SiteStatus.REMOVED)
    assert "đã tháo dỡ" in _refused(engine, inspector, site, SiteRemoved)
    with pytest.raises(SiteRemoved):
        inspections.record_inspection(engine, inspector, site, "pass")
    assert _counts(engine) == (0, 0) and _files(media) == []


@pytest.mark.parametrize("role", [Role.STAFF, Role.WARD_OFFICER, Role.LEADER])
def test_only_inspectors_record(engine, media, role: Role) -> None:
    actor = make_user(engine, f"u-{role.value}", role, ward_code="00343")
    site = _installed_site(engine)
    message = _refused(engine, actor, site, NotAnInspector)
    assert message == "Chỉ cán bộ kiểm tra mới được ghi kết quả kiểm tra."
    assert issubclass(NotAnInspector, PermissionDenied)
    assert _counts(engine) == (0, 0) and _files(media) == []


def test_admin_may_record(engine, media) -> None:
    admin = make_user(engine, "quantri", Role.ADMIN)
    site = _installed_site(engine)
    assert inspections.record_inspection(engine, admin, site, "pass").status == "installed"


@pytest.mark.parametrize(
    ("kw", "error"),
    [
        ({"photos": []}, NoPhoto),
        ({"defects": []}, NoDefect),
        ({"photos": [UploadedPhoto(make_jpeg(), f"{i}.jpg") for i in range(6)]}, TooManyPhotos),
    ],
)
def test_incomplete_needs_fix_is_refused(engine, inspector, media, kw, error) -> None:
    site = _installed_site(engine)
    args = {"defects": ["torn"], "photos": [_photo()], **kw}
    with pytest.raises(error) as info:
        inspections.record_inspection(engine, inspector, site, "needs_fix", **args)
    assert "{" not in t(info.value.code, **info.value.params)
    assert _counts(engine) == (0, 0) and _files(media) == []


def test_pass_with_defects_is_refused(engine, inspector, media) -> None:
    with pytest.raises(DefectsOnPass):
        inspections.record_inspection(engine, inspector, _installed_site(engine), "pass", ["torn"])


def test_a_planned_site_refuses_a_defect_and_a_pass_saying_what_to_do(
    engine, inspector, media
) -> None:
    site = _installed_site(engine, status=SiteStatus.PLANNED)
    message = _refused(engine, inspector, site, SiteNotStarted)
    assert "chưa triển khai" in message and "đang lắp đặt" in message
    with pytest.raises(SiteNotStarted):  # a pass is refused too, not accepted silently
        inspections.record_inspection(engine, inspector, site, "pass")
    assert _counts(engine) == (0, 0) and _files(media) == []


def test_a_defect_during_installation_is_kept_and_the_status_stays(
    engine, inspector, media
) -> None:
    site = _installed_site(engine, status=SiteStatus.INSTALLING)
    result = inspections.record_inspection(
        engine, inspector, site, "needs_fix", defects=["torn"], photos=[_photo()]
    )
    assert result.status == SiteStatus.INSTALLING.value
    assert _counts(engine) == (1, 1)
    with read_session(engine) as s:
        assert s.scalar(select(Inspection.defects)) == ["torn"]
        assert s.get(Site, site).status == SiteStatus.INSTALLING.value


def test_unknown_site(engine, inspector, media) -> None:
    with pytest.raises(NotFound):
        inspections.record_inspection(engine, inspector, 9999, "pass")


# --- All or nothing: files and rows -------------------------------------------------------------


def test_second_photo_write_failing_leaves_no_row_and_no_file(
    engine, inspector, media, monkeypatch
) -> None:
    site = _installed_site(engine)
    real_write = PhotoStore._write
    calls = []

    def write_then_fail(path, data):  # type: ignore[no-untyped-def]
        calls.append(path)
        if len(calls) == 3:  # the second photo's full-size file: disk full halfway
            path.write_bytes(data[: len(data) // 2])
            raise OSError(28, "No space left on device")
        real_write(path, data)

    monkeypatch.setattr(PhotoStore, "_write", staticmethod(write_then_fail))
    with pytest.raises(InspectionNotSaved) as info:
        inspections.record_inspection(
            engine, inspector, site, "needs_fix", defects=["torn"],
            photos=[_photo(), _photo(color=(0, 0, 0))], position=_at(NT, 0.4),
        )  # fmt: skip
    assert "không có gì được lưu" in t(info.value.code)
    assert len(calls) == 3
    assert _counts(engine) == (0, 0)
    assert _files(media) == []
    with read_session(engine) as s:
        assert s.get(Site, site).status == "installed"
    assert [e[1] for e in _events(engine, site)] == ["created"]


def test_database_failing_mid_transaction_leaves_no_file(engine, inspector, media) -> None:
    site = _installed_site(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TRIGGER photo_disk_full BEFORE INSERT ON photo "
                "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
            )
        )
    with pytest.raises(InspectionNotSaved):
        inspections.record_inspection(
            engine, inspector, site, "needs_fix", defects=["torn"], photos=[_photo()],
        )  # fmt: skip
    assert _counts(engine) == (0, 0)
    assert _files(media) == []


def test_commit_failing_leaves_no_row_and_no_file(engine, inspector, media) -> None:
    site = _installed_site(engine)

    def fail_commit(conn):  # type: ignore[no-untyped-def]
        if conn.get_execution_options().get("write"):  # read sessions commit too
            raise OSError(5, "I/O error while committing")

    event.listen(engine, "commit", fail_commit)
    try:
        with pytest.raises(InspectionNotSaved):
            inspections.record_inspection(
                engine, inspector, site, "needs_fix", defects=["torn"], photos=[_photo()],
            )  # fmt: skip
    finally:
        event.remove(engine, "commit", fail_commit)
    assert _counts(engine) == (0, 0)
    assert _files(media) == []


def test_crash_between_commit_and_rename_is_repaired(engine, inspector, media, monkeypatch) -> None:
    site = _installed_site(engine)
    real_publish = PhotoStore.publish

    def crash(self, staged):  # type: ignore[no-untyped-def]
        raise OSError(5, "power cut")

    monkeypatch.setattr(PhotoStore, "publish", crash)
    inspections.record_inspection(
        engine, inspector, site, "needs_fix", defects=["torn"], photos=[_photo()]
    )
    assert all(name.endswith(".part") for name in _files(media))
    monkeypatch.setattr(PhotoStore, "publish", real_publish)
    orphan = media / ("f" * 32 + ".jpg")
    orphan.write_bytes(b"left by hand")
    report = inspections.reconcile_photo_files(engine, min_age=timedelta(0))
    assert (report.promoted, report.removed) == (2, 1)
    with read_session(engine) as s:
        photo = s.scalars(select(Photo)).one()
    assert _files(media) == sorted([photo.file_name, photo.thumb_name])


def test_reconcile_keeps_young_temporary_files(engine, media) -> None:
    media.mkdir()
    young = media / (".{}.jpg.part".format("a" * 32))
    young.write_bytes(b"in flight")
    assert inspections.reconcile_photo_files(engine).removed == 0
    assert young.exists()


# --- Photos on the card ---------------------------------------------------------------------------


def test_site_photos_returns_thumbnails_newest_first(engine, inspector, media) -> None:
    site = _installed_site(engine)
    first = inspections.record_inspection(
        engine, inspector, site, "needs_fix", ["torn"], photos=[_photo()],
        now=datetime.now(UTC) - timedelta(hours=1),
    )  # fmt: skip
    inspections.record_inspection(
        engine, inspector, site, "pass", photos=[_photo(color=(0, 200, 0))]
    )
    photos = inspections.site_photos(engine, site)
    assert [p.outcome for p in photos] == ["pass", "needs_fix"]
    assert photos[1].inspection_id == first.inspection_id
    assert all(p.thumb[:2] == b"\xff\xd8" and p.inspector == "kiemtra" for p in photos)
    full = inspections.photo_bytes(engine, photos[0].photo_id)
    assert len(full) > len(photos[0].thumb)
    assert inspections.site_photos(engine, _installed_site(engine, KDT, 0.5)) == []


# --- Flags ----------------------------------------------------------------------------------------


def test_flag_window_is_set_by_admins_only(engine, inspector, staff) -> None:
    admin = make_user(engine, "quantri", Role.ADMIN)
    for actor in (inspector, staff):
        with pytest.raises(PermissionDenied):
            inspections.set_flag_window(engine, actor, date(2024, 10, 1), date(2024, 10, 12))
    with pytest.raises(BadFlagWindow):
        inspections.set_flag_window(engine, admin, date(2024, 10, 12), date(2024, 10, 1))
    with pytest.raises(BadFlagWindow):
        inspections.set_flag_window(engine, admin, date(2024, 10, 12), None)
    inspections.set_flag_window(engine, admin, date(2024, 10, 1), date(2024, 10, 12))
    windows = resolve_campaign(engine).windows
    assert [(w.start, w.end) for w in windows] == [(date(2024, 10, 1), date(2024, 10, 12))]
    campaign = inspections.load_campaign(engine)
    assert campaign.start == date(2024, 3, 22)  # the earliest document the plan implements
    assert campaign.end == date(2024, 11, 9)
    assert campaign.in_flag_window(date(2024, 10, 10))


def test_flags_are_recorded_in_the_window_only(engine, inspector, media) -> None:
    admin = make_user(engine, "quantri", Role.ADMIN)
    inspections.set_flag_window(engine, admin, date(2024, 10, 1), date(2024, 10, 12))
    site = _installed_site(engine, kind=SiteKind.NATIONAL_FLAG, flags_expected=10)
    inside = datetime(2024, 10, 5, 2, 0, tzinfo=UTC)
    inspections.record_inspection(
        engine, inspector, site, "pass", flags_hung=8, flags_expected=12, now=inside
    )
    with read_session(engine) as s:
        row = s.get(Site, site)
        assert (row.flags_hung, row.flags_expected) == (8, 12)
        insp = s.scalars(select(Inspection)).one()
        assert (insp.flags_hung, insp.flags_expected) == (8, 12)
    assert ("kiemtra", "inspection", "flags_hung", "0", "8") in _events(engine, site)
    outside = datetime(2024, 10, 20, 2, 0, tzinfo=UTC)
    with pytest.raises(FlagsOutsideWindow) as info:
        inspections.record_inspection(
            engine, inspector, site, "pass", flags_hung=9, flags_expected=12, now=outside
        )
    assert "01/10/2024 – 12/10/2024" in t(info.value.code, **info.value.params)
    with pytest.raises(BadFlagCounts):
        inspections.record_inspection(
            engine, inspector, site, "pass", flags_hung=13, flags_expected=12, now=inside
        )
    assert _counts(engine) == (1, 0)


def test_ward_flag_rates_cover_every_ward(engine) -> None:
    from tests.factories import ward_id

    nhan_chinh = ward_id(engine, "00343")
    _installed_site(engine, kind=SiteKind.NATIONAL_FLAG, flags_expected=10, flags_hung=4,
                    ward_id=nhan_chinh)  # fmt: skip
    _installed_site(engine, KDT, 0.3, kind=SiteKind.NATIONAL_FLAG, flags_expected=6,
                    flags_hung=6, ward_id=nhan_chinh)  # fmt: skip
    _installed_site(engine, KDT, 0.6, flags_expected=5, flags_hung=5, ward_id=nhan_chinh,
                    status=SiteStatus.REMOVED)  # fmt: skip
    rates = inspections.ward_flag_rates(engine)
    assert len(rates) == 11
    assert rates[nhan_chinh] == (10, 16)
    assert sum(h for h, _ in rates.values()) == 10


def test_cli_reconciles_the_photo_folder(engine, db_url, media, monkeypatch, capsys) -> None:
    from kehoach.cli import main

    monkeypatch.setenv("DATABASE_URL", db_url)
    media.mkdir()
    orphan = media / ("e" * 32 + "_t.jpg")
    orphan.write_bytes(b"x")
    old = time.time() - 3600
    os.utime(orphan, (old, old))
    assert main(["photos", "reconcile"]) == 0
    assert "xoá 1 tệp" in capsys.readouterr().out
    assert not orphan.exists()


# --- Pure rules ----------------------------------------------------------------------------------


def test_status_after_an_inspection() -> None:
    from kehoach.domain.inspection import InspectionOutcome as O
    from kehoach.domain.inspection import status_after

    assert status_after(SiteStatus.INSTALLED, O.NEEDS_FIX) == SiteStatus.NEEDS_FIX
    assert status_after(SiteStatus.INSTALLED, O.PASS) == SiteStatus.INSTALLED
    assert status_after(SiteStatus.NEEDS_FIX, O.PASS) == SiteStatus.INSTALLED
    assert status_after(SiteStatus.INSTALLING, O.NEEDS_FIX) == SiteStatus.INSTALLING
    assert status_after(SiteStatus.INSTALLING, O.PASS) == SiteStatus.INSTALLING
    assert status_after(SiteStatus.NEEDS_FIX, O.NEEDS_FIX) == SiteStatus.NEEDS_FIX
    for outcome in O:
        with pytest.raises(SiteNotStarted):
            status_after(SiteStatus.PLANNED, outcome)
        with pytest.raises(SiteRemoved):
            status_after(SiteStatus.REMOVED, outcome)


def test_what_an_inspection_may_record_is_known_up_front() -> None:
    from kehoach.domain.inspection import InspectionOutcome as O
    from kehoach.domain.inspection import recordable_outcomes

    assert recordable_outcomes(SiteStatus.PLANNED) == ()
    assert recordable_outcomes(SiteStatus.REMOVED) == ()
    for status in (SiteStatus.INSTALLING, SiteStatus.INSTALLED, SiteStatus.NEEDS_FIX):
        assert recordable_outcomes(status) == (O.PASS, O.NEEDS_FIX)


def test_campaign_dates_and_photo_flags() -> None:
    from kehoach.domain.inspection import campaign_dates, photo_flags

    bare = campaign_dates(date(2024, 10, 10), None, None, None, None)
    assert (bare.start, bare.end) == (date(2023, 10, 11), date(2024, 11, 9))
    assert campaign_dates(None, None, None, None, None).start is None
    campaign = campaign_dates(
        date(2024, 10, 10), None, date(2024, 3, 22), date(2024, 10, 1), date(2024, 11, 20)
    )
    assert campaign.end == date(2024, 11, 20)  # a flag window past the tail extends it
    inspected = datetime(2024, 10, 5, 3, 0, tzinfo=UTC)
    ahead = inspected + timedelta(hours=3)
    assert photo_flags(ahead, 20.0, inspected, campaign, ahead.date(), False) == [
        PhotoFlag.TIME_FUTURE
    ]
    early = datetime(2024, 9, 28, 3, 0, tzinfo=UTC)
    assert photo_flags(early, None, inspected, campaign, early.date(), True) == [
        PhotoFlag.TIME_OUTSIDE_FLAG_WINDOW,
        PhotoFlag.TIME_STALE,
    ]
    assert photo_flags(None, 150.0, inspected, campaign, None, True) == [PhotoFlag.GPS_FAR]
    assert photo_flags(inspected, 99.0, inspected, campaign, inspected.date(), True) == []


def test_a_pass_just_after_local_midnight_is_done_on_the_local_day(
    engine, inspector, media
) -> None:
    now = datetime(2024, 10, 1, 17, 30, tzinfo=UTC)  # 00:30 on 2 October in Hà Nội
    site = _installed_site(engine, status=SiteStatus.NEEDS_FIX)
    inspections.record_inspection(engine, inspector, site, "pass", now=now)
    with read_session(engine) as s:
        row = s.get(Site, site)
        assert (row.status, row.done_on) == ("installed", date(2024, 10, 2))
        assert row.updated_at == now and row.updated_by_id == inspector.id
    events = _events(engine, site)
    assert ("kiemtra", "inspection", "done_on", None, "2024-10-02") in events
    assert ("kiemtra", "inspection", "status", "needs_fix", "installed") in events
