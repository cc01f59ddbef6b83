"""AppTest of the leader's home, the task board and the routes page, per role."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from kehoach.domain.enums import Role
from kehoach.services.demo import load_demo
from kehoach.services.progress import task_board, ward_bounds
from kehoach.services.routes import list_routes
from tests.apptest import signed_in as _signed_in
from tests.factories import point_on_street, street_id, ward_id


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_leader_lands_on_the_overview(app_env, engine) -> None:
    load_demo(engine)
    at = _signed_in(engine, Role.LEADER).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Tổng quan tiến độ trang trí"]
    metrics = _metrics(at)
    assert metrics["Tổng số điểm"] == "111" and metrics["Đã hoàn thành"] == "75"
    assert metrics["Độ phủ toàn quận"] == "18%"  # corridor lengths: dual roads count once
    assert metrics["Tuyến phố chính (KH)"] == "55%"
    assert metrics["Tuyến phường đăng ký"] == "—"
    assert any("dữ liệu mẫu" in w.value for w in at.warning)
    wards = at.dataframe[0].value
    assert len(wards) == 11 and list(wards["ward"])[:2] == ["Nhân Chính", "Thượng Đình"]
    assert wards.set_index("ward").loc["Nhân Chính", "done"] == "15/23"
    subheaders = [s.value for s in at.subheader]
    assert "Bản đồ độ phủ trang trí" in subheaders
    assert any(s.startswith("Tiến độ các phường — tháng") for s in subheaders)
    assert "Chờ phê duyệt (2)" in subheaders
    assert any(b.label == "Phê duyệt" for b in at.button)  # leaders decide from their home


def _map_centre(at: AppTest) -> tuple[float, float]:
    """Return the centre the folium map was built with (st_folium is an opaque component)."""
    for element in at.main:
        if type(element).__name__ == "UnknownElement" and "map_div" in str(element.proto):
            script = json.loads(element.proto.json_args)["script"]
            lat, lon = re.search(r"center: \[([\d.]+), ([\d.]+)\]", script).groups()
            return float(lat), float(lon)
    raise AssertionError("no map on the page")


def test_choosing_a_ward_in_the_table_focuses_the_map(app_env, engine) -> None:
    at = _signed_in(engine, Role.LEADER).run()
    district = _map_centre(at)
    # The third row (ward code order) is Khương Trung.
    at.session_state["leader-wards"] = {"selection": {"rows": [2], "columns": []}}
    at.run()
    assert not at.exception
    lat, lon = _map_centre(at)
    (south, west), (north, east) = ward_bounds(engine)[ward_id(engine, "00349")]
    assert (lat, lon) != district
    assert lat == pytest.approx((south + north) / 2) and lon == pytest.approx((west + east) / 2)


def test_leader_picks_another_month(app_env, engine) -> None:
    at = _signed_in(engine, Role.LEADER).run()
    picker = next(s for s in at.selectbox if s.label == "Tháng báo cáo")
    picker.select("2024-09").run()
    assert not at.exception
    assert any(s.value == "Tiến độ các phường — tháng 09/2024" for s in at.subheader)
    assert set(at.dataframe[0].value["report"]) == {"Chưa nộp"}


def test_overview_without_sites_says_how_to_start(app_env, engine) -> None:
    at = _signed_in(engine, Role.LEADER).run()
    assert not at.exception
    assert any("Chưa có điểm trực quan" in i.value for i in at.info)
    assert _metrics(at)["Độ phủ toàn quận"] == "0%"


def test_staff_reach_the_overview_but_land_on_the_map(app_env, engine) -> None:
    at = _signed_in(engine, Role.STAFF).run()
    assert [t.value for t in at.title] == ["Bản đồ điểm trực quan quận Thanh Xuân"]
    at.switch_page("app_pages/leader.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Tổng quan tiến độ trang trí"]
    assert not any(b.label == "Phê duyệt" for b in at.button)


def test_task_board_for_a_leader_is_read_only(app_env, engine) -> None:
    load_demo(engine)
    at = _signed_in(engine, Role.LEADER).switch_page("app_pages/tasks.py").run()
    assert not at.exception
    assert at.title[0].value == "Tiến độ nhiệm vụ theo kế hoạch"
    metrics = _metrics(at)
    assert metrics["Đơn vị"] == "13" and metrics["Nhiệm vụ"] == "30"
    units = [e.label for e in at.expander if e.label.startswith("**")]
    assert len(units) == 13
    # The anniversary has passed: units with unfinished decoration tasks say so in red.
    centre = next(label for label in units if "Trung tâm Văn hoá" in label)
    assert ":red[**1 nhiệm vụ quá hạn**]" in centre
    assert any("Quá hạn" in m.value for m in at.markdown)
    assert not at.text_area  # no status form for leaders


def test_staff_set_a_task_status_on_the_board(app_env, engine) -> None:
    at = _signed_in(engine, Role.STAFF).switch_page("app_pages/tasks.py").run()
    form_task = at.selectbox[0]
    assert form_task.label == "Nhiệm vụ"
    task_id = form_task.value
    at.radio[0].set_value("done")
    at.text_area[0].input("Đã ban hành văn bản số 12/VH.")
    at.button[0].click().run()
    assert not at.exception
    assert any("Đã cập nhật trạng thái" in s.value for s in at.success)
    task = next(t for b in task_board(engine) for t in b.tasks if t.task_id == task_id)
    assert task.status == "done" and "user-staff" in task.evidence_note
    at.toggle[0].set_value(True).run()
    assert not at.exception


def test_ward_officer_registers_a_whole_street(app_env, engine) -> None:
    at = (
        _signed_in(engine, Role.WARD_OFFICER, ward="00349").switch_page("app_pages/routes.py").run()
    )
    assert not at.exception
    assert any("Khương Trung" in m.value for m in at.markdown)
    street = next(s for s in at.selectbox if s.label == "Tuyến phố")
    street.set_value(street_id(engine, "Phố Khương Trung")).run()
    at.button(key="FormSubmitter:route-register-Đăng ký tuyến").click().run()
    assert not at.exception
    assert any("Đã đăng ký tuyến" in s.value for s in at.success)
    [route] = list_routes(engine)
    assert route.street == "Phố Khương Trung" and route.ward == "Khương Trung"
    assert any(s.value == "Các tuyến đã đăng ký (1)" for s in at.subheader)


def test_stretch_mode_waits_for_two_taps(app_env, engine) -> None:
    at = _signed_in(engine, Role.STAFF).switch_page("app_pages/routes.py").run()
    assert not at.exception
    assert [s.label for s in at.selectbox][:2] == ["Phường", "Tuyến phố"]
    at.radio[0].set_value("stretch").run()
    assert any("đã chọn 0/2" in i.value for i in at.info)


@pytest.mark.parametrize("role", [Role.LEADER, Role.INSPECTOR])
def test_routes_page_is_not_in_the_menu_of(app_env, engine, role) -> None:
    at = _signed_in(engine, role).run()
    assert not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/routes.py")


def test_routes_page_registers_a_tapped_stretch(app_env, engine) -> None:
    at = (
        _signed_in(engine, Role.WARD_OFFICER, ward="00349").switch_page("app_pages/routes.py").run()
    )
    at.selectbox[0].set_value(street_id(engine, "Phố Khương Trung")).run()
    at.radio[0].set_value("stretch").run()
    at.session_state["route_points"] = [point_on_street("Phố Khương Trung", f) for f in (0.2, 0.6)]
    at.run()
    assert not at.exception
    assert any(s.value.startswith("Đoạn tuyến dài") for s in at.success)
    at.text_input[0].input("Đoạn trước trường")
    next(b for b in at.button if b.label == "Đăng ký tuyến").click().run()
    assert not at.exception
    assert any(s.value == "Đã đăng ký tuyến." for s in at.success)
    routes = list_routes(engine, ward_id(engine, "00349"))
    assert [r.name for r in routes] == ["Đoạn trước trường"] and not routes[0].whole_street
