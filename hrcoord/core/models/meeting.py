"""A network meeting: time and place, the agenda (Sak N/YY), attendance, follow-ups, minutes."""
from __future__ import annotations

import re

from hrcoord.core.models.base import Field, Issue, Model
from hrcoord.core.models.submission import KINDS

MEETING_STATUSES = ("planned", "notified", "held", "cancelled")
AGENDA_STATUSES = ("draft", "final", "amended")
SAK_RE = re.compile(r"^(\d{1,3})/(\d{2})$")
SOURCE_RE = re.compile(r"^(standing|submission:[a-z0-9-]+|follow-up:\d{4}-\d{2}-\d{2}/[a-z0-9-]+"
                       r"|measure:[a-z0-9-]+/[a-z0-9-]+|judgment:[a-z0-9-]+|other)$")

AGENDA_ITEM = Field("item", "map", fields=[
    Field("number", required=True, pattern=SAK_RE, pattern_hint="Sak number N/YY, e.g. 5/14"),
    Field("title", required=True),
    Field("kind", enum=KINDS),
    Field("presenter"),
    Field("source", pattern=SOURCE_RE,
          pattern_hint="standing, submission:ID, follow-up:DATE/ID, measure:PLAN/ID, judgment:ID or other"),
    Field("notes", "text"),
    Field("decision", "text"),
])

FOLLOW_UP = Field("follow-up", "map", fields=[
    Field("id", "id", required=True),
    Field("text", "text", required=True),
    Field("owner", required=True, vocab="departments"),
    Field("due", "date"),
    Field("done", "date", nullable=True, doc="false, or the date it was closed"),
])


NOTICE = Field("notice", "map", fields=[
    Field("issued", "date", required=True, doc="the day it went out"),
    Field("sequence", "int", required=True, min=0, max=10000, doc="iCalendar SEQUENCE it carried"),
    Field("method", enum=("REQUEST", "CANCEL")),
    Field("date", "date"),
    Field("start", "time"),
    Field("end", "time"),
    Field("location"),
    Field("invited", doc="fingerprint of the organiser and the invitees"),
    Field("items", "list", items=Field("item"), doc="'N/YY title' of each agenda item sent"),
])


def _not_held_in_future(rec, ctx) -> list[Issue]:
    """A meeting dated after today cannot have been held (a fact, not a plan)."""
    day = rec.date()
    if rec.data.get("status") == "held" and day is not None and day > ctx.today:
        return [Issue(("status",), "HR106", f"the meeting is dated {day.isoformat()}, in the future; "
                                            "it cannot be held yet")]
    return []


def _times_and_place(rec, ctx) -> list[Issue]:
    d = rec.data
    out: list[Issue] = []
    start, end = d.get("start"), d.get("end")
    if isinstance(start, str) and isinstance(end, str) and end <= start:
        out.append(Issue(("end",), "HR119", f"end {end} is not after start {start}"))
    if isinstance(d.get("date"), str) and d["date"] != rec.id:
        out.append(Issue(("date",), "HR203", f"date {d['date']} differs from the file name {rec.id}"))
    if isinstance(d.get("network"), str) and d["network"] != rec.source.path.parent.name:
        out.append(Issue(("network",), "HR208",
                         f"meeting of network {d['network']!r} lies in meetings/{rec.source.path.parent.name}/"))
    return out


def _agenda_numbers(rec, ctx) -> list[Issue]:
    """Sak numbers carry the meeting's year and appear once."""
    agenda = rec.data.get("agenda")
    out: list[Issue] = []
    seen: set = set()
    year = str(rec.data.get("date", ""))[2:4]
    for i, item in enumerate(agenda if isinstance(agenda, list) else []):
        if not isinstance(item, dict) or not isinstance(item.get("number"), str):
            continue
        m = SAK_RE.match(item["number"])
        if m and year and m.group(2) != year:
            out.append(Issue(("agenda", i, "number"), "HR119",
                             f"Sak {item['number']} does not carry the meeting's year /{year}"))
        if item["number"] in seen:
            out.append(Issue(("agenda", i, "number"), "HR118", f"Sak {item['number']} appears twice"))
        seen.add(item["number"])
    return out


def _follow_up_ids(rec, ctx) -> list[Issue]:
    follow_ups = rec.data.get("follow_ups")
    out: list[Issue] = []
    ids: set = set()
    for i, fu in enumerate(follow_ups if isinstance(follow_ups, list) else []):
        if not isinstance(fu, dict):
            continue
        if fu.get("id") in ids:
            out.append(Issue(("follow_ups", i, "id"), "HR118", f"follow-up id {fu.get('id')!r} appears twice"))
        ids.add(fu.get("id") if isinstance(fu.get("id"), str) else None)
    return out


MEETING = Model(
    "meeting",
    [
        Field("id", "id"),
        Field("network", required=True, vocab="networks"),
        Field("date", "date", required=True),
        Field("start", "time", required=True),
        Field("end", "time"),
        Field("location"),
        Field("status", required=True, enum=MEETING_STATUSES),
        Field("agenda_status", enum=AGENDA_STATUSES),
        Field("uid", doc="iCalendar UID of the meeting; kept when the meeting moves"),
        Field("sequence", "int", min=0, max=10000, doc="iCalendar SEQUENCE of the next invitation"),
        Field("cancel_reason", doc="why the meeting was cancelled"),
        Field("notices", "list", items=NOTICE, doc="what each notice or cancellation sent (written by the commands)"),
        Field("notified", "any", doc="older form of `notices` (one fingerprint); read, no longer written"),
        Field("agenda", "list", items=AGENDA_ITEM),
        Field("attendance", "map", fields=[
            Field("present", "list", items=Field("name")),
            Field("absent", "list", items=Field("name")),
            Field("deputies", "list", items=Field("deputy", "map", fields=[
                Field("name", required=True), Field("for", required=True),
            ])),
            Field("minute_taker"),
        ]),
        Field("follow_ups", "list", items=FOLLOW_UP),
    ],
    folder="meetings",
    markdown=True,
    doc="A network meeting with its agenda, attendance and follow-ups; minutes in the body.",
    checks=[_times_and_place, _agenda_numbers, _follow_up_ids, _not_held_in_future],
)
