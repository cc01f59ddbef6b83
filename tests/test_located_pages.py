"""The "Cần định vị" section (AppTest) and the import's reading map (rendered HTML)."""

from __future__ import annotations

import shapely
from sqlalchemy import select

from kehoach.adapters.geometry import to_wgs84
from kehoach.adapters.mapview import build_map, empty_sites
from kehoach.adapters.reading_map import SOURCE_COLORS, ReadRow, add_readings
from kehoach.db.engine import read_session
from kehoach.db.models import Site
from kehoach.domain.enums import Role
from kehoach.services.queries import load_base_layers
from kehoach.services.site_import import import_file
from tests.apptest import signed_in
from tests.test_located_import import ADMIN, NT, NTU, crossing_m, office_xlsx, plan_unit


def test_staff_place_an_unplaced_site_from_the_sites_page(app_env, engine) -> None:
    import_file(engine, ADMIN, office_xlsx(plan_unit(engine)), "b.xlsx")
    with read_session(engine) as s:
        lost = s.scalar(select(Site).where(Site.geojson.is_(None)))
    at = signed_in(engine, Role.STAFF)
    at.switch_page("app_pages/sites.py").run()
    assert not at.exception
    assert any(e.label == "Cần định vị (2)" for e in at.expander)
    pick = next(b for b in at.selectbox if b.label == "Chọn điểm")
    assert pick.value == lost.id and "chưa định vị" in pick.format_func(lost.id)
    spot = to_wgs84(crossing_m(engine, NT, NTU))
    at.session_state["place_points"] = [(spot.x, spot.y)]
    next(b for b in at.button if b.label == "Lưu vị trí mới").click().run()
    assert not at.exception
    with read_session(engine) as s:
        placed = s.get(Site, lost.id)
    assert placed.location_source == "drawn"
    assert shapely.from_geojson(placed.geojson).distance(spot) < 1e-6
    assert any(e.label == "Cần định vị (1)" for e in at.expander)


def test_ward_officers_of_other_wards_and_leaders_get_no_placing_section(app_env, engine) -> None:
    import_file(engine, ADMIN, office_xlsx(plan_unit(engine)), "b.xlsx")
    at = signed_in(engine, Role.LEADER)
    at.switch_page("app_pages/sites.py").run()
    assert not any(e.label.startswith("Cần định vị") for e in at.expander)


def test_reading_map_colours_rows_by_source_and_escapes_their_text(engine) -> None:
    rows = [
        ReadRow({"type": "Point", "coordinates": [105.81, 20.99]}, "street",
                "3: <script>alert(1)</script>", "Trên phố Vũ Tông Phan — cần xác nhận", True),
        ReadRow({"type": "LineString", "coordinates": [[105.80, 20.99], [105.81, 20.995]]},
                "stretch", "2: cờ phướn", "Đoạn Nguyễn Trãi", False),
        ReadRow(None, "unplaced", "4: sân sau", "Không tìm thấy", True),
    ]
    fmap = build_map(load_base_layers(engine), empty_sites(), _options())
    html = add_readings(fmap, rows, {"street": "Theo tên phố", "stretch": "Đoạn phố"}).get_root(
    ).render()
    assert SOURCE_COLORS["street"] in html and SOURCE_COLORS["stretch"] in html
    assert "<script>alert(1)</script>" not in html
    assert "Theo tên phố" in html and "Đoạn phố" in html


def _options():
    from kehoach.adapters.mapview import MapOptions

    return MapOptions(height=300)
