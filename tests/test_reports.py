"""Monthly reports: who reports, submitting, the on-time board, figures, the CLI documents."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import openpyxl
import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from kehoach.cli import main
from kehoach.db.engine import read_session, write_session
from kehoach.db.models import Inspection, MonthlyReport, Site, SiteEvent, Unit
from kehoach.domain.enums import Role, SiteKind, SiteStatus
from kehoach.domain.errors import InvalidInput, PermissionDenied
from kehoach.domain.permissions import Actor
from kehoach.domain.progress import InvalidMonth, ReportStatus
from kehoach.i18n import LOCAL_TZ
from kehoach.services import reports
from kehoach.services.coverage import street_coverage
from kehoach.services.demo import load_demo
from kehoach.services.routes import register_route
from kehoach.services.timeline import local_date
from tests.apptest import APP
from tests.factories import make_site, make_user, point_on_street, street_id, ward_id

ADMIN = Actor(None, "test", Role.ADMIN)
NHAN_CHINH = "00343"
THUONG_DINH = "00346"
WARDS = (
    "Nhân Chính",
    "Thượng Đình",
    "Khương Trung",
    "Khương Mai",
    "Thanh Xuân Trung",
    "Phương Liệt",
    "Hạ Đình",
    "Khương Đình",
    "Thanh Xuân Bắc",
    "Thanh Xuân Nam",
    "Kim Giang",
)


def hanoi(day: str, hour: int = 9, minute: int = 0) -> datetime:
    """Return a Hanoi wall-clock time as an aware UTC datetime."""
    y, m, d = (int(x) for x in day.split("-"))
    return datetime(y, m, d, hour, minute, tzinfo=LOCAL_TZ).astimezone(UTC)


def unit_id(engine, key: str) -> int:
    with read_session(engine) as s:
        return next(u.id for u in s.scalars(select(Unit)) if key in u.name)


@pytest.fixture
def officer(engine) -> Actor:
    return make_user(engine, "canbo-nhanchinh", Role.WARD_OFFICER, ward_code=NHAN_CHINH)


def test_reporting_units_are_the_plan_units_that_must_report(engine) -> None:
    units = reports.reporting_units(engine)
    names = [u.label for u in units]
    assert len(units) == 21  # 10 units + the 11 wards
    assert [u.ward for u in units if u.ward] == list(WARDS)
    assert names[0] == "Trung tâm Văn hoá - Thông tin và Thể thao quận"
    assert "UBND phường Kim Giang" in names
    # The receiving office and the invited Party/Front bodies do not report.
    assert not any(n.startswith("Phòng Văn hoá và Thông tin") for n in names)
    assert not any(n.startswith("Đề nghị") for n in names)


def test_ward_officer_submits_for_own_ward_on_time_and_late(engine, officer) -> None:
    # Before the 20th in Hanoi: 23:59 on the 19th (16:59 UTC) is on time.
    on_time = reports.submit_monthly_report(
        engine, officer, "2024-09", "Báo cáo tháng 9", now=hanoi("2024-09-19", 23, 59)
    )
    assert on_time.status == ReportStatus.ON_TIME
    assert on_time.ward == "Nhân Chính" and not on_time.amended
    other = make_user(engine, "canbo-thuongdinh", Role.WARD_OFFICER, ward_code=THUONG_DINH)
    # Midnight starting the 20th (17:00 UTC on the 19th) is already late.
    late = reports.submit_monthly_report(
        engine, other, "2024-09", "Báo cáo", now=datetime(2024, 9, 19, 17, 0, tzinfo=UTC)
    )
    assert late.status == ReportStatus.LATE
    with read_session(engine) as s:
        stored = s.scalars(select(MonthlyReport).order_by(MonthlyReport.id)).all()
    assert [(r.ward_id, r.month) for r in stored] == [
        (ward_id(engine, NHAN_CHINH), "2024-09"),
        (ward_id(engine, THUONG_DINH), "2024-09"),
    ]
    assert stored[0].submitted_by_id == officer.id
    assert stored[0].figures["ward"] == "Nhân Chính"


def test_board_shows_on_time_late_missing_and_not_due(engine, officer) -> None:
    reports.submit_monthly_report(engine, officer, "2024-09", "x", now=hanoi("2024-09-15"))
    staff = make_user(engine, "canbo-tt", Role.STAFF)
    centre = unit_id(engine, "Trung tâm Văn hoá")
    reports.submit_monthly_report(
        engine, staff, "2024-09", "TT", unit_id=centre, now=hanoi("2024-09-23")
    )
    board = reports.report_board(engine, ["2024-08", "2024-09", "2024-10"], today=date(2024, 9, 25))
    assert list(board.columns[-3:]) == ["2024-08", "2024-09", "2024-10"]
    rows = board.set_index("label")
    assert rows.loc["UBND phường Nhân Chính", "2024-09"] == "on_time"
    assert rows.loc["Trung tâm Văn hoá - Thông tin và Thể thao quận", "2024-09"] == "late"
    assert rows.loc["UBND phường Kim Giang", "2024-09"] == "missing"
    assert rows.loc["UBND phường Nhân Chính", "2024-08"] == "missing"
    assert set(board["2024-10"]) == {"not_due"}
    summary = reports.board_summary(board, "2024-09")
    assert summary == {"on_time": 1, "late": 1, "missing": 19, "not_due": 0}
    # The deadline day itself: on the 20th a missing report is overdue, on the 19th not yet.
    assert set(reports.report_board(engine, ["2024-10"], today=date(2024, 10, 19))["2024-10"]) == {
        "not_due"
    }
    on_20th = reports.report_board(engine, ["2024-10"], today=date(2024, 10, 20))
    assert set(on_20th["2024-10"]) == {"missing"}


def test_amendment_replaces_text_but_keeps_first_submission_time(engine, officer) -> None:
    first = reports.submit_monthly_report(engine, officer, "2024-09", "v1", now=hanoi("2024-09-15"))
    again = reports.submit_monthly_report(engine, officer, "2024-09", "v2", now=hanoi("2024-09-28"))
    assert again.id == first.id and again.amended
    assert again.submitted_at == first.submitted_at
    assert again.status == ReportStatus.ON_TIME  # judged on the first submission
    view = reports.unit_report(engine, "2024-09", first_unit(engine), ward_id(engine, NHAN_CHINH))
    assert view is not None and view.body == "v2"
    assert view.figures["amendments"] == [
        {"at": hanoi("2024-09-28").isoformat(), "by": "canbo-nhanchinh"}
    ]
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(MonthlyReport)) == 1


def first_unit(engine) -> int:
    return unit_id(engine, "Ủy ban nhân dân các phường")


def test_a_unit_without_ward_is_one_report_per_month(engine) -> None:
    staff = make_user(engine, "canbo-tt", Role.STAFF)
    centre = unit_id(engine, "Trung tâm Văn hoá")
    reports.submit_monthly_report(
        engine, staff, "2024-09", "a", unit_id=centre, now=hanoi("2024-09-10")
    )
    reports.submit_monthly_report(
        engine, ADMIN, "2024-09", "b", unit_id=centre, now=hanoi("2024-09-11")
    )
    with read_session(engine) as s:
        rows = s.execute(select(MonthlyReport.ward_id, MonthlyReport.body)).all()
    assert rows == [(None, "b")]


@pytest.mark.parametrize("role", [Role.LEADER, Role.INSPECTOR])
def test_readers_may_not_submit(engine, role) -> None:
    actor = make_user(engine, f"u-{role.value}", role)
    with pytest.raises(PermissionDenied):
        reports.submit_monthly_report(engine, actor, "2024-09", "x", unit_id=first_unit(engine))
    with pytest.raises(PermissionDenied):
        reports.draft_figures(engine, actor, "2024-09")


def test_ward_officer_may_not_report_for_others(engine, officer) -> None:
    with pytest.raises(PermissionDenied):
        reports.submit_monthly_report(
            engine, officer, "2024-09", "x", ward_id=ward_id(engine, THUONG_DINH)
        )
    with pytest.raises(PermissionDenied):
        reports.submit_monthly_report(
            engine, officer, "2024-09", "x", unit_id=unit_id(engine, "Trung tâm Văn hoá")
        )


def test_bad_submissions_are_refused_and_store_nothing(engine, officer) -> None:
    with pytest.raises(InvalidMonth):
        reports.submit_monthly_report(engine, officer, "2024-13", "x")
    with pytest.raises(InvalidInput):
        reports.submit_monthly_report(engine, officer, "2024-09", "   ")
    with pytest.raises(InvalidInput):  # a month that has not started
        reports.submit_monthly_report(engine, officer, "2024-10", "x", now=hanoi("2024-09-30"))
    with pytest.raises(InvalidInput):  # the wards' unit needs a ward
        reports.submit_monthly_report(engine, ADMIN, "2024-09", "x", unit_id=first_unit(engine))
    with pytest.raises(InvalidInput):  # the receiving office does not report to itself
        reports.submit_monthly_report(
            engine, ADMIN, "2024-09", "x", unit_id=unit_id(engine, "Phòng Văn hoá và Thông tin")
        )
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(MonthlyReport)) == 0


def test_ward_figures_come_from_the_data(engine, officer) -> None:
    route_street = street_id(engine, "Đường Lê Văn Lương")
    register_route(engine, officer, route_street, name="Lê Văn Lương")
    lon, lat = point_on_street("Đường Lê Văn Lương", 0.4)
    installed = make_site(
        engine,
        officer,
        lon=lon,
        lat=lat,
        status=SiteStatus.INSTALLED,
        flags_expected=10,
        flags_hung=7,
        kind=SiteKind.NATIONAL_FLAG,
    )
    make_site(engine, officer, lon=lon, lat=lat, name="B")
    with write_session(engine) as s:
        s.add(
            Inspection(
                site_id=installed, inspector_id=officer.id, result="needs_fix", at=datetime.now(UTC)
            )
        )
    month = reports.month_of(local_date(datetime.now(UTC)))
    figures = reports.draft_figures(engine, officer, month)
    assert figures["ward"] == "Nhân Chính"
    assert figures["sites"]["total"] == 2
    assert (figures["sites"]["installed"], figures["sites"]["planned"]) == (1, 1)
    assert figures["flags"] == {"hung": 7, "expected": 10}
    assert figures["inspections"] == {"total": 1, "pass": 0, "needs_fix": 1}
    [route] = figures["routes"]
    assert route["name"] == "Lê Văn Lương"
    # One installed point covers 25 m each way along each carriageway it reaches.
    street = next(c for c in street_coverage(engine) if c.street_id == route_street)
    assert route["covered_m"] == round(street.covered_m) and route["covered_m"] in (50, 100)
    assert 0 < figures["routes_share"] < 0.05
    text = reports.draft_text(figures)
    assert "Tổng số điểm trực quan: 2" in text and "7/10" in text and "Lê Văn Lương" in text


def test_culture_centre_figures_cover_the_main_streets(engine) -> None:
    staff = make_user(engine, "canbo-tt", Role.STAFF)
    figures = reports.draft_figures(engine, staff, "2024-09")
    assert figures["unit"].startswith("Trung tâm Văn hoá")
    names = {s["name"] for s in figures["main_streets"]}
    assert names == {"Đường Nguyễn Trãi", "Đường Khuất Duy Tiến", "Đường Lê Văn Lương"}
    assert figures["main_share"] == 0


def test_past_month_figures_are_replayed_from_history(engine, officer) -> None:
    load_demo(engine)
    staff = make_user(engine, "canbo-tt", Role.STAFF)
    september = reports.draft_figures(engine, staff, "2024-09")
    october = reports.draft_figures(engine, staff, "2024-10")
    assert september["as_of"] == "2024-09-30" and october["as_of"] == "2024-10-31"
    assert september["sites"]["installed"] < october["sites"]["installed"]
    assert september["demo_sites"] == september["sites"]["total"] > 0
    assert september["main_share"] < october["main_share"]


@pytest.mark.parametrize("role", [Role.WARD_OFFICER, Role.INSPECTOR])
def test_documents_are_for_leaders_staff_and_admins(engine, role) -> None:
    actor = make_user(
        engine, f"u-{role.value}", role, ward_code=NHAN_CHINH if role == Role.WARD_OFFICER else None
    )
    with pytest.raises(PermissionDenied):
        reports.monthly_report_docx(engine, actor, "2024-09")
    with pytest.raises(PermissionDenied):
        reports.summary_table_xlsx(engine, actor)


# --- the command line -----------------------------------------------------------------------


@pytest.fixture
def cli_db(db_url, engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    return engine


def counts(engine) -> tuple[int, int]:
    with read_session(engine) as s:
        return (
            s.scalar(select(func.count()).select_from(Site)),
            s.scalar(select(func.count()).select_from(SiteEvent)),
        )


def test_summary_xlsx_round_trip_through_the_cli(cli_db, tmp_path, capsys) -> None:
    engine = cli_db
    make_site(engine, name="Pa-nô ngã tư", address="Số 1 Nguyễn Trãi", quantity=2)
    lon, lat = point_on_street("Đường Khuất Duy Tiến", 0.3)
    make_site(
        engine, lon=lon, lat=lat, kind=SiteKind.NATIONAL_FLAG, note="=1+1 không phải công thức"
    )
    load_demo(engine)
    before = counts(engine)
    out = tmp_path / "bieu.xlsx"
    assert main(["report", "summary", "--importable", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "dữ liệu mẫu" in captured.err  # demo rows are announced
    sheet = openpyxl.load_workbook(io.BytesIO(out.read_bytes())).active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["STT", "Phường", "Tuyến phố", "Vị trí (địa chỉ)"]
    assert sheet.max_row == 1 + before[0]
    assert main(["sites", "import", str(out)]) == 0
    assert counts(engine) == before  # re-importing the export changes nothing
    assert "0" in capsys.readouterr().out
    real = tmp_path / "that.xlsx"
    assert main(["report", "summary", "--importable", "--out", str(real), "--exclude-demo"]) == 0
    assert openpyxl.load_workbook(real).active.max_row == 1 + 2


def test_monthly_report_through_the_cli(cli_db, tmp_path, capsys) -> None:
    out = tmp_path / "bao-cao.docx"
    assert main(["report", "monthly", "--month", "2024-09", "--out", str(out)]) == 0
    assert out.read_bytes()[:2] == b"PK"
    assert "bao-cao.docx" in capsys.readouterr().out
    assert main(["report", "monthly", "--month", "2024-09", "--out", str(tmp_path / "x.pdf")]) == 2
    assert main(["report", "monthly", "--month", "09/2024", "--out", str(out)]) == 2
    officer = make_user(cli_db, "canbo", Role.WARD_OFFICER, ward_code=NHAN_CHINH)
    assert officer.username == "canbo"
    args = ["report", "monthly", "--month", "2024-09", "--out", str(out), "--user", "canbo"]
    assert main(args) == 2  # a ward officer may not write the district's report


# --- the page -------------------------------------------------------------------------------




def open_reports(engine, actor: Actor) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["user_id"] = actor.id
    at.switch_page("app_pages/reports.py")
    return at.run()


def show(at: AppTest, section: str) -> AppTest:
    """Pick a section of the reports page (board, submit, docs, timeline)."""
    at.button_group(key="reports-section").set_value(section).run()
    assert not at.exception
    return at


def test_page_for_a_leader_shows_board_documents_and_timeline(app_env, engine) -> None:
    load_demo(engine)
    leader = make_user(engine, "lanhdao", Role.LEADER)
    at = open_reports(engine, leader)
    assert not at.exception
    assert at.title[0].value == "Báo cáo định kỳ và tiến độ chiến dịch"
    metrics = {m.label: m.value for m in at.metric}
    # The same figures as the leader's overview (one function: compute_kpis), not the
    # burn-up's "ever installed" count.
    assert metrics["Tổng số điểm"] == "111"
    assert metrics["Đã hoàn thành"] == "75"
    assert metrics["Ngày kỷ niệm 10/10/2024"].endswith("ngày")
    board = at.dataframe[0].value
    assert len(board) == 21 and board.columns[0] == "Đơn vị"
    # After the campaign the board opens on its months, ending the month after the anniversary.
    assert list(board.columns[1:]) == [
        "06/2024",
        "07/2024",
        "08/2024",
        "09/2024",
        "10/2024",
        "11/2024",
    ]
    assert set(board["09/2024"]) == {"❌ Chưa nộp"}
    show(at, "submit")
    assert len(at.text_area) == 0
    assert any("Chỉ cán bộ UBND phường" in c.value for c in at.caption)
    show(at, "docs")
    assert len(at.get("download_button")) == 2
    assert any("dữ liệu mẫu" in w.value for w in at.warning)
    at.checkbox(key="reports-doc-exclude-demo").check().run()
    assert not any("dữ liệu mẫu" in w.value for w in at.warning)
    show(at, "timeline")
    assert any(s.value == "Bản đồ tại một ngày đã qua" for s in at.subheader)
    assert at.date_input(key="reports-as-of-day").value == date(2024, 10, 10)
    at.date_input(key="reports-as-of-day").set_value(date(2024, 9, 2)).run()
    assert not at.exception
    kpis = {m.label: m.value for m in at.metric}
    assert kpis["Tổng số điểm"] == "111" and kpis["Đã hoàn thành"] == "0"


def test_page_lets_a_ward_officer_submit(app_env, engine, officer) -> None:
    at = show(open_reports(engine, officer), "submit")
    body = at.text_area[0]
    assert "Tổng số điểm trực quan: 0" in body.value
    body.input(body.value + "\n\nĐã tổ chức ra quân tổng vệ sinh.")
    next(b for b in at.button if b.label == "Gửi báo cáo").click().run()
    assert not at.exception
    today = local_date(datetime.now(UTC))
    month = reports.month_of(today)
    expected = reports.report_status(month, 20, datetime.now(UTC), today)
    assert any("Đã gửi báo cáo tháng" in s.value for s in at.success)
    view = reports.unit_report(engine, month, first_unit(engine), ward_id(engine, NHAN_CHINH))
    assert view is not None and "tổng vệ sinh" in view.body and view.status == expected
    # The form now offers an amendment that keeps the first submission time.
    assert any(b.label == "Gửi bản bổ sung" for b in at.button)
    assert any("giữ thời điểm nộp lần đầu" in i.value for i in at.info)


def test_page_for_an_inspector_has_no_form_or_documents(app_env, engine) -> None:
    inspector = make_user(engine, "kiemtra", Role.INSPECTOR)
    at = open_reports(engine, inspector)
    assert not at.exception and len(at.dataframe) == 1
    show(at, "submit")
    assert len(at.text_area) == 0
    show(at, "docs")
    assert len(at.get("download_button")) == 0
    assert any("Lãnh đạo, cán bộ Trung tâm và quản trị tải được" in c.value for c in at.caption)
    show(at, "timeline")  # an empty database: no chart, the map still draws
    assert any("Chưa có điểm trực quan nào để vẽ tiến độ" in i.value for i in at.info)
    assert {m.label: m.value for m in at.metric}["Tổng số điểm"] == "0"
