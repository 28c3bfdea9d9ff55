"""`hrcoord status`: what needs attention on a given day.

- networks without a held, notified or planned meeting in the current quarter;
- measures overdue (deadline before today, status today neither completed nor cancelled) or due
  within `measure_days` days;
- summaries waiting for review: status in-review, or approved/published without a review stamp or
  whose stamp no longer matches the text (digest);
- follow-ups past their due date and not closed by today;
- hearings not answered or declined whose deadline is within `hearing_days` days (or passed);
- the watch list (caselaw/watch.py): ECtHR Chamber judgments not final yet and the day they become
  final (Art. 44 § 2 ECHR), referrals to the Grand Chamber pending, and Grand Chamber judgments
  whose Chamber judgment is summarised without a `later-stage` link.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from hrcoord.actionplans.hearings import is_open
from hrcoord.actionplans.measures import CLOSED, is_overdue
from hrcoord.core.models.action_plan import current_status
from hrcoord.core.models.base import parse_date
from hrcoord.actionplans.reports.common import dated_meetings, done_date, natural_key, quarter_of


@dataclass
class NetworkItem:
    network: str
    name: str
    last_meeting: dt.date | None  # the last held meeting before today


@dataclass
class MeasureItem:
    key: str
    number: str
    title: str
    department: str
    deadline: dt.date
    status: str | None
    overdue: bool
    days_left: int  # negative: days past the deadline


@dataclass
class SummaryItem:
    id: str
    title: str
    status: str
    reason: str  # in-review | no-review | changed-after-review


@dataclass
class FollowUpItem:
    meeting: str
    id: str
    text: str
    owner: str
    due: dt.date
    days_late: int


@dataclass
class HearingItem:
    id: str
    title: str
    sender: str
    responsible: str
    deadline: dt.date
    status: str
    days_left: int


@dataclass
class Status:
    report: str
    today: dt.date
    quarter: str
    lang: str
    measure_days: int
    hearing_days: int
    networks: list[NetworkItem] = field(default_factory=list)
    measures: list[MeasureItem] = field(default_factory=list)
    summaries: list[SummaryItem] = field(default_factory=list)
    follow_ups: list[FollowUpItem] = field(default_factory=list)
    hearings: list[HearingItem] = field(default_factory=list)
    not_final: list = field(default_factory=list)  # watch.WatchItem: within the three months of Art. 44 § 2
    referrals: list = field(default_factory=list)  # watch.WatchItem: referral requested, or referred
    unlinked: list = field(default_factory=list)  # watch.WatchItem: GC judgment, Chamber summary lacks the link

    @property
    def total(self) -> int:
        return (len(self.networks) + len(self.measures) + len(self.summaries) + len(self.follow_ups)
                + len(self.hearings) + len(self.not_final) + len(self.referrals) + len(self.unlinked))


def build(repo, today: dt.date | None = None, *, lang: str | None = None, measure_days: int = 30,
          hearing_days: int = 14) -> Status:
    from hrcoord.core.models.judgment import digest

    today = today or dt.date.today()
    lang = lang or repo.language
    q = quarter_of(today)
    st = Status("status", today, str(q), lang, measure_days, hearing_days)

    # networks and follow-ups: one pass over the meetings
    covered, last_held = set(), {}
    for slug, day, status, rec in dated_meetings(repo):
        d = rec.data
        if q.contains(day) and status in ("planned", "notified", "held"):
            covered.add(slug)
        if status == "held" and day <= today and (slug not in last_held or day > last_held[slug]):
            last_held[slug] = day
        if status != "held" or day > today:
            continue
        for fu in d.get("follow_ups") or []:
            if not isinstance(fu, dict):
                continue
            due, done = parse_date(fu.get("due")), done_date(fu.get("done"))
            if due is not None and due < today and (done is None or done > today):
                st.follow_ups.append(FollowUpItem(f"{slug}/{rec.id}", str(fu.get("id") or ""), str(fu.get("text") or ""),
                                                  str(fu.get("owner") or ""), due, (today - due).days))
    for slug, rec in sorted(repo.networks().items()):
        if slug not in covered:
            st.networks.append(NetworkItem(slug, rec.data.get(f"name_{lang}") or rec.data.get("name_nb") or slug,
                                           last_held.get(slug)))
    st.follow_ups.sort(key=lambda f: (f.due, f.meeting, natural_key(f.id)))

    # measures
    horizon = today + dt.timedelta(days=measure_days)
    for key, rec in repo.records("measure").items():
        d = rec.data
        deadline = parse_date(d.get("deadline"))
        if deadline is None or deadline > horizon:
            continue
        status = current_status(d, on=today)
        if status in CLOSED:
            continue
        st.measures.append(MeasureItem(key, str(d.get("number") or rec.id), str(d.get("title") or ""),
                                       str(d.get("department") or ""), deadline, status,
                                       is_overdue(deadline, status, today), (deadline - today).days))
    st.measures.sort(key=lambda m: (m.deadline, m.key))

    # summaries
    for jid, rec in repo.records("judgment").items():
        d = rec.data
        status = d.get("status")
        reason = None
        if status == "in-review":
            reason = "in-review"
        elif status in ("approved", "published"):
            review = d.get("review")
            if not isinstance(review, dict) or not review.get("digest"):
                reason = "no-review"
            elif review.get("digest") != digest(d, rec.body):
                reason = "changed-after-review"
        if reason:
            st.summaries.append(SummaryItem(jid, str(d.get("title") or ""), str(status), reason))
    st.summaries.sort(key=lambda s: s.id)

    # hearings
    hearing_horizon = today + dt.timedelta(days=hearing_days)
    for hid, rec in repo.records("hearing").items():
        d = rec.data
        deadline = parse_date(d.get("deadline"))
        received = parse_date(d.get("received"))
        if deadline is None or deadline > hearing_horizon or not is_open(d, today):
            continue
        if received is not None and received > today:
            continue
        st.hearings.append(HearingItem(hid, str(d.get("title") or ""), str(d.get("sender") or ""),
                                       str(d.get("responsible") or ""), deadline, str(d.get("status") or ""),
                                       (deadline - today).days))
    st.hearings.sort(key=lambda h: (h.deadline, h.id))

    # judgments not final yet
    from hrcoord.caselaw import watch

    w = watch.build(repo, today)
    st.not_final, st.referrals, st.unlinked = w.not_final, w.referrals, w.unlinked
    return st


def to_dict(st: Status) -> dict:
    from hrcoord.actionplans.reports.common import plain

    data = plain(st)
    data["total"] = st.total
    return data


def render(repo, st: Status, fmt: str) -> str:
    from hrcoord.core.errors import UsageError
    from hrcoord.actionplans.reports.common import md_cell
    from hrcoord.actionplans.reports.labels import labels

    t = labels(st.lang)
    if fmt == "json":
        import json

        return json.dumps(to_dict(st), ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        from hrcoord.render.env import render as render_template

        return render_template(repo, "status/status.md.j2", st.lang, s=st, t=t, md=md_cell)
    if fmt == "table":
        return _table(st, t)
    raise UsageError(f"--format must be table, md or json, not {fmt!r}")


def _table(st: Status, t: dict) -> str:
    """Terminal tables (rich), one per section that has something."""
    from hrcoord.render.dates import long_date
    from hrcoord.actionplans.reports.listing import render_rows

    def reason(s: SummaryItem) -> str:
        return {"in-review": t["in-review"], "no-review": t["no_review"],
                "changed-after-review": t["changed_after_review"]}[s.reason]

    out = [t["s_title"].format(today=long_date(st.today, st.lang)), ""]
    sections = [
        (t["s_networks"].format(quarter=st.quarter),
         [{"network": n.network, "name": n.name, "last": n.last_meeting} for n in st.networks],
         [("network", t["network"]), ("name", t["title"]), ("last", t["last_meeting"])]),
        (t["s_measures"].format(days=st.measure_days),
         [{"key": m.key, "title": f"{m.number}: {m.title}", "department": m.department, "deadline": m.deadline,
           "days": m.days_left, "status": t.get(m.status or "none", m.status),
           "flag": t["overdue_short"] if m.overdue else ""} for m in st.measures],
         [("key", "id"), ("title", t["title"]), ("department", t["department"]), ("deadline", t["deadline"]),
          ("days", t["days_left"]), ("status", t["status"]), ("flag", "")]),
        (t["s_summaries"],
         [{"id": s.id, "title": s.title, "status": t.get(s.status, s.status), "reason": reason(s)} for s in st.summaries],
         [("id", "id"), ("title", t["title"]), ("status", t["status"]), ("reason", t["reason"])]),
        (t["s_follow_ups"],
         [{"ref": f"{f.meeting}/{f.id}", "title": f.text, "owner": f.owner, "due": f.due, "late": f.days_late}
          for f in st.follow_ups],
         [("ref", t["meeting"]), ("title", t["note"]), ("owner", t["owner"]), ("due", t["due"]), ("late", "+")]),
        (t["s_not_final"],
         [{"id": i.id, "title": i.title, "date": i.date, "final": i.final_date, "days": i.days_left}
          for i in st.not_final],
         [("id", "id"), ("title", t["title"]), ("date", t["judgment_date"]), ("final", t["final_date"]),
          ("days", t["days_left"])]),
        (t["s_referrals"],
         [{"id": i.id, "title": i.title, "date": i.date, "referral": i.referral_date,
           "state": t["referral_requested"] if i.state == "referral-requested" else t["referred"]}
          for i in st.referrals],
         [("id", "id"), ("title", t["title"]), ("date", t["judgment_date"]), ("state", t["status"]),
          ("referral", t["referral_date"])]),
        (t["s_unlinked"],
         [{"id": i.id, "title": i.title, "date": i.date, "chamber": i.other} for i in st.unlinked],
         [("id", "id"), ("title", t["title"]), ("date", t["judgment_date"]), ("chamber", t["chamber_summary"])]),
        (t["s_hearings"].format(days=st.hearing_days),
         [{"id": h.id, "title": h.title, "responsible": h.responsible, "deadline": h.deadline, "days": h.days_left,
           "status": t.get(h.status, h.status)} for h in st.hearings],
         [("id", "id"), ("title", t["title"]), ("responsible", t["responsible"]), ("deadline", t["deadline"]),
          ("days", t["days_left"]), ("status", t["status"])]),
    ]
    for title, rows, columns in sections:
        if rows:
            out.append(render_rows(rows, columns, "table", title=f"{title} ({len(rows)})").rstrip("\n"))
        else:
            out.append(f"{title}: {t['s_nothing'].lower().rstrip('.')}")
        out.append("")
    return "\n".join(out)
