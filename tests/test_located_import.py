"""Importing offices' real summary tables: positions read from Vietnamese text.

The tables are written here in the office style (title rows, merged two-level header, group,
total and signature rows, abbreviations, crossings, stretches, house numbers, a place nobody
can find). Expected geometry comes from the shipped streets in the database (shapely
intersections), not from the locator's output.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import openpyxl
import pytest
import shapely
from shapely import LineString, Point
from sqlalchemy import Engine, select

from kehoach.adapters.geometry import from_geojson, to_metric
from kehoach.adapters.summary_table import write_table
from kehoach.cli import main
from kehoach.db.engine import read_session
from kehoach.db.models import Campaign, Site, SiteEvent, Street, Unit
from kehoach.domain.enums import ChangeSource, Role
from kehoach.domain.permissions import Actor
from kehoach.services.coverage import _installed_sites
from kehoach.services.placement import place_site_at, sites_to_place
from kehoach.services.queries import load_sites
from kehoach.services.site_export import export_sites
from kehoach.services.site_import import import_file

ADMIN = Actor(None, "tester", Role.ADMIN)
NT, KDT, NTU, VTP = ("Đường Nguyễn Trãi", "Đường Khuất Duy Tiến", "Đường Nguyễn Tuân",
                     "Phố Vũ Tông Phan")


def street_m(engine: Engine, name: str):
    with read_session(engine) as s:
        text = s.scalar(select(Street.geojson).where(Street.name == name))
    assert text is not None, name
    return to_metric(from_geojson(text))


def crossing_m(engine: Engine, a: str, b: str) -> Point:
    meeting = street_m(engine, a).intersection(street_m(engine, b))
    points = shapely.get_parts(shapely.extract_unique_points(meeting))
    return shapely.MultiPoint(list(points)).centroid


def plan_unit(engine: Engine) -> str:
    with read_session(engine) as s:
        plan_id = s.scalar(select(Campaign.plan_id).order_by(Campaign.id.desc()))
        return s.scalar(select(Unit.name).where(Unit.plan_id == plan_id).order_by(Unit.id))


TITLE = [
    ["UBND QUẬN THANH XUÂN", None, None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
    ["PHÒNG VĂN HOÁ VÀ THÔNG TIN", None, None, None, None, "Độc lập - Tự do - Hạnh phúc"],
    [],
    ["BIỂU TỔNG HỢP VỊ TRÍ ĐIỂM TRỰC QUAN NĂM 2026"],
]
HEADER = [
    ["STT", "Vị trí", "Hình thức", "Nội dung", "Kích thước", "SL", "Đơn vị thực hiện",
     "Thời gian", None, "Ghi chú"],
    [None, None, None, None, None, None, None, "Lắp đặt", "Tháo dỡ", None],
]


def office_rows(unit: str) -> list[list[object]]:
    return [
        ["I", "PHƯỜNG THANH XUÂN TRUNG"],
        [1, "Ngã tư Nguyễn Trãi - Khuất Duy Tiến", "Pa-nô", "Mừng Đảng, mừng Xuân",
         "3m x 6m", 1, unit, "25/9/2026", "15/10/2026", ""],
        [2, "Cờ phướn phố Nguyễn Trãi, đoạn Khuất Duy Tiến – Nguyễn Tuân", "Cờ phướn",
         "Cờ Tổ quốc", "", 40, unit, "25/9/2026", "15/10/2026", ""],
        [3, "Số nhà 120 đường Vũ Tông Phan", "Băng rôn", "Chào mừng", "0,8m x 10m", 2, unit,
         "", "", ""],
        [4, "Sân sau nhà văn hoá tổ 7 cụm 3", "Pa-nô", "", "", 1, unit, "", "", "chưa rõ"],
        [None, "Tổng cộng", None, None, None, 44],
        [],
        [None, None, None, None, None, None, "Người lập biểu"],
    ]


def office_xlsx(unit: str) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [*TITLE, *HEADER, *office_rows(unit)]:
        sheet.append(row)
    sheet.merge_cells("A1:E1")
    sheet.merge_cells("H5:I5")
    for column in "ABCDEFGJ":
        sheet.merge_cells(f"{column}5:{column}6")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def office_csv(unit: str) -> bytes:
    header = [["STT", "Vị trí", "Hình thức", "Nội dung", "Kích thước", "SL",
               "Đơn vị thực hiện", "Thời gian lắp đặt", "Thời gian tháo dỡ", "Ghi chú"]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([*TITLE, *header, *office_rows(unit)])
    return buffer.getvalue().encode("utf-8")


def stored(engine: Engine) -> list[Site]:
    with read_session(engine) as s:
        return list(s.scalars(select(Site).where(Site.import_key.is_not(None)).order_by(Site.id)))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_office_table_without_coordinates_is_located_on_the_streets(engine, fmt) -> None:
    unit = plan_unit(engine)
    data = office_xlsx(unit) if fmt == "xlsx" else office_csv(unit)
    report = import_file(engine, ADMIN, data, f"bieu.{fmt}")
    assert report.ok and report.committed, report.problems
    assert report.added == 4
    crossing, stretch, house, lost = stored(engine)

    assert crossing.location_source == "crossing" and not crossing.needs_confirmation
    at = to_metric(shapely.from_geojson(crossing.geojson))
    assert at.distance(crossing_m(engine, NT, KDT)) < 40
    assert (crossing.content, crossing.size) == ("Mừng Đảng, mừng Xuân", "3m x 6m")
    assert (crossing.install_on, crossing.remove_on) == (date(2026, 9, 25), date(2026, 10, 15))
    assert crossing.unit_id is not None

    line = shapely.from_geojson(stretch.geojson)
    assert isinstance(line, LineString) and stretch.location_source == "stretch"
    line_m = to_metric(line)
    assert Point(line_m.coords[0]).distance(crossing_m(engine, NT, KDT)) < 40
    assert Point(line_m.coords[-1]).distance(crossing_m(engine, NT, NTU)) < 40
    assert abs(stretch.length_m - line_m.length) < 1
    assert stretch.flags_expected == 40

    assert house.location_source == "street" and house.needs_confirmation
    assert to_metric(shapely.from_geojson(house.geojson)).distance(street_m(engine, VTP)) < 1

    assert lost.location_source == "unplaced" and lost.geojson is None and lost.lon is None
    assert lost.needs_confirmation and lost.position_text == "Sân sau nhà văn hoá tổ 7 cụm 3"


def test_the_preview_says_how_each_row_was_read_before_anything_is_stored(engine) -> None:
    report = import_file(engine, ADMIN, office_xlsx(plan_unit(engine)), "b.xlsx", dry_run=True)
    assert not report.committed and stored(engine) == []
    sources = [row.source for row in report.rows]
    assert sources == ["crossing", "stretch", "street", "unplaced"]
    assert report.rows[0].explanation == "Giao lộ Nguyễn Trãi × Khuất Duy Tiến"
    assert report.rows[1].geometry["type"] == "LineString"
    assert report.rows[3].geometry is None


def test_unplaced_sites_stay_off_the_map_and_coverage_until_placed(engine) -> None:
    import_file(engine, ADMIN, office_xlsx(plan_unit(engine)), "b.xlsx")
    lost = stored(engine)[-1]
    assert lost.id not in set(load_sites(engine)["id"])
    with read_session(engine) as s:
        cid = s.scalar(select(Campaign.id).order_by(Campaign.id.desc()))
    todo = sites_to_place(engine, ADMIN)
    assert [t.code for t in todo][:1] == [lost.code] and todo[0].unplaced
    assert {t.location_source for t in todo[1:]} == {"street"}  # guessed: to confirm

    target = crossing_m(engine, NT, NTU)
    from kehoach.adapters.geometry import to_wgs84

    spot = to_wgs84(target)
    version = place_site_at(engine, ADMIN, lost.id, lost.version, spot)
    with read_session(engine) as s:
        placed = s.get(Site, lost.id)
        events = {e.field for e in s.scalars(select(SiteEvent).where(SiteEvent.site_id == lost.id))}
    assert placed.version == version and placed.location_source == "drawn"
    assert not placed.needs_confirmation and placed.ward_id is not None
    assert {"geojson", "location_source", "needs_confirmation"} <= events
    assert lost.id in set(load_sites(engine)["id"])
    assert lost.id not in set(_installed_sites(engine, cid)["id"])  # planned, not installed


def test_confirming_a_guess_is_a_historied_edit(engine) -> None:
    import_file(engine, ADMIN, office_xlsx(plan_unit(engine)), "b.xlsx")
    house = stored(engine)[2]
    place_site_at(engine, ADMIN, house.id, house.version)
    with read_session(engine) as s:
        assert s.get(Site, house.id).needs_confirmation is False
        fields = s.scalars(select(SiteEvent.field).where(SiteEvent.site_id == house.id))
        assert "needs_confirmation" in set(fields)


def test_an_unclear_unit_is_a_problem_that_suggests_the_plan_units(engine) -> None:
    unit = plan_unit(engine)
    assert "Thông" in unit
    typo = unit.replace("Thông", "Thôg")
    report = import_file(engine, ADMIN, office_xlsx(typo), "b.xlsx")
    assert not report.committed
    messages = [p.message for p in report.problems if p.column == "Đơn vị thực hiện"]
    assert messages and "Có phải" in messages[0] and unit in messages[0]


def test_old_rules_still_reject_the_whole_file_with_row_and_column(engine) -> None:
    rows = office_rows(plan_unit(engine))
    rows[1][2] = "Khinh khí cầu"  # unknown kind
    rows[3][5] = "hai"  # not a number
    header = [["STT", "Vị trí", "Hình thức", "Nội dung", "Kích thước", "SL",
               "Đơn vị thực hiện", "Thời gian lắp đặt", "Thời gian tháo dỡ", "Ghi chú"]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([*TITLE, *header, *rows])
    report = import_file(engine, ADMIN, buffer.getvalue().encode("utf-8"), "x.csv")
    assert not report.committed and stored(engine) == []
    where = {(p.row_number, p.column) for p in report.problems}
    assert (7, "Loại hình") in where
    assert any(row == 9 for row, _ in where)


def test_an_edited_export_updates_the_same_sites_and_an_unedited_one_changes_nothing(
    engine,
) -> None:
    import_file(engine, ADMIN, office_xlsx(plan_unit(engine)), "b.xlsx")
    before = {s.code: (s.version, s.geojson) for s in stored(engine)}
    rows = export_sites(engine, ADMIN)
    again = import_file(engine, ADMIN, write_table(rows, "xlsx"), "xuat.xlsx")
    assert again.ok and again.added == 0 and again.updated == ()
    assert again.unchanged == again.skipped_existing == 4
    assert {s.code: (s.version, s.geojson) for s in stored(engine)} == before

    stretch_row = next(r for r in rows if str(r["Hình học (WKT)"]).startswith("LINESTRING"))
    stretch_row["Nội dung"] = "Nội dung mới"
    stretch_row["Số cờ đã treo"] = 12
    edited = import_file(engine, ADMIN, write_table(rows, "csv"), "xuat.csv")
    assert edited.ok, edited.problems
    [update] = edited.updated
    assert update.code == stretch_row["Mã điểm"]
    assert set(update.changes) == {"content", "flags_hung"}
    with read_session(engine) as s:
        site = s.scalar(select(Site).where(Site.code == update.code))
        events = s.scalars(select(SiteEvent).where(SiteEvent.site_id == site.id,
                                                   SiteEvent.field == "content")).all()
    assert site.geojson == before[update.code][1]  # still the same stretch
    assert shapely.from_geojson(site.geojson).geom_type == "LineString"
    assert [e.source for e in events] == [ChangeSource.IMPORT.value]


def test_a_site_edited_since_the_export_is_refused_by_its_version(engine) -> None:
    import_file(engine, ADMIN, office_xlsx(plan_unit(engine)), "b.xlsx")
    rows = export_sites(engine, ADMIN)
    house = stored(engine)[2]
    place_site_at(engine, ADMIN, house.id, house.version)  # someone confirms it meanwhile
    rows[2]["Nội dung"] = "khác"
    report = import_file(engine, ADMIN, write_table(rows, "csv"), "xuat.csv")
    assert not report.committed
    assert [p.column for p in report.problems] == ["Phiên bản"]


def test_sites_list_json_carries_the_reading(engine, db_url, monkeypatch, capsys) -> None:
    import_file(engine, ADMIN, office_xlsx(plan_unit(engine)), "b.xlsx")
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["sites", "list", "--json"]) == 0
    listed = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    lost = listed[stored(engine)[-1].code]
    assert lost["location_source"] == "unplaced" and lost["geometry"] is None
    assert lost["needs_confirmation"] is True
    flags = listed[stored(engine)[1].code]
    assert flags["flags_expected"] == 40 and flags["install_on"] == "2026-09-25"
    assert {"position_text", "content", "size", "remove_on"} <= set(flags)




def test_a_stretch_survives_export_and_import_into_another_database(
    engine, template_db, tmp_path
) -> None:
    from tests.test_summary_table import clone_template

    import_file(engine, ADMIN, office_xlsx(plan_unit(engine)), "b.xlsx")
    rows = export_sites(engine, ADMIN)
    other = clone_template(template_db, tmp_path / "other.db")
    try:
        report = import_file(other, ADMIN, write_table(rows, "csv"), "xuat.csv")
        assert report.ok and report.added == 4, report.problems
        with read_session(other) as s:
            copies = {site.code: site for site in s.scalars(select(Site))}
    finally:
        other.dispose()
    for original in stored(engine):
        copy = copies[original.code]
        assert copy.geojson == original.geojson and copy.length_m == original.length_m
        assert (copy.content, copy.size, copy.install_on, copy.flags_expected) == (
            original.content, original.size, original.install_on, original.flags_expected)
    assert shapely.from_geojson(copies[stored(engine)[1].code].geojson).geom_type == "LineString"
    assert copies[stored(engine)[3].code].geojson is None  # still waiting to be placed


def test_the_apps_own_columns_locate_rows_without_coordinates_and_keep_given_ones(engine) -> None:
    from tests.factories import point_on_street

    given = point_on_street(NTU, 0.5)
    header = ["Phường", "Tuyến phố", "Vị trí (địa chỉ)", "Loại hình", "Số lượng", "Kinh độ",
              "Vĩ độ"]
    rows = [
        ["", "", "Ngã tư Nguyễn Trãi - Khuất Duy Tiến", "Pa-nô", 1, "", ""],
        # Coordinates win over a position text that names another place.
        ["", "", "Ngã tư Nguyễn Trãi - Khuất Duy Tiến (cột 2)", "Pa-nô", 1, *given],
        ["", "", "Cờ phướn phố Nguyễn Trãi, đoạn Khuất Duy Tiến – Nguyễn Tuân", "Cờ phướn",
         30, "", ""],
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    report = import_file(engine, ADMIN, buffer.getvalue().encode("utf-8"), "own.csv")
    assert report.ok and report.added == 3, report.problems
    crossing, kept, flags = stored(engine)
    assert crossing.location_source == "crossing"
    assert to_metric(shapely.from_geojson(crossing.geojson)).distance(
        crossing_m(engine, NT, KDT)) < 40
    assert kept.location_source == "coordinates"
    assert (kept.lon, kept.lat) == pytest.approx(given, abs=1e-6)
    assert flags.location_source == "stretch" and flags.flags_expected == 30
    assert shapely.from_geojson(flags.geojson).geom_type == "LineString"


def test_cli_reports_what_a_reimport_changed(engine, db_url, monkeypatch, capsys, tmp_path):
    import_file(engine, ADMIN, office_xlsx(plan_unit(engine)), "b.xlsx")
    rows = export_sites(engine, ADMIN)
    rows[0]["Kích thước"] = "4m x 8m"
    path = tmp_path / "xuat.csv"
    path.write_bytes(write_table(rows, "csv"))
    monkeypatch.setenv("DATABASE_URL", db_url)
    capsys.readouterr()
    assert main(["sites", "import", str(path)]) == 0
    assert f"{rows[0]['Mã điểm']}: size" in capsys.readouterr().out
    with read_session(engine) as s:
        site = s.scalar(select(Site).where(Site.code == rows[0]["Mã điểm"]))
        sources = set(s.scalars(select(SiteEvent.source).where(SiteEvent.site_id == site.id,
                                                               SiteEvent.field == "size")))
    assert site.size == "4m x 8m" and sources == {"cli"}


@pytest.mark.parametrize("role", [Role.LEADER, Role.INSPECTOR])
def test_roles_that_do_not_edit_sites_may_not_place_them(engine, role) -> None:
    from kehoach.domain.errors import PermissionDenied

    import_file(engine, ADMIN, office_xlsx(plan_unit(engine)), "b.xlsx")
    lost = stored(engine)[-1]
    other = Actor(None, "x", role)
    with pytest.raises(PermissionDenied):
        sites_to_place(engine, other)
    with pytest.raises(PermissionDenied):
        place_site_at(engine, other, lost.id, lost.version, to_wgs84_point(engine))
    assert stored(engine)[-1].geojson is None


def to_wgs84_point(engine: Engine):
    from kehoach.adapters.geometry import to_wgs84

    return to_wgs84(crossing_m(engine, NT, NTU))
