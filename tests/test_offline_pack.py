"""Offline inspection packs: what a pack holds, and importing its results (ODK's rules)."""

from __future__ import annotations

import base64
import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from kehoach.adapters.offline_results import pack_signature
from kehoach.adapters.photos import PhotoStore
from kehoach.cli import main
from kehoach.db.engine import read_session
from kehoach.db.models import Inspection, Photo, Site
from kehoach.domain.enums import Role, SiteStatus
from kehoach.domain.errors import InvalidInput, NotFound, OutsideDistrict
from kehoach.domain.inspection import NotAnInspector
from kehoach.domain.offline import RESULTS_FORMAT, EmptyPack, ForeignPack, ResultsFileDamaged
from kehoach.i18n import t
from kehoach.services.inspections.offline import (
    PackScope,
    gather_pack,
    import_results,
    make_pack,
    pack_key,
)
from kehoach.services.sites import SiteChanges, update_site
from tests.factories import make_site, make_user, point_on_street, ward_point
from tests.images import make_jpeg

NT = "Đường Nguyễn Trãi"
KDT = "Đường Khuất Duy Tiến"


@pytest.fixture(autouse=True)
def keys(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KEHOACH_PACK_KEY", "khoa-thu-nghiem-goi-kiem-tra")
    monkeypatch.setenv("KEHOACH_MEDIA_DIR", str(tmp_path / "media"))


@pytest.fixture
def inspector(engine):
    return make_user(engine, "kiemtra", Role.INSPECTOR)


@pytest.fixture
def store(tmp_path: Path) -> PhotoStore:
    return PhotoStore(tmp_path / "media")


def _site(engine, street: str = NT, fraction: float = 0.4, **kw) -> int:
    lon, lat = point_on_street(street, fraction)
    kw.setdefault("status", SiteStatus.INSTALLED)
    return make_site(engine, lon=lon, lat=lat, **kw)


def _result(site: dict, outcome: str = "pass", photos: int = 0, **kw) -> dict:
    """One result as the pack's script writes it."""
    lon, lat = site["lon"], site["lat"]
    return {
        "uuid": str(uuid.uuid4()),
        "site_id": site["id"],
        "site_version": site["version"],
        "after": None,
        "outcome": outcome,
        "defects": ["torn"] if outcome == "needs_fix" else [],
        "note": "",
        "flags_hung": None,
        "flags_expected": None,
        "position": {"lon": lon, "lat": lat, "accuracy": 6.0},
        "recorded_at": datetime.now(UTC).isoformat(),
        "photos": [
            {"name": f"p{n}.jpg", "data": base64.b64encode(make_jpeg()).decode()}
            for n in range(photos)
        ],
        **kw,
    }


def _file(contents, results: list[dict], **kw) -> bytes:
    document = {
        "format": RESULTS_FORMAT,
        "pack_id": contents.pack_id,
        "created_at": contents.created_at,
        "sig": contents.signature,
        "results": results,
        **kw,
    }
    return json.dumps(document).encode()


def _inspections(engine) -> int:
    with read_session(engine) as s:
        return s.scalar(select(func.count()).select_from(Inspection))


# --- What a pack holds ------------------------------------------------------------------------


def test_street_pack_holds_that_streets_sites_with_their_versions(engine, inspector) -> None:
    on_nt = [_site(engine, NT, f) for f in (0.2, 0.4)]
    _site(engine, KDT, 0.5)
    pack = gather_pack(engine, inspector, PackScope(street=NT))
    assert sorted(s["id"] for s in pack.sites) == sorted(on_nt)
    with read_session(engine) as s:
        versions = {site.id: site.version for site in s.scalars(select(Site))}
    assert all(row["version"] == versions[row["id"]] for row in pack.sites)
    assert "Nguyễn Trãi" in pack.scope and pack.plan  # the plan shipped with the app
    assert re.fullmatch(r"[0-9a-f]{32}", pack.pack_id)
    assert pack.signature == pack_signature(pack_key(), pack.pack_id, pack.created_at)


def test_near_pack_is_nearest_first_within_the_radius(engine, inspector) -> None:
    near, nearer, far = _site(engine, NT, 0.45), _site(engine, NT, 0.41), _site(engine, KDT, 0.9)
    lon, lat = point_on_street(NT, 0.4)
    pack = gather_pack(engine, inspector, PackScope(near=(lon, lat), radius_m=600))
    ids = [s["id"] for s in pack.sites]
    assert ids[:2] == [nearer, near] and far not in ids
    with pytest.raises(OutsideDistrict):
        gather_pack(engine, inspector, PackScope(near=(105.5, 21.2), radius_m=500))
    with pytest.raises(InvalidInput):
        gather_pack(engine, inspector, PackScope(near=(lon, lat), radius_m=0))


def test_ward_pack_and_refusals(engine, inspector) -> None:
    lon, lat = ward_point(engine, "00367")  # Thanh Xuân Trung
    inside = make_site(engine, lon=lon, lat=lat, status=SiteStatus.INSTALLED)
    pack = gather_pack(engine, inspector, PackScope(ward_code="00367"))
    assert [s["id"] for s in pack.sites] == [inside]
    with pytest.raises(NotFound):
        gather_pack(engine, inspector, PackScope(ward_code="99999"))
    with pytest.raises(EmptyPack):
        gather_pack(engine, inspector, PackScope(street="Phố Vũ Trọng Phụng"))
    staff = make_user(engine, "canbo", Role.STAFF)
    with pytest.raises(NotAnInspector):
        gather_pack(engine, staff, PackScope(ward_code="00367"))
    with pytest.raises(NotAnInspector):
        import_results(engine, staff, [_file(pack, [_result(pack.sites[0])])])
    assert _inspections(engine) == 0


def test_pack_page_is_self_contained_and_escapes_user_text(engine, inspector) -> None:
    _site(engine, NT, 0.4, name='</script><img src=x onerror="alert(1)">`${x}`')
    html, pack = make_pack(engine, inspector, PackScope(street=NT))
    assert "<script src" not in html and "<link" not in html and "@import" not in html
    assert "connect-src 'none'" in html  # the page itself cannot reach the network
    assert "L.version" in html or 'version="1.9.3"' in html  # Leaflet inlined
    assert "</script><img" not in html and "\\u003c/script\\u003e\\u003cimg" in html
    data = html.split('id="pack-data">', 1)[1].split("</script>", 1)[0]
    document = json.loads(data)
    assert document["pack_id"] == pack.pack_id and document["base"]["streets"]
    assert document["texts"]["sync"] == t("offline.js.sync")
    assert document["sites"][0]["version"] >= 1


# --- Import -----------------------------------------------------------------------------------


def test_import_stores_once_and_twice_adds_nothing(engine, inspector, store) -> None:
    ids = [_site(engine, NT, f) for f in (0.3, 0.4)]
    pack = gather_pack(engine, inspector, PackScope(street=NT))
    results = [_result(pack.sites[0]), _result(pack.sites[1], "needs_fix", photos=2)]
    data = _file(pack, results)
    report = import_results(engine, inspector, [data], store=store)
    assert len(report.stored) == 2 and not report.conflicts and not report.failed
    again = import_results(engine, inspector, [data], store=store)
    assert not again.stored and sorted(again.duplicates) == sorted(r["uuid"] for r in results)
    with read_session(engine) as s:
        rows = s.scalars(select(Inspection).order_by(Inspection.id)).all()
        assert {r.client_uuid for r in rows} == {r["uuid"] for r in results}
        assert s.scalar(select(func.count()).select_from(Photo)) == 2
        assert s.get(Site, pack.sites[1]["id"]).status == SiteStatus.NEEDS_FIX.value
    assert set(ids) == {r.site_id for r in rows}


def test_changed_site_is_a_conflict_until_confirmed(engine, inspector, store) -> None:
    site_id = _site(engine, NT, 0.4)
    pack = gather_pack(engine, inspector, PackScope(street=NT))
    staff = make_user(engine, "canbo", Role.STAFF)
    update_site(engine, staff, site_id, pack.sites[0]["version"], SiteChanges({"note": "sửa"}))
    result = _result(pack.sites[0], "needs_fix", photos=1)
    data = _file(pack, [result])
    report = import_results(engine, inspector, [data], store=store)
    assert not report.stored and [c.uuid for c in report.conflicts] == [result["uuid"]]
    assert report.conflicts[0].current_version > report.conflicts[0].pack_version
    assert _inspections(engine) == 0  # never applied silently
    confirmed = import_results(engine, inspector, [data], confirm=[result["uuid"]], store=store)
    assert [u for u, _ in confirmed.stored] == [result["uuid"]]
    assert _inspections(engine) == 1


def test_a_packs_second_result_for_a_site_is_not_its_own_conflict(engine, inspector, store):
    _site(engine, NT, 0.4)
    pack = gather_pack(engine, inspector, PackScope(street=NT))
    first = _result(pack.sites[0], "needs_fix", photos=1)
    import_results(engine, inspector, [_file(pack, [first])], store=store)
    later = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    second = _result(pack.sites[0], "pass", after=first["uuid"], recorded_at=later)
    report = import_results(engine, inspector, [_file(pack, [first, second])], store=store)
    assert report.duplicates == [first["uuid"]] and [u for u, _ in report.stored] == [
        second["uuid"]
    ]
    with read_session(engine) as s:
        assert s.get(Site, pack.sites[0]["id"]).status == SiteStatus.INSTALLED.value


def test_results_the_rules_refuse_are_reported_and_others_stored(engine, inspector, store):
    _site(engine, NT, 0.3), _site(engine, NT, 0.4)
    pack = gather_pack(engine, inspector, PackScope(street=NT))
    good = _result(pack.sites[0])
    no_photo = _result(pack.sites[1], "needs_fix")  # a fix needs a photo: same rule as online
    report = import_results(engine, inspector, [_file(pack, [good, no_photo])], store=store)
    assert [u for u, _ in report.stored] == [good["uuid"]]
    assert [(u, reason) for u, _, reason in report.failed] == [
        (no_photo["uuid"], t("error.photo.required"))
    ]


def test_foreign_pack_is_refused_and_nothing_stored(engine, inspector, store, monkeypatch):
    _site(engine, NT, 0.4)
    pack = gather_pack(engine, inspector, PackScope(street=NT))
    data = _file(pack, [_result(pack.sites[0])])
    monkeypatch.setenv("KEHOACH_PACK_KEY", "khoa-cua-may-chu-khac")
    with pytest.raises(ForeignPack):
        import_results(engine, inspector, [data], store=store)
    assert _inspections(engine) == 0


@pytest.mark.parametrize(
    "damage",
    ["truncated", "not_json", "format", "bad_uuid", "bad_photo", "not_image", "too_many_photos",
     "dup_id"],  # fmt: skip
)
def test_damaged_file_is_refused_with_a_reason_and_nothing_stored(
    engine, inspector, store, damage
) -> None:
    _site(engine, NT, 0.3), _site(engine, NT, 0.4)
    pack = gather_pack(engine, inspector, PackScope(street=NT))
    good = _result(pack.sites[0])
    bad = _result(pack.sites[1], "needs_fix", photos=1)
    if damage == "bad_uuid":
        bad["uuid"] = "not-a-uuid"
    elif damage == "bad_photo":
        bad["photos"][0]["data"] = "%%%not base64%%%"
    elif damage == "not_image":
        bad["photos"][0]["data"] = base64.b64encode(b"<html>not a photo</html>").decode()
    elif damage == "too_many_photos":
        bad["photos"] = bad["photos"] * 6
    elif damage == "dup_id":
        bad["uuid"] = good["uuid"]
    data = _file(pack, [good, bad])
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "not_json":
        data = b"\x89PNG\r\n" + data
    elif damage == "format":
        data = _file(pack, [good, bad], format="something-else/1")
    with pytest.raises(ResultsFileDamaged) as caught:
        import_results(engine, inspector, [_file(pack, [good]), data], store=store)
    message = t(caught.value.code, **caught.value.params)
    assert message.startswith("Tệp kết quả không dùng được:") and "{" not in message
    assert _inspections(engine) == 0  # the good file uploaded with it is not stored either


def test_cli_pack_and_import(engine, inspector, db_url, monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    site_id = _site(engine, NT, 0.4)
    out = tmp_path / "goi.html"
    assert main(["inspections", "pack", "--street", NT, "--out", str(out),
                 "--user", "kiemtra"]) == 0  # fmt: skip
    html = out.read_text(encoding="utf-8")
    document = json.loads(html.split('id="pack-data">', 1)[1].split("</script>", 1)[0])
    assert [s["id"] for s in document["sites"]] == [site_id]

    pack = SimpleNamespace(
        pack_id=document["pack_id"], created_at=document["created_at"], signature=document["sig"]
    )
    staff = make_user(engine, "canbo", Role.STAFF)
    update_site(engine, staff, site_id, document["sites"][0]["version"],
                SiteChanges({"note": "đã sửa"}))  # fmt: skip
    result = _result(document["sites"][0])
    results = tmp_path / "ket-qua.json"
    results.write_bytes(_file(pack, [result]))
    args = ["inspections", "import", str(results), "--user", "kiemtra"]
    assert main(args) == 1  # a conflict is reported, nothing applied
    assert result["uuid"] in capsys.readouterr().out and _inspections(engine) == 0
    assert main([*args, "--confirm", result["uuid"]]) == 0
    assert _inspections(engine) == 1
    assert main(args) == 0 and _inspections(engine) == 1  # the same file again adds nothing
    assert "đã có từ trước" in capsys.readouterr().out


def test_cli_near_pack_and_a_bad_position(engine, db_url, monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    site_id = _site(engine, NT, 0.4)
    lon, lat = point_on_street(NT, 0.4)
    out = tmp_path / "goi.html"
    assert main(["inspections", "pack", "--near", f"{lon},{lat}", "--radius", "300",
                 "--out", str(out)]) == 0  # fmt: skip
    assert f'"id":{site_id},' in out.read_text(encoding="utf-8")
    assert main(["inspections", "pack", "--near", "105,8;21", "--radius", "300",
                 "--out", str(out)]) == 2  # fmt: skip
    assert "KINH_ĐỘ,VĨ_ĐỘ" in capsys.readouterr().err
