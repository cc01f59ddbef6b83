"""Write a report as a Word document in the Vietnamese administrative layout (Decree 30/2020).

Pure: a ``ReportData`` in, the .docx bytes out. The service composes every sentence and
figure; this module only knows the layout of Appendix I of Decree 30/2020/NĐ-CP:

- A4, margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm; Times New Roman;
- top left the issuing body (parent body in capitals, the issuer in bold capitals with a
  short rule under it) and the number "Số: …/BC-…"; top right the national title in bold
  capitals and the motto in bold, underlined, then the place and date in italics;
- the kind of document ("BÁO CÁO") in bold capitals, the subject line in bold under it;
- body 13 pt, justified, first-line indent 1.27 cm, 6 pt between paragraphs, single spacing;
- bottom left "Nơi nhận:" in bold italics (12 pt) with the recipients in 11 pt; bottom right
  the signer's title in bold capitals and the signer's name in bold;
- page numbers centred in the header from the second page.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
BODY_PT = 13
TABLE_PT = 11.5
RECIPIENT_PT = 11
PAGE_WIDTH_CM = 21.0
PAGE_HEIGHT_CM = 29.7
MARGINS_CM = {"top": 2.0, "bottom": 2.0, "left": 3.0, "right": 1.5}
TEXT_WIDTH_CM = PAGE_WIDTH_CM - MARGINS_CM["left"] - MARGINS_CM["right"]
HEADER_WIDTHS_CM = (7.3, TEXT_WIDTH_CM - 7.3)
HEADER_PT = 12
IMAGE_WIDTH_CM = 14.5
WARNING_RED = RGBColor(0xB9, 0x1C, 0x1C)


@dataclass(frozen=True)
class TableBlock:
    """A table of the report: header cells, body rows, optional column widths (cm)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths_cm: tuple[float, ...] = ()
    numeric_from: int = 2  # columns from this index are right-aligned figures
    bold_last_row: bool = False  # a total row
    bold_rows: tuple[int, ...] = ()  # body rows (0-based) set in bold, e.g. group headings


@dataclass(frozen=True)
class Section:
    """A numbered part of the body: heading, paragraphs, then a table or an image."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    table: TableBlock | None = None
    image_png: bytes | None = None
    caption: str = ""
    after: tuple[str, ...] = ()  # paragraphs after the table or image
    level: int = 1  # 2: a sub-heading (bold italic), e.g. one unit's report


@dataclass(frozen=True)
class ReportData:
    """Everything a report document shows, already worded and formatted."""

    parent_body: str  # e.g. "UBND QUẬN THANH XUÂN"
    issuer: str  # e.g. "PHÒNG VĂN HÓA VÀ THÔNG TIN"
    number: str  # e.g. "Số:      /BC-VHTT"
    nation: str  # "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    motto: str  # "Độc lập - Tự do - Hạnh phúc"
    place_date: str  # e.g. "Thanh Xuân, ngày 26 tháng 11 năm 2026"
    kind: str  # "BÁO CÁO"
    subject: str
    intro: tuple[str, ...]
    sections: tuple[Section, ...]
    recipients_title: str  # "Nơi nhận:"
    recipients: tuple[str, ...]
    signer_title: tuple[str, ...]  # e.g. ("TRƯỞNG PHÒNG",)
    signer_name: str = ""
    warning: str = ""  # shown boxed under the title and in every page header (demo data)
    header_note: str = ""
    title_for_properties: str = ""
    author: str = ""
    created: date | None = None


def _set_run_font(
    run,
    size: float | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    underline: bool | None = None,
) -> None:
    run.font.name = FONT
    r_fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        r_fonts.set(qn(attr), FONT)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    if italic is not None:
        run.font.italic = italic
    if underline is not None:
        run.font.underline = underline


def _paragraph(
    container,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    before: float = 0,
    after: float = 0,
    indent_cm: float | None = None,
) -> Paragraph:
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.first_line_indent = Cm(indent_cm) if indent_cm is not None else Cm(0)
    if text:
        run = paragraph.add_run(text)
        _set_run_font(run, size, bold, italic, underline)
    return paragraph


def _rule(paragraph: Paragraph, side: str = "bottom") -> None:
    """Draw a thin line along one side of a paragraph (the short rules of the header)."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), "6")
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), "000000")
    borders.append(line)
    p_pr.append(borders)


def _box(paragraph: Paragraph, color: str = "B91C1C") -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "12")
        line.set(qn("w:space"), "4")
        line.set(qn("w:color"), color)
        borders.append(line)
    p_pr.append(borders)


def _short_rule(cell: _Cell, width_cm: float, cell_width_cm: float) -> None:
    side = max((cell_width_cm - width_cm) / 2, 0)
    paragraph = _paragraph(cell, after=0)
    paragraph.paragraph_format.left_indent = Cm(side)
    paragraph.paragraph_format.right_indent = Cm(side)
    paragraph.paragraph_format.line_spacing = Pt(2)
    _rule(paragraph, "top")


def _page_number(paragraph: Paragraph) -> None:
    run = paragraph.add_run()
    _set_run_font(run, BODY_PT)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _setup(document: DocxDocument, data: ReportData) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    r_fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        r_fonts.set(qn(attr), FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Cm(PAGE_WIDTH_CM)
    section.page_height = Cm(PAGE_HEIGHT_CM)
    section.top_margin = Cm(MARGINS_CM["top"])
    section.bottom_margin = Cm(MARGINS_CM["bottom"])
    section.left_margin = Cm(MARGINS_CM["left"])
    section.right_margin = Cm(MARGINS_CM["right"])
    section.header_distance = Cm(1.0)
    # Decree 30: page numbers from the second page, centred at the top.
    section.different_first_page_header_footer = True
    header = section.header
    number = header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(number)
    if data.header_note:
        for target in (header, section.first_page_header):
            note = _paragraph(target, data.header_note, size=10, bold=True)
            note.runs[0].font.color.rgb = WARNING_RED
    props = document.core_properties
    props.title = data.title_for_properties or data.subject
    props.author = data.author
    props.language = "vi-VN"
    if data.created:
        props.created = datetime.combine(data.created, time(12, 0))


def _header_block(document: DocxDocument, data: ReportData) -> None:
    table = document.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _widths(table, HEADER_WIDTHS_CM)
    _cell_margins(table, 0.05)
    left, right = table.cell(0, 0), table.cell(0, 1)
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if data.parent_body:
        _set_run_font(left.paragraphs[0].add_run(data.parent_body), HEADER_PT)
        _paragraph(left, data.issuer, size=HEADER_PT, bold=True)
    else:  # the issuer has no parent body line (e.g. a district People's Committee)
        for i, line in enumerate(data.issuer.split("\n")):
            paragraph = left.paragraphs[0] if i == 0 else _paragraph(left)
            _set_run_font(paragraph.add_run(line), HEADER_PT, bold=True)
    _short_rule(left, 2.6, HEADER_WIDTHS_CM[0])
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_run_font(right.paragraphs[0].add_run(data.nation), HEADER_PT, bold=True)
    _paragraph(right, data.motto, size=BODY_PT + 1, bold=True, underline=True)
    number, place = table.cell(1, 0), table.cell(1, 1)
    number.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    number.paragraphs[0].paragraph_format.space_before = Pt(6)
    _set_run_font(number.paragraphs[0].add_run(data.number), BODY_PT)
    place.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    place.paragraphs[0].paragraph_format.space_before = Pt(6)
    _set_run_font(place.paragraphs[0].add_run(data.place_date), BODY_PT + 1, italic=True)


def _widths(table: Table, widths_cm: tuple[float, ...]) -> None:
    """Fix column widths in the grid and every cell (LibreOffice reads the grid, Word both)."""
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for column, width in zip(table.columns, widths_cm, strict=False):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)


def _cell_margins(table: Table, cm: float) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(int(cm * 567)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def _keep_rows_whole(table: Table) -> None:
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        element = OxmlElement("w:cantSplit")
        element.set(qn("w:val"), "true")
        tr_pr.append(element)


def _title(document: DocxDocument, data: ReportData) -> None:
    _paragraph(document, data.kind, size=BODY_PT + 1, bold=True, before=18)
    subject = _paragraph(document, data.subject, size=BODY_PT + 1, bold=True, after=2)
    subject.paragraph_format.left_indent = Cm(1.0)
    subject.paragraph_format.right_indent = Cm(1.0)
    line = _paragraph(document, after=12)
    side = (TEXT_WIDTH_CM - 4.0) / 2
    line.paragraph_format.left_indent = Cm(side)
    line.paragraph_format.right_indent = Cm(side)
    line.paragraph_format.line_spacing = Pt(2)
    _rule(line, "top")
    if data.warning:
        box = _paragraph(document, data.warning, size=BODY_PT, bold=True, before=0, after=12)
        box.runs[0].font.color.rgb = WARNING_RED
        _box(box)


def _body_paragraph(document: DocxDocument, text: str) -> Paragraph:
    return _paragraph(document, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6, indent_cm=1.27)


def _shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def _repeat_header(table: Table) -> None:
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def _data_table(document: DocxDocument, block: TableBlock) -> None:
    table = document.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = not block.widths_cm
    for i, text in enumerate(block.header):
        cell = table.cell(0, i)
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_run_font(paragraph.add_run(text), TABLE_PT, bold=True)
        _shade(cell, "F1F5F9")
    _repeat_header(table)
    last = len(block.rows) - 1
    for r, row in enumerate(block.rows, start=1):
        bold = (block.bold_last_row and r - 1 == last) or (r - 1) in block.bold_rows
        for i, text in enumerate(row):
            paragraph = table.cell(r, i).paragraphs[0]
            if i == 0 or i >= block.numeric_from:
                paragraph.alignment = (
                    WD_ALIGN_PARAGRAPH.CENTER if i == 0 else WD_ALIGN_PARAGRAPH.RIGHT
                )
            _set_run_font(paragraph.add_run(text), TABLE_PT, bold=bold)
    if block.widths_cm:
        _widths(table, block.widths_cm)
    _paragraph(document, after=6)


def _image(document: DocxDocument, png: bytes, caption: str) -> None:
    document.add_picture(io.BytesIO(png), width=Cm(IMAGE_WIDTH_CM))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.paragraphs[-1].paragraph_format.keep_with_next = bool(caption)
    if caption:
        _paragraph(document, caption, size=BODY_PT - 1, italic=True, after=6)


def _sections(document: DocxDocument, data: ReportData) -> None:
    for text in data.intro:
        _body_paragraph(document, text)
    for section in data.sections:
        heading = _paragraph(
            document,
            section.heading,
            bold=True,
            italic=section.level > 1,
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            before=6,
            after=6,
            indent_cm=1.27,
        )
        heading.paragraph_format.keep_with_next = True
        for text in section.paragraphs:
            paragraph = _body_paragraph(document, text)
            # A heading and its lead-in travel with the table or map that follows them.
            paragraph.paragraph_format.keep_with_next = bool(section.table or section.image_png)
        if section.table is not None:
            _data_table(document, section.table)
        if section.image_png:
            _image(document, section.image_png, section.caption)
        for text in section.after:
            _body_paragraph(document, text)


def _closing(document: DocxDocument, data: ReportData) -> None:
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _widths(table, (TEXT_WIDTH_CM / 2, TEXT_WIDTH_CM / 2))
    _keep_rows_whole(table)
    left, right = table.cell(0, 0), table.cell(0, 1)
    title = left.paragraphs[0]
    title.paragraph_format.space_before = Pt(12)
    _set_run_font(title.add_run(data.recipients_title), 12, bold=True, italic=True)
    for line in data.recipients:
        _paragraph(left, line, size=RECIPIENT_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
    first = right.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    first.paragraph_format.space_before = Pt(12)
    for i, line in enumerate(data.signer_title):
        paragraph = first if i == 0 else _paragraph(right)
        _set_run_font(paragraph.add_run(line), BODY_PT + 1, bold=True)
    spacer = _paragraph(right)
    for _ in range(4):
        spacer.add_run().add_break(WD_BREAK.LINE)
    _paragraph(right, data.signer_name, size=BODY_PT + 1, bold=True)


def write_report_docx(data: ReportData) -> bytes:
    """Return the .docx bytes of a report laid out per Decree 30/2020/NĐ-CP."""
    document = Document()
    _setup(document, data)
    _header_block(document, data)
    _title(document, data)
    _sections(document, data)
    _closing(document, data)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
