"""Monthly reports: units submit theirs, the board shows who is on time, the district's is written.

The plan's closing paragraph asks every unit to report monthly, before the 20th
(``Plan.report_deadline_day``), to the district through the Culture and Information Office.

Rules, kept explicit:

- *Who reports*: every unit of the newest plan except the Culture and Information Office
  itself (it receives the reports and writes the district's) and the bodies the plan only
  invites ("Đề nghị …": Party and Front bodies). The wards report as the unit "Ủy ban nhân
  dân các phường", one report per ward (``ward_id`` set); other units with ``ward_id`` None.
- *Who submits*: a ward officer for their own ward; staff and administrators for a unit they
  choose (a report received on paper, or the Culture Centre's own). Leaders and inspectors
  read the board only.
- *Deadline*: the report for month M is due before day D of month M (D = the plan's
  deadline day, 20 when the plan gives none), judged on the local date in Asia/Ho_Chi_Minh.
  On time: submitted on a local date before D; late: on D or after; missing: D has come and
  nothing was submitted; not yet due: D has not come and nothing was submitted.
- *Resubmission*: a unit may amend its report for a month at any time. The amendment
  replaces the text and the figures, but the first submission time is kept (``submitted_at``)
  so an amendment never turns a late report into an on-time one or the reverse; each
  amendment's time and author are kept in ``figures["amendments"]`` (the latest also in
  ``amended_at``/``amended_by_id``); the database refuses a second first submission.
- *Figures* are computed from the data as of the end of the month (or now, for the current
  month) by replaying the history (kehoach.services.timeline), never typed by hand.

The package follows those steps: ``months`` (months and deadlines), ``units`` (the plan, its
units and who reports), ``figures``, ``submitting``, ``board`` and ``documents`` (the
district's report and summary table).
"""

from kehoach.domain.progress import report_status
from kehoach.services.reports.board import (
    ReportView,
    board_summary,
    deadline_day,
    list_reports,
    report_board,
    unit_report,
)
from kehoach.services.reports.district_draft import (
    DistrictDraft,
    load_district_draft,
    save_district_draft,
)
from kehoach.services.reports.documents import (
    DOCUMENT_READERS,
    DistrictFigures,
    build_report_data,
    demo_count,
    district_figures,
    monthly_report_docx,
    require_documents,
    summary_table_xlsx,
)
from kehoach.services.reports.figures import draft_figures, draft_text
from kehoach.services.reports.months import last_day, month_of, parse_month
from kehoach.services.reports.review import Attachment, attach_file, attachment_bytes, return_report
from kehoach.services.reports.submitting import (
    MAX_BODY_CHARS,
    SubmittedReport,
    section_headings,
    submit_monthly_report,
)
from kehoach.services.reports.summary_print import printed_summary_xlsx
from kehoach.services.reports.units import (
    ReportingUnit,
    Target,
    is_reporting_unit,
    reporting_units,
)

__all__ = [
    "Attachment",
    "DistrictDraft",
    "attach_file",
    "attachment_bytes",
    "load_district_draft",
    "printed_summary_xlsx",
    "return_report",
    "save_district_draft",
    "section_headings",
    "DOCUMENT_READERS",
    "MAX_BODY_CHARS",
    "DistrictFigures",
    "ReportView",
    "ReportingUnit",
    "SubmittedReport",
    "Target",
    "board_summary",
    "build_report_data",
    "deadline_day",
    "demo_count",
    "district_figures",
    "draft_figures",
    "draft_text",
    "is_reporting_unit",
    "last_day",
    "list_reports",
    "month_of",
    "monthly_report_docx",
    "parse_month",
    "report_board",
    "report_status",
    "reporting_units",
    "require_documents",
    "submit_monthly_report",
    "summary_table_xlsx",
    "unit_report",
]
