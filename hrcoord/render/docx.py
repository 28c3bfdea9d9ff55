"""Word documents with python-docx, styled the same way everywhere: a title, headings, tables with
a shaded header row that repeats on every page, label/value lines and simple Markdown.

Generic on purpose (meetings, reports): build with `new_document`, add content with the helpers,
finish with `to_bytes`. python-docx is imported inside the functions (start-up time).
"""
from __future__ import annotations

import io
from typing import Iterable, Sequence

FONT = "Calibri"
FONT_SIZE = 11
HEADER_FILL = "D9E2F3"  # light blue header row
LANG_TAGS = {"nb": "nb-NO", "en": "en-GB"}


def new_document(title: str, *, subtitle: str | None = None, lang: str = "nb", author: str | None = None,
                 subject: str | None = None, landscape: bool = False):
    """A document with the house style, its properties set and `title` (and `subtitle`) on top."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.5))
    section.top_margin = section.bottom_margin = Cm(2.0)

    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(FONT_SIZE)
    _set_east_asian_font(normal, FONT)
    _set_language(normal, LANG_TAGS.get(lang, "nb-NO"))
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Title", 22), ("Heading 1", 15), ("Heading 2", 13), ("Heading 3", 11.5)):
        st = styles[name]
        st.font.name = FONT
        _set_east_asian_font(st, FONT)
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.color.rgb = RGBColor(0x1F, 0x3A, 0x60)
        st.paragraph_format.space_before = Pt(12 if name != "Title" else 0)
        st.paragraph_format.space_after = Pt(4)
        st.paragraph_format.keep_with_next = True

    props = doc.core_properties
    props.title = title
    props.language = LANG_TAGS.get(lang, "nb-NO")
    if author:
        props.author = author
        props.last_modified_by = author
    if subject:
        props.subject = subject

    doc.add_paragraph(title, style="Title")
    if subtitle:
        p = doc.add_paragraph()
        run = p.add_run(subtitle)
        run.italic = True
    return doc


def add_heading(doc, text: str, level: int = 1):
    return doc.add_heading(text, level=level)


def add_paragraph(doc, text: str = "", *, bold: bool = False, italic: bool = False, style: str | None = None):
    p = doc.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        run.bold = bold
        run.italic = italic
    return p


def add_label_text(doc, label: str, text: str):
    """`Label: text` with the label bold — for time, place, deadlines."""
    p = doc.add_paragraph()
    p.paragraph_format.space_after = 0
    p.add_run(f"{label}: ").bold = True
    p.add_run(text)
    return p


def add_labelled_block(doc, pairs: Sequence[tuple[str, str]]):
    """Several `Label: text` lines, then a little space."""
    from docx.shared import Pt

    last = None
    for label, text in pairs:
        last = add_label_text(doc, label, text)
    if last is not None:
        last.paragraph_format.space_after = Pt(8)


def add_bullets(doc, items: Iterable[str], *, numbered: bool = False):
    style = "List Number" if numbered else "List Bullet"
    return [doc.add_paragraph(str(item), style=style) for item in items]


def add_table(doc, header: Sequence[str], rows: Iterable[Sequence], *, widths_cm: Sequence[float] | None = None,
              style: str = "Table Grid", font_size: float | None = None):
    """A table: bold shaded header row repeated on every page; cells hold text (None -> empty).
    `widths_cm` fixes the column widths."""
    from docx.shared import Cm, Pt

    rows = [list(r) for r in rows]
    table = doc.add_table(rows=1, cols=len(header))
    try:
        table.style = doc.styles[style]
    except KeyError:
        table.style = doc.styles["Table Grid"]
    hdr = table.rows[0]
    _repeat_header(hdr)
    for cell, text in zip(hdr.cells, header):
        cell.text = ""
        run = cell.paragraphs[0].add_run(str(text))
        run.bold = True
        if font_size:
            run.font.size = Pt(font_size)
        _shade(cell, HEADER_FILL)
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            text = "" if value is None else str(value)
            lines = text.split("\n")
            para = cell.paragraphs[0]
            for i, line in enumerate(lines):
                if i:
                    para = cell.add_paragraph()
                run = para.add_run(line)
                if font_size:
                    run.font.size = Pt(font_size)
    if widths_cm:
        table.autofit = False
        for row in table.rows:
            for cell, w in zip(row.cells, widths_cm):
                cell.width = Cm(w)
        for col, w in zip(table.columns, widths_cm):
            col.width = Cm(w)
    doc.add_paragraph()
    return table


def add_markdown(doc, text: str | None):
    """Simple Markdown (paragraphs, headings, bullet and numbered lists, bold, italic, code, links as
    text) as Word paragraphs. Raw HTML is not interpreted."""
    if not text or not text.strip():
        return
    from hrcoord.render.markdown import tokens as md_tokens

    tokens = md_tokens(text)
    list_styles: list[str] = []
    pending_style: str | None = None
    heading_level = 0
    for tok in tokens:
        t = tok.type
        if t == "bullet_list_open":
            list_styles.append("List Bullet")
        elif t == "ordered_list_open":
            list_styles.append("List Number")
        elif t in ("bullet_list_close", "ordered_list_close"):
            list_styles.pop()
        elif t == "heading_open":
            heading_level = min(int(tok.tag[1]), 3)
        elif t == "paragraph_open":
            pending_style = list_styles[-1] if list_styles else None
        elif t == "inline":
            if heading_level:
                doc.add_heading(tok.content, level=heading_level)
                heading_level = 0
            else:
                p = doc.add_paragraph(style=pending_style)
                _add_inline(p, tok.children or [])
        elif t in ("fence", "code_block"):
            p = doc.add_paragraph()
            run = p.add_run(tok.content.rstrip("\n"))
            run.font.name = "Consolas"


def _add_inline(paragraph, children):
    bold = italic = False
    href = None
    for child in children:
        t = child.type
        if t == "strong_open":
            bold = True
        elif t == "strong_close":
            bold = False
        elif t == "em_open":
            italic = True
        elif t == "em_close":
            italic = False
        elif t == "link_open":
            href = child.attrGet("href")
        elif t == "link_close":
            if href:
                paragraph.add_run(f" ({href})")
            href = None
        elif t in ("softbreak", "hardbreak"):
            paragraph.add_run().add_break()
        elif t in ("text", "code_inline"):
            run = paragraph.add_run(child.content)
            run.bold = bold
            run.italic = italic
            if t == "code_inline":
                run.font.name = "Consolas"


def to_bytes(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --- low-level XML touches python-docx has no API for ---------------------------------------------
def _shade(cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _set_language(style, tag: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)


def _set_east_asian_font(style, name: str) -> None:
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):  # a theme font would win
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
