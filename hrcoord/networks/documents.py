"""The meeting documents: saksliste (agenda), innkalling (notice), avlysning (cancellation) and
referat (minutes), as Markdown/HTML/plain text (Jinja2 templates in templates/meeting/), Word
(python-docx) and JSON. The wording of every language lives in the label catalogue (section
`meeting`), so the templates and the Word documents say the same thing.

Documents name no commands, slugs or internal ids, write dates one way (`tirsdag 13. mai 2014`,
`30. april 2014`) and role titles inside a sentence as running text (`meldes til koordinator for …`).
"""
from __future__ import annotations

import json

from hrcoord.core.labels import table as labels_table
from hrcoord.core.models.base import Record, parse_date
from hrcoord.networks.agenda import Agenda
from hrcoord.networks.notice import Change, attendees, submission_deadline

LABELS = labels_table("meeting")


def labels(lang: str) -> dict:
    return LABELS[lang]


def _long(value, lang) -> str:
    from hrcoord.render.dates import long_date

    return long_date(value, lang)


def _weekday_long(value, lang) -> str:
    from hrcoord.render.dates import weekday_date

    return weekday_date(value, lang)


def in_text(name: str) -> str:
    """A role title inside a sentence: `Koordinator for …` becomes `koordinator for …`; an
    abbreviation (`UDI`, `KOM`) stays as it is."""
    first = name.split(" ", 1)[0] if name else ""
    if not first or first[1:2].isupper() or not first[0].isupper():
        return name
    return name[0].lower() + name[1:]


def network_name(network: Record, lang: str) -> str:
    return network.get(f"name_{lang}") or network.get("name_nb") or network.id


def clock_range(start: str | None, end: str | None, lang: str) -> str:
    text = f"{start or ''}–{end}" if end else (start or "")
    return f"{labels(lang)['clock']} {text}".strip()


def time_range(meeting: Record, lang: str) -> str:
    return clock_range(meeting.get("start"), meeting.get("end"), lang)


# --- the basis of an item, in words ----------------------------------------------------------------------
def _src_standing(repo, slug: str, rest: str, lang: str) -> str | None:
    return labels(lang)["src_standing"]


def _src_submission(repo, slug: str, rest: str, lang: str) -> str | None:
    sub = repo.records("submission").get(f"{slug}/{rest}")
    if sub is None:
        return None
    return labels(lang)["src_submission"].format(dept=sub.get("department", ""), date=_long(sub.get("date"), lang))


def follow_up_number(repo, slug: str, meeting_id: str, fid: str) -> int | None:
    """The number a follow-up has in its meeting's minutes (1, 2 …)."""
    meeting = repo.records("meeting").get(f"{slug}/{meeting_id}")
    fus = [f for f in (meeting.get("follow_ups") or []) if isinstance(f, dict)] if meeting is not None else []
    return next((n + 1 for n, f in enumerate(fus) if str(f.get("id")) == fid), None)


def _src_follow_up(repo, slug: str, rest: str, lang: str) -> str | None:
    date, _, fid = rest.partition("/")
    number = follow_up_number(repo, slug, date, fid)
    if number is None:
        return None
    return labels(lang)["src_follow_up"].format(number=number, date=_long(date, lang))


def plan_name(repo, plan_id: str, lang: str) -> str:
    plan = repo.records("action-plan").get(plan_id)
    name = (plan.get(f"title_{lang}") or plan.get("title_nb")) if plan is not None else None
    if name and len(name) > 60 and "–" in name:
        name = name.split("–", 1)[0].strip()
    return name or ""


def _src_measure(repo, slug: str, rest: str, lang: str) -> str | None:
    m = repo.records("measure").get(rest)
    if m is None:
        return None
    plan = plan_name(repo, rest.split("/")[0], lang)
    return labels(lang)["src_measure"].format(number=m.get("number", ""), plan=plan)


def _src_judgment(repo, slug: str, rest: str, lang: str) -> str | None:
    from hrcoord.networks.agenda import published_on

    j = repo.row("judgment", rest)
    if j is None:
        return None
    return labels(lang)["src_judgment"].format(date=_long(published_on(j), lang))


SOURCE_WORDS = {"standing": _src_standing, "submission": _src_submission, "follow-up": _src_follow_up,
                "measure": _src_measure, "judgment": _src_judgment}


def describe_source(repo, source: str | None, lang: str, slug: str = "") -> str:
    """The item's basis in words: `Innmeldt av ASA 12. november 2014`, `Tiltak 6, <plan>` …; an
    item whose record is gone has no basis shown (never its id)."""
    kind, _, rest = (source or "standing").partition(":")
    words = SOURCE_WORDS.get(kind)
    return (words(repo, slug, rest, lang) if words else None) or ""


def _items(repo, items: list[dict], lang: str, slug: str) -> list[dict]:
    t = labels(lang)
    return [{**{k: i.get(k) or "" for k in ("number", "title", "kind", "presenter", "source", "notes", "decision")},
             "kind_label": t["kinds"].get(i.get("kind"), i.get("kind") or ""),
             "basis": describe_source(repo, i.get("source"), lang, slug)} for i in items]


def _agenda_status(agenda: Agenda, lang: str) -> str:
    t = labels(lang)
    if not agenda.stored:
        return t["not_stored"]
    st = agenda.meeting.get("agenda_status") or "draft"
    return t["agenda_status"].get(st, st)


def agenda_context(repo, agenda: Agenda, lang: str) -> dict:
    t = labels(lang)
    m = agenda.meeting
    return {
        "t": t,
        "network": {"name": network_name(agenda.network, lang), "chair": agenda.network.get("chair") or ""},
        "meeting": {"date": m.id, "weekday_date": _weekday_long(m.id, lang), "time": time_range(m, lang),
                    "start": m.get("start"), "end": m.get("end"), "location": m.get("location") or "",
                    "status": m.get("status"), "status_label": t["meeting_status"].get(m.get("status"), "")},
        "agenda_status": _agenda_status(agenda, lang),
        "stored": agenda.stored,
        "items": _items(repo, agenda.items, lang, agenda.network.id),
        "organisation": repo.settings.get("organisation") or "",
        "language": lang,
    }


def _render(repo, name: str, fmt: str, lang: str, ctx: dict) -> str:
    from hrcoord.render.env import render

    return render(repo, f"meeting/{name}.{fmt}.j2", lang, **ctx)


# --- agenda ------------------------------------------------------------------------------------------------
def agenda_document(repo, agenda: Agenda, fmt: str, lang: str) -> str | bytes:
    if fmt == "json":
        return json.dumps(agenda.as_dict(), ensure_ascii=False, indent=2) + "\n"
    ctx = agenda_context(repo, agenda, lang)
    if fmt in ("md", "html"):
        return _render(repo, "agenda", fmt, lang, ctx)
    if fmt == "docx":
        return _word(repo, _agenda_docx(agenda, ctx, lang))
    if fmt == "pdf":
        return _pdf(repo, "meeting/agenda.html.j2", lang, ctx,
                    _meta(agenda.meeting, ctx, lang, "agenda", "agenda_title"))
    raise ValueError(fmt)


def _meta(meeting: Record, ctx: dict, lang: str, kind: str, title_key: str, day=None):
    """Header, footer and file properties of a meeting document (render/document.py)."""
    from hrcoord.core.labels import words
    from hrcoord.render.document import DocumentMeta

    title = ctx["t"][title_key].format(name=ctx["network"]["name"])
    return DocumentMeta(kind=words(lang, "documents")[kind], title=title, lang=lang,
                        organisation=ctx["organisation"], date=day or parse_date(meeting.id),
                        reference=str(meeting.get("case_ref") or ""),
                        subject=f"{title}, {ctx['meeting']['weekday_date']}")


def _word(repo, doc) -> bytes:
    """A document laid out on the repository's reference.docx (render/word.py)."""
    from hrcoord.render.word import render

    return render(repo, doc)


def _pdf(repo, template: str, lang: str, ctx: dict, meta) -> bytes:
    """PDF/A from the document's HTML (render/pdf.py)."""
    from hrcoord.render.env import render
    from hrcoord.render.pdf import from_html

    return from_html(render(repo, template, lang, **ctx), meta)


def _agenda_docx(agenda: Agenda, ctx: dict, lang: str):
    from hrcoord.render.document import Document

    t = ctx["t"]
    doc = Document(_meta(agenda.meeting, ctx, lang, "agenda", "agenda_title"))
    _meeting_block(doc, ctx, t)
    doc.fields([(t["status"], ctx["agenda_status"])])
    _agenda_table(doc, ctx, t)
    return doc

def _meeting_block(doc, ctx, t) -> None:
    m = ctx["meeting"]
    doc.fields([(t["date"], m["weekday_date"]), (t["time"], m["time"]), (t["place"], m["location"])])

def _agenda_table(doc, ctx, t, caption: str = "") -> None:
    from hrcoord.render.document import Column

    rows = [[f"{t['sak']} {i['number']}", f"{i['title']}\n{i['basis']}", i["kind_label"], i["presenter"]]
            for i in ctx["items"]]
    doc.table([Column(t["sak"], "id"), Column(t["sak_title"]), Column(t["kind"]), Column(t["presenter"])], rows,
              caption=caption)

# --- notice ---------------------------------------------------------------------------------------------------
def has_minutes(meeting: Record | None) -> bool:
    """Were minutes taken at the meeting (notes or decisions, attendance, or free text)?"""
    if meeting is None:
        return False
    items = [i for i in meeting.get("agenda") or [] if isinstance(i, dict)]
    return any(i.get("notes") or i.get("decision") for i in items) or bool(meeting.get("attendance")) \
        or bool((meeting.body or "").strip())


def change_lines(changes: list[Change], lang: str) -> list[str]:
    """What a re-issued notice changed, in words: `Tid: kl. 09:00–11:30 → kl. 13:00–15:00` …"""
    t = labels(lang)
    clock = t["clock"]

    def shown(c: Change) -> str:
        if c.what == "date":
            return t["change_date"].format(old=_weekday_long(c.old, lang), new=_weekday_long(c.new, lang))
        if c.what == "time":
            return t["change_time"].format(old=f"{clock} {c.old}".strip(), new=f"{clock} {c.new}".strip())
        if c.what == "place":
            return t["change_place"].format(old=c.old, new=c.new)
        if c.what == "added":
            return t["change_added"].format(item=f"{t['sak']} {c.new}")
        return t["change_removed"].format(item=c.old)

    return [shown(c) for c in changes]


def papers_text(repo, agenda: Agenda, lang: str, papers: str | None) -> str:
    """Where the papers are; the minutes of the last meeting are promised only when there were
    a previous held meeting and minutes of it."""
    t = labels(lang)
    text = papers or t["papers_default"]
    if has_minutes(agenda.previous):
        text = f"{text} {t['papers_minutes']}"
    return text


def _people(repo, network: Record, lang: str) -> list[dict]:
    t = labels(lang)
    depts = repo.department_names(lang)
    return [{"name": p.get("name", ""), "department": p.get("department", ""),
             "department_name": depts.get(p.get("department"), p.get("department", "")),
             "role": t["roles"].get(p.get("role") or "member", p.get("role") or ""), "email": p.get("email") or "",
             "stand_in": p.get("stand_in") or ""} for p in attendees(network)]


def notice_context(repo, agenda: Agenda, lang: str, *, sequence: int, papers: str | None = None,
                   version: int = 1, changes: list[Change] | None = None) -> dict:
    ctx = agenda_context(repo, agenda, lang)
    t = ctx["t"]
    net = agenda.network
    chair = net.get("chair") or repo.settings.get("coordinator") or ""
    email = net.get("chair_email") or repo.settings.get("coordinator_email")
    deadline = submission_deadline(repo, agenda.date)
    ctx.update({
        "members": _people(repo, net, lang),
        "chair": chair,
        "chair_email": email or "",
        "forfall": t["forfall_text"].format(chair=in_text(chair), email=f" ({email})" if email else ""),
        "deadline": deadline.isoformat(),
        "deadline_text": t["late_items_text"].format(date=_weekday_long(deadline, lang)),
        "papers": papers_text(repo, agenda, lang, papers),
        "sequence": sequence,
        "version": version,
        "amended_note": t["sequence_note"].format(n=version) if version > 1 else "",
        "changes": change_lines(changes or [], lang),
        "cancelled": agenda.meeting.get("status") == "cancelled",
        "coordinator": repo.settings.get("coordinator") or chair,
    })
    return ctx


def notice_document(repo, agenda: Agenda, fmt: str, lang: str, *, sequence: int, papers: str | None = None,
                    version: int = 1, changes: list[Change] | None = None):
    ctx = notice_context(repo, agenda, lang, sequence=sequence, papers=papers, version=version, changes=changes)
    if fmt == "json":
        data = agenda.as_dict()
        data.update({k: ctx[k] for k in ("members", "chair", "chair_email", "deadline", "papers", "sequence",
                                         "version", "changes")})
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt in ("md", "html", "txt"):
        return _render(repo, "notice", fmt, lang, ctx)
    if fmt == "docx":
        return _word(repo, _notice_docx(agenda, ctx, lang))
    if fmt == "pdf":
        return _pdf(repo, "meeting/notice.html.j2", lang, ctx, _notice_meta(agenda, ctx, lang))
    raise ValueError(fmt)


def _notice_meta(agenda: Agenda, ctx: dict, lang: str):
    notified = agenda.meeting.get("notified")
    issued = parse_date(notified.get("issued")) if isinstance(notified, dict) else None
    return _meta(agenda.meeting, ctx, lang, "notice", "notice_title", day=issued)


def _notice_docx(agenda: Agenda, ctx: dict, lang: str):
    """The innkalling: the same Til/Fra lines, invitees, agenda and practical notes as its HTML."""
    from hrcoord.render.document import Column, Document

    t = ctx["t"]
    doc = Document(_notice_meta(agenda, ctx, lang))
    if ctx["cancelled"]:
        doc.para(t["cancelled_note"], "bold")
    doc.para(ctx["amended_note"], "italic")
    for line in ctx["changes"]:
        doc.para(line)
    members = t["members"].lower() if lang == "nb" else t["members"]
    doc.fields([(t["to"], f"{members} – {ctx['network']['name']}"), (t["from"], ctx["chair"]),
                (t["date"], ctx["meeting"]["weekday_date"]), (t["time"], ctx["meeting"]["time"]),
                (t["place"], ctx["meeting"]["location"]), (t["chair"], ctx["chair"])])
    doc.heading(t["invited"], 2)
    doc.table([Column(t["name"]), Column(t["department"]), Column(t["role"])],
              [[p["name"], f"{p['department_name']} ({p['department']})", p["role"]] for p in ctx["members"]])
    doc.heading(t["agenda"], 2)
    _agenda_table(doc, ctx, t)
    doc.heading(t["forfall"], 2).para(ctx["forfall"])
    doc.heading(t["late_items"], 2).para(ctx["deadline_text"].replace("`", ""))
    doc.heading(t["papers"], 2).para(ctx["papers"])
    doc.para(t["signature"]).para(ctx["coordinator"])
    return doc

# --- cancellation -----------------------------------------------------------------------------------------------
def next_meeting_after(repo, network: Record, meeting: Record) -> Record | None:
    from hrcoord.networks.meetings import ACTIVE, meetings_of

    return next((m for m in meetings_of(repo, network.id) if m.get("status") in ACTIVE and m.id > meeting.id), None)


def took_submissions(meeting: Record) -> bool:
    items = [i for i in meeting.get("agenda") or [] if isinstance(i, dict)]
    return any(str(i.get("source", "")).startswith("submission:") for i in items)


def cancellation_context(repo, network: Record, meeting: Record, lang: str) -> dict:
    t = labels(lang)
    when = {"weekday_date": _weekday_long(meeting.id, lang), "time": time_range(meeting, lang),
            "location": meeting.get("location") or ""}
    following = next_meeting_after(repo, network, meeting)
    chair = network.get("chair") or repo.settings.get("coordinator") or ""
    return {
        "t": t,
        "language": lang,
        "network": {"name": network_name(network, lang)},
        "organisation": repo.settings.get("organisation") or "",
        "meeting": when,
        "text": t["cancel_text"].format(date=when["weekday_date"], time=when["time"]),
        "reason": meeting.get("cancel_reason") or "",
        "items_note": t["cancel_items"] if took_submissions(meeting) else "",
        "next": t["cancel_next"].format(date=_weekday_long(following.id, lang)) if following else "",
        "chair": chair,
        "coordinator": repo.settings.get("coordinator") or chair,
    }


def cancellation_document(repo, network: Record, meeting: Record, fmt: str, lang: str):
    ctx = cancellation_context(repo, network, meeting, lang)
    if fmt == "json":
        keys = ("text", "reason", "items_note", "next")
        return json.dumps({"network": network.id, "meeting": meeting.id, "status": meeting.get("status"),
                           **{k: ctx[k] for k in keys}}, ensure_ascii=False, indent=2) + "\n"
    if fmt in ("md", "html", "txt"):
        return _render(repo, "cancellation", fmt, lang, ctx)
    if fmt == "docx":
        return _word(repo, _cancellation_docx(meeting, ctx, lang))
    if fmt == "pdf":
        return _pdf(repo, "meeting/cancellation.html.j2", lang, ctx,
                    _meta(meeting, ctx, lang, "cancellation", "cancel_title", day=_cancelled_on(meeting)))
    raise ValueError(fmt)


def _cancelled_on(meeting: Record):
    """The day the cancellation went out (the last notice recorded), else None (the meeting's day)."""
    notices = [n for n in meeting.get("notices") or [] if isinstance(n, dict)]
    return parse_date(notices[-1].get("issued")) if notices else None


def _cancellation_docx(meeting: Record, ctx: dict, lang: str):
    from hrcoord.render.document import Document

    t = ctx["t"]
    doc = Document(_meta(meeting, ctx, lang, "cancellation", "cancel_title", day=_cancelled_on(meeting)))
    doc.para(ctx["text"], "bold")
    doc.fields([(t["date"], ctx["meeting"]["weekday_date"]), (t["time"], ctx["meeting"]["time"]),
                (t["place"], ctx["meeting"]["location"])])
    if ctx["reason"]:
        doc.fields([(t["cancel_reason"], ctx["reason"])])
    for line in (ctx["items_note"], ctx["next"]):
        doc.para(line)
    doc.para(t["signature"]).para(ctx["coordinator"])
    return doc

# --- minutes ---------------------------------------------------------------------------------------------------------
def minutes_follow_ups(repo, meeting: Record, lang: str) -> list[dict]:
    t = labels(lang)
    depts = repo.department_names(lang)
    out = []
    for n, fu in enumerate(f for f in meeting.get("follow_ups") or [] if isinstance(f, dict)):
        done = parse_date(fu.get("done"))
        out.append({"number": n + 1, "text": fu.get("text", ""), "owner": fu.get("owner", ""),
                    "owner_name": depts.get(fu.get("owner"), fu.get("owner", "")),
                    "due": _long(fu.get("due"), lang) if fu.get("due") else "",
                    "done": _long(done, lang) if done else t["open"]})
    return out


def minutes_context(repo, network: Record, meeting: Record, agenda: Agenda, lang: str) -> dict:
    ctx = agenda_context(repo, agenda, lang)
    t = ctx["t"]
    att = meeting.get("attendance") if isinstance(meeting.get("attendance"), dict) else {}
    ctx.update({
        "present": [str(x) for x in att.get("present") or []],
        "absent": [str(x) for x in att.get("absent") or []],
        "deputies": [t["deputy_line"].format(name=d.get("name", ""), for_=d.get("for", ""))
                     for d in att.get("deputies") or [] if isinstance(d, dict)],
        "minute_taker": att.get("minute_taker") or "",
        "follow_ups": minutes_follow_ups(repo, meeting, lang),
        "body": (meeting.body or "").strip(),
    })
    return ctx


def minutes_document(repo, network: Record, meeting: Record, agenda: Agenda, fmt: str, lang: str):
    ctx = minutes_context(repo, network, meeting, agenda, lang)
    if fmt == "json":
        data = agenda.as_dict()
        data.update({k: ctx[k] for k in ("present", "absent", "deputies", "minute_taker", "body")})
        data["follow_ups"] = [f for f in meeting.get("follow_ups") or [] if isinstance(f, dict)]
        return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    if fmt in ("md", "html"):
        return _render(repo, "minutes", fmt, lang, ctx)
    if fmt == "docx":
        return _word(repo, _minutes_docx(meeting, ctx, lang))
    if fmt == "pdf":
        return _pdf(repo, "meeting/minutes.html.j2", lang, ctx, _meta(meeting, ctx, lang, "minutes", "minutes_title"))
    raise ValueError(fmt)


def _minutes_docx(meeting: Record, ctx: dict, lang: str):
    from hrcoord.render.document import Column, Document

    t = ctx["t"]
    none = t["none"]
    doc = Document(_meta(meeting, ctx, lang, "minutes", "minutes_title"))
    _meeting_block(doc, ctx, t)
    doc.fields([(t["present"], "; ".join(ctx["present"]) or none), (t["absent"], "; ".join(ctx["absent"]) or none),
                (t["deputies"], "; ".join(ctx["deputies"]) or none), (t["minute_taker"], ctx["minute_taker"] or none)])
    doc.heading(t["agenda"], 2)
    _agenda_table(doc, ctx, t)
    for i in ctx["items"]:
        doc.heading(f"{t['sak']} {i['number']} {i['title']}", 3).markdown(i["notes"])
        if i["decision"]:
            doc.fields([(t["decision"], i["decision"])])
    doc.heading(t["follow_ups"], 2)
    if ctx["follow_ups"]:
        doc.table([Column(t["fu_id"], "id"), Column(t["fu_text"]), Column(t["fu_owner"], "id"),
                   Column(t["fu_due"], "date"), Column(t["fu_done"], "date")],
                  [[f["number"], f["text"], f["owner"], f["due"], f["done"]] for f in ctx["follow_ups"]])
    else:
        doc.para(none)
    if ctx["body"]:
        doc.heading(t["other"], 2).markdown(ctx["body"])
    return doc
