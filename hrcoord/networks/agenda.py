"""The agenda (saksliste) of a meeting and its `Sak N/YY` numbers. SPEC §2.3, §3.

An agenda is compiled by a list of small source functions, each `(AgendaContext) -> items`, in
the order the items appear (SOURCES):
  - the opening standing items (approval of the notice; of the last minutes, when there was a
    previous held meeting);
  - follow-ups from earlier minutes of the network that are still open;
  - accepted submissions of the network (they become `scheduled` when the agenda is stored);
  - measures of the network (its `network`, or when it has none its plan's `fields`) that are
    `delayed`, or not completed/cancelled and due before the following meeting;
  - summaries published (public) in the network's field since its previous held meeting;
  - the closing standing items (round of the departments; action-plan status, when the network
    has an action plan or measures; any other business).
Items are numbered `Sak N/YY`, going on from the highest number that the network's earlier
meetings of the same year have stored. Once stored (`--write`, or by issuing the notice) the
agenda is shown as stored.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hrcoord.core import labels
from hrcoord.core.models.base import Record, as_list, parse_date
from hrcoord.networks.meetings import add_months, chair_of, meeting_day, meetings_of

ITEM_KEYS = ("number", "title", "kind", "presenter", "source", "notes", "decision")
DEFAULT_FOLLOWING = 3  # months: the following meeting when none is planned
STANDING = labels.table("standing")  # in order: key, title, kind
TEXT = labels.table("agenda")


# --- what the sources know ---------------------------------------------------------------------------
@dataclass
class AgendaContext:
    repo: Any  # the Repository
    network: Record
    meeting: Record
    day: dt.date
    lang: str
    earlier: list[Record]  # the network's meetings before this one, not cancelled
    later: list[Record]
    previous: Record | None  # the previous held meeting
    following: dt.date  # the following meeting's day (or this one + 3 months)
    since: dt.date  # summaries published after this day count as new

    @property
    def chair(self) -> str:
        return chair_of(self.network)

    @property
    def words(self) -> dict:
        return TEXT[self.lang]

    def standing(self, key: str) -> dict:
        entry = next(s for s in STANDING[self.lang] if s["key"] == key)
        return item(entry["title"], entry["kind"], self.chair, "standing")


def context(repo, network: Record, meeting: Record, lang: str) -> AgendaContext:
    day = meeting_day(meeting)
    meetings = [m for m in meetings_of(repo, network.id) if m.date() and m.get("status") != "cancelled"]
    earlier = [m for m in meetings if meeting_day(m) < day]
    later = [m for m in meetings if meeting_day(m) > day]
    previous = next((m for m in reversed(earlier) if m.get("status") == "held"), None)
    following = meeting_day(later[0]) if later else add_months(day, DEFAULT_FOLLOWING)
    since = meeting_day(previous) if previous else add_months(day, -DEFAULT_FOLLOWING)
    return AgendaContext(repo, network, meeting, day, lang, earlier, later, previous, following, since)


def item(title: str, kind: str, presenter: str, source: str) -> dict:
    return {"title": title, "kind": kind, "presenter": presenter, "source": source}


def one_line(text) -> str:
    """Text as a title: one line, without a closing full stop."""
    text = " ".join(str(text).split())
    return text[:-1] if text.endswith(".") else text


# --- the sources ---------------------------------------------------------------------------------------
def opening_items(ctx: AgendaContext) -> list[dict]:
    """Approval of the notice and agenda; of the last minutes only when there was a meeting before."""
    keys = ("notice", "minutes") if ctx.previous is not None else ("notice",)
    return [ctx.standing(k) for k in keys]


def _still_open(follow_up: dict, day: dt.date) -> bool:
    """Open, or closed only on or after the meeting's day (so it is reported there)."""
    done = follow_up.get("done")
    if done in (None, False):
        return True
    closed = parse_date(done)
    return closed is not None and closed >= day


def follow_up_items(ctx: AgendaContext) -> list[dict]:
    from hrcoord.render.dates import long_date

    out = []
    for m in ctx.earlier:
        for fu in m.get("follow_ups") or []:
            if isinstance(fu, dict) and fu.get("id") and _still_open(fu, ctx.day):
                title = ctx.words["follow_up"].format(date=long_date(m.id, ctx.lang), text=one_line(fu.get("text", "")))
                out.append(item(title, "orientering", fu.get("owner") or ctx.chair, f"follow-up:{m.id}/{fu['id']}"))
    return out


def _takes_up(sub: Record, ctx: AgendaContext) -> bool:
    """An accepted submission for this meeting (or none in particular) made by its day, or one
    already scheduled for it."""
    status, for_meeting = sub.get("status"), str(sub.get("meeting") or "")
    if status == "scheduled":
        return for_meeting == ctx.meeting.id
    made = sub.date()
    return status == "accepted" and for_meeting in ("", ctx.meeting.id) and (made is None or made <= ctx.day)


def submission_items(ctx: AgendaContext) -> list[dict]:
    from hrcoord.networks.submissions import of_network

    subs = sorted(of_network(ctx.repo, ctx.network.id), key=lambda s: (str(s.get("date")), s.id))
    return [item(s.get("title", ""), s.get("kind") or "drøfting", s.get("department") or ctx.chair,
                 f"submission:{s.id}") for s in subs if _takes_up(s, ctx)]


def _measure_networks(measure: Record, plans: dict[str, Record]) -> list[str]:
    if measure.get("network"):
        return [measure.get("network")]
    plan = plans.get(measure.get("plan"))
    return [str(f) for f in as_list(plan.get("fields"))] if plan is not None else []


def measures_of(ctx: AgendaContext) -> list[tuple[str, Record]]:
    plans = ctx.repo.records("action-plan")
    return [(key, m) for key, m in sorted(ctx.repo.records("measure").items())
            if ctx.network.id in _measure_networks(m, plans)]


def _measure_item(ctx: AgendaContext, key: str, measure: Record) -> dict | None:
    from hrcoord.core.models.action_plan import current_status
    from hrcoord.render.dates import long_date

    status = current_status(measure.data, on=ctx.day)
    if status in (None, "completed", "cancelled"):
        return None
    deadline = parse_date(measure.get("deadline"))
    values = {"number": measure.get("number") or measure.id, "title": one_line(measure.get("title", ""))}
    presenter = measure.get("department") or ctx.chair
    if status == "delayed":
        return item(ctx.words["measure_delayed"].format(**values), "drøfting", presenter, f"measure:{key}")
    if deadline is not None and deadline < ctx.following:
        title = ctx.words["measure_due"].format(date=long_date(deadline, ctx.lang), **values)
        return item(title, "orientering", presenter, f"measure:{key}")
    return None


def measure_items(ctx: AgendaContext) -> list[dict]:
    found = [_measure_item(ctx, key, m) for key, m in measures_of(ctx)]
    return [i for i in found if i is not None]


def published_on(judgment: Record) -> dt.date | None:
    d = parse_date(judgment.get("published"))
    if d is None:
        review = judgment.get("review")
        d = parse_date(review.get("date")) if isinstance(review, dict) else None
    return d


def _new_summary(ctx: AgendaContext, j: Record, fields_: set[str]) -> dt.date | None:
    """The day a public summary in the network's field was published, when it is new to the network."""
    if j.get("status") != "published" or j.get("access") == "internal":
        return None
    if not fields_ & {str(r) for r in as_list(j.get("relevance"))}:
        return None
    published = published_on(j)
    if published is None or published > ctx.day or published <= ctx.since:
        return None
    return published


def body_name(repo, code: str | None, lang: str) -> str:
    """A court or committee as the language names it short (EMD in nb, ECtHR in en)."""
    short = TEXT[lang].get("bodies") or {}
    if code in short:
        return str(short[code])
    conv = repo.vocab_record("conventions")
    for b in (conv.get("bodies") or []) if conv is not None else []:
        if isinstance(b, dict) and b.get("code") == code:
            return str(b.get(f"name_{lang}") or b.get("name_nb") or code)
    return code or ""


def judgment_items(ctx: AgendaContext) -> list[dict]:
    fields_ = {str(f) for f in as_list(ctx.network.get("field"))}
    found = []
    for jid, j in ctx.repo.rows("judgment").items():
        published = _new_summary(ctx, j, fields_)
        if published is not None:
            found.append((published, jid, j))
    return [item(ctx.words["judgment"].format(title=j.get("title", jid),
                                              body=body_name(ctx.repo, j.get("body"), ctx.lang)),
                 "orientering", ctx.chair, f"judgment:{jid}") for _, jid, j in sorted(found, key=lambda x: x[:2])]


def has_action_plans(ctx: AgendaContext) -> bool:
    plans = ctx.repo.records("action-plan").values()
    return any(ctx.network.id in as_list(p.get("fields")) for p in plans) or bool(measures_of(ctx))


def closing_items(ctx: AgendaContext) -> list[dict]:
    keys = ("round", "plans", "aob") if has_action_plans(ctx) else ("round", "aob")
    return [ctx.standing(k) for k in keys]


Source = Callable[[AgendaContext], list[dict]]
SOURCES: tuple[Source, ...] = (opening_items, follow_up_items, submission_items, measure_items, judgment_items,
                               closing_items)


# --- numbering -------------------------------------------------------------------------------------------
def sak_number(number) -> tuple[int, int] | None:
    from hrcoord.core.models.meeting import SAK_RE

    m = SAK_RE.match(str(number or ""))
    return (int(m.group(1)), int(m.group(2))) if m else None


def stored_items(meeting: Record) -> list[dict]:
    return [i for i in meeting.get("agenda") or [] if isinstance(i, dict)]


def numbers_of(meeting: Record, yy: int) -> list[int]:
    """The Sak numbers of the year `yy` the meeting's stored agenda uses."""
    found = [sak_number(i.get("number")) for i in stored_items(meeting)]
    return [n for n, y in (f for f in found if f is not None) if y == yy]


def first_number(ctx: AgendaContext) -> int:
    """One more than the highest number the network's earlier meetings of the year stored."""
    yy = ctx.day.year % 100
    used = [n for m in ctx.earlier if meeting_day(m).year == ctx.day.year for n in numbers_of(m, yy)]
    return max(used, default=0) + 1


def numbered(items: list[dict], first: int, yy: int) -> list[dict]:
    return [{**it, "number": f"{first + offset}/{yy:02d}"} for offset, it in enumerate(items)]


def overlap_warnings(ctx: AgendaContext, first: int, last: int) -> list[str]:
    yy = ctx.day.year % 100
    out = []
    for m in ctx.later:
        nums = numbers_of(m, yy) if meeting_day(m).year == ctx.day.year else []
        if nums and min(nums) <= last:
            out.append(f"the meeting on {m.id} has stored Sak {min(nums)}/{yy:02d}–{max(nums)}/{yy:02d}, "
                       f"which overlaps this agenda's {first}/{yy:02d}–{last}/{yy:02d}")
    return out


def keep_minutes(items: list[dict], stored: list[dict]) -> list[dict]:
    """A rebuilt agenda keeps what was noted against an item that stays."""
    by_source = {i.get("source"): i for i in stored if i.get("source") not in (None, "standing")}
    by_title = {i.get("title"): i for i in stored}
    out = []
    for it in items:
        old = by_source.get(it["source"]) if it["source"] != "standing" else by_title.get(it["title"])
        kept = {k: old[k] for k in ("notes", "decision") if old and old.get(k)}
        out.append({**it, **kept})
    return out


def clean_items(items: list[dict]) -> list[dict]:
    return [{k: i[k] for k in ITEM_KEYS if i.get(k) not in (None, "")} for i in items]


# --- the agenda ------------------------------------------------------------------------------------------
@dataclass
class Agenda:
    network: Record
    meeting: Record
    items: list[dict]
    stored: bool
    lang: str
    following: dt.date  # the following meeting (or this one + 3 months)
    following_meeting: str | None
    since: dt.date | None  # summaries published after this day
    previous: Record | None  # the previous held meeting
    scheduled: list[Record] = field(default_factory=list)  # accepted submissions the agenda takes up
    warnings: list[str] = field(default_factory=list)

    @property
    def date(self) -> dt.date:
        return meeting_day(self.meeting)

    def as_dict(self) -> dict:
        m = self.meeting
        return {
            "network": self.network.id, "meeting": m.id, "date": m.id, "start": m.get("start"),
            "end": m.get("end"), "location": m.get("location"), "status": m.get("status"),
            "agenda_status": m.get("agenda_status") or "draft", "stored": self.stored,
            "following_meeting": self.following.isoformat(),
            "since": self.since.isoformat() if self.since else None,
            "items": clean_items(self.items),
        }


def compiled_items(ctx: AgendaContext) -> list[dict]:
    return [i for source in SOURCES for i in source(ctx)]


def _scheduled(repo, slug: str, items: list[dict]) -> list[Record]:
    from hrcoord.networks.submissions import of_network

    ids = {str(i["source"]).split(":", 1)[1] for i in items if str(i.get("source")).startswith("submission:")}
    return [s for s in of_network(repo, slug) if s.id in ids and s.get("status") == "accepted"]


def compile_agenda(repo, network: Record, meeting: Record, lang: str | None = None,
                   rebuild: bool = False) -> Agenda:
    """The meeting's agenda: the stored one, or (none stored, or `rebuild`) compiled afresh."""
    lang = lang if lang in labels.languages() else repo.language
    ctx = context(repo, network, meeting, lang)
    stored = stored_items(meeting)
    following = ctx.later[0].id if ctx.later else None
    agenda = Agenda(network, meeting, [], False, lang, ctx.following, following, ctx.since, ctx.previous)
    if stored and not rebuild:
        agenda.items, agenda.stored = [dict(i) for i in stored], True
        return agenda
    first, yy = first_number(ctx), ctx.day.year % 100
    items = keep_minutes(numbered(compiled_items(ctx), first, yy), stored)
    agenda.items = clean_items(items)
    agenda.scheduled = _scheduled(repo, network.id, agenda.items)
    agenda.warnings = overlap_warnings(ctx, first, first + len(items) - 1)
    return agenda


def agenda_changes(repo, agenda: Agenda, meeting_data: dict) -> list:
    """The meeting with its agenda, and the submissions it takes up (validated, not written)."""
    from hrcoord.networks.submissions import schedule
    from hrcoord.networks.writes import updated

    return [updated(repo, agenda.meeting, meeting_data), *schedule(repo, agenda.scheduled, agenda.meeting.id)]


def write_agenda(repo, agenda: Agenda, *, dry_run: bool = False) -> list[Path]:
    """Store the compiled agenda in the meeting record (so its numbers are fixed) and mark the
    submissions it takes up as scheduled. A stored agenda is left alone unless it was rebuilt;
    changing an agenda after the notice went out makes it `amended`."""
    from hrcoord.core.fsutil import repo_lock
    from hrcoord.networks.notice import last_notice, sent_items
    from hrcoord.networks.writes import commit

    old = clean_items(stored_items(agenda.meeting))
    new = clean_items(agenda.items)
    if agenda.stored or (old == new and not agenda.scheduled):
        return []
    data = {**agenda.meeting.data, "agenda": new}
    sent = last_notice(agenda.meeting)
    if sent is None:
        data["agenda_status"] = "draft"
    elif sent.get("items") is None or sent.get("items") != sent_items(new):
        data["agenda_status"] = "amended"
    with repo_lock(repo.root):
        return commit(agenda_changes(repo, agenda, data), dry_run)
