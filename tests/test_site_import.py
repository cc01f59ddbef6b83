"""The import use case checks a file once per file, user and data; exports need a role."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from sqlalchemy import Engine

from kehoach.adapters.summary_table import (
    COLUMNS,
    Cell,
    TableError,
    cell_text,
    parse_number,
    read_table,
    write_table,
)
from kehoach.domain.enums import Role, SiteKind
from kehoach.domain.errors import PermissionDenied
from kehoach.domain.permissions import EXPORTERS, Actor
from kehoach.services import site_export, site_import
from kehoach.services.site_import import check_file, commit_import, import_file
from kehoach.services.sites import NewSite, create_site
from tests.test_summary_table import ADMIN, make_row, site_count, street_points, to_csv


class Calls:
    """Count the calls of a real function while still running it (a spy, not a fake)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> None:
        self.count = 0
        real: Callable[..., Any] = getattr(module, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)


@pytest.fixture
def spies(monkeypatch: pytest.MonkeyPatch) -> tuple[Calls, Calls]:
    return (Calls(monkeypatch, site_import, "read_table"),
            Calls(monkeypatch, site_import, "validate_rows"))


def test_dry_run_rerun_and_commit_read_and_check_the_file_once(engine, spies) -> None:
    reads, checks = spies
    data = to_csv([make_row(p) for p in street_points(engine, "Đường Nguyễn Trãi", 3)])
    first = import_file(engine, ADMIN, data, "a.csv", dry_run=True)
    again = import_file(engine, ADMIN, data, "a.csv", dry_run=True)  # the page reruns
    assert (first.to_add, again.to_add) == (3, 3)
    done = import_file(engine, ADMIN, data, "a.csv")
    assert (done.committed, done.added) == (True, 3)
    assert (reads.count, checks.count) == (1, 1)
    assert site_count(engine) == 3


def test_changed_data_or_another_user_checks_the_file_again(engine, spies) -> None:
    reads, checks = spies
    points = street_points(engine, "Đường Nguyễn Trãi", 3)
    data = to_csv([make_row(p) for p in points[:2]])
    assert import_file(engine, ADMIN, data, "a.csv", dry_run=True).to_add == 2
    lon, lat, _ = points[0]
    create_site(engine, ADMIN, NewSite(kind=SiteKind.PANEL, lon=lon, lat=lat,
                                       address=f"Vỉa hè gần {lon:.5f}"))
    report = import_file(engine, ADMIN, data, "a.csv", dry_run=True)
    assert (report.to_add, report.skipped_existing) == (1, 1)  # the new site is seen
    assert checks.count == 2
    staff = Actor(None, "canbo", Role.STAFF)
    assert import_file(engine, staff, data, "a.csv", dry_run=True).to_add == 1
    assert (reads.count, checks.count) == (3, 3)


def test_commit_of_a_kept_plan_skips_rows_stored_since_the_check(engine) -> None:
    points = street_points(engine, "Đường Nguyễn Trãi", 3)
    plan = check_file(engine, ADMIN, to_csv([make_row(p) for p in points]), "a.csv").plan
    assert import_file(engine, ADMIN, to_csv([make_row(points[1])]), "b.csv").added == 1
    result = commit_import(engine, ADMIN, plan)
    assert (result.added, result.skipped_existing) == (2, 1)
    assert site_count(engine) == 3


def test_a_refused_file_is_read_once(engine, spies) -> None:
    reads, _ = spies
    for _ in range(3):
        with pytest.raises(TableError) as caught:
            import_file(engine, ADMIN, b"a,b,c\n1,2,3\n", "x.csv", dry_run=True)
        assert "không tìm thấy dòng tiêu đề" in caught.value.params["reason"]
    assert reads.count == 1


def test_import_refuses_a_role_that_cannot_edit_sites(engine) -> None:
    data = to_csv([make_row(street_points(engine, "Đường Nguyễn Trãi", 1)[0])])
    for role in (Role.INSPECTOR, Role.LEADER):
        with pytest.raises(PermissionDenied):
            check_file(engine, Actor(None, "x", role), data, "a.csv")
    assert site_count(engine) == 0


# --- export ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(EXPORTERS))
def test_every_signed_in_role_may_export(engine, role: Role) -> None:
    import_file(engine, ADMIN, to_csv([make_row(street_points(engine, "Đường Nguyễn Trãi",
                                                              1)[0])]), "a.csv")
    actor = Actor(None, "x", role)
    assert len(site_export.export_sites(engine, actor)) == 1
    assert len(site_export.export_site_records(engine, actor)) == 1
    assert site_export.count_exportable(engine, actor) == 1


def test_an_unknown_role_may_not_export(engine) -> None:
    stranger = Actor(None, "x", "guest")  # type: ignore[arg-type]
    for export in (site_export.export_sites, site_export.export_site_records,
                   site_export.count_exportable):
        with pytest.raises(PermissionDenied):
            export(engine, stranger)


def test_count_exportable_leaves_out_demo_sites_when_asked(engine: Engine) -> None:
    from kehoach.services.demo import load_demo

    demo = load_demo(engine)
    assert site_export.count_exportable(engine, ADMIN, include_demo=True) == demo
    assert site_export.count_exportable(engine, ADMIN, include_demo=False) == 0
    assert len(site_export.export_sites(engine, ADMIN, include_demo=True)) == demo


def _synthetic_rows(n: int) -> list[dict[str, object]]:
    return [
        {"STT": i, "Phường": f"Phường {i % 11}", "Tuyến phố": f"Phố {i % 97}",
         "Vị trí (địa chỉ)": f"=Số {i}" if i % 500 == 0 else f"Số {i}, ngõ {i % 13}",
         "Loại hình": "Pa-nô", "Số lượng": 1 + i % 5, "Đơn vị thực hiện": "UBND phường",
         "Trạng thái": "Chưa triển khai", "Kinh độ": round(105.8 + i * 1e-6, 6),
         "Vĩ độ": round(20.99 + i * 1e-6, 6), "Ghi chú": "" if i % 3 else f"ghi chú {i}"}
        for i in range(1, n + 1)
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_two_thousand_exported_rows_read_back_the_same(fmt: str) -> None:
    rows = _synthetic_rows(2000)
    raw = read_table(write_table(rows, fmt), f"xuat.{fmt}")
    assert raw.columns == COLUMNS and len(raw.rows) == 2000
    for row, read in zip(rows, raw.rows, strict=True):
        assert {k: _as_read(k, v) for k, v in read.cells.items()} == {
            k: _as_read(k, row.get(k)) for k in COLUMNS  # type: ignore[arg-type]
        }
    assert raw.rows[499].cells["Vị trí (địa chỉ)"] == "'=Số 500"  # quoted in the file


def _as_read(column: str, value: Cell) -> object:
    """Return a cell as the import understands it (numbers as numbers, text unquoted)."""
    if column in ("STT", "Số lượng", "Kinh độ", "Vĩ độ"):
        return parse_number(value)
    return cell_text(value)


def test_xlsx_export_streams_a_bold_frozen_header_and_coordinate_format() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(write_table(_synthetic_rows(3)))).active
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"
    lat = sheet.cell(row=4, column=COLUMNS.index("Vĩ độ") + 1)
    assert (lat.value, lat.number_format) == (20.990003, "0.000000")
    assert sheet.column_dimensions["D"].width == 40
