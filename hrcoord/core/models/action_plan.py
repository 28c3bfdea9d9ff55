"""A national action plan and its measures (tiltak) with their dated status log."""
from __future__ import annotations

from hrcoord.core.models.base import Field, Issue, Model, parse_date

ROLES = ("lead", "contributor")
MEASURE_STATUSES = ("not-started", "in-progress", "completed", "delayed", "cancelled", "continuous")


def _period(rec, ctx) -> list[Issue]:
    a, b = rec.data.get("period_from"), rec.data.get("period_to")
    if isinstance(a, int) and isinstance(b, int) and b < a:
        return [Issue(("period_to",), "HR119", "period_to is before period_from")]
    return []


ACTION_PLAN = Model(
    "action-plan",
    [
        Field("id", "id"),
        Field("title_nb", required=True),
        Field("title_en"),
        Field("ministry", required=True),
        Field("period_from", "int", required=True, min=1990, max=2100),
        Field("period_to", "int", required=True, min=1990, max=2100),
        Field("fields", "list", required=True, scalar_ok=True, items=Field("field", vocab="networks")),
        Field("source_url", "url"),
    ],
    folder="action-plans",
    doc="A national action plan: titles, ministry, period, networks it concerns.",
    checks=[_period],
)


def _log_in_order(rec, ctx) -> list[Issue]:
    log = rec.data.get("log")
    if not isinstance(log, list):
        return []
    out, last = [], None
    for i, entry in enumerate(log):
        d = parse_date(entry.get("date")) if isinstance(entry, dict) else None
        if d and last and d < last:
            out.append(Issue(("log", i, "date"), "HR119",
                             f"log entry {d} is earlier than the entry before it ({last}); "
                             "the log is kept oldest first"))
        last = d or last
    return out


def _plan_matches_folder(rec, ctx) -> list[Issue]:
    plan = rec.data.get("plan")
    folder = rec.source.path.parent.name
    if isinstance(plan, str) and plan != folder:
        return [Issue(("plan",), "HR208", f"measure of plan {plan!r} lies in measures/{folder}/")]
    return []


LOG_ENTRY = Field("entry", "map", fields=[
    Field("date", "date", required=True, past=True),
    Field("status", required=True, enum=MEASURE_STATUSES),
    Field("note", "text"),
    Field("by"),
])

MEASURE = Model(
    "measure",
    [
        Field("id", "id"),
        Field("plan", required=True, vocab="plans"),
        Field("number", required=True, doc="as printed in the plan, 'Tiltak 12'"),
        Field("title", required=True),
        Field("description", "text"),
        Field("lead_agency"),
        Field("role", required=True, enum=ROLES),
        Field("department", required=True, vocab="departments"),
        Field("network", vocab="networks"),
        Field("deadline", "date"),
        Field("log", "list", required=True, items=LOG_ENTRY),
    ],
    folder="measures",
    doc="A measure (tiltak) of an action plan, with its status log (latest entry = current status).",
    checks=[_log_in_order, _plan_matches_folder],
)


def current_status(measure_data: dict, on=None) -> str | None:
    """Status from the latest log entry (on or before `on`, when given)."""
    status = None
    for entry in measure_data.get("log") or []:
        d = parse_date(entry.get("date"))
        if on is not None and (d is None or d > on):
            break
        status = entry.get("status")
    return status
