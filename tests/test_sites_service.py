"""Site use cases: permissions, validation, history, versions, bulk edits, approvals."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from kehoach.db.engine import make_engine, read_session, write_session
from kehoach.db.models import Site, SiteEvent
from kehoach.domain.enums import Approval, ChangeSource, Role, SiteKind, SiteStatus
from kehoach.domain.errors import (
    InvalidGeometry,
    InvalidInput,
    InvalidTransition,
    OutsideDistrict,
    PermissionDenied,
    VersionConflict,
)
from kehoach.services.sites import (
    NewSite,
    SiteChanges,
    apply_site_change,
    bulk_update,
    create_site,
    decide_approval,
    update_site,
)
from tests.factories import make_site, make_user, point_on_street, ward_id, ward_point


def _site(engine, site_id: int) -> Site:
    with read_session(engine) as s:
        return s.get(Site, site_id)


def _events(engine, site_id: int) -> list[SiteEvent]:
    with read_session(engine) as s:
        return list(s.scalars(select(SiteEvent).where(SiteEvent.site_id == site_id)))


def test_create_fills_ward_and_street_and_records_history(engine) -> None:
    staff = make_user(engine, "staff", Role.STAFF)
    site_id = make_site(engine, staff)
    site = _site(engine, site_id)
    assert site.ward_id is not None and site.street_id is not None
    assert site.code.startswith("TX-") and site.version == 1
    events = _events(engine, site_id)
    assert [(e.action, e.username, e.source) for e in events] == [("created", "staff", "ui")]


@pytest.mark.parametrize(
    ("lon", "lat", "error"),
    [
        (105.90, 21.10, OutsideDistrict),
        (21.0, 105.81, InvalidGeometry),  # swapped
        (float("nan"), 21.0, InvalidGeometry),
    ],
)
def test_bad_positions_are_refused(engine, lon, lat, error) -> None:
    with pytest.raises(error):
        make_site(engine, lon=lon, lat=lat)
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Site)) == 0


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.LEADER])
def test_roles_that_may_not_create_or_edit(engine, role) -> None:
    actor = make_user(engine, f"u-{role}", role)
    with pytest.raises(PermissionDenied):
        make_site(engine, actor)
    site_id = make_site(engine)
    with pytest.raises(PermissionDenied):
        update_site(engine, actor, site_id, 1, SiteChanges({"status": "installing"}))


def test_ward_officer_edits_only_own_ward(engine) -> None:
    officer = make_user(engine, "phuong", Role.WARD_OFFICER, ward_code="00343")  # Nhân Chính
    own = make_site(engine, lon=ward_point(engine, "00343")[0], lat=ward_point(engine, "00343")[1])
    other = make_site(
        engine, lon=ward_point(engine, "00358")[0], lat=ward_point(engine, "00358")[1]
    )
    assert update_site(engine, officer, own, 1, SiteChanges({"status": "installing"})) == 2
    with pytest.raises(PermissionDenied):
        update_site(engine, officer, other, 1, SiteChanges({"status": "installing"}))
    with pytest.raises(PermissionDenied):  # nor move one of theirs into another ward
        update_site(engine, officer, own, 2, SiteChanges({"ward_id": ward_id(engine, "00358")}))


def test_update_writes_one_event_per_field_and_checks_transitions(engine) -> None:
    staff = make_user(engine, "staff", Role.STAFF)
    site_id = make_site(engine, staff, flags_expected=10)
    version = update_site(
        engine,
        staff,
        site_id,
        1,
        SiteChanges({"status": "installed", "flags_hung": 7, "note": "<b>x</b>"}),
    )
    assert version == 2
    site = _site(engine, site_id)
    assert site.status == "installed" and site.done_on is not None and site.note == "<b>x</b>"
    changed = {(e.field, e.old_value, e.new_value) for e in _events(engine, site_id) if e.field}
    assert ("status", "planned", "installed") in changed and ("flags_hung", "0", "7") in changed
    with pytest.raises(InvalidTransition):
        update_site(engine, staff, site_id, 2, SiteChanges({"status": "installing"}))
    with pytest.raises(InvalidInput):
        update_site(engine, staff, site_id, 2, SiteChanges({"flags_hung": 11}))


def test_stale_version_is_refused_naming_who(engine) -> None:
    a = make_user(engine, "nguoi-a", Role.STAFF)
    b = make_user(engine, "nguoi-b", Role.STAFF)
    site_id = make_site(engine, a)
    update_site(engine, a, site_id, 1, SiteChanges({"note": "A"}))
    with pytest.raises(VersionConflict) as info:
        update_site(engine, b, site_id, 1, SiteChanges({"note": "B"}))
    assert info.value.params["who"] == "nguoi-a"
    assert _site(engine, site_id).note == "A"


def test_two_sessions_race_exactly_one_wins(db_url) -> None:
    setup = make_engine(db_url)
    site_id = make_site(setup)
    users = [make_user(setup, f"racer{i}", Role.STAFF) for i in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(actor, note: str) -> None:
        engine = make_engine(db_url)  # its own engine and connection: a real second session
        barrier.wait()
        try:
            update_site(engine, actor, site_id, 1, SiteChanges({"note": note}))
            outcomes.append("won")
        except VersionConflict:
            outcomes.append("conflict")
        finally:
            engine.dispose()

    threads = [threading.Thread(target=save, args=(u, f"ghi chú {i}")) for i, u in enumerate(users)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(outcomes) == ["conflict", "won"]
    assert _site(setup, site_id).version == 2
    assert len([e for e in _events(setup, site_id) if e.field == "note"]) == 1


def test_bulk_update_all_or_nothing(engine) -> None:
    staff = make_user(engine, "staff", Role.STAFF)
    ids = [
        make_site(
            engine,
            staff,
            lon=point_on_street("Đường Nguyễn Trãi", f)[0],
            lat=point_on_street("Đường Nguyễn Trãi", f)[1],
        )
        for f in (0.2, 0.5, 0.7)
    ]
    result = bulk_update(engine, staff, ids, SiteChanges({"status": "installing"}))
    assert result.changed == 3
    assert len([e for i in ids for e in _events(engine, i) if e.field == "status"]) == 3
    update_site(engine, staff, ids[0], 2, SiteChanges({"status": "installed"}))
    # installing → needs_fix is not allowed for ids[1], ids[2]: nothing changes at all
    with pytest.raises(InvalidTransition):
        bulk_update(engine, staff, ids, SiteChanges({"status": "needs_fix"}))
    assert _site(engine, ids[0]).status == "installed"


def test_new_sites_wait_for_a_leader(engine) -> None:
    staff = make_user(engine, "staff", Role.STAFF)
    leader = make_user(engine, "lanhdao", Role.LEADER)
    lon, lat = point_on_street("Đường Khuất Duy Tiến", 0.5)
    with pytest.raises(InvalidInput):
        create_site(engine, staff, NewSite(SiteKind.PANEL, lon, lat, is_new=True))
    site_id = create_site(
        engine, staff, NewSite(SiteKind.PANEL, lon, lat, is_new=True, estimated_cost=12_000_000)
    )
    assert _site(engine, site_id).approval == Approval.PENDING
    with pytest.raises(PermissionDenied):
        decide_approval(engine, staff, site_id, approve=True)
    with pytest.raises(InvalidInput):
        decide_approval(engine, leader, site_id, approve=False, reason=" ")
    decide_approval(engine, leader, site_id, approve=True)
    site = _site(engine, site_id)
    assert site.approval == Approval.APPROVED and site.approved_cost == 12_000_000
    assert site.status == SiteStatus.PLANNED


# 17:30 UTC on 1 October is 00:30 on 2 October in Hà Nội: the done date is the local day.
JUST_AFTER_MIDNIGHT = datetime(2024, 10, 1, 17, 30, tzinfo=UTC)


def test_an_edit_just_after_local_midnight_is_done_on_the_local_day(engine) -> None:
    staff = make_user(engine, "staff", Role.STAFF)
    site_id = make_site(engine, staff)
    # The form always sends done_on; left empty, the site gets today's (local) date.
    changes = SiteChanges({"status": "installed", "done_on": None})
    update_site(engine, staff, site_id, 1, changes, now=JUST_AFTER_MIDNIGHT)
    site = _site(engine, site_id)
    assert site.done_on == date(2024, 10, 2)
    assert site.updated_at == JUST_AFTER_MIDNIGHT and site.updated_by_id == staff.id
    updates = [e for e in _events(engine, site_id) if e.action == "updated"]
    assert {(e.field, e.old_value, e.new_value) for e in updates} == {
        ("status", "planned", "installed"),
        ("done_on", None, "2024-10-02"),
    }
    assert {e.at for e in updates} == {JUST_AFTER_MIDNIGHT}


def test_a_typed_done_date_is_kept_and_bulk_edits_stamp_the_local_day(engine) -> None:
    staff = make_user(engine, "staff", Role.STAFF)
    typed, bulk = make_site(engine, staff), make_site(engine, staff)
    changes = SiteChanges({"status": "installed", "done_on": date(2024, 9, 30)})
    update_site(engine, staff, typed, 1, changes, now=JUST_AFTER_MIDNIGHT)
    bulk_update(
        engine, staff, [bulk], SiteChanges({"status": "installed"}), now=JUST_AFTER_MIDNIGHT
    )
    assert _site(engine, typed).done_on == date(2024, 9, 30)
    assert _site(engine, bulk).done_on == date(2024, 10, 2)


def test_an_approval_goes_through_the_one_change_path(engine) -> None:
    staff = make_user(engine, "staff", Role.STAFF)
    leader = make_user(engine, "lanhdao", Role.LEADER)
    lon, lat = point_on_street("Đường Khuất Duy Tiến", 0.5)
    site_id = create_site(
        engine, staff, NewSite(SiteKind.PANEL, lon, lat, is_new=True, estimated_cost=5_000_000)
    )
    with pytest.raises(InvalidInput):
        decide_approval(engine, leader, site_id, approve=True, approved_cost=-1)
    decide_approval(
        engine, leader, site_id, approve=False, reason="  trùng vị trí ", now=JUST_AFTER_MIDNIGHT
    )
    site = _site(engine, site_id)
    assert (site.approval, site.rejection_reason) == (Approval.REJECTED, "trùng vị trí")
    assert site.updated_at == JUST_AFTER_MIDNIGHT and site.updated_by_id == leader.id
    decided = [e for e in _events(engine, site_id) if e.action == "approval"]
    assert {(e.field, e.new_value, e.username, e.at) for e in decided} == {
        ("approval", "rejected", "lanhdao", JUST_AFTER_MIDNIGHT),
        ("rejection_reason", "trùng vị trí", "lanhdao", JUST_AFTER_MIDNIGHT),
    }


def test_the_change_function_refuses_fields_it_does_not_know(engine) -> None:
    staff = make_user(engine, "staff", Role.STAFF)
    site_id = make_site(engine, staff)
    with write_session(engine) as s, pytest.raises(InvalidInput):
        apply_site_change(s, s.get(Site, site_id), staff, {"code": "X"}, ChangeSource.IMPORT)
    with write_session(engine) as s, pytest.raises(InvalidInput):
        apply_site_change(s, s.get(Site, site_id), staff, {"status": "built"}, ChangeSource.IMPORT)
    assert _site(engine, site_id).code.startswith("TX-")
