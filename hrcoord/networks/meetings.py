"""Network meetings: finding them, creating them, their calendar identity (UID) and times.

The other jobs of a meeting live beside this module: `agenda.py` (the saksliste and its `Sak N/YY`
numbers), `notice.py` (the innkalling's state: what was sent, SEQUENCE), `submissions.py`,
`lifecycle.py` (move, cancel, held), `minutes.py` (attendance, notes, follow-ups) and
`members.py` (networks and their members). SPEC §2.3, §3.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from hrcoord.core.errors import HrcoordError, UsageError
from hrcoord.core.models.base import Record, parse_date, require_date

ACTIVE = ("planned", "notified")
CLOCK_RE = re.compile(r"^(\d{1,2})[:.](\d{2})$")


# --- lookups ---------------------------------------------------------------------------------------
def meetings_of(repo, slug: str) -> list[Record]:
    """The network's meetings, oldest first."""
    recs = [r for key, r in repo.records("meeting").items() if key.split("/", 1)[0] == slug]
    return sorted(recs, key=lambda r: r.id)


def parse_day(value, flag: str) -> dt.date:
    return require_date(value, flag, required=True)


def meeting_day(meeting: Record) -> dt.date:
    """The meeting's date (its file name); a meeting without one cannot be worked on."""
    day = meeting.date() or parse_date(meeting.id)
    if day is None:
        raise HrcoordError(f"{meeting.rel}: the meeting has no valid date")
    return day


def next_meeting(repo, slug: str) -> Record | None:
    """The earliest meeting of the network that is planned or notified."""
    return next((m for m in meetings_of(repo, slug) if m.get("status") in ACTIVE), None)


def find_meeting(repo, slug: str, date: str | dt.date | None = None) -> Record:
    """The named meeting of the network, or (no date) its next planned one."""
    repo.network(slug)
    if date is None:
        m = next_meeting(repo, slug)
        if m is None:
            raise UsageError(f"network {slug!r} has no planned meeting; create one with "
                             f"`hrcoord meeting new --network {slug} --date YYYY-MM-DD` or name one with --meeting")
        return m
    d = parse_day(date, "--meeting")
    meetings = meetings_of(repo, slug)
    for m in meetings:
        if m.id == d.isoformat():
            return m
    known = ", ".join(m.id for m in meetings[-8:]) or "none"
    raise UsageError(f"network {slug!r} has no meeting on {d.isoformat()}; its meetings: {known}")


def meeting_path(repo, slug: str, day: dt.date) -> Path:
    return repo.data_dir / "meetings" / slug / f"{day.isoformat()}.md"


def chair_of(network: Record) -> str:
    return network.get("chair") or ""


def clock(value: str | None, flag: str) -> str | None:
    """A time flag as `HH:MM`: `9:00` and `9.00` are accepted as `09:00`."""
    if value is None:
        return None
    m = CLOCK_RE.match(value.strip())
    if m and int(m.group(1)) < 24 and int(m.group(2)) < 60:
        return f"{int(m.group(1)):02d}:{m.group(2)}"
    raise UsageError(f"{flag} must be a time HH:MM (e.g. 09:30), not {value!r}")


# --- the calendar identity -------------------------------------------------------------------------
def default_uid(slug: str, day: str) -> str:
    return f"{slug}-{day}@hrcoord"


def meeting_uid(meeting: Record) -> str:
    """The UID every invitation of the meeting carries: stored, or (older records) made from the
    network and the date the meeting was created on."""
    slug = meeting.get("network") or meeting.source.path.parent.name
    return meeting.get("uid") or default_uid(slug, meeting.id)


def new_uid(repo, slug: str, day: dt.date) -> str:
    """A UID no other meeting of the network uses (a meeting moved away keeps its old one)."""
    taken = {meeting_uid(m) for m in meetings_of(repo, slug)}
    uid, n = default_uid(slug, day.isoformat()), 2
    while uid in taken:
        uid, n = default_uid(slug, f"{day.isoformat()}-{n}"), n + 1
    return uid


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


def check_day(day: dt.date, force: bool) -> None:
    problem = None if force else day_problem(day)
    if problem:
        raise UsageError(f"{problem}; choose a working day or pass --force")


def _default(repo, network: Record, key: str, setting: str, fallback: str | None = None) -> str | None:
    defaults = repo.settings.get("defaults") or {}
    return network.get(key) or defaults.get(setting) or fallback


def meeting_data(repo, network: Record, day: dt.date, start: str | None = None, end: str | None = None,
                 location: str | None = None) -> dict:
    data = {
        "network": network.id,
        "date": day.isoformat(),
        "start": start or _default(repo, network, "start", "meeting_start", "10:00"),
        "end": end or _default(repo, network, "end", "meeting_end"),
        "location": location or _default(repo, network, "location", "meeting_location"),
        "status": "planned",
        "agenda_status": "draft",
        "uid": new_uid(repo, network.id, day),
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
    check_day(day, force)
    with repo_lock(repo.root):
        if path.exists():
            raise UsageError(f"network {slug!r} already has a meeting on {day.isoformat()} ({repo.rel(path)})")
        data = meeting_data(repo, network, day, start, end, location)
        text = records.write(repo, "meeting", path, data, body="", exclusive=True, dry_run=dry_run)
    return path, text


def add_months(day: dt.date, months: int) -> dt.date:
    import calendar

    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
