"""The default Word reference document (`hrcoord/templates/word/reference.docx`), made with python-docx.

A repository's own `templates/word/reference.docx` replaces it, the way pandoc's `--reference-doc`
works: it supplies the page size, margins, styles, header and footer (with a logo, where the
office has one); hrcoord fills the body. Text in the header and footer may hold placeholders that
each document fills in:

    {organisation} {document_type} {title} {reference} {date} {page_word} {of_word}

`{reference}` becomes "Vår ref. 14/01234-1" (or nothing, and a line holding nothing else goes);
`{page_word}`/`{of_word}` are "Side"/"av" in Norwegian. A header without `{document_type}` gets a
line with the document type, reference and date added; a footer without a PAGE field gets
"Side X av Y" (render/word.py).

Regenerate the shipped file after changing this module (a test checks it is up to date):

    .venv/bin/python -m hrcoord.render.reference hrcoord/templates/word/reference.docx
"""
from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

FONT = "Calibri"
BLUE = (0x1F, 0x3A, 0x60)
PACKAGED = Path(__file__).resolve().parent.parent / "templates" / "word" / "reference.docx"
HEADINGS = (("Title", 20, 0), ("Subtitle", 12, 0), ("Heading 1", 15, 14), ("Heading 2", 13, 12),
            ("Heading 3", 11.5, 10))


def build() -> bytes:
    """The default reference document: A4, 2.5 cm margins, Calibri, the header and footer."""
    from docx import Document
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.0)
    section.header_distance, section.footer_distance = Cm(1.0), Cm(1.0)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(11)
    normal.paragraph_format.space_after = Pt(4)
    _styles(doc)
    _header(doc, section)
    _footer(section)
    for p in list(doc.element.body):
        if p.tag.endswith("}p"):
            doc.element.body.remove(p)
    when = dt.datetime(2025, 1, 1, 12, 0, 0)
    props = doc.core_properties
    props.title = props.subject = props.author = props.last_modified_by = props.comments = ""
    props.created = props.modified = props.last_printed = when
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return fixed_zip(buf.getvalue())


def _styles(doc) -> None:
    from docx.shared import Pt, RGBColor

    for name, size, before in HEADINGS:
        st = doc.styles[name]
        st.font.name, st.font.size, st.font.bold = FONT, Pt(size), name != "Subtitle"
        st.font.italic = name == "Subtitle"
        st.font.color.rgb = RGBColor(*BLUE)
        st.paragraph_format.space_before = Pt(before)
        st.paragraph_format.space_after = Pt(4)
        st.paragraph_format.keep_with_next = True
        _plain_fonts(st)
        _no_border(st)
    for name in ("Caption", "Header", "Footer", "List Bullet", "List Number", "Table Grid"):
        _plain_fonts(doc.styles[name])
    caption = doc.styles["Caption"]
    caption.font.size, caption.font.bold, caption.font.italic = Pt(10), True, False
    caption.font.color.rgb = RGBColor(0x22, 0x22, 0x22)
    caption.paragraph_format.keep_with_next = True
    doc.styles["Header"].font.size = doc.styles["Footer"].font.size = Pt(9)


def _plain_fonts(style) -> None:
    """The style names its font itself (a theme font would win in Word, and differ in LibreOffice)."""
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _no_border(style) -> None:
    """python-docx's Title has a bottom rule; a letter has none under its title."""
    from docx.oxml.ns import qn

    ppr = style.element.find(qn("w:pPr"))
    border = ppr.find(qn("w:pBdr")) if ppr is not None else None
    if border is not None:
        ppr.remove(border)


def _header(doc, section) -> None:
    """Organisation and date on the first line, document type and reference on the second, a rule."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Cm

    header = section.header
    header.is_linked_to_previous = False
    right = section.page_width - section.left_margin - section.right_margin
    for name in ("Header", "Footer"):  # python-docx's styles carry centre and right tabs of US Letter
        tabs = doc.styles[name].paragraph_format.tab_stops
        tabs.clear_all()
        tabs.add_tab_stop(right, WD_TAB_ALIGNMENT.RIGHT)
    first = header.paragraphs[0]
    second = header.add_paragraph()
    for p, (left_text, right_text) in ((first, ("{organisation}", "{date}")),
                                       (second, ("{document_type}", "{reference}"))):
        p.style = "Header"
        p.paragraph_format.space_after = Cm(0)
        run = p.add_run(left_text)
        run.bold = p is first
        p.add_run("\t")
        p.add_run(right_text)
    _bottom_rule(second)


def _bottom_rule(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "4"), ("w:color", "1F3A60")):
        bottom.set(qn(k), v)
    border.append(bottom)
    ppr.insert_element_before(border, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc",
                              "w:rPr", "w:sectPr")  # the schema's order: Word refuses another


def _footer(section) -> None:
    """"Side X av Y", centred, with PAGE and NUMPAGES fields."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    footer = section.footer
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("{page_word} ")
    add_field(p, "PAGE")
    p.add_run(" {of_word} ")
    add_field(p, "NUMPAGES")


def add_field(paragraph, instruction: str) -> None:
    """A complex field (begin, instruction, separate, a cached "1", end): Word and LibreOffice both
    update PAGE and NUMPAGES when they lay the page out."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str):
        run = paragraph.add_run()
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        run._r.append(fld)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    char("separate")
    paragraph.add_run("1")
    char("end")


def fixed_zip(raw: bytes) -> bytes:
    """The same package with fixed member timestamps and order: same content, same bytes."""
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else PACKAGED
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(build())
    print(f"wrote {target}")
