"""The sections of a unit's monthly report: the plan's report headings, parsed and joined.

A unit writes its report under the plan's four headings ("1. Kết quả thực hiện",
"2. Khó khăn, vướng mắc", "3. Nhiệm vụ tháng tới", "4. Đề xuất, kiến nghị"). The headings'
wording lives in the catalogue; here only their keys and how a heading line is recognised:
a Markdown heading (``#``…) or a numbered line ("1." or "I.") whose words start like one of
the headings (diacritics and case ignored). Text before the first heading belongs to the
first section.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from kehoach.domain.text import name_key

SECTION_KEYS = ("results", "difficulties", "next_tasks", "recommendations")
# The first words of each heading, as matching keys (no diacritics, lower case).
HEADING_STARTS = {
    "results": ("ket qua",),
    "difficulties": ("kho khan", "vuong mac", "ton tai"),
    "next_tasks": ("nhiem vu", "phuong huong", "ke hoach thang"),
    "recommendations": ("de xuat", "kien nghi"),
}
_MARKER = re.compile(r"^\s*(#{1,6}\s*|\*\*)?\s*((\d+|[IVX]+)[.)]\s*)?(?P<rest>.*?)(\*\*)?\s*:?\s*$")


def heading_key(line: str) -> str | None:
    """Return the section key a heading line opens, or None for an ordinary line."""
    stripped = line.strip()
    numbered = re.match(r"^(#{1,6}\s*)?(\*\*)?\s*(\d+|[IVX]+)[.)]\s", stripped)
    if not (stripped.startswith("#") or numbered):
        return None
    match = _MARKER.match(stripped)
    key = name_key(match.group("rest") if match else stripped)
    if len(key) > 60:  # a numbered sentence of the text, not a heading
        return None
    for section, starts in HEADING_STARTS.items():
        if any(key.startswith(start) for start in starts):
            return section
    return None


def parse_sections(text: str) -> dict[str, str]:
    """Split a report's Markdown into its sections by the plan's headings (missing ones empty)."""
    found: dict[str, list[str]] = {key: [] for key in SECTION_KEYS}
    current = SECTION_KEYS[0]
    for line in (text or "").splitlines():
        key = heading_key(line)
        if key is not None:
            current = key
            continue
        found[current].append(line)
    return {key: "\n".join(lines).strip() for key, lines in found.items()}


def compose_body(sections: Mapping[str, str], headings: Mapping[str, str]) -> str:
    """Join sections into one Markdown text under their headings (empty sections left out)."""
    parts = [
        f"## {headings[key]}\n\n{sections[key].strip()}"
        for key in SECTION_KEYS
        if (sections.get(key) or "").strip()
    ]
    return "\n\n".join(parts)


def clean_sections(sections: Mapping[str, str]) -> dict[str, str]:
    """Return the four sections, stripped, ignoring unknown keys."""
    return {key: str(sections.get(key) or "").strip() for key in SECTION_KEYS}
