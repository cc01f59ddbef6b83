"""The printable map: one landscape A4/A3 page with title, legend, scale, north and credits."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from kehoach.adapters.print_map import PAGE_SIZES, PrintTexts, _scale_length, render_print_map
from kehoach.i18n import t
from kehoach.services.demo import load_demo
from kehoach.services.queries import load_base_layers, load_sites

TEXTS = PrintTexts(
    title="Bản đồ điểm trang trí quận Thanh Xuân — Đợt thử",
    date_line="Ngày in: 30/11/2026",
    view_line="Bộ lọc: Tất cả · 3 điểm",
    credits=f"{t('map.attribution.osm')} · {t('map.attribution.wards')}",
)


def _media_boxes(pdf: bytes) -> list[tuple[float, ...]]:
    found = re.findall(rb"/MediaBox\s*\[\s*([\d.\s]+)\]", pdf)
    return [tuple(float(v) for v in box.split()) for box in found]


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "map.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize("paper", ["A4", "A3"])
def test_print_map_is_one_landscape_page_with_title_and_credits(engine, tmp_path, paper) -> None:
    load_demo(engine)
    pdf = render_print_map(load_base_layers(engine), load_sites(engine), TEXTS, paper=paper)
    assert pdf.startswith(b"%PDF")
    (box,) = _media_boxes(pdf)  # one page
    width_pt, height_pt = box[2] - box[0], box[3] - box[1]
    expected = PAGE_SIZES[paper]
    assert width_pt > height_pt  # landscape
    assert abs(width_pt - expected[0] * 72) < 2 and abs(height_pt - expected[1] * 72) < 2
    text = _text(pdf, tmp_path)
    assert "Bản đồ điểm trang trí quận Thanh Xuân" in text
    assert "OpenStreetMap" in text and "censusVN2009" in text
    assert "Ngày in: 30/11/2026" in text
    assert "Đã hoàn thành" in text  # the legend names the statuses shown
    assert re.search(r"\d+ m\b", text)  # the scale bar's length


def test_print_map_of_a_focused_ward_is_drawn_without_sites(engine, tmp_path) -> None:
    base = load_base_layers(engine)
    bounds = [[20.99, 105.80], [21.00, 105.81]]
    pdf = render_print_map(base, load_sites(engine), TEXTS, bounds=bounds)
    assert "Ngày in" in _text(pdf, tmp_path)


def test_scale_bar_lengths_are_round() -> None:
    assert _scale_length(5200) == 1000
    assert _scale_length(900) == 100
    assert _scale_length(2600) == 500
