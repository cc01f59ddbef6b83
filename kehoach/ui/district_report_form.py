"""Widgets for the Culture Office's side of reports: the compiled report's form, returning a
unit's report with a comment, and a report's attached files."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from kehoach.domain.errors import DomainError
from kehoach.domain.permissions import DISTRICT_REPORT_WRITERS, REPORT_REVIEWERS, Actor
from kehoach.i18n import t
from kehoach.services import reports
from kehoach.ui import clear_read_caches, current_campaign_id, engine, md, show_error
from kehoach.ui.formats import month_label

SIGN_MODES = ("", "KT.", "TM.")
ISSUERS = ("office", "district")


def compile_form(actor: Actor, month: str) -> None:
    """Show the texts, number, date and signer the Office writes into the month's report."""
    if actor.role not in DISTRICT_REPORT_WRITERS:
        return
    campaign_id = current_campaign_id()
    draft = reports.load_district_draft(engine(), month, campaign_id)
    st.subheader(t("reports.compile.title"), anchor=False)
    with st.form(f"district-draft-{month}", enter_to_submit=False):
        texts = {
            name: st.text_area(t(f"reports.compile.{name}"), value=getattr(draft, name),
                               height=120, key=f"compile-{name}")
            for name in ("assessment", "difficulties", "next_tasks", "recommendations")
        }  # fmt: skip
        cols = st.columns(2)
        number = cols[0].text_input(t("reports.compile.number"), value=draft.doc_number,
                                    max_chars=40, key="compile-number")  # fmt: skip
        dated = cols[1].date_input(t("reports.compile.date"), value=draft.doc_date,
                                   format="DD/MM/YYYY", key="compile-date")  # fmt: skip
        name = cols[0].text_input(t("reports.compile.signer_name"), value=draft.signer_name,
                                  max_chars=120, key="compile-signer-name")  # fmt: skip
        title = cols[1].text_input(t("reports.compile.signer_title"), value=draft.signer_title,
                                   max_chars=120, key="compile-signer-title")  # fmt: skip
        mode = cols[0].radio(
            t("reports.compile.sign_mode"), SIGN_MODES, index=SIGN_MODES.index(draft.sign_mode),
            format_func=lambda m: m or t("reports.compile.sign_mode.none"), horizontal=True,
            key="compile-sign-mode",
        )  # fmt: skip
        issuer = cols[1].radio(
            t("reports.compile.issuer"), ISSUERS, index=ISSUERS.index(draft.issuer),
            format_func=lambda i: t(f"reports.compile.issuer.{i}"), horizontal=True,
            key="compile-issuer",
        )  # fmt: skip
        saved = st.form_submit_button(t("reports.compile.save"), type="primary")
    if not saved:
        return
    new = reports.DistrictDraft(**texts, doc_number=number, doc_date=dated or None,
                                signer_name=name, signer_title=title, sign_mode=mode,
                                issuer=issuer)  # fmt: skip
    try:
        reports.save_district_draft(engine(), actor, month, new, campaign_id)
    except DomainError as exc:
        show_error(exc)
        return
    st.session_state["flash_success"] = t("reports.compile.saved", month=month_label(month))
    st.rerun()


def return_form(actor: Actor, item: reports.ReportView) -> None:
    """Let the Office send a report back with a comment (shown inside the report's expander)."""
    if actor.role not in REPORT_REVIEWERS:
        return
    with st.form(f"return-{item.id}", enter_to_submit=False):
        comment = st.text_area(t("reports.return.comment"), key=f"return-comment-{item.id}")
        sent = st.form_submit_button(t("reports.return.send"))
    if not sent:
        return
    try:
        reports.return_report(engine(), actor, item.id, comment)
    except DomainError as exc:
        show_error(exc)
        return
    clear_read_caches()
    st.session_state["flash_success"] = t("reports.return.done")
    st.rerun()


def review_notes(item: reports.ReportView) -> None:
    """Show a returned report's comment and its attached files (downloads built on click)."""
    if item.returned:
        st.warning(md(t("reports.return.badge", comment=item.review_comment)))
    for i, file in enumerate(item.attachments):
        st.download_button(
            t("reports.attach.download", name=file.get("name", "")),
            data=_loader(item.id, str(file.get("stored", ""))),
            file_name=file.get("name", "tep"),
            key=f"attachment-{item.id}-{i}",
        )


def _loader(report_id: int, stored: str) -> Callable[[], bytes]:
    """Return a function that reads an attachment only when its download is clicked."""
    return lambda: reports.attachment_bytes(engine(), report_id, stored)


def attach_uploader(actor: Actor, report_id: int) -> None:
    """Offer to attach one file to the unit's submitted report."""
    upload = st.file_uploader(t("reports.attach.label"), type=["pdf", "docx", "xlsx", "jpg",
                              "jpeg", "png"], key=f"attach-{report_id}")  # fmt: skip
    if upload is None or st.session_state.get(f"attached-{report_id}") == upload.file_id:
        return
    try:
        reports.attach_file(engine(), actor, report_id, upload.name, upload.getvalue())
    except DomainError as exc:
        show_error(exc)
        return
    st.session_state[f"attached-{report_id}"] = upload.file_id
    clear_read_caches()
    st.success(t("reports.attach.done", name=md(upload.name)))
