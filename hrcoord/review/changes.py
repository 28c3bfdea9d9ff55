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

from hrcoord.review import history
from hrcoord.core.errors import UsageError
from hrcoord.core import labels
from hrcoord.core.models import MODELS, VOCAB_FILES, model_for
from hrcoord.core.models.base import DATE_RE, date_problem, parse_date
from hrcoord.core.models.kinds import looks_like_date

KINDS = ("new", "changed", "withdrawn", "deleted")
RECORD_TYPES = tuple(t for t in MODELS if t not in {m.type for m in VOCAB_FILES.values()})
WITHDRAWN_FIELDS = ("status", "replaced_by", "reason")
# records named within their network or plan: the key is "<folder>/<id>", as in Repository.records()
KEYED_BY_PARENT = ("meeting", "submission", "measure")

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


# --- reading versions cheaply ---------------------------------------------------------------

_FM_END = re.compile(r"^---[ \t]*$", re.M)
# A top-level key at the start of a line: `key:` followed by a space or the end of the line.
_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*):(?=[ \t]|$)", re.M)
_FAIL = object()


def _decode(raw: bytes) -> str:
    text = raw.decode("utf-8-sig", "replace")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def split(text: str, markdown: bool) -> tuple[str, str | None]:
    """(front matter, body) as the loader splits them; ("", None) when there is no front matter."""
    if not markdown:
        return text, None
    first = _FM_END.match(text)
    if not first:
        return "", None
    closing = _FM_END.search(text, first.end() + 1)
    if not closing:
        return "", None
    return text[first.end() + 1: closing.start()], text[closing.end() + 1:]


def quick_field(text: str, key: str, markdown: bool):
    """A top-level scalar field from its own line, without parsing the whole file; None when it is
    absent or not a one-line scalar."""
    return _quick(split(text, markdown)[0], key)


def _quick(fm: str, key: str):
    m = re.search(rf"^{re.escape(key)}:[ \t]*(.*)$", fm, re.M)
    if not m:
        return None
    value = m.group(1).strip()
    if not value or value[0] in "|>[{&*!":
        return None
    if value[0] in "'\"" or " #" in value or ": " in value:
        from hrcoord.core.loader import load_text

        data = load_text(f"{key}: {value}\n").data
        v = data.get(key) if isinstance(data, dict) else None
        return v if isinstance(v, (str, int, float)) else None
    return value


@dataclass
class Version:
    """One version of a record file. Read lazily: a field from its line, the front matter cut into
    top-level key blocks, a full parse only when the blocks cannot be trusted."""

    text: str
    markdown: bool
    _split: tuple | None = None
    _blocks: object = None
    _parsed: tuple | None = None

    @property
    def front(self) -> str:
        if self._split is None:
            self._split = split(self.text, self.markdown)
        return self._split[0]

    @property
    def body(self) -> str | None:
        self.front
        return self._split[1]

    def field(self, key: str):
        if key + ":" not in self.text:
            return None
        return _quick(self.front, key)

    def has(self, word: str) -> bool:
        return word in self.text

    def blocks(self) -> dict[str, str] | None:
        """Top-level key -> its lines; None when the front matter is not plain block YAML."""
        if self._blocks is None:
            fm = self.front
            starts = [(m.start(), m.group(1)) for m in _KEY_LINE.finditer(fm)]
            out: dict[str, str] | None = {}
            lead = fm[: starts[0][0]] if starts else fm
            if any(ln.strip() and not ln.lstrip().startswith("#") for ln in lead.split("\n")):
                out = None
            else:
                for i, (pos, key) in enumerate(starts):
                    if key in out:
                        out = None  # a duplicate key: let the loader say what it means
                        break
                    out[key] = fm[pos: starts[i + 1][0] if i + 1 < len(starts) else len(fm)]
            self._blocks = out if out is not None else _FAIL
        return None if self._blocks is _FAIL else self._blocks

    def parsed(self) -> tuple[dict | None, str | None]:
        if self._parsed is None:
            from hrcoord.core.loader import load_text

            loaded = load_text(self.text, "<history>", markdown=self.markdown)
            data = loaded.data if isinstance(loaded.data, dict) and not loaded.problems else None
            body = loaded.source.body if loaded.source is not None else None
            self._parsed = (data, body)
        return self._parsed


def _block_values(blocks: dict[str, str], keys: list[str]):
    """The values of some top-level keys, parsed together from their lines (one parse)."""
    import yaml

    from hrcoord.core.loader import Loader, YamlProblem

    present = [k for k in keys if k in blocks]
    if not present:
        return {}
    text = "".join(blocks[k] if blocks[k].endswith("\n") else blocks[k] + "\n" for k in present)
    if "&" in text or "*" in text:  # anchors are refused; let the full load say so
        return _FAIL
    loader = Loader(text)
    try:
        data = loader.get_single_data()
    except (YamlProblem, yaml.YAMLError, RecursionError):
        return _FAIL
    finally:
        loader.dispose()
    if not isinstance(data, dict) or list(data) != present:
        return _FAIL
    return data


def compare(model, old: Version, new: Version) -> tuple[list[str], bool]:
    """The front-matter fields that differ (in the model's order) and whether the text differs.
    Only the key blocks whose lines differ are parsed."""
    from hrcoord.core.models.judgment import normalise_text

    order = {name: i for i, name in enumerate(model.order)}
    ob, nb = old.blocks(), new.blocks()
    if ob is not None and nb is not None:
        text_changed = bool(model.markdown) and normalise_text(old.body) != normalise_text(new.body)
        keys = [k for k in sorted(set(ob) | set(nb), key=lambda k: (order.get(k, len(order)), k))
                if ob.get(k) != nb.get(k)]
        va, vb = _block_values(ob, keys), _block_values(nb, keys)
        if va is not _FAIL and vb is not _FAIL:
            return [k for k in keys if va.get(k) != vb.get(k)], text_changed
        # not plain block YAML: compare the whole files below
    od, obody = old.parsed()
    nd, nbody = new.parsed()
    text_changed = bool(model.markdown) and normalise_text(obody) != normalise_text(nbody)
    if od is None or nd is None:  # a version that does not load: say the front matter changed
        return ([] if old.front.strip() == new.front.strip() else ["front_matter"]), text_changed
    keys = sorted(set(od) | set(nd), key=lambda k: (order.get(k, len(order)), str(k)))
    return [str(k) for k in keys if od.get(k) != nd.get(k)], text_changed


# --- the range ------------------------------------------------------------------------------


def _oslo_midnight(day: dt.date, next_day: bool = False) -> dt.datetime:
    try:
        from zoneinfo import ZoneInfo

        tz = ZoneInfo("Europe/Oslo")
    except Exception:  # noqa: BLE001 — no time-zone database: the machine's own zone
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


def _classify(path: str, types: set[str] | None):
    parts = tuple(path.split("/"))
    if len(parts) < 2 or parts[0] != "data":
        return None
    model = model_for(parts[1:])
    if model is None or model.type not in RECORD_TYPES or (types and model.type not in types):
        return None
    rid = parts[-1].rsplit(".", 1)[0]
    key = f"{parts[-2]}/{rid}" if model.type in KEYED_BY_PARENT else rid
    return model, key


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
    since_date, since_rev = parse_point(since)
    until_date, until_rev = parse_point(until, "--until") if until is not None else (None, None)
    if since_date and until_date and until_date < since_date:
        raise UsageError(f"--until {until_date} is before --since {since_date}")
    paths = ["data/"]

    commits: list[history.Commit] = []
    tip = history.require_commit(repo.root, until_rev, "--until revision") if until_rev else gi.head
    if tip is not None:
        revs = [tip]
        lower = upper = None
        if since_rev is not None:
            start = history.require_commit(repo.root, since_rev, "--since revision")
            revs += [f"^{p}" for p in history.parents(repo.root, start)]
        else:
            lower = _oslo_midnight(since_date)
        if until_date is not None:
            upper = _oslo_midnight(until_date, next_day=True)
        commits = history.log(repo.root, revs, paths, since=lower.isoformat() if lower else None,
                              until=upper.isoformat() if upper else None)
        if lower or upper:  # git's date limits walk by commit order; be exact
            commits = [c for c in commits if (not lower or c.time >= lower) and (not upper or c.time < upper)]
    elif since_rev is not None:
        history.require_commit(repo.root, since_rev, "--since revision")

    events: dict[tuple[str, str], list[_Event]] = {}
    models: dict[tuple[str, str], object] = {}
    for idx, c in enumerate(commits):
        seen: dict[tuple[str, str], _Event] = {}
        for e in c.entries:
            cls = _classify(e.path, wanted)
            if cls is None:
                continue
            model, key = cls
            k = (model.type, key)
            models[k] = model
            prev = seen.get(k)
            if prev is not None:  # moved in this commit (e.g. a new year folder): one change
                if e.new is not None:
                    prev.path, prev.new = e.path, e.new
                else:
                    prev.old = prev.old or e.old
                continue
            ev = _Event(idx, c, e.path, e.old, e.new)
            seen[k] = ev
            events.setdefault(k, []).append(ev)

    if not new:
        events = {k: evs for k, evs in events.items() if any(e.old is not None for e in evs)}
    work: dict[tuple[str, str], _Event] = {}
    include_work = uncommitted and until is None
    status_list = None
    if include_work:
        status_list = history.status(gi, paths)
        for u in status_list:
            cls = _classify(u.path, wanted)
            if cls is None:
                continue
            model, key = cls
            k = (model.type, key)
            models[k] = model
            prev = work.get(k)
            if prev is not None:
                if u.exists:
                    prev.path, prev.new = u.path, "worktree"
                prev.old = prev.old or u.head
                continue
            work[k] = _Event(-1, None, u.path, u.head, "worktree" if u.exists else None)

    # The version a commit left is on disk when it is HEAD's and the file is not changed in the
    # working tree: read it there rather than through git.
    on_disk: dict[str, str] = {}  # blob -> a path whose working-tree file holds exactly it
    if events and tip is not None and tip == gi.head and until is None:
        dirty = {u.path for u in (history.status(gi, paths) if status_list is None else status_list)}
        seen_paths: set[str] = set()
        for c in commits:  # newest first: the first change seen for a path made HEAD's version
            for e in c.entries:
                if e.path in seen_paths:
                    continue
                seen_paths.add(e.path)
                if e.new is not None and e.path not in dirty:
                    on_disk.setdefault(e.new, e.path)
    needed: list[str] = []
    for k, evs in events.items():
        for i, e in enumerate(evs):  # newest first
            if e.old is not None and (e.new is not None or i == 0):
                needed.append(e.old)  # a change (to compare) or the last version before a deletion
            if e.new is not None and (e.old is not None or i == 0):
                needed.append(e.new)
    needed += [e.old for e in work.values()]
    blobs = history.cat_blobs(repo.root, [s for s in needed if s and s not in on_disk])
    versions: dict[str, Version] = {}

    root = str(repo.root)

    def read(path: str, model) -> Version | None:
        cache_key = "worktree:" + path
        if cache_key not in versions:
            try:
                with open(os.path.join(root, path), "rb") as fh:
                    raw = fh.read()
            except OSError:
                return None
            versions[cache_key] = Version(_decode(raw), model.markdown)
        return versions[cache_key]

    def version(ev: _Event, side: str, model) -> Version | None:
        sha = getattr(ev, side)
        if sha is None:
            return None
        if sha == "worktree":
            return read(ev.path, model)
        if sha not in versions:
            raw = blobs.get(sha)
            if raw is None:
                return read(on_disk[sha], model) if sha in on_disk else None
            versions[sha] = Version(_decode(raw), model.markdown)
        return versions[sha]

    lang = repo.language
    out: list[Change] = []
    for k in set(events) | set(work):
        model = models[k]
        type_, key = k
        evs = list(reversed(events.get(k, [])))  # oldest first
        latest = None
        for ev in ([work[k]] if k in work else []) + list(reversed(evs)):
            latest = version(ev, "new", model) or latest
            if latest is not None:
                break
        if latest is None:  # deleted: the last version that existed
            for ev in ([work[k]] if k in work else []) + list(reversed(evs)):
                latest = version(ev, "old", model)
                if latest is not None:
                    break
        title = _title(type_, key, latest, lang)

        def make(kind, ev: _Event, fields=(), text=False, replaced=None, path=None):
            c = ev.commit
            ch = Change(kind, type_, key, path or ev.path, c.time.date() if c else None, c.sha if c else None,
                        list(fields), text, replaced, title, c.time if c else None, c.subject if c else "",
                        order=ev.order)
            if replaced:
                ch.replaced_by_title, ch.replaced_by_path = _replacement(repo, type_, replaced, versions)
            out.append(ch)

        if evs:
            _committed(model, evs, version, make)
        if k in work:
            _working(model, work[k], version, make)
    rank = {"withdrawn": 0, "deleted": 1, "changed": 2, "new": 3}
    out.sort(key=lambda c: (c.order, rank[c.kind], c.path))
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
    kinds = [_kind(model, e, version) for e in evs]
    last = evs[-1]
    if last.new is None:  # gone at the end of the range
        if evs[0].old is not None:
            make("deleted", last, path=last.path)
        return
    starts = [i for i, kd in enumerate(kinds) if kd == "added"]
    start = starts[-1] if starts else -1
    if start >= 0:
        make("new", evs[start])
    rest = list(zip(evs[start + 1:], kinds[start + 1:]))
    withdrawals = [e for e, kd in rest if kd == "withdrawn"]
    if withdrawals:
        final = version(last, "new", model)
        if final is not None and final.field("status") == "withdrawn":
            w = withdrawals[-1]
            new = version(w, "new", model)
            fields, text = compare(model, version(w, "old", model), new)
            make("withdrawn", w, fields, text, new.field("replaced_by"))
    mods = [e for e, kd in rest if kd == "modified"]
    if mods:
        a, b = version(mods[0], "old", model), version(mods[-1], "new", model)
        if a is None or b is None:
            return
        fields, text = compare(model, a, b)
        if withdrawals:
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


def _title(type_: str, key: str, v: Version | None, lang: str) -> str:
    if v is None:
        return key
    if type_ == "meeting":
        from hrcoord.render.dates import long_date

        network, _, day = key.partition("/")
        return f"{LABELS.get(lang, LABELS['nb'])['meeting']} {long_date(v.field('date') or day, lang)} ({network})"
    if type_ == "network":
        return str(v.field(f"name_{lang}") or v.field("name_nb") or key)
    if type_ == "action-plan":
        return str(v.field(f"title_{lang}") or v.field("title_nb") or key)
    title = v.field("title")
    if type_ == "measure":
        number = v.field("number")
        return f"{number}: {title}" if number and title else str(title or number or key)
    return str(title or key)


def _replacement(repo, type_: str, rid: str, versions) -> tuple[str | None, str | None]:
    """Title and path of the record that replaces a withdrawn one, from the working tree."""
    if type_ != "judgment" or not isinstance(rid, str):
        return None, None
    folder = repo.root / "data" / "judgments"
    for path in sorted(folder.glob(f"*/{rid}.md")):
        try:
            text = _decode(path.read_bytes())
        except OSError:
            continue
        rel = repo.rel(path)
        return str(quick_field(text, "title", True) or rid), rel
    return None, None


# --- output ---------------------------------------------------------------------------------


def md_escape(text) -> str:
    return re.sub(r"([\\`*_~\[\]<>|#])", r"\\\1", str(text))


def groups(items: list[Change], lang: str) -> list[tuple[str, list[Change]]]:
    """Items by day, newest first; the uncommitted ones first under their own heading."""
    from hrcoord.render.dates import long_date

    out: list[tuple[str, list[Change]]] = []
    for c in items:
        head = LABELS.get(lang, LABELS["nb"])["uncommitted"] if c.uncommitted else long_date(c.date, lang)
        if out and out[-1][0] == head:
            out[-1][1].append(c)
        else:
            out.append((head, [c]))
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
        return rev[:10] if re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", rev) else rev

    return render_template(repo, f"changes/changes.{fmt}.j2", lang, items=items, groups=groups(items, lang),
                           labels=LABELS.get(lang, LABELS["nb"]), type_labels=TYPE_LABELS.get(lang, TYPE_LABELS["nb"]),
                           since=point(since), until=point(until), md_escape=md_escape,
                           organisation=repo.settings.get("organisation", ""))


__all__ = ["Change", "changes", "render", "LABELS", "KINDS", "RECORD_TYPES", "field_label"]
