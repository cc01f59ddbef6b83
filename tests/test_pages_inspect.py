"""AppTest of the inspection, fix to-do and campaign pages (headless, real database)."""

from __future__ import annotations

import re
import time
from datetime import date

from sqlalchemy import func, select, update
from streamlit.testing.v1 import AppTest

from kehoach.db.engine import read_session, write_session
from kehoach.db.models import Campaign, Inspection, Site
from kehoach.domain.campaigns import FlagTarget
from kehoach.domain.enums import Role, SiteStatus
from kehoach.domain.inspection import DevicePosition
from kehoach.escape import escape_markdown
from kehoach.services import inspections
from kehoach.services.campaigns import resolve_campaign
from tests.apptest import APP, TIMEOUT
from tests.factories import make_site, make_user, point_on_street, street_id

NT = "Đường Nguyễn Trãi"
HVT = "Phố Hoàng Văn Thái"



def _app(actor_id: int, page: str | None = "app_pages/inspect.py") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["user_id"] = actor_id
    if page:
        at.switch_page(page)
    return at


def _site(engine, street: str, fraction: float, **kw) -> int:
    lon, lat = point_on_street(street, fraction)
    kw.setdefault("status", SiteStatus.INSTALLED)
    return make_site(engine, lon=lon, lat=lat, **kw)


def _gps(at: AppTest, street: str, fraction: float, accuracy: float = 9.0) -> None:
    lon, lat = point_on_street(street, fraction)
    at.session_state["inspect_gps_fix"] = {
        "lon": lon,
        "lat": lat,
        "accuracy": accuracy,
        "received": time.time(),
    }


def _code(engine, site_id: int) -> str:
    """Return a site's code as the page's Markdown writes it (escaped)."""
    with read_session(engine) as s:
        return escape_markdown(s.get(Site, site_id).code)


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_inspector_without_position_is_told_what_to_do(app_env, engine) -> None:
    inspector = make_user(engine, "kiemtra", Role.INSPECTOR)
    at = _app(inspector.id).run()
    assert not at.exception
    assert at.title[0].value == "Kiểm tra điểm trực quan"
    assert any("Lấy vị trí GPS, chọn tuyến phố" in i.value for i in at.info)


def test_nearest_list_from_the_gps_fix(app_env, engine) -> None:
    inspector = make_user(engine, "kiemtra", Role.INSPECTOR)
    near = _site(engine, NT, 0.31, name="Pa-nô gần nhất")
    far = _site(engine, "Đường Khuất Duy Tiến", 0.5, name="Pa-nô xa")
    at = _app(inspector.id)
    _gps(at, NT, 0.30)
    at.run()
    assert not at.exception
    assert any(s.value == "Điểm gần tôi nhất" for s in at.subheader)
    text = _markdown(at)
    assert text.index(_code(engine, near)) < text.index(_code(engine, far))
    assert "chưa kiểm tra" in text and "±9 m" not in text  # accuracy shows in the GPS widget
    assert [b.label for b in at.button].count("Kiểm tra") == 2


def test_far_outside_position_is_refused_with_a_message(app_env, engine) -> None:
    inspector = make_user(engine, "kiemtra", Role.INSPECTOR)
    at = _app(inspector.id)
    at.session_state["inspect_gps_fix"] = {
        "lon": 105.8523,
        "lat": 21.0287,
        "accuracy": 5.0,
        "received": time.time(),
    }
    at.run()
    assert any(e.value == "Vị trí nằm ngoài địa bàn quận Thanh Xuân." for e in at.error)


def test_street_fallback_gives_a_walking_order(app_env, engine) -> None:
    inspector = make_user(engine, "kiemtra", Role.INSPECTOR)
    ids = [_site(engine, HVT, f) for f in (0.7, 0.1, 0.4)]
    at = _app(inspector.id).run()
    at.button_group[0].set_value("street").run()
    street = next(s for s in at.selectbox if s.label == "Tuyến phố")
    street.set_value(street_id(engine, HVT)).run()
    assert not at.exception
    assert any(s.value.startswith("Thứ tự đi dọc Phố Hoàng Văn Thái") for s in at.subheader)
    text = _markdown(at)
    positions = [text.index(_code(engine, i)) for i in (ids[1], ids[2], ids[0])]
    assert positions == sorted(positions)


def test_one_tap_pass_saves_and_confirms(app_env, engine) -> None:
    inspector = make_user(engine, "kiemtra", Role.INSPECTOR)
    site = _site(engine, NT, 0.31)
    at = _app(inspector.id)
    _gps(at, NT, 0.31)
    at.run()
    next(b for b in at.button if b.label == "Kiểm tra").click().run()  # the only site
    assert any(b.label == "Đạt — lưu ngay" for b in at.button)
    next(b for b in at.button if b.label == "Đạt — lưu ngay").click().run()
    assert not at.exception
    assert any("Đã lưu kết quả kiểm tra điểm" in s.value and "Đạt" in s.value for s in at.success)
    with read_session(engine) as s:
        row = s.scalars(select(Inspection)).one()
        assert (row.site_id, row.result, row.inspector_id) == (site, "pass", inspector.id)
        assert row.distance_m is not None and row.distance_m < 1
    # Inspected today is hidden by default: the list has nothing left.
    assert any("Không còn điểm nào" in i.value for i in at.info)


def test_needs_fix_without_photo_is_refused_and_nothing_saved(app_env, engine) -> None:
    inspector = make_user(engine, "kiemtra", Role.INSPECTOR)
    site = _site(engine, NT, 0.31)
    at = _app(inspector.id)
    _gps(at, NT, 0.31)
    at.session_state["inspect_site_id"] = site
    at.run()
    result = next(b for b in at.button_group if b.label == "Kết quả")
    result.set_value("needs_fix")
    defects = next(b for b in at.button_group if b.label.startswith("Lỗi phát hiện"))
    defects.set_value(["torn"])
    at.text_area[0].input("Rách góc")
    next(b for b in at.button if b.label == "Lưu kết quả").click().run()
    assert not at.exception
    assert any("cần ít nhất một ảnh" in e.value for e in at.error)
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Inspection)) == 0
    # Everything entered is still there for another try.
    assert next(b for b in at.button_group if b.label == "Kết quả").value == "needs_fix"
    assert next(b for b in at.button_group if b.label.startswith("Lỗi phát hiện")).value == [
        "torn"
    ]
    assert at.text_area[0].value == "Rách góc"
    # Back to the list and to the site again: the entries are still there.
    next(b for b in at.button if b.label == "Danh sách điểm").click().run()
    next(b for b in at.button if b.label == "Kiểm tra").click().run()
    assert next(b for b in at.button_group if b.label == "Kết quả").value == "needs_fix"
    assert at.text_area[0].value == "Rách góc"


def test_a_planned_site_says_up_front_that_nothing_can_be_recorded(app_env, engine) -> None:
    inspector = make_user(engine, "kiemtra", Role.INSPECTOR)
    site = _site(engine, NT, 0.31, status=SiteStatus.PLANNED)
    at = _app(inspector.id)
    _gps(at, NT, 0.31)
    at.session_state["inspect_site_id"] = site
    at.run()
    assert not at.exception
    assert any("chưa có gì để kiểm tra" in w.value for w in at.warning)
    assert not any(b.label in ("Đạt — lưu ngay", "Lưu kết quả") for b in at.button)


def test_a_site_being_installed_takes_a_defect_and_keeps_its_status(app_env, engine) -> None:
    inspector = make_user(engine, "kiemtra", Role.INSPECTOR)
    site = _site(engine, NT, 0.31, status=SiteStatus.INSTALLING)
    at = _app(inspector.id)
    _gps(at, NT, 0.31)
    at.session_state["inspect_site_id"] = site
    at.run()
    assert any("trạng thái giữ nguyên" in i.value for i in at.info)
    assert next(b for b in at.button_group if b.label == "Kết quả").options == [
        "Đạt",
        "Cần khắc phục",
    ]


def test_removed_target_is_not_offered(app_env, engine) -> None:
    inspector = make_user(engine, "kiemtra", Role.INSPECTOR)
    site = _site(engine, NT, 0.31, status=SiteStatus.REMOVED)
    at = _app(inspector.id)
    at.session_state["inspect_site_id"] = site
    at.run()
    assert any("không còn trong danh sách kiểm tra" in w.value for w in at.warning)
    assert not any(b.label == "Đạt — lưu ngay" for b in at.button)


def test_staff_marks_a_fix_done_on_the_todo_page(app_env, engine) -> None:
    inspector = make_user(engine, "kiemtra", Role.INSPECTOR)
    staff = make_user(engine, "canbo", Role.STAFF)
    site = _site(engine, NT, 0.31)
    from tests.images import make_jpeg

    inspections.record_inspection(
        engine,
        inspector,
        site,
        "needs_fix",
        ["faded"],
        "Bạc màu",
        [inspections.UploadedPhoto(make_jpeg(), "a.jpg")],
        DevicePosition(*point_on_street(NT, 0.31), 6.0),
    )
    at = _app(staff.id, "app_pages/fixes.py").run()
    assert not at.exception
    assert "Bạc màu" in _markdown(at) and "Chưa giao đơn vị" in _markdown(at)
    next(b for b in at.button if b.label == "Đã khắc phục xong").click().run()
    assert any("trở lại danh sách chờ kiểm tra lại" in s.value for s in at.success)
    with read_session(engine) as s:
        assert s.get(Site, site).status == "installed"
    # The inspector sees it back in the queue, flagged for a re-check.
    at = _app(inspector.id)
    _gps(at, NT, 0.30)
    at.run()
    assert "Chờ kiểm tra lại" in _markdown(at)


def test_inspector_sees_the_todo_read_only(app_env, engine) -> None:
    inspector = make_user(engine, "kiemtra", Role.INSPECTOR)
    _site(engine, NT, 0.31, status=SiteStatus.NEEDS_FIX)
    at = _app(inspector.id, "app_pages/fixes.py").run()
    assert not at.exception
    assert not any(b.label == "Đã khắc phục xong" for b in at.button)


def test_inspectors_land_on_inspection_and_the_map_has_a_read_only_card(app_env, engine) -> None:
    # Which pages an inspector is offered is checked in the real browser (tablet test):
    # AppTest runs any page it is asked to, navigation or not.
    inspector = make_user(engine, "kiemtra", Role.INSPECTOR)
    site = _site(engine, NT, 0.31, name="Pa-nô ngã tư")
    _site(engine, HVT, 0.5, status=SiteStatus.NEEDS_FIX)
    at = _app(inspector.id, None).run()
    assert [t.value for t in at.title] == ["Kiểm tra điểm trực quan"]  # lands where it works
    at.session_state["selected_site_id"] = site
    at.switch_page("app_pages/home.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Bản đồ điểm trực quan quận Thanh Xuân"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tổng số điểm"] == "2" and metrics["Đã hoàn thành"] == "1"
    with read_session(engine) as s:
        code = s.get(Site, site).code
    maps = [e for e in at.main if "map_div" in str(getattr(e, "proto", ""))]
    assert len(maps) == 1 and code in str(maps[0].proto)  # the map draws the site
    # The clicked site's card is there to read, with no edit form for an inspector.
    heading = f"{escape_markdown(code)} — {escape_markdown('Pa-nô ngã tư')}"
    assert any(s.value.startswith(heading) for s in at.subheader)
    assert not any(b.label == "Lưu thay đổi" for b in at.button)
    assert any("chỉ có quyền xem" in c.value for c in at.caption)


def test_admin_adds_and_removes_flag_windows(app_env, engine) -> None:
    admin = make_user(engine, "quantri", Role.ADMIN)
    at = _app(admin.id, "app_pages/campaign.py").run()
    assert not at.exception
    assert any("Chưa đặt thời gian treo cờ" in i.value for i in at.info)
    at.date_input[0].set_value(date(2024, 10, 1))
    at.date_input[1].set_value(date(2024, 10, 12))
    at.multiselect[0].set_value([FlagTarget.AGENCIES, FlagTarget.SCHOOLS])
    next(b for b in at.button if b.label == "Thêm đợt treo cờ").click().run()
    assert not at.exception
    assert any("01/10/2024 – 12/10/2024" in s.value for s in at.success)
    (window,) = resolve_campaign(engine).windows
    assert (window.start, window.end) == (date(2024, 10, 1), date(2024, 10, 12))
    assert window.applies_to == (FlagTarget.AGENCIES, FlagTarget.SCHOOLS)
    assert any("Trường học" in m.value for m in at.markdown)
    assert len(at.dataframe[0].value) == 11
    next(b for b in at.button if b.label == "Xóa đợt treo cờ").click().run()
    assert not at.exception
    assert resolve_campaign(engine).windows == ()


def test_tap_on_map_mode_shows_the_map(app_env, engine) -> None:
    inspector = make_user(engine, "kiemtra", Role.INSPECTOR)
    at = _app(inspector.id).run()
    at.button_group[0].set_value("map").run()
    assert not at.exception
    assert any("Chạm vào bản đồ" in c.value for c in at.caption)
    # A tapped point (kept by the page) gives the nearest list without GPS.
    at.session_state["inspect_map_point"] = point_on_street(NT, 0.3)
    _site(engine, NT, 0.31)
    at.run()
    assert any(s.value == "Điểm gần tôi nhất" for s in at.subheader)


def test_flags_are_recorded_in_the_window(app_env, engine) -> None:
    from datetime import datetime, timedelta

    from kehoach.domain.enums import SiteKind
    from kehoach.i18n import LOCAL_TZ

    admin = make_user(engine, "quantri", Role.ADMIN)
    today = datetime.now(LOCAL_TZ).date()
    # A window lies within a year of its campaign: let the campaign run until today.
    with write_session(engine) as s:
        s.execute(update(Campaign).values(end_on=today + timedelta(days=30)))
    inspections.set_flag_window(engine, admin, today - timedelta(days=2), today + timedelta(days=3))
    inspector = make_user(engine, "kiemtra", Role.INSPECTOR)
    site = _site(engine, NT, 0.31, kind=SiteKind.NATIONAL_FLAG, flags_expected=10, flags_hung=2)
    at = _app(inspector.id)
    at.session_state["inspect_site_id"] = site
    at.run()
    assert [n.label for n in at.number_input] == ["Số cờ đã treo", "Số cờ cần treo"]
    at.number_input[0].set_value(9)
    next(b for b in at.button_group if b.label == "Kết quả").set_value("pass")
    next(b for b in at.button if b.label == "Lưu kết quả").click().run()
    assert not at.exception
    assert any("Đã lưu kết quả kiểm tra" in s.value for s in at.success)
    with read_session(engine) as s:
        row = s.get(Site, site)
        assert (row.flags_hung, row.flags_expected) == (9, 10)
    assert inspections.ward_flag_rates(engine)[row.ward_id] == (9, 10)


def test_home_card_shows_inspection_photos(app_env, engine) -> None:
    from tests.images import make_jpeg

    inspector = make_user(engine, "kiemtra", Role.INSPECTOR)
    leader = make_user(engine, "lanhdao", Role.LEADER)
    site = _site(engine, NT, 0.31)
    inspections.record_inspection(
        engine,
        inspector,
        site,
        "needs_fix",
        ["torn"],
        photos=[inspections.UploadedPhoto(make_jpeg(), "a.jpg")] * 2,
    )
    at = _app(leader.id, "app_pages/home.py")
    at.session_state["selected_site_id"] = site
    at.run()
    assert not at.exception
    assert "Ảnh kiểm tra (2)" in _markdown(at)
    (thumbnails,) = at.get("image")  # one row of thumbnails, served from bytes
    assert len(thumbnails.proto.imgs) == 2
    # Served by Streamlit's media manager from the bytes the service read: no file path leaks.
    assert all(re.fullmatch(r"/(mock/)?media/[0-9a-f]+\.jpg", i.url) for i in thumbnails.proto.imgs)
