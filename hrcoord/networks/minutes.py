"""Recording the minutes (referat) of a meeting: who came, what was noted and decided per item,
and the follow-ups. SPEC §2.3: present (til stede), absent (forfall), stand-ins (p.v.a.), the
referent; per item the notes and, where one was made, the decision (Vedtak); then the follow-ups.

Every function reads the meeting again under the repository lock, checks that the change fits
the meeting's state, and writes it validated (comments kept) — or nothing, with `dry_run`.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from hrcoord.core.errors import UsageError
from hrcoord.core.models.base import Record, parse_date, suggest
from hrcoord.networks.meetings import find_meeting, meeting_day

STAND_IN_WORDS = re.compile(r"\s+(?:for|p\.v\.a\.)\s+", re.I)


@dataclass
class Recorded:
    meeting: Record
    data: dict
    text: str
    warnings: list[str] = field(default_factory=list)
    what: str = ""


def _change(repo, slug: str, day: dt.date, change: Callable[[Record, dict], tuple[dict, list[str], str]],
            dry_run: bool) -> Recorded:
    """Read the meeting under the lock, let `change` make the new fields (or refuse), write them."""
    from hrcoord.core import records
    from hrcoord.core.fsutil import repo_lock
    from hrcoord.core.repo import Repository

    with repo_lock(repo.root):
        fresh = Repository(repo.root)
        meeting = find_meeting(fresh, slug, day)
        if meeting.get("status") == "cancelled":
            raise UsageError(f"the meeting on {meeting.id} was cancelled; there are no minutes to record")
        data, warnings, what = change(meeting, {**meeting.data})
        text = records.update(fresh, meeting, data, dry_run=dry_run)
    return Recorded(meeting, data, text, warnings, what)


def _not_before(meeting: Record, what: str, today: dt.date | None) -> None:
    today = today or dt.date.today()
    if meeting_day(meeting) > today:
        raise UsageError(f"the meeting on {meeting.id} is in the future; {what} can only be recorded once it "
                         "has taken place")


# --- attendance ------------------------------------------------------------------------------------------
@dataclass
class Attendance:
    present: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    stand_ins: list[str] = field(default_factory=list)  # "X for Y"
    referent: str | None = None
    everyone: bool = False  # every member and the chair present, save those named absent


def known_people(network: Record) -> list[str]:
    members = [str(m.get("name")) for m in network.get("members") or [] if isinstance(m, dict) and m.get("name")]
    chair = network.get("chair")
    return ([chair] if chair and chair not in members else []) + members


def _match(name: str, known: list[str], warnings: list[str]) -> str:
    """A name as the network writes it (case aside); an unknown one is kept, with a warning."""
    name = " ".join(name.split())
    if not name:
        raise UsageError("an empty name was given")
    hit = next((k for k in known if k.lower() == name.lower()), None)
    if hit is None:
        warnings.append(f"{name!r} is not a member of the network; recorded as given{suggest(name, known)}")
    return hit or name


def split_stand_in(text: str, known: list[str]) -> tuple[str, str]:
    """`X for Y` (or `X p.v.a. Y`): X attends for member Y. Role titles may hold "for" themselves,
    so the split where Y is a member wins."""
    cuts = list(STAND_IN_WORDS.finditer(text))
    pairs = [(text[:c.start()].strip(), text[c.end():].strip()) for c in cuts]
    pairs = [(x, y) for x, y in pairs if x and y]
    lowered = {k.lower() for k in known}
    fits = [p for p in pairs if p[1].lower() in lowered]
    if len(fits) == 1 or (not fits and len(pairs) == 1):
        return (fits or pairs)[0]
    raise UsageError(f"--stand-in {text!r}: write it as 'STAND-IN for MEMBER', naming a member of the network "
                     "as they are listed (`hrcoord network show`)")


def _in_order(names: set[str], known: list[str]) -> list[str]:
    """Names in the network's order of members, strangers after them."""
    return [k for k in known if k in names] + sorted(names - set(known))


def _stand_ins(given: Attendance, known: list[str], warnings: list[str]) -> list[tuple[str, str]]:
    out = []
    for text in given.stand_ins:
        deputy, member = split_stand_in(text, known)
        out.append((" ".join(deputy.split()), _match(member, known, warnings)))
    return out


def _deputies(att: dict, stood_in: list[tuple[str, str]], came: list[str]) -> list[dict]:
    """Stand-ins recorded before stay unless their member now came or has another stand-in."""
    replaced = {member for _, member in stood_in} | set(came)
    kept = [dict(d) for d in att.get("deputies") or [] if isinstance(d, dict) and d.get("for") not in replaced]
    return kept + [{"name": deputy, "for": member} for deputy, member in stood_in]


def _referent(given: Attendance, att: dict) -> str | None:
    return " ".join(given.referent.split()) if given.referent else att.get("minute_taker")


def apply_attendance(att: dict, given: Attendance, known: list[str]) -> tuple[dict, list[str]]:
    """The attendance after `given`: a name moves between present and absent; a stand-in is
    present for an absent member."""
    warnings: list[str] = []
    stood_in = _stand_ins(given, known, warnings)
    away = {_match(n, known, warnings) for n in given.absent} | {member for _, member in stood_in}
    came = ([k for k in known if k not in away] if given.everyone else []) + \
        [_match(n, known, warnings) for n in given.present]
    before = [str(x) for x in att.get("present") or []]
    present = list(dict.fromkeys([n for n in before + came if n not in away]))
    absent = ({str(x) for x in att.get("absent") or []} - set(came)) | away
    out = {"present": present, "absent": _in_order(absent, known), "deputies": _deputies(att, stood_in, came),
           "minute_taker": _referent(given, att)}
    return {k: v for k, v in out.items() if v}, warnings


def attend(repo, slug: str, day: dt.date, given: Attendance, *, dry_run: bool = False) -> Recorded:
    if not (given.present or given.absent or given.stand_ins or given.referent or given.everyone):
        raise UsageError("nothing to record: give --present, --absent, --stand-in, --referent or --all")
    network = repo.network(slug)
    known = known_people(network)

    def change(meeting: Record, data: dict):
        att = data.get("attendance")
        data["attendance"], warnings = apply_attendance(att if isinstance(att, dict) else {}, given, known)
        return data, warnings, "attendance"

    return _change(repo, slug, day, change, dry_run)


# --- notes and decisions ------------------------------------------------------------------------------------
def parse_item(value: str) -> str:
    """`3/14`, `3` or `Sak 3/14` as the number to look for (`3/14`, or `3` for any year)."""
    text = re.sub(r"^\s*(sak|item)\s+", "", value.strip(), flags=re.I)
    if not re.fullmatch(r"\d{1,3}(/\d{2})?", text):
        raise UsageError(f"--item must be an item number such as 3/14 (Sak 3/14), not {value!r}")
    return text


def find_item(items: list[dict], wanted: str, meeting: Record) -> int:
    numbers = [str(i.get("number")) for i in items]
    for n, number in enumerate(numbers):
        if number == wanted or number.split("/")[0] == wanted:
            return n
    shown = ", ".join(numbers) or "none"
    raise UsageError(f"the agenda of the meeting on {meeting.id} has no item {wanted}; its items: {shown}")


def _joined(old: str | None, new: str, append: bool) -> str:
    new = new.strip()
    return f"{old.rstrip()}\n\n{new}" if append and old else new


def note(repo, slug: str, day: dt.date, item: str, *, text: str | None = None, decision: str | None = None,
         append: bool = False, today: dt.date | None = None, dry_run: bool = False) -> Recorded:
    """Notes and/or the decision (Vedtak) of one agenda item; `append` adds a paragraph."""
    wanted = parse_item(item)
    if not (text and text.strip()) and not (decision and decision.strip()):
        raise UsageError("nothing to record: give --text (or --file) and/or --decision")

    def change(meeting: Record, data: dict):
        items = [dict(i) for i in meeting.get("agenda") or [] if isinstance(i, dict)]
        if not items:
            raise UsageError(f"the meeting on {meeting.id} has no stored agenda; store it first "
                             f"(`hrcoord meeting agenda --write` or `hrcoord meeting notice`)")
        if decision and decision.strip():
            _not_before(meeting, "a decision", today)
        n = find_item(items, wanted, meeting)
        if text and text.strip():
            items[n]["notes"] = _joined(items[n].get("notes"), text, append)
        if decision and decision.strip():
            items[n]["decision"] = _joined(items[n].get("decision"), decision, append)
        data["agenda"] = items
        return data, [], f"Sak {items[n]['number']}"

    return _change(repo, slug, day, change, dry_run)


# --- follow-ups ----------------------------------------------------------------------------------------------------
def follow_ups(meeting: Record) -> list[dict]:
    return [dict(f) for f in meeting.get("follow_ups") or [] if isinstance(f, dict)]


def find_follow_up(fus: list[dict], ref: str, meeting: Record) -> int:
    """A follow-up by its number as the minutes show it (1, 2 …) or by its id (f1)."""
    ref = ref.strip()
    for n, fu in enumerate(fus):
        if str(fu.get("id")) == ref:
            return n
    if ref.isdigit() and 1 <= int(ref) <= len(fus):
        return int(ref) - 1
    shown = ", ".join(f"{n + 1} ({fu.get('id')})" for n, fu in enumerate(fus)) or "none"
    raise UsageError(f"the meeting on {meeting.id} has no follow-up {ref!r}; its follow-ups: {shown}")


def _next_id(fus: list[dict]) -> str:
    used = {str(f.get("id")) for f in fus}
    n = len(fus) + 1
    while f"f{n}" in used:
        n += 1
    return f"f{n}"


def add_follow_up(repo, slug: str, day: dt.date, *, text: str, owner: str, due: dt.date | None = None,
                  today: dt.date | None = None, dry_run: bool = False) -> Recorded:
    from hrcoord.actionplans.measures import check_department

    if not text or not text.strip():
        raise UsageError("--text is empty")
    check_department(repo, owner, "--owner")

    def change(meeting: Record, data: dict):
        _not_before(meeting, "a follow-up", today)
        if due is not None and due < meeting_day(meeting):
            raise UsageError(f"--due {due.isoformat()} is before the meeting ({meeting.id})")
        fus = follow_ups(meeting)
        entry = {"id": _next_id(fus), "text": " ".join(text.split()), "owner": owner,
                 "due": due.isoformat() if due else None, "done": False}
        data["follow_ups"] = [*fus, {k: v for k, v in entry.items() if v is not None}]
        return data, [], f"follow-up {len(fus) + 1}"

    return _change(repo, slug, day, change, dry_run)


def close_follow_up(repo, slug: str, day: dt.date, ref: str, *, done: dt.date | None = None,
                    today: dt.date | None = None, dry_run: bool = False) -> Recorded:
    """Mark a follow-up done (on `done`, default today): not before its meeting, not in the future."""
    today = today or dt.date.today()
    closed = done or today

    def change(meeting: Record, data: dict):
        fus = follow_ups(meeting)
        n = find_follow_up(fus, ref, meeting)
        if parse_date(fus[n].get("done")) is not None:
            raise UsageError(f"follow-up {n + 1} of the meeting on {meeting.id} was closed on {fus[n]['done']}")
        if closed > today or closed < meeting_day(meeting):
            raise UsageError(f"--date {closed.isoformat()} must lie between the meeting ({meeting.id}) and today")
        fus[n]["done"] = closed.isoformat()
        data["follow_ups"] = fus
        return data, [], f"follow-up {n + 1}"

    return _change(repo, slug, day, change, dry_run)


def reopen_follow_up(repo, slug: str, day: dt.date, ref: str, *, dry_run: bool = False) -> Recorded:
    def change(meeting: Record, data: dict):
        fus = follow_ups(meeting)
        n = find_follow_up(fus, ref, meeting)
        if parse_date(fus[n].get("done")) is None:
            raise UsageError(f"follow-up {n + 1} of the meeting on {meeting.id} is open")
        fus[n]["done"] = False
        data["follow_ups"] = fus
        return data, [], f"follow-up {n + 1}"

    return _change(repo, slug, day, change, dry_run)
