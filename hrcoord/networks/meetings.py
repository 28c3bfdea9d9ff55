"""Network meetings: creating them, submissions, the agenda (saksliste) with its `Sak N/YY`
numbering, and the notice state (status, SEQUENCE, fingerprint). SPEC §2.3, §3; issue 4.

The agenda of a meeting is compiled from
  - the standing items (SPEC §2.3), in the repository's language;
  - accepted submissions of the network (they become `scheduled` when the agenda is written);
  - follow-ups from earlier minutes of the network that are still open;
  - measures of the network (its `network`, or when it has none its plan's `fields`) that are
    `delayed`, or not completed/cancelled and due before the following meeting;
  - summaries published (public) in the network's field since its previous held meeting.
Items are numbered `Sak N/YY`, going on from the highest number that the network's earlier
meetings of the same year have stored. Once written (`--write`, or by issuing the notice) the
agenda is stored in the meeting record and shown as stored.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from hrcoord.core import labels
from hrcoord.core.errors import HrcoordError, UsageError
from hrcoord.core.models.base import Record, as_list, parse_date, suggest

KINDS = ("orientering", "drøfting", "beslutning")
ITEM_KEYS = ("number", "title", "kind", "presenter", "source", "notes", "decision")
ACTIVE = ("planned", "notified")
DEFAULT_FOLLOWING = 3  # months: the following meeting when none is planned

STANDING = labels.table("standing")  # in order: key, title, kind
# the standing items that open the agenda; the rest close it, after the items of the day
OPENING = ("notice", "minutes")

TEXT = labels.table("agenda")

# --- lookups ---------------------------------------------------------------------------------------
def meetings_of(repo, slug: str) -> list[Record]:
    """The network's meetings, oldest first."""
    recs = [r for key, r in repo.records("meeting").items() if key.split("/", 1)[0] == slug]
    return sorted(recs, key=lambda r: r.id)


def parse_day(value, flag: str) -> dt.date:
    from hrcoord.core.models.base import require_date

    return require_date(value, flag, required=True)


def next_meeting(repo, slug: str) -> Record | None:
    """The earliest meeting of the network that is planned or notified."""
    return next((m for m in meetings_of(repo, slug) if m.get("status") in ACTIVE), None)


def find_meeting(repo, slug: str, date: str | dt.date | None = None) -> Record:
    """The named meeting of the network, or (no date) its next planned one."""
    repo.network(slug)
    meetings = meetings_of(repo, slug)
    if date is None:
        m = next_meeting(repo, slug)
        if m is None:
            raise UsageError(f"network {slug!r} has no planned meeting; create one with "
                             f"`hrcoord meeting new --network {slug} --date YYYY-MM-DD` or name one with --meeting")
        return m
    d = parse_day(date, "--meeting")
    for m in meetings:
        if m.id == d.isoformat():
            return m
    known = ", ".join(m.id for m in meetings[-8:]) or "none"
    raise UsageError(f"network {slug!r} has no meeting on {d.isoformat()}; its meetings: {known}")


def meeting_path(repo, slug: str, day: dt.date) -> Path:
    return repo.data_dir / "meetings" / slug / f"{day.isoformat()}.md"


def chair_of(network: Record) -> str:
    return network.get("chair") or ""


# --- creating meetings -----------------------------------------------------------------------------
def day_problem(day: dt.date, lang: str = "en") -> str | None:
    """Why a meeting cannot be held on `day` (weekend, public holiday), or None."""
    from hrcoord.networks.plan import holiday_name

    if day.weekday() >= 5:
        return f"{day.isoformat()} is a {day.strftime('%A')}"
    name = holiday_name(day, lang)
    if name:
        return f"{day.isoformat()} is a public holiday in Norway ({name})"
    return None


def meeting_data(repo, network: Record, day: dt.date, start: str | None = None, end: str | None = None,
                 location: str | None = None) -> dict:
    defaults = repo.settings.get("defaults") or {}
    data = {
        "network": network.id,
        "date": day.isoformat(),
        "start": start or network.get("start") or defaults.get("meeting_start") or "10:00",
        "end": end or network.get("end") or defaults.get("meeting_end"),
        "location": location or network.get("location") or defaults.get("meeting_location"),
        "status": "planned",
        "agenda_status": "draft",
        "sequence": 0,
    }
    return {k: v for k, v in data.items() if v is not None}


def create_meeting(repo, slug: str, day: dt.date, *, start: str | None = None, end: str | None = None,
                   location: str | None = None, force: bool = False, dry_run: bool = False) -> tuple[Path, str]:
    """Write a new planned meeting. Refuses an unknown network, a second meeting of the network on
    the same day, and (unless `force`) a weekend or a public holiday."""
    from hrcoord.core import records
    from hrcoord.core.fsutil import repo_lock

    network = repo.network(slug)
    path = meeting_path(repo, slug, day)
    if not force:
        problem = day_problem(day)
        if problem:
            raise UsageError(f"{problem}; choose a working day or pass --force")
    data = meeting_data(repo, network, day, start, end, location)
    with repo_lock(repo.root):
        if path.exists():
            raise UsageError(f"network {slug!r} already has a meeting on {day.isoformat()} ({repo.rel(path)})")
        text = records.write(repo, "meeting", path, data, body="", exclusive=True, dry_run=dry_run)
    return path, text


# --- submissions -----------------------------------------------------------------------------------
def submission_id(repo, slug: str, day: dt.date, department: str, title: str) -> str:
    from hrcoord.core.models.judgment import slugify

    words = slugify(title).split("-")
    short = ""
    for w in words:
        if len(short) + len(w) + 1 > 40:
            break
        short = f"{short}-{w}" if short else w
    base = f"{day.isoformat()}-{department.lower()}" + (f"-{short}" if short else "")
    base = base[:90].strip("-")
    existing = {key.split("/", 1)[1] for key in repo.records("submission") if key.startswith(slug + "/")}
    folder = repo.data_dir / "submissions" / slug
    candidate, n = base, 2
    while candidate in existing or (folder / f"{candidate}.yaml").exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def submit(repo, slug: str, department: str, title: str, *, description: str | None = None,
           kind: str | None = None, by: str | None = None, day: dt.date | None = None,
           dry_run: bool = False) -> tuple[Path, str]:
    from hrcoord.core import records
    from hrcoord.core.fsutil import repo_lock

    repo.network(slug)
    known = sorted(repo.context().sets.get("departments") or ())
    if known and department not in known:
        raise UsageError(f"unknown department {department!r}{suggest(department, known)}; known: {', '.join(known)}")
    if kind is not None and kind not in KINDS:
        raise UsageError(f"--kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if not title or not title.strip():
        raise UsageError("--title is empty")
    day = day or dt.date.today()
    data = {"network": slug, "department": department, "submitted_by": by, "date": day.isoformat(),
            "title": title.strip(), "description": description, "kind": kind, "status": "proposed"}
    data = {k: v for k, v in data.items() if v not in (None, "")}
    with repo_lock(repo.root):
        sid = submission_id(repo, slug, day, department, title)
        path = repo.data_dir / "submissions" / slug / f"{sid}.yaml"
        text = records.write(repo, "submission", path, data, exclusive=True, dry_run=dry_run)
    return path, text


def find_submission(repo, ident: str, slug: str | None = None) -> Record:
    subs = repo.records("submission")
    if "/" in ident:
        rec = subs.get(ident)
    elif slug:
        rec = subs.get(f"{slug}/{ident}")
    else:
        hits = [r for k, r in subs.items() if k.split("/", 1)[1] == ident]
        if len(hits) > 1:
            raise UsageError(f"submission {ident!r} exists in several networks; give --network or NETWORK/ID")
        rec = hits[0] if hits else None
    if rec is None:
        ids = [k.split("/", 1)[1] for k in subs if slug is None or k.startswith(slug + "/")]
        raise UsageError(f"no submission {ident!r}{suggest(ident.split('/')[-1], ids)}")
    return rec


SUBMISSION_MOVES = {
    "accepted": ("proposed", "rejected"),
    "rejected": ("proposed", "accepted"),
}


def set_submission_status(repo, rec: Record, status: str, *, reason: str | None = None,
                          meeting: dt.date | None = None, dry_run: bool = False) -> str:
    from hrcoord.core import records

    current = rec.get("status")
    allowed = SUBMISSION_MOVES[status]
    if current == status and meeting is None:
        raise UsageError(f"submission {rec.id!r} is already {status}")
    if current != status and current not in allowed:
        raise UsageError(f"submission {rec.id!r} is {current}; only a {' or '.join(allowed)} one can be {status}")
    data = dict(rec.data)
    data["status"] = status
    if status == "rejected":
        if not reason or not reason.strip():
            raise UsageError("rejecting needs --reason (why it is not taken up)")
        data["reason"] = reason.strip()
        data.pop("meeting", None)
    else:
        data.pop("reason", None)
        if meeting is not None:
            slug = rec.get("network")
            if not meeting_path(repo, slug, meeting).exists():
                raise UsageError(f"network {slug!r} has no meeting on {meeting.isoformat()}")
            data["meeting"] = meeting.isoformat()
    return records.update(repo, rec, data, dry_run=dry_run)


# --- the agenda ------------------------------------------------------------------------------------
def sak_number(number: str) -> tuple[int, int] | None:
    from hrcoord.core.models.meeting import SAK_RE

    m = SAK_RE.match(str(number or ""))
    return (int(m.group(1)), int(m.group(2))) if m else None


def add_months(day: dt.date, months: int) -> dt.date:
    import calendar

    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


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
    scheduled: list[Record] = field(default_factory=list)  # submissions the agenda takes up
    warnings: list[str] = field(default_factory=list)

    @property
    def date(self) -> dt.date:
        return self.meeting.date()

    def as_dict(self) -> dict:
        return {
            "network": self.network.id,
            "meeting": self.meeting.id,
            "date": self.meeting.id,
            "start": self.meeting.get("start"),
            "end": self.meeting.get("end"),
            "location": self.meeting.get("location"),
            "status": self.meeting.get("status"),
            "agenda_status": self.meeting.get("agenda_status") or "draft",
            "stored": self.stored,
            "following_meeting": self.following.isoformat(),
            "since": self.since.isoformat() if self.since else None,
            "items": [{k: i[k] for k in ITEM_KEYS if i.get(k) not in (None, "")} for i in self.items],
        }


def _strip_stop(text: str) -> str:
    text = " ".join(str(text).split())
    return text[:-1] if text.endswith(".") else text


def _measure_networks(measure: Record, plans: dict[str, Record]) -> list[str]:
    if measure.get("network"):
        return [measure.get("network")]
    plan = plans.get(measure.get("plan"))
    return [str(f) for f in as_list(plan.get("fields"))] if plan is not None else []


def _published_on(judgment: Record) -> dt.date | None:
    d = parse_date(judgment.get("published"))
    if d is None:
        review = judgment.get("review")
        d = parse_date(review.get("date")) if isinstance(review, dict) else None
    return d


def compile_agenda(repo, network: Record, meeting: Record, lang: str | None = None,
                   rebuild: bool = False) -> Agenda:
    """The meeting's agenda: the stored one, or (none stored, or `rebuild`) compiled afresh."""
    from hrcoord.core.models.action_plan import current_status
    from hrcoord.render.dates import short_date

    lang = lang if lang in labels.languages() else repo.language
    slug = network.id
    day = meeting.date()
    if day is None:
        raise HrcoordError(f"{meeting.rel}: the meeting has no valid date")
    meetings = meetings_of(repo, slug)
    earlier = [m for m in meetings if m.date() and m.date() < day and m.get("status") != "cancelled"]
    later = [m for m in meetings if m.date() and m.date() > day and m.get("status") != "cancelled"]
    previous = next((m for m in reversed(earlier) if m.get("status") == "held"), None)
    following_rec = later[0] if later else None
    following = following_rec.date() if following_rec else add_months(day, DEFAULT_FOLLOWING)
    since = previous.date() if previous else add_months(day, -DEFAULT_FOLLOWING)
    stored_items = [i for i in meeting.get("agenda") or [] if isinstance(i, dict)]

    agenda = Agenda(network, meeting, [], False, lang, following, following_rec.id if following_rec else None,
                    since, previous)
    if stored_items and not rebuild:
        agenda.items = [dict(i) for i in stored_items]
        agenda.stored = True
        return agenda

    chair = chair_of(network)
    t = TEXT[lang]
    standing = {s["key"]: (s["title"], s["kind"]) for s in STANDING[lang]}

    def item(title, kind, presenter, source) -> dict:
        return {"title": title, "kind": kind, "presenter": presenter, "source": source}

    body: list[dict] = []
    # 1. follow-ups from earlier minutes still open (or closed only on or after this meeting's day)
    for m in earlier:
        for fu in m.get("follow_ups") or []:
            if not isinstance(fu, dict) or not fu.get("id"):
                continue
            done = fu.get("done")
            done_day = parse_date(done)
            if done not in (None, False) and not (done_day and done_day >= day):
                continue
            title = t["follow_up"].format(date=short_date(m.id, lang), text=_strip_stop(fu.get("text", "")))
            body.append(item(title, "orientering", fu.get("owner") or chair, f"follow-up:{m.id}/{fu['id']}"))
    # 2. accepted submissions for this meeting (or for no meeting in particular)
    for key, sub in sorted(repo.records("submission").items(), key=lambda kv: (str(kv[1].get("date")), kv[0])):
        if sub.get("network") != slug and key.split("/", 1)[0] != slug:
            continue
        status, for_meeting = sub.get("status"), sub.get("meeting")
        sub_day = sub.date()
        if status == "accepted" and (for_meeting in (None, "") or str(for_meeting) == meeting.id) \
                and (sub_day is None or sub_day <= day):
            agenda.scheduled.append(sub)
        elif status == "scheduled" and str(for_meeting) == meeting.id:
            pass
        else:
            continue
        body.append(item(sub.get("title", ""), sub.get("kind") or "drøfting", sub.get("department") or chair,
                         f"submission:{sub.id}"))
    # 3. measures of the network: delayed, or due before the following meeting
    plans = repo.records("action-plan")
    for key, measure in sorted(repo.records("measure").items()):
        if slug not in _measure_networks(measure, plans):
            continue
        status = current_status(measure.data, on=day)
        if status in (None, "completed", "cancelled"):
            continue
        deadline = parse_date(measure.get("deadline"))
        values = {"number": measure.get("number") or measure.id, "title": _strip_stop(measure.get("title", ""))}
        if status == "delayed":
            title, kind = t["measure_delayed"].format(**values), "drøfting"
        elif deadline is not None and deadline < following:
            title, kind = t["measure_due"].format(date=short_date(deadline, lang), **values), "orientering"
        else:
            continue
        body.append(item(title, kind, measure.get("department") or chair, f"measure:{key}"))
    # 4. summaries in the network's field published since the previous held meeting
    fields_ = {str(f) for f in as_list(network.get("field"))}
    found = []
    for jid, j in repo.records("judgment").items():
        if j.get("status") != "published" or j.get("access") == "internal":
            continue
        if not fields_ & {str(r) for r in as_list(j.get("relevance"))}:
            continue
        published = _published_on(j)
        if published is None or published > day or (since is not None and published <= since):
            continue
        found.append((published, jid, j))
    for published, jid, j in sorted(found, key=lambda x: (x[0], x[1])):
        body.append(item(t["judgment"].format(title=j.get("title", jid)), "orientering", chair, f"judgment:{jid}"))

    items = [item(*standing[k], chair, "standing") for k in OPENING] + body + \
        [item(*standing[k], chair, "standing") for k in ("round", "plans", "aob")]

    # numbering: on from the highest number the network's earlier meetings of the year stored
    yy = day.year % 100
    used = [n for m in earlier if m.date().year == day.year
            for n, y in [sak_number(i.get("number")) or (0, -1) for i in m.get("agenda") or [] if isinstance(i, dict)]
            if y == yy]
    first = max(used, default=0) + 1
    for offset, it in enumerate(items):
        it["number"] = f"{first + offset}/{yy:02d}"
    if rebuild and stored_items:  # keep what was noted against an item that stays
        by_source = {i.get("source"): i for i in stored_items if i.get("source") and i.get("source") != "standing"}
        by_title = {i.get("title"): i for i in stored_items}
        for it in items:
            old = by_source.get(it["source"]) if it["source"] != "standing" else by_title.get(it["title"])
            if old:
                for k in ("notes", "decision"):
                    if old.get(k):
                        it[k] = old[k]
    last = first + len(items) - 1
    for m in later:
        if m.date().year != day.year:
            continue
        nums = [n for n, y in [sak_number(i.get("number")) or (0, -1) for i in m.get("agenda") or []
                               if isinstance(i, dict)] if y == yy]
        if nums and min(nums) <= last:
            agenda.warnings.append(f"the meeting on {m.id} has stored Sak {min(nums)}/{yy:02d}–{max(nums)}/{yy:02d}, "
                                   f"which overlaps this agenda's {first}/{yy:02d}–{last}/{yy:02d}")
    agenda.items = [{k: it[k] for k in ITEM_KEYS if it.get(k) not in (None, "")} for it in items]
    return agenda


def clean_items(items: list[dict]) -> list[dict]:
    return [{k: i[k] for k in ITEM_KEYS if i.get(k) not in (None, "")} for i in items]


def _agenda_digest(items: list[dict]) -> str:
    core = [[i.get(k) for k in ("number", "title", "kind", "presenter")] for i in items]
    return hashlib.sha256(json.dumps(core, ensure_ascii=False).encode()).hexdigest()[:16]


def _plan_writes(repo, agenda: Agenda, meeting_data: dict) -> list[tuple[Path, str, object]]:
    """The texts to write, with the text each file was read from: the meeting and the
    submissions it schedules (validated first)."""
    from hrcoord.core import records

    writes = []
    text, _ = records.build(repo, "meeting", agenda.meeting.source.path, meeting_data, agenda.meeting.body,
                            agenda.meeting.source)
    writes.append((agenda.meeting.source.path, text, agenda.meeting.source))
    for sub in agenda.scheduled:
        data = dict(sub.data)
        data["status"] = "scheduled"
        data["meeting"] = agenda.meeting.id
        text, _ = records.build(repo, "submission", sub.source.path, data, None, sub.source)
        writes.append((sub.source.path, text, sub.source))
    return writes


def _commit(repo, writes: list[tuple[Path, str, object]], dry_run: bool) -> list[Path]:
    """All the files or none, each only if it still holds what it was read from (staged in the
    command's transaction when one is open)."""
    from hrcoord.core.transaction import transaction

    if not dry_run:
        with transaction(repo) as tx:
            for path, text, source in writes:
                tx.put(path, text, expect=source)
    return [p for p, _, _ in writes]


def write_agenda(repo, agenda: Agenda, *, dry_run: bool = False) -> list[Path]:
    """Store the compiled agenda in the meeting record (so its numbers are fixed) and mark the
    submissions it takes up as scheduled. A stored agenda is left alone unless it was rebuilt;
    changing an agenda after the notice went out makes it `amended`."""
    from hrcoord.core.fsutil import repo_lock

    old = clean_items([i for i in agenda.meeting.get("agenda") or [] if isinstance(i, dict)])
    new = clean_items(agenda.items)
    if agenda.stored or (old == new and not agenda.scheduled):
        return []
    data = dict(agenda.meeting.data)
    data["agenda"] = new
    status = data.get("agenda_status")
    notified = data.get("notified")
    if status in ("final", "amended") or isinstance(notified, dict):
        if not isinstance(notified, dict) or notified.get("agenda") != _agenda_digest(new):
            data["agenda_status"] = "amended"
    else:
        data["agenda_status"] = "draft"
    with repo_lock(repo.root):
        return _commit(repo, _plan_writes(repo, agenda, data), dry_run)


# --- the notice ------------------------------------------------------------------------------------
@dataclass
class NoticeState:
    sequence: int
    issued: bool  # written (or would be, with dry_run) now
    first: bool  # the first issue of this notice
    changed: bool  # re-issued after a change
    method: str  # REQUEST, or CANCEL for a cancelled meeting
    written: list[Path] = field(default_factory=list)


def attendees(network: Record) -> list[dict]:
    return [m for m in network.get("members") or [] if isinstance(m, dict)]


def event_digest(network: Record, meeting: Record) -> str:
    core = {
        "date": meeting.id, "start": meeting.get("start"), "end": meeting.get("end"),
        "location": meeting.get("location"), "status": "cancelled" if meeting.get("status") == "cancelled" else "on",
        "organizer": [network.get("chair"), network.get("chair_email")],
        "attendees": sorted([m.get("name") or "", m.get("email") or "", m.get("role") or "member"]
                            for m in attendees(network)),
    }
    return hashlib.sha256(json.dumps(core, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def issue_notice(repo, agenda: Agenda, *, dry_run: bool = False, today: dt.date | None = None) -> NoticeState:
    """Record that the notice goes out: the agenda is stored (numbers fixed) and `final`, the
    meeting `notified`; issuing it again after a change of time, place, invitees or agenda raises
    the SEQUENCE (and makes a changed agenda `amended`). Unchanged: nothing is written."""
    from hrcoord.core.fsutil import repo_lock

    meeting, network = agenda.meeting, agenda.network
    status = meeting.get("status")
    sequence = int(meeting.get("sequence") or 0)
    method = "CANCEL" if status == "cancelled" else "REQUEST"
    if status == "held":
        return NoticeState(sequence, False, False, False, method)
    items = clean_items(agenda.items)
    new_fp = {"event": event_digest(network, meeting), "agenda": _agenda_digest(items)}
    old_fp = meeting.get("notified")
    first = not isinstance(old_fp, dict)
    if not first and old_fp.get("event") == new_fp["event"] and old_fp.get("agenda") == new_fp["agenda"] \
            and agenda.stored:
        return NoticeState(sequence, False, False, False, method)
    data = dict(meeting.data)
    changed = False
    if first:
        data["agenda_status"] = "final"
    else:
        changed = old_fp.get("event") != new_fp["event"] or old_fp.get("agenda") != new_fp["agenda"]
        if changed:
            sequence += 1
        if old_fp.get("agenda") != new_fp["agenda"]:
            data["agenda_status"] = "amended"
    data["sequence"] = sequence
    data["notified"] = {"issued": (today or dt.date.today()).isoformat(), **new_fp}
    data["agenda"] = items
    if status == "planned":
        data["status"] = "notified"
    with repo_lock(repo.root):
        written = _commit(repo, _plan_writes(repo, agenda, data), dry_run)
    return NoticeState(sequence, True, first, changed, method, written)


def submission_deadline(repo, day: dt.date) -> dt.date:
    days = (repo.settings.get("defaults") or {}).get("submission_deadline_days")
    days = days if isinstance(days, int) and not isinstance(days, bool) else 7
    return day - dt.timedelta(days=days)
