"""Parse a Vietnamese administrative plan (Kế hoạch) from .txt or .docx into plain records.

The parser knows the general shape of such a plan, not any particular plan:

* a header (issuing agency, "Số: .../KH-...", "<Place>, ngày .. tháng .. năm ....");
* the "KẾ HOẠCH" heading, then the title line(s), then a preamble ("Căn cứ ...",
  "Thực hiện ..., UBND ... xây dựng kế hoạch ... như sau:");
* Roman-numbered sections ("I. MỤC ĐÍCH, YÊU CẦU", ...), one of which is
  "TỔ CHỨC THỰC HIỆN": Arabic-numbered units ("1. Phòng ...") with bullet tasks;
* a closing paragraph, the "Nơi nhận:" block and the signature ("TM. ỦY BAN NHÂN DÂN").

Every bad input (empty file, wrong encoding, broken .docx, text that is not a plan)
raises :class:`~kehoach.domain.errors.NotAPlan` with an English detail string.

The package is split by concern: ``records`` (the output types), ``reading`` (.txt and .docx
into paragraphs), ``header`` (dates, number, place, agency), ``body`` (title, sections,
references, deadlines, task kinds), ``units``, ``streets`` and ``document`` (the whole parse
and the command line).
"""

from kehoach.adapters.plan_parser.body import classify_task
from kehoach.adapters.plan_parser.document import (
    MAX_FILE_BYTES,
    main_parse_cli,
    parse_plan_file,
    parse_plan_text,
)
from kehoach.adapters.plan_parser.records import (
    DocumentRef,
    FlagWindow,
    ParsedPlan,
    Section,
    StreetMention,
    Task,
    Unit,
)

__all__ = [
    "MAX_FILE_BYTES",
    "DocumentRef",
    "FlagWindow",
    "ParsedPlan",
    "Section",
    "StreetMention",
    "Task",
    "Unit",
    "classify_task",
    "main_parse_cli",
    "parse_plan_file",
    "parse_plan_text",
]
