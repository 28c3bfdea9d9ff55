"""The reports as documents (render/document.py), laid out as Word by render/word.py.

Built from the same models as every other format. The status distribution is a bar chart made of
table cells (Word shows it without images, and it prints). One date style: long dates
("12. mars 2014"). Reproducible: the document's date is the report day (or --stamp).
"""
from __future__ import annotations

import datetime as dt

from hrcoord.actionplans.reports.labels import STATUS_COLOURS
from hrcoord.render.document import Column, Document, DocumentMeta


def _label(t: dict, key: str | None) -> str:
    return t.get(key, key or "") if key else ""


def _long(day: dt.date | None, lang: str) -> str:
    from hrcoord.render.dates import long_date

    return long_date(day, lang) if day else ""


def meta(r, kind: str, organisation: str) -> DocumentMeta:
    """Header, footer and file properties of a report."""
    from hrcoord.core.labels import words

    day = getattr(r, "as_of", None) or getattr(r, "end", None)
    return DocumentMeta(kind=words(r.lang, "documents")[kind], title=r.title, lang=r.lang, organisation=organisation,
                        date=day, subject=r.title, stamp=r.stamp)


def status_bars(doc: Document, counts: dict[str, int], t: dict, title: str) -> None:
    doc.bars(title, [(_label(t, s), n, STATUS_COLOURS.get(s, "#888888")) for s, n in counts.items()
                     if n or s != "none"])


def _intro(doc: Document, r, t: dict) -> None:
    doc.para(r.intro)
    if r.stamp:
        doc.para(f"{t['generated']}: {r.stamp}", "italic")


# --- the annual action-plan report -----------------------------------------------------------------
def action_plan_document(r, t: dict, organisation: str = "") -> Document:
    doc = Document(meta(r, "action_plan", organisation))
    _intro(doc, r, t)
    if not r.plans:
        doc.para(t["no_plans"].format(year=r.year))
    if len(r.plans) > 1:
        _all_plans(doc, r, t)
    for p in r.plans:
        _plan(doc, r, p, t)
    doc.para(r.legend, "italic")
    return doc


def _all_plans(doc: Document, r, t: dict) -> None:
    statuses = [s for s in r.counts if r.counts[s]]  # a status no measure has would be a column of zeros
    doc.heading(f"{t['summary']} – {t['all_plans'].lower()}", 1)
    status_bars(doc, r.counts, t, t["chart"])
    columns = [Column(t["plan"]), Column(t["measures"], "number"),
               *[Column(_label(t, s), "number") for s in statuses],
               Column(t["overdue_short"], "number"), Column(t["delayed_short"], "number")]
    rows = [[p.title, p.total, *[p.counts[s] for s in statuses], p.overdue, p.delayed] for p in r.plans]
    rows.append([t["total"], r.total, *[r.counts[s] for s in statuses], r.overdue, r.delayed])
    doc.table(columns, rows, font_size=9)


def _plan(doc: Document, r, p, t: dict) -> None:
    doc.heading(p.title, 1)
    doc.fields([(t["ministry"], p.ministry), (t["period"], f"{p.period_from}–{p.period_to}"),
                (t["measures"], str(p.total))])
    doc.heading(t["summary"], 2)
    status_bars(doc, p.counts, t, t["chart"])
    rows = [[_label(t, s), n] for s, n in p.counts.items() if n or s != "none"]
    rows.append([t["total"], p.total])
    doc.table([Column(r.status_label), Column(t["count"], "number")], rows)
    doc.fields([(t["overdue"], str(p.overdue)), (t["delayed_flag"], str(p.delayed))])
    doc.heading(t["measures"], 2)
    for m in p.measures:
        if not m.closed_earlier:
            _measure(doc, r, m, t)
    doc.heading(t["closed_earlier"].format(year=r.year), 2)
    earlier = [m for m in p.measures if m.closed_earlier]
    doc.bullets([f"{m.number}: {m.title} – {_label(t, m.status)}" for m in earlier])
    if not earlier:
        doc.para(t["closed_earlier_none"])
    _changes(doc, r, p, t)


def _measure(doc: Document, r, m, t: dict) -> None:
    lang = r.lang
    doc.heading(f"{m.number}: {m.title}", 3)
    pairs = [(t["role"], _label(t, m.role))]
    if m.lead_agency:
        pairs.append((t["lead_agency"], m.lead_agency))
    pairs += [(t["department"], f"{m.department_name} ({m.department})"),
              (t["deadline"], _long(m.deadline, lang) if m.deadline else t["no_deadline"]),
              (r.status_label, _label(t, m.status))]
    doc.fields(pairs)
    flags = [x for x, on in ((t["overdue"], m.overdue), (t["delayed_flag"], m.delayed)) if on]
    if flags:
        doc.para(" · ".join(flags), "bold")
    if not m.entries:
        doc.para(t["no_entries"].format(year=r.year), "italic")
        return
    doc.table([Column(t["date"], "date"), Column(t["status"]), Column(t["note"]), Column(t["by"])],
              [[_long(e.date, lang), _label(t, e.status), e.note or "", e.by or ""] for e in m.entries],
              caption=t["entries_year"].format(year=r.year), font_size=9)


def _changes(doc: Document, r, p, t: dict) -> None:
    doc.heading(t["changes"].format(prev=r.year - 1), 2)
    if not p.changes:
        doc.para(t["changes_none"].format(prev=r.year - 1))
        return
    doc.table([Column(t["measures"]), Column(t["from"]), Column(t["to"])],
              [[f"{c.number}: {c.title}", t["new_measure"] if c.before == "none" else _label(t, c.before),
                _label(t, c.after)] for c in p.changes])


# --- the quarterly report --------------------------------------------------------------------------
def quarterly_document(r, t: dict, organisation: str = "") -> Document:
    doc = Document(meta(r, "quarterly", organisation))
    _intro(doc, r, t)
    _q_meetings(doc, r, t)
    _q_summaries(doc, r, t)
    _q_measures(doc, r, t)
    _q_follow_ups(doc, r, t)
    _q_hearings(doc, r, t)
    _q_upcoming(doc, r, t)
    return doc


def _q_meetings(doc: Document, r, t: dict) -> None:
    lang = r.lang
    doc.heading(t["q_meetings"], 1).para(t["q_rhythm"])
    rows = [[n.name, f"{n.held}" + (f" ({', '.join(_long(x, lang) for x in n.held_dates)})" if n.held_dates else ""),
             n.other, n.cancelled, t["yes"] if n.met else t["no"], n.held_ytd, n.min_ytd] for n in r.networks]
    rows.append([t["total"], r.meetings_held, "", "", f"{r.networks_met}/{len(r.networks)}", "", ""])
    doc.table([Column(t["network"]), Column(t["held_quarter"]), Column(t["other_quarter"], "number"),
               Column(t["cancelled_quarter"], "number"), Column(t["rhythm_met"]),
               Column(t["held_ytd"], "number"), Column(t["min_ytd"], "number")], rows, font_size=9)


def _q_summaries(doc: Document, r, t: dict) -> None:
    doc.heading(t["q_summaries"], 1)
    for label, items, attr in ((t["q_published"], r.summaries_published, "published"),
                               (t["q_reviewed"], r.summaries_reviewed, "reviewed"),
                               (t["q_withdrawn"], r.summaries_withdrawn, None)):
        doc.heading(f"{label} ({len(items)})", 2)
        doc.bullets([s.title + _summary_tail(s, attr, t, r.lang) for s in items])
        if not items:
            doc.para(t["q_none"])


def _summary_tail(s, attr: str | None, t: dict, lang: str) -> str:
    if attr:
        return f" – {_long(getattr(s, attr), lang)}"
    return f" – {t['replaced_by']}: {s.replaced_by_title}" if s.replaced_by_title else ""


def _q_measures(doc: Document, r, t: dict) -> None:
    doc.heading(t["q_measure_changes"], 1)
    doc.para(t["q_changes_count"].format(changes=r.measure_changes, entries=len(r.measure_entries)))
    if r.measure_entries:
        doc.table([Column(t["date"], "date"), Column(t["measures"]), Column(t["previous"]), Column(t["new"]),
                   Column(t["note"])],
                  [[_long(e.date, r.lang), f"{e.number}: {e.title}", _label(t, e.before), _label(t, e.after),
                    e.note or ""] for e in r.measure_entries], font_size=9)
    status_bars(doc, r.measure_counts, t, t["q_chart"])


def _q_follow_ups(doc: Document, r, t: dict) -> None:
    lang = r.lang
    doc.heading(t["q_follow_ups"], 1)
    for label, items in ((t["q_opened"], r.follow_ups_opened), (t["q_closed"], r.follow_ups_closed),
                         (t["q_open_end"], r.follow_ups_open)):
        doc.heading(f"{label} ({len(items)})", 2)
        if not items:
            doc.para(t["q_none"])
            continue
        doc.table([Column(t["meeting"]), Column(t["note"]), Column(t["owner"], "id"), Column(t["due"]),
                   Column(t["done"])],
                  [[f"{f.network_name}, {_long(f.meeting_date, lang)}", f.text, f.owner, _long(f.due, lang),
                    _long(f.done, lang) if f.done and f.done <= r.as_of else ""] for f in items], font_size=9)


def _q_hearings(doc: Document, r, t: dict) -> None:
    lang = r.lang
    doc.heading(t["q_hearings"], 1)
    for label, items in ((t["q_hearings_received"], r.hearings_received),
                         (t["q_hearings_answered"], r.hearings_answered)):
        doc.heading(f"{label} ({len(items)})", 2)
        if not items:
            doc.para(t["q_none"])
            continue
        doc.table([Column(t["title"]), Column(t["sender"]), Column(t["received_date"]), Column(t["deadline"]),
                   Column(t["responsible"], "id"), Column(t["status"])],
                  [[h.title, h.sender, _long(h.received, lang), _long(h.deadline, lang), h.responsible,
                    _label(t, h.status)] for h in items], font_size=9)


def _q_upcoming(doc: Document, r, t: dict) -> None:
    doc.heading(t["q_upcoming"].format(quarter=r.next_quarter_label), 1)
    if not r.upcoming:
        doc.para(t["q_none"])
        return
    doc.table([Column(t["date"]), Column(t["kind"]), Column(t["title"]), Column(t["responsible"], "id")],
              [[_long(u.date, r.lang), t["kind_" + u.kind.replace("-", "_")], u.title, u.responsible]
               for u in r.upcoming], font_size=9)
