"""The inspection page's offline pack panel: download a pack, upload its results.

Session state keeps the built pack (until another is asked for), the last import's counts,
its conflicts as plain values and the conflicts the inspector dropped; never ORM objects.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

import streamlit as st

from kehoach.domain.errors import DomainError
from kehoach.domain.inspection import InspectionOutcome
from kehoach.i18n import format_local_time, label, t
from kehoach.services.inspections.offline import ImportReport, PackScope, import_results, make_pack
from kehoach.ui import (
    clear_read_caches,
    current_campaign_id,
    engine,
    md,
    show_error,
    status_label,
    street_names,
    ward_names,
)
from kehoach.ui.location import Where

PACK = "offline_pack_built"
REPORT = "offline_import_report"
DROPPED = "offline_dropped"
UPLOAD = "offline_results_files"
BY = ("ward", "street", "near")
DEFAULT_RADIUS_M = 500


def offline_pack_panel(actor: Any, where: Where) -> None:
    """Show the offline pack panel: make and download a pack, import its results."""
    # Keyed, so the panel stays open while the list above it changes between reruns.
    with st.expander(t("offline.title"), icon=":material/cloud_off:", key="offline_panel"):
        st.caption(t("offline.intro"))
        _pack_form(actor, where)
        st.divider()
        _import_form(actor)


def _pack_form(actor: Any, where: Where) -> None:
    by = st.radio(t("offline.by"), BY, format_func=lambda v: t(f"offline.by.{v}"),
                  horizontal=True, key="offline_by")  # fmt: skip
    scope: PackScope | None = None
    if by == "ward":
        wards = ward_names()
        ward_ids: list[int] = list(wards)
        ward_id = st.selectbox(
            t("offline.by.ward"), ward_ids, format_func=lambda i: wards.get(i, ""),
            key="offline_ward",
        )  # fmt: skip
        scope = PackScope(ward_id=ward_id)
    elif by == "street":
        streets = street_names()
        ids: list[int] = list(streets)
        default = ids.index(where.street_id) if where.street_id in streets else 0
        street_id = st.selectbox(t("offline.by.street"), ids, index=default,
                                 format_func=lambda i: streets.get(i, ""),
                                 key="offline_street")  # fmt: skip
        scope = PackScope(street=streets[street_id]) if street_id is not None else None
    else:
        radius = st.number_input(t("offline.radius"), 50, 10_000, DEFAULT_RADIUS_M, 50,
                                 key="offline_radius")  # fmt: skip
        if where.lon is None or where.lat is None:
            st.info(t("offline.need_position"))
        else:
            scope = PackScope(near=(where.lon, where.lat), radius_m=float(radius))
    if st.button(t("offline.make"), disabled=scope is None, key="offline_make") and scope:
        try:
            scope = dataclasses.replace(scope, campaign_id=current_campaign_id())
            html, pack = make_pack(engine(), actor, scope)
        except DomainError as exc:
            show_error(exc)
            return
        st.session_state[PACK] = {"html": html, "n": len(pack.sites), "id": pack.pack_id}
    built = st.session_state.get(PACK)
    if built:
        st.download_button(
            t("offline.download", n=built["n"]), built["html"],
            file_name=f"goi-kiem-tra-{built['id'][:8]}.html", mime="text/html",
            icon=":material/download:", key="offline_download", on_click="ignore",
        )  # fmt: skip


def _import_form(actor: Any) -> None:
    files = st.file_uploader(t("offline.upload"), type=["json"], accept_multiple_files=True,
                             key=UPLOAD)  # fmt: skip
    if files and st.button(t("offline.import"), key="offline_import", type="primary"):
        _run_import(actor, [f.getvalue() for f in files], ())
    _show_report(actor, [f.getvalue() for f in files or []])


def _run_import(actor: Any, data: list[bytes], confirm: tuple[str, ...]) -> None:
    try:
        report = import_results(engine(), actor, data, confirm)
    except DomainError as exc:
        st.session_state.pop(REPORT, None)
        show_error(exc)
        return
    st.session_state[REPORT] = _plain(report)
    if report.stored:
        clear_read_caches()


def _plain(report: ImportReport) -> dict[str, Any]:
    """Keep only plain values of a report in the session."""
    return {
        "stored": len(report.stored),
        "duplicates": len(report.duplicates),
        "failed": [list(f) for f in report.failed],
        "conflicts": [
            {
                "uuid": c.uuid, "code": c.code, "name": c.name, "outcome": c.outcome,
                "at": c.recorded_at.isoformat(), "old": c.pack_version,
                "new": c.current_version, "status": c.current_status,
            }
            for c in report.conflicts
        ],
    }  # fmt: skip


def _show_report(actor: Any, data: list[bytes]) -> None:
    report = st.session_state.get(REPORT)
    if not report:
        return
    dropped: set[str] = st.session_state.setdefault(DROPPED, set())
    conflicts = [c for c in report["conflicts"] if c["uuid"] not in dropped]
    st.success(t("offline.report", stored=report["stored"], duplicates=report["duplicates"],
                 conflicts=len(conflicts), failed=len(report["failed"])))  # fmt: skip
    for _uuid, code, reason in report["failed"]:
        st.warning(md(t("offline.failed", code=code, reason=reason)))
    if conflicts:
        st.subheader(t("offline.conflicts"), anchor=False)
    for c in conflicts:
        outcome = label(InspectionOutcome(c["outcome"])) if c["outcome"] in {
            o.value for o in InspectionOutcome} else c["outcome"]  # fmt: skip
        st.warning(md(t("offline.conflict", code=c["code"], name=c["name"], outcome=outcome,
                        at=format_local_time(datetime.fromisoformat(c["at"])), old=c["old"],
                        new=c["new"], status=status_label(c["status"]))))  # fmt: skip
        left, right = st.columns(2)
        if left.button(t("offline.confirm"), key=f"offline_confirm_{c['uuid']}",
                       disabled=not data):  # fmt: skip
            _run_import(actor, data, (c["uuid"],))
            st.rerun()
        if right.button(t("offline.drop"), key=f"offline_drop_{c['uuid']}"):
            dropped.add(c["uuid"])
            st.toast(t("offline.dropped", code=md(c["code"])))
            st.rerun()
