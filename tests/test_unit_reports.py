"""Unit reports by section, returned and resubmitted, with attachments; the compiled district
report (texts, number, signer, issuer); the printed summary table; `report submit`."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import docx
import openpyxl
import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from kehoach.cli import main
from kehoach.db.engine import read_session
from kehoach.db.models import MonthlyReport, Unit
from kehoach.domain.enums import Role
from kehoach.domain.errors import InvalidInput, PermissionDenied
from kehoach.domain.progress import ReportStatus
from kehoach.domain.report_sections import compose_body, parse_sections
from kehoach.i18n import LOCAL_TZ
from kehoach.services import reports
from tests.apptest import APP
from tests.factories import make_site, make_user, ward_id

ADMIN_USER = "canbo-vhtt"
NHAN_CHINH = "00343"
THUONG_DINH = "00346"
MARKER = "Phường đã huy động 45 đoàn viên thanh niên treo cờ trên phố Ngụy Như Kon Tum."
REPORT_MD = f"""## 1. Kết quả thực hiện
{MARKER}

## 2. Khó khăn, vướng mắc
Thiếu cột treo cờ ở ngõ nhỏ.

3. Nhiệm vụ tháng tới
- Kiểm tra, thay cờ bạc màu.

4. Đề xuất, kiến nghị
Đề nghị quận hỗ trợ 200 lá cờ.
"""
PDF = b"%PDF-1.4\n" + b"0" * 200


def hanoi(day: str, hour: int = 9) -> datetime:
    y, m, d = (int(x) for x in day.split("-"))
    return datetime(y, m, d, hour, tzinfo=LOCAL_TZ).astimezone(UTC)


@pytest.fixture
def officer(engine):
    return make_user(engine, "canbo-nhanchinh", Role.WARD_OFFICER, ward_code=NHAN_CHINH)


@pytest.fixture
def staff(engine):
    return make_user(engine, ADMIN_USER, Role.STAFF)


def stored(engine, report_id: int) -> MonthlyReport:
    with read_session(engine) as s:
        row = s.get(MonthlyReport, report_id)
        s.expunge(row)
        return row


# --- sections -------------------------------------------------------------------------------


def test_markdown_headings_become_sections_and_back() -> None:
    parts = parse_sections(REPORT_MD)
    assert parts["results"] == MARKER
    assert parts["difficulties"] == "Thiếu cột treo cờ ở ngõ nhỏ."
    assert parts["next_tasks"] == "- Kiểm tra, thay cờ bạc màu."
    assert parts["recommendations"] == "Đề nghị quận hỗ trợ 200 lá cờ."
    # A numbered line of the text is not a heading; text before any heading is the results.
    plain = parse_sections("Mở đầu.\n1. Đã treo 30 lá cờ trên phố Lê Văn Lương.")
    assert plain["results"].endswith("Lê Văn Lương.") and plain["difficulties"] == ""
    again = parse_sections(compose_body(parts, reports.section_headings()))
    assert again == parts


def test_submit_by_sections_stores_sections_and_composed_text(engine, officer) -> None:
    done = reports.submit_monthly_report(
        engine, officer, "2024-09", "",
        sections={"results": MARKER, "difficulties": "Thiếu cờ."}, now=hanoi("2024-09-10"),
    )  # fmt: skip
    row = stored(engine, done.id)
    assert row.sections["results"] == MARKER and row.sections["next_tasks"] == ""
    assert "## 1. Kết quả thực hiện" in row.body and "## 2. Khó khăn, vướng mắc" in row.body
    assert [e["action"] for e in row.history] == ["submitted"]
    with pytest.raises(InvalidInput):
        reports.submit_monthly_report(engine, officer, "2024-10", "", sections={},
                                      now=hanoi("2024-10-10"))  # fmt: skip


def test_late_submission_after_the_deadline_day_is_marked(engine, officer) -> None:
    late = reports.submit_monthly_report(engine, officer, "2024-09", REPORT_MD,
                                         now=hanoi("2024-09-20"))  # fmt: skip
    assert late.status == ReportStatus.LATE
    view = reports.list_reports(engine, "2024-09")[0]
    assert view.status == ReportStatus.LATE and view.sections["results"] == MARKER


def test_office_returns_a_report_and_the_unit_resubmits_with_history(
    engine, officer, staff
) -> None:
    first = reports.submit_monthly_report(engine, officer, "2024-09", REPORT_MD,
                                          now=hanoi("2024-09-10"))  # fmt: skip
    with pytest.raises(PermissionDenied):
        reports.return_report(engine, officer, first.id, "Tự trả lại")
    with pytest.raises(InvalidInput):
        reports.return_report(engine, staff, first.id, "   ")
    reports.return_report(engine, staff, first.id, "Bổ sung số cờ đã treo.")
    view = reports.list_reports(engine, "2024-09")[0]
    assert view.returned and view.review_comment == "Bổ sung số cờ đã treo."
    amended = REPORT_MD + "\nĐã treo 300 lá."
    again = reports.submit_monthly_report(
        engine, officer, "2024-09", amended, now=hanoi("2024-09-25")
    )
    row = stored(engine, first.id)
    assert again.amended and again.status == ReportStatus.ON_TIME  # first submission time kept
    assert row.review_status is None
    assert [e["action"] for e in row.history] == ["submitted", "returned", "resubmitted"]
    assert (
        row.history[1]["comment"] == "Bổ sung số cờ đã treo." and row.history[1]["by"] == ADMIN_USER
    )


def test_attachments_are_bounded_checked_and_stored_under_media(
    engine, officer, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("KEHOACH_MEDIA_DIR", str(tmp_path / "media"))
    done = reports.submit_monthly_report(engine, officer, "2024-09", REPORT_MD,
                                         now=hanoi("2024-09-10"))  # fmt: skip
    kept = reports.attach_file(engine, officer, done.id, "bien-ban.pdf", PDF)
    assert (tmp_path / "media" / "reports" / kept.stored).read_bytes() == PDF
    assert reports.attachment_bytes(engine, done.id, kept.stored) == PDF
    for name, data in (
        ("virus.exe", b"MZ" + b"0" * 10),  # a type not accepted
        ("gia.pdf", b"PK\x03\x04" + b"0" * 10),  # content does not match the suffix
        ("lon.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024)),  # over 10 MB
    ):
        with pytest.raises(InvalidInput):
            reports.attach_file(engine, officer, done.id, name, data)
    other = make_user(engine, "canbo-thuongdinh", Role.WARD_OFFICER, ward_code=THUONG_DINH)
    with pytest.raises(PermissionDenied):
        reports.attach_file(engine, other, done.id, "x.pdf", PDF)
    files = reports.list_reports(engine, "2024-09")[0].attachments
    assert [f["name"] for f in files] == ["bien-ban.pdf"]
    assert len(list((tmp_path / "media" / "reports").iterdir())) == 1


# --- the compiled district report -------------------------------------------------------------


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_leaders_may_not_write_the_district_draft(engine) -> None:
    leader = make_user(engine, "lanhdao", Role.LEADER)
    with pytest.raises(PermissionDenied):
        reports.save_district_draft(engine, leader, "2024-09", reports.DistrictDraft())
    with pytest.raises(InvalidInput):
        reports.save_district_draft(engine, make_user(engine, "a", Role.ADMIN), "2024-09",
                                    reports.DistrictDraft(issuer="someone"))  # fmt: skip


def test_compiled_report_has_ward_text_office_texts_number_and_signer(
    engine, officer, staff
) -> None:
    reports.submit_monthly_report(engine, officer, "2024-09", REPORT_MD, now=hanoi("2024-09-10"))
    draft = reports.DistrictDraft(
        assessment="Các đơn vị triển khai nghiêm túc, đúng tiến độ.",
        difficulties="Kinh phí cấp chậm.",
        next_tasks="Hoàn thành thay pa-nô trước ngày 15.",
        recommendations="Đề nghị Sở hỗ trợ thêm cờ.",
        doc_number="125", doc_date=date(2024, 9, 28),
        signer_name="Nguyễn Văn An", signer_title="Phó Trưởng phòng", sign_mode="KT.",
    )  # fmt: skip
    reports.save_district_draft(engine, staff, "2024-09", draft)
    assert reports.load_district_draft(engine, "2024-09").doc_number == "125"
    text = docx_text(reports.monthly_report_docx(engine, staff, "2024-09",
                                                 now=hanoi("2024-10-05")))  # fmt: skip
    assert MARKER in text and "UBND phường Nhân Chính" in text
    assert "Đề nghị quận hỗ trợ 200 lá cờ." in text
    for sentence in (draft.assessment, draft.difficulties, draft.next_tasks, draft.recommendations):
        assert sentence in text
    assert "Số: 125/BC-VHTT" in text and "ngày 28 tháng 9 năm 2024" in text
    assert "KT. TRƯỞNG PHÒNG" in text and "PHÓ TRƯỞNG PHÒNG" in text
    assert "Nguyễn Văn An" in text and "PHÒNG VĂN HÓA VÀ THÔNG TIN" in text
    assert "…" not in text.replace("…/KH-UBND", "")  # task texts are never cut short
    assert "Thiếu cột treo cờ ở ngõ nhỏ." in text


def test_the_district_committee_variant_changes_header_and_signature(engine, staff) -> None:
    draft = reports.DistrictDraft(doc_number="88", issuer="district", sign_mode="TM.",
                                  signer_title="Chủ tịch", signer_name="Trần Thị Bình")  # fmt: skip
    reports.save_district_draft(engine, staff, "2024-09", draft)
    data = reports.monthly_report_docx(engine, staff, "2024-09", now=hanoi("2024-10-05"))
    document = docx.Document(io.BytesIO(data))
    header = document.tables[0].cell(0, 0).text
    assert header.splitlines()[:2] == ["ỦY BAN NHÂN DÂN", "QUẬN THANH XUÂN"]
    assert "PHÒNG VĂN HÓA" not in header
    text = docx_text(data)
    assert "Số: 88/BC-UBND" in text and "TM. ỦY BAN NHÂN DÂN" in text
    assert "CHỦ TỊCH" in text and "Trần Thị Bình" in text
    assert "UBND Thành phố Hà Nội (để báo cáo)" in text


def test_full_task_text_reaches_the_document(engine, staff) -> None:
    from kehoach.db.models import Task

    with read_session(engine) as s:
        longest = max((t.text for t in s.scalars(select(Task))), key=len)
    assert len(longest) > 120  # the plan has tasks longer than the old cut
    text = docx_text(reports.monthly_report_docx(engine, staff, "2024-09", now=hanoi("2024-10-05")))
    assert " ".join(longest.replace("*", "").split()) in text


# --- the printed summary table --------------------------------------------------------------


def test_printed_summary_groups_by_ward_and_street_with_totals(
    engine, staff, tmp_path, monkeypatch
) -> None:
    make_site(engine, name="Pa-nô", address="Số 1 Nguyễn Trãi", quantity=2)
    make_site(engine, name="Cờ", address="Số 9 Nguyễn Trãi", quantity=5)
    monkeypatch.setenv("DATABASE_URL", str(engine.url))
    out = tmp_path / "bieu-in.xlsx"
    assert main(["report", "summary", "--out", str(out), "--date", "2024-09-28"]) == 0
    sheet = openpyxl.load_workbook(out).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert values[0][0] == "UBND QUẬN THANH XUÂN" and values[1][0] == "PHÒNG VĂN HÓA VÀ THÔNG TIN"
    assert values[0][3] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert "BIỂU TỔNG HỢP" in values[4][0] and values[5][0].startswith("Đợt:")
    assert "ngày 28 tháng 9 năm 2024" in values[2][3]
    header = values[8]
    assert header[:3] == ["STT", "Mã điểm", "Vị trí (địa chỉ)"]
    body = values[9:]
    ward_rows = [r for r in body if isinstance(r[1], str) and r[1].startswith("Phường ")]
    assert ward_rows, "sites are grouped under ward headings"
    codes = [r[1] for r in body if isinstance(r[0], int)]
    addresses = [r[2] for r in body if isinstance(r[0], int)]
    assert len(codes) == 2 and all(codes) and "Số 1 Nguyễn Trãi" in addresses
    total = next(r for r in body if r[1] == "TỔNG CỘNG")
    assert total[2] == 2 and total[4] == 7
    subtotals = [r for r in body if isinstance(r[1], str) and r[1].startswith("Cộng phường")]
    assert sum(r[2] for r in subtotals) == 2
    assert "NGƯỜI LẬP BIỂU" in flat and "TRƯỞNG PHÒNG" in flat
    assert sheet.page_setup.orientation == "landscape"


# --- the command line -----------------------------------------------------------------------


def test_report_submit_from_markdown(engine, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", str(engine.url))
    file = tmp_path / "bao-cao.md"
    file.write_text(REPORT_MD, encoding="utf-8")
    month = "2024-09"
    assert (
        main(["report", "submit", "--month", month, "--ward", NHAN_CHINH, "--file", str(file)]) == 0
    )
    assert "UBND phường Nhân Chính" in capsys.readouterr().out
    view = reports.unit_report(engine, month, _wards_unit(engine), ward_id(engine, NHAN_CHINH))
    assert view is not None and view.sections["recommendations"] == "Đề nghị quận hỗ trợ 200 lá cờ."
    assert main(["report", "submit", "--month", month, "--unit", "Trung tâm Văn hoá",
                 "--file", str(file)]) == 0  # fmt: skip
    assert main(["report", "submit", "--month", month, "--ward", "99999", "--file", str(file)]) == 2


def _wards_unit(engine) -> int:
    with read_session(engine) as s:
        return next(u.id for u in s.scalars(select(Unit)) if "các phường" in u.name)


# --- the page -------------------------------------------------------------------------------


def test_compile_form_saves_the_office_texts(app_env, engine, staff) -> None:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["user_id"] = staff.id
    at.switch_page("app_pages/reports.py")
    at.run()
    at.segmented_control(key="reports-section").set_value("docs").run()
    assert not at.exception
    at.text_area(key="compile-assessment").input("Đánh giá: hoàn thành tốt.")
    at.text_input(key="compile-number").input("42")
    at.text_input(key="compile-signer-name").input("Lê Văn Cường")
    at.radio(key="compile-issuer").set_value("district")
    next(b for b in at.button if b.label == "Lưu nội dung báo cáo").click().run()
    assert not at.exception
    month = at.selectbox(key="reports-doc-month").value
    saved = reports.load_district_draft(engine, month)
    assert saved.assessment == "Đánh giá: hoàn thành tốt." and saved.doc_number == "42"
    assert saved.signer_name == "Lê Văn Cường" and saved.issuer == "district"
    assert any("Đã lưu nội dung báo cáo" in s.value for s in at.success)


def test_office_returns_a_report_from_the_page(app_env, engine, officer, staff) -> None:
    today = datetime.now(UTC)
    month = reports.month_of(today.astimezone(LOCAL_TZ).date())
    done = reports.submit_monthly_report(engine, officer, month, REPORT_MD)
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["user_id"] = staff.id
    at.switch_page("app_pages/reports.py")
    at.run()
    at.text_area(key=f"return-comment-{done.id}").input("Thiếu số liệu cờ.")
    next(b for b in at.button if b.label == "Trả lại báo cáo").click().run()
    assert not at.exception
    view = reports.list_reports(engine, month)[0]
    assert view.returned and view.review_comment == "Thiếu số liệu cờ."
    assert any("bị trả lại" in e.label for e in at.expander)
