"""AppTest of the frame and pages per role (headless, no browser)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from kehoach.domain.enums import Role
from kehoach.services.demo import load_demo
from tests.apptest import APP, TIMEOUT
from tests.apptest import signed_in as _signed_in
from tests.factories import make_user


def test_sign_in_form_first(app_env, engine) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    labels = [w.label for w in at.text_input]
    assert labels == ["Tên đăng nhập", "Mật khẩu"]
    assert any("Đăng nhập" in b.label for b in at.button)
    assert any("user add" in w.value for w in at.warning)  # tells how to create the first admin


def test_sign_in_with_wrong_then_right_password(app_env, engine) -> None:
    make_user(engine, "canbo", Role.STAFF, password="dung-mat-khau")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.text_input[0].input("canbo")
    at.text_input[1].input("sai")
    at.button[0].click().run()
    assert any("không đúng" in e.value for e in at.error)
    at.text_input[1].input("dung-mat-khau")
    at.button[0].click().run()
    assert not at.exception
    assert any("Bản đồ điểm trực quan" in t.value for t in at.title)


def test_home_without_sites_says_how_to_start(app_env, engine) -> None:
    at = _signed_in(engine, Role.LEADER).run()
    assert not at.exception
    info = " ".join(i.value for i in at.info)
    assert "Chưa có điểm trực quan" in info and "python -m kehoach demo" in info
    assert [m.label for m in at.metric][0] == "Tổng số điểm"
    assert at.metric[0].value == "0"


def test_home_with_demo_sites_labels_them(app_env, engine) -> None:
    added = load_demo(engine)
    at = _signed_in(engine, Role.LEADER).switch_page("pages/home.py").run()
    assert not at.exception
    assert any("dữ liệu mẫu" in w.value for w in at.warning)
    assert at.metric[0].value == f"{added:,}".replace(",", ".")
    assert [m.label for m in at.multiselect] == ["Phường", "Tuyến phố", "Trạng thái", "Loại hình"]
    at.multiselect[2].select("installed").run()
    installed = next(m for m in at.metric if m.label == "Đã hoàn thành").value
    assert at.metric[0].value == str(installed)


def test_card_shows_selected_site_and_editors_get_a_form(app_env, engine) -> None:
    load_demo(engine)
    at = _signed_in(engine, Role.STAFF)
    at.session_state["selected_site_id"] = 1
    at.run()
    assert not at.exception
    assert any("DEMO-" in s.value for s in at.subheader)
    assert any(b.label == "Lưu thay đổi" for b in at.button)


def test_leader_sees_card_read_only(app_env, engine) -> None:
    load_demo(engine)
    at = _signed_in(engine, Role.LEADER)
    at.session_state["selected_site_id"] = 1
    at.switch_page("pages/home.py").run()
    assert not any(b.label == "Lưu thay đổi" for b in at.button)
    assert any("chỉ có quyền xem" in c.value for c in at.caption)


def test_plan_page(app_env, engine) -> None:
    at = _signed_in(engine, Role.LEADER)
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    assert any("Trung tâm Văn hoá - Thông tin và Thể thao quận (3)" in e.label for e in at.expander)


def test_sites_page_lists_and_bulk_updates(app_env, engine) -> None:
    load_demo(engine)
    at = _signed_in(engine, Role.STAFF)
    at.switch_page("pages/sites.py").run()
    assert not at.exception
    assert any("điểm theo bộ lọc" in c.value for c in at.caption)
    assert len(at.dataframe[0].value) == 111
    assert any(e.label.startswith("Nhập biểu tổng hợp") for e in at.expander)


def test_approvals_page_for_leader(app_env, engine) -> None:
    load_demo(engine)  # the demo set has two new sites waiting for approval
    at = _signed_in(engine, Role.LEADER)
    at.switch_page("pages/approvals.py").run()
    assert not at.exception
    assert any("Chờ phê duyệt (2)" in s.value for s in at.subheader)
    assert any(b.label == "Phê duyệt" for b in at.button)


def test_staff_sees_costs_but_cannot_approve(app_env, engine) -> None:
    load_demo(engine)
    at = _signed_in(engine, Role.STAFF)
    at.switch_page("pages/approvals.py").run()
    assert not at.exception
    assert not any(b.label == "Phê duyệt" for b in at.button)
    assert any(m.label == "Tổng dự trù" for m in at.metric)


def test_new_site_page_with_typed_coordinates(app_env, engine) -> None:
    at = _signed_in(engine, Role.STAFF)
    at.switch_page("pages/new_site.py").run()
    assert not at.exception
    assert any("Chưa chọn đủ vị trí" in i.value for i in at.info)


def test_new_site_from_typed_coordinates_is_created(app_env, engine) -> None:
    from sqlalchemy import select

    from kehoach.db.engine import read_session
    from kehoach.db.models import Site, Street
    from tests.factories import point_on_street

    lon, lat = point_on_street("Đường Lê Văn Lương", 0.5)
    at = _signed_in(engine, Role.STAFF)
    at.switch_page("pages/new_site.py").run()
    lon_box = next(w for w in at.text_input if w.label == "Kinh độ")
    lat_box = next(w for w in at.text_input if w.label == "Vĩ độ")
    lon_box.input(f"{lon:.6f}".replace(".", ","))
    lat_box.input(f"{lat:.6f}")
    next(b for b in at.button if b.label == "Dùng toạ độ này").click().run()
    assert not at.exception
    next(w for w in at.text_input if w.label == "Tên điểm").input("Pa-nô <b>mới</b>")
    next(b for b in at.button if b.label == "Thêm điểm").click().run()
    assert not at.exception
    with read_session(engine) as s:
        site = s.scalar(select(Site))
        street = s.get(Street, site.street_id)
    assert site.name == "Pa-nô <b>mới</b>" and street.name == "Đường Lê Văn Lương"


def test_new_site_outside_district_is_refused(app_env, engine) -> None:
    at = _signed_in(engine, Role.STAFF)
    at.switch_page("pages/new_site.py").run()
    next(w for w in at.text_input if w.label == "Kinh độ").input("105.90")
    next(w for w in at.text_input if w.label == "Vĩ độ").input("21.10")
    next(b for b in at.button if b.label == "Dùng toạ độ này").click().run()
    next(b for b in at.button if b.label == "Thêm điểm").click().run()
    assert any("ngoài địa bàn" in e.value for e in at.error)


def test_new_stretch_site_from_two_taps_is_created(app_env, engine) -> None:
    from sqlalchemy import select

    from kehoach.db.engine import read_session
    from kehoach.db.models import Site
    from tests.factories import point_on_street, street_id

    at = _signed_in(engine, Role.STAFF)
    at.switch_page("pages/new_site.py").run()
    at.radio[0].set_value("stretch").run()
    at.selectbox[0].set_value(street_id(engine, "Phố Khương Trung")).run()
    at.session_state["draft_points"] = [point_on_street("Phố Khương Trung", f) for f in (0.2, 0.6)]
    at.run()
    assert not at.exception
    assert any(s.value.startswith("Đoạn tuyến dài") for s in at.success)
    next(w for w in at.text_input if w.label == "Tên điểm").input("Cờ dọc phố")
    next(b for b in at.button if b.label == "Thêm điểm").click().run()
    assert not at.exception
    with read_session(engine) as s:
        site = s.scalar(select(Site))
    assert site.name == "Cờ dọc phố" and site.street_id == street_id(engine, "Phố Khương Trung")
