"""Hearings (høringer): register one, record its answer, list them. They feed `status` and the
quarterly report."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hrcoord.core.errors import HrcoordError, UsageError
from hrcoord.core.models.base import ID_RE, Record, parse_date, suggest
from hrcoord.core.models.hearing import HEARING_STATUSES
from hrcoord.core.models.judgment import slugify

DONE = ("answered", "declined")


def hearing_id(title: str, received: dt.date) -> str:
    """`2014-` + the title's first words as a slug (at most 60 characters, whole words)."""
    words = slugify(title).split("-")
    # drop the customary prefix "Høring –" / "Hearing -"
    while words and words[0] in ("horing", "hoering", "hearing", "consultation"):
        words = words[1:]
    slug = ""
    for w in words:
        if len(slug) + len(w) + 1 > 60:
            break
        slug = f"{slug}-{w}" if slug else w
    hid = f"{received.year}-{slug}" if slug else str(received.year)
    if not ID_RE.match(hid):
        raise UsageError(f"cannot make an id from the title {title!r}; give --id")
    return hid


def is_open(data: dict, on: dt.date | None = None) -> bool:
    """Not yet answered or declined (on day `on`, when its answer date is known)."""
    if data.get("status") not in DONE:
        return True
    if on is not None:
        answered = parse_date(data.get("answered"))
        return answered is not None and answered > on
    return False


def add(repo, *, sender: str, title: str, received: dt.date, deadline: dt.date, responsible: str,
        status: str = "received", case_ref: str | None = None, url: str | None = None, note: str | None = None,
        hid: str | None = None, dry_run: bool = False) -> tuple[str, str]:
    from hrcoord.actionplans.measures import check_department
    from hrcoord.core.fsutil import repo_lock
    from hrcoord.core.records import write

    if status not in HEARING_STATUSES:
        raise UsageError(f"--status must be one of {', '.join(HEARING_STATUSES)}, not {status!r}")
    if deadline < received:
        raise UsageError(f"--deadline {deadline} is before --received {received}")
    check_department(repo, responsible, "--responsible")
    hid = hid or hearing_id(title, received)
    if not ID_RE.match(hid):
        raise UsageError(f"--id {hid!r} is not a valid id (lower-case letters, digits, hyphens)")
    data = {"sender": sender, "title": title, "received": received.isoformat(), "deadline": deadline.isoformat(),
            "responsible": responsible, "status": status, "case_ref": case_ref, "url": url, "note": note}
    data = {k: v for k, v in data.items() if v is not None}
    path = repo.data_dir / "hearings" / f"{hid}.yaml"
    with repo_lock(repo.root):
        if path.exists():
            raise HrcoordError(f"{repo.rel(path)} already exists; give another --id")
        text = write(repo, "hearing", path, data, exclusive=True, dry_run=dry_run)
    return hid, text


def find(repo, hid: str) -> Record:
    recs = repo.records("hearing")
    if hid not in recs:
        raise UsageError(f"no hearing {hid!r}" + suggest(hid, list(recs)) + "; see `hrcoord hearing list`")
    return recs[hid]


def set_status(repo, hid: str, status: str, *, answered: dt.date | None = None,
               dry_run: bool = False) -> tuple[Record, str]:
    """Change a hearing's status; `answered`/`declined` stamp the date (default today)."""
    from hrcoord.core.fsutil import repo_lock
    from hrcoord.core.records import update
    from hrcoord.core.repo import Repository

    if status not in HEARING_STATUSES:
        raise UsageError(f"--status must be one of {', '.join(HEARING_STATUSES)}, not {status!r}")
    with repo_lock(repo.root):
        rec = find(Repository(repo.root), hid)
        data = dict(rec.data)
        data["status"] = status
        if status in DONE:
            data["answered"] = (answered or dt.date.today()).isoformat()
        elif answered is not None:
            raise UsageError("--answered goes with --status answered or declined")
        else:
            data.pop("answered", None)
        text = update(repo, rec, data, dry_run=dry_run)
    return rec, text


def hearing_row(hid: str, d: dict, today: dt.date | None = None) -> HearingRow:
    """One hearing as a row; with `today` (for an open hearing), the days left to its deadline."""
    deadline = parse_date(d.get("deadline"))
    return HearingRow(hid, str(d.get("sender") or ""), str(d.get("title") or ""), parse_date(d.get("received")),
                      deadline, str(d.get("responsible") or ""), str(d.get("status") or ""),
                      parse_date(d.get("answered")),
                      (deadline - today).days if deadline and today is not None else None)


@dataclass
class HearingRow:
    id: str
    sender: str
    title: str
    received: dt.date | None
    deadline: dt.date | None
    responsible: str
    status: str
    answered: dt.date | None
    days_left: int | None  # to the deadline, from `today`, while open


COLUMNS = [("id", "id"), ("sender", "sender"), ("title", "title"), ("received", "received"),
           ("deadline", "deadline"), ("responsible", "responsible"), ("status", "status"),
           ("days_left", "days left")]


def rows(repo, *, status: list[str] | None = None, responsible: str | None = None, open_only: bool = False,
         due_before: dt.date | None = None, today: dt.date | None = None) -> list[HearingRow]:
    from hrcoord.actionplans.measures import check_department

    today = today or dt.date.today()
    for s in status or []:
        if s not in HEARING_STATUSES:
            raise UsageError(f"--status must be one of {', '.join(HEARING_STATUSES)}, not {s!r}")
    if responsible is not None:
        check_department(repo, responsible, "--responsible")
    out = [hearing_row(hid, rec.data, today if is_open(rec.data, today) else None)
           for hid, rec in repo.records("hearing").items()
           if _wanted(rec.data, status, responsible, open_only, due_before, today)]
    out.sort(key=lambda r: (r.deadline or dt.date.max, r.id))
    return out


def _wanted(d: dict, status: list[str] | None, responsible: str | None, open_only: bool,
            due_before: dt.date | None, today: dt.date) -> bool:
    """Whether a hearing passes the filters of `hearing list`."""
    if status and d.get("status") not in status:
        return False
    if responsible is not None and d.get("responsible") != responsible:
        return False
    if open_only and not is_open(d, today):
        return False
    deadline = parse_date(d.get("deadline"))
    return due_before is None or (deadline is not None and deadline < due_before)
