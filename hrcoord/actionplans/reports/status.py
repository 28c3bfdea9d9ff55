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
from hrcoord.actionplans.reports.common import dated_meetings, done_date, natural_key, quarter_of
from hrcoord.core.models.action_plan import current_status
from hrcoord.core.models.base import parse_date


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
    today = today or dt.date.today()
    lang = lang or repo.language
    st = Status("status", today, str(quarter_of(today)), lang, measure_days, hearing_days)
    _meetings(repo, st)
    st.measures = _measure_items(repo, today, today + dt.timedelta(days=measure_days))
    st.summaries = _summary_items(repo)
    st.hearings = _hearing_items(repo, today, today + dt.timedelta(days=hearing_days))
    _watch(repo, st)
    return st


def _watch(repo, st: Status) -> None:
    """Judgments not final yet, referrals pending, Grand Chamber judgments not linked."""
    from hrcoord.caselaw import watch

    w = watch.build(repo, st.today)
    st.not_final, st.referrals, st.unlinked = w.not_final, w.referrals, w.unlinked


def _meetings(repo, st: Status) -> None:
    """One pass over the meetings: networks without a meeting this quarter, follow-ups past due."""
    q, today = quarter_of(st.today), st.today
    covered: set[str] = set()
    last_held: dict[str, dt.date] = {}
    for slug, day, status, rec in dated_meetings(repo):
        if q.contains(day) and status in ("planned", "notified", "held"):
            covered.add(slug)
        if status == "held" and day <= today:
            last_held[slug] = max(day, last_held.get(slug, day))
            st.follow_ups += _late_follow_ups(slug, rec, today)
    for slug, rec in sorted(repo.networks().items()):
        if slug not in covered:
            name = rec.data.get(f"name_{st.lang}") or rec.data.get("name_nb") or slug
            st.networks.append(NetworkItem(slug, name, last_held.get(slug)))
    st.follow_ups.sort(key=lambda f: (f.due, f.meeting, natural_key(f.id)))


def _late_follow_ups(slug: str, rec, today: dt.date) -> list[FollowUpItem]:
    out = []
    for fu in rec.data.get("follow_ups") or []:
        if not isinstance(fu, dict):
            continue
        due, done = parse_date(fu.get("due")), done_date(fu.get("done"))
        if due is not None and due < today and (done is None or done > today):
            out.append(FollowUpItem(f"{slug}/{rec.id}", str(fu.get("id") or ""), str(fu.get("text") or ""),
                                    str(fu.get("owner") or ""), due, (today - due).days))
    return out


def _measure_items(repo, today: dt.date, horizon: dt.date) -> list[MeasureItem]:
    """Open measures overdue or due by `horizon`."""
    out = []
    for key, rec in repo.rows("measure").items():  # (from the derived index where it can answer)
        d = rec.data
        deadline = parse_date(d.get("deadline"))
        status = current_status(d, on=today)
        if deadline is None or deadline > horizon or status in CLOSED:
            continue
        out.append(MeasureItem(key, str(d.get("number") or rec.id), str(d.get("title") or ""),
                               str(d.get("department") or ""), deadline, status,
                               is_overdue(deadline, status, today), (deadline - today).days))
    return sorted(out, key=lambda m: (m.deadline, m.key))


def _review_reason(rec) -> str | None:
    """Why a summary waits for review, if it does (its text's digest: the index keeps it)."""
    from hrcoord.core.models.judgment import digest

    d = rec.data
    status = d.get("status")
    if status == "in-review":
        return "in-review"
    if status not in ("approved", "published"):
        return None
    review = d.get("review")
    if not isinstance(review, dict) or not review.get("digest"):
        return "no-review"
    current = getattr(rec, "content_digest", None) or digest(d, rec.body)
    return "changed-after-review" if review.get("digest") != current else None


# what the index may leave out: summaries _review_reason() passes over
WAITING: tuple[str, list] = ("status = 'in-review' OR (status IN ('approved', 'published') AND "
                              "(reviewed IS NULL OR reviewed = '' OR reviewed IS NOT digest))", [])


def _summary_items(repo) -> list[SummaryItem]:
    out = [SummaryItem(jid, str(rec.data.get("title") or ""), str(rec.data.get("status")), reason)
           for jid, rec in repo.rows("judgment", narrow=WAITING).items()
           if (reason := _review_reason(rec))]
    return sorted(out, key=lambda s: s.id)


def _hearing_items(repo, today: dt.date, horizon: dt.date) -> list[HearingItem]:
    """Open hearings received by `today` whose deadline is by `horizon` (or passed)."""
    out = []
    for hid, rec in repo.records("hearing").items():
        d = rec.data
        deadline, received = parse_date(d.get("deadline")), parse_date(d.get("received"))
        if deadline is None or deadline > horizon or not is_open(d, today):
            continue
        if received is not None and received > today:
            continue
        out.append(HearingItem(hid, str(d.get("title") or ""), str(d.get("sender") or ""),
                               str(d.get("responsible") or ""), deadline, str(d.get("status") or ""),
                               (deadline - today).days))
    return sorted(out, key=lambda h: (h.deadline, h.id))


def to_dict(st: Status) -> dict:
    from hrcoord.actionplans.reports.common import plain

    data = plain(st)
    data["total"] = st.total
    return data


def render(repo, st: Status, fmt: str, *, every: bool = False) -> str | bytes:
    from hrcoord.actionplans.reports.common import md_cell
    from hrcoord.actionplans.reports.labels import labels
    from hrcoord.core.errors import UsageError

    t = labels(st.lang)
    if fmt == "json":
        import json

        return json.dumps(to_dict(st), ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        from hrcoord.render.env import render as render_template

        return render_template(repo, "status/status.md.j2", st.lang, s=st, t=t, md=md_cell,
                               quarter_label=_quarter_label(st))
    if fmt == "table":
        return _table(st, t, every)
    if fmt == "xlsx":
        return _xlsx(repo, st, t)
    raise UsageError(f"--format must be table, md, json or xlsx, not {fmt!r}")


def _quarter_label(st: Status) -> str:
    from hrcoord.actionplans.reports.common import parse_quarter

    return parse_quarter(st.quarter).label(st.lang)


def _reason(s: SummaryItem, t: dict) -> str:
    return {"in-review": t["in-review"], "no-review": t["no_review"],
            "changed-after-review": t["changed_after_review"]}[s.reason]


Section = tuple[str, list[dict], list[tuple[str, str]]]


def sections(st: Status, t: dict) -> list[Section]:
    """(title, rows, columns) of each part of the overview: the terminal and the workbook show the same."""
    return [_networks(st, t), _measures(st, t), _summaries(st, t), _follow_ups(st, t), _not_final(st, t),
            _referrals(st, t), _unlinked(st, t), _hearings(st, t)]


def _networks(st: Status, t: dict) -> Section:
    return (t["s_networks"].format(quarter=_quarter_label(st)),
            [{"network": n.network, "name": n.name, "last": n.last_meeting} for n in st.networks],
            [("network", t["network"]), ("name", t["title"]), ("last", t["last_meeting"])])


def _measures(st: Status, t: dict) -> Section:
    return (t["s_measures"].format(days=st.measure_days),
            [{"key": m.key, "title": f"{m.number}: {m.title}", "department": m.department, "deadline": m.deadline,
              "days": m.days_left, "status": t.get(m.status or "none", m.status),
              "flag": t["overdue_short"] if m.overdue else ""} for m in st.measures],
            [("key", "Id"), ("title", t["title"]), ("department", t["department"]), ("deadline", t["deadline"]),
             ("days", t["days_left"]), ("status", t["status"]), ("flag", t["overdue_short"])])


def _summaries(st: Status, t: dict) -> Section:
    return (t["s_summaries"],
            [{"id": s.id, "title": s.title, "status": t.get(s.status, s.status), "reason": _reason(s, t)}
             for s in st.summaries],
            [("id", "Id"), ("title", t["title"]), ("status", t["status"]), ("reason", t["reason"])])


def _follow_ups(st: Status, t: dict) -> Section:
    return (t["s_follow_ups"],
            [{"ref": f"{f.meeting}/{f.id}", "title": f.text, "owner": f.owner, "due": f.due, "late": f.days_late}
             for f in st.follow_ups],
            [("ref", t["meeting"]), ("title", t["note"]), ("owner", t["owner"]), ("due", t["due"]),
             ("late", t["days_late"])])


def _not_final(st: Status, t: dict) -> Section:
    return (t["s_not_final"],
            [{"id": i.id, "title": i.title, "date": i.date, "final": i.final_date, "days": i.days_left}
             for i in st.not_final],
            [("id", "Id"), ("title", t["title"]), ("date", t["judgment_date"]), ("final", t["final_date"]),
             ("days", t["days_left"])])


def _referrals(st: Status, t: dict) -> Section:
    return (t["s_referrals"],
            [{"id": i.id, "title": i.title, "date": i.date, "referral": i.referral_date,
              "state": t["referral_requested"] if i.state == "referral-requested" else t["referred"]}
             for i in st.referrals],
            [("id", "Id"), ("title", t["title"]), ("date", t["judgment_date"]), ("state", t["status"]),
             ("referral", t["referral_date"])])


def _unlinked(st: Status, t: dict) -> Section:
    return (t["s_unlinked"],
            [{"id": i.id, "title": i.title, "date": i.date, "chamber": i.other} for i in st.unlinked],
            [("id", "Id"), ("title", t["title"]), ("date", t["judgment_date"]), ("chamber", t["chamber_summary"])])


def _hearings(st: Status, t: dict) -> Section:
    return (t["s_hearings"].format(days=st.hearing_days),
            [{"id": h.id, "title": h.title, "responsible": h.responsible, "deadline": h.deadline, "days": h.days_left,
              "status": t.get(h.status, h.status)} for h in st.hearings],
            [("id", "Id"), ("title", t["title"]), ("responsible", t["responsible"]), ("deadline", t["deadline"]),
             ("days", t["days_left"]), ("status", t["status"])])


TERMINAL_ROWS = 20  # per section in the terminal: an overview to read, not a list to scroll


def _table(st: Status, t: dict, every: bool = False) -> str:
    """Terminal tables, one per section that has something; a long section shows its first
    TERMINAL_ROWS rows and how many more there are (`--all` shows them all)."""
    from hrcoord.actionplans.reports.listing import render_rows
    from hrcoord.render.dates import long_date

    out = [t["s_title"].format(today=long_date(st.today, st.lang)), ""]
    for title, rows, columns in sections(st, t):
        if rows:
            shown = rows if every else rows[:TERMINAL_ROWS]
            out.append(str(render_rows(shown, columns, "table", title=f"{title} ({len(rows)})")).rstrip("\n"))
            if len(shown) < len(rows):
                out.append(t["s_more"].format(n=len(rows) - len(shown)))
        else:
            out.append(f"{title}: {t['s_nothing'].lower().rstrip('.')}")
        out.append("")
    return "\n".join(out)


def _xlsx(repo, st: Status, t: dict) -> bytes:
    """One sheet per section (an empty section keeps its sheet and headers)."""
    from hrcoord.render.sheets import Sheet, workbook

    sheets = [Sheet(title, [h for _, h in columns], [[r.get(k) for k, _ in columns] for r in rows])
              for title, rows, columns in sections(st, t)]
    org = repo.settings.get("organisation")
    return workbook(sheets, lang=st.lang, title=t["s_title"].format(today=st.today.isoformat()),
                    author=org if isinstance(org, str) else "")
