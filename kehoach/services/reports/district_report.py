"""Compile the district's report: the figures, then each unit's and ward's text, then the
Culture Office's assessment, difficulties, next month's tasks and recommendations, under the
number, date and signer it chose — issued by the Office or by the district People's Committee.
"""

from __future__ import annotations

import re
from dataclasses import replace

from sqlalchemy import Engine

from kehoach.adapters.report_docx import ReportData, Section
from kehoach.domain.report_sections import SECTION_KEYS, parse_sections
from kehoach.i18n import t
from kehoach.services.reports.board import ReportView, list_reports
from kehoach.services.reports.district_draft import DistrictDraft, load_district_draft

_ROMAN = ("VII", "VIII", "IX", "X", "XI", "XII")


def _paragraphs(text: str) -> tuple[str, ...]:
    """Split free text into paragraphs, dropping Markdown heading and emphasis marks."""
    lines = (
        re.sub(r"^#{1,6}\s*", "", line).replace("**", "").strip() for line in text.splitlines()
    )
    return tuple(line for line in lines if line)


def _unit_sections(items: list[ReportView]) -> list[Section]:
    """One heading per unit or ward that reported, its sections under the plan's headings."""
    out = []
    for number, item in enumerate(items, start=1):
        name = t("report.ward_row", ward=item.ward) if item.ward else item.unit
        sections = item.sections or parse_sections(item.body)
        lines: list[str] = []
        letters = iter("abcd")
        for key in SECTION_KEYS:
            if body := _paragraphs(sections.get(key, "")):
                heading = re.sub(r"^\d+\.\s*", "", t(f"report.section.{key}"))
                lines.append(f"{next(letters)}) {heading}:")
                lines.extend(body)
        out.append(Section(f"{number}. {name}", paragraphs=tuple(lines), level=2))
    return out


def _office_sections(draft: DistrictDraft, first: int) -> list[Section]:
    parts = (
        ("assessment", draft.assessment),
        ("difficulties", draft.difficulties),
        ("next_tasks", draft.next_tasks),
        ("recommendations", draft.recommendations),
    )
    return [
        Section(
            t(f"report.compiled.h_{key}", n=_ROMAN[first + i]),
            paragraphs=_paragraphs(text) or (t("report.compiled.none"),),
        )
        for i, (key, text) in enumerate(parts)
    ]


def _number(draft: DistrictDraft) -> str:
    suffix = t(f"report.compiled.suffix.{draft.issuer}")
    number = draft.doc_number.strip()
    if not number:
        return t("report.compiled.number_blank", suffix=suffix)
    return t("report.compiled.number", number=number if "/" in number else f"{number}/{suffix}")


def _signer_title(draft: DistrictDraft) -> tuple[str, ...]:
    head = t(f"report.compiled.head.{draft.issuer}")
    own = draft.signer_title.strip().upper()
    if draft.sign_mode == "KT.":
        return (f"KT. {head}", own or t(f"report.compiled.deputy.{draft.issuer}"))
    if draft.sign_mode == "TM.":
        return (f"TM. {t(f'report.compiled.body.{draft.issuer}')}", own or head)
    return (own or head,)


def compile_district_report(
    engine: Engine, data: ReportData, month: str, campaign_id: int | None
) -> ReportData:
    """Add the units' texts and the Office's draft (texts, number, signer, issuer) to a report."""
    draft = load_district_draft(engine, month, campaign_id)
    items = list_reports(engine, month, campaign_id)
    units = Section(
        t("report.compiled.h_units"),
        paragraphs=(t("report.compiled.units_intro", n=len(items)) if items
                    else t("report.compiled.no_units"),),
    )  # fmt: skip
    sections = (*data.sections, units, *_unit_sections(items), *_office_sections(draft, 1))
    district = draft.issuer == "district"
    issuer = t(f"report.compiled.issuer.{draft.issuer}")
    return replace(
        data,
        parent_body="" if district else data.parent_body,
        issuer=issuer,
        number=_number(draft),
        sections=sections,
        recipients=tuple(t(f"report.compiled.recipients.{draft.issuer}").split("\n")),
        signer_title=_signer_title(draft),
        signer_name=draft.signer_name,
        author=issuer,
    )
