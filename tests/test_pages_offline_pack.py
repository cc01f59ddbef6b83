"""AppTest of the inspection page's offline pack panel (headless, real database)."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from kehoach.domain.enums import Role, SiteStatus
from tests.apptest import APP, TIMEOUT
from tests.factories import make_site, make_user, point_on_street, street_id

NT = "Đường Nguyễn Trãi"


@pytest.fixture(autouse=True)
def pack_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEHOACH_PACK_KEY", "khoa-thu-nghiem-goi-kiem-tra")


def test_inspector_makes_a_street_pack_on_the_page(app_env, engine) -> None:
    lon, lat = point_on_street(NT, 0.4)
    site_id = make_site(engine, lon=lon, lat=lat, status=SiteStatus.INSTALLED)
    inspector = make_user(engine, "kiemtra", Role.INSPECTOR)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["user_id"] = inspector.id
    at.switch_page("app_pages/inspect.py").run()
    assert not at.exception
    at.radio(key="offline_by").set_value("street").run()
    at.selectbox(key="offline_street").set_value(street_id(engine, NT)).run()
    at.button(key="offline_make").click().run()
    assert not at.exception and not at.error
    built = at.session_state["offline_pack_built"]
    data = json.loads(built["html"].split('id="pack-data">', 1)[1].split("</script>", 1)[0])
    assert [s["id"] for s in data["sites"]] == [site_id] and built["n"] == 1
