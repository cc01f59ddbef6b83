"""Hostile uploads are refused while streaming: zip bombs, claimed rows, huge cells, long docs.

Each file is built here. Time and peak memory are measured in a fresh process
(tests/parse_memory.py); the bounds are the goal figures, far above what a refusal costs
(about 0.1 s and 60 MB), so a slow shared machine still passes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kehoach.adapters.plan_parser import parse_plan_file, parse_plan_text
from kehoach.adapters.summary_table import TableError, read_table
from kehoach.config import PROJECT_ROOT
from kehoach.domain.errors import NotAPlan
from tests import hostile_files as hostile

MAX_SECONDS = 5.0
MAX_PEAK_MB = 300

TABLES = {
    # a 5 KB sheet with one cell at row 20,000,000 (today: two minutes of CPU)
    "far_row": (lambda: hostile.far_row_xlsx(20_000_000),
                "bảng khai báo 20.000.000 dòng, tối đa 100.000 dòng"),
    "declared_rows": (lambda: hostile.declared_rows_xlsx(20_000_000),
                      "bảng khai báo 20.000.000 dòng, tối đa 100.000 dòng"),
    # 190 MB of sheet XML in about 0.6 MB, under the old 200 MB cap
    "bomb": (lambda: hostile.xlsx_bomb(190), "tệp giải nén lớn hơn 64 MB (khai báo 191 MB"),
    "dense_bomb": (lambda: hostile.xlsx_bomb(40), "vượt mức tối đa 100:1"),
    "long_cell": (lambda: hostile.long_cell_xlsx(600_000), "dài hơn 127 KB"),
    "many_cells": (lambda: hostile.many_cells_xlsx(700_000), "bảng có hơn 600.000 ô"),
}


@pytest.fixture(scope="module")
def table_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    files = {}
    for name, (build, _) in TABLES.items():
        files[name] = folder / f"{name}.xlsx"
        files[name].write_bytes(build())
    return files


def measure(kind: str, path: Path) -> dict:
    """Parse ``path`` in a fresh process; return seconds, peak MB and outcome."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.parse_memory", kind, str(path)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=True,
    )
    figures = json.loads(done.stdout)
    print(f"{path.name}: {figures}")  # the real figures, shown with -s
    return figures


@pytest.mark.parametrize("name", list(TABLES))
def test_hostile_table_is_refused_fast_in_little_memory_for_its_real_reason(
    table_files: dict[str, Path], name: str
) -> None:
    figures = measure("table", table_files[name])
    assert TABLES[name][1] in figures["outcome"]
    assert "lớn hơn 20 MB" not in figures["outcome"]  # not the upload-size reason
    assert figures["seconds"] <= MAX_SECONDS
    assert figures["peak_mb"] <= MAX_PEAK_MB


def test_docx_bomb_is_refused_by_the_command_fast_in_little_memory(tmp_path: Path) -> None:
    bomb = hostile.docx_bomb(tmp_path / "bomb.docx", 1000)  # 3 MB inflating to 1 GB
    assert bomb.stat().st_size < 4 * 1024 * 1024
    figures = measure("plan", bomb)
    assert figures["outcome"].startswith("exit 2: ")
    assert "tệp giải nén lớn hơn 64 MB (khai báo 1.001 MB" in figures["outcome"]
    assert figures["seconds"] <= MAX_SECONDS
    assert figures["peak_mb"] <= MAX_PEAK_MB
    done = subprocess.run([sys.executable, "-m", "kehoach", "plan", "parse", str(bomb)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "tệp giải nén lớn hơn 64 MB" in done.stderr


def test_docx_with_too_many_paragraphs_is_refused_before_python_docx(tmp_path: Path) -> None:
    path = hostile.long_docx(tmp_path / "long.docx", 25_000)
    with pytest.raises(NotAPlan, match="văn bản có hơn 20.000 đoạn"):
        parse_plan_file(path)


def test_docx_within_limits_still_reads(tmp_path: Path) -> None:
    path = hostile.long_docx(tmp_path / "fine.docx", 2_000)
    with pytest.raises(NotAPlan, match="TỔ CHỨC THỰC HIỆN"):  # read through: not a plan
        parse_plan_file(path)


def test_text_plan_with_too_many_lines_or_a_huge_line_is_refused() -> None:
    with pytest.raises(NotAPlan, match="văn bản có hơn 20.000 đoạn"):
        parse_plan_text("KẾ HOẠCH\n" + "dòng\n" * 25_000)
    with pytest.raises(NotAPlan, match="dài hơn 256 KB"):
        parse_plan_text("KẾ HOẠCH\n" + "x" * 300_000)


def test_csv_claiming_too_many_rows_is_refused() -> None:
    data = "Phường,Tuyến phố,Loại hình,Kinh độ,Vĩ độ\n".encode() + b",,,,\n" * 150_000
    with pytest.raises(TableError) as caught:
        read_table(data, "blank.csv")
    assert "bảng khai báo 150.001 dòng, tối đa 100.000 dòng" in caught.value.params["reason"]


def test_a_real_table_passes_the_limits() -> None:
    table = read_table(hostile.small_xlsx(50), "ok.xlsx")
    assert len(table.rows) == 50
