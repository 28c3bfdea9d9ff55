"""Items a department submits for a network's agenda, and how they move with the meetings:

    proposed → accepted (or rejected) → scheduled (an agenda took it up) → handled (the meeting was held)

A scheduled item goes back to `accepted` when its meeting is cancelled, so the next agenda takes it up;
it follows its meeting when the meeting moves.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from hrcoord.core.errors import UsageError
from hrcoord.core.models.base import Record, suggest
from hrcoord.core.models.submission import KINDS
from hrcoord.networks.writes import Change, updated

SUBMISSION_MOVES = {
    "accepted": ("proposed", "rejected"),
    "rejected": ("proposed", "accepted"),
}


def submission_id(repo, slug: str, day: dt.date, department: str, title: str) -> str:
    """`<date>-<dept>-<first words of the title>`, unique in the network."""
    from hrcoord.core.models.judgment import slugify

    short = ""
    for w in slugify(title).split("-"):
        if len(short) + len(w) + 1 > 30:  # short enough for a table row at 80 columns
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


def _check_submission(repo, department: str, title: str, kind: str | None) -> None:
    known = sorted(repo.context().sets.get("departments") or ())
    if known and department not in known:
        raise UsageError(f"unknown department {department!r}{suggest(department, known)}; known: {', '.join(known)}")
    if kind is not None and kind not in KINDS:
        raise UsageError(f"--kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if not title or not title.strip():
        raise UsageError("--title is empty")


def submit(repo, slug: str, department: str, title: str, *, description: str | None = None,
           kind: str | None = None, by: str | None = None, day: dt.date | None = None,
           dry_run: bool = False) -> tuple[Path, str]:
    from hrcoord.core import records
    from hrcoord.core.fsutil import repo_lock

    repo.network(slug)
    _check_submission(repo, department, title, kind)
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
    """A submission by NETWORK/ID, or by its id (within `slug`, or unique over the networks)."""
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


def _check_move(rec: Record, status: str, meeting: dt.date | None) -> None:
    current = rec.get("status")
    allowed = SUBMISSION_MOVES[status]
    if current == status and meeting is None:
        raise UsageError(f"submission {rec.id!r} is already {status}")
    if current != status and current not in allowed:
        raise UsageError(f"submission {rec.id!r} is {current}; only a {' or '.join(allowed)} one can be {status}")


def set_submission_status(repo, rec: Record, status: str, *, reason: str | None = None,
                          meeting: dt.date | None = None, dry_run: bool = False) -> str:
    """Accept (optionally for a named meeting) or reject (with the reason) a submission."""
    from hrcoord.core import records
    from hrcoord.networks.meetings import meeting_path

    _check_move(rec, status, meeting)
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


# --- following the meetings ------------------------------------------------------------------------
def of_network(repo, slug: str) -> list[Record]:
    return [r for key, r in sorted(repo.records("submission").items()) if key.split("/", 1)[0] == slug]


def agenda_sources(items: list[dict]) -> set[str]:
    """The submission ids an agenda takes up."""
    return {str(i["source"]).split(":", 1)[1] for i in items if str(i.get("source", "")).startswith("submission:")}


def scheduled_for(repo, slug: str, meeting_id: str) -> list[Record]:
    return [s for s in of_network(repo, slug) if s.get("status") == "scheduled" and str(s.get("meeting")) == meeting_id]


def schedule(repo, subs: list[Record], meeting_id: str) -> list[Change]:
    """The submissions an agenda takes up become `scheduled` for the meeting."""
    return [updated(repo, s, {**s.data, "status": "scheduled", "meeting": meeting_id}) for s in subs]


def release(repo, slug: str, meeting_id: str) -> list[Change]:
    """A cancelled meeting's scheduled submissions go back to `accepted` (for no meeting in
    particular), so the next agenda takes them up."""
    out = []
    for s in scheduled_for(repo, slug, meeting_id):
        data = {k: v for k, v in s.data.items() if k != "meeting"}
        out.append(updated(repo, s, {**data, "status": "accepted"}))
    return out


def handle(repo, slug: str, meeting_id: str, items: list[dict]) -> list[Change]:
    """When the meeting is held: what its agenda placed becomes `handled`; an item scheduled for it
    that the agenda no longer holds goes back to `accepted`."""
    placed = agenda_sources(items)
    out = []
    for s in of_network(repo, slug):
        if s.id in placed and s.get("status") in ("accepted", "scheduled"):
            out.append(updated(repo, s, {**s.data, "status": "handled", "meeting": meeting_id}))
    out += [c for c in release(repo, slug, meeting_id) if c.path.stem not in placed]
    return out


def follow(repo, slug: str, old_id: str, new_id: str) -> list[Change]:
    """Submissions that name a moved meeting name its new date."""
    return [updated(repo, s, {**s.data, "meeting": new_id}) for s in of_network(repo, slug)
            if str(s.get("meeting") or "") == old_id]
