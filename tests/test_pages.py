"""AppTest of the frame and pages per role (headless, no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from kehoach.db.engine import read_session
from kehoach.db.models import Site, SiteEvent, Street
from kehoach.domain.enums import Role
from kehoach.escape import escape_markdown
from kehoach.i18n import t
from kehoach.services.demo import load_demo
from kehoach.services.geography import ward_names
from tests.apptest import APP, TIMEOUT
from tests.apptest import signed_in as _signed_in
from tests.factories import make_site, make_user, point_on_street, ward_id
from tests.test_site_ward import OWN, outside_own_ward

NT = "Đường Nguyễn Trãi"
ROOT = Path(APP).parent


def _code(engine, site_id: int) -> str:
    with read_session(engine) as s:
        return s.get(Site, site_id).code


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
    at = _signed_in(engine, Role.LEADER).switch_page("app_pages/home.py").run()
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
    assert any(escape_markdown("DEMO-") in s.value for s in at.subheader)  # codes escaped
    assert any(b.label == "Lưu thay đổi" for b in at.button)


def test_leader_sees_card_read_only(app_env, engine) -> None:
    load_demo(engine)
    at = _signed_in(engine, Role.LEADER)
    at.session_state["selected_site_id"] = 1
    at.switch_page("app_pages/home.py").run()
    assert not any(b.label == "Lưu thay đổi" for b in at.button)
    assert any("chỉ có quyền xem" in c.value for c in at.caption)


def test_plan_page(app_env, engine) -> None:
    at = _signed_in(engine, Role.LEADER)
    at.switch_page("app_pages/plan.py").run()
    assert not at.exception
    unit = escape_markdown("Trung tâm Văn hoá - Thông tin và Thể thao quận")  # a plan's text
    assert any(f"{unit} (3)" in e.label for e in at.expander)


def test_about_page_gives_the_data_credits(app_env, engine) -> None:
    at = _signed_in(engine, Role.INSPECTOR)
    at.switch_page("app_pages/about.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Giới thiệu và nguồn dữ liệu"]
    body = " ".join(m.value for m in at.markdown)
    assert "OpenStreetMap" in body and "censusVN2009" in body
    # The coverage method, with the thresholds the measuring uses.
    assert "một hành lang" in body and "dưới 60 m" in body and "phủ 25 m về mỗi phía" in body


@pytest.mark.parametrize("page", ["app_pages/about.py", "app_pages/plan.py"])
def test_page_shows_nothing_before_sign_in(app_env, engine, page) -> None:
    # Run the page script on its own, as a crafted URL would without app.py's gate.
    at = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert not at.title and not at.markdown and not at.expander


def test_sites_page_lists_the_demo_set(app_env, engine) -> None:
    load_demo(engine)
    at = _signed_in(engine, Role.STAFF)
    at.switch_page("app_pages/sites.py").run()
    assert not at.exception
    assert any("điểm theo bộ lọc" in c.value for c in at.caption)
    assert len(at.dataframe[0].value) == 111
    assert any(e.label.startswith("Nhập biểu tổng hợp") for e in at.expander)
    # A site off every street shows a dash, not the grid's "None".
    table = at.dataframe[0].value
    assert table.isna().sum().sum() == 0
    assert (table[t("card.street")] == "—").any()


def test_bulk_update_changes_the_selected_sites_only(app_env, engine) -> None:
    ids = [
        make_site(engine, lon=lon, lat=lat, name=f"Pa-nô {n}")
        for n, (lon, lat) in enumerate(point_on_street(NT, f) for f in (0.2, 0.4, 0.6))
    ]
    at = _signed_in(engine, Role.STAFF)
    at.switch_page("app_pages/sites.py").run()
    codes = list(at.dataframe[0].value["Mã điểm"])
    rows = [codes.index(_code(engine, i)) for i in ids[:2]]
    # A row selection of st.dataframe is widget state AppTest accepts through its key.
    at.session_state["sites-table"] = {"selection": {"rows": rows, "columns": []}}
    at.run()
    scope = next(r for r in at.radio if r.label == "Áp dụng cho")
    assert scope.value == "selected" and "các dòng đã chọn (2)" in scope.options
    next(b for b in at.selectbox if b.label == "Trạng thái").set_value("installing")
    next(b for b in at.button if b.label == "Áp dụng").click().run()
    assert not at.exception
    assert any("Đã cập nhật 2 điểm" in s.value for s in at.success)
    with read_session(engine) as s:
        statuses = [s.get(Site, i).status for i in ids]
        events = {
            i: [
                (e.field, e.old_value, e.new_value)
                for e in s.scalars(
                    select(SiteEvent).where(SiteEvent.site_id == i, SiteEvent.action == "updated")
                )
            ]
            for i in ids
        }
    assert statuses == ["installing", "installing", "planned"]
    assert events == {
        ids[0]: [("status", "planned", "installing")],
        ids[1]: [("status", "planned", "installing")],
        ids[2]: [],
    }


def test_approvals_page_for_leader(app_env, engine) -> None:
    load_demo(engine)  # the demo set has two new sites waiting for approval
    at = _signed_in(engine, Role.LEADER)
    at.switch_page("app_pages/approvals.py").run()
    assert not at.exception
    assert any("Chờ phê duyệt (2)" in s.value for s in at.subheader)
    assert any(b.label == "Phê duyệt" for b in at.button)


def test_rejecting_without_a_reason_asks_for_the_reason(app_env, engine) -> None:
    load_demo(engine)
    at = _signed_in(engine, Role.LEADER)
    at.switch_page("app_pages/approvals.py").run()
    next(b for b in at.button if b.label == "Không phê duyệt").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("Hãy nhập lý do từ chối" in e for e in errors)
    assert not any("không hợp lệ" in e for e in errors)
    assert any("Chờ phê duyệt (2)" in s.value for s in at.subheader)  # nothing was decided


def test_staff_sees_costs_but_cannot_approve(app_env, engine) -> None:
    load_demo(engine)
    at = _signed_in(engine, Role.STAFF)
    at.switch_page("app_pages/approvals.py").run()
    assert not at.exception
    assert not any(b.label == "Phê duyệt" for b in at.button)
    assert any(m.label == "Dự trù" for m in at.metric)


def _type_point(at: AppTest, lon: str, lat: str) -> None:
    next(w for w in at.text_input if w.label == "Kinh độ").input(lon)
    next(w for w in at.text_input if w.label == "Vĩ độ").input(lat)
    next(b for b in at.button if b.label == "Dùng toạ độ này").click().run()


def test_new_site_from_typed_coordinates_is_created_there(app_env, engine) -> None:
    lon, lat = point_on_street("Đường Lê Văn Lương", 0.5)
    at = _signed_in(engine, Role.STAFF)
    at.switch_page("app_pages/new_site.py").run()
    assert any("Chưa chọn đủ vị trí" in i.value for i in at.info)
    # A comma as the decimal mark is accepted (Vietnamese keyboards type it).
    _type_point(at, f"{lon:.6f}".replace(".", ","), f"{lat:.6f}")
    assert not at.exception
    next(w for w in at.text_input if w.label == "Tên điểm").input("Pa-nô <b>mới</b>")
    next(b for b in at.button if b.label == "Thêm điểm").click().run()
    assert not at.exception
    with read_session(engine) as s:
        site = s.scalars(select(Site)).one()
        street = s.get(Street, site.street_id)
    assert site.name == "Pa-nô <b>mới</b>" and street.name == "Đường Lê Văn Lương"
    assert site.kind == "panel"
    assert (site.lon, site.lat) == pytest.approx((lon, lat), abs=1e-6)


def test_new_site_outside_district_is_refused(app_env, engine) -> None:
    at = _signed_in(engine, Role.STAFF)
    at.switch_page("app_pages/new_site.py").run()
    _type_point(at, "105.90", "21.10")
    next(b for b in at.button if b.label == "Thêm điểm").click().run()
    assert not at.exception
    assert any("ngoài địa bàn" in e.value for e in at.error)
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Site)) == 0


def test_sites_page_builds_the_export_only_when_it_is_downloaded(
    app_env, engine, monkeypatch
) -> None:
    from kehoach.adapters.summary_table import read_table
    from kehoach.services import site_export
    from kehoach.ui.site_import import export_file

    added = load_demo(engine)
    built: list[bool] = []
    real = site_export.export_sites
    monkeypatch.setattr(
        site_export, "export_sites", lambda *a, **k: built.append(True) or real(*a, **k)
    )
    at = _signed_in(engine, Role.STAFF)
    at.switch_page("app_pages/sites.py").run()
    next(c for c in at.checkbox if c.key == "dl-demo").check().run()
    assert not at.exception
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert set(buttons) == {
        "Biểu mẫu trống (.xlsx)",
        f"Biểu tổng hợp {added} điểm (.xlsx)",
        f"Biểu tổng hợp {added} điểm (.csv)",
    }
    assert all(b.deferred_file_id and not b.url for b in buttons.values())
    assert built == []  # two reruns, no export read or written

    actor = make_user(engine, "xuat", Role.STAFF)
    data = export_file(engine, actor, True, "csv")()
    assert built == [True]
    assert len(read_table(data, "xuat.csv").rows) == added


def test_new_stretch_site_from_two_taps_is_created(app_env, engine) -> None:
    from sqlalchemy import select

    from kehoach.db.engine import read_session
    from kehoach.db.models import Site
    from tests.factories import point_on_street, street_id

    at = _signed_in(engine, Role.STAFF)
    at.switch_page("app_pages/new_site.py").run()
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


def test_ward_officer_over_the_boundary_is_told_the_ward_and_can_correct_it(
    app_env, engine
) -> None:
    lon, lat = outside_own_ward(engine, 60)
    at = _signed_in(engine, Role.WARD_OFFICER, ward=OWN)
    at.switch_page("app_pages/new_site.py").run()
    _type_point(at, f"{lon:.7f}", f"{lat:.7f}")
    ward = next(w for w in at.selectbox if w.label == t("new.ward"))
    own = ward_id(engine, OWN)
    assert ward.options == [t("new.auto"), ward_names(engine)[own]]  # only their own ward
    next(b for b in at.button if b.label == "Thêm điểm").click().run()
    assert any("theo ranh giới gần đúng" in e.value and "150 m" in e.value for e in at.error)
    next(w for w in at.selectbox if w.label == t("new.ward")).set_value(own)
    next(b for b in at.button if b.label == "Thêm điểm").click().run()
    assert not at.exception
    with read_session(engine) as s:
        assert s.scalars(select(Site.ward_id)).one() == own

