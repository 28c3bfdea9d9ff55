"""A public consultation (høring) the directorate answers."""
from __future__ import annotations

from hrcoord.core.models.base import CASE_REF_RE, Field, Issue, Model, parse_date

HEARING_STATUSES = ("received", "in-progress", "answered", "declined")


def _deadline_after_received(rec, ctx) -> list[Issue]:
    r, d = parse_date(rec.data.get("received")), parse_date(rec.data.get("deadline"))
    if r and d and d < r:
        return [Issue(("deadline",), "HR119", "deadline is before the date received")]
    return []


HEARING = Model(
    "hearing",
    [
        Field("id", "id"),
        Field("sender", required=True),
        Field("title", required=True),
        Field("received", "date", required=True, past=True),
        Field("deadline", "date", required=True),
        Field("responsible", required=True, vocab="departments"),
        Field("status", required=True, enum=HEARING_STATUSES),
        Field("answered", "date", past=True),
        Field("case_ref", pattern=CASE_REF_RE, pattern_code="HR111",
              pattern_hint="an archive case number like 14/01234-1"),
        Field("url", "url"),
        Field("note", "text"),
    ],
    folder="hearings",
    doc="A hearing (høring) with its deadline and the department responsible.",
    checks=[_deadline_after_received],
)
