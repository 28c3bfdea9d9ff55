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

from hrcoord.actionplans.measures import CLOSED, is_overdue
from hrcoord.actionplans.reports.common import natural_key
from hrcoord.core.errors import UsageError
from hrcoord.core.models.action_plan import MEASURE_STATUSES, current_status
from hrcoord.core.models.base import parse_date, suggest

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
    as_of: dt.date  # the day statuses and deadlines are judged on: the year's end, or the report day before it
    preliminary: bool  # the year has not ended on the report day
    title: str = ""
    intro: str = ""
    status_label: str = ""  # "Status ved årsskiftet", or "Status per 1. desember 2026"
    legend: str = ""
    stamp: str | None = None


def _entries(data: dict) -> list[tuple[dt.date, dict]]:
    out = []
    for e in data.get("log") or []:
        if isinstance(e, dict):
            d = parse_date(e.get("date"))
            if d is not None:
                out.append((d, e))
    return out


@dataclass(frozen=True)
class Period:
    """What the report judges: the year's entries up to `as_of`, statuses on `as_of`."""

    year: int
    as_of: dt.date
    prev_end: dt.date
    start: dt.date


def build(repo, year: int, plan: str | None = None, lang: str | None = None,
          today: dt.date | None = None) -> ActionPlanReport:
    """The report model for `year` (all plans running that year, or one plan). A year that has not
    ended on `today` (default: today) gives a preliminary report judged on `today`."""
    if not 1990 <= year <= 2100:
        raise UsageError(f"--year must be between 1990 and 2100, not {year}")
    lang = lang or repo.language
    plans = repo.records("action-plan")
    if plan is not None and plan not in plans:
        known = ", ".join(sorted(plans)) or "none"
        raise UsageError(f"unknown action plan {plan!r}{suggest(plan, list(plans))}; known plans: {known}")
    year_end = dt.date(year, 12, 31)
    as_of = min(year_end, today or dt.date.today())
    period = Period(year, as_of, dt.date(year - 1, 12, 31), dt.date(year, 1, 1))
    by_plan = _measures_by_plan(repo, period, plan, repo.department_names(lang))
    sections = [s for pid in (sorted(plans) if plan is None else [plan])
                if (s := _section(plans[pid].data, pid, by_plan.get(pid, []), year, lang, plan is None)) is not None]
    totals = {s: sum(sec.counts[s] for sec in sections) for s in STATUS_ORDER}
    report = ActionPlanReport(report="action-plan", year=year, year_end=year_end, lang=lang, plans=sections,
                              total=sum(s.total for s in sections), counts=totals,
                              overdue=sum(s.overdue for s in sections), delayed=sum(s.delayed for s in sections),
                              as_of=as_of, preliminary=as_of < year_end)
    _wording(report)
    return report


def _measures_by_plan(repo, period: Period, plan: str | None, dept: dict) -> dict[str, list[MeasureItem]]:
    """The one pass over the measures."""
    by_plan: dict[str, list[MeasureItem]] = {}
    for key, rec in repo.records("measure").items():
        pid = rec.data.get("plan") or key.split("/", 1)[0]
        if plan is None or pid == plan:
            by_plan.setdefault(pid, []).append(_measure_item(pid, rec, period, dept))
    return by_plan


def _measure_item(pid: str, rec, period: Period, dept: dict) -> MeasureItem:
    d = rec.data
    status = current_status(d, on=period.as_of) or "none"
    before = current_status(d, on=period.prev_end) or "none"
    year_entries = [Entry(ed, str(e.get("status") or ""), e.get("note"), e.get("by"))
                    for ed, e in _entries(d) if period.start <= ed <= period.as_of]
    deadline = parse_date(d.get("deadline"))
    department = str(d.get("department") or "")
    return MeasureItem(
        key=f"{pid}/{rec.id}", id=rec.id, number=str(d.get("number") or rec.id), title=str(d.get("title") or ""),
        role=str(d.get("role") or ""), lead_agency=d.get("lead_agency"), department=department,
        department_name=dept.get(d.get("department"), department), network=d.get("network"), deadline=deadline,
        status=status, status_previous=before, entries=year_entries,
        overdue=is_overdue(deadline, status, period.as_of, inclusive=True),
        delayed=before == "delayed" or any(e.status == "delayed" for e in year_entries),
        closed_earlier=before in CLOSED and not year_entries)


def _running(p: dict, year: int) -> bool:
    start, end = p.get("period_from"), p.get("period_to")
    return isinstance(start, int) and isinstance(end, int) and start <= year <= end


def _section(p: dict, pid: str, items: list[MeasureItem], year: int, lang: str, every_plan: bool) -> PlanSection | None:
    """One plan's part; None for a plan not running that year and without news (when every plan is asked)."""
    if every_plan and not _running(p, year) and not any(i.entries for i in items):
        return None
    return _plan_section(p, pid, items, lang)


def _plan_section(p: dict, pid: str, items: list[MeasureItem], lang: str) -> PlanSection:
    items.sort(key=lambda i: (natural_key(i.number), i.id))
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for i in items:
        counts[i.status if i.status in counts else "none"] += 1
    title_nb, title_en = p.get("title_nb") or pid, p.get("title_en")
    return PlanSection(
        id=pid, title=title_en if lang == "en" and title_en else title_nb,
        title_nb=title_nb, title_en=title_en, ministry=p.get("ministry") or "",
        period_from=p.get("period_from"), period_to=p.get("period_to"), total=len(items), counts=counts,
        overdue=sum(i.overdue for i in items), delayed=sum(i.delayed for i in items),
        closed_earlier=sum(i.closed_earlier for i in items), measures=items,
        changes=[Change(i.key, i.number, i.title, i.status_previous, i.status)
                 for i in items if i.status != i.status_previous])


def _wording(r: ActionPlanReport) -> None:
    """Title, introduction, status heading and legend in the report's language; a preliminary
    report says so and names its day."""
    from hrcoord.actionplans.reports.labels import labels
    from hrcoord.core.labels import words
    from hrcoord.render.dates import long_date

    t, docs = labels(r.lang), words(r.lang, "documents")
    day = long_date(r.as_of, r.lang)
    r.title = f"{t['ap_title']} {r.year}"
    if r.preliminary:
        r.title += f" ({docs['preliminary'].format(date=day)})"
        r.intro = docs["preliminary_note"].format(date=day)
        r.status_label = t["status_as_of"].format(date=day)
        r.legend = t["legend_as_of"].format(date=day, year=r.year)
    else:
        r.intro = t["ap_intro"].format(year=r.year)
        r.status_label = t["status_year_end"]
        r.legend = t["legend"].format(year=r.year)


CSV_HEADER = ["plan", "id", "number", "title", "role", "department", "deadline", "status_year_end",
              "status_previous_year_end", "overdue", "delayed", "closed_earlier", "entries_in_year"]


def csv_rows(report: ActionPlanReport) -> list[list]:
    """One row per measure: counting the rows by status gives the summary table."""
    return [[sec.id, m.id, m.number, m.title, m.role, m.department, m.deadline, m.status, m.status_previous,
             m.overdue, m.delayed, m.closed_earlier, len(m.entries)]
            for sec in report.plans for m in sec.measures]
