"""Give proposed demo sites a status, dates, flag counts, a responsible unit and a code."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from shapely import LineString
from sqlalchemy.orm import Session

from kehoach.adapters.geometry import length_m, to_geojson
from kehoach.db.models import Plan, Site, Unit
from kehoach.domain.enums import Approval, SiteKind, SiteStatus, TaskKind
from kehoach.domain.text import name_key
from kehoach.i18n import t
from kehoach.services.demo.generator import Draft

DEMO_CODE_PREFIX = "DEMO-"
# Demo dates are set around the campaign's day (its plan's anniversary, else its end):
CREATED_DAYS_BEFORE = 39  # registered at 08:00 local time this many days before
PLANNED_DAYS_BEFORE = 37  # planned to go up within 4 weeks from then
DONE_DAYS_BEFORE = 2  # everything up before the day itself


@dataclass(frozen=True)
class DemoCampaign:
    """What the demo set takes from the campaign it is loaded into."""

    id: int
    day: date  # the plan's anniversary, else the campaign's end
    occasion: str
    plan_id: int | None

    @property
    def created_at(self) -> datetime:
        """Return when the demo sites say they were registered (aware, UTC)."""
        day = self.day - timedelta(days=CREATED_DAYS_BEFORE)
        return datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)

UNIT_CULTURE_CENTRE = "trung tam van hoa"
UNIT_WARDS = "uy ban nhan dan cac phuong"

# Kinds a planned site may be proposed as new (IV.2: new sites wait for approval).
NEW_SITE_KINDS = frozenset({SiteKind.PANEL, SiteKind.PANEL_CLUSTER, SiteKind.LED_SCREEN})

NEEDS_FIX_NOTES = (
    "Pa-nô bị bong tróc, cần thay bạt.",
    "Một số cờ bị rách, bạc màu, cần thay.",
    "Khung bị nghiêng sau mưa lớn, cần gia cố.",
)
REMOVED_NOTE = "Tháo dỡ tạm thời để phục vụ thi công hạ tầng."


def finalise(
    session: Session, drafts: list[Draft], rng: random.Random, campaign: DemoCampaign
) -> list[Site]:
    """Give each draft a status, dates, flag counts, a unit and task, and a code."""
    statuses = _status_list(len(drafts), rng)
    responsible = _responsible_units(session, campaign.plan_id)
    first_planned = campaign.day - timedelta(days=PLANNED_DAYS_BEFORE)
    last_done = campaign.day - timedelta(days=DONE_DAYS_BEFORE)
    created_at = campaign.created_at
    pending = 0
    sites = []
    for number, (draft, status) in enumerate(zip(drafts, statuses, strict=True), start=1):
        planned_on = first_planned + timedelta(days=rng.randint(0, 27))
        done_on = None
        if status in (SiteStatus.INSTALLED, SiteStatus.NEEDS_FIX, SiteStatus.REMOVED):
            done_on = min(planned_on + timedelta(days=rng.randint(0, 8)), last_done)
        note = t("demo.note")
        if status == SiteStatus.NEEDS_FIX:
            note = f"{rng.choice(NEEDS_FIX_NOTES)} {note}"
        elif status == SiteStatus.REMOVED:
            note = f"{REMOVED_NOTE} {note}"
        # The first two planned panels, clusters or screens are proposed as new sites and
        # wait for leadership approval, as IV.2 requires.
        is_new = status == SiteStatus.PLANNED and draft.kind in NEW_SITE_KINDS and pending < 2
        pending += is_new
        unit_id, task_id = responsible[(draft.by_wards, draft.kind == SiteKind.NATIONAL_FLAG)]
        geom = draft.geom
        sites.append(
            Site(
                campaign_id=campaign.id,
                code=f"{DEMO_CODE_PREFIX}{number:04d}",
                name=draft.name,
                kind=draft.kind.value,
                status=status.value,
                approval=(Approval.PENDING if is_new else Approval.APPROVED).value,
                geojson=to_geojson(geom),
                lon=draft.point.x,
                lat=draft.point.y,
                length_m=round(length_m(geom), 1) if isinstance(geom, LineString) else 0.0,
                ward_id=draft.ward_id,
                street_id=draft.street_id,
                place_id=draft.place_id,
                unit_id=unit_id,
                task_id=task_id,
                address=draft.address,
                content=draft.content.replace("{occasion}", campaign.occasion),
                note=note,
                quantity=draft.quantity,
                flags_expected=draft.flags_expected,
                flags_hung=_flags_hung(draft.flags_expected, status, rng),
                planned_on=planned_on,
                done_on=done_on,
                is_new=is_new,
                estimated_cost=rng.choice((12_000_000, 18_500_000, 25_000_000)) if is_new else None,
                is_demo=True,
                created_at=created_at,
                updated_at=created_at,
            )
        )
    return sites


def _status_list(count: int, rng: random.Random) -> list[SiteStatus]:
    """Return a shuffled list of statuses: mostly installed, a few of every other kind."""
    removed = min(2, count // 40 + 1)
    needs_fix = max(3, round(count * 0.07))
    planned = round(count * 0.12)
    installing = round(count * 0.12)
    installed = max(0, count - removed - needs_fix - planned - installing)
    statuses = (
        [SiteStatus.INSTALLED] * installed
        + [SiteStatus.INSTALLING] * installing
        + [SiteStatus.PLANNED] * planned
        + [SiteStatus.NEEDS_FIX] * needs_fix
        + [SiteStatus.REMOVED] * removed
    )[:count]
    rng.shuffle(statuses)
    return statuses


def _flags_hung(expected: int, status: SiteStatus, rng: random.Random) -> int:
    """Return how many of the expected flags are up for a site in ``status``."""
    if expected == 0 or status in (SiteStatus.PLANNED, SiteStatus.REMOVED):
        return 0
    if status == SiteStatus.INSTALLING:
        return round(expected * rng.uniform(0.3, 0.8))
    if status == SiteStatus.NEEDS_FIX:
        return expected - max(1, expected // 4)
    return expected


def _responsible_units(
    session: Session, plan_id: int | None
) -> dict[tuple[bool, bool], tuple[int | None, int | None]]:
    """Map (by wards, is a flag site) to (unit id, task id) from the campaign's plan, if any."""
    plan = session.get(Plan, plan_id) if plan_id is not None else None
    units: list[Unit] = list(plan.units) if plan else []
    centre = next((u for u in units if UNIT_CULTURE_CENTRE in name_key(u.name)), None)
    wards = next((u for u in units if UNIT_WARDS in name_key(u.name)), None)
    return {
        (False, False): _unit_task(centre, TaskKind.DECORATION),
        (False, True): _unit_task(centre, TaskKind.DECORATION),
        (True, False): _unit_task(wards, TaskKind.DECORATION),
        (True, True): _unit_task(wards, TaskKind.FLAGS, TaskKind.DECORATION),
    }


def _unit_task(unit: Unit | None, *kinds: TaskKind) -> tuple[int | None, int | None]:
    """Return the unit's id and its first task of the first of ``kinds`` it has."""
    if unit is None:
        return None, None
    for kind in kinds:
        task = next((task for task in unit.tasks if task.kind == kind.value), None)
        if task is not None:
            return unit.id, task.id
    return unit.id, None
