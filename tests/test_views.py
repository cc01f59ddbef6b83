"""The small read models the pages show: defaults, totals and orderings."""

from __future__ import annotations

from datetime import date

from shapely.geometry import LineString

from kehoach.domain.enums import Role
from kehoach.domain.progress import TaskStatus
from kehoach.services import views
from kehoach.services.progress import TaskProgress, UnitBoard
from kehoach.services.routes import list_routes, register_route
from tests.factories import make_user, point_on_street, street_id, ward_id

MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]  # oldest first


def _task(position: int, status: TaskStatus, overdue: bool) -> TaskProgress:
    return TaskProgress(position, position, "việc", "decorate", False, status, "", None, overdue)


def test_task_summary_counts_done_and_overdue_tasks() -> None:
    boards = [
        UnitBoard(1, 1, "A", [_task(1, TaskStatus.DONE, False), _task(2, TaskStatus.OPEN, True)]),
        UnitBoard(2, 2, "B", [_task(3, TaskStatus.IN_PROGRESS, True)]),
    ]
    assert views.task_summary(boards) == views.TaskSummary(units=2, tasks=3, done=1, overdue=2)
    assert views.task_summary([]) == views.TaskSummary(0, 0, 0, 0)


def test_board_window_ends_after_the_anniversary_once_it_is_past() -> None:
    assert views.board_window(MONTHS, None, 6) == ("2025-07", "2025-12")
    # The campaign's reports end with the month after the anniversary.
    assert views.board_window(MONTHS, date(2025, 9, 2), 6) == ("2025-05", "2025-10")
    assert views.board_window(MONTHS, date(2026, 9, 2), 6) == ("2025-07", "2025-12")
    assert views.board_window(MONTHS[:3], date(2025, 1, 15), 6) == ("2025-01", "2025-02")


def test_as_of_default_day_is_the_anniversary_within_the_history() -> None:
    today, first = date(2025, 10, 1), date(2025, 8, 1)
    assert views.as_of_default_day(first, today, date(2025, 9, 2)) == date(2025, 9, 2)
    assert views.as_of_default_day(first, today, date(2026, 9, 2)) == today
    assert views.as_of_default_day(first, today, None) == today
    assert views.as_of_default_day(first, today, date(2025, 1, 1)) == first


def test_gap_totals_count_and_sum_the_gaps(engine) -> None:
    from kehoach.services.coverage import street_coverage

    streets = street_coverage(engine)
    count, length = views.gap_totals(streets)
    assert count == sum(len(s.gaps) for s in streets) > 0
    assert length == sum(b - a for s in streets for a, b in s.gaps) > 0


def test_streets_own_first_puts_the_wards_streets_first(engine) -> None:
    ward = ward_id(engine, "00349")
    names = {1: "Z", 2: "Y"} | {i: f"street {i}" for i in range(3, 400)}
    ordered = views.streets_own_first(engine, ward, names)
    own = [sid for sid in views.ward_street_ids(engine, ward) if sid in names]
    assert own and list(ordered)[: len(own)] == own
    assert ordered == names  # same entries, only reordered


def test_route_geometries_use_the_stretch_else_the_whole_street(engine) -> None:
    staff = make_user(engine, "canbo", Role.STAFF)
    street = street_id(engine, "Phố Khương Trung")
    ward = ward_id(engine, "00349")
    start, end = point_on_street("Phố Khương Trung", 0.2), point_on_street("Phố Khương Trung", 0.5)
    register_route(engine, staff, street, ward, None, None, name="cả tuyến")
    register_route(engine, staff, street, ward, start, end, name="một đoạn")
    routes = list_routes(engine, ward)
    whole = {"type": "LineString", "coordinates": [[105.8, 21.0], [105.81, 21.0]]}
    shown = views.route_geometries(routes, [{"id": street, "geometry": whole}])
    by_name = {r["name"]: r["geometry"] for r in shown}
    assert by_name["cả tuyến"] == whole
    assert by_name["một đoạn"]["type"] == "LineString" and by_name["một đoạn"] != whole
    assert views.route_geometries(routes, []) == [
        {"geometry": by_name["một đoạn"], "name": "một đoạn"}
    ]


def test_detect_ward_and_street_at_a_point_and_a_stretch(engine) -> None:
    point = point_on_street("Đường Nguyễn Trãi", 0.5)
    ward, street = views.detect_ward_and_street(engine, [point], None)
    assert street == street_id(engine, "Đường Nguyễn Trãi") and ward is not None
    line = LineString(
        [point_on_street("Phố Hoàng Văn Thái", 0.4), point_on_street("Phố Hoàng Văn Thái", 0.6)]
    )
    assert views.detect_ward_and_street(engine, [point], line)[1] == street_id(
        engine, "Phố Hoàng Văn Thái"
    )
    assert views.detect_ward_and_street(engine, [(105.8523, 21.0287)], None) == (None, None)
