"""Tests for the plan parser: the shipped Thanh Xuân plan and a generated Cầu Giấy plan."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from kehoach.adapters.plan_parser import (
    ParsedPlan,
    classify_task,
    main_parse_cli,
    parse_plan_file,
    parse_plan_text,
)
from kehoach.domain.enums import TaskKind
from kehoach.domain.errors import NotAPlan

ROOT = Path(__file__).resolve().parents[1]
SHARED_PLAN = ROOT / "data" / "plans" / "thanh-xuan-70-nam-giai-phong-thu-do.txt"
STREETS_GEOJSON = ROOT / "data" / "geo" / "streets.geojson"
ERROR_PREFIX = "Lỗi: tệp không phải là một kế hoạch hợp lệ: "

REQUIRED_KEYS = {
    "issuer",
    "number",
    "date",
    "title",
    "implements",
    "anniversary",
    "sections",
    "units",
    "streets",
    "report_deadline_day",
    "flag_window",
}


def _geo_street_names() -> list[str]:
    data = json.loads(STREETS_GEOJSON.read_text(encoding="utf-8"))
    return [f["properties"]["name"] for f in data["features"] if f["properties"].get("name")]


@pytest.fixture(scope="module")
def shared() -> ParsedPlan:
    return parse_plan_file(SHARED_PLAN, _geo_street_names())


# ---------------------------------------------------------------------------
# The shipped plan
# ---------------------------------------------------------------------------


def test_shared_plan_header_facts(shared: ParsedPlan) -> None:
    data = shared.to_dict()
    assert data["issuer"] == "UBND quận Thanh Xuân"
    assert data["number"] is None
    assert data["date"] is None
    assert data["anniversary"] == "2024-10-10"
    assert data["report_deadline_day"] == 20
    assert data["flag_window"] is None
    assert data["title"] == (
        "Thực hiện Kế hoạch số 88/KH-UBND ngày 23/3/2024 của UBND thành phố Hà Nội về tổ chức"
        " các hoạt động kỷ niệm 70 năm Ngày Giải phóng Thủ đô (10/10/1954-10/10/2024)"
    )


def test_shared_plan_implements(shared: ParsedPlan) -> None:
    refs = shared.to_dict()["implements"]
    pairs = [(r["number"], r["date"]) for r in refs]
    assert ("88/KH-UBND", "2024-03-23") in pairs
    assert ("03/UBND-ĐA", "2024-03-22") in pairs
    assert len(pairs) == len(set(pairs)), "references must be deduplicated"
    plan_88 = next(r for r in refs if r["number"] == "88/KH-UBND")
    assert plan_88["issuer"] == "UBND thành phố Hà Nội"


def test_shared_plan_sections(shared: ParsedPlan) -> None:
    assert [s.to_dict() for s in shared.sections] == [
        {"number": "I", "title": "MỤC ĐÍCH, YÊU CẦU"},
        {"number": "II", "title": "NỘI DUNG HOẠT ĐỘNG KỶ NIỆM"},
        {"number": "III", "title": "KINH PHÍ THỰC HIỆN"},
        {"number": "IV", "title": "TỔ CHỨC THỰC HIỆN"},
    ]


def test_shared_plan_units(shared: ParsedPlan) -> None:
    units = shared.units
    assert len(units) == 13
    assert [len(u.tasks) for u in units] == [5, 3, 3, 2, 2, 1, 2, 1, 2, 2, 1, 2, 4]
    assert units[0].name == "Phòng Văn hoá và Thông tin quận"
    assert units[12].name == "Ủy ban nhân dân các phường"


def test_shared_plan_unit_2_attachment(shared: ParsedPlan) -> None:
    unit = shared.units[1]
    assert unit.name == "Trung tâm Văn hoá - Thông tin và Thể thao quận"
    assert len(unit.tasks) == 3
    assert unit.tasks[0].attachment == "Có biểu tổng hợp vị trí điểm trực quan kèm theo"
    assert unit.tasks[0].text.startswith("Xây dựng phương án, thực hiện trang trí trực quan")
    assert unit.tasks[0].kind == TaskKind.DECORATION
    assert all(t.attachment is None for t in unit.tasks[1:])
    assert not any(t.text.startswith("(") for t in unit.tasks)


def test_shared_plan_unit_3_lead_in(shared: ParsedPlan) -> None:
    unit = shared.units[2]
    assert unit.name == "Phòng Giáo dục và Đào tạo quận"
    assert unit.lead_in == (
        "Chịu trách nhiệm đôn đốc, kiểm tra, hướng dẫn các trường học trên địa bàn thuộc quận:"
    )
    assert len(unit.tasks) == 3
    assert unit.tasks[0].text.startswith("Tổ chức công tác thông tin, tuyên truyền")


def test_shared_plan_paragraph_units(shared: ParsedPlan) -> None:
    urban = shared.units[5]
    assert urban.name == "Phòng Quản lý đô thị quận"
    assert len(urban.tasks) == 1
    assert urban.tasks[0].text.startswith("Phối hợp các đơn vị liên quan tăng cường công tác")
    assert urban.lead_in is None
    office = shared.units[7]
    assert office.name == "Văn phòng HĐND&UBND quận"
    # "Tham mưu UBND quận thông báo treo cờ": paperwork its unit finishes, not flags to count.
    assert office.tasks[0].kind == TaskKind.REPORTING


def test_shared_plan_closing_is_not_a_task(shared: ParsedPlan) -> None:
    last = shared.units[-1]
    texts = [t.text for t in last.tasks]
    assert texts[-1].startswith("Thường xuyên tổ chức ra quân")
    assert not any("UBND quận đề nghị" in t for t in texts)
    assert not any("Nơi nhận" in t or "Lưu: VT" in t for u in shared.units for t in [u.name])
    assert last.tasks[2].kind == TaskKind.DECORATION


def test_shared_plan_task_kinds(shared: ParsedPlan) -> None:
    first = shared.units[0]
    assert first.tasks[0].kind == TaskKind.REPORTING  # "Tổng hợp, báo cáo theo quy định"
    assert first.tasks[1].kind == TaskKind.INSPECTION  # "Chủ trì đôn đốc, kiểm tra ... trang trí"
    assert shared.units[3].tasks[1].kind == TaskKind.OTHER


def test_shared_plan_streets(shared: ParsedPlan) -> None:
    streets = {s.name: s.matched for s in shared.streets}
    for name in ("Khuất Duy Tiến", "Nguyễn Trãi", "Lê Văn Lương"):
        assert streets.get(name) is True, name
    for false_street in ("Thủ đô", "Hồ Chí Minh", "Hà Nội", "Thăng Long"):
        assert false_street not in streets
    assert all(s.matched for s in shared.streets)


def test_shared_plan_without_known_streets_is_unmatched() -> None:
    plan = parse_plan_file(SHARED_PLAN)
    assert {s.name: s.matched for s in plan.streets}["Nguyễn Trãi"] is False


def test_to_dict_has_every_key_and_is_json(shared: ParsedPlan) -> None:
    data = shared.to_dict()
    assert data.keys() >= REQUIRED_KEYS
    for unit in data["units"]:
        assert {"name", "tasks", "lead_in"} <= unit.keys()
        for task in unit["tasks"]:
            assert {"text", "kind", "attachment"} <= task.keys()
            assert task["kind"] in {k.value for k in TaskKind}
    for ref in data["implements"]:
        assert {"number", "date", "issuer"} <= ref.keys()
    for street in data["streets"]:
        assert set(street) == {"name", "matched"}
    round_trip = json.loads(json.dumps(data, ensure_ascii=False))
    assert round_trip == data


def test_filled_in_header_is_read() -> None:
    text = SHARED_PLAN.read_text(encoding="utf-8")
    text = text.replace("Số: /KH-UBND", "Số: 123/KH-UBND", 1)
    text = text.replace("Thanh Xuân, ngày tháng năm 2024", "Thanh Xuân, ngày 05 tháng 9 năm 2024")
    plan = parse_plan_text(text.replace("\n", "\r\n"))
    assert plan.number == "123/KH-UBND"
    assert plan.to_dict()["date"] == "2024-09-05"
    assert len(plan.units) == 13


def test_issuer_from_signature_and_place_line() -> None:
    text = SHARED_PLAN.read_text(encoding="utf-8")
    text = text.replace("UBND quận Thanh Xuân xây dựng kế hoạch", "xây dựng kế hoạch")
    assert parse_plan_text(text).issuer == "UBND quận Thanh Xuân"


def test_hard_wrapped_lines_are_joined() -> None:
    text = SHARED_PLAN.read_text(encoding="utf-8")
    wrapped = text.replace(
        "- Thực hiện các nhiệm vụ khác theo sự phân công",
        "- Thực hiện các nhiệm vụ khác\ntheo sự phân công",
    )
    plan = parse_plan_text(wrapped)
    expected = "Thực hiện các nhiệm vụ khác theo sự phân công của UBND quận."
    assert plan.units[0].tasks[4].text == expected


# ---------------------------------------------------------------------------
# A second, generated plan (Cầu Giấy) as .docx with Word list formatting and as .txt
# ---------------------------------------------------------------------------

CG_STREETS = [
    "Đường Xuân Thủy",
    "Phố Cầu Giấy",
    "Trần Duy Hưng",
    "Đường Nguyễn Phong Sắc",
    "Phố Trung Kính",
]

CG_HEADER = (
    ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("QUẬN CẦU GIẤY", "Độc lập - Tự do - Hạnh phúc"),
    ("Số: 145/KH-UBND", "Cầu Giấy, ngày 12 tháng 4 năm 2025"),
)

# (kind, text): p = plain, b = bullet, n = numbered unit, lp = "List Paragraph" bullet,
# nb = Normal paragraph with a bullet numPr.
CG_BODY: tuple[tuple[str, str], ...] = (
    ("p", "KẾ HOẠCH"),
    (
        "p",
        "Tổ chức các hoạt động kỷ niệm 50 năm Ngày Giải phóng miền Nam, thống nhất đất nước"
        " (30/4/1975-30/4/2025) trên địa bàn quận Cầu Giấy",
    ),
    (
        "p",
        "Căn cứ Kế hoạch số 102/KH-UBND ngày 28 tháng 3 năm 2025 của UBND thành phố Hà Nội về"
        " tổ chức các hoạt động kỷ niệm 50 năm Ngày Giải phóng miền Nam, thống nhất đất nước;",
    ),
    (
        "p",
        "Căn cứ Hướng dẫn số 21-HD/BTGTU ngày 02/4/2025 của Ban Tuyên giáo Thành ủy Hà Nội về"
        " tuyên truyền các ngày lễ lớn năm 2025;",
    ),
    ("p", "UBND quận Cầu Giấy ban hành Kế hoạch tổ chức các hoạt động kỷ niệm như sau:"),
    ("p", "I. MỤC ĐÍCH, YÊU CẦU"),
    ("p", "1. Mục đích"),
    (
        "b",
        "Tuyên truyền sâu rộng ý nghĩa lịch sử của Chiến thắng 30/4/1975; học tập và làm theo"
        " tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
    ),
    ("p", "2. Yêu cầu"),
    ("b", "Tổ chức trang trọng, tiết kiệm, hiệu quả, phù hợp tình hình thực tế của Thành phố."),
    ("p", "II. NỘI DUNG HOẠT ĐỘNG"),
    (
        "b",
        "Trang trí trực quan, pa-nô, băng-rôn, khẩu hiệu trên các tuyến phố: Xuân Thủy, Cầu Giấy,"
        " Trần Duy Hưng và Nguyễn Phong Sắc; tại trụ sở các cơ quan, đơn vị trên địa bàn quận.",
    ),
    (
        "b",
        "Treo cờ Tổ quốc tại trụ sở cơ quan, đơn vị và hộ gia đình từ ngày 28/4 đến hết ngày"
        " 01/5/2025.",
    ),
    ("b", "Lắp đặt cụm pa-nô tại nút giao đường Phạm Văn Đồng với đường Xuân Thủy."),
    ("p", "III. KINH PHÍ THỰC HIỆN"),
    ("p", "Kinh phí thực hiện từ nguồn ngân sách quận năm 2025 đã giao cho các đơn vị."),
    ("p", "IV. TỔ CHỨC THỰC HIỆN"),
    ("n", "Phòng Văn hóa và Thông tin quận"),
    (
        "b",
        "Là đơn vị thường trực, tham mưu UBND quận triển khai Kế hoạch; kiểm tra, đôn đốc việc"
        " trang trí trực quan trên địa bàn.",
    ),
    ("b", "Tổng hợp, báo cáo UBND quận kết quả thực hiện trước ngày 25 hằng tháng."),
    ("b", "Phối hợp Công an quận kiểm tra, xử lý các trường hợp quảng cáo sai quy định."),
    ("n", "Trung tâm Văn hóa, Thông tin và Thể thao quận"),
    ("b", "Thực hiện trang trí cụm pa-nô tại các tuyến phố chính: Xuân Thủy, Cầu Giấy."),
    ("p", "(Có danh sách vị trí pa-nô, băng-rôn kèm theo)"),
    ("b", "Tổ chức chương trình nghệ thuật chào mừng tại Công viên Cầu Giấy."),
    ("n", "Phòng Quản lý đô thị quận"),
    (
        "p",
        "Chủ trì rà soát, chỉnh trang hệ thống chiếu sáng, cây xanh trên các tuyến đường trọng"
        " điểm; đảm bảo mỹ quan đô thị trong dịp kỷ niệm.",
    ),
    ("n", "Công an quận"),
    ("p", "Chủ trì, phối hợp các đơn vị liên quan:"),
    ("lp", "Đảm bảo an ninh trật tự, an toàn giao thông trong thời gian diễn ra các hoạt động."),
    ("b", "Kiểm tra công tác phòng cháy chữa cháy tại các điểm tổ chức sự kiện."),
    ("n", "Văn phòng HĐND và UBND quận"),
    ("nb", "Ban hành thông báo treo cờ Tổ quốc gửi các cơ quan, đơn vị, UBND các phường."),
    ("n", "Ủy ban nhân dân các phường"),
    ("b", "Tuyên truyền, vận động Nhân dân treo cờ Tổ quốc theo thông báo của quận."),
    ("b", "Trang trí trực quan tại trụ sở và các tuyến phố trên địa bàn phường."),
    (
        "b",
        "Báo cáo kết quả thực hiện về UBND quận (qua phòng Văn hóa và Thông tin) trước ngày 25"
        " hằng tháng.",
    ),
    (
        "p",
        "Trên đây là Kế hoạch tổ chức các hoạt động kỷ niệm 50 năm Ngày Giải phóng miền Nam,"
        " thống nhất đất nước của UBND quận Cầu Giấy. Yêu cầu các phòng, ban, đơn vị, UBND các"
        " phường nghiêm túc triển khai thực hiện./.",
    ),
)

CG_SIGNATURE = (
    ("Nơi nhận:", "- UBND thành phố Hà Nội;", "- Lưu: VT, VH&TT."),
    ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An"),
)


def _add_numpr_bullet(document: docx.document.Document, text: str) -> None:
    """Add a Normal paragraph that is a bullet only through its numPr (numbering) XML."""
    bullet_num_id = document.styles["List Bullet"].element.pPr.numPr.numId.val
    paragraph = document.add_paragraph(text)
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), "0")
    num_id = OxmlElement("w:numId")
    num_id.set(qn("w:val"), str(bullet_num_id))
    num_pr.append(ilvl)
    num_pr.append(num_id)
    paragraph._p.get_or_add_pPr().append(num_pr)


def build_cau_giay_docx(path: Path, body: tuple[tuple[str, str], ...] = CG_BODY) -> Path:
    """Write the Cầu Giấy plan as a .docx: header/signature tables, Word list styles."""
    document = docx.Document()
    header = document.add_table(rows=1, cols=2)
    for column in range(2):
        cell = header.rows[0].cells[column]
        cell.paragraphs[0].text = CG_HEADER[0][column]
        for row in CG_HEADER[1:]:
            cell.add_paragraph(row[column])
    for kind, text in body:
        if kind == "b":
            document.add_paragraph(text, style="List Bullet")
        elif kind == "lp":
            document.add_paragraph(text, style="List Paragraph")
        elif kind == "n":
            document.add_paragraph(text, style="List Number")
        elif kind == "nb":
            _add_numpr_bullet(document, text)
        else:
            document.add_paragraph(text)
    signature = document.add_table(rows=1, cols=2)
    for column, lines in enumerate(CG_SIGNATURE):
        cell = signature.rows[0].cells[column]
        cell.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
    document.save(str(path))
    return path


def build_cau_giay_txt(path: Path) -> Path:
    """Write the Cầu Giấy plan as UTF-8 text: two-column header, "+ " bullets, "N. " units."""
    lines = [f"{left:<40}{right}" for left, right in CG_HEADER]
    unit_number = 0
    for kind, text in CG_BODY:
        lines.append("")
        if kind in ("b", "lp", "nb"):
            lines.append(f"+ {text}")
        elif kind == "n":
            unit_number += 1
            lines.append(f"{unit_number}. {text}")
        else:
            lines.append(text)
    lines.append("")
    lines.extend(CG_SIGNATURE[0])
    lines.append("")
    lines.extend(CG_SIGNATURE[1])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(params=["docx", "txt"])
def cau_giay(request: pytest.FixtureRequest, tmp_path: Path) -> ParsedPlan:
    if request.param == "docx":
        path = build_cau_giay_docx(tmp_path / "cau-giay-50-nam.docx")
    else:
        path = build_cau_giay_txt(tmp_path / "cau-giay-50-nam.txt")
    return parse_plan_file(path, CG_STREETS)


def test_generated_docx_uses_word_lists_not_text_markers(tmp_path: Path) -> None:
    path = build_cau_giay_docx(tmp_path / "plan.docx")
    document = docx.Document(str(path))
    styles = {p.style.name for p in document.paragraphs}
    assert {"List Bullet", "List Number", "List Paragraph"} <= styles
    assert not any(p.text.startswith(("- ", "+ ", "1. Phòng")) for p in document.paragraphs)


def test_second_plan_header(cau_giay: ParsedPlan) -> None:
    data = cau_giay.to_dict()
    assert data["issuer"] == "UBND quận Cầu Giấy"
    assert data["number"] == "145/KH-UBND"
    assert data["date"] == "2025-04-12"
    assert data["anniversary"] == "2025-04-30"
    assert data["report_deadline_day"] == 25
    assert data["title"].startswith("Tổ chức các hoạt động kỷ niệm 50 năm Ngày Giải phóng")
    assert data["title"].endswith("trên địa bàn quận Cầu Giấy")
    assert [s["number"] for s in data["sections"]] == ["I", "II", "III", "IV"]
    assert data["flag_window"]["start"] == "2025-04-28"
    assert data["flag_window"]["end"] == "2025-05-01"


def test_second_plan_implements(cau_giay: ParsedPlan) -> None:
    refs = {r["number"]: r for r in cau_giay.to_dict()["implements"]}
    assert refs["102/KH-UBND"]["date"] == "2025-03-28"
    assert refs["102/KH-UBND"]["issuer"] == "UBND thành phố Hà Nội"
    assert refs["21-HD/BTGTU"]["date"] == "2025-04-02"
    assert refs["21-HD/BTGTU"]["issuer"] == "Ban Tuyên giáo Thành ủy Hà Nội"


def test_second_plan_units(cau_giay: ParsedPlan) -> None:
    units = cau_giay.units
    assert [u.name for u in units] == [
        "Phòng Văn hóa và Thông tin quận",
        "Trung tâm Văn hóa, Thông tin và Thể thao quận",
        "Phòng Quản lý đô thị quận",
        "Công an quận",
        "Văn phòng HĐND và UBND quận",
        "Ủy ban nhân dân các phường",
    ]
    assert [len(u.tasks) for u in units] == [3, 2, 1, 2, 1, 3]
    assert units[1].tasks[0].attachment == "Có danh sách vị trí pa-nô, băng-rôn kèm theo"
    assert units[3].lead_in == "Chủ trì, phối hợp các đơn vị liên quan:"
    assert units[2].tasks[0].text.startswith("Chủ trì rà soát, chỉnh trang")
    assert not any("Trên đây là Kế hoạch" in t.text for u in units for t in u.tasks)
    kinds = [[t.kind for t in u.tasks] for u in units]
    assert kinds[0] == [TaskKind.DECORATION, TaskKind.REPORTING, TaskKind.INSPECTION]
    assert kinds[3] == [TaskKind.OTHER, TaskKind.INSPECTION]
    assert kinds[4] == [TaskKind.REPORTING]  # "Ban hành thông báo treo cờ": paperwork
    assert kinds[5] == [TaskKind.FLAGS, TaskKind.DECORATION, TaskKind.REPORTING]


def test_second_plan_streets(cau_giay: ParsedPlan) -> None:
    streets = {s.name: s.matched for s in cau_giay.streets}
    assert streets == {
        "Xuân Thủy": True,
        "Cầu Giấy": True,
        "Trần Duy Hưng": True,
        "Nguyễn Phong Sắc": True,
        "Phạm Văn Đồng": False,
    }


def test_second_plan_is_json(cau_giay: ParsedPlan) -> None:
    data = cau_giay.to_dict()
    assert data.keys() >= REQUIRED_KEYS
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


# ---------------------------------------------------------------------------
# Task kinds
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Treo cờ Tổ quốc tại trụ sở", TaskKind.FLAGS),
        ("Trang trí pa-nô, treo cờ Tổ quốc trên tuyến phố", TaskKind.DECORATION),
        ("Lắp đặt băng rôn, khẩu hiệu", TaskKind.DECORATION),
        ("Kiểm tra, đôn đốc các phường", TaskKind.INSPECTION),
        ("Chủ trì đôn đốc, kiểm tra trang trí trực quan trong toàn Quận", TaskKind.INSPECTION),
        ("Chỉ đạo, kiểm tra việc treo cờ Tổ quốc", TaskKind.INSPECTION),
        ("Tham mưu UBND quận thông báo treo cờ Tổ quốc", TaskKind.REPORTING),
        ("Tổ chức trang trí, kiểm tra các tuyến phố", TaskKind.DECORATION),
        ("Kiểm tra và báo cáo kết quả", TaskKind.INSPECTION),
        ("TỔNG HỢP, BÁO CÁO kết quả", TaskKind.REPORTING),
        ("Đảm bảo an ninh trật tự", TaskKind.OTHER),
    ],
)
def test_classify_task(text: str, kind: TaskKind) -> None:
    assert classify_task(text) == kind


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------


def test_empty_files_are_not_plans(tmp_path: Path) -> None:
    for name in ("empty.txt", "empty.docx"):
        path = tmp_path / name
        path.write_bytes(b"")
        with pytest.raises(NotAPlan, match="empty"):
            parse_plan_file(path)
    with pytest.raises(NotAPlan):
        parse_plan_text("   \n  ")


def test_binary_garbage_docx_is_not_a_plan(tmp_path: Path) -> None:
    path = tmp_path / "garbage.docx"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(NotAPlan, match="docx"):
        parse_plan_file(path)


def test_zip_that_is_not_a_docx(tmp_path: Path) -> None:
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    with pytest.raises(NotAPlan, match="docx"):
        parse_plan_file(path)


def test_random_text_is_not_a_plan(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Danh sách đi chợ:\n- rau muống\n- cà chua\n", encoding="utf-8")
    with pytest.raises(NotAPlan, match="KẾ HOẠCH"):
        parse_plan_file(path)


def test_invalid_utf8_is_not_a_plan(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("KẾ HOẠCH".encode("utf-16"))
    with pytest.raises(NotAPlan, match="UTF-8"):
        parse_plan_file(path)


def test_missing_or_unsupported_files(tmp_path: Path) -> None:
    with pytest.raises(NotAPlan, match="cannot read"):
        parse_plan_file(tmp_path / "missing.txt")
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(NotAPlan, match="unsupported"):
        parse_plan_file(pdf)


def test_docx_without_units_is_not_a_plan(tmp_path: Path) -> None:
    body = (
        ("p", "KẾ HOẠCH"),
        ("p", "Tổ chức Tết Trung thu năm 2025"),
        ("p", "I. MỤC ĐÍCH, YÊU CẦU"),
        ("b", "Tạo không khí vui tươi cho thiếu nhi."),
        ("p", "II. TỔ CHỨC THỰC HIỆN"),
        ("p", "Các đơn vị căn cứ chức năng, nhiệm vụ tổ chức thực hiện."),
    )
    path = build_cau_giay_docx(tmp_path / "no-units.docx", body)
    with pytest.raises(NotAPlan, match="numbered units"):
        parse_plan_file(path)


def test_text_without_execution_section_is_not_a_plan() -> None:
    text = "KẾ HOẠCH\nTổ chức Tết Trung thu\nI. MỤC ĐÍCH\n- Vui tươi.\n1. Phòng Văn hóa\n- Làm.\n"
    with pytest.raises(NotAPlan, match="TỔ CHỨC THỰC HIỆN"):
        parse_plan_text(text)


# ---------------------------------------------------------------------------
# Command line helper
# ---------------------------------------------------------------------------


def test_cli_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main_parse_cli(str(SHARED_PLAN), True, _geo_street_names()) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["units"]) == 13
    assert data["issuer"] == "UBND quận Thanh Xuân"


def test_cli_prints_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main_parse_cli(str(SHARED_PLAN), False, []) == 0
    out = capsys.readouterr().out
    assert "Đơn vị thực hiện: 13" in out
    assert "Hạn báo cáo: trước ngày 20 hằng tháng" in out


def test_cli_reports_not_a_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"\x00\x01garbage" * 100)
    assert main_parse_cli(str(bad), True, []) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(ERROR_PREFIX)
    assert captured.err.count("\n") == 1
    assert "Traceback" not in captured.err
