"""`hrcoord changes`: "Siste endringer" from the git history (SPEC §3).

Per record, in the range asked for:

- *Ny* (new): the commit that added it;
- *Endret* (changed): the latest commit that changed it, naming the fields that differ between the
  version before the first change in the range and the version after the last one, and whether the
  Markdown text (*tekst*) changed; a change that was undone again is not listed;
- *Opphevet* (withdrawn): the commit in which its status became `withdrawn`, with *Erstattes av*
  (`replaced_by`);
- *Slettet* (deleted): the commit that removed the file of a record that existed before the range.

A record added and then changed in the range is listed twice (*Ny* and *Endret*), so that the list
shows the change too. Changes in the working tree that are not committed yet are listed as such
(no date, no commit), first. Newest first.

`since` is a revision or a date `YYYY-MM-DD`:

- a revision is **inclusive**: `--since REV` lists the changes made *by* REV and every commit after
  it (git's `REV^..HEAD`), so `--since <first commit>` lists the whole history, the first commit's
  additions included. To list only what came after a commit, pass its child or a date.
- a date starts at 00:00 Europe/Oslo that day; `--until DATE` ends at 24:00 that day.

Speed: one `git log --raw -z` for the whole range (the main line: merges compared with their first
parent), one `git cat-file --batch` for every version needed, one `git status` for the working
tree. Versions are only parsed in full where fields must be compared; the status and title are
read from their front-matter line.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field

from hrcoord.core import labels
from hrcoord.core.errors import UsageError
from hrcoord.core.models import MODELS, VOCAB_FILES
from hrcoord.core.models.base import DATE_RE, date_problem, parse_date
from hrcoord.core.models.kinds import looks_like_date
from hrcoord.review import history
from hrcoord.review.versions import Version, classify, compare, decode, quick_field, title_of

KINDS = ("new", "changed", "withdrawn", "deleted")
RECORD_TYPES = tuple(t for t in MODELS if t not in {m.type for m in VOCAB_FILES.values()})
WITHDRAWN_FIELDS = ("status", "replaced_by", "reason")

LABELS = labels.table("changes")
TYPE_LABELS = labels.table("record_types")
FIELD_LABELS = labels.table("fields")

def field_label(name: str, lang: str) -> str:
    if name == "text":
        return LABELS[lang]["text"]
    return FIELD_LABELS[lang].get(name, name.replace("_", " "))


@dataclass
class Change:
    """One line of the list. `date`/`when`/`commit` are None for a change not committed yet."""

    kind: str  # new | changed | withdrawn | deleted
    type: str  # judgment | meeting | measure | ...
    id: str  # the record's key: "<id>", or "<network>/<date>" etc. as in Repository.records()
    path: str  # the file, relative to the repository root
    date: dt.date | None
    commit: str | None
    fields: list[str] = field(default_factory=list)  # changed front-matter fields, canonical order
    text_changed: bool = False  # the Markdown body changed
    replaced_by: str | None = None
    title: str = ""
    when: dt.datetime | None = None  # the commit time with its offset (for feeds)
    subject: str = ""  # the commit message's first line
    replaced_by_title: str | None = None
    replaced_by_path: str | None = None
    order: int = 0  # position in the history, newest first; -1 for uncommitted

    @property
    def rel(self) -> str:
        return self.path

    @property
    def uncommitted(self) -> bool:
        return self.commit is None

    def label(self, lang: str = "nb") -> str:
        return LABELS.get(lang, LABELS["nb"])[self.kind]

    def changed_parts(self, lang: str = "nb") -> list[str]:
        """What changed, for people: the text first ("tekst"), then field names in the language."""
        return ([field_label("text", lang)] if self.text_changed else []) + [field_label(f, lang) for f in self.fields]

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "type": self.type, "id": self.id, "path": self.path,
            "date": self.date.isoformat() if self.date else None,
            "time": self.when.isoformat() if self.when else None,
            "commit": self.commit, "subject": self.subject or None, "uncommitted": self.uncommitted,
            "title": self.title, "fields": self.fields, "text_changed": self.text_changed,
            "replaced_by": self.replaced_by, "replaced_by_title": self.replaced_by_title,
            "replaced_by_path": self.replaced_by_path,
        }


# --- the range ------------------------------------------------------------------------------


def _oslo_midnight(day: dt.date, next_day: bool = False) -> dt.datetime:
    try:
        from zoneinfo import ZoneInfo

        tz = ZoneInfo("Europe/Oslo")
    except Exception:
        tz = None
    d = day + dt.timedelta(days=1) if next_day else day
    moment = dt.datetime(d.year, d.month, d.day)
    return moment.replace(tzinfo=tz) if tz else moment.astimezone()


def parse_point(value, flag: str = "--since") -> tuple[dt.date | None, str | None]:
    """(date, None) for a date `YYYY-MM-DD`, else (None, the revision text)."""
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    text = str(value).strip()
    if not text:
        raise UsageError(f"{flag}: an empty revision or date was given")
    if DATE_RE.match(text) or looks_like_date(text):
        d = parse_date(text)
        if d is None:
            raise UsageError(f"{flag}: not a date: {text!r} ({date_problem(text)})")
        return d, None
    return None, text


@dataclass
class _Event:
    order: int  # index in the log, newest first; -1 for the working tree
    commit: history.Commit | None
    path: str
    old: str | None  # blob sha (or None: absent)
    new: str | None  # blob sha, "worktree", or None (absent)


def _check_types(types) -> set[str] | None:
    if not types:
        return None
    wanted = {types} if isinstance(types, str) else set(types)
    unknown = sorted(wanted - set(RECORD_TYPES))
    if unknown:
        raise UsageError(f"unknown record type {', '.join(unknown)}; known: {', '.join(RECORD_TYPES)}")
    return wanted


def changes(repo, since, until=None, types=None, *, uncommitted: bool = True, new: bool = True) -> list[Change]:
    """The changes to records since a revision (inclusive) or a date, newest first.

    `until`: a revision or date to stop at (then changes not committed are left out); `types`:
    record types to keep (e.g. ["judgment"]); `uncommitted=False` leaves out the working tree;
    `new=False` leaves out records that were only added (their files are then not read at all).
    """
    wanted = _check_types(types)
    gi = history.info(repo.root)
    commits, tip = _commits_in_range(repo, gi, since, until)
    models: dict[tuple[str, str], object] = {}
    events = _committed_events(commits, wanted, models)
    if not new:
        events = {k: evs for k, evs in events.items() if any(e.old is not None for e in evs)}
    status_list = history.status(gi, PATHS) if uncommitted and until is None else None
    work = _working_events(status_list or [], wanted, models)
    at_head = bool(events) and tip is not None and tip == gi.head and until is None
    reader = _reader(repo, gi, commits, (events, work), status_list, at_head)
    out: list[Change] = []
    for k in set(events) | set(work):
        out += _changes_of(repo, k, models[k], list(reversed(events.get(k, []))), work.get(k), reader)
    rank = {"withdrawn": 0, "deleted": 1, "changed": 2, "new": 3}
    out.sort(key=lambda c: (c.order, rank[c.kind], c.path))
    return out


PATHS = ["data/"]


def _reader(repo, gi, commits, sides: tuple[dict, dict], status_list, at_head: bool) -> _Reader:
    """What reads the versions to compare (`sides`: the committed and the working-tree events):
    when the range ends at HEAD, a working-tree file that holds exactly the version; else git,
    all the blobs needed in one batch."""
    on_disk: dict[str, str] = {}
    if at_head:
        on_disk = _on_disk(commits, status_list if status_list is not None else history.status(gi, PATHS))
    needed = [s for s in _needed_blobs(*sides) if s not in on_disk]
    return _Reader(str(repo.root), history.cat_blobs(repo.root, needed), on_disk)


def _range_ends(repo, gi, since, until) -> tuple:
    """(since date, until date, tip, start) of the range: each end is a day or a revision (a
    --since revision's commit is `start`; the tip is --until's commit, else HEAD)."""
    since_date, since_rev = parse_point(since)
    until_date, until_rev = parse_point(until, "--until") if until is not None else (None, None)
    if since_date and until_date and until_date < since_date:
        raise UsageError(f"--until {until_date} is before --since {since_date}")
    tip = history.require_commit(repo.root, until_rev, "--until revision") if until_rev else gi.head
    start = history.require_commit(repo.root, since_rev, "--since revision") if since_rev else None
    return since_date, until_date, tip, start


def _commits_in_range(repo, gi, since, until) -> tuple[list, str | None]:
    """The commits that touch data/ in the range, newest first (the main line), and its tip."""
    since_date, until_date, tip, start = _range_ends(repo, gi, since, until)
    if tip is None:
        return [], None
    revs = [tip] + ([f"^{p}" for p in history.parents(repo.root, start)] if start else [])
    lower, upper = _date_bounds(None if start else since_date, until_date)
    commits = history.log(repo.root, revs, PATHS, since=lower.isoformat() if lower else None,
                          until=upper.isoformat() if upper else None)
    # git's date limits walk by commit order; be exact
    return [c for c in commits if (not lower or c.time >= lower) and (not upper or c.time < upper)], tip


def _date_bounds(since: dt.date | None, until: dt.date | None) -> tuple:
    """From 00:00 Europe/Oslo on `since` to 24:00 on `until` (None: open)."""
    return (_oslo_midnight(since) if since is not None else None,
            _oslo_midnight(until, next_day=True) if until is not None else None)


def _committed_events(commits, wanted, models: dict) -> dict[tuple[str, str], list[_Event]]:
    """Per record (type, key), what each commit did to it, newest first; a record moved within
    one commit (e.g. to another year folder) is one event."""
    events: dict[tuple[str, str], list[_Event]] = {}
    for idx, c in enumerate(commits):
        seen: dict[tuple[str, str], _Event] = {}
        for e in c.entries:
            cls = classify(e.path, wanted, records_only=True)
            if cls is None:
                continue
            k = (cls[0].type, cls[1])
            models[k] = cls[0]
            prev = seen.get(k)
            if prev is None:
                seen[k] = _Event(idx, c, e.path, e.old, e.new)
                events.setdefault(k, []).append(seen[k])
            elif e.new is not None:
                prev.path, prev.new = e.path, e.new
            else:
                prev.old = prev.old or e.old
    return events


def _working_events(status_list, wanted, models: dict) -> dict[tuple[str, str], _Event]:
    """Per record, how the working tree differs from HEAD."""
    work: dict[tuple[str, str], _Event] = {}
    for u in status_list:
        cls = classify(u.path, wanted, records_only=True)
        if cls is None:
            continue
        k = (cls[0].type, cls[1])
        models[k] = cls[0]
        prev = work.get(k)
        if prev is None:
            work[k] = _Event(-1, None, u.path, u.head, "worktree" if u.exists else None)
            continue
        if u.exists:
            prev.path, prev.new = u.path, "worktree"
        prev.old = prev.old or u.head
    return work


def _on_disk(commits, status_list) -> dict[str, str]:
    """Blob -> a path whose working-tree file holds exactly that version (HEAD's version of a
    file not changed since): read there rather than through git."""
    dirty = {u.path for u in status_list}
    on_disk: dict[str, str] = {}
    seen_paths: set[str] = set()
    for c in commits:  # newest first: the first change seen for a path made HEAD's version
        for e in c.entries:
            if e.path not in seen_paths:
                seen_paths.add(e.path)
                if e.new is not None and e.path not in dirty:
                    on_disk.setdefault(e.new, e.path)
    return on_disk


def _needed_blobs(events: dict, work: dict) -> list[str]:
    """The versions to read: both sides of a change, the last version before a deletion."""
    needed: list[str] = []
    for evs in events.values():
        for i, e in enumerate(evs):  # newest first
            if e.old is not None and (e.new is not None or i == 0):
                needed.append(e.old)
            if e.new is not None and (e.old is not None or i == 0):
                needed.append(e.new)
    needed += [e.old for e in work.values() if e.old]
    return needed


class _Reader:
    """Versions by event side, each read once: from git's blobs, or the working tree."""

    def __init__(self, root: str, blobs: dict, on_disk: dict[str, str]):
        self.root, self.blobs, self.on_disk = root, blobs, on_disk
        self.versions: dict[str, Version] = {}

    def file(self, path: str, model) -> Version | None:
        key = "worktree:" + path
        if key not in self.versions:
            try:
                with open(os.path.join(self.root, path), "rb") as fh:
                    raw = fh.read()
            except OSError:
                return None
            self.versions[key] = Version(decode(raw), model.markdown)
        return self.versions[key]

    def __call__(self, ev: _Event, side: str, model) -> Version | None:
        sha = getattr(ev, side)
        if sha is None:
            return None
        if sha == "worktree":
            return self.file(ev.path, model)
        if sha not in self.versions:
            raw = self.blobs.get(sha)
            if raw is None:
                return self.file(self.on_disk[sha], model) if sha in self.on_disk else None
            self.versions[sha] = Version(decode(raw), model.markdown)
        return self.versions[sha]


def _latest(evs: list[_Event], work: _Event | None, version, model) -> Version | None:
    """The record as it is now, or (deleted) the last version that existed: for its title."""
    order = ([work] if work is not None else []) + list(reversed(evs))
    for side in ("new", "old"):
        for ev in order:
            found = version(ev, side, model)
            if found is not None:
                return found
    return None


def _changes_of(repo, k: tuple[str, str], model, evs: list[_Event], work: _Event | None,
                version: _Reader) -> list[Change]:
    """The list's lines for one record: its committed history (oldest first) and the working tree."""
    type_, key = k
    title = title_of(type_, key, _latest(evs, work, version, model), repo.language)
    out: list[Change] = []

    def make(kind, ev: _Event, fields=(), text=False, replaced=None, path=None):
        c = ev.commit
        ch = Change(kind, type_, key, path or ev.path, c.time.date() if c else None, c.sha if c else None,
                    list(fields), text, replaced, title, c.time if c else None, c.subject if c else "",
                    order=ev.order)
        if replaced:
            ch.replaced_by_title, ch.replaced_by_path = _replacement(repo, type_, replaced)
        out.append(ch)

    if evs:
        _committed(model, evs, version, make)
    if work is not None:
        _working(model, work, version, make)
    return out


def _kind(model, ev: _Event, version) -> str:
    """added / deleted / withdrawn / modified; content is read only for a judgment's status."""
    if ev.old is None:
        return "added"
    if ev.new is None:
        return "deleted"
    if model.type == "judgment":
        new = version(ev, "new", model)
        if new is not None and new.has("withdrawn") and new.field("status") == "withdrawn":
            old = version(ev, "old", model)
            if old is None or old.field("status") != "withdrawn":
                return "withdrawn"
    return "modified"


def _committed(model, evs: list[_Event], version, make) -> None:
    """A record's committed history in the range (oldest first) as its lines: deleted; or new
    (the last time it was added), withdrawn (still withdrawn at the end) and changed (the fields
    that differ between before the first change and after the last)."""
    kinds = [_kind(model, e, version) for e in evs]
    last = evs[-1]
    if last.new is None:  # gone at the end of the range
        if evs[0].old is not None:
            make("deleted", last, path=last.path)
        return
    start = max((i for i, kd in enumerate(kinds) if kd == "added"), default=-1)
    if start >= 0:
        make("new", evs[start])
    rest = list(zip(evs[start + 1:], kinds[start + 1:], strict=True))
    withdrawals = [e for e, kd in rest if kd == "withdrawn"]
    if withdrawals:
        _withdrawn(model, withdrawals[-1], last, version, make)
    mods = [e for e, kd in rest if kd == "modified"]
    if mods:
        _changed(model, mods, bool(withdrawals), version, make)


def _withdrawn(model, w: _Event, last: _Event, version, make) -> None:
    """The withdrawal, when the record is still withdrawn at the end of the range."""
    final = version(last, "new", model)
    if final is None or final.field("status") != "withdrawn":
        return
    new = version(w, "new", model)
    fields, text = compare(model, version(w, "old", model), new)
    make("withdrawn", w, fields, text, new.field("replaced_by"))


def _changed(model, mods: list[_Event], withdrawn: bool, version, make) -> None:
    a, b = version(mods[0], "old", model), version(mods[-1], "new", model)
    if a is None or b is None:
        return
    fields, text = compare(model, a, b)
    if withdrawn:  # the withdrawal's own fields are said by its line
        fields = [f for f in fields if f not in WITHDRAWN_FIELDS]
    if fields or text:
        make("changed", mods[-1], fields, text)


def _working(model, ev: _Event, version, make) -> None:
    old, new = version(ev, "old", model), version(ev, "new", model)
    kind = _kind(model, ev, version)
    if kind == "added":
        if new is not None:
            make("new", ev)
    elif kind == "deleted":
        make("deleted", ev)
    else:
        fields, text = compare(model, old, new)
        if kind == "withdrawn":
            make("withdrawn", ev, fields, text, new.field("replaced_by"))
        elif fields or text:
            make("changed", ev, fields, text)


def _replacement(repo, type_: str, rid: str) -> tuple[str | None, str | None]:
    """Title and path of the record that replaces a withdrawn one, from the working tree."""
    if type_ != "judgment" or not isinstance(rid, str):
        return None, None
    folder = repo.root / "data" / "judgments"
    for path in sorted(folder.glob(f"*/{rid}.md")):
        try:
            text = decode(path.read_bytes())
        except OSError:
            continue
        rel = repo.rel(path)
        return str(quick_field(text, "title", True) or rid), rel
    return None, None


# --- output ---------------------------------------------------------------------------------


def md_escape(text) -> str:
    """Text shown as it is in the Markdown list: Markdown, raw HTML and @mentions inert."""
    from hrcoord.render.safe import md_literal

    return md_literal(text)


@dataclass
class Group:
    """The changes one commit made (or those not committed yet), under one heading."""

    heading: str  # the day, or "Ikke innsjekket" for the working tree
    subject: str  # the commit message's first line ("" for the working tree)
    commit: str | None
    changes: list[Change]

    def __iter__(self):  # `for head, entries in groups` in repository templates of earlier versions
        return iter((self.heading, self.changes))


def groups(items: list[Change], lang: str) -> list[Group]:
    """Items by commit, newest first (a commit's changes stay together even when several commits
    share a day); the uncommitted ones first under their own heading."""
    from hrcoord.render.dates import long_date

    out: list[Group] = []
    for c in items:
        if out and out[-1].commit == c.commit:
            out[-1].changes.append(c)
            continue
        head = LABELS[lang]["uncommitted"] if c.uncommitted else long_date(c.date, lang)
        out.append(Group(head, c.subject, c.commit, [c]))
    return out


def render(repo, items: list[Change], fmt: str = "md", lang: str | None = None, *, since=None, until=None) -> str:
    """The list as Markdown, HTML or JSON."""
    lang = lang or repo.language
    if fmt == "json":
        import json

        return json.dumps([c.as_dict() for c in items], ensure_ascii=False, indent=2) + "\n"
    if fmt not in ("md", "html"):
        raise UsageError(f"--format must be md, html or json, not {fmt!r}")
    from hrcoord.render.dates import long_date
    from hrcoord.render.env import render as render_template

    def point(value):
        if value is None:
            return None
        d, rev = parse_point(value)
        if d:
            return long_date(d, lang)
        rev = str(rev)
        return rev[:10] if re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", rev) else rev

    return render_template(repo, f"changes/changes.{fmt}.j2", lang, items=items, groups=groups(items, lang),
                           labels=LABELS.get(lang, LABELS["nb"]), type_labels=TYPE_LABELS.get(lang, TYPE_LABELS["nb"]),
                           since=point(since), until=point(until), md_escape=md_escape,
                           organisation=repo.settings.get("organisation", ""))


__all__ = ["KINDS", "LABELS", "RECORD_TYPES", "Change", "changes", "field_label", "render"]
