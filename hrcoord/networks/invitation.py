"""The calendar side of a notice: the iCalendar invitation (REQUEST) or cancellation (CANCEL) of a
meeting, and the e-mail draft (RFC 6047) that carries it with the notice as text and HTML and the
Word document attached.

One UID per meeting for its whole life (stored in the record; it survives a move); SEQUENCE as
the notice state says. Where the papers are goes in DESCRIPTION: mail clients show it, while
most ignore an iCalendar URL.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from hrcoord.core.errors import HrcoordError
from hrcoord.core.labels import words
from hrcoord.core.models.base import Record
from hrcoord.networks.agenda import Agenda
from hrcoord.networks.documents import (
    cancellation_context,
    change_lines,
    clock_range,
    labels,
    network_name,
    papers_text,
)
from hrcoord.networks.meetings import meeting_day, meeting_uid
from hrcoord.networks.notice import Change, invitees, organiser_email, submission_deadline
from hrcoord.render.dates import long_date

ROLES = {"chair": "CHAIR", "observer": "OPT-PARTICIPANT"}


@dataclass
class Invitation:
    ics: bytes
    method: str
    sequence: int
    to: list[tuple[str, str]]  # (name, address) of the invitees
    organiser: tuple[str, str]
    warnings: list[str] = field(default_factory=list)


def _organiser(repo, network: Record) -> tuple[str, str]:
    email = organiser_email(repo, network)
    if not email:
        raise HrcoordError(f"{network.rel}: an invitation needs the organiser's e-mail; add chair_email to the network")
    return network.get("chair") or repo.settings.get("coordinator") or "", email


def _people(repo, network: Record) -> tuple[list, list[str]]:
    from hrcoord.render import ics

    reachable, missing = invitees(repo, network)
    people = [ics.Person(p.get("name", ""), p["email"], ROLES.get(p.get("role") or "member", "REQ-PARTICIPANT"))
              for p in reachable]
    warnings = [f"{name!r} has no e-mail address and gets no invitation; add one with "
                f"`hrcoord network member update --network {network.id} {name!r} --email ADDRESS`" for name in missing]
    return people, warnings


def _times(meeting: Record) -> tuple[dt.datetime, dt.datetime]:
    from hrcoord.render import ics

    day = meeting_day(meeting)
    start = ics.local(day, meeting.get("start") or "10:00")
    end = ics.local(day, meeting.get("end")) if meeting.get("end") else start + dt.timedelta(hours=2)
    return start, end


def _calendar(repo, network: Record, meeting: Record, lang: str, sequence: int, method: str,
              description: str) -> Invitation:
    from hrcoord.render import ics

    name, email = _organiser(repo, network)
    people, warnings = _people(repo, network)
    start, end = _times(meeting)
    summary = labels(lang)["meeting_of"].format(name=network_name(network, lang))
    data = ics.invitation(uid=meeting_uid(meeting), summary=summary, start=start, end=end,
                          organizer=ics.Person(name, email, "CHAIR"), attendees=people, sequence=sequence,
                          location=meeting.get("location"), description=description, method=method, lang=lang)
    return Invitation(data, method, sequence, [(p.name, p.email) for p in people], (name, email), warnings)


def notice_description(repo, agenda: Agenda, lang: str, papers: str | None, changes: list[Change]) -> str:
    from hrcoord.render.dates import weekday_date

    t = labels(lang)
    lines = [f"{t['changes']}:", *change_lines(changes, lang), ""] if changes else []
    lines += [f"{t['agenda']}:"]
    lines += [f"{t['sak']} {i['number']} {i['title']} ({t['kinds'].get(i.get('kind'), i.get('kind') or '')})"
              for i in agenda.items]
    deadline = submission_deadline(repo, agenda.date)
    lines += ["", f"{t['late_items']}: {weekday_date(deadline, lang)}",
              f"{t['papers']}: {papers_text(repo, agenda, lang, papers)}"]
    return "\n".join(lines)


def notice_invitation(repo, agenda: Agenda, lang: str, *, sequence: int, papers: str | None = None,
                      changes: list[Change] | None = None) -> Invitation:
    """The REQUEST of a notice (a cancelled meeting's notice is its CANCEL)."""
    if agenda.meeting.get("status") == "cancelled":
        return cancel_invitation(repo, agenda.network, agenda.meeting, lang, sequence=sequence)
    description = notice_description(repo, agenda, lang, papers, changes or [])
    return _calendar(repo, agenda.network, agenda.meeting, lang, sequence, "REQUEST", description)


def cancel_invitation(repo, network: Record, meeting: Record, lang: str, *, sequence: int) -> Invitation:
    ctx = cancellation_context(repo, network, meeting, lang)
    t = labels(lang)
    lines = [ctx["text"], *([f"{t['cancel_reason']}: {ctx['reason']}"] if ctx["reason"] else []),
             *[x for x in (ctx["items_note"], ctx["next"]) if x]]
    return _calendar(repo, network, meeting, lang, sequence, "CANCEL", "\n".join(lines))


# --- the e-mail draft --------------------------------------------------------------------------------------
def _subject(key: str, network: Record, meeting: Record, lang: str) -> str:
    from hrcoord.render.dates import weekday_date

    t = labels(lang)
    when = f"{weekday_date(meeting.id, lang)} {clock_range(meeting.get('start'), meeting.get('end'), lang)}"
    return t[key].format(name=network_name(network, lang), date=when.strip())


def draft(invitation: Invitation, *, subject: str, text: str, html: str, docx: bytes, filename: str,
          lang: str) -> bytes:
    from hrcoord.render import eml

    return eml.build(eml.Draft(invitation.organiser, invitation.to, subject, text, html, invitation.ics,
                               invitation.method, words(lang, "meta")["bcp47"],
                               [eml.Attachment(filename, docx)]))


def notice_eml(repo, agenda: Agenda, lang: str, invitation: Invitation, *, version: int, papers: str | None,
               changes: list[Change]) -> bytes:
    from hrcoord.networks.documents import notice_document

    def doc(fmt: str):
        return notice_document(repo, agenda, fmt, lang, sequence=invitation.sequence, papers=papers,
                               version=version, changes=changes)

    t = labels(lang)
    key = "subject_amended" if version > 1 else "subject_notice"
    name = f"{t['attachment_notice']} {long_date(agenda.meeting.id, lang)}.docx"
    return draft(invitation, subject=_subject(key, agenda.network, agenda.meeting, lang), text=doc("txt"),
                 html=doc("html"), docx=doc("docx"), filename=name, lang=lang)


def cancel_eml(repo, network: Record, meeting: Record, lang: str, invitation: Invitation) -> bytes:
    from hrcoord.networks.documents import cancellation_document

    t = labels(lang)
    name = f"{t['attachment_cancel']} {long_date(meeting.id, lang)}.docx"
    return draft(invitation, subject=_subject("subject_cancel", network, meeting, lang),
                 text=cancellation_document(repo, network, meeting, "txt", lang),
                 html=cancellation_document(repo, network, meeting, "html", lang),
                 docx=cancellation_document(repo, network, meeting, "docx", lang), filename=name, lang=lang)
