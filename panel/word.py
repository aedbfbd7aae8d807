"""The report as a Word document (python-docx), from the same `Document` as the HTML and
the PDF (panel.documents): the same title, sentences, paragraphs, figures and tables, in
Word's own structures so that committee services can restyle, publish and read it with
a screen reader:

- headings in the Heading 1 (the title) and Heading 2 (each section) styles;
- tables as tables, their header row marked to repeat at the top of each page, no row
  split across two pages, the caption kept with the table and no row left alone;
- each figure as a PNG drawn from the same data as the page's SVG, with its text
  alternative (the picture's `descr`), its caption kept with it;
- the protective marking in the header and the footer of every page, and in the footer
  the as-at date and "Page N of M" (PAGE and NUMPAGES fields).
"""

import io
import re

from django.utils.dateformat import format as date_format
from docx import Document as new_word_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .printed import Document
from .report import Chart, Table

A4 = (Mm(210), Mm(297))
MARGIN = Mm(20)
TEXT_WIDTH = Mm(170)
# A table this short is kept on one page whole; a longer one breaks between rows.
KEPT_WHOLE = 15
GREY = RGBColor(0x50, 0x5A, 0x5F)


def word_document(document: Document) -> bytes:
    word = new_word_document()
    _page_setup(word, document)
    _title_block(word, document)
    for section in document.sections:
        word.add_heading(section.title, level=2)
        for sentence in section.sentences:
            word.add_paragraph(sentence)
        if section.own_text:
            for text in paragraphs_of(section.own_text):
                _lines(word.add_paragraph(), text)
        if section.chart:
            _figure(word, section.chart)
        for table in section.tables:
            _table(word, table)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _page_setup(word, document: Document) -> None:
    styles = word.styles
    styles["Normal"].font.name = "Arial"
    styles["Normal"].font.size = Pt(11)
    page = word.sections[0]
    page.orientation = WD_ORIENT.PORTRAIT
    page.page_width, page.page_height = A4
    page.left_margin = page.right_margin = page.top_margin = page.bottom_margin = MARGIN
    header = page.header.paragraphs[0]
    _marking(header, document.marking)
    footer = page.footer.paragraphs[0]
    _marking(footer, document.marking)
    numbers = page.footer.add_paragraph()
    numbers.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _small(numbers.add_run(f"{document.as_at} · Page "))
    _field(numbers, "PAGE")
    _small(numbers.add_run(" of "))
    _field(numbers, "NUMPAGES")


def _marking(paragraph, marking: str) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(marking)
    run.bold = True
    run.font.size = Pt(9)


def _small(run) -> None:
    run.font.size = Pt(8)


def _field(paragraph, instruction: str) -> None:
    """A field Word computes as it lays out the pages (PAGE, NUMPAGES): begin, the
    instruction, its last known result, end."""

    def part(element):
        run = paragraph.add_run()
        _small(run)
        run._r.append(element)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    part(begin)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} \\* MERGEFORMAT "
    part(text)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    part(separate)
    _small(paragraph.add_run("1"))
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    part(end)


def _title_block(word, document: Document) -> None:
    report = document.report
    published = (
        f", published {date_format(report.published_at, 'j F Y')}" if report.is_published else ""
    )
    caption = word.add_paragraph(
        f"{report.panel_name or 'Police, Fire and Crime Panel'}{published}"
    )
    caption.runs[0].font.color.rgb = GREY
    word.add_heading(report.title, level=1)
    rows = document.title_block
    grid = word.add_table(rows=len(rows), cols=2)
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    for row, (label, value) in zip(grid.rows, rows, strict=True):
        row.cells[0].paragraphs[0].add_run(label).bold = True
        row.cells[1].paragraphs[0].add_run(value)
    word.add_paragraph()  # Word joins two tables that touch


def paragraphs_of(text: str) -> list[str]:
    """A manager's own text as paragraphs, a blank line between two, as the page shows
    it (`linebreaks`)."""
    parts = re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
    return [part.strip() for part in parts if part.strip()]


def _lines(paragraph, text: str) -> None:
    """A paragraph of the manager's text, its single line breaks kept (python-docx
    writes a "\\n" in a run's text as a line break)."""
    paragraph.add_run(text)


def _caption(word, text: str, *, keep_with_next: bool):
    paragraph = word.add_paragraph(text, style="Caption")
    paragraph.paragraph_format.keep_with_next = keep_with_next
    return paragraph


def _figure(word, chart: Chart) -> None:
    picture = word.add_paragraph()
    picture.paragraph_format.keep_with_next = True  # with its caption, beneath it
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    shape = picture.add_run().add_picture(io.BytesIO(chart.image.png()), width=TEXT_WIDTH)
    properties = shape._inline.docPr
    properties.set("descr", chart.alt)
    properties.set("title", f"Figure {chart.number}")
    _caption(word, f"Figure {chart.number}: {chart.caption}", keep_with_next=False)


def _table(word, table: Table) -> None:
    _caption(word, table.caption, keep_with_next=True)
    rows = [table.header, *table.rows]
    grid = word.add_table(rows=len(rows), cols=len(table.header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    whole = len(table.rows) <= KEPT_WHOLE
    last = len(rows) - 1
    for index, (row, values) in enumerate(zip(grid.rows, rows, strict=True)):
        properties = row._tr.get_or_add_trPr()
        properties.append(_on("w:cantSplit"))
        if index == 0:
            properties.append(_on("w:tblHeader"))  # repeated at the top of each page
        # Kept with the next row: every row of a short table; of a long one, the header
        # and first row (never a header alone at a page's foot) and the row before the
        # last (never a last row alone at the top of a page).
        keep = index < last and (whole or index <= 1 or index == last - 1)
        for column, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run("" if value is None else str(value))
            run.font.size = Pt(10)
            run.bold = index == 0
            if column:  # figures, aligned as numbers are
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.keep_with_next = keep
            paragraph.paragraph_format.space_after = Pt(0)
    word.add_paragraph()  # Word joins two tables that touch


def _on(tag: str):
    element = OxmlElement(tag)
    element.set(qn("w:val"), "true")
    return element
