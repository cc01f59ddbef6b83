"""The summary table (biểu tổng hợp): reading, row checks, all-or-nothing import, export."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import openpyxl
import pytest
import shapely
from shapely.geometry import shape
from sqlalchemy import Engine, func, select

from kehoach.adapters import summary_table as st
from kehoach.adapters.summary_table import (
    COLUMNS,
    TableError,
    read_table,
    template_xlsx,
    write_table,
)
from kehoach.cli import main
from kehoach.config import GEO_DIR
from kehoach.db.engine import make_engine, read_session
from kehoach.db.models import Site, SiteEvent, Street, Ward
from kehoach.domain.enums import Role, SiteKind, SiteStatus
from kehoach.domain.errors import PermissionDenied
from kehoach.domain.permissions import Actor
from kehoach.domain.text import name_key
from kehoach.i18n import label
from kehoach.services.geography import spatial_index
from kehoach.services.site_export import export_sites
from kehoach.services.site_import import ImportReport, import_file
from kehoach.services.site_validation import validate_rows
from kehoach.services.sites import NewSite, create_site

ADMIN = Actor(None, "tester", Role.ADMIN)


# --- helpers -------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _street_line(name: str) -> shapely.Geometry:
    features = json.loads((GEO_DIR / "streets.geojson").read_text(encoding="utf-8"))["features"]
    return next(shape(f["geometry"]) for f in features if f["properties"]["name"] == name)


def street_points(engine: Engine, name: str, count: int) -> list[tuple[float, float, str]]:
    """Return points (lon, lat, ward name) on a real street, inside the district and a ward."""
    line = _street_line(name)
    index = spatial_index(engine)
    with read_session(engine) as s:
        wards = {w.id: w.name for w in s.scalars(select(Ward))}
    points: list[tuple[float, float, str]] = []
    for step in range(200):
        p = line.interpolate((0.05 + step * 0.37) % 1, normalized=True)  # spread along it
        lon, lat = round(p.x, 6), round(p.y, 6)
        ward_id = index.ward_at(lon, lat)
        if index.contains(lon, lat) and ward_id is not None:
            points.append((lon, lat, wards[ward_id]))
        if len(points) == count:
            return points
    raise AssertionError(f"not enough points on {name}")


def make_row(point: tuple[float, float, str], **cells: object) -> dict[str, object]:
    """Build a valid table row at ``point`` (Nguyễn Trãi), overriding some cells."""
    lon, lat, ward = point
    row: dict[str, object] = {
        "STT": 1, "Phường": ward, "Tuyến phố": "Nguyễn Trãi",
        "Vị trí (địa chỉ)": f"Vỉa hè gần {lon:.5f}", "Loại hình": "Pa-nô", "Số lượng": 1,
        "Đơn vị thực hiện": "Trung tâm Văn hoá - Thông tin và Thể thao quận",
        "Trạng thái": "Chưa triển khai", "Kinh độ": lon, "Vĩ độ": lat, "Ghi chú": "",
    }
    row.update(cells)
    return row


def to_csv(rows: Sequence[Mapping[str, object]], headers: Sequence[str] = COLUMNS,
           keys: Sequence[str] = COLUMNS, delimiter: str = ",", bom: bool = True) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if row.get(k) is None else row.get(k) for k in keys])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: Sequence[Mapping[str, object]], headers: Sequence[str] = COLUMNS,
            keys: Sequence[str] = COLUMNS, before: Sequence[Sequence[object]] = ()) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for line in before:
        sheet.append(list(line))
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(k) for k in keys])
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a text cell, as a user who typed '= would have
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def site_count(engine: Engine) -> int:
    with read_session(engine) as s:
        return int(s.scalar(select(func.count()).select_from(Site)) or 0)


def problems_of(report: ImportReport) -> list[tuple[int, str, str]]:
    return [(p.row_number, p.column, p.message) for p in report.problems]


def clone_template(template_db: Path, target: Path) -> Engine:
    """Return an engine on another fresh copy of the initialised template database."""
    with sqlite3.connect(template_db) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return make_engine(f"sqlite:///{target}")


@pytest.fixture
def points(engine: Engine) -> list[tuple[float, float, str]]:
    return street_points(engine, "Đường Nguyễn Trãi", 6)


@pytest.fixture
def other_engine(template_db: Path, tmp_path: Path) -> Iterator[Engine]:
    eng = clone_template(template_db, tmp_path / "other.db")
    yield eng
    eng.dispose()


# --- reading -------------------------------------------------------------------------------


def test_headers_without_diacritics_any_case_shuffled_and_aliases() -> None:
    headers = ["vi do", "KINH DO", "Loai hinh", "phuong", "tuyen  pho", "Dia chi", "Don vi",
               "ghi chu"]
    keys = ["Vĩ độ", "Kinh độ", "Loại hình", "Phường", "Tuyến phố", "Vị trí (địa chỉ)",
            "Đơn vị thực hiện", "Ghi chú"]
    row = {"Vĩ độ": "20,99", "Kinh độ": "105,8", "Loại hình": "pano", "Phường": "Kim Giang",
           "Tuyến phố": "x", "Vị trí (địa chỉ)": "a", "Đơn vị thực hiện": "b", "Ghi chú": "c"}
    raw = read_table(to_csv([row], headers, keys, delimiter=";", bom=False), "a.csv")
    assert raw.fmt == "csv"
    assert raw.columns == tuple(keys)
    assert raw.rows[0].number == 2
    assert raw.rows[0].cells["Kinh độ"] == "105,8"

    aliased = ["Lat", "Longitude", "Phường", "Tuyến phố", "Loại hình", "Kinh độ (lon)"]
    found = [st.match_header(h) for h in aliased]
    assert found == ["Vĩ độ", "Kinh độ", "Phường", "Tuyến phố", "Loại hình", "Kinh độ"]


def test_xlsx_header_found_below_title_rows_and_row_numbers_match_sheet(points) -> None:
    rows = [make_row(points[0]), {}, make_row(points[1])]
    title = [["BIỂU TỔNG HỢP VỊ TRÍ ĐIỂM TRỰC QUAN"], ["(Kèm theo Kế hoạch)"]]
    raw = read_table(to_xlsx(rows, before=title), "bieu.xlsx")
    assert raw.fmt == "xlsx"
    assert raw.header_row == 3
    assert [r.number for r in raw.rows] == [4, 6]  # the empty sheet row 5 is skipped
    assert raw.rows[0].cells["Kinh độ"] == points[0][0]


def test_name_key_equates_old_and_new_tone_placement() -> None:
    assert name_key("Hoàng Đạo Thuý") == name_key("Phố Hoàng Đạo Thúy")
    assert name_key("Nguỵ Như Kon Tum") == name_key("Phố Ngụy Như Kon Tum")
    assert name_key("Nhân Hoà") == name_key("Phố Nhân Hòa")


def test_old_tone_placement_street_matches(engine: Engine) -> None:
    point = street_points(engine, "Phố Hoàng Đạo Thúy", 1)[0]
    row = make_row(point, **{"Tuyến phố": "Hoàng Đạo Thuý"})
    raw = read_table(to_csv([row]), "a.csv")
    with read_session(engine) as s:
        plan = validate_rows(s, raw, spatial_index(engine), ADMIN)
        street_id = s.scalar(select(Street.id).where(Street.name == "Phố Hoàng Đạo Thúy"))
    assert plan.ok, plan.problems
    assert plan.rows[0].new.street_id == street_id


# --- rejected rows: clear Vietnamese problems, nothing stored --------------------------------


BAD_ROWS = [
    ("outside", {"Kinh độ": 105.70, "Vĩ độ": 21.03}, "Kinh độ", "nằm ngoài địa bàn"),
    ("swapped", "swap", "Kinh độ", "đổi chỗ"),
    ("not a number", {"Kinh độ": "105.8a"}, "Kinh độ", "không phải là số"),
    ("empty latitude", {"Vĩ độ": ""}, "Vĩ độ", "Ô trống"),
    ("unknown street", {"Tuyến phố": "Phố Không Có Thật"}, "Tuyến phố", "Không tìm thấy tuyến"),
    ("unknown ward", {"Phường": "Hàng Bạc"}, "Phường", "Không có phường «Hàng Bạc»"),
    ("unknown kind", {"Loại hình": "Tượng đài"}, "Loại hình", "Loại hình «Tượng đài»"),
    ("unknown status", {"Trạng thái": "Sắp làm"}, "Trạng thái", "Trạng thái «Sắp làm»"),
    ("bad quantity", {"Số lượng": "-2"}, "Số lượng", "số nguyên dương"),
    ("unknown unit", {"Đơn vị thực hiện": "Sở Ngoại vụ"}, "Đơn vị thực hiện", "Không tìm thấy"),
]


@pytest.mark.parametrize(("case", "cells", "column", "message"), BAD_ROWS,
                         ids=[c[0] for c in BAD_ROWS])
def test_bad_row_is_listed_and_nothing_is_stored(engine, points, case, cells, column,
                                                 message) -> None:
    if cells == "swap":
        cells = {"Kinh độ": points[1][1], "Vĩ độ": points[1][0]}
    rows = [make_row(points[0]), make_row(points[1], **cells)]
    before = site_count(engine)
    report = import_file(engine, ADMIN, to_csv(rows), "bieu.csv")
    assert not report.committed
    assert len(report.problems) == 1, problems_of(report)
    problem = report.problems[0]
    assert (problem.row_number, problem.column) == (3, column)
    assert message in problem.message
    assert str(problem).startswith(f"Dòng 3, cột {column}: ")
    assert site_count(engine) == before


def test_duplicate_rows_in_the_file_are_refused(engine, points) -> None:
    row = make_row(points[0], **{"Tuyến phố": "đường nguyễn trãi"})
    report = import_file(engine, ADMIN, to_csv([row, make_row(points[1]), row]), "d.csv")
    assert problems_of(report) == [
        (4, "Vị trí (địa chỉ)",
         "Trùng với dòng 2 (cùng phường, tuyến phố, vị trí, loại hình và toạ độ).")
    ]
    assert site_count(engine) == 0


def _xlsx_bytes() -> bytes:
    return to_xlsx([{"Phường": "Kim Giang"}])


FILE_ERRORS = [
    ("empty", lambda: b"", "rỗng"),
    ("truncated xlsx", lambda: _xlsx_bytes()[: len(_xlsx_bytes()) // 2], "bị hỏng"),
    ("encrypted", lambda: bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 4096, "mật khẩu"),
    ("png renamed", lambda: b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "không phải là bảng tính"),
    ("pdf renamed", lambda: b"%PDF-1.7\n" + b"x" * 100, "tài liệu PDF"),
    ("word as xlsx", lambda: _zip_without_workbook(), "không phải bảng tính Excel"),
    ("missing columns", lambda: to_csv([{}], ["STT", "Phường", "Tuyến phố", "Loại hình",
                                             "Ghi chú"]), "thiếu các cột bắt buộc: Kinh độ, Vĩ độ"),
    ("no header", lambda: b"a,b,c\n1,2,3\n", "không tìm thấy dòng tiêu đề"),
    ("header only", lambda: to_csv([]), "không có dòng dữ liệu"),
]


def _zip_without_workbook() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("case", "make", "reason"), FILE_ERRORS, ids=[c[0] for c in FILE_ERRORS])
def test_bad_file_is_refused_with_a_reason(engine, case, make, reason) -> None:
    with pytest.raises(TableError) as caught:
        import_file(engine, ADMIN, make(), "bieu.xlsx")
    assert reason in caught.value.params["reason"]
    assert caught.value.code == "error.table"
    assert site_count(engine) == 0


def test_fifty_thousand_rows_are_refused(engine) -> None:
    line = "1,Kim Giang,Nguyễn Trãi,x,Pa-nô,1,,,105.8,20.99,\r\n"
    data = (",".join(COLUMNS) + "\r\n" + line * 50_000).encode("utf-8")
    with pytest.raises(TableError) as caught:
        import_file(engine, ADMIN, data, "lon.csv")
    assert "hơn 20.000 dòng" in caught.value.params["reason"]
    assert site_count(engine) == 0


def test_html_and_formula_are_stored_as_text_and_exported_quoted(engine, points) -> None:
    formula = '=HYPERLINK("http://evil.example","bấm")'
    html = "<script>alert('x')</script> & <b>đậm</b>"
    rows = [make_row(points[0], **{"Vị trí (địa chỉ)": formula, "Ghi chú": html})]
    report = import_file(engine, ADMIN, to_xlsx(rows), "bieu.xlsx")
    assert report.added == 1, problems_of(report)
    with read_session(engine) as s:
        site = s.scalars(select(Site)).one()
    assert (site.address, site.note) == (formula, html)

    exported = export_sites(engine, ADMIN)
    assert exported[0]["Vị trí (địa chỉ)"] == formula
    csv_text = write_table(exported, "csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    sheet = openpyxl.load_workbook(io.BytesIO(write_table(exported, "xlsx"))).active
    assert sheet.cell(row=2, column=COLUMNS.index("Vị trí (địa chỉ)") + 1).value == "'" + formula
    assert all(not str(c.value).startswith("=") for r in sheet.iter_rows() for c in r if c.value)


def test_formula_prefixes_are_quoted() -> None:
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert st.safe_text(text) == "'" + text
    assert st.safe_text("Nguyễn Trãi") == "Nguyễn Trãi"


# --- valid imports ---------------------------------------------------------------------------


def test_valid_file_imports_every_row_with_one_created_event(engine, points) -> None:
    rows = [
        make_row(points[0]),
        make_row(points[1], **{"Loại hình": "Cờ Tổ quốc", "Số lượng": 20,
                               "Trạng thái": "da hoan thanh", "Đơn vị thực hiện": "UBND phường"}),
        make_row(points[2], **{"Tuyến phố": "", "Loại hình": "bang ron",
                               "Phường": f"Phường {points[2][2]}", "Đơn vị thực hiện": ""}),
    ]
    report = import_file(engine, ADMIN, to_xlsx(rows), "bieu.xlsx")
    assert report.ok, problems_of(report)
    assert (report.added, report.skipped_existing, report.total_rows) == (3, 0, 3)
    assert len(report.preview) == 3
    with read_session(engine) as s:
        sites = s.scalars(select(Site).order_by(Site.id)).all()
        events = s.scalars(select(SiteEvent)).all()
        wards = {w.id: w.name for w in s.scalars(select(Ward))}
        nguyen_trai = s.scalar(select(Street.id).where(Street.name == "Đường Nguyễn Trãi"))
    assert [x.kind for x in sites] == ["panel", "national_flag", "banner"]
    assert [wards[x.ward_id] for x in sites] == [p[2] for p in points[:3]]
    assert sites[0].street_id == nguyen_trai
    assert sites[2].street_id == nguyen_trai  # empty street: nearest one to the point
    assert (sites[1].quantity, sites[1].status) == (20, "installed")
    assert sites[1].unit_id is not None and sites[2].unit_id is None
    assert all(x.import_key and len(x.import_key) == 64 for x in sites)
    assert sorted((e.site_id, e.action, e.source) for e in events) == [
        (x.id, "created", "import") for x in sites
    ]


def test_importing_the_same_file_twice_adds_nothing(engine, points) -> None:
    data = to_csv([make_row(p) for p in points[:3]])
    assert import_file(engine, ADMIN, data, "a.csv").added == 3
    again = import_file(engine, ADMIN, data, "a.csv")
    assert (again.added, again.skipped_existing, again.ok) == (0, 3, True)
    assert site_count(engine) == 3


def test_dry_run_stores_nothing(engine, points) -> None:
    report = import_file(engine, ADMIN, to_csv([make_row(p) for p in points[:2]]), "a.csv",
                         dry_run=True)
    assert (report.to_add, report.added, report.committed) == (2, 0, False)
    assert report.preview[0]["Loại hình"] == "Pa-nô"
    assert site_count(engine) == 0


def test_progress_is_reported_every_200_rows(engine, points) -> None:
    rows = [make_row(points[0], **{"Vị trí (địa chỉ)": f"số {i}"}) for i in range(450)]
    calls: list[tuple[int, int]] = []
    report = import_file(engine, ADMIN, to_csv(rows), "a.csv", dry_run=True,
                         on_progress=lambda done, total: calls.append((done, total)))
    assert report.ok and report.to_add == 450
    assert calls == [(200, 450), (400, 450), (450, 450)]


def test_ward_officer_imports_only_their_ward(engine, points) -> None:
    with read_session(engine) as s:
        own = s.scalar(select(Ward.id).where(Ward.name == points[0][2]))
    other = make_row(points[1], **{"Phường": "Kim Giang" if points[0][2] != "Kim Giang"
                                   else "Hạ Đình"})
    officer = Actor(None, "phuong", Role.WARD_OFFICER, ward_id=own)
    report = import_file(engine, officer, to_csv([make_row(points[0]), other]), "a.csv")
    assert [(p.row_number, p.column) for p in report.problems] == [(3, "Phường")]
    assert site_count(engine) == 0
    with pytest.raises(PermissionDenied):
        import_file(engine, Actor(None, "kt", Role.INSPECTOR), to_csv([other]), "a.csv")


# --- export and round trip -------------------------------------------------------------------


def _comparable(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{k: v for k, v in r.items() if k != "STT"} for r in rows]


def test_export_then_import_recreates_the_sites(engine, other_engine, points) -> None:
    kinds, statuses = list(SiteKind), list(SiteStatus)
    rows = [
        make_row(p, **{"Loại hình": label(kinds[i]), "Trạng thái": label(statuses[i % 5]),
                       "Số lượng": i + 1, "Ghi chú": f"<i>ghi chú {i}</i>",
                       "Đơn vị thực hiện": "Phòng Văn hóa" if i % 2 else ""})
        for i, p in enumerate(points[:5])
    ]
    assert import_file(engine, ADMIN, to_csv(rows), "a.csv").added == 5
    kdt = street_points(engine, "Đường Khuất Duy Tiến", 1)[0]
    create_site(engine, ADMIN, NewSite(kind=SiteKind.PANEL, lon=kdt[0], lat=kdt[1],
                                       address="Made in the UI", note="-chú ý"))
    exported = export_sites(engine, ADMIN)
    assert len(exported) == 6
    assert exported[5]["Tuyến phố"] == "Đường Khuất Duy Tiến"
    data = write_table(exported, "xlsx")

    report = import_file(other_engine, ADMIN, data, "export.xlsx")
    assert report.added == 6, problems_of(report)
    assert _comparable(export_sites(other_engine, ADMIN)) == _comparable(exported)

    again = import_file(engine, ADMIN, data, "export.xlsx")
    assert (again.added, again.skipped_existing) == (0, 6)
    csv_again = import_file(engine, ADMIN, write_table(exported, "csv"), "export.csv")
    assert (csv_again.added, csv_again.skipped_existing) == (0, 6)


def test_xlsx_export_has_bold_frozen_header_and_numbers(engine, points) -> None:
    import_file(engine, ADMIN, to_csv([make_row(points[0])]), "a.csv")
    sheet = openpyxl.load_workbook(io.BytesIO(write_table(export_sites(engine, ADMIN)))).active
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"
    lon = sheet.cell(row=2, column=COLUMNS.index("Kinh độ") + 1)
    assert lon.value == points[0][0] and lon.number_format == "0.000000"


def test_template_has_headers_and_a_guide() -> None:
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    assert book.sheetnames[1] == "Hướng dẫn"
    assert [c.value for c in book.worksheets[0][1]] == list(COLUMNS)
    guide = {c.value for row in book["Hướng dẫn"].iter_rows() for c in row if c.value}
    assert {label(k) for k in SiteKind} | {label(s) for s in SiteStatus} <= guide
    with pytest.raises(TableError, match="no_rows"):
        read_table(template_xlsx(), "mau.xlsx")


# --- command line ----------------------------------------------------------------------------


def test_cli_import_rejects_with_row_problems(db_url, engine, points, tmp_path, monkeypatch,
                                              capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(to_csv([make_row(points[0]), make_row(points[1], **{"Kinh độ": "abc"})]))
    assert main(["sites", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "Dòng 3, cột Kinh độ: «abc» không phải là số" in err
    assert "chưa nhập dòng nào" in err
    assert site_count(engine) == 0

    png = tmp_path / "anh.xlsx"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    assert main(["sites", "import", str(png)]) == 1
    assert "không phải là bảng tính" in capsys.readouterr().err


def test_cli_import_dry_run_then_import_list_and_export(db_url, engine, points, tmp_path,
                                                        monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    good = tmp_path / "good.xlsx"
    good.write_bytes(to_xlsx([make_row(p) for p in points[:2]]))
    assert main(["sites", "import", str(good), "--dry-run"]) == 0
    assert "Chạy thử" in capsys.readouterr().out
    assert site_count(engine) == 0

    assert main(["sites", "import", str(good)]) == 0
    assert "Đã nhập 2 điểm mới" in capsys.readouterr().out
    with read_session(engine) as s:
        assert set(s.scalars(select(SiteEvent.source))) == {"cli"}
        assert set(s.scalars(select(SiteEvent.username))) == {"cli"}

    assert main(["sites", "list", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == 2
    assert set(records[0]) == {"id", "code", "kind", "status", "street", "ward", "unit",
                               "geometry", "version", "is_demo", "position_text",
                               "location_source", "needs_confirmation", "flags_expected",
                               "content", "size", "install_on", "remove_on", "approval"}
    assert records[0]["geometry"]["type"] == "Point"
    assert records[0]["street"] == "Đường Nguyễn Trãi" and records[0]["is_demo"] is False

    out = tmp_path / "xuat.csv"
    assert main(["sites", "export", "--out", str(out)]) == 0
    assert "Đã xuất 2 điểm" in capsys.readouterr().out
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert main(["sites", "import", str(out), "--user", "nobody"]) == 2
    capsys.readouterr()


def _cp1258_char(char: str) -> str:
    """Spell a character as Windows-1258 does: precomposed letter plus a combining tone."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    parts = unicodedata.normalize("NFD", char)
    base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
    return base + "".join(c for c in parts if c in tones)


def test_windows_vietnamese_csv_with_semicolons_and_comma_decimals(engine, points) -> None:
    lon, lat, ward = points[0]
    text = (";".join(COLUMNS) + "\r\n"
            + f"1;{ward};Nguyễn Trãi;Số 1;Cụm pa-nô;2;;Đang lắp đặt;"
            + f"{lon:.6f};{lat:.6f};Ghi chú\r\n".replace(".", ","))
    data = "".join(_cp1258_char(c) for c in text).encode("cp1258")
    report = import_file(engine, ADMIN, data, "windows.csv")
    assert report.added == 1, problems_of(report)
    row = export_sites(engine, ADMIN)[0]
    assert (row["Phường"], row["Loại hình"], row["Trạng thái"], row["Ghi chú"]) == (
        ward, "Cụm pa-nô", "Đang lắp đặt", "Ghi chú")
    assert (row["Kinh độ"], row["Vĩ độ"]) == (lon, lat)
