"""What happens to a meeting after it is planned: it moves, it is cancelled, it is held.

    planned → notified (the notice went out) → held
         ↘        ↘ cancelled

Each step checks the record's state first, changes every record it touches in one validated set
of writes (networks/writes.py) and leaves everything as it was with `dry_run`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from hrcoord.core.errors import UsageError
from hrcoord.core.models.base import Record
from hrcoord.networks.meetings import check_day, find_meeting, meeting_day, meeting_path, meeting_uid, meetings_of
from hrcoord.networks.writes import Change, commit, created, removed, updated


@dataclass
class Outcome:
    meeting: Record  # as it was before the step
    data: dict  # the meeting's fields after it
    path: Path  # the meeting's file after it
    written: list[Path] = field(default_factory=list)
    sequence: int = 0
    notes: list[str] = field(default_factory=list)  # what the step did besides the meeting itself
    removed: list[Path] = field(default_factory=list)
    sent: bool = False  # a notice of the meeting went out before this step


def _fresh(repo):
    from hrcoord.core.repo import Repository

    return Repository(repo.root)


def _refuse(meeting: Record, step: str, *states: str) -> None:
    status = meeting.get("status")
    if status in states:
        raise UsageError(f"the meeting on {meeting.id} is {status}; it cannot be {step}")


# --- move --------------------------------------------------------------------------------------------------
@dataclass
class Move:
    to: dt.date | None = None
    start: str | None = None
    end: str | None = None
    location: str | None = None
    force: bool = False


def _moved_data(meeting: Record, target: dt.date, move: Move) -> dict:
    from hrcoord.networks.notice import last_notice, next_sequence

    data = {**meeting.data, "date": target.isoformat(), "uid": meeting_uid(meeting),
            "sequence": next_sequence(meeting)}
    for key in ("start", "end", "location"):
        value = getattr(move, key)
        if value is not None:
            data[key] = value
    if last_notice(meeting) is not None and data.get("agenda_status") in ("final", "amended", None):
        data["agenda_status"] = "amended"
    return data


def _check_move(repo, meeting: Record, target: dt.date, move: Move) -> None:
    _refuse(meeting, "moved", "held", "cancelled")
    day = meeting_day(meeting)
    changed = target != day or any(getattr(move, k) not in (None, meeting.get(k)) for k in ("start", "end", "location"))
    if not changed:
        raise UsageError(f"nothing to change: give --to, --start, --end or --location different from the "
                         f"meeting's ({meeting.id}, {meeting.get('start')}–{meeting.get('end') or ''})")
    if target == day:
        return
    check_day(target, move.force)
    slug = meeting.get("network")
    if meeting_path(repo, slug, target).exists():
        raise UsageError(f"network {slug!r} already has a meeting on {target.isoformat()}")
    if target.year != day.year and meeting.get("agenda"):
        raise UsageError(f"the stored agenda is numbered for {day.year} (Sak N/{day.year % 100:02d}); a meeting "
                         f"with a stored agenda cannot move into {target.year}; cancel it and plan a new one")


def _renamed_sources(repo, slug: str, old: str, new: str) -> list[Change]:
    """Agenda items of other meetings that take up a follow-up of the moved meeting."""
    prefix = f"follow-up:{old}/"
    out = []
    for m in meetings_of(repo, slug):
        items = [i for i in m.get("agenda") or [] if isinstance(i, dict)]
        if any(str(i.get("source", "")).startswith(prefix) for i in items):
            fixed = [{**i, "source": f"follow-up:{new}/" + str(i["source"])[len(prefix):]}
                     if str(i.get("source", "")).startswith(prefix) else i for i in items]
            out.append(updated(repo, m, {**m.data, "agenda": fixed}))
    return out


def move_meeting(repo, slug: str, day: dt.date, move: Move, *, dry_run: bool = False) -> Outcome:
    """Move a meeting to another day and/or time or place. The file takes the new date as its
    name, and the submissions and follow-up sources that name the meeting follow it; the UID
    stays, SEQUENCE is raised, and an agenda already sent becomes `amended`."""
    from hrcoord.core.fsutil import repo_lock
    from hrcoord.networks.notice import last_notice
    from hrcoord.networks.submissions import follow

    with repo_lock(repo.root):
        repo = _fresh(repo)
        meeting = find_meeting(repo, slug, day)
        target = move.to or day
        _check_move(repo, meeting, target, move)
        data = _moved_data(meeting, target, move)
        if target == day:
            changes = [updated(repo, meeting, data)]
            path = meeting.source.path
        else:
            path = meeting_path(repo, slug, target)
            changes = [created(repo, "meeting", path, data, meeting.body, meeting.source), removed(meeting),
                       *follow(repo, slug, meeting.id, target.isoformat()),
                       *_renamed_sources(repo, slug, meeting.id, target.isoformat())]
        written = commit(changes, dry_run)
    notes = [f"{repo.rel(c.path)} follows the meeting" for c in changes[2:]] if target != day else []
    gone = [c.path for c in changes if c.text is None]
    return Outcome(meeting, data, path, [p for p in written if p not in gone], data["sequence"], notes, gone,
                   last_notice(meeting) is not None)


# --- cancel --------------------------------------------------------------------------------------------------
def cancel_meeting(repo, slug: str, day: dt.date, *, reason: str | None = None, today: dt.date | None = None,
                   dry_run: bool = False) -> Outcome:
    """Cancel a meeting: status `cancelled` with the reason, SEQUENCE raised for the iCalendar
    CANCEL (same UID), recorded in `notices`; its scheduled submissions go back to `accepted`."""
    from hrcoord.core.fsutil import repo_lock
    from hrcoord.networks.notice import cancellation_entry, next_sequence, notices
    from hrcoord.networks.submissions import release

    with repo_lock(repo.root):
        repo = _fresh(repo)
        meeting = find_meeting(repo, slug, day)
        _refuse(meeting, "cancelled", "held", "cancelled")
        network = repo.network(slug)
        sequence = next_sequence(meeting)
        entry = cancellation_entry(repo, network, meeting, sequence, today or dt.date.today())
        data = {**meeting.data, "status": "cancelled", "uid": meeting_uid(meeting), "sequence": sequence,
                "notices": [*notices(meeting), entry]}
        data.pop("notified", None)
        if reason and reason.strip():
            data["cancel_reason"] = " ".join(reason.split())
        released = release(repo, slug, meeting.id)
        written = commit([updated(repo, meeting, data), *released], dry_run)
    notes = [f"{c.path.stem}: back to accepted" for c in released]
    return Outcome(meeting, data, meeting.source.path, written, sequence, notes)


# --- held --------------------------------------------------------------------------------------------------------
def hold_meeting(repo, slug: str, day: dt.date, *, today: dt.date | None = None, dry_run: bool = False) -> Outcome:
    """Record that the meeting was held: refused for a meeting dated in the future. An agenda not
    yet stored is stored as compiled; the submissions it placed become `handled`."""
    from hrcoord.core.fsutil import repo_lock
    from hrcoord.networks.agenda import clean_items, compile_agenda
    from hrcoord.networks.submissions import handle

    today = today or dt.date.today()
    with repo_lock(repo.root):
        repo = _fresh(repo)
        meeting = find_meeting(repo, slug, day)
        _refuse(meeting, "held", "held", "cancelled")
        if meeting_day(meeting) > today:
            raise UsageError(f"the meeting on {meeting.id} is in the future (today is {today.isoformat()}); "
                             "it cannot be held yet")
        agenda = compile_agenda(repo, repo.network(slug), meeting)
        items = clean_items(agenda.items)
        data = {**meeting.data, "status": "held", "agenda": items}
        if data.get("agenda_status") in (None, "draft"):
            data["agenda_status"] = "final"
        handled = handle(repo, slug, meeting.id, items)
        written = commit([updated(repo, meeting, data), *handled], dry_run)
    notes = [f"{c.path.stem}: {'handled' if c.text and 'status: handled' in c.text else 'back to accepted'}"
             for c in handled]
    return Outcome(meeting, data, meeting.source.path, written, int(data.get("sequence") or 0), notes)
