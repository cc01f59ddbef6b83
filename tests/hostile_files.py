"""Build hostile spreadsheets and Word files: zip bombs, sheets declaring millions of rows."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from itertools import chain
from pathlib import Path

import docx

from kehoach.adapters.summary_table import write_table
from tests.test_summary_table import make_row

SHEET = "xl/worksheets/sheet1.xml"


def small_xlsx(rows: int = 3) -> bytes:
    """Return a valid summary table of ``rows`` sites."""
    return write_table([make_row((105.81 + i / 1e4, 20.99, "Khương Trung"), STT=i + 1)
                        for i in range(rows)])


def rewrite(package: bytes, name: str, edit: object) -> bytes:
    """Return ``package`` with member ``name`` replaced by ``edit(old_text)``."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == name:
                data = edit(data.decode("utf-8")).encode("utf-8")  # type: ignore[operator]
            target.writestr(info.filename, data)
    return out.getvalue()


def far_row_xlsx(row: int) -> bytes:
    """Return a small table with one more cell at ``row`` (a 5 KB file claiming it all)."""
    cell = f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>x</t></is></c></row>'
    return rewrite(small_xlsx(), SHEET, lambda xml: xml.replace("</sheetData>",
                                                                cell + "</sheetData>"))


def declared_rows_xlsx(row: int) -> bytes:
    """Return a small table whose sheet's ``<dimension>`` claims rows up to ``row``."""
    dimension = f'<dimension ref="A1:K{row}"/>'
    return rewrite(small_xlsx(), SHEET, lambda xml: xml.replace("<sheetViews>",
                                                                dimension + "<sheetViews>", 1))


def _stream(archive: zipfile.ZipFile, name: str, parts: Iterator[bytes]) -> None:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as out:
        for part in parts:
            out.write(part)


def _repeat(head: bytes, unit: bytes, inflated_mb: int, tail: bytes) -> Iterator[bytes]:
    yield head
    block = unit * (1024 * 1024 // len(unit))
    for _ in range(inflated_mb):
        yield block
    yield tail


def xlsx_bomb(inflated_mb: int) -> bytes:
    """Return a valid table whose sheet is followed by ``inflated_mb`` MB of blank rows."""
    source = zipfile.ZipFile(io.BytesIO(small_xlsx()))
    sheet = source.read(SHEET)
    head, tail = sheet.split(b"</sheetData>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename != SHEET:
                target.writestr(info.filename, source.read(info.filename))
        unit = b'<row><c t="inlineStr"><is><t> </t></is></c></row>'
        _stream(target, SHEET, _repeat(head, unit, inflated_mb, b"</sheetData>" + tail))
    return out.getvalue()


def long_cell_xlsx(size: int) -> bytes:
    """Return a table with one inline-string cell of ``size`` varied characters."""
    text = "".join(chr(0x61 + (i * 7919) % 26) for i in range(size))
    return rewrite(small_xlsx(), SHEET, lambda xml: xml.replace(
        "</sheetData>",
        f'<row r="9"><c r="A9" t="inlineStr"><is><t>{text}</t></is></c></row></sheetData>'))


def many_cells_xlsx(cells: int) -> bytes:
    """Return a table with ``cells`` more numeric cells, 20 to a row."""
    rows = "".join(
        f'<row r="{r}">' + "".join(f"<c><v>{r * 20 + c}</v></c>" for c in range(20)) + "</row>"
        for r in range(10, 10 + cells // 20))
    return rewrite(small_xlsx(), SHEET, lambda xml: re.sub(
        r"<dimension [^>]*/>", "", xml.replace("</sheetData>", rows + "</sheetData>")))


def plain_docx(path: Path, paragraphs: list[str]) -> Path:
    """Write a .docx holding ``paragraphs`` and return its path."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def docx_with_body(path: Path, paragraphs: Iterator[bytes]) -> Path:
    """Write a .docx whose body holds the given ``<w:p>`` elements, streamed in."""
    template = plain_docx(path.with_suffix(".seed.docx"), ["KẾ HOẠCH"])
    source = zipfile.ZipFile(template)
    head, tail = source.read("word/document.xml").split(b"<w:sectPr", 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info.filename, source.read(info.filename))
        _stream(target, "word/document.xml",
                chain([head], paragraphs, [b"<w:sectPr" + tail]))
    return path


def docx_bomb(path: Path, inflated_mb: int) -> Path:
    """Write a .docx whose body inflates to ``inflated_mb`` MB of identical paragraphs."""
    unit = "<w:p><w:r><w:t>Treo cờ</w:t></w:r></w:p>".encode()
    return docx_with_body(path, _repeat(b"", unit, inflated_mb, b""))


def long_docx(path: Path, paragraphs: int) -> Path:
    """Write a .docx of ``paragraphs`` short, different paragraphs."""
    return docx_with_body(path, (
        f"<w:p><w:r><w:t>Mục {i}: treo cờ tại số {i * 7 % 1000}</w:t></w:r></w:p>".encode()
        for i in range(paragraphs)))
