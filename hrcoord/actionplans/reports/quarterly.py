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
from hrcoord.core.models.action_plan import current_status
from hrcoord.core.models.base import parse_date
from hrcoord.actionplans.reports.action_plan import STATUS_ORDER
from hrcoord.actionplans.reports.common import Quarter, dated_meetings, done_date, natural_key


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
    stamp: str | None = None


def _hearing(hid: str, d: dict) -> HearingRow:
    return hearing_row(hid, d)


def build(repo, quarter: Quarter, lang: str | None = None) -> QuarterlyReport:
    lang = lang or repo.language
    start, end = quarter.start, quarter.end
    nq = quarter.next()
    year_start = dt.date(quarter.year, 1, 1)

    # --- meetings and follow-ups: one pass over the meetings
    nets = repo.networks()
    per_net = {slug: {"held": [], "other": 0, "cancelled": 0, "ytd": 0} for slug in nets}
    opened, closed, still_open, upcoming = [], [], [], []
    for slug, day, status, rec in dated_meetings(repo):
        d = rec.data
        counts = per_net.setdefault(slug, {"held": [], "other": 0, "cancelled": 0, "ytd": 0})
        if quarter.contains(day):
            if status == "held":
                counts["held"].append(day)
            elif status == "cancelled":
                counts["cancelled"] += 1
            else:
                counts["other"] += 1
        if status == "held" and year_start <= day <= end:
            counts["ytd"] += 1
        if status in ("planned", "notified") and nq.contains(day):
            upcoming.append(Deadline(day, "meeting", f"{slug}/{rec.id}", _net_name(nets.get(slug), slug, lang), ""))
        for fu in d.get("follow_ups") or []:
            if not isinstance(fu, dict):
                continue
            item = FollowUp(f"{slug}/{rec.id}", slug, str(fu.get("id") or ""), str(fu.get("text") or ""),
                            str(fu.get("owner") or ""), parse_date(fu.get("due")), done_date(fu.get("done")))
            if status == "held" and quarter.contains(day):
                opened.append(item)
            if quarter.contains(item.done):
                closed.append(item)
            if status == "held" and day <= end and (item.done is None or item.done > end):
                still_open.append(item)
                if nq.contains(item.due):
                    upcoming.append(Deadline(item.due, "follow-up", f"{item.meeting}/{item.id}", item.text, item.owner))
    networks = []
    for slug in sorted(per_net):
        c = per_net[slug]
        networks.append(NetworkMeetings(slug, _net_name(nets.get(slug), slug, lang), len(c["held"]),
                                        sorted(c["held"]), c["other"], c["cancelled"], bool(c["held"]), c["ytd"],
                                        quarter.q))
    fu_key = lambda f: (f.meeting, natural_key(f.id))  # noqa: E731
    opened.sort(key=fu_key)
    closed.sort(key=lambda f: (f.done, f.meeting, natural_key(f.id)))
    still_open.sort(key=fu_key)

    # --- summaries
    judgments = repo.records("judgment")
    published, reviewed, withdrawn = [], [], []
    dates: dict[str, tuple] = {}
    for jid, rec in judgments.items():
        d = rec.data
        review = d.get("review") if isinstance(d.get("review"), dict) else {}
        dates[jid] = (parse_date(d.get("published")), parse_date(review.get("date")))
    for jid, rec in judgments.items():
        d = rec.data
        pub, rev = dates[jid]
        item = SummaryItem(jid, str(d.get("title") or ""), parse_date(d.get("date")), str(d.get("status") or ""),
                           pub, rev, d.get("replaced_by"))
        if d.get("status") == "withdrawn":
            rpub, rrev = dates.get(d.get("replaced_by"), (None, None))
            if quarter.contains(rpub) or quarter.contains(rrev):
                withdrawn.append(item)
            continue
        if quarter.contains(pub):
            published.append(item)
        if quarter.contains(rev):
            reviewed.append(item)
    published.sort(key=lambda s: (s.published, s.id))
    reviewed.sort(key=lambda s: (s.reviewed, s.id))
    withdrawn.sort(key=lambda s: s.id)

    # --- measures: entries of the quarter, and the status distribution at its end
    plans = repo.records("action-plan")
    entries = []
    mcounts = {s: 0 for s in STATUS_ORDER}
    for key, rec in repo.records("measure").items():
        d = rec.data
        prev = "none"
        for e in d.get("log") or []:
            if not isinstance(e, dict):
                continue
            ed = parse_date(e.get("date"))
            st = str(e.get("status") or "")
            if ed is None:
                continue
            if ed > end:
                break
            if ed >= start:
                entries.append(StatusEntry(key, str(d.get("number") or rec.id), str(d.get("title") or ""), ed, prev,
                                           st, st != prev, e.get("note"), e.get("by")))
            prev = st
        p = plans.get(d.get("plan"))
        pd = p.data if p is not None else {}
        if isinstance(pd.get("period_from"), int) and isinstance(pd.get("period_to"), int) and \
                pd["period_from"] <= quarter.year <= pd["period_to"]:
            st = current_status(d, on=end) or "none"
            mcounts[st if st in mcounts else "none"] += 1
        deadline = parse_date(d.get("deadline"))
        if nq.contains(deadline) and (current_status(d, on=end) not in CLOSED):
            upcoming.append(Deadline(deadline, "measure", key, f"{d.get('number')}: {d.get('title')}",
                                     str(d.get("department") or "")))
    entries.sort(key=lambda e: (e.date, e.key))

    # --- hearings
    received, answered = [], []
    for hid, rec in repo.records("hearing").items():
        d = rec.data
        h = _hearing(hid, d)
        if quarter.contains(h.received):
            received.append(h)
        if quarter.contains(h.answered):
            answered.append(h)
        if nq.contains(h.deadline) and is_open(d, end) and (h.received is None or h.received <= end):
            upcoming.append(Deadline(h.deadline, "hearing", hid, h.title, h.responsible))
    received.sort(key=lambda h: (h.received, h.id))
    answered.sort(key=lambda h: (h.answered, h.id))
    kinds = {"meeting": 0, "hearing": 1, "measure": 2, "follow-up": 3}
    upcoming.sort(key=lambda u: (u.date, kinds.get(u.kind, 9), u.ref))

    return QuarterlyReport(
        report="quarterly", quarter=str(quarter), start=start, end=end, next_quarter=str(nq), lang=lang,
        networks=networks, meetings_held=sum(n.held for n in networks), networks_met=sum(n.met for n in networks),
        summaries_published=published, summaries_reviewed=reviewed, summaries_withdrawn=withdrawn,
        measure_entries=entries, measure_changes=sum(e.changed for e in entries), measure_counts=mcounts,
        follow_ups_opened=opened, follow_ups_closed=closed, follow_ups_open=still_open,
        hearings_received=received, hearings_answered=answered, upcoming=upcoming)


def _net_name(rec, slug: str, lang: str) -> str:
    if rec is None:
        return slug
    return rec.data.get(f"name_{lang}") or rec.data.get("name_nb") or slug


CSV_HEADER = ["section", "ref", "title", "date", "status", "value", "detail"]


def csv_rows(r: QuarterlyReport) -> list[list]:
    """The report as one long table: a `section` column names what each row counts."""
    rows: list[list] = []
    for n in r.networks:
        rows.append(["meetings", n.network, n.name, "", "met" if n.met else "missed", n.held,
                     " ".join(d.isoformat() for d in n.held_dates)])
    for s in r.summaries_published:
        rows.append(["summary-published", s.id, s.title, s.published, s.status, 1, ""])
    for s in r.summaries_reviewed:
        rows.append(["summary-reviewed", s.id, s.title, s.reviewed, s.status, 1, ""])
    for s in r.summaries_withdrawn:
        rows.append(["summary-withdrawn", s.id, s.title, "", s.status, 1, s.replaced_by or ""])
    for e in r.measure_entries:
        rows.append(["measure-entry", e.key, f"{e.number}: {e.title}", e.date, e.after, 1 if e.changed else 0, e.before])
    for status, n in r.measure_counts.items():
        rows.append(["measure-status", status, "", r.end, status, n, ""])
    for name, items in (("follow-up-opened", r.follow_ups_opened), ("follow-up-closed", r.follow_ups_closed),
                        ("follow-up-open", r.follow_ups_open)):
        for f in items:
            rows.append([name, f"{f.meeting}/{f.id}", f.text, f.done if name == "follow-up-closed" else f.due,
                         f.owner, 1, ""])
    for h in r.hearings_received:
        rows.append(["hearing-received", h.id, h.title, h.received, h.status, 1, h.deadline.isoformat() if h.deadline else ""])
    for h in r.hearings_answered:
        rows.append(["hearing-answered", h.id, h.title, h.answered, h.status, 1, ""])
    for u in r.upcoming:
        rows.append([f"upcoming-{u.kind}", u.ref, u.title, u.date, "", 1, u.responsible])
    return rows
