"""The annual report on the follow-up of action-plan measures (`hrcoord report action-plan`).

One pass over the measures builds the model: per plan, every measure with its status at the end
of the year (the last log entry on or before 31.12.Y), the year's entries, the status a year
earlier, and the flags. Every output format renders this one model.

Definitions (printed in the report's legend too):
- *status at year end*: `current_status(data, on=31.12.Y)`; a measure with no entry by then has
  the status `none`.
- *overdue*: the deadline fell on or before 31.12.Y and the status at year end is neither
  `completed` nor `cancelled`.
- *delayed*: the measure had the status `delayed` at some time during the year (at its start, or
  in one of the year's entries).
- *closed earlier*: completed or cancelled at the end of Y-1 and no entry during Y; listed briefly.
The status counts partition the plan's measures: they add up to its number of measures.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from hrcoord.core.errors import UsageError
from hrcoord.actionplans.measures import CLOSED, is_overdue
from hrcoord.core.models.action_plan import MEASURE_STATUSES, current_status
from hrcoord.core.models.base import parse_date, suggest
from hrcoord.actionplans.reports.common import natural_key

STATUS_ORDER = MEASURE_STATUSES + ("none",)


@dataclass
class Entry:
    date: dt.date
    status: str
    note: str | None
    by: str | None


@dataclass
class MeasureItem:
    key: str  # plan/id
    id: str
    number: str
    title: str
    role: str
    lead_agency: str | None
    department: str
    department_name: str
    network: str | None
    deadline: dt.date | None
    status: str  # at the end of the year ("none": no entry yet)
    status_previous: str  # at the end of the year before
    entries: list[Entry]  # the year's entries, in order
    overdue: bool
    delayed: bool
    closed_earlier: bool


@dataclass
class Change:
    key: str
    number: str
    title: str
    before: str
    after: str


@dataclass
class PlanSection:
    id: str
    title: str
    title_nb: str
    title_en: str | None
    ministry: str
    period_from: int | None
    period_to: int | None
    total: int
    counts: dict[str, int]  # status at year end -> number of measures (all statuses, in order)
    overdue: int
    delayed: int
    closed_earlier: int
    measures: list[MeasureItem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


@dataclass
class ActionPlanReport:
    report: str
    year: int
    year_end: dt.date
    lang: str
    plans: list[PlanSection]
    total: int
    counts: dict[str, int]
    overdue: int
    delayed: int
    stamp: str | None = None


def _entries(data: dict) -> list[tuple[dt.date, dict]]:
    out = []
    for e in data.get("log") or []:
        if isinstance(e, dict):
            d = parse_date(e.get("date"))
            if d is not None:
                out.append((d, e))
    return out


def build(repo, year: int, plan: str | None = None, lang: str | None = None) -> ActionPlanReport:
    """The report model for `year` (all plans running that year, or one plan)."""
    if not 1990 <= year <= 2100:
        raise UsageError(f"--year must be between 1990 and 2100, not {year}")
    lang = lang or repo.language
    plans = repo.records("action-plan")
    if plan is not None and plan not in plans:
        known = ", ".join(sorted(plans)) or "none"
        raise UsageError(f"unknown action plan {plan!r}{suggest(plan, list(plans))}; known plans: {known}")
    year_end, prev_end, year_start = dt.date(year, 12, 31), dt.date(year - 1, 12, 31), dt.date(year, 1, 1)
    dept = repo.department_names(lang)

    by_plan: dict[str, list[MeasureItem]] = {}
    for key, rec in repo.records("measure").items():  # the one pass
        d = rec.data
        pid = d.get("plan") or key.split("/", 1)[0]
        if plan is not None and pid != plan:
            continue
        status = current_status(d, on=year_end) or "none"
        before = current_status(d, on=prev_end) or "none"
        year_entries = [Entry(ed, str(e.get("status") or ""), e.get("note"), e.get("by"))
                        for ed, e in _entries(d) if year_start <= ed <= year_end]
        deadline = parse_date(d.get("deadline"))
        delayed = before == "delayed" or any(e.status == "delayed" for e in year_entries)
        closed_earlier = before in CLOSED and not year_entries
        item = MeasureItem(
            key=f"{pid}/{rec.id}", id=rec.id, number=str(d.get("number") or rec.id), title=str(d.get("title") or ""),
            role=str(d.get("role") or ""), lead_agency=d.get("lead_agency"),
            department=str(d.get("department") or ""), department_name=dept.get(d.get("department"), str(d.get("department") or "")),
            network=d.get("network"), deadline=deadline, status=status, status_previous=before, entries=year_entries,
            overdue=is_overdue(deadline, status, year_end, inclusive=True), delayed=delayed,
            closed_earlier=closed_earlier)
        by_plan.setdefault(pid, []).append(item)

    sections = []
    for pid in sorted(plans) if plan is None else [plan]:
        p = plans[pid].data
        items = by_plan.get(pid, [])
        running = isinstance(p.get("period_from"), int) and isinstance(p.get("period_to"), int) and \
            p["period_from"] <= year <= p["period_to"]
        if plan is None and not running and not any(i.entries for i in items):
            continue  # a plan not running that year and without news: not part of this year's report
        items.sort(key=lambda i: (natural_key(i.number), i.id))
        counts = {s: 0 for s in STATUS_ORDER}
        for i in items:
            counts[i.status if i.status in counts else "none"] += 1
        title_en = p.get("title_en")
        sections.append(PlanSection(
            id=pid, title=(title_en if lang == "en" and title_en else p.get("title_nb")) or pid,
            title_nb=p.get("title_nb") or pid, title_en=title_en, ministry=p.get("ministry") or "",
            period_from=p.get("period_from"), period_to=p.get("period_to"), total=len(items), counts=counts,
            overdue=sum(i.overdue for i in items), delayed=sum(i.delayed for i in items),
            closed_earlier=sum(i.closed_earlier for i in items), measures=items,
            changes=[Change(i.key, i.number, i.title, i.status_previous, i.status)
                     for i in items if i.status != i.status_previous]))
    totals = {s: sum(sec.counts[s] for sec in sections) for s in STATUS_ORDER}
    return ActionPlanReport(report="action-plan", year=year, year_end=year_end, lang=lang, plans=sections,
                            total=sum(s.total for s in sections), counts=totals,
                            overdue=sum(s.overdue for s in sections), delayed=sum(s.delayed for s in sections))


CSV_HEADER = ["plan", "id", "number", "title", "role", "department", "deadline", "status_year_end",
              "status_previous_year_end", "overdue", "delayed", "closed_earlier", "entries_in_year"]


def csv_rows(report: ActionPlanReport) -> list[list]:
    """One row per measure: counting the rows by status gives the summary table."""
    return [[sec.id, m.id, m.number, m.title, m.role, m.department, m.deadline, m.status, m.status_previous,
             m.overdue, m.delayed, m.closed_earlier, len(m.entries)]
            for sec in report.plans for m in sec.measures]
