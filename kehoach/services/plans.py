"""Store a plan document: parse it (units, tasks, streets) unless the same text is stored."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kehoach.adapters.plan_parser import parse_plan_file
from kehoach.db.models import Plan, PlanStreet, Street, Task, Unit
from kehoach.domain.text import name_key


def import_plan(session: Session, path: Path) -> int:
    """Import a plan file with its units, tasks and streets; 0 if already imported."""
    return int(store_plan(session, path)[1])


def store_plan(session: Session, path: Path) -> tuple[Plan, bool]:
    """Return the stored plan of ``path`` (parsed and added unless the same text is there)."""
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    known = session.scalar(select(Plan).where(Plan.text_sha256 == digest))
    if known is not None:
        return known, False
    streets = {s.name: s for s in session.scalars(select(Street))}
    parsed = parse_plan_file(Path(path), street_names=list(streets)).to_dict()
    plan = Plan(
        issuer=parsed.get("issuer") or "",
        number=parsed.get("number"),
        issued_on=_date(parsed.get("date")),
        title=parsed.get("title") or "",
        implements=parsed.get("implements") or [],
        anniversary=_date(parsed.get("anniversary")),
        report_deadline_day=parsed.get("report_deadline_day"),
        sections=parsed.get("sections") or [],
        source_name=Path(path).name,
        text_sha256=digest,
    )
    window = parsed.get("flag_window") or {}
    plan.flag_window_start = _date(window.get("start"))
    plan.flag_window_end = _date(window.get("end"))
    for u_pos, unit in enumerate(parsed["units"], start=1):
        db_unit = Unit(
            position=u_pos,
            name=unit["name"],
            lead_in=unit.get("lead_in") or "",
            invited=bool(unit.get("invited")),
        )
        for t_pos, task in enumerate(unit["tasks"], start=1):
            db_unit.tasks.append(
                Task(
                    position=t_pos,
                    text=task["text"],
                    kind=task["kind"],
                    attachment_note=task.get("attachment") or "",
                    due_on=_date(task.get("due_on")),
                    due_day=task.get("due_day"),
                )
            )
        plan.units.append(db_unit)
    session.add(plan)
    session.flush()
    by_key = {name_key(n): s for n, s in streets.items()}
    for mention in parsed.get("streets") or []:
        street = by_key.get(name_key(mention["name"]))
        session.add(
            PlanStreet(
                plan_id=plan.id,
                mentioned_name=mention["name"],
                street_id=street.id if street else None,
            )
        )
    return plan, True


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
