"""Offices' real summary tables: titles, two-level merged headers, groups, totals, signatures."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest

from kehoach.adapters.summary_table import (
    ADDRESS,
    KIND,
    STREET,
    WARD,
    MergedRange,
    TableError,
    parse_sheet,
    read_records,
    read_table,
)
from kehoach.domain.enums import SiteKind

TITLE = [
    ["UBND QUẬN THANH XUÂN", None, None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
    ["TRUNG TÂM VH-TT&TT", None, None, None, None, "Độc lập - Tự do - Hạnh phúc"],
    [None, None, None, None, None, "Thanh Xuân, ngày 20 tháng 9 năm 2024"],
    ["BIỂU TỔNG HỢP VỊ TRÍ ĐIỂM TRỰC QUAN"],
]
# Row 5 and 6: "Thời gian" spans H5:I5 over "Lắp đặt" | "Tháo dỡ"; the rest span two rows.
HEADER = [
    ["STT", "Vị trí\nlắp đặt", "HÌNH THỨC  TRANG TRÍ", "Nội dung tuyên truyền", "Kích thước",
     "SL", "Đơn vị\nthực hiện", "Thời gian", None, "Ghi chú"],
    [None, None, None, None, None, None, None, "Lắp đặt", "Tháo dỡ", None],
]
BODY = [
    ["I", "TUYẾN PHỐ CHÍNH"],  # row 7, merged B7:J7
    [1, "Ngã tư Nguyễn Trãi - Khuất Duy Tiến", "Pa-nô", "Chào mừng 70 năm", "3M X 6M", 2,
     "TT VH-TT&TT", "25/9", "15/10/2024", None],
    [2, "Dải phân cách Khuất Duy Tiến", "băng rôn", "Hà Nội", "0,8 x 12 m", 10,
     "Phòng VH&TT", "25/9/2024", "15/10/2024", "đèn"],
    ["Phường Khương Mai"],  # row 10, merged A10:J10
    [3, "Trước cửa số 9 Khương Đình", "cờ dây", "", "", "120 lá", "UBND P. Khương Mai",
     "25/9/2024", None, None],
    [4, "Trụ sở UBND phường Khương Mai", "hoa tươi", "", "", "x", "CA quận", "31/9/2024",
     None, None],
    [None],
    ["Tổng cộng", None, None, None, None, 132],
    [None, "NGƯỜI LẬP BIỂU", None, None, None, None, "GIÁM ĐỐC"],
    [None, "(Ký, ghi rõ họ tên)"],
    [None, "Nguyễn Văn A", None, None, None, None, "Trần Thị B"],
]
MERGED = ["A1:E1", "F1:J1", "A4:J4", "A5:A6", "B5:B6", "C5:C6", "D5:D6", "E5:E6", "F5:F6",
          "G5:G6", "H5:I5", "J5:J6", "B7:J7", "A10:J10"]


def real_xlsx(rows: list[list[object]], merged: list[str]) -> bytes:
    """Build an office-style workbook with openpyxl, cells merged as offices merge them."""
    book = openpyxl.Workbook()
    sheet = book.active
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(number, column, value)
    for ref in merged:
        sheet.merge_cells(ref)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def real_csv(rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["" if v is None else v for v in row] for row in rows])
    return buffer.getvalue().encode("utf-8-sig")


def test_xlsx_with_titles_two_level_merged_header_groups_total_and_signature() -> None:
    parsed = read_records(real_xlsx(TITLE + HEADER + BODY, MERGED), "bieu.xlsx")
    assert (parsed.header_row, parsed.header_rows, parsed.default_year) == (5, 2, 2024)
    assert parsed.columns["install_on"] == "Thời gian Lắp đặt"
    assert parsed.columns["remove_on"] == "Thời gian Tháo dỡ"
    assert [r.row for r in parsed.records] == [8, 9, 11, 12]
    first, banner, flags, bad = parsed.records
    assert first.position_text == "Ngã tư Nguyễn Trãi - Khuất Duy Tiến"
    assert (first.kind, first.size, first.quantity) == (SiteKind.PANEL, "3m x 6m", 2)
    assert (first.install_on, first.remove_on) == (date(2024, 9, 25), date(2024, 10, 15))
    assert (first.unit_text, first.group, first.ward_text) == ("TT VH-TT&TT",
                                                               "I. TUYẾN PHỐ CHÍNH", "")
    assert (banner.kind, banner.size, banner.note) == (SiteKind.BANNER, "0,8 x 12 m", "đèn")
    assert flags.kind == SiteKind.FLAG_LINE
    assert (flags.quantity, flags.flags_expected) == (120, 120)
    assert first.flags_expected is None
    assert flags.ward_text == "Khương Mai"  # carried from the group row above
    assert (flags.install_on, flags.remove_on) == (date(2024, 9, 25), None)
    assert dict(parsed.ignored) == {7: "group", 10: "group", 13: "blank", 14: "total",
                                    15: "signature", 16: "signature", 17: "signature"}
    assert not first.problems and not flags.problems


def test_bad_cells_are_named_by_row_column_and_a_vietnamese_reason() -> None:
    parsed = read_records(real_xlsx(TITLE + HEADER + BODY, MERGED), "bieu.xlsx")
    problems = [(p.row, p.column) for p in parsed.problems]
    assert problems == [(12, "HÌNH THỨC TRANG TRÍ"), (12, "SL"), (12, "Thời gian Lắp đặt")]
    reasons = [p.reason for p in parsed.problems]
    assert "«hoa tươi» không hợp lệ" in reasons[0] and "Pa-nô" in reasons[0]
    assert "«x»" in reasons[1]
    assert "Không đọc được ngày «31/9/2024»" in reasons[2]


def test_csv_equivalent_reads_the_same_records_without_merged_ranges() -> None:
    # A CSV has no merges: "Thời gian" is written once over its two children, titles in A.
    rows = [[row[0] or row[5] if len(row) > 5 else row[0]] for row in TITLE] + HEADER + BODY
    from_csv = read_records(real_csv(rows), "bieu.csv")
    from_xlsx = read_records(real_xlsx(TITLE + HEADER + BODY, MERGED), "bieu.xlsx")
    assert from_csv.header_row == 5 and from_csv.header_rows == 2
    strip = [(r.row, r.kind, r.quantity, r.install_on, r.remove_on, r.ward_text, r.unit_text)
             for r in from_csv.records]
    assert strip == [(r.row, r.kind, r.quantity, r.install_on, r.remove_on, r.ward_text,
                      r.unit_text) for r in from_xlsx.records]


def test_read_table_of_a_real_file_returns_located_header_and_rows() -> None:
    raw = read_table(real_xlsx(TITLE + HEADER + BODY, MERGED), "bieu.xlsx")
    assert raw.header_row == 5
    assert [r.number for r in raw.rows] == [8, 9, 11, 12]
    assert raw.rows[2].cells[WARD] == "Khương Mai"
    assert raw.rows[0].cells[ADDRESS] == "Ngã tư Nguyễn Trãi - Khuất Duy Tiến"
    assert raw.rows[0].cells[KIND] == "Pa-nô"
    assert raw.records[0].remove_on == date(2024, 10, 15)


def test_one_row_header_with_period_column_street_groups_and_subtotals() -> None:
    rows = [
        ["BIỂU TỔNG HỢP"],
        ["Số TT", "Địa điểm", "Loại hình", "Khẩu hiệu", "Số lượng", "Đơn vị",
         "Thời gian thực hiện", "Phường"],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"],
        ["A", "Tuyến phố Nguyễn Trãi"],
        ["1", "Trước số 275", "Cụm pa nô", "", "1", "BQLDA", "Từ 25/9 đến 15/10/2024",
         "Thanh Xuân Trung"],
        ["Cộng", "", "", "", "1"],
        ["2", "Ngã Tư Sở", "Cờ Tổ quốc", "", "50", "UBND các phường", "tháng 10/2024", ""],
    ]
    parsed = parse_sheet(rows, [MergedRange.from_ref("B4:H4")], default_year=2024)
    one, two = parsed.records
    assert parsed.header_row == 2 and parsed.header_rows == 1
    assert (one.kind, one.street_text, one.ward_text) == (SiteKind.PANEL_CLUSTER,
                                                          "Nguyễn Trãi", "Thanh Xuân Trung")
    assert (one.install_on, one.remove_on) == (date(2024, 9, 25), date(2024, 10, 15))
    assert (two.kind, two.flags_expected) == (SiteKind.NATIONAL_FLAG, 50)
    assert (two.install_on, two.remove_on) == (date(2024, 10, 1), date(2024, 10, 31))
    assert two.street_text == "Nguyễn Trãi"
    assert dict(parsed.ignored) == {3: "numbering", 4: "group", 6: "total"}


def test_a_new_section_clears_the_carried_ward() -> None:
    rows = [["STT", "Vị trí", "Hình thức", "Số lượng"], ["Phường Kim Giang"],
            [1, "Cổng chợ", "Pano", 1], ["II", "CÁC TUYẾN NHÁNH"], [2, "Ngõ 1", "Pano", 1]]
    first, second = parse_sheet(rows).records
    assert (first.ward_text, second.ward_text) == ("Kim Giang", "")
    assert second.group == "II. CÁC TUYẾN NHÁNH" and second.street_text == ""


def test_a_sheet_without_a_known_header_is_refused() -> None:
    rows = [["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], ["a", "b", "c"], [1, 2, 3]]
    with pytest.raises(TableError) as caught:
        parse_sheet(rows)
    assert "không tìm thấy dòng tiêu đề" in caught.value.params["reason"]


def test_app_layout_still_reads_through_the_streaming_reader() -> None:
    header = [STREET, WARD, KIND, "Kinh độ", "Vĩ độ"]
    raw = read_table(real_csv([header, ["Nguyễn Trãi", "Kim Giang", "Pa-nô", "105,8",
                                        "20,99"]]), "a.csv")
    assert raw.records == ()  # the app's own layout: no fallback
    assert raw.rows[0].cells["Kinh độ"] == "105,8"


def test_merged_range_references() -> None:
    assert MergedRange.from_ref("H5:I5") == MergedRange(5, 8, 5, 9)
    assert MergedRange.from_ref("$AA$10") == MergedRange(10, 27, 10, 27)
