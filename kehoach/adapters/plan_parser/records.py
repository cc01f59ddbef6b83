"""The plain records a parsed plan is made of."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kehoach.domain.enums import TaskKind

# ---------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class DocumentRef:
    """A document the plan implements ("Kế hoạch số 88/KH-UBND ngày 23/3/2024 của ...")."""

    number: str
    date: dt.date | None = None
    issuer: str | None = None
    kind: str | None = None  # "Kế hoạch", "Đề án", "Quyết định", ...

    def to_dict(self) -> dict[str, Any]:
        """Return the reference as a JSON-able dict."""
        return {
            "number": self.number,
            "date": _iso(self.date),
            "issuer": self.issuer,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class Section:
    """A Roman-numbered section heading ("IV. TỔ CHỨC THỰC HIỆN")."""

    number: str
    title: str

    def to_dict(self) -> dict[str, Any]:
        """Return the section as a JSON-able dict."""
        return {"number": self.number, "title": self.title}


@dataclass(frozen=True)
class Task:
    """One task of a unit: a bullet item, or the unit's paragraph when it has no bullets."""

    text: str
    kind: TaskKind
    attachment: str | None = None
    due_on: dt.date | None = None  # a fixed deadline stated in the text
    due_day: int | None = None  # the day of a monthly deadline ("hằng tháng trước ngày 20")

    def to_dict(self) -> dict[str, Any]:
        """Return the task as a JSON-able dict."""
        return {
            "text": self.text,
            "kind": str(self.kind),
            "attachment": self.attachment,
            "due_on": _iso(self.due_on),
            "due_day": self.due_day,
        }


@dataclass(frozen=True)
class Unit:
    """A responsible unit under "TỔ CHỨC THỰC HIỆN" with its tasks."""

    name: str
    tasks: tuple[Task, ...] = ()
    lead_in: str | None = None
    number: int | None = None
    invited: bool = False  # "Đề nghị ...": the plan invites this body, it does not assign

    def to_dict(self) -> dict[str, Any]:
        """Return the unit as a JSON-able dict."""
        return {
            "number": self.number,
            "name": self.name,
            "invited": self.invited,
            "lead_in": self.lead_in,
            "tasks": [task.to_dict() for task in self.tasks],
        }


@dataclass(frozen=True)
class StreetMention:
    """A street name the plan mentions; ``matched`` when it is among the known streets."""

    name: str
    matched: bool

    def to_dict(self) -> dict[str, Any]:
        """Return the mention as a JSON-able dict."""
        return {"name": self.name, "matched": self.matched}


@dataclass(frozen=True)
class FlagWindow:
    """The flag-hanging period ("treo cờ ... từ ngày 28/4 đến ngày 01/5")."""

    start: dt.date | None
    end: dt.date | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        """Return the window as a JSON-able dict."""
        return {"start": _iso(self.start), "end": _iso(self.end), "text": self.text}


@dataclass(frozen=True)
class ParsedPlan:
    """Everything the parser could read from one plan."""

    issuer: str | None
    number: str | None
    date: dt.date | None
    title: str | None
    implements: tuple[DocumentRef, ...] = ()
    anniversary: dt.date | None = None
    sections: tuple[Section, ...] = ()
    units: tuple[Unit, ...] = ()
    streets: tuple[StreetMention, ...] = ()
    report_deadline_day: int | None = None
    flag_window: FlagWindow | None = None
    place: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the plan as a JSON-able dict (dates as ISO strings, blanks as None)."""
        return {
            "issuer": self.issuer,
            "number": self.number,
            "date": _iso(self.date),
            "place": self.place,
            "title": self.title,
            "implements": [ref.to_dict() for ref in self.implements],
            "anniversary": _iso(self.anniversary),
            "sections": [section.to_dict() for section in self.sections],
            "units": [unit.to_dict() for unit in self.units],
            "streets": [street.to_dict() for street in self.streets],
            "report_deadline_day": self.report_deadline_day,
            "flag_window": self.flag_window.to_dict() if self.flag_window else None,
        }
