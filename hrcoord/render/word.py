"""Word documents: a `render.document.Document` laid out on the repository's reference document.

The reference (`templates/word/reference.docx` in the repository, else the one shipped in
hrcoord/templates/word/) supplies page size, margins, styles, header, footer and logo; this module
empties its body and writes the document's blocks into it, fills the header and footer
placeholders (render/reference.py lists them), sets the language on every style and the core
properties, and saves with fixed zip timestamps: the same document gives the same bytes.

The body is written as WordprocessingML text and parsed once (python-docx's object API costs
milliseconds per paragraph, which a report on a thousand measures feels).
"""
from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from hrcoord.render.document import (
    Bars,
    Bullets,
    Document,
    DocumentMeta,
    Fields,
    Heading,
    Markdown,
    Paragraph,
    Table,
    pruned,
)
from hrcoord.render.widths import fit_columns

HEADER_FILL = "D9E2F3"
LANG_TAGS = {"nb": "nb-NO", "en": "en-GB"}
PLACEHOLDER = re.compile(r"\{(organisation|document_type|title|reference|date|page_word|of_word)\}")
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
BAR_CELLS = 20
KEEP_TOGETHER_ROWS = 6


def reference_path(repo) -> Path:
    """The repository's reference document, else the packaged default."""
    from hrcoord.render.reference import PACKAGED

    own = Path(repo.root) / "templates" / "word" / "reference.docx" if repo is not None else None
    return own if own is not None and own.is_file() else PACKAGED


def render(repo, doc: Document) -> bytes:
    """The document as .docx bytes, on the repository's reference document."""
    from docx import Document as open_docx

    word = open_docx(str(reference_path(repo)))
    _empty_body(word)
    lang_tag = language_tag(doc.meta.lang)
    _set_languages(word, lang_tag)
    values = header_values(doc.meta)
    _fill_header_footer(word, values)
    writer = BodyWriter(word, usable_width(word))
    writer.title(doc.meta.title, doc.subtitle)
    for block in pruned(doc.blocks):
        writer.block(block)
    writer.finish()
    _core_properties(word, doc.meta, lang_tag)
    from hrcoord.render.reference import fixed_zip

    buf = io.BytesIO()
    word.save(buf)
    return fixed_zip(buf.getvalue())


def language_tag(lang: str) -> str:
    from hrcoord.core.labels import words

    return LANG_TAGS.get(lang) or str(words(lang, "meta").get("bcp47") or "nb-NO")


def header_values(meta: DocumentMeta) -> dict[str, str]:
    """What the placeholders of the header and footer become."""
    from hrcoord.core.labels import words
    from hrcoord.render.dates import long_date

    t = words(meta.lang, "documents")
    return {"organisation": meta.organisation, "document_type": meta.kind, "title": meta.title,
            "reference": f"{t['our_ref']} {meta.reference}" if meta.reference else "",
            "date": long_date(meta.date, meta.lang) if meta.date else "",
            "page_word": t["page"], "of_word": t["of"]}


def created_time(meta: DocumentMeta) -> dt.datetime:
    """The file's created/modified time: --stamp, else noon of the document's date (reproducible)."""
    if meta.stamp:
        return dt.datetime.fromisoformat(meta.stamp).astimezone(dt.UTC).replace(tzinfo=None)
    day = meta.date or dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day, 12, 0, 0)


def usable_width(word) -> int:
    """The text width of the first section in twips (page width less the margins)."""
    section = word.sections[0]
    emu = section.page_width - section.left_margin - section.right_margin
    return int(emu / 635)  # 635 EMU to a twip


# --- the reference's parts ---------------------------------------------------------------------------
def _empty_body(word) -> None:
    body = word.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)


def _set_languages(word, tag: str) -> None:
    """`tag` on the document defaults and every style (a style's own language would win)."""
    from docx.oxml.ns import qn

    styles = word.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    targets = [s for s in styles.findall(qn("w:style")) if s.get(qn("w:type")) in ("paragraph", "character", "table")]
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None:
            _lang_on(rpr_default, tag, wrap=True)
    for style in targets:
        _lang_on(style, tag, wrap=True)
    settings = word.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), tag)


def _lang_on(parent, tag: str, *, wrap: bool) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = parent.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr = parent.find(qn("w:pPr"))
        if ppr is not None:
            ppr.addnext(rpr)
        else:
            parent.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)
    if lang.get(qn("w:eastAsia")) is not None:
        lang.set(qn("w:eastAsia"), tag)


def _parts(word, kind: str) -> list:
    """Every header (or footer) part the sections define, linked ones once."""
    seen, out = set(), []
    for section in word.sections:
        for attr in (kind, f"first_page_{kind}", f"even_page_{kind}"):
            part = getattr(section, attr)
            if part.is_linked_to_previous:
                continue
            if id(part._element) not in seen:
                seen.add(id(part._element))
                out.append(part)
    return out


def _fill_header_footer(word, values: dict[str, str]) -> None:
    headers, footers = _parts(word, "header"), _parts(word, "footer")
    found_type = False
    for part in headers + footers:
        found_type |= _fill_placeholders(part._element, values)
    if not found_type:
        _add_header_line(word, values)
    if not any(_has_page_field(part._element) for part in footers):
        _add_footer_line(word, values)


def _fill_placeholders(element, values: dict[str, str]) -> bool:
    """Replace the placeholders in every paragraph of a header or footer part; a paragraph that held
    placeholders and is left empty goes. Returns whether `{document_type}` was among them."""
    from docx.oxml.ns import qn

    saw_type = False
    for p in list(element.iter(qn("w:p"))):
        texts = list(p.iter(qn("w:t")))
        joined = "".join(t.text or "" for t in texts)
        matches = list(PLACEHOLDER.finditer(joined))
        if not matches:
            continue
        saw_type |= any(m.group(1) == "document_type" for m in matches)
        _replace_spans(texts, matches, values)
        if not "".join(t.text or "" for t in texts).strip() and _removable(p):
            p.getparent().remove(p)
    return saw_type


def _replace_spans(texts: list, matches: list, values: dict[str, str]) -> None:
    """Placeholders may be split over runs (Word does that): the value goes into the run where the
    placeholder starts, the rest of it is cut from the runs after."""
    bounds, pos = [], 0
    for t in texts:
        bounds.append((pos, pos + len(t.text or "")))
        pos += len(t.text or "")
    for m in reversed(matches):
        start_i = next(i for i, (a, b) in enumerate(bounds) if a <= m.start() < b)
        end_i = next(i for i, (a, b) in enumerate(bounds) if a < m.end() <= b)
        a0, a1 = bounds[start_i][0], bounds[end_i][0]
        first, last = texts[start_i], texts[end_i]
        tail = (last.text or "")[m.end() - a1:]
        head = (first.text or "")[:m.start() - a0]
        for t in texts[start_i + 1:end_i + 1]:
            t.text = ""
        first.text = head + values[m.group(1)] + (tail if end_i == start_i else "")
        if end_i != start_i:
            last.text = tail
        first.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _removable(p) -> bool:
    """A paragraph may go unless it is the last one of its table cell or part (both need one)."""
    parent = p.getparent()
    siblings = [c for c in parent if c.tag == p.tag]
    return len(siblings) > 1


def _has_page_field(element) -> bool:
    from docx.oxml.ns import qn

    instructions = [t.text or "" for t in element.iter(qn("w:instrText"))]
    instructions += [f.get(qn("w:instr")) or "" for f in element.iter(qn("w:fldSimple"))]
    return any(re.search(r"\bPAGE\b", i) for i in instructions)


def _add_header_line(word, values: dict[str, str]) -> None:
    """A reference whose header names no document type gets one line: type · reference · date."""
    header = word.sections[0].header
    parts = [values["document_type"], values["reference"], values["date"]]
    p = header.add_paragraph(" · ".join(x for x in parts if x))
    p.style = _style_or_none(word, "Header")


def _add_footer_line(word, values: dict[str, str]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from hrcoord.render.reference import add_field

    footer = word.sections[0].footer
    p = footer.add_paragraph()
    p.style = _style_or_none(word, "Footer")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(f"{values['page_word']} ")
    add_field(p, "PAGE")
    p.add_run(f" {values['of_word']} ")
    add_field(p, "NUMPAGES")


def _style_or_none(word, name: str):
    try:
        return word.styles[name]
    except KeyError:
        return None


def _core_properties(word, meta: DocumentMeta, lang_tag: str) -> None:
    props = word.core_properties
    when = created_time(meta)
    props.title = meta.title
    props.subject = meta.subject or meta.kind
    props.author = props.last_modified_by = meta.organisation or ""
    props.category = meta.kind
    props.language = lang_tag
    props.keywords = props.comments = ""
    props.identifier = meta.reference or ""
    props.created = props.modified = props.last_printed = when
    props.revision = 1


# --- the body ------------------------------------------------------------------------------------------
def x(text: Any) -> str:
    """Text as XML character data (characters XML cannot hold are dropped)."""
    return xml_escape(_BAD_XML.sub("", str(text)))


class BodyWriter:
    """Writes the blocks as WordprocessingML, parsed and put before the body's section properties
    at the end. Styles are looked up by name in the reference; a missing one means direct format."""

    def __init__(self, word, width: int):
        self.word = word
        self.width = width
        self.parts: list[str] = []
        self._style_ids: dict[str, str | None] = {}

    # -- primitives
    def style_id(self, name: str | None) -> str | None:
        if not name:
            return None
        if name not in self._style_ids:
            style = _style_or_none(self.word, name)
            self._style_ids[name] = style.style_id if style is not None else None
        return self._style_ids[name]

    @staticmethod
    def run(text: str, *, bold: bool = False, italic: bool = False, size: float | None = None,
            mono: bool = False) -> str:
        rpr = ("<w:rFonts w:ascii=\"Consolas\" w:hAnsi=\"Consolas\"/>" if mono else "") + \
            ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "") + \
            (f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>' if size else "")
        return (f"<w:r>{'<w:rPr>' + rpr + '</w:rPr>' if rpr else ''}"
                f'<w:t xml:space="preserve">{x(text)}</w:t></w:r>')

    def p(self, runs: str = "", *, style: str | None = None, after: float | None = None,
          keep_next: bool = False, before: float | None = None) -> str:
        sid = self.style_id(style)
        spacing = ""
        if after is not None or before is not None:
            spacing = "<w:spacing" + (f' w:before="{round(before * 20)}"' if before is not None else "") + \
                (f' w:after="{round(after * 20)}"' if after is not None else "") + "/>"
        ppr = (f'<w:pStyle w:val="{x(sid)}"/>' if sid else "") + ("<w:keepNext/>" if keep_next else "") + spacing
        return f"<w:p>{'<w:pPr>' + ppr + '</w:pPr>' if ppr else ''}{runs}</w:p>"

    def add(self, xml: str) -> None:
        self.parts.append(xml)

    # -- blocks
    def title(self, title: str, subtitle: str) -> None:
        self.add(self.p(self.run(title), style="Title") if self.style_id("Title") else
                 self.p(self.run(title, bold=True, size=20)))
        if subtitle:
            self.add(self.p(self.run(subtitle, italic=True), style="Subtitle", after=10))

    def block(self, block) -> None:
        getattr(self, type(block).__name__.lower())(block)  # Heading -> self.heading …

    def heading(self, h: Heading) -> None:
        style = f"Heading {min(max(h.level, 1), 3)}"
        runs = self.run(h.text) if self.style_id(style) else self.run(h.text, bold=True, size=14 - 1.5 * h.level)
        self.add(self.p(runs, style=style, keep_next=True))

    def paragraph(self, para: Paragraph) -> None:
        self.add(self.p(self.run(para.text, bold=para.emphasis == "bold", italic=para.emphasis == "italic"),
                        keep_next=para.keep_with_next))

    def fields(self, f: Fields) -> None:
        for i, (label, value) in enumerate(f.pairs):
            last = i == len(f.pairs) - 1
            self.add(self.p(self.run(f"{label}: ", bold=True) + self.run(value), after=8 if last else 0,
                            keep_next=not last))

    def bullets(self, b: Bullets) -> None:
        style = "List Number" if b.numbered else "List Bullet"
        for item in b.items:
            self.add(self.p(self.run(item), style=style))

    def table(self, t: Table) -> None:
        if t.caption:
            self.add(self.p(self.run(t.caption, bold=True), style="Caption", keep_next=True, before=6))
        size, widths = fit_columns([c.header for c in t.columns], [c.kind for c in t.columns], t.rows,
                                   self.width, t.font_size or 10.0)
        self.add(self._table_xml([c.header for c in t.columns], t.rows, widths, size))
        if t.note:
            self.add(self.p(self.run(t.note, italic=True, size=9), after=6))
        self.add(self.p(after=0))  # two tables in a row would otherwise merge into one

    def _table_xml(self, header: list[str] | None, rows: list[list[Any]], widths: list[int], size: float,
                   shade: dict | None = None, tight: bool = False, grid: bool = True) -> str:
        sid = self.style_id("Table Grid") if grid else None
        out = ["<w:tbl><w:tblPr>", f'<w:tblStyle w:val="{x(sid)}"/>' if sid else "",
               f'<w:tblW w:type="dxa" w:w="{sum(widths)}"/>', '<w:tblLayout w:type="fixed"/>',
               '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
               'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>',
               *(f'<w:gridCol w:w="{w}"/>' for w in widths), "</w:tblGrid>"]
        after = 0 if tight else 2
        if header is not None:
            out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
            out += [self._cell(h, w, size, after, fill=HEADER_FILL, bold=True, keep_next=True)
                    for h, w in zip(header, widths, strict=False)]
            out.append("</w:tr>")
        cols = len(widths)
        together = len(rows) <= KEEP_TOGETHER_ROWS  # a short table is not split over two pages
        for i, values in enumerate(rows):
            values = list(values) + [""] * (cols - len(values))
            keep = together and i < len(rows) - 1
            out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            out += [self._cell(v, w, size, after, fill=(shade or {}).get((i, j)), keep_next=keep)
                    for j, (v, w) in enumerate(zip(values, widths, strict=False))]
            out.append("</w:tr>")
        out.append("</w:tbl>")
        return "".join(out)

    def _cell(self, value: Any, width: int, size: float, after: float, *, fill: str | None = None,
              bold: bool = False, keep_next: bool = False) -> str:
        text = "" if value is None else str(value)
        paras = "".join(self.p(self.run(line, bold=bold, size=size) if line else "", after=after, before=0,
                               keep_next=keep_next)
                        for line in text.split("\n"))
        shd = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
        return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shd}</w:tcPr>{paras}</w:tc>'

    def bars(self, b: Bars) -> None:
        """Label | number | BAR_CELLS cells, as many shaded as the bar is long."""
        biggest = max([n for _, n, _ in b.bars] + [1])
        shade = {}
        for i, (_, n, colour) in enumerate(b.bars):
            for j in range(round(BAR_CELLS * n / biggest) if n else 0):
                shade[(i, 2 + j)] = colour.lstrip("#").upper()
        label_w = min(int(self.width * 0.35), 3000)
        cell_w = (self.width - label_w - 700) // BAR_CELLS
        rows = [[label, n] + [""] * BAR_CELLS for label, n, _ in b.bars]
        self.add(self.p(self.run(b.title, bold=True), keep_next=True, before=6))
        self.add(self._table_xml(None, rows, [label_w, 700] + [cell_w] * BAR_CELLS, 9, shade=shade, tight=True,
                                 grid=False))
        self.add(self.p(after=0))

    def markdown(self, md: Markdown) -> None:
        from hrcoord.render.word_markdown import paragraphs

        for style, runs in paragraphs(md.text):
            self.add(self.p("".join(self.run(text, bold=b, italic=i, mono=m) for text, b, i, m in runs),
                            style=style))

    def finish(self) -> None:
        from docx.oxml.ns import nsdecls
        from docx.oxml.parser import parse_xml

        body = self.word.element.body
        anchor = body.sectPr if body.sectPr is not None else body.get_or_add_sectPr()
        fragment = parse_xml(f"<w:body {nsdecls('w')}>{''.join(self.parts)}</w:body>")
        for el in list(fragment):
            anchor.addprevious(el)
        self.parts = []

