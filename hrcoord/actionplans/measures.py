"""Measures (tiltak) of the action plans: add one, append a status entry, list with filters.

The status log is append-only: `update` adds one entry and never touches the ones before it. An
entry dated before the last one is refused unless the caller says it is a late registration
(`backdate`); it is then filed at its place in date order, so the log stays oldest first.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hrcoord.core.errors import HrcoordError, UsageError
from hrcoord.core.labels import words
from hrcoord.core.models.action_plan import MEASURE_STATUSES, ROLES, current_status
from hrcoord.core.models.base import ID_RE, Record, parse_date, suggest
from hrcoord.core.models.judgment import slugify

if TYPE_CHECKING:
    from hrcoord.core.index import Row

CLOSED = ("completed", "cancelled")  # a measure in these states is never overdue


def measure_id(number: str) -> str:
    """`Tiltak 12` -> `tiltak-12`."""
    mid = slugify(str(number))
    if not mid or not ID_RE.match(mid):
        raise UsageError(f"cannot make an id from the number {number!r}; give --id")
    return mid


def is_overdue(deadline: dt.date | None, status: str | None, on: dt.date, *, inclusive: bool = False) -> bool:
    """Deadline passed (before `on`; on or before it when `inclusive`) and not completed/cancelled."""
    if deadline is None or status in CLOSED:
        return False
    return deadline <= on if inclusive else deadline < on


def _plan(repo, plan: str) -> Record:
    plans = repo.records("action-plan")
    if plan not in plans:
        known = ", ".join(sorted(plans)) or "none"
        raise UsageError(f"unknown action plan {plan!r}{suggest(plan, list(plans))}; known plans: {known}")
    return plans[plan]


def add(repo, *, plan: str, number: str, title: str, role: str, department: str, network: str | None = None,
        deadline: dt.date | None = None, description: str | None = None, lead_agency: str | None = None,
        status: str = "not-started", note: str | None = None, date: dt.date | None = None,
        by: str | None = None, mid: str | None = None, dry_run: bool = False) -> tuple[str, str]:
    """Create data/measures/<plan>/<id>.yaml with a first log entry. Returns (key, text)."""
    from hrcoord.core.fsutil import repo_lock
    from hrcoord.core.records import write

    _check_new(repo, plan, role, status, network, department)
    mid = mid or measure_id(number)
    if not ID_RE.match(mid):
        raise UsageError(f"--id {mid!r} is not a valid id (lower-case letters, digits, hyphens)")
    entry = {"date": (date or dt.date.today()).isoformat(), "status": status,
             "note": note or words(repo.language, "misc")["registered"],
             "by": by or repo.settings.get("coordinator") or "hrcoord"}
    data = {"plan": plan, "number": number, "title": title, "description": description,
            "lead_agency": lead_agency, "role": role, "department": department, "network": network,
            "deadline": deadline.isoformat() if deadline else None, "log": [entry]}
    data = {k: v for k, v in data.items() if v is not None}
    path = repo.data_dir / "measures" / plan / f"{mid}.yaml"
    with repo_lock(repo.root):
        _refuse_duplicate(repo, path, plan, mid, number)
        text = write(repo, "measure", path, data, exclusive=True, dry_run=dry_run)
    return f"{plan}/{mid}", text


def _check_status(status: str) -> None:
    if status not in MEASURE_STATUSES:
        raise UsageError(f"--status must be one of {', '.join(MEASURE_STATUSES)}, not {status!r}")


def _check_new(repo, plan: str, role: str, status: str, network: str | None, department: str) -> None:
    """The flags of `measure add`, each checked against the repository."""
    _plan(repo, plan)
    if role not in ROLES:
        raise UsageError(f"--role must be one of {', '.join(ROLES)}, not {role!r}")
    _check_status(status)
    if network is not None:
        repo.network(network)
    check_department(repo, department)


def _refuse_duplicate(repo, path, plan: str, mid: str, number: str) -> None:
    """One file and one number per measure of a plan (checked under the lock)."""
    if path.exists():
        raise HrcoordError(f"{repo.rel(path)} already exists: measure {plan}/{mid} is registered; "
                           f"append a status entry with `hrcoord measure update {plan}/{mid}`")
    wanted = number.strip().lower()
    same = [r for r in repo.records("measure").values()
            if r.data.get("plan") == plan and str(r.data.get("number", "")).strip().lower() == wanted]
    if same:
        raise HrcoordError(f"{plan} already has {number!r}: {same[0].rel}")


def check_department(repo, code: str | None, flag: str = "--department") -> None:
    known = repo.context().sets.get("departments")
    if code is not None and known is not None and code not in known:
        raise UsageError(f"{flag}: unknown department {code!r}{suggest(code, sorted(known))}; "
                         f"known: {', '.join(sorted(k for k in known if k))}")


def find(repo, ref: str) -> Record:
    """A measure by `plan/id`, or by its id alone when that is unique."""
    measures = repo.records("measure")
    if ref in measures:
        return measures[ref]
    hits = [r for key, r in measures.items() if key.split("/", 1)[1] == ref]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        keys = ", ".join(sorted(f"{r.data.get('plan')}/{r.id}" for r in hits))
        raise UsageError(f"{ref!r} is in several plans ({keys}); give PLAN/ID")
    raise UsageError(f"no measure {ref!r}" + suggest(ref, list(measures)) + "; see `hrcoord measure list`")


def update(repo, ref: str, *, status: str, note: str | None = None, date: dt.date | None = None,
           by: str | None = None, backdate: bool = False, dry_run: bool = False) -> tuple[Record, dict, str]:
    """Append one status entry. Returns (record, the new entry, new text). The earlier entries are
    copied unchanged; an entry dated before the last one is refused unless `backdate`."""
    from hrcoord.core.fsutil import repo_lock
    from hrcoord.core.records import update as write_update
    from hrcoord.core.repo import Repository

    _check_status(status)
    day = date or dt.date.today()
    with repo_lock(repo.root):
        # read the file again under the lock: another writer may have appended meanwhile
        fresh = Repository(repo.root)
        rec = find(fresh, ref)
        log = _log_of(fresh, rec)
        entry = {"date": day.isoformat(), "status": status,
                 "note": note, "by": by or repo.settings.get("coordinator") or "hrcoord"}
        entry = {k: v for k, v in entry.items() if v is not None}
        position = _position(rec, log, day, backdate)
        data = dict(rec.data)
        data["log"] = list(log[:position]) + [entry] + list(log[position:])
        text = write_update(fresh, rec, data, dry_run=dry_run)
    return rec, entry, text


def _log_of(repo, rec: Record) -> list:
    if repo.problems and any(p.path == rec.rel for p in repo.problems):
        raise HrcoordError(f"{rec.rel} has errors; fix them first (hrcoord validate)")
    log = rec.data.get("log")
    if not isinstance(log, list):
        raise HrcoordError(f"{rec.rel}: 'log' is not a list; fix the file first")
    return log


def _position(rec: Record, log: list, day: dt.date, backdate: bool) -> int:
    """Where the new entry goes: at the end, or (a late registration, `backdate`) at its place in
    date order after the entries of the same day. An earlier date without `backdate` is refused."""
    dates = [parse_date(e.get("date")) if isinstance(e, dict) else None for e in log]
    last = max((d for d in dates if d is not None), default=None)
    if last is None or day >= last:
        return len(log)
    if not backdate:
        raise UsageError(f"{rec.rel}: the last status entry is dated {last.isoformat()}; "
                         f"{day.isoformat()} is earlier. The log is never rewritten: give a date on or "
                         f"after {last.isoformat()}, or --backdate to file a late registration")
    return next((i for i, d in enumerate(dates) if d is not None and d > day), len(log))


@dataclass
class MeasureRow:
    key: str
    plan: str
    id: str
    number: str
    title: str
    role: str
    department: str
    network: str | None
    deadline: dt.date | None
    status: str | None
    since: dt.date | None  # date of the entry that gave the status
    overdue: bool


COLUMNS = [("key", "id"), ("number", "number"), ("title", "title"), ("role", "role"),
           ("department", "department"), ("network", "network"), ("deadline", "deadline"),
           ("status", "status"), ("since", "since"), ("overdue", "overdue")]


def rows(repo, *, plan: str | None = None, status: list[str] | None = None, department: str | None = None,
         network: str | None = None, overdue: bool = False, due_before: dt.date | None = None,
         today: dt.date | None = None) -> list[MeasureRow]:
    """The measures as of `today` (status from the last entry on or before it), filtered."""
    from hrcoord.actionplans.reports.common import natural_key

    today = today or dt.date.today()
    _check_filters(repo, plan, status, network)
    wanted = {"plan": plan, "department": department, "network": network}
    out = []
    for key, rec in repo.rows("measure").items():  # (from the derived index where it can answer)
        if any(v is not None and rec.data.get(k) != v for k, v in wanted.items()):
            continue
        row = _row(key, rec, today)
        if _keep(row, status, due_before, overdue):
            out.append(row)
    out.sort(key=lambda r: (r.plan, natural_key(r.number), r.id))
    return out


def _check_filters(repo, plan: str | None, status: list[str] | None, network: str | None) -> None:
    if plan is not None:
        _plan(repo, plan)
    for s in status or []:
        _check_status(s)
    if network is not None:
        repo.network(network)


def _row(key: str, rec: Record | Row, today: dt.date) -> MeasureRow:
    d = rec.data
    st = current_status(d, on=today)
    deadline = parse_date(d.get("deadline"))
    return MeasureRow(key, str(d.get("plan") or key.split("/")[0]), rec.id, str(d.get("number") or ""),
                      str(d.get("title") or ""), str(d.get("role") or ""), str(d.get("department") or ""),
                      d.get("network"), deadline, st, _since(d, today), is_overdue(deadline, st, today))


def _since(d: dict, today: dt.date) -> dt.date | None:
    """The date of the last entry on or before `today`: when the measure got its status."""
    days = [parse_date(e.get("date")) if isinstance(e, dict) else None for e in d.get("log") or []]
    return max((x for x in days if x is not None and x <= today), default=None)


def _keep(row: MeasureRow, status: list[str] | None, due_before: dt.date | None, overdue: bool) -> bool:
    if status and row.status not in status:
        return False
    if due_before is not None and (row.deadline is None or row.deadline >= due_before):
        return False
    return row.overdue or not overdue
