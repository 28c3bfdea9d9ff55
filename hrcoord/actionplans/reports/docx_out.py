"""The reports as Word documents (python-docx), from the same models as the other formats.

Uses the house style of hrcoord/render/docx.py. The status distribution is drawn as a native
table-chart: one row per status, its bar a run of shaded cells (Word shows it without images, and
it prints). Output is reproducible: fixed document dates (the end of the reported period, or now
with --stamp) and fixed zip timestamps.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from xml.sax.saxutils import escape as xml_escape

from hrcoord.render import docx as d
from hrcoord.actionplans.reports.labels import STATUS_COLOURS

BAR_CELLS = 20


_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text) -> str:
    """Text as XML character data (characters XML cannot hold are dropped)."""
    return xml_escape(_BAD_XML.sub("", str(text)))


def _twips(cm: float) -> int:
    return round(cm * 1440 / 2.54)


class Writer:
    """Writes paragraphs and tables as WordprocessingML text, parsed once at the end and placed
    before the body's section properties.

    python-docx's object API costs milliseconds per run and paragraph (style look-ups by name,
    insertion points found by scanning the body), which makes a report on a thousand measures take
    many seconds; this writer produces the same markup in a fraction of the time. The look is the
    house style of render/docx.py (its document, styles and header shading)."""

    def __init__(self, doc):
        self.doc = doc
        self.parts: list[str] = []
        self._styles: dict[str, str | None] = {}

    def style_id(self, name: str | None) -> str | None:
        if not name:
            return None
        if name not in self._styles:
            try:
                self._styles[name] = self.doc.styles[name].style_id
            except KeyError:
                self._styles[name] = None
        return self._styles[name]

    @staticmethod
    def run(text: str, *, bold: bool = False, italic: bool = False, size: float | None = None) -> str:
        rpr = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "") + \
            (f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>' if size else "")
        return (f"<w:r>{'<w:rPr>' + rpr + '</w:rPr>' if rpr else ''}"
                f'<w:t xml:space="preserve">{_x(text)}</w:t></w:r>')

    def p_xml(self, runs: str = "", *, style: str | None = None, space_after: float | None = None) -> str:
        sid = self.style_id(style)
        ppr = (f'<w:pStyle w:val="{_x(sid)}"/>' if sid else "") + \
            (f'<w:spacing w:after="{round(space_after * 20)}"/>' if space_after is not None else "")
        return f"<w:p>{'<w:pPr>' + ppr + '</w:pPr>' if ppr else ''}{runs}</w:p>"

    def paragraph(self, text: str = "", *, style: str | None = None, bold: bool = False, italic: bool = False,
                  size: float | None = None) -> None:
        self.parts.append(self.p_xml(self.run(text, bold=bold, italic=italic, size=size) if text else "", style=style))

    def heading(self, text: str, level: int) -> None:
        self.paragraph(text, style=f"Heading {level}")

    def labelled(self, pairs) -> None:
        """`Label: text` lines (label bold), a little space after the last — as render/docx.py."""
        pairs = list(pairs)
        for i, (label, text) in enumerate(pairs):
            self.parts.append(self.p_xml(self.run(f"{label}: ", bold=True) + self.run(str(text)),
                                         space_after=8 if i == len(pairs) - 1 else 0))

    def bullets(self, items) -> None:
        for item in items:
            self.paragraph(str(item), style="List Bullet")

    def table(self, header, rows, *, widths_cm=None, font_size: float | None = None, style: str | None = "Table Grid",
              shade: dict | None = None, tight: bool = False) -> None:
        """A table; `header` (None: none) is bold, shaded and repeated on every page. `shade` maps
        (row, column) of the body rows to a fill colour."""
        rows = [list(r) for r in rows]
        cols = len(header) if header is not None else max((len(r) for r in rows), default=1)
        widths = [_twips(w) for w in widths_cm] if widths_cm else [_twips(16.0 / cols)] * cols
        sid = self.style_id(style)
        out = ["<w:tbl><w:tblPr>", f'<w:tblStyle w:val="{_x(sid)}"/>' if sid else "",
               '<w:tblW w:type="auto" w:w="0"/>', '<w:tblLayout w:type="fixed"/>' if widths_cm else "",
               '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
               'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>',
               *(f'<w:gridCol w:w="{w}"/>' for w in widths), "</w:tblGrid>"]
        after = 0 if tight else None

        def cell(value, width, fill=None, bold=False) -> str:
            text = "" if value is None else str(value)
            paras = "".join(self.p_xml(self.run(line, bold=bold, size=font_size) if line else "", space_after=after)
                            for line in text.split("\n"))
            shd = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
            return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shd}</w:tcPr>{paras}</w:tc>'

        if header is not None:
            out.append('<w:tr><w:trPr><w:tblHeader/></w:trPr>')
            out += [cell(h, w, d.HEADER_FILL, True) for h, w in zip(header, widths)]
            out.append("</w:tr>")
        for i, values in enumerate(rows):
            values = values + [""] * (cols - len(values))
            out.append("<w:tr>")
            out += [cell(v, w, (shade or {}).get((i, j))) for j, (v, w) in enumerate(zip(values, widths))]
            out.append("</w:tr>")
        out.append("</w:tbl>")
        self.parts.append("".join(out))

    def finish(self) -> None:
        """Parse what was written and put it into the document, before its section properties."""
        from docx.oxml.ns import nsdecls
        from docx.oxml.parser import parse_xml

        if not self.parts:
            return
        body = self.doc.element.body
        anchor = body.sectPr if body.sectPr is not None else body.get_or_add_sectPr()
        fragment = parse_xml(f"<w:body {nsdecls('w')}>{''.join(self.parts)}</w:body>")
        for el in list(fragment):
            anchor.addprevious(el)
        self.parts = []


def _label(t: dict, key: str | None) -> str:
    return t.get(key, key or "") if key else ""


def add_status_chart(w: Writer, counts: dict[str, int], t: dict, title: str) -> None:
    """A bar chart made of table cells: label | number | BAR_CELLS cells, the first ones shaded."""
    items = [(s, n) for s, n in counts.items() if n or s != "none"]
    biggest = max([n for _, n in items] + [1])
    w.paragraph(title, bold=True)
    shade = {}
    for i, (status, n) in enumerate(items):
        colour = STATUS_COLOURS.get(status, "#888888").lstrip("#").upper()
        for j in range(round(BAR_CELLS * n / biggest) if n else 0):
            shade[(i, 2 + j)] = colour
    w.table(None, [[_label(t, s), n] + [""] * BAR_CELLS for s, n in items],
            widths_cm=[4.2, 1.2] + [0.5] * BAR_CELLS, font_size=9, style=None, shade=shade, tight=True)
    w.paragraph()


def reproducible(doc, when: dt.datetime) -> bytes:
    """Save with fixed core-property dates and zip timestamps: same model, same bytes."""
    props = doc.core_properties
    props.created = when
    props.modified = when
    props.last_printed = when
    props.revision = 1
    raw = d.to_bytes(doc)
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def table(w: Writer, header, rows, **kw) -> None:
    """A table and an empty paragraph after it, as render/docx.add_table does."""
    w.table(header, rows, **kw)
    w.paragraph()


def _when(stamp: str | None, day: dt.date) -> dt.datetime:
    if stamp:
        return dt.datetime.fromisoformat(stamp).astimezone(dt.timezone.utc).replace(tzinfo=None)
    return dt.datetime(day.year, day.month, day.day, 12, 0, 0)


def _long(day, lang: str) -> str:
    from hrcoord.render.dates import long_date

    return long_date(day, lang) if day else ""


def _short(day, lang: str) -> str:
    from hrcoord.render.dates import short_date

    return short_date(day, lang) if day else ""


# --- the annual action-plan report -----------------------------------------------------------------
def action_plan(r, t: dict, *, author: str | None = None) -> bytes:
    lang = r.lang
    title = f"{t['ap_title']} {r.year}"
    doc = d.new_document(title, subtitle=t["ap_intro"].format(year=r.year), lang=lang, author=author,
                         subject=title)
    w = Writer(doc)
    if r.stamp:
        w.paragraph(f"{t['generated']}: {r.stamp}", italic=True)
    if not r.plans:
        w.paragraph(t["no_plans"].format(year=r.year))
    statuses = [s for s in r.counts if s != "none" or r.counts["none"]]
    if len(r.plans) > 1:
        w.heading(f"{t['summary']} – {t['all_plans'].lower()}", 1)
        add_status_chart(w, r.counts, t, t["chart"])
        header = [t["plan"], t["measures"], *[_label(t, s) for s in statuses], t["overdue_short"], t["delayed_short"]]
        rows = [[p.title, p.total, *[p.counts[s] for s in statuses], p.overdue, p.delayed] for p in r.plans]
        rows.append([t["total"], r.total, *[r.counts[s] for s in statuses], r.overdue, r.delayed])
        table(w, header, rows, font_size=8)
    for p in r.plans:
        w.heading(p.title, 1)
        w.labelled([(t["ministry"], p.ministry), (t["period"], f"{p.period_from}–{p.period_to}"),
                                   (t["measures"], str(p.total))])
        w.heading(t["summary"], 2)
        add_status_chart(w, p.counts, t, t["chart"])
        rows = [[_label(t, s), n] for s, n in p.counts.items() if n or s != "none"]
        rows.append([t["total"], p.total])
        table(w, [t["status_year_end"], t["count"]], rows, widths_cm=[7, 2.5])
        w.labelled([(t["overdue"], str(p.overdue)), (t["delayed_flag"], str(p.delayed))])
        w.heading(t["measures"], 2)
        for m in p.measures:
            if m.closed_earlier:
                continue
            w.heading(f"{m.number}: {m.title}", 3)
            pairs = [(t["role"], _label(t, m.role))]
            if m.lead_agency:
                pairs.append((t["lead_agency"], m.lead_agency))
            pairs += [(t["department"], f"{m.department_name} ({m.department})"),
                      (t["deadline"], _long(m.deadline, lang) if m.deadline else t["no_deadline"]),
                      (t["status_year_end"], _label(t, m.status))]
            w.labelled(pairs)
            flags = [x for x, on in ((t["overdue"], m.overdue), (t["delayed_flag"], m.delayed)) if on]
            if flags:
                w.paragraph(" · ".join(flags), bold=True)
            if m.entries:
                w.paragraph(t["entries_year"].format(year=r.year), italic=True)
                table(w, [t["date"], t["status"], t["note"], t["by"]],
                            [[_long(e.date, lang), _label(t, e.status), e.note or "", e.by or ""] for e in m.entries],
                            widths_cm=[3, 2.5, 7.5, 3], font_size=9)
            else:
                w.paragraph(t["no_entries"].format(year=r.year), italic=True)
        w.heading(t["closed_earlier"].format(year=r.year), 2)
        earlier = [m for m in p.measures if m.closed_earlier]
        if earlier:
            w.bullets([f"{m.number}: {m.title} – {_label(t, m.status)}" for m in earlier])
        else:
            w.paragraph(t["closed_earlier_none"])
        w.heading(t["changes"].format(prev=r.year - 1), 2)
        if p.changes:
            table(w, [t["measures"], t["from"], t["to"]],
                        [[f"{c.number}: {c.title}", t["new_measure"] if c.before == "none" else _label(t, c.before),
                          _label(t, c.after)] for c in p.changes], widths_cm=[10, 3, 3])
        else:
            w.paragraph(t["changes_none"].format(prev=r.year - 1))
    w.paragraph(t["legend"].format(year=r.year), italic=True)
    w.finish()
    return reproducible(doc, _when(r.stamp, r.year_end))


# --- the quarterly report --------------------------------------------------------------------------
def quarterly(r, t: dict, *, author: str | None = None) -> bytes:
    lang = r.lang
    title = t["q_title"].format(quarter=r.quarter)
    doc = d.new_document(title, subtitle=t["q_intro"].format(start=_long(r.start, lang), end=_long(r.end, lang)),
                         lang=lang, author=author, subject=title)
    w = Writer(doc)
    if r.stamp:
        w.paragraph(f"{t['generated']}: {r.stamp}", italic=True)
    w.heading(t["q_meetings"], 1)
    w.paragraph(t["q_rhythm"])
    rows = [[n.name, f"{n.held}" + (f" ({', '.join(_short(x, lang) for x in n.held_dates)})" if n.held_dates else ""),
             n.other, n.cancelled, t["yes"] if n.met else t["no"], n.held_ytd, n.min_ytd] for n in r.networks]
    rows.append([t["total"], r.meetings_held, "", "", f"{r.networks_met}/{len(r.networks)}", "", ""])
    table(w, [t["network"], t["held_quarter"], t["other_quarter"], t["cancelled_quarter"], t["rhythm_met"],
                      t["held_ytd"], t["min_ytd"]], rows, font_size=9)

    w.heading(t["q_summaries"], 1)
    for label, items, attr in ((t["q_published"], r.summaries_published, "published"),
                               (t["q_reviewed"], r.summaries_reviewed, "reviewed"),
                               (t["q_withdrawn"], r.summaries_withdrawn, None)):
        w.heading(f"{label} ({len(items)})", 2)
        if items:
            w.bullets([f"{s.title} ({s.id})" + (f" – {_long(getattr(s, attr), lang)}" if attr else
                                                         (f" – {t['replaced_by']}: {s.replaced_by}" if s.replaced_by else ""))
                                for s in items])
        else:
            w.paragraph(t["q_none"])

    w.heading(f"{t['q_measure_changes']} ({r.measure_changes}/{len(r.measure_entries)})", 1)
    if r.measure_entries:
        table(w, [t["date"], t["measures"], t["previous"], t["new"], t["note"]],
                    [[_short(e.date, lang), f"{e.number}: {e.title}", _label(t, e.before), _label(t, e.after), e.note or ""]
                     for e in r.measure_entries], widths_cm=[2.2, 5, 2.2, 2.2, 4.4], font_size=9)
    else:
        w.paragraph(t["q_none"])
    add_status_chart(w, r.measure_counts, t, t["q_chart"])

    w.heading(t["q_follow_ups"], 1)
    for label, items in ((t["q_opened"], r.follow_ups_opened), (t["q_closed"], r.follow_ups_closed),
                         (t["q_open_end"], r.follow_ups_open)):
        w.heading(f"{label} ({len(items)})", 2)
        if items:
            table(w, [t["meeting"], t["note"], t["owner"], t["due"], t["done"]],
                        [[f.meeting, f.text, f.owner, _short(f.due, lang), _short(f.done, lang) if f.done and f.done <= r.end else ""] for f in items],
                        widths_cm=[3.5, 7, 1.8, 2, 2], font_size=9)
        else:
            w.paragraph(t["q_none"])

    w.heading(t["q_hearings"], 1)
    for label, items in ((t["q_hearings_received"], r.hearings_received), (t["q_hearings_answered"], r.hearings_answered)):
        w.heading(f"{label} ({len(items)})", 2)
        if items:
            table(w, [t["title"], t["sender"], t["received_date"], t["deadline"], t["responsible"], t["status"]],
                        [[h.title, h.sender, _short(h.received, lang), _short(h.deadline, lang), h.responsible,
                          _label(t, h.status)] for h in items], font_size=9)
        else:
            w.paragraph(t["q_none"])

    w.heading(t["q_upcoming"].format(quarter=r.next_quarter), 1)
    if r.upcoming:
        table(w, [t["date"], t["kind"], t["title"], t["responsible"]],
                    [[_long(u.date, lang), t["kind_" + u.kind.replace("-", "_")], u.title, u.responsible]
                     for u in r.upcoming], widths_cm=[3.2, 3, 8, 2], font_size=9)
    else:
        w.paragraph(t["q_none"])
    w.finish()
    return reproducible(doc, _when(r.stamp, r.end))
