"""The notice (innkalling) of a meeting as a state: what each notice sent, and the SEQUENCE of the
meeting's calendar event (RFC 5546). SPEC §2.3.

Every notice or cancellation that goes out is recorded in the meeting's `notices` list: the day,
the SEQUENCE, the method, and what it said (date, time, place, a fingerprint of the invitees, the
agenda items). That record is what a re-issue is compared with: an unchanged notice writes
nothing; a changed one raises SEQUENCE (once per version sent, so a move followed by a re-issue
raises it by one) and says what changed.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from hrcoord.core.models.base import Record
from hrcoord.networks.agenda import Agenda, clean_items

SNAPSHOT_KEYS = ("date", "start", "end", "location", "invited", "items")


def attendees(network: Record) -> list[dict]:
    return [m for m in network.get("members") or [] if isinstance(m, dict)]


def organiser_email(repo, network: Record) -> str | None:
    return network.get("chair_email") or repo.settings.get("coordinator_email")


def invitees(repo, network: Record) -> tuple[list[dict], list[str]]:
    """The members a calendar invitation goes to, and the names of those it cannot reach (no
    e-mail address). The organiser is not invited to reply to their own meeting."""
    organiser = (organiser_email(repo, network) or "").lower()
    reachable = [m for m in attendees(network) if m.get("email") and str(m["email"]).lower() != organiser]
    missing = [str(m.get("name", "")) for m in attendees(network) if not m.get("email")]
    return reachable, missing


def submission_deadline(repo, day: dt.date) -> dt.date:
    days = (repo.settings.get("defaults") or {}).get("submission_deadline_days")
    days = days if isinstance(days, int) and not isinstance(days, bool) else 7
    return day - dt.timedelta(days=days)


# --- what a notice says --------------------------------------------------------------------------------
def invited_digest(repo, network: Record) -> str:
    core = {"organiser": [network.get("chair"), organiser_email(repo, network)],
            "attendees": sorted([m.get("name") or "", m.get("email") or "", m.get("role") or "member"]
                                for m in attendees(network))}
    return hashlib.sha256(json.dumps(core, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def sent_items(items: list[dict]) -> list[str]:
    return [f"{i.get('number')} {i.get('title')}" for i in items]


def snapshot(repo, network: Record, meeting: Record, items: list[dict]) -> dict:
    """What a notice of the meeting says now."""
    data = {"date": meeting.id, "start": meeting.get("start"), "end": meeting.get("end"),
            "location": meeting.get("location"), "invited": invited_digest(repo, network),
            "items": sent_items(items)}
    return {k: v for k, v in data.items() if v is not None}


def notices(meeting: Record) -> list[dict]:
    return [n for n in meeting.get("notices") or [] if isinstance(n, dict)]


def last_notice(meeting: Record) -> dict | None:
    """The last notice or cancellation sent; an older record's single fingerprint (`notified`)
    counts as a notice whose content is unknown."""
    sent = notices(meeting)
    if sent:
        return sent[-1]
    legacy = meeting.get("notified")
    if isinstance(legacy, dict):
        return {"issued": legacy.get("issued"), "sequence": int(meeting.get("sequence") or 0), "method": "REQUEST"}
    return None


def same(last: dict, snap: dict) -> bool:
    return all(last.get(k) == snap.get(k) for k in SNAPSHOT_KEYS)


def next_sequence(meeting: Record) -> int:
    """The SEQUENCE of a changed event: one above what was last sent (raised once per version)."""
    sequence = int(meeting.get("sequence") or 0)
    last = last_notice(meeting)
    if last is None:
        return sequence + 1
    return max(sequence, int(last.get("sequence") or 0) + 1)


# --- what changed between two notices --------------------------------------------------------------------
@dataclass
class Change:
    what: str  # date | time | place | added | removed
    old: str = ""
    new: str = ""


def _clock(n: dict) -> str:
    start, end = n.get("start") or "", n.get("end")
    return f"{start}–{end}" if end else start


def _title(line: str) -> str:
    return line.split(" ", 1)[1] if " " in line else line


def _time_and_place(old: dict, new: dict) -> list[Change]:
    pairs = [("date", str(old.get("date")), str(new.get("date"))), ("time", _clock(old), _clock(new)),
             ("place", old.get("location") or "", new.get("location") or "")]
    return [Change(what, a, b) for what, a, b in pairs if a != b]


def _items_changed(old: dict, new: dict) -> list[Change]:
    before = {_title(i) for i in old.get("items") or []}
    after = {_title(i) for i in new.get("items") or []}
    added = [Change("added", new=i) for i in new.get("items") or [] if _title(i) not in before]
    return added + [Change("removed", old=_title(i)) for i in old.get("items") or [] if _title(i) not in after]


def changes_between(old: dict | None, new: dict) -> list[Change]:
    """Time, place and agenda items that differ between two notices (none for a first notice, or
    an older one whose content is unknown)."""
    if old is None or "date" not in old:
        return []
    return _time_and_place(old, new) + _items_changed(old, new)


def shown_changes(meeting: Record) -> list[Change]:
    """What the last notice sent changed against the one before it."""
    sent = [n for n in notices(meeting) if n.get("method", "REQUEST") == "REQUEST"]
    return changes_between(sent[-2], sent[-1]) if len(sent) >= 2 else []


# --- issuing -------------------------------------------------------------------------------------------------
@dataclass
class NoticeState:
    sequence: int
    issued: bool  # written (or would be, with dry_run) now
    first: bool  # the first issue of this notice
    changed: bool  # re-issued after a change
    method: str  # REQUEST, or CANCEL for a cancelled meeting
    version: int = 1  # how many notices went out, this one included
    changes: list[Change] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def _request_count(meeting: Record) -> int:
    return sum(1 for n in notices(meeting) if n.get("method", "REQUEST") == "REQUEST") or \
        (1 if isinstance(meeting.get("notified"), dict) else 0)


def current_state(meeting: Record) -> NoticeState:
    """The notice as last sent (nothing to record)."""
    method = "CANCEL" if meeting.get("status") == "cancelled" else "REQUEST"
    last = last_notice(meeting)
    sequence = int((last or {}).get("sequence") or meeting.get("sequence") or 0)
    return NoticeState(sequence, False, False, False, method, max(_request_count(meeting), 1),
                       shown_changes(meeting))


def _issued_data(agenda: Agenda, entry: dict, first: bool, agenda_changed: bool) -> dict:
    data = dict(agenda.meeting.data)
    if first:
        data["agenda_status"] = "final"
    elif agenda_changed:
        data["agenda_status"] = "amended"
    data.pop("notified", None)  # the older fingerprint is replaced by the list
    data.update({"sequence": entry["sequence"], "agenda": clean_items(agenda.items),
                 "notices": [*notices(agenda.meeting), entry]})
    if data.get("status") == "planned":
        data["status"] = "notified"
    return data


def issue_notice(repo, agenda: Agenda, *, dry_run: bool = False, today: dt.date | None = None) -> NoticeState:
    """Record that the notice goes out: the agenda is stored (numbers fixed) and `final`, the
    meeting `notified`; issuing it again after a change of time, place, invitees or agenda raises
    the SEQUENCE (and makes a changed agenda `amended`). Unchanged: nothing is written. A held or
    cancelled meeting's notice is shown as it was, nothing recorded."""
    from hrcoord.core.fsutil import repo_lock
    from hrcoord.networks.agenda import agenda_changes
    from hrcoord.networks.writes import commit

    meeting = agenda.meeting
    if meeting.get("status") in ("held", "cancelled"):
        return current_state(meeting)
    items = clean_items(agenda.items)
    snap = snapshot(repo, agenda.network, meeting, items)
    last = last_notice(meeting)
    if last is not None and same(last, snap) and agenda.stored:
        return current_state(meeting)
    first = last is None
    sequence = int(meeting.get("sequence") or 0) if first else next_sequence(meeting)
    entry = {"issued": (today or dt.date.today()).isoformat(), "sequence": sequence, "method": "REQUEST", **snap}
    agenda_changed = last is not None and last.get("items") != snap["items"]
    data = _issued_data(agenda, entry, first, agenda_changed)
    with repo_lock(repo.root):
        written = commit(agenda_changes(repo, agenda, data), dry_run)
    return NoticeState(sequence, True, first, not first, "REQUEST", _request_count(meeting) + 1,
                       changes_between(last, snap), written)


def cancellation_entry(repo, network: Record, meeting: Record, sequence: int, today: dt.date) -> dict:
    items = [i for i in meeting.get("agenda") or [] if isinstance(i, dict)]
    return {"issued": today.isoformat(), "sequence": sequence, "method": "CANCEL",
            **snapshot(repo, network, meeting, items)}
