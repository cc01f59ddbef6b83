"""Read the numbered units and their tasks from the "TỔ CHỨC THỰC HIỆN" section."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kehoach.adapters.plan_parser.body import classify_task
from kehoach.adapters.plan_parser.reading import _NUMBERED_RE, _PAREN_RE, _fold, _Para
from kehoach.adapters.plan_parser.records import Task, Unit

# ---------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------


@dataclass
class _UnitDraft:
    number: int
    name: str
    plain: list[str] = field(default_factory=list)
    plain_attachment: str | None = None
    lead_in: str | None = None
    tasks: list[list[Any]] = field(default_factory=list)  # [text, attachment]
    saw_bullet: bool = False

    def flush_plain(self, before_bullets: bool) -> None:
        """Turn pending plain paragraphs into the lead-in and/or tasks."""
        if not self.plain:
            return
        plain, self.plain = self.plain, []
        if before_bullets and plain[-1].endswith(":"):
            self.lead_in = plain.pop()
            for text in plain:
                self.tasks.append([text, None])
        elif before_bullets:
            for text in plain:
                self.tasks.append([text, None])
        else:
            self.tasks.append([" ".join(plain), None])
        if self.tasks and self.plain_attachment:
            self.tasks[-1][1] = self.plain_attachment
        self.plain_attachment = None

    def build(self) -> Unit:
        """Freeze the draft into a ``Unit``."""
        self.flush_plain(before_bullets=False)
        tasks = tuple(Task(text, classify_task(text), note) for text, note in self.tasks)
        name, invited = _invitation(self.name)
        return Unit(name, tasks, self.lead_in, self.number, invited)


_INVITED_KEY = "de nghi "


def _invitation(name: str) -> tuple[str, bool]:
    """Split "Đề nghị Ban Tuyên giáo ..." into the body's own name and whether it is invited."""
    if _fold(name).startswith(_INVITED_KEY):
        words = len(_INVITED_KEY.split())
        return " ".join(name.split()[words:]), True
    return name, False


_CLOSING_CUES = ("tren day", "trong qua trinh", "ubnd ", "uy ban nhan dan ")


def _split_unit_heading(text: str) -> tuple[str, str]:
    """Split "Phòng Y tế quận: Chủ trì ..." into the unit name and the rest."""
    name, sep, rest = text.partition(":")
    if sep and rest.strip() and len(name) <= 150:
        return name.strip(), rest.strip()
    return text.strip().rstrip(":.").strip(), ""


def _parse_units(region: list[_Para]) -> list[Unit]:
    """Read numbered units and their bullet tasks from the "TỔ CHỨC THỰC HIỆN" section."""
    numbered = [not p.bullet and bool(_NUMBERED_RE.match(p.text)) for p in region]
    numbered_after = [any(numbered[i + 1 :]) for i in range(len(region))]
    units: list[Unit] = []
    current: _UnitDraft | None = None
    for index, para in enumerate(region):
        if numbered[index]:
            if current:
                units.append(current.build())
            match = _NUMBERED_RE.match(para.text)
            assert match is not None
            name, rest = _split_unit_heading(match.group(2))
            current = _UnitDraft(int(match.group(1)), name)
            if rest:
                current.plain.append(rest)
            continue
        if current is None:
            continue  # an introduction before the first unit
        if para.bullet:
            current.flush_plain(before_bullets=not current.saw_bullet)
            current.tasks.append([para.text, None])
            current.saw_bullet = True
            continue
        paren = _PAREN_RE.match(para.text)
        if paren:
            note = paren.group(1).strip()
            if current.tasks and not current.plain:
                old = current.tasks[-1][1]
                current.tasks[-1][1] = f"{old}; {note}" if old else note
            else:
                current.plain_attachment = note
            continue
        last_unit = not numbered_after[index]
        if last_unit and current.saw_bullet:
            break  # the closing paragraph after the last unit's bullets
        if last_unit and current.plain and _fold(para.text).startswith(_CLOSING_CUES):
            break  # the closing paragraph after a last unit made of plain text
        if current.saw_bullet:
            current.tasks.append([para.text, None])
        else:
            current.plain.append(para.text)
    if current:
        units.append(current.build())
    return units
