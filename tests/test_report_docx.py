"""The monthly report as a Word document: Decree 30 layout, and what LibreOffice prints of it."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Cm, Pt
from PIL import Image

from kehoach.adapters.report_docx import ReportData, Section, TableBlock, write_report_docx
from kehoach.adapters.static_map import render_coverage_map
from kehoach.domain.enums import Role
from kehoach.domain.permissions import Actor
from kehoach.services import reports
from kehoach.services.demo import load_demo
from kehoach.services.queries import load_base_layers, load_sites
from tests.factories import make_user
from tests.test_reports import NHAN_CHINH, WARDS, hanoi

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CONVERT_TIMEOUT_S = 180
ADMIN = Actor(None, "test", Role.ADMIN)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def sample() -> ReportData:
    return ReportData(
        parent_body="UBND QUẬN THANH XUÂN",
        issuer="PHÒNG VĂN HÓA VÀ THÔNG TIN",
        number="Số:    /BC-VHTT",
        nation="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        motto="Độc lập - Tự do - Hạnh phúc",
        place_date="Thanh Xuân, ngày 05 tháng 02 năm 2025",
        kind="BÁO CÁO",
        subject="Kết quả tháng 01/2025",
        intro=("Mở đầu <b>không phải HTML</b> & ký tự đặc biệt.",),
        sections=(
            Section(
                "I. PHẦN MỘT",
                paragraphs=("Đoạn một.",),
                table=TableBlock(
                    ("STT", "Tên", "Số"),
                    (("1", "A", "3"), ("", "Tổng", "3")),
                    widths_cm=(1.5, 10.0, 5.0),
                    bold_last_row=True,
                ),
            ),
            Section("II. BẢN ĐỒ", image_png=_png(), caption="Hình 1"),
        ),
        recipients_title="Nơi nhận:",
        recipients=("- UBND quận;", "- Lưu: VT."),
        signer_title=("TRƯỞNG PHÒNG",),
        signer_name="Nguyễn Văn A",
    )


def paragraph(document, text: str):  # type: ignore[no-untyped-def]
    """Find the paragraph with this exact text, in the body or in a table cell."""
    for p in document.paragraphs:
        if p.text == text:
            return p
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    if p.text == text:
                        return p
    raise AssertionError(f"no paragraph {text!r}")


def test_layout_follows_decree_30() -> None:
    document = Document(io.BytesIO(write_report_docx(sample())))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    # Decree 30, Appendix I: margins in millimetres (Word stores twentieths of a point).
    assert 20 <= round(section.top_margin.mm, 1) <= 25
    assert 20 <= round(section.bottom_margin.mm, 1) <= 25
    assert 30 <= round(section.left_margin.mm, 1) <= 35
    assert 15 <= round(section.right_margin.mm, 1) <= 20
    assert document.styles["Normal"].font.name == "Times New Roman"
    motto = paragraph(document, "Độc lập - Tự do - Hạnh phúc").runs[0]
    assert motto.bold and motto.underline and Pt(13) <= motto.font.size <= Pt(14)
    nation = paragraph(document, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").runs[0]
    assert nation.bold and nation.font.size >= Pt(12)
    place = paragraph(document, "Thanh Xuân, ngày 05 tháng 02 năm 2025").runs[0]
    assert place.italic and Pt(13) <= place.font.size <= Pt(14)
    title = paragraph(document, "BÁO CÁO")
    assert title.runs[0].bold and title.alignment == 1  # centred
    body = paragraph(document, "Đoạn một.")
    assert body.runs[0].font.size in (Pt(13), Pt(14)) and body.alignment == 3  # justified
    assert body.paragraph_format.first_line_indent == Cm(1.27)
    recipients = paragraph(document, "Nơi nhận:").runs[0]
    assert recipients.bold and recipients.italic
    assert paragraph(document, "TRƯỞNG PHÒNG").runs[0].bold
    # Every run names Times New Roman for Vietnamese (East Asian and complex scripts too).
    fonts = {r.font.name for p in document.paragraphs for r in p.runs}
    assert fonts <= {"Times New Roman", None}
    data_table = document.tables[1]
    assert [c.text for c in data_table.rows[0].cells] == ["STT", "Tên", "Số"]
    assert data_table.rows[-1].cells[1].paragraphs[0].runs[0].bold
    assert len(document.inline_shapes) == 1
    assert "<b>không phải HTML</b> & ký tự đặc biệt" in document.paragraphs[3].text or any(
        "<b>không phải HTML</b>" in p.text for p in document.paragraphs
    )


def test_static_map_is_a_png_of_the_district(engine) -> None:
    load_demo(engine)
    png = render_coverage_map(load_base_layers(engine), load_sites(engine), note="DỮ LIỆU MẪU")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width >= 1000
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    greens = sum(n for n, (r, g, b) in colours if (r, g, b) == (22, 163, 74))
    assert greens > 50  # installed sites drawn in the status colour


# --- through LibreOffice ----------------------------------------------------------------------


def to_pdf(docx: Path, home: Path) -> Path:
    """Convert a .docx to PDF with LibreOffice headless, in a private profile (works as root)."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is missing: run `make libreoffice`"
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HOME": str(home)}
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(home / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(docx.parent),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=CONVERT_TIMEOUT_S,
        env=env,
    )
    pdf = docx.with_suffix(".pdf")
    assert pdf.exists(), "LibreOffice wrote no PDF"
    return pdf


def pdf_text(pdf: Path) -> str:
    """Return the PDF's text, NFC-normalised, with whitespace collapsed."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode("utf-8")
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", out))


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, timeout=60)
    return int(re.search(rb"Pages:\s+(\d+)", info.stdout).group(1))


@pytest.fixture
def report_db(engine):
    load_demo(engine)
    officer = make_user(engine, "canbo-nhanchinh", Role.WARD_OFFICER, ward_code=NHAN_CHINH)
    reports.submit_monthly_report(
        engine, officer, "2024-09", "Báo cáo tháng 9", now=hanoi("2024-09-18")
    )
    return engine


def test_monthly_report_prints_through_libreoffice(report_db, tmp_path) -> None:
    now = hanoi("2024-10-03", 8)
    data = reports.monthly_report_docx(report_db, ADMIN, "2024-09", now=now)
    docx = tmp_path / "bao-cao-2024-09.docx"
    docx.write_bytes(data)
    pdf = to_pdf(docx, tmp_path / "home")
    text = pdf_text(pdf)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "UBND QUẬN THANH XUÂN" in text and "PHÒNG VĂN HÓA VÀ THÔNG TIN" in text
    assert "Số: /BC-VHTT" in text
    # A closed month's report bears the month's last day, whenever it is made.
    assert "Thanh Xuân, ngày 30 tháng 9 năm 2024" in text
    assert "BÁO CÁO Kết quả triển khai công tác trang trí" in text
    assert "tháng 09/2024" in text
    for ward in WARDS:
        assert ward in text, ward
    assert "Tổng cộng" in text and "Nơi nhận:" in text and "TRƯỞNG PHÒNG" in text
    # Demo data is labelled prominently: boxed under the title and on every page's header.
    assert "DỮ LIỆU MẪU" in text
    assert text.count("DỮ LIỆU MẪU - KHÔNG PHẢI SỐ LIỆU THẬT") == pages(pdf)
    # The wards' report statuses for September as of 3 October.
    assert "Đúng hạn" in text and "Chưa nộp" in text
    assert "Đã qua ngày kỷ niệm" not in text and "Còn 10 ngày đến ngày kỷ niệm" in text
    assert 3 <= pages(pdf) <= 8
    ARTIFACTS.mkdir(exist_ok=True)
    prefix = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf), str(prefix)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    page1 = next(tmp_path.glob("page*.png"))
    shutil.copy(page1, ARTIFACTS / "report-page1.png")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(pdf), str(ARTIFACTS / "report-page")],
        check=True,
        capture_output=True,
        timeout=60,
    )


def test_report_without_demo_says_nothing_of_demo(report_db, tmp_path) -> None:
    data = reports.monthly_report_docx(
        report_db, ADMIN, "2024-09", include_demo=False, now=datetime(2024, 10, 3, tzinfo=UTC)
    )
    docx = tmp_path / "that.docx"
    docx.write_bytes(data)
    text = pdf_text(to_pdf(docx, tmp_path / "home"))
    assert "DỮ LIỆU MẪU" not in text
    assert "Tổng số điểm trực quan trên địa bàn quận: 0 điểm" in text
    assert "Không có hạng mục phát sinh mới" in text
