"""Office spellings: header names, kinds, unit abbreviations, sizes and date periods."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from kehoach.adapters.plan_parser import parse_plan_file
from kehoach.adapters.summary_table.vocab import (
    header_field,
    match_kind,
    match_unit,
    normalise_size,
)
from kehoach.domain.date_ranges import Period, UnreadableDate, parse_period
from kehoach.domain.enums import SiteKind

PLAN = next(Path("data/plans").glob("*.txt"))


@pytest.fixture(scope="module")
def unit_names() -> list[str]:
    """Return the unit names the shipped plan produces."""
    return [unit.name for unit in parse_plan_file(PLAN).units]


@pytest.mark.parametrize(("header", "field"), [
    ("Vị trí", "position_text"), ("ĐỊA ĐIỂM", "position_text"),
    ("Vị trí\nlắp đặt", "position_text"), ("Hình thức", "kind"),
    ("Hình thức  trang trí", "kind"), ("Loại hình", "kind"), ("Nội dung", "content"),
    ("Khẩu hiệu", "content"), ("Nội dung tuyên truyền", "content"), ("Kích thước (m)", "size"),
    ("Số lượng", "quantity"), ("SL", "quantity"), ("Đơn vị thực hiện", "unit_text"),
    ("Đơn vị", "unit_text"), ("Đơn vị tính", "measure"), ("ĐVT", "measure"),
    ("Thời gian thực hiện", "period"), ("Thời gian lắp đặt", "install_on"),
    ("thoi gian thao do", "remove_on"), ("Ghi chú", "note"), ("S.T.T", "stt"),
    ("Phường", "ward_text"), ("Tuyến phố", "street_text"), ("Kinh độ (lon)", "lon"),
    ("Vĩ độ", "lat"), ("Trạng thái", "status_text"),
    ("Phương thức", None), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", None),
])
def test_header_names_offices_use(header: str, field: str | None) -> None:
    assert header_field(header) == field


@pytest.mark.parametrize(("text", "kind"), [
    ("Pano", SiteKind.PANEL), ("Pa nô", SiteKind.PANEL), ("Pa-nô", SiteKind.PANEL),
    ("pa nô", SiteKind.PANEL), ("PANÔ tấm lớn", SiteKind.PANEL),
    ("cụm pano", SiteKind.PANEL_CLUSTER), ("Cụm pa-nô", SiteKind.PANEL_CLUSTER),
    ("băng rôn", SiteKind.BANNER), ("Băng-rôn", SiteKind.BANNER), ("banner", SiteKind.BANNER),
    ("cờ dây", SiteKind.FLAG_LINE), ("Cờ phướn", SiteKind.FLAG_LINE),
    ("cờ Tổ quốc", SiteKind.NATIONAL_FLAG), ("Màn hình LED", SiteKind.LED_SCREEN),
    ("Khác", SiteKind.OTHER),
    ("cờ hồng kỳ", None), ("hoa tươi", None), ("", None),
])
def test_kind_spellings(text: str, kind: SiteKind | None) -> None:
    assert match_kind(text) == kind


@pytest.mark.parametrize(("text", "expected"), [
    ("TT VH-TT&TT", "Trung tâm Văn hoá - Thông tin và Thể thao"),
    ("TTVHTT&TT", "Trung tâm Văn hoá - Thông tin và Thể thao"),
    ("Trung tâm VHTT quận", "Trung tâm Văn hoá - Thông tin và Thể thao"),
    ("UBND P. Nhân Chính", "Ủy ban nhân dân các phường"),
    ("UBND phường Nhân Chính", "Ủy ban nhân dân các phường"),
    ("Phòng VH&TT", "Phòng Văn hoá và Thông tin"),
    ("Phòng VHTT", "Phòng Văn hoá và Thông tin"),
    ("Phòng TC-KH", "Phòng Tài chính - Kế hoạch"),
    ("BQLDA", "Ban Quản lý dự án đầu tư xây dựng"),
    ("CA quận", "Công an quận"),
    ("Phòng QLĐT", "Phòng Quản lý đô thị"),
    ("Phòng GD&ĐT", "Phòng Giáo dục và Đào tạo"),
    ("Văn phòng HĐND và UBND quận", "Văn phòng HĐND&UBND"),
    ("phong noi vu quan thanh xuan", "Phòng Nội vụ"),
])
def test_unit_abbreviations_match_the_plans_units(unit_names, text: str, expected: str) -> None:
    match = match_unit(text, unit_names)
    assert match.best is not None and match.best.startswith(expected), match
    assert not match.ambiguous


def test_ambiguous_unit_offers_candidates(unit_names) -> None:
    match = match_unit("Văn hóa", unit_names)
    assert match.best is None and match.ambiguous
    assert {re.sub(" quận$", "", c) for c in match.candidates} == {
        "Phòng Văn hoá và Thông tin", "Trung tâm Văn hoá - Thông tin và Thể thao"}


def test_unknown_unit_has_no_best(unit_names) -> None:
    match = match_unit("Sở Ngoại vụ thành phố", unit_names)
    assert match.best is None and not match.ambiguous


@pytest.mark.parametrize(("text", "size"), [
    ("3m x 6m", "3m x 6m"), ("3 x 6 m", "3 x 6 m"), ("1,2m x 2,4m", "1,2m x 2,4m"),
    ("3M X 6M", "3m x 6m"), ("1,2mx2,4m", "1,2m x 2,4m"), ("3×6  m", "3 x 6 m"),
])
def test_sizes_are_kept_as_text_lightly_normalised(text: str, size: str) -> None:
    assert normalise_size(text) == size


@pytest.mark.parametrize(("text", "period"), [
    ("25/9 - 15/10/2024", (date(2024, 9, 25), date(2024, 10, 15))),
    ("25/9/2024 - 15/10/2024", (date(2024, 9, 25), date(2024, 10, 15))),
    ("Từ 25/9 đến 15/10/2024", (date(2024, 9, 25), date(2024, 10, 15))),
    ("25/9–15/10/2024", (date(2024, 9, 25), date(2024, 10, 15))),
    ("từ ngày 01/10/2024", (date(2024, 10, 1), None)),
    ("trước 30/9/2024", (date(2024, 9, 30), None)),
    ("tháng 10/2024", (date(2024, 10, 1), date(2024, 10, 31))),
    ("Tháng 2 năm 2024", (date(2024, 2, 1), date(2024, 2, 29))),
    ("20/12 - 10/1/2025", (date(2024, 12, 20), date(2025, 1, 10))),
    ("ngày 25 tháng 9 năm 2024", (date(2024, 9, 25), None)),
    ("25.9.2024", (date(2024, 9, 25), None)),
    ("2024-09-25 00:00:00", (date(2024, 9, 25), None)),
    ("25/9", (date(2023, 9, 25), None)),  # the caller's default year
])
def test_periods(text: str, period: tuple[date, date | None]) -> None:
    assert parse_period(text, default_year=2023) == Period(*period)


@pytest.mark.parametrize("text", ["sớm", "31/9/2024", "15/10 - 25/9/2024", "tháng 13/2024",
                                  "1/9, 2/9, 3/9/2024", ""])
def test_unreadable_periods_raise_a_named_error(text: str) -> None:
    with pytest.raises(UnreadableDate) as caught:
        parse_period(text, default_year=2024)
    assert caught.value.params["text"] == text


def test_a_day_without_any_year_needs_a_default() -> None:
    with pytest.raises(UnreadableDate):
        parse_period("25/9")
