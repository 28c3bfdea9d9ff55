"""The meeting documents: saksliste (agenda), innkalling (notice) with its calendar invitation, and
referat (minutes), as Markdown/HTML (Jinja2 templates in templates/meeting/), Word (python-docx)
and JSON. The wording of both languages lives in LABELS, so the templates and the Word documents
say the same thing."""
from __future__ import annotations

import datetime as dt
import json

from hrcoord.core.labels import table as labels_table
from hrcoord.core.models.base import Record, parse_date
from hrcoord.networks.meetings import Agenda, attendees, submission_deadline

LABELS = labels_table("meeting")


def labels(lang: str) -> dict:
    return LABELS[lang]


def _short(value, lang) -> str:
    from hrcoord.render.dates import short_date

    return short_date(value, lang)


def _long(value, lang) -> str:
    from hrcoord.render.dates import long_date

    return long_date(value, lang)


def _weekday_long(value, lang) -> str:
    from hrcoord.render.dates import weekday_date

    return weekday_date(value, lang)


def network_name(network: Record, lang: str) -> str:
    return network.get(f"name_{lang}") or network.get("name_nb") or network.id


def time_range(meeting: Record, lang: str) -> str:
    start, end = meeting.get("start") or "", meeting.get("end")
    clock = labels(lang)["clock"]
    text = f"{start}–{end}" if end else start
    return f"{clock} {text}".strip()


def describe_source(repo, source: str | None, lang: str) -> str:
    """The item's basis in words: 'Innmeldt av ASA 12.11.2014', 'Tiltak 6, <plan>' …"""
    t = labels(lang)
    source = source or "standing"
    kind, _, rest = source.partition(":")
    if kind == "standing":
        return t["src_standing"]
    if kind == "submission":
        sub = next((r for r in repo.records("submission").values() if r.id == rest), None)
        if sub is not None:
            return t["src_submission"].format(dept=sub.get("department", ""), date=_short(sub.get("date"), lang))
    elif kind == "follow-up":
        date, _, fid = rest.partition("/")
        return t["src_follow_up"].format(id=fid, date=_short(date, lang))
    elif kind == "measure":
        m = repo.records("measure").get(rest)
        plan_id = rest.split("/", 1)[0]
        plan = repo.records("action-plan").get(plan_id)
        plan_name = (plan.get(f"title_{lang}") or plan.get("title_nb")) if plan is not None else plan_id
        if plan_name and len(plan_name) > 60 and "–" in plan_name:
            plan_name = plan_name.split("–", 1)[0].strip()
        if m is not None:
            return t["src_measure"].format(number=m.get("number", rest), plan=plan_name)
    elif kind == "judgment":
        j = repo.records("judgment").get(rest)
        if j is not None:
            from hrcoord.networks.meetings import _published_on

            return t["src_judgment"].format(date=_short(_published_on(j), lang))
    return source


def _items(repo, items: list[dict], lang: str) -> list[dict]:
    t = labels(lang)
    out = []
    for i in items:
        out.append({**{k: i.get(k) or "" for k in ("number", "title", "kind", "presenter", "source", "notes",
                                                      "decision")},
                    "kind_label": t["kinds"].get(i.get("kind"), i.get("kind") or ""),
                    "basis": describe_source(repo, i.get("source"), lang)})
    return out


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
        "network": {"slug": agenda.network.id, "name": network_name(agenda.network, lang),
                    "chair": agenda.network.get("chair") or ""},
        "meeting": {"date": m.id, "weekday_date": _weekday_long(m.id, lang), "time": time_range(m, lang),
                    "start": m.get("start"), "end": m.get("end"), "location": m.get("location") or "",
                    "status": m.get("status"), "status_label": t["meeting_status"].get(m.get("status"), "")},
        "agenda_status": _agenda_status(agenda, lang),
        "stored": agenda.stored,
        "items": _items(repo, agenda.items, lang),
        "organisation": repo.settings.get("organisation") or "",
    }


# --- agenda ----------------------------------------------------------------------------------------
def agenda_document(repo, agenda: Agenda, fmt: str, lang: str) -> str | bytes:
    if fmt == "json":
        return json.dumps(agenda.as_dict(), ensure_ascii=False, indent=2) + "\n"
    ctx = agenda_context(repo, agenda, lang)
    if fmt in ("md", "html"):
        from hrcoord.render.env import render

        return render(repo, f"meeting/agenda.{fmt}.j2", lang, **ctx)
    if fmt == "docx":
        return _word(repo, _agenda_docx(agenda, ctx, lang))
    if fmt == "pdf":
        return _pdf(repo, "meeting/agenda.html.j2", lang, ctx, _meta(agenda, ctx, lang, "agenda", "agenda_title"))
    raise ValueError(fmt)


# --- Word (render/document.py model, laid out by render/word.py) ------------------------------------
def _meta(agenda: Agenda, ctx: dict, lang: str, kind: str, title_key: str, day=None):
    """Header, footer and file properties of a meeting document."""
    from hrcoord.core.labels import words
    from hrcoord.render.document import DocumentMeta

    m = agenda.meeting
    title = ctx["t"][title_key].format(name=ctx["network"]["name"])
    return DocumentMeta(kind=words(lang, "documents")[kind], title=title, lang=lang,
                        organisation=ctx["organisation"], date=day or parse_date(m.id),
                        reference=str(m.get("case_ref") or ""), subject=f"{title}, {ctx['meeting']['weekday_date']}")


def _word(repo, doc) -> bytes:
    from hrcoord.render.word import render

    return render(repo, doc)


def _pdf(repo, template: str, lang: str, ctx: dict, meta) -> bytes:
    from hrcoord.render.env import render
    from hrcoord.render.pdf import from_html

    return from_html(render(repo, template, lang, **ctx), meta)


def _agenda_docx(agenda: Agenda, ctx: dict, lang: str):
    from hrcoord.render.document import Document

    t = ctx["t"]
    doc = Document(_meta(agenda, ctx, lang, "agenda", "agenda_title"))
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


# --- notice ----------------------------------------------------------------------------------------
def notice_context(repo, agenda: Agenda, lang: str, *, sequence: int, papers: str | None = None) -> dict:
    ctx = agenda_context(repo, agenda, lang)
    t = ctx["t"]
    net = agenda.network
    depts = repo.department_names(lang)
    members = [{"name": p.get("name", ""), "department": p.get("department", ""),
                "department_name": depts.get(p.get("department"), p.get("department", "")),
                "role": t["roles"].get(p.get("role") or "member", p.get("role") or ""), "email": p.get("email") or ""}
               for p in attendees(net)]
    chair = net.get("chair") or repo.settings.get("coordinator") or ""
    email = net.get("chair_email") or repo.settings.get("coordinator_email")
    deadline = submission_deadline(repo, agenda.date)
    ctx.update({
        "members": members,
        "chair": chair,
        "chair_email": email or "",
        "forfall": t["forfall_text"].format(chair=chair, email=f" ({email})" if email else ""),
        "deadline": deadline.isoformat(),
        "deadline_text": t["late_items_text"].format(date=_weekday_long(deadline, lang)),
        "papers": papers or t["papers_default"],
        "sequence": sequence,
        "amended_note": t["sequence_note"].format(n=sequence + 1) if sequence else "",
        "cancelled": agenda.meeting.get("status") == "cancelled",
        "coordinator": repo.settings.get("coordinator") or chair,
    })
    return ctx


def notice_document(repo, agenda: Agenda, fmt: str, lang: str, *, sequence: int, papers: str | None = None):
    ctx = notice_context(repo, agenda, lang, sequence=sequence, papers=papers)
    if fmt == "json":
        data = agenda.as_dict()
        data.update({k: ctx[k] for k in ("members", "chair", "chair_email", "deadline", "papers", "sequence")})
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt in ("md", "html"):
        from hrcoord.render.env import render

        return render(repo, f"meeting/notice.{fmt}.j2", lang, **ctx)
    if fmt == "docx":
        return _word(repo, _notice_docx(agenda, ctx, lang))
    if fmt == "pdf":
        return _pdf(repo, "meeting/notice.html.j2", lang, ctx, _notice_meta(agenda, ctx, lang))
    raise ValueError(fmt)


def _notice_meta(agenda: Agenda, ctx: dict, lang: str):
    notified = agenda.meeting.get("notified")
    issued = parse_date(notified.get("issued")) if isinstance(notified, dict) else None
    return _meta(agenda, ctx, lang, "notice", "notice_title", day=issued)


def _notice_docx(agenda: Agenda, ctx: dict, lang: str):
    """The innkalling: the same Til/Fra lines, invitees, agenda and practical notes as its HTML."""
    from hrcoord.render.document import Column, Document

    t = ctx["t"]
    doc = Document(_notice_meta(agenda, ctx, lang))
    if ctx["cancelled"]:
        doc.para(t["cancelled_note"], "bold")
    doc.para(ctx["amended_note"], "italic")
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


def notice_ics(repo, agenda: Agenda, lang: str, *, sequence: int, method: str = "REQUEST") -> bytes:
    """The calendar invitation of the notice: UID `<network>-<date>@hrcoord`, stable over re-issues."""
    from hrcoord.core.errors import HrcoordError
    from hrcoord.render import ics

    t = labels(lang)
    net, m = agenda.network, agenda.meeting
    chair = net.get("chair") or repo.settings.get("coordinator") or ""
    email = net.get("chair_email") or repo.settings.get("coordinator_email")
    if not email:
        raise HrcoordError(f"{net.rel}: an invitation needs the organiser's e-mail; add chair_email to the network")
    people = []
    for p in attendees(net):
        if not p.get("email"):
            continue
        role = {"chair": "CHAIR", "observer": "OPT-PARTICIPANT"}.get(p.get("role") or "member", "REQ-PARTICIPANT")
        people.append(ics.Person(p.get("name", ""), p["email"], role))
    day = agenda.date
    start = ics.local(day, m.get("start") or "10:00")
    end_hhmm = m.get("end")
    end = ics.local(day, end_hhmm) if end_hhmm else start + dt.timedelta(hours=2)
    lines = [f"{t['sak']} {i['number']} {i['title']} ({t['kinds'].get(i.get('kind'), i.get('kind') or '')})"
             for i in agenda.items]
    deadline = submission_deadline(repo, day)
    description = "\n".join([t["agenda"] + ":", *lines, "",
                             f"{t['late_items']}: {_long(deadline, lang)}"])
    return ics.invitation(
        uid=f"{net.id}-{m.id}@hrcoord", summary=t["meeting_of"].format(name=network_name(net, lang)),
        start=start, end=end, organizer=ics.Person(chair, email, "CHAIR"), attendees=people, sequence=sequence,
        location=m.get("location"), description=description, method=method, lang=lang)


# --- minutes ---------------------------------------------------------------------------------------
def minutes_context(repo, network: Record, meeting: Record, agenda: Agenda, lang: str) -> dict:
    ctx = agenda_context(repo, agenda, lang)
    t = ctx["t"]
    att = meeting.get("attendance") if isinstance(meeting.get("attendance"), dict) else {}
    depts = repo.department_names(lang)
    fus = []
    for fu in meeting.get("follow_ups") or []:
        if not isinstance(fu, dict):
            continue
        done = fu.get("done")
        done_day = parse_date(done)
        fus.append({"id": fu.get("id", ""), "text": fu.get("text", ""), "owner": fu.get("owner", ""),
                    "owner_name": depts.get(fu.get("owner"), fu.get("owner", "")),
                    "due": _short(fu.get("due"), lang) if fu.get("due") else "",
                    "done": _short(done_day, lang) if done_day else t["open"]})
    ctx.update({
        "present": [str(x) for x in att.get("present") or []],
        "absent": [str(x) for x in att.get("absent") or []],
        "deputies": [t["deputy_line"].format(name=d.get("name", ""), for_=d.get("for", ""))
                     for d in att.get("deputies") or [] if isinstance(d, dict)],
        "minute_taker": att.get("minute_taker") or "",
        "follow_ups": fus,
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
        from hrcoord.render.env import render

        return render(repo, f"meeting/minutes.{fmt}.j2", lang, **ctx)
    if fmt == "docx":
        return _word(repo, _minutes_docx(agenda, ctx, lang))
    if fmt == "pdf":
        return _pdf(repo, "meeting/minutes.html.j2", lang, ctx,
                    _meta(agenda, ctx, lang, "minutes", "minutes_title"))
    raise ValueError(fmt)


def _minutes_docx(agenda: Agenda, ctx: dict, lang: str):
    from hrcoord.render.document import Column, Document

    t = ctx["t"]
    none = t["none"]
    doc = Document(_meta(agenda, ctx, lang, "minutes", "minutes_title"))
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
                  [[f["id"], f["text"], f["owner"], f["due"], f["done"]] for f in ctx["follow_ups"]])
    else:
        doc.para(none)
    if ctx["body"]:
        doc.heading(t["other"], 2).markdown(ctx["body"])
    return doc


# --- networks --------------------------------------------------------------------------------------
def network_summary(repo, network: Record, lang: str, today: dt.date | None = None) -> dict:
    from hrcoord.networks.meetings import meetings_of

    today = today or dt.date.today()
    meetings = meetings_of(repo, network.id)
    upcoming = [m for m in meetings if m.get("status") in ("planned", "notified")]
    held = [m for m in meetings if m.get("status") == "held"]
    depts = repo.department_names(lang)
    return {
        "slug": network.id,
        "name": network_name(network, lang),
        "name_nb": network.get("name_nb"),
        "name_en": network.get("name_en"),
        "field": [str(f) for f in (network.get("field") if isinstance(network.get("field"), list)
                                   else [network.get("field")]) if f],
        "chair": network.get("chair"),
        "chair_email": network.get("chair_email"),
        "weekday": network.get("weekday"),
        "start": network.get("start"),
        "end": network.get("end"),
        "location": network.get("location"),
        "members": [{"name": m.get("name"), "department": m.get("department"),
                     "department_name": depts.get(m.get("department"), m.get("department")),
                     "role": m.get("role") or "member", "email": m.get("email")} for m in attendees(network)],
        "departments": sorted({m.get("department") for m in attendees(network) if m.get("department")}),
        "next_meeting": upcoming[0].id if upcoming else None,
        "last_meeting": held[-1].id if held else None,
        "meetings_this_year": [{"date": m.id, "status": m.get("status")} for m in meetings
                               if m.id[:4] == str(today.year)],
        "meetings": [{"date": m.id, "status": m.get("status")} for m in meetings],
    }


def network_markdown(repo, summary: dict, lang: str) -> str:
    def md_cell(text) -> str:
        return " ".join(str(text or "").split()).replace("|", "\\|")

    t = labels(lang)
    lines = [f"# {summary['name']} (`{summary['slug']}`)", ""]
    if summary["field"]:
        lines.append(f"**{t['field']}:** {', '.join(summary['field'])}  ")
    chair = summary["chair"] or ""
    if summary["chair_email"]:
        chair += f" <{summary['chair_email']}>"
    lines.append(f"**{t['chair']}:** {chair}  ")
    if summary["weekday"] or summary["start"]:
        wd = t["weekday_names"].get(summary["weekday"] or "", summary["weekday"] or "")
        time = f"{summary['start'] or ''}–{summary['end']}" if summary["end"] else (summary["start"] or "")
        lines.append(f"**{t['usual']}:** {wd} {time}".rstrip() + "  ")
    if summary["location"]:
        lines.append(f"**{t['place']}:** {summary['location']}  ")
    lines.append("")
    lines.append(f"## {t['members']}")
    lines.append("")
    by_dept: dict[str, list[dict]] = {}
    for m in summary["members"]:
        by_dept.setdefault(m["department"] or "", []).append(m)
    for dept in sorted(by_dept):
        members = by_dept[dept]
        lines.append(f"### {members[0]['department_name']} ({dept})")
        lines.append("")
        for m in members:
            extra = [t["roles"].get(m["role"], m["role"])] if m["role"] != "member" else []
            if m["email"]:
                extra.append(m["email"])
            lines.append(f"- {m['name']}" + (f" — {', '.join(extra)}" if extra else ""))
        lines.append("")
    lines.append(f"## {t['meetings']}")
    lines.append("")
    if summary["meetings"]:
        lines.append(f"| {t['date']} | {t['status']} |")
        lines.append("| --- | --- |")
        for m in summary["meetings"][-12:]:
            lines.append(f"| {m['date']} | {md_cell(t['meeting_status'].get(m['status'], m['status']))} |")
    else:
        lines.append(t["none"])
    return "\n".join(lines) + "\n"
