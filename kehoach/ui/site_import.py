"""Import the summary table with a preview (all rows or none), and offer downloads.

The import service keeps the checked plan of each file (by its hash), so the reruns of this
page and the final commit do not read or check the file again. Downloads are built only when
the user clicks them (``st.download_button`` with a callable).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from kehoach.adapters.summary_table import MAX_BYTES, template_xlsx, write_table
from kehoach.domain.errors import DomainError
from kehoach.domain.permissions import Actor
from kehoach.i18n import t
from kehoach.services import site_export
from kehoach.services.site_import import ImportReport, import_file
from kehoach.ui import clear_read_caches, current_campaign_id, engine, show_error
from kehoach.ui.formats import with_dashes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

IMPORT_UPLOAD_MB = MAX_BYTES // (1024 * 1024)  # the uploader refuses bigger tables itself


def _run(actor: Actor, data: bytes, name: str, dry_run: bool) -> ImportReport | None:
    bar = st.progress(0.0, text=t("import.checking"))

    def progress(done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=t("import.progress", done=done, total=total))

    try:
        return import_file(engine(), actor, data, name, dry_run=dry_run, on_progress=progress,
                           campaign_id=current_campaign_id())  # fmt: skip
    except DomainError as exc:
        show_error(exc)
        return None
    finally:
        bar.empty()


def _show_report(report: ImportReport) -> None:
    st.markdown(
        t(
            "import.summary",
            total=report.total_rows,
            to_add=report.to_add,
            skipped=report.skipped_existing,
            problems=len(report.problems),
        )
    )
    if report.problems:
        st.error(t("import.rejected", n=len(report.problems)))
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("import.col.row"): p.row_number,
                        t("import.col.column"): p.column,
                        t("import.col.problem"): p.message,
                    }
                    for p in report.problems
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    elif report.preview:
        _show_readings(report)
    if report.to_update:
        st.info(t("import.preview.updates", n=len(report.to_update)))


def _show_readings(report: ImportReport) -> None:
    """Show where each row was read on a map, coloured by how, and a table of readings."""
    from kehoach.adapters.mapview import build_map, empty_sites
    from kehoach.adapters.reading_map import SOURCE_COLORS, ReadRow, add_readings
    from kehoach.ui import base_layers, map_options
    from kehoach.ui.maps import show_map

    attention = sum(r.new.needs_confirmation or r.new.unplaced for r in report.rows)
    if attention:
        st.warning(t("import.preview.attention", n=attention))
    legend = {source: t(f"import.source.{source}") for source in SOURCE_COLORS}
    rows = [ReadRow(r.geometry, r.source, f"{r.row_number}: {r.new.position_text}",
                    r.explanation, r.new.needs_confirmation) for r in report.rows]
    st.caption(t("import.preview.map"))
    fmap = build_map(base_layers(), empty_sites(), map_options(height=380))
    show_map(add_readings(fmap, rows, legend), "import-reading-map", 380)
    table = pd.DataFrame(list(report.preview))
    table.insert(1, t("import.preview.source"),
                 [t(f"import.source.{r.source}") for r in report.rows])
    table.insert(2, t("import.preview.reading"), [r.explanation for r in report.rows])
    st.dataframe(with_dashes(table), hide_index=True, width="stretch", height=260)


def import_widget(actor: Actor, on_done: Callable[[], None]) -> None:
    """Upload XLSX/CSV, preview what will be added and what is wrong, then commit."""
    with st.expander(t("import.title")):
        st.caption(t("import.hint"))
        upload = st.file_uploader(
            t("import.file", mb=IMPORT_UPLOAD_MB),
            type=["xlsx", "csv"],
            key="import-file",
            max_upload_size=IMPORT_UPLOAD_MB,
        )
        if upload is None:
            return
        data = upload.getvalue()
        report = _run(actor, data, upload.name, dry_run=True)
        if report is None:
            return
        _show_report(report)
        changes = report.to_add + len(report.to_update)
        if not report.ok or changes == 0:
            return
        if st.button(t("import.commit", n=changes), type="primary", key="import-commit"):
            done = _run(actor, data, upload.name, dry_run=False)
            if done is not None and done.committed:
                message = t("import.done", n=done.added)
                if done.updated:
                    codes = ", ".join(u.code for u in done.updated)
                    message += " " + t("import.updated", n=len(done.updated), codes=codes)
                st.session_state["flash_success"] = message
                clear_read_caches()
                on_done()
                st.rerun()


def export_file(
    db: Engine, actor: Actor, include_demo: bool, fmt: str, campaign_id: int | None = None
) -> Callable[[], bytes]:
    """Return what builds the export file when the download is clicked, not before."""
    return lambda: write_table(
        site_export.export_sites(db, actor, include_demo, campaign_id=campaign_id), fmt
    )


def export_widget(actor: Actor) -> None:
    """Offer the empty template and the current sites (XLSX/CSV) for download."""
    with st.expander(t("export.title")):
        c1, c2, c3 = st.columns(3)
        c1.download_button(
            t("export.template"),
            template_xlsx,
            "bieu-tong-hop-mau.xlsx",
            mime=XLSX,
            key="dl-template",
        )
        include_demo = st.checkbox(t("export.include_demo"), value=False, key="dl-demo")
        db, campaign_id = engine(), current_campaign_id()
        count = site_export.count_exportable(db, actor, include_demo, campaign_id)
        c2.download_button(
            t("export.xlsx", n=count),
            export_file(db, actor, include_demo, "xlsx", campaign_id),
            "bieu-tong-hop-diem-truc-quan.xlsx",
            mime=XLSX,
            key="dl-xlsx",
        )
        c3.download_button(
            t("export.csv", n=count),
            export_file(db, actor, include_demo, "csv", campaign_id),
            "bieu-tong-hop-diem-truc-quan.csv",
            mime="text/csv",
            key="dl-csv",
        )
