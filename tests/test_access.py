"""Who may do what: every write service and export, called by each role on a real database.

The table below is the access policy as the services enforce it. Each row names an action,
a role and the expected outcome; the action is a small adapter around today's service call
so a changed signature is a one-line edit here.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from kehoach.adapters import summary_table
from kehoach.db.engine import read_session
from kehoach.db.models import MonthlyReport, Site, Task, Unit, Ward
from kehoach.domain.enums import Role, SiteKind, SiteStatus, TaskKind
from kehoach.domain.errors import PermissionDenied
from kehoach.domain.permissions import Actor
from kehoach.domain.progress import SITE_TASK_KINDS, WARDS_UNIT_KEY
from kehoach.domain.text import name_key
from kehoach.services import (
    auth,
    campaigns,
    costs,
    inspections,
    places,
    progress,
    reports,
    routes,
    site_export,
    site_import,
    sites,
    task_status,
)
from kehoach.services.campaign_start import start_campaign
from kehoach.services.inspections.offline import PackScope, make_pack
from kehoach.services.reports.units import CULTURE_CENTRE_KEY
from tests.factories import make_site, make_user, point_on_street, street_id

ROOT = Path(__file__).resolve().parent.parent
BYSTANDER = "nguoikhac"  # the account the account commands act on
NT = "Đường Nguyễn Trãi"
ROLES = (
    "admin", "staff", "ward_own", "ward_other", "inspector", "leader",
    "culture_office", "finance", "unit_reporter",
)  # fmt: skip
# The units the unit-bound roles belong to, named as users type them (matched to the plan).
UNIT_OF_ROLE = {
    "culture_office": "Phòng VH&TT",
    "finance": "Phòng Tài chính - Kế hoạch",
    "unit_reporter": "Phòng GD&ĐT",
}
EDUCATION_KEY = "phong giao duc"
YES, NO, ROWS = "allowed", "PermissionDenied", "rows refused"
ADMIN = Actor(None, "setup", Role.ADMIN)


@dataclass(frozen=True)
class World:
    """Ids the actions work on: a site in ward A, a pending new site, a route, two tasks."""

    engine: Engine
    ward_a: int
    site: int
    pending: int
    route: int
    centre_task: int
    wards_task: int
    point: tuple[float, float]
    education_task: int
    education_unit: int


# --- actions (adapters over today's signatures) ----------------------------------------------


def _create_site(w: World, a: Actor) -> object:
    lon, lat = point_on_street(NT, 0.45)
    return sites.create_site(w.engine, a, sites.NewSite(SiteKind.PANEL, lon, lat, name="Pa-nô mới"))


def _update_site(w: World, a: Actor) -> object:
    changes = sites.SiteChanges({"status": SiteStatus.INSTALLING.value})
    return sites.update_site(w.engine, a, w.site, 1, changes)


def _bulk_update(w: World, a: Actor) -> object:
    changes = sites.SiteChanges({"status": SiteStatus.INSTALLING.value})
    return sites.bulk_update(w.engine, a, [w.site], changes)


def _approve(w: World, a: Actor) -> object:
    return sites.decide_approval(w.engine, a, w.pending, approve=True)


def _create_place(w: World, a: Actor) -> object:
    new = places.NewPlace("Bảng tin tổ dân phố", "notice_board", *w.point)
    return places.create_place(w.engine, a, new)


def _inspect(w: World, a: Actor) -> object:
    return inspections.record_inspection(w.engine, a, w.pending, "pass")


def _flag_window(w: World, a: Actor) -> object:
    return inspections.set_flag_window(w.engine, a, date(2024, 10, 1), date(2024, 10, 12))


def _add_flag_window(w: World, a: Actor) -> object:
    return campaigns.add_flag_window(w.engine, a, date(2024, 10, 1), date(2024, 10, 12))


def _remove_flag_window(w: World, a: Actor) -> object:
    window = campaigns.add_flag_window(w.engine, ADMIN, date(2024, 9, 1), date(2024, 9, 2))
    return campaigns.remove_flag_window(w.engine, a, window)


def _start_campaign(w: World, a: Actor) -> object:
    plan = campaigns.resolve_campaign(w.engine).plan_id
    return start_campaign(w.engine, a, "Tết", plan_id=plan, copy_from=None)


def _close_campaign(w: World, a: Actor) -> object:
    return campaigns.close_campaign(w.engine, a, campaigns.resolve_campaign(w.engine).id)


def _centre_task(w: World, a: Actor) -> object:
    return task_status.set_task_status(w.engine, a, w.centre_task, "done", "Đã gửi văn bản")


def _wards_task(w: World, a: Actor) -> object:
    return task_status.set_task_status(w.engine, a, w.wards_task, "done", "Đã gửi văn bản")


def _ward_a_row(w: World, a: Actor) -> object:
    return task_status.set_task_status(w.engine, a, w.wards_task, "done", "", ward_id=w.ward_a)


def _education_task(w: World, a: Actor) -> object:
    return task_status.set_task_status(w.engine, a, w.education_task, "done", "Đã tổ chức")


def _submit_unit_report(w: World, a: Actor) -> object:
    month = progress.current_month()
    return reports.submit_monthly_report(w.engine, a, month, "Báo cáo", unit_id=w.education_unit)


def _submit_report(w: World, a: Actor) -> object:
    month = progress.current_month()
    return reports.submit_monthly_report(w.engine, a, month, "Báo cáo tháng", ward_id=w.ward_a)


def _draft_report(w: World, a: Actor) -> object:
    return reports.draft_figures(w.engine, a, progress.current_month(), ward_id=w.ward_a)


def _register_route(w: World, a: Actor) -> object:
    return routes.register_route(w.engine, a, street_id(w.engine, NT), ward_id=w.ward_a)


def _remove_route(w: World, a: Actor) -> object:
    return routes.remove_route(w.engine, a, w.route)


def _import(w: World, a: Actor) -> site_import.ImportReport:
    with read_session(w.engine) as s:
        ward = s.get(Ward, w.ward_a).name
    row = {
        "STT": 1, "Phường": ward, "Tuyến phố": "Nguyễn Trãi", "Vị trí (địa chỉ)": "Vỉa hè",
        "Loại hình": "Pa-nô", "Số lượng": 1, "Trạng thái": "Chưa triển khai",
        "Kinh độ": round(w.point[0], 6), "Vĩ độ": round(w.point[1], 6),
    }  # fmt: skip
    data = summary_table.write_table([row], "csv")
    return site_import.import_file(w.engine, a, data, "bieu.csv")


def _report_docx(w: World, a: Actor) -> object:
    return reports.monthly_report_docx(w.engine, a, progress.current_month())


def _summary_xlsx(w: World, a: Actor) -> object:
    return reports.summary_table_xlsx(w.engine, a)


def _printed_summary(w: World, a: Actor) -> object:
    return reports.printed_summary_xlsx(w.engine, a)


def _ward_a_report(w: World) -> int:
    """Submit ward A's report as the administrator and return its id (set-up, not the act)."""
    month = progress.current_month()
    with read_session(w.engine) as s:
        wards_unit = s.get(Task, w.wards_task).unit_id  # the wards' unit reports per ward
    reports.submit_monthly_report(
        w.engine, ADMIN, month, "Báo cáo", unit_id=wards_unit, ward_id=w.ward_a
    )
    with read_session(w.engine) as s:
        return int(s.scalars(select(func.max(MonthlyReport.id))).one())


def _return_report(w: World, a: Actor) -> object:
    return reports.return_report(w.engine, a, _ward_a_report(w), "Bổ sung số liệu cờ")


def _attach_file(w: World, a: Actor) -> object:
    pdf = b"%PDF-1.4\n% tep dinh kem\n%%EOF\n"
    return reports.attach_file(w.engine, a, _ward_a_report(w), "bien-ban.pdf", pdf)


def _district_draft(w: World, a: Actor) -> object:
    draft = reports.DistrictDraft(assessment="Hoàn thành cơ bản")
    return reports.save_district_draft(w.engine, a, progress.current_month(), draft)


def _open_campaign(w: World, a: Actor) -> object:
    return campaigns.open_campaign(w.engine, a, campaigns.resolve_campaign(w.engine).id)


def _offline_pack(w: World, a: Actor) -> object:
    return make_pack(w.engine, a, PackScope(ward_id=w.ward_a))


def _export_sites(w: World, a: Actor) -> object:
    return site_export.export_sites(w.engine, a)


def _export_records(w: World, a: Actor) -> object:
    return site_export.export_site_records(w.engine, a)


def _costs_overview(w: World, a: Actor) -> object:
    return costs.costs_overview(w.engine, a)


def _comment_on_costs(w: World, a: Actor) -> object:
    return costs.comment_on_costs(w.engine, a, w.pending, "Đề nghị rà soát đơn giá")


# The account commands act on a bystander account, never on the acting user's own.
def _disable_user(w: World, a: Actor) -> object:
    return auth.set_user_active(w.engine, a, BYSTANDER, False)


def _set_password(w: World, a: Actor) -> object:
    return auth.set_password(w.engine, a, BYSTANDER, "mat-khau-moi-2024")


def _set_role(w: World, a: Actor) -> object:
    return auth.set_role(w.engine, a, BYSTANDER, Role.LEADER)


def _unlock_user(w: World, a: Actor) -> object:
    return auth.unlock_user(w.engine, a, BYSTANDER)


ACTIONS: dict[str, Callable[[World, Actor], object]] = {
    "create site": _create_site,
    "update site": _update_site,
    "bulk update sites": _bulk_update,
    "approve new site": _approve,
    "register place": _create_place,
    "record inspection": _inspect,
    "set flag window": _flag_window,
    "add flag window": _add_flag_window,
    "remove flag window": _remove_flag_window,
    "start campaign": _start_campaign,
    "close campaign": _close_campaign,
    "set task status (Culture Centre)": _centre_task,
    "set task status (wards' unit)": _wards_task,
    "set task status (ward A's row)": _ward_a_row,
    "set task status (Education)": _education_task,
    "submit monthly report": _submit_report,
    "submit monthly report (Education)": _submit_unit_report,
    "draft report figures": _draft_report,
    "register route": _register_route,
    "remove route": _remove_route,
    "import summary table": _import,
    "export monthly report (.docx)": _report_docx,
    "export summary table (.xlsx)": _summary_xlsx,
    "export sites rows": _export_sites,
    "export printed summary (.xlsx)": _printed_summary,
    "return a unit report": _return_report,
    "attach a file to a report": _attach_file,
    "write the district report draft": _district_draft,
    "open a campaign": _open_campaign,
    "take an offline inspection pack": _offline_pack,
    "export site records": _export_records,
    "read costs overview": _costs_overview,
    "comment on costs": _comment_on_costs,
    "disable an account": _disable_user,
    "reset a password": _set_password,
    "change a role": _set_role,
    "unlock an account": _unlock_user,
}

# --- the access table -------------------------------------------------------------------------
# ward_own: a ward officer of the ward the site/route/report is in; ward_other: of another ward.
# culture: Phòng VH&TT (culture_office); finance: Phòng TC-KH; reporter: a unit_reporter of
# Phòng GD&ĐT. Each is bound to its unit by the plan's name.
#                                       admin staff own  other insp leader culture finance reporter
POLICY: dict[str, tuple[str, ...]] = {
    "create site":                          (YES, YES, YES, NO,   NO,  NO,  NO,  NO,  NO),
    "update site":                          (YES, YES, YES, NO,   NO,  NO,  NO,  NO,  NO),
    "bulk update sites":                    (YES, YES, YES, NO,   NO,  NO,  NO,  NO,  NO),
    "approve new site":                     (YES, NO,  NO,  NO,   NO,  YES, NO,  NO,  NO),
    "register place":                       (YES, YES, YES, NO,   NO,  NO,  NO,  NO,  NO),
    "record inspection":                    (YES, NO,  NO,  NO,   YES, NO,  NO,  NO,  NO),
    "set flag window":                      (YES, NO,  NO,  NO,   NO,  NO,  NO,  NO,  NO),
    "add flag window":                      (YES, NO,  NO,  NO,   NO,  NO,  NO,  NO,  NO),
    "remove flag window":                   (YES, NO,  NO,  NO,   NO,  NO,  NO,  NO,  NO),
    "start campaign":                       (YES, YES, NO,  NO,   NO,  NO,  NO,  NO,  NO),
    "close campaign":                       (YES, YES, NO,  NO,   NO,  NO,  NO,  NO,  NO),
    "set task status (Culture Centre)":     (YES, YES, NO,  NO,   NO,  NO,  NO,  NO,  NO),
    "set task status (wards' unit)":        (YES, YES, YES, YES,  NO,  NO,  NO,  NO,  NO),
    "set task status (ward A's row)":       (YES, YES, YES, NO,   NO,  NO,  NO,  NO,  NO),
    "set task status (Education)":          (YES, YES, NO,  NO,   NO,  NO,  NO,  NO,  YES),
    "submit monthly report":                (YES, YES, YES, NO,   NO,  NO,  NO,  NO,  NO),
    "submit monthly report (Education)":    (YES, YES, NO,  NO,   NO,  NO,  NO,  NO,  YES),
    "draft report figures":                 (YES, YES, YES, NO,   NO,  NO,  NO,  NO,  NO),
    "register route":                       (YES, YES, YES, NO,   NO,  NO,  NO,  NO,  NO),
    "remove route":                         (YES, YES, YES, NO,   NO,  NO,  NO,  NO,  NO),
    "import summary table":                 (YES, YES, YES, ROWS, NO,  NO,  NO,  NO,  NO),
    "export monthly report (.docx)":        (YES, YES, NO,  NO,   NO,  YES, YES, YES, NO),
    "export summary table (.xlsx)":         (YES, YES, NO,  NO,   NO,  YES, YES, YES, NO),
    "export sites rows":                    (YES, YES, YES, YES,  YES, YES, YES, YES, YES),
    "export printed summary (.xlsx)":       (YES, YES, NO,  NO,   NO,  YES, YES, YES, NO),
    "return a unit report":                 (YES, YES, NO,  NO,   NO,  NO,  YES, NO,  NO),
    "attach a file to a report":            (YES, YES, YES, NO,   NO,  NO,  NO,  NO,  NO),
    "write the district report draft":      (YES, YES, NO,  NO,   NO,  NO,  YES, NO,  NO),
    "open a campaign":                      (YES, YES, NO,  NO,   NO,  NO,  NO,  NO,  NO),
    "take an offline inspection pack":      (YES, NO,  NO,  NO,   YES, NO,  NO,  NO,  NO),
    "export site records":                  (YES, YES, YES, YES,  YES, YES, YES, YES, YES),
    "read costs overview":                  (YES, YES, NO,  NO,   NO,  YES, YES, YES, NO),
    "comment on costs":                     (YES, NO,  NO,  NO,   NO,  NO,  NO,  YES, NO),
    "disable an account":                   (YES, NO,  NO,  NO,   NO,  NO,  NO,  NO,  NO),
    "reset a password":                     (YES, NO,  NO,  NO,   NO,  NO,  NO,  NO,  NO),
    "change a role":                        (YES, NO,  NO,  NO,   NO,  NO,  NO,  NO,  NO),
    "unlock an account":                    (YES, NO,  NO,  NO,   NO,  NO,  NO,  NO,  NO),
}  # fmt: skip

CASES = [
    pytest.param(action, role, outcomes[i], id=f"{action}-{role}")
    for action, outcomes in POLICY.items()
    for i, role in enumerate(ROLES)
]


# --- the world the actions run in -------------------------------------------------------------


def _unit_task(engine: Engine, unit_key: str) -> int:
    """Return a task of the unit whose name starts with ``unit_key`` that is not site-measured."""
    with read_session(engine) as s:
        rows = s.execute(select(Task.id, Task.kind, Unit.name).join(Unit, Task.unit_id == Unit.id))
        return next(
            task_id
            for task_id, kind, unit in rows
            if name_key(unit).startswith(unit_key) and TaskKind(kind) not in SITE_TASK_KINDS
        )


def _unit_id(engine: Engine, unit_key: str) -> int:
    with read_session(engine) as s:
        rows = s.execute(select(Unit.id, Unit.name)).all()
    return next(unit_id for unit_id, name in rows if name_key(name).startswith(unit_key))


@pytest.fixture
def world(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("KEHOACH_MEDIA_DIR", str(tmp_path / "media"))
    admin = make_user(engine, "quantri", Role.ADMIN)
    make_user(engine, BYSTANDER, Role.STAFF)
    point = point_on_street(NT, 0.4)
    site = make_site(engine, admin, lon=point[0], lat=point[1])
    pending = make_site(
        engine, admin, lon=point[0], lat=point[1], is_new=True, estimated_cost=1_000_000,
        status=SiteStatus.INSTALLED,
    )  # fmt: skip
    with read_session(engine) as s:
        ward_a = s.get(Site, site).ward_id
    route = routes.register_route(
        engine,
        admin,
        street_id(engine, NT),
        ward_id=ward_a,
        start=(point_on_street(NT, 0.3)),
        end=point_on_street(NT, 0.35),
    )
    return World(
        engine, ward_a, site, pending, route,
        centre_task=_unit_task(engine, CULTURE_CENTRE_KEY),
        wards_task=_unit_task(engine, WARDS_UNIT_KEY),
        point=point,
        education_task=_unit_task(engine, EDUCATION_KEY),
        education_unit=_unit_id(engine, EDUCATION_KEY),
    )  # fmt: skip


def _actor(w: World, role: str) -> Actor:
    with read_session(w.engine) as s:
        codes = list(s.scalars(select(Ward.code).order_by(Ward.code)))
        own = s.get(Ward, w.ward_a).code
    if role == "ward_own":
        return make_user(w.engine, "phuong", Role.WARD_OFFICER, ward_code=own)
    if role == "ward_other":
        other = next(c for c in codes if c != own)
        return make_user(w.engine, "phuongkhac", Role.WARD_OFFICER, ward_code=other)
    return make_user(w.engine, f"u-{role}", Role(role), unit=UNIT_OF_ROLE.get(role))


def _site_count(engine: Engine) -> int:
    with read_session(engine) as s:
        return int(s.scalar(select(func.count()).select_from(Site)) or 0)


@pytest.mark.parametrize(("action", "role", "expected"), CASES)
def test_access(world: World, action: str, role: str, expected: str) -> None:
    actor = _actor(world, role)
    call = ACTIONS[action]
    if expected == NO:
        with pytest.raises(PermissionDenied):
            call(world, actor)
        return
    before = _site_count(world.engine)
    result = call(world, actor)
    if isinstance(result, site_import.ImportReport):
        # An import refuses row by row; nothing is stored unless every row may be written.
        assert result.committed == (expected == YES), result.problems
        if expected == ROWS:
            assert [p.message for p in result.problems]
            assert _site_count(world.engine) == before


def test_the_table_covers_every_role_and_action() -> None:
    assert set(POLICY) == set(ACTIONS)
    assert all(len(row) == len(ROLES) for row in POLICY.values())


# Operator tasks take no acting user: they are reached only from the command line.
CLI_ONLY = {"add_user", "load_demo", "clear_demo", "backup_database", "restore_database"}


def test_operator_tasks_are_not_reachable_from_the_ui() -> None:
    files = [
        ROOT / "app.py",
        *(ROOT / "app_pages").glob("*.py"),
        *(ROOT / "kehoach/ui").rglob("*.py"),
    ]
    used: set[str] = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute | ast.Name | ast.alias):
                used.add(getattr(node, "attr", None) or getattr(node, "id", None) or node.name)
    assert not used & CLI_ONLY, sorted(used & CLI_ONLY)
