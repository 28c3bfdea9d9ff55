"""The quarterly report (`hrcoord report quarterly --quarter 2014-Q2`).

One model, built in one pass per record type:
- meetings per network: meetings with status `held` dated in the quarter (exactly those), against
  the rhythm of one a quarter (four a year); planned/notified and cancelled ones shown apart;
- summaries: published in the quarter (`published` date), approved in the quarter (review stamp
  dated in the quarter), withdrawn (dated by the publication/review of the summary replacing it);
- measures: every status entry dated in the quarter, with the status before it; the status
  distribution at the quarter's end (plans running that year);
- follow-ups: opened in the quarter's held meetings, closed in the quarter (`done` date), open
  at the quarter's end;
- hearings received/answered in the quarter; deadlines in the next quarter (hearings, measures,
  follow-ups, planned meetings).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from hrcoord.actionplans.hearings import HearingRow, hearing_row, is_open
from hrcoord.actionplans.measures import CLOSED
from hrcoord.actionplans.reports.action_plan import STATUS_ORDER
from hrcoord.actionplans.reports.common import Quarter, dated_meetings, done_date, natural_key
from hrcoord.core.models.action_plan import current_status
from hrcoord.core.models.base import parse_date


@dataclass
class NetworkMeetings:
    network: str
    name: str
    held: int  # meetings with status held in the quarter
    held_dates: list[dt.date]
    other: int  # planned or notified, in the quarter
    cancelled: int
    met: bool  # at least one held meeting: the one-a-quarter rhythm
    held_ytd: int  # held from 1 January to the quarter's end
    min_ytd: int  # the minimum by then: one per quarter so far


@dataclass
class SummaryItem:
    id: str
    title: str
    date: dt.date | None
    status: str
    published: dt.date | None
    reviewed: dt.date | None
    replaced_by: str | None = None
    replaced_by_title: str = ""


@dataclass
class StatusEntry:
    key: str
    number: str
    title: str
    date: dt.date
    before: str
    after: str
    changed: bool
    note: str | None
    by: str | None


@dataclass
class FollowUp:
    meeting: str  # network/date
    network: str
    id: str
    text: str
    owner: str
    due: dt.date | None
    done: dt.date | None
    network_name: str = ""
    meeting_date: dt.date | None = None


@dataclass
class Deadline:
    date: dt.date
    kind: str  # hearing | measure | follow-up | meeting
    ref: str
    title: str
    responsible: str


@dataclass
class QuarterlyReport:
    report: str
    quarter: str
    start: dt.date
    end: dt.date
    next_quarter: str
    lang: str
    networks: list[NetworkMeetings]
    meetings_held: int
    networks_met: int
    summaries_published: list[SummaryItem]
    summaries_reviewed: list[SummaryItem]
    summaries_withdrawn: list[SummaryItem]
    measure_entries: list[StatusEntry]
    measure_changes: int  # entries that changed the status
    measure_counts: dict[str, int]  # status at the quarter's end
    follow_ups_opened: list[FollowUp]
    follow_ups_closed: list[FollowUp]
    follow_ups_open: list[FollowUp]
    hearings_received: list[HearingRow]
    hearings_answered: list[HearingRow]
    upcoming: list[Deadline] = field(default_factory=list)
    as_of: dt.date | None = None  # the day the report judges on: the quarter's end, or the report day before it
    preliminary: bool = False
    quarter_label: str = ""  # "2. kvartal 2014"
    next_quarter_label: str = ""
    title: str = ""
    intro: str = ""
    stamp: str | None = None


@dataclass
class _Scope:
    """The quarter, the next one, and the day the report judges on (the quarter's end, or the report
    day when the quarter is still running)."""

    quarter: Quarter
    as_of: dt.date
    lang: str

    @property
    def nq(self) -> Quarter:
        return self.quarter.next()

    def until_as_of(self, d: dt.date | None) -> bool:
        return self.quarter.contains(d) and d is not None and d <= self.as_of


@dataclass
class _Meetings:
    per_net: dict[str, dict] = field(default_factory=dict)
    opened: list[FollowUp] = field(default_factory=list)
    closed: list[FollowUp] = field(default_factory=list)
    still_open: list[FollowUp] = field(default_factory=list)
    upcoming: list[Deadline] = field(default_factory=list)

    def counts(self, slug: str) -> dict:
        return self.per_net.setdefault(slug, {"held": [], "other": 0, "cancelled": 0, "ytd": 0})


def build(repo, quarter: Quarter, lang: str | None = None, today: dt.date | None = None) -> QuarterlyReport:
    """The quarter's report; a quarter still running on `today` (default: today) is reported as
    preliminary, judged on `today`."""
    lang = lang or repo.language
    scope = _Scope(quarter, min(quarter.end, today or dt.date.today()), lang)
    nets = repo.networks()
    meetings = _meetings(repo, scope, nets)
    networks = [_network_row(slug, meetings.per_net[slug], nets, scope) for slug in sorted(meetings.per_net)]
    published, reviewed, withdrawn = _summaries(repo, scope)
    entries, mcounts, measure_deadlines = _measures(repo, scope)
    received, answered, hearing_deadlines = _hearings(repo, scope)
    kinds = {"meeting": 0, "hearing": 1, "measure": 2, "follow-up": 3}
    upcoming = sorted(meetings.upcoming + measure_deadlines + hearing_deadlines,
                      key=lambda u: (u.date, kinds.get(u.kind, 9), u.ref))
    report = QuarterlyReport(
        report="quarterly", quarter=str(quarter), start=quarter.start, end=quarter.end, next_quarter=str(scope.nq),
        lang=lang, networks=networks, meetings_held=sum(n.held for n in networks),
        networks_met=sum(n.met for n in networks),
        summaries_published=published, summaries_reviewed=reviewed, summaries_withdrawn=withdrawn,
        measure_entries=entries, measure_changes=sum(e.changed for e in entries), measure_counts=mcounts,
        follow_ups_opened=meetings.opened, follow_ups_closed=meetings.closed, follow_ups_open=meetings.still_open,
        hearings_received=received, hearings_answered=answered, upcoming=upcoming,
        as_of=scope.as_of, preliminary=scope.as_of < quarter.end)
    _wording(report, quarter)
    return report


def _meetings(repo, scope: _Scope, nets: dict) -> _Meetings:
    """One pass over the meetings: counts per network, follow-ups, planned meetings next quarter."""
    out = _Meetings(per_net={slug: {"held": [], "other": 0, "cancelled": 0, "ytd": 0} for slug in nets})
    year_start = dt.date(scope.quarter.year, 1, 1)
    for slug, day, status, rec in dated_meetings(repo):
        counts = out.counts(slug)
        if scope.quarter.contains(day):
            key = "held" if status == "held" else "cancelled" if status == "cancelled" else "other"
            counts[key] = counts[key] + [day] if key == "held" else counts[key] + 1
        if status == "held" and year_start <= day <= scope.as_of:
            counts["ytd"] += 1
        if status in ("planned", "notified") and scope.nq.contains(day):
            name = _net_name(nets.get(slug), slug, scope.lang)
            out.upcoming.append(Deadline(day, "meeting", f"{slug}/{rec.id}", name, ""))
        _follow_ups(out, slug, day, status, rec, scope, _net_name(nets.get(slug), slug, scope.lang))
    fu_key = lambda f: (f.meeting, natural_key(f.id))
    out.opened.sort(key=fu_key)
    out.closed.sort(key=lambda f: (f.done, f.meeting, natural_key(f.id)))
    out.still_open.sort(key=fu_key)
    return out


def _follow_ups(out: _Meetings, slug: str, day: dt.date, status, rec, scope: _Scope, net_name: str) -> None:
    held_by_then = status == "held" and day <= scope.as_of
    for fu in rec.data.get("follow_ups") or []:
        if not isinstance(fu, dict):
            continue
        item = FollowUp(f"{slug}/{rec.id}", slug, str(fu.get("id") or ""), str(fu.get("text") or ""),
                        str(fu.get("owner") or ""), parse_date(fu.get("due")), done_date(fu.get("done")),
                        net_name, day)
        if held_by_then and scope.quarter.contains(day):
            out.opened.append(item)
        if scope.until_as_of(item.done):
            out.closed.append(item)
        if held_by_then and (item.done is None or item.done > scope.as_of):
            out.still_open.append(item)
            if scope.nq.contains(item.due):
                out.upcoming.append(Deadline(item.due, "follow-up", f"{item.meeting}/{item.id}", item.text,  # type: ignore[arg-type]
                                             item.owner))


def _network_row(slug: str, c: dict, nets: dict, scope: _Scope) -> NetworkMeetings:
    return NetworkMeetings(slug, _net_name(nets.get(slug), slug, scope.lang), len(c["held"]), sorted(c["held"]),
                           c["other"], c["cancelled"], bool(c["held"]), c["ytd"], scope.quarter.q)


def _summaries(repo, scope: _Scope) -> tuple[list[SummaryItem], list[SummaryItem], list[SummaryItem]]:
    """Published, approved and withdrawn in the quarter (a withdrawal is dated by its replacement)."""
    start = scope.quarter.start.isoformat()  # the index leaves out what was neither published nor reviewed since
    judgments = repo.rows("judgment", narrow=("status = 'withdrawn' OR published >= ? OR reviewed_on >= ?",
                                              [start, start]))

    def summary(jid):  # a replacement may lie outside the narrowed rows
        return judgments.get(jid) or repo.row("judgment", jid) if isinstance(jid, str) and jid else None

    published, reviewed, withdrawn = [], [], []
    for jid, rec in judgments.items():
        d = rec.data
        pub, rev = _summary_dates(d)
        replacement = summary(d.get("replaced_by"))
        item = SummaryItem(jid, str(d.get("title") or ""), parse_date(d.get("date")), str(d.get("status") or ""),
                           pub, rev, d.get("replaced_by"),
                           str(replacement.data.get("title") or "") if replacement is not None else "")
        if d.get("status") == "withdrawn":
            rpub, rrev = _summary_dates(replacement.data) if replacement is not None else (None, None)
            if scope.until_as_of(rpub) or scope.until_as_of(rrev):
                withdrawn.append(item)
            continue
        if scope.until_as_of(pub):
            published.append(item)
        if scope.until_as_of(rev):
            reviewed.append(item)
    published.sort(key=lambda s: (s.published, s.id))
    reviewed.sort(key=lambda s: (s.reviewed, s.id))
    withdrawn.sort(key=lambda s: s.id)
    return published, reviewed, withdrawn


def _summary_dates(d: dict) -> tuple[dt.date | None, dt.date | None]:
    review = d.get("review")
    review = review if isinstance(review, dict) else {}
    return parse_date(d.get("published")), parse_date(review.get("date"))


def _measures(repo, scope: _Scope) -> tuple[list[StatusEntry], dict[str, int], list[Deadline]]:
    """Entries of the quarter (up to the report day), the status distribution on that day, and the
    deadlines of the next quarter."""
    plans = repo.records("action-plan")
    entries: list[StatusEntry] = []
    counts = dict.fromkeys(STATUS_ORDER, 0)
    deadlines = []
    for key, rec in repo.records("measure").items():
        d = rec.data
        entries += _status_entries(key, rec, scope)
        p = plans.get(d.get("plan"))
        status = current_status(d, on=scope.as_of)
        if _plan_runs(p.data if p is not None else {}, scope.quarter.year):
            counts[status if status in counts else "none"] += 1
        deadline = parse_date(d.get("deadline"))
        if scope.nq.contains(deadline) and status not in CLOSED:
            deadlines.append(Deadline(deadline, "measure", key, f"{d.get('number')}: {d.get('title')}",  # type: ignore[arg-type]
                                      str(d.get("department") or "")))
    entries.sort(key=lambda e: (e.date, e.key))
    return entries, counts, deadlines


def _plan_runs(pd: dict, year: int) -> bool:
    return isinstance(pd.get("period_from"), int) and isinstance(pd.get("period_to"), int) and \
        pd["period_from"] <= year <= pd["period_to"]


def _status_entries(key: str, rec, scope: _Scope) -> list[StatusEntry]:
    d = rec.data
    out, prev = [], "none"
    for e in d.get("log") or []:
        ed = parse_date(e.get("date")) if isinstance(e, dict) else None
        if ed is None:
            continue
        if ed > scope.as_of:
            break
        st = str(e.get("status") or "")
        if ed >= scope.quarter.start:
            out.append(StatusEntry(key, str(d.get("number") or rec.id), str(d.get("title") or ""), ed, prev, st,
                                   st != prev, e.get("note"), e.get("by")))
        prev = st
    return out


def _hearings(repo, scope: _Scope) -> tuple[list[HearingRow], list[HearingRow], list[Deadline]]:
    received, answered, deadlines = [], [], []
    for hid, rec in repo.records("hearing").items():
        d = rec.data
        h = hearing_row(hid, d)
        if scope.until_as_of(h.received):
            received.append(h)
        if scope.until_as_of(h.answered):
            answered.append(h)
        received_by_then = h.received is None or h.received <= scope.as_of
        if scope.nq.contains(h.deadline) and is_open(d, scope.as_of) and received_by_then:
            deadlines.append(Deadline(h.deadline, "hearing", hid, h.title, h.responsible))  # type: ignore[arg-type]
    received.sort(key=lambda h: (h.received, h.id))
    answered.sort(key=lambda h: (h.answered, h.id))
    return received, answered, deadlines


def _wording(r: QuarterlyReport, quarter: Quarter) -> None:
    from hrcoord.actionplans.reports.labels import labels
    from hrcoord.core.labels import words
    from hrcoord.render.dates import long_date

    t, docs = labels(r.lang), words(r.lang, "documents")
    r.quarter_label = quarter.label(r.lang)
    r.next_quarter_label = quarter.next().label(r.lang)
    r.title = t["q_title"].format(quarter=r.quarter_label)
    r.intro = t["q_intro"].format(start=long_date(r.start, r.lang), end=long_date(r.end, r.lang))
    if r.preliminary:
        day = long_date(r.as_of, r.lang)
        r.title += f" ({docs['preliminary'].format(date=day)})"
        r.intro += " " + docs["preliminary_note"].format(date=day)


def _net_name(rec, slug: str, lang: str) -> str:
    if rec is None:
        return slug
    return rec.data.get(f"name_{lang}") or rec.data.get("name_nb") or slug


CSV_HEADER = ["section", "ref", "title", "date", "status", "value", "detail"]


def csv_rows(r: QuarterlyReport) -> list[list]:
    """The report as one long table: a `section` column names what each row counts."""
    return [row for part in (_csv_meetings, _csv_summaries, _csv_measures, _csv_follow_ups, _csv_hearings,
                             _csv_upcoming) for row in part(r)]


def _csv_meetings(r: QuarterlyReport) -> list[list]:
    return [["meetings", n.network, n.name, "", "met" if n.met else "missed", n.held,
             " ".join(d.isoformat() for d in n.held_dates)] for n in r.networks]


def _csv_summaries(r: QuarterlyReport) -> list[list]:
    rows = [["summary-published", s.id, s.title, s.published, s.status, 1, ""] for s in r.summaries_published]
    rows += [["summary-reviewed", s.id, s.title, s.reviewed, s.status, 1, ""] for s in r.summaries_reviewed]
    rows += [["summary-withdrawn", s.id, s.title, "", s.status, 1, s.replaced_by or ""] for s in r.summaries_withdrawn]
    return rows


def _csv_measures(r: QuarterlyReport) -> list[list]:
    rows = [["measure-entry", e.key, f"{e.number}: {e.title}", e.date, e.after, 1 if e.changed else 0, e.before]
            for e in r.measure_entries]
    rows += [["measure-status", status, "", r.end, status, n, ""] for status, n in r.measure_counts.items()]
    return rows


def _csv_follow_ups(r: QuarterlyReport) -> list[list]:
    return [[name, f"{f.meeting}/{f.id}", f.text, f.done if name == "follow-up-closed" else f.due, f.owner, 1, ""]
            for name, items in (("follow-up-opened", r.follow_ups_opened), ("follow-up-closed", r.follow_ups_closed),
                                ("follow-up-open", r.follow_ups_open)) for f in items]


def _csv_hearings(r: QuarterlyReport) -> list[list]:
    rows = [["hearing-received", h.id, h.title, h.received, h.status, 1, h.deadline.isoformat() if h.deadline else ""]
            for h in r.hearings_received]
    rows += [["hearing-answered", h.id, h.title, h.answered, h.status, 1, ""] for h in r.hearings_answered]
    return rows


def _csv_upcoming(r: QuarterlyReport) -> list[list]:
    return [[f"upcoming-{u.kind}", u.ref, u.title, u.date, "", 1, u.responsible] for u in r.upcoming]
