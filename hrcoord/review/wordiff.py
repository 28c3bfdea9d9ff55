"""Word-level review of record changes: `hrcoord diff` and the git `textconv` view.

`word_diff(old, new)` compares two texts word by word (difflib over word and whitespace tokens)
and returns only the changed words with a little context, grouped in hunks, each named by the
summary section (`## Sammendrag` …) it falls in. `record_diffs()` compares records between two
revisions (or a revision and the working tree) with a handful of git processes: the field changes
(old → new, list items added and removed, long texts word by word) and the text's word diff.
Renderers: plain (git's `[-old-]{+new+}`), Markdown for a merge-request comment
(`~~old~~ **new**`), rich Text for a terminal, and JSON.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from hrcoord.core import labels
from hrcoord.core.models.judgment import HEADING_ALIAS, HEADING_RE

TOKEN_RE = re.compile(r"\s+|\w+(?:[-'’.]\w+)*|[^\w\s]", re.U)
CONTEXT = 5  # words of context on each side of a change
LONG_TEXT = 80  # a field value longer than this is compared word by word


def tokens(text: str | None) -> list[str]:
    return TOKEN_RE.findall(text or "")


def _words(toks) -> int:
    return sum(1 for t in toks if not t.isspace())


@dataclass
class Hunk:
    """A run of changes with their context: segments of ('equal'|'delete'|'insert', text)."""

    segments: list[tuple[str, str]] = field(default_factory=list)
    section: str | None = None  # the summary section it falls in
    more_before: bool = False  # context was cut: "…" before
    more_after: bool = False

    def as_dict(self) -> dict:
        return {"section": self.section, "more_before": self.more_before, "more_after": self.more_after,
                "segments": [{"op": op, "text": t} for op, t in self.segments]}

    @property
    def old(self) -> str:
        return "".join(t for op, t in self.segments if op != "insert")

    @property
    def new(self) -> str:
        return "".join(t for op, t in self.segments if op != "delete")


# A sentence or line ends a unit: the first pass of the diff aligns these, the second compares
# words inside the units that differ. Both passes stay small, whatever the length of the text.
_UNIT_END = re.compile(r"[.!?]+[\"»”’)\]]*[ \t]+|\n+")
MAX_WORD_DIFF = 400_000  # len(a) * len(b) above which a changed block is shown whole


def units(text: str) -> list[str]:
    out, start = [], 0
    for m in _UNIT_END.finditer(text):
        out.append(text[start:m.end()])
        start = m.end()
    if start < len(text):
        out.append(text[start:])
    return out


_ITEM_RE = re.compile(r"(?:\w+(?:[-'’.]\w+)*|[^\w\s])\s*", re.U)


def items(text: str) -> list[str]:
    """Words and punctuation marks, each with the whitespace after it (and the text's leading
    whitespace as an item of its own): compared without their whitespace, so the spaces of a
    text neither match by themselves nor make the comparison slow."""
    lead = len(text) - len(text.lstrip())
    out = [text[:lead]] if lead else []
    out += _ITEM_RE.findall(text, lead)
    return out


def _key(item: str) -> str:
    return item.strip() or item


def _word_ops(x: str, y: str) -> list[tuple[str, list[str], list[str]]]:
    a, b = items(x), items(y)
    if not a or not b or len(a) * len(b) > MAX_WORD_DIFF:
        return [("change", a, b)]
    sm = SequenceMatcher(None, [_key(t) for t in a], [_key(t) for t in b], autojunk=False)
    return [("equal" if tag == "equal" else "change", a[i1:i2], b[j1:j2])
            for tag, i1, i2, j1, j2 in sm.get_opcodes()]


def _opcodes(old: str, new: str) -> list[tuple[str, list[str], list[str]]]:
    ua, ub = units(old), units(new)
    out: list[tuple[str, list[str], list[str]]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ua, ub, autojunk=False).get_opcodes():
        if tag == "equal":
            toks = items("".join(ua[i1:i2]))
            out.append(("equal", toks, toks))
        elif tag == "replace" and i2 - i1 == j2 - j1:
            for x, y in zip(ua[i1:i2], ub[j1:j2]):  # sentence by sentence
                out += _word_ops(x, y)
        else:
            out += _word_ops("".join(ua[i1:i2]), "".join(ub[j1:j2]))
    return out


def _segments(old: str, new: str) -> list[list]:
    """[op, old tokens, new tokens, new offset] with op 'equal' or 'change'; a change split only by
    whitespace is one change, so replaced phrases read as phrases."""
    segs: list[list] = []
    pos = 0
    for op, a, b in _opcodes(old, new):
        if segs and segs[-1][0] == op:
            segs[-1][1] = segs[-1][1] + a
            segs[-1][2] = segs[-1][2] + b
        else:
            segs.append([op, list(a), list(b), pos])
        pos += sum(len(t) for t in b)
    merged: list[list] = []
    i = 0
    while i < len(segs):
        s = segs[i]
        if (s[0] == "equal" and merged and merged[-1][0] == "change" and i + 1 < len(segs)
                and segs[i + 1][0] == "change" and all(t.isspace() and "\n" not in t for t in s[1])):
            nxt = segs[i + 1]
            merged[-1][1] = merged[-1][1] + s[1] + nxt[1]
            merged[-1][2] = merged[-1][2] + s[2] + nxt[2]
            i += 2
            continue
        if s[0] == "change" and merged and merged[-1][0] == "change":
            merged[-1][1] += s[1]
            merged[-1][2] += s[2]
        else:
            merged.append(s)
        i += 1
    # a change of whitespace alone within a line is not a change a reader needs to see
    for s in merged:
        if s[0] == "change" and "".join(s[1]).isspace() and "".join(s[2]).isspace() \
                and "".join(s[1]).count("\n") == "".join(s[2]).count("\n"):
            s[0] = "equal"
    return merged


def _tail(toks: list[str], n: int) -> tuple[str, bool]:
    """The last n words of an equal run, not reaching back over a line break."""
    out: list[str] = []
    words = 0
    for t in reversed(toks):
        if "\n" in t:
            return "".join(reversed(out)).lstrip(), False
        if not t.isspace():
            if words == n:
                return "".join(reversed(out)).lstrip(), True
            words += 1
        out.append(t)
    return "".join(reversed(out)), False


def _head(toks: list[str], n: int) -> tuple[str, bool]:
    out: list[str] = []
    words = 0
    for t in toks:
        if "\n" in t:
            if words < n and t.strip():
                out.append(t.split("\n", 1)[0])  # the word before the line break
            return "".join(out).rstrip(), False
        if not t.isspace():
            if words == n:
                return "".join(out).rstrip(), True
            words += 1
        out.append(t)
    return "".join(out), False


def _section_at(headings: list[tuple[int, str]], pos: int) -> str | None:
    name = None
    for start, title in headings:
        if start > pos:
            break
        name = title
    return name


def _headings(text: str) -> list[tuple[int, str]]:
    return [(m.start(), HEADING_ALIAS.get(m.group(1).strip().lower(), m.group(1).strip()))
            for m in HEADING_RE.finditer(text)]


def word_diff(old: str | None, new: str | None, context: int = CONTEXT) -> list[Hunk]:
    """The changed words between two texts, with `context` words around them, as hunks."""
    old, new = old or "", new or ""
    if old == new:
        return []
    segs = _segments(old, new)
    heads = _headings(new) or _headings(old)
    hunks: list[Hunk] = []
    cur: Hunk | None = None
    for i, (op, a, b, pos) in enumerate(segs):
        if op == "change":
            if cur is None:
                cur = Hunk(section=_section_at(heads, pos))
                if i > 0:
                    text, cut = _tail(segs[i - 1][2], context)
                    if text:
                        cur.segments.append(("equal", text))
                    cur.more_before = cut
            ta, tb = "".join(a), "".join(b)
            same = 0  # whitespace both sides end with stays outside the change
            while same < min(len(ta), len(tb)) and ta[-1 - same] == tb[-1 - same] and ta[-1 - same].isspace():
                same += 1
            if ta[:len(ta) - same]:
                cur.segments.append(("delete", ta[:len(ta) - same]))
            if tb[:len(tb) - same]:
                cur.segments.append(("insert", tb[:len(tb) - same]))
            if same:
                cur.segments.append(("equal", tb[len(tb) - same:]))
            continue
        if cur is None:
            continue
        last_run = i == len(segs) - 1
        if not last_run and _words(b) <= 2 * context and not any("\n" in t for t in b):
            cur.segments.append(("equal", "".join(b)))  # a short gap: one hunk
            continue
        text, cut = _head(b, context)
        if text:
            cur.segments.append(("equal", text))
        cur.more_after = cut
        hunks.append(cur)
        cur = None
    if cur is not None:
        hunks.append(cur)
    return hunks


# --- rendering hunks ------------------------------------------------------------------------

_BREAK = re.compile(r"\s*\n\s*")


def _flat(text: str) -> str:
    """Line breaks inside a change shown as ¶, so a hunk stays on one line."""
    return _BREAK.sub(" ¶ ", text)


def _split_ws(text: str) -> tuple[str, str, str]:
    core = text.strip()
    if not core:
        return text, "", ""
    start = text.index(core)
    return text[:start], core, text[start + len(core):]


def plain(hunk: Hunk) -> str:
    """git's plain word-diff style: [-old-]{+new+}."""
    out = ["…" if hunk.more_before else ""]
    for op, text in hunk.segments:
        if op == "equal":
            out.append(_flat(text))
        else:
            lead, core, trail = _split_ws(_flat(text))
            mark = ("[-", "-]") if op == "delete" else ("{+", "+}")
            out.append(f"{lead}{mark[0]}{core or '¶'}{mark[1]}{trail}")
    out.append("…" if hunk.more_after else "")
    return "".join(out).strip()


def md_escape(text: str) -> str:
    """Text shown as it is in a merge-request comment: Markdown, raw HTML and @mentions inert."""
    from hrcoord.render.safe import md_literal

    return md_literal(text)


def markdown(hunk: Hunk) -> str:
    """For a merge-request comment: ~~old~~ **new**, the rest escaped."""
    out = ["…" if hunk.more_before else ""]
    prev = None
    for op, text in hunk.segments:
        if op == "equal":
            out.append(md_escape(_flat(text)))
        else:
            lead, core, trail = _split_ws(_flat(text))
            mark = "~~" if op == "delete" else "**"
            if op == "insert" and prev == "delete" and not lead:
                lead = " "
            out.append(f"{lead}{mark}{md_escape(core) if core else '¶'}{mark}{trail}")
        prev = op
    out.append("…" if hunk.more_after else "")
    return "".join(out).strip()


def rich_text(hunk: Hunk):
    """A rich Text: deleted words red and struck through, inserted words green."""
    from rich.text import Text

    t = Text()
    if hunk.more_before:
        t.append("…", style="dim")
    prev = None
    for op, text in hunk.segments:
        if op == "equal":
            t.append(_flat(text))
        else:
            lead, core, trail = _split_ws(_flat(text))
            if op == "insert" and prev == "delete" and not lead:
                lead = " "
            t.append(lead)
            t.append(core or "¶", style="bold red strike" if op == "delete" else "bold green")
            t.append(trail)
        prev = op
    if hunk.more_after:
        t.append("…", style="dim")
    return t


# --- values -----------------------------------------------------------------------------------


def show(value) -> str:
    """A field value on one line: lists comma-separated, mappings as {key: value}."""
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(show(v) for v in value) if value else "[]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in value.items()) + "}"
    return str(value)


@dataclass
class FieldChange:
    field: str  # dotted for sub-fields: review.date
    old: object = None
    new: object = None
    added: list = field(default_factory=list)  # list items added (for lists)
    removed: list = field(default_factory=list)
    words: list[Hunk] | None = None  # long texts: the word diff

    @property
    def kind(self) -> str:
        if self.words is not None:
            return "words"
        if self.added or self.removed:
            return "list"
        return "value"

    def as_dict(self) -> dict:
        d = {"field": self.field, "old": self.old, "new": self.new}
        if self.kind == "list":
            d["added"], d["removed"] = self.added, self.removed
        if self.words is not None:
            d["words"] = [h.as_dict() for h in self.words]
        return d


def field_changes(old: dict, new: dict, order: list[str] = (), prefix: str = "") -> list[FieldChange]:
    """What differs between two mappings, in the model's key order; sub-mappings by dotted key."""
    rank = {k: i for i, k in enumerate(order)}
    keys = sorted(set(old) | set(new), key=lambda k: (rank.get(k, len(rank)), str(k)))
    out: list[FieldChange] = []
    for k in keys:
        a, b = old.get(k), new.get(k)
        if a == b:
            continue
        name = f"{prefix}{k}"
        if name == "review.parts":
            continue  # derived from the digest; the digest line says it changed
        if isinstance(a, dict) and isinstance(b, dict) or (a is None and isinstance(b, dict)) \
                or (b is None and isinstance(a, dict)):
            out.extend(field_changes(a or {}, b or {}, (), name + "."))
        elif isinstance(a, list) and isinstance(b, list):
            keyed = [json.dumps(x, sort_keys=True, default=str) for x in a]
            keyed_b = [json.dumps(x, sort_keys=True, default=str) for x in b]
            removed = [x for x, kx in zip(a, keyed) if kx not in keyed_b]
            added = [x for x, kx in zip(b, keyed_b) if kx not in keyed]
            fc = FieldChange(name, a, b, added, removed)
            if not added and not removed:  # same items, new order
                fc.added, fc.removed = [], []
            out.append(fc)
        elif isinstance(a, str) and isinstance(b, str) and (max(len(a), len(b)) > LONG_TEXT or "\n" in a + b):
            out.append(FieldChange(name, a, b, words=word_diff(a, b)))
        else:
            out.append(FieldChange(name, a, b))
    return out


# --- records between revisions ----------------------------------------------------------------


@dataclass
class RecordDiff:
    type: str
    id: str  # the key, as in Repository.records()
    path: str
    change: str  # added | modified | deleted
    title: str = ""
    old_path: str | None = None
    fields: list[FieldChange] = field(default_factory=list)
    text: list[Hunk] = field(default_factory=list)
    text_changed: bool = False
    words_old: int = 0
    words_new: int = 0
    review_outdated: list[str] | None = None  # approved/published and changed after the review stamp

    def as_dict(self) -> dict:
        return {"type": self.type, "id": self.id, "path": self.path, "old_path": self.old_path,
                "change": self.change, "title": self.title,
                "fields": [f.as_dict() for f in self.fields],
                "text": {"changed": self.text_changed, "words_old": self.words_old, "words_new": self.words_new,
                         "hunks": [h.as_dict() for h in self.text]},
                "review_outdated": self.review_outdated}


def _classify(path: str):
    from hrcoord.core.models import model_for

    parts = tuple(path.split("/"))
    if len(parts) < 2 or parts[0] != "data":
        return None
    model = model_for(parts[1:])
    if model is None:
        return None
    rid = parts[-1].rsplit(".", 1)[0]
    key = f"{parts[-2]}/{rid}" if model.type in ("meeting", "submission", "measure") else rid
    return model, key


def split_args(repo, args: list[str]) -> tuple[list[str], list[str]]:
    """`[REV [REV]] [ID…]`: leading arguments that name commits (and are not record ids) are
    revisions, the rest record ids. Returns (commit shas, ids)."""
    from hrcoord.review import history

    known: set[str] = set()
    for type_, files in (repo.files().items() if args else ()):
        for path, parts in files:
            rid = path.name.rsplit(".", 1)[0]
            known.add(rid)
            if len(parts) > 1:
                known.add(f"{parts[-2]}/{rid}")
    revs: list[str] = []
    ids: list[str] = []
    for arg in args:
        if not ids and len(revs) < 2 and arg not in known:
            sha = history.resolve(repo.root, arg)
            if sha is not None:
                revs.append(sha)
                continue
        ids.append(arg)
    return revs, ids


def record_diffs(repo, old_rev: str | None = None, new_rev: str | None = None, ids: list[str] | None = None,
                 context: int = CONTEXT) -> list[RecordDiff]:
    """Records that differ between `old_rev` (default HEAD) and `new_rev` (default the working
    tree), limited to `ids` (ids or keys like network/date) when given."""
    from hrcoord.review import history
    from hrcoord.review.changes import _decode, _title, Version
    from hrcoord.core.errors import UsageError

    gi = history.info(repo.root)
    old = old_rev or gi.head or gi.empty_tree
    entries = history.diff(repo.root, old, new_rev, ["data/"])
    if new_rev is None:
        tracked = {e.path for e in entries}
        entries += [history.Entry("A", p, None, "worktree") for p in history.untracked(repo.root, ["data/"])
                    if p not in tracked]
    wanted = set(ids or [])
    found: set[str] = set()
    by_key: dict[tuple[str, str], list] = {}
    for e in entries:
        cls = _classify(e.path)
        if cls is None:
            continue
        model, key = cls
        rid = key.rsplit("/", 1)[-1]
        if wanted:
            hit = {key, rid} & wanted
            if not hit:
                continue
            found |= hit
        slot = by_key.setdefault((model.type, key), [model, None, None, None, None])  # model, old sha, new, path, old path
        if e.old is not None:
            slot[1], slot[4] = e.old, e.path
        if e.new is not None:
            slot[2], slot[3] = e.new, e.path
    missing = wanted - found
    if missing:
        known_now = {p.name.rsplit(".", 1)[0] for files in repo.files().values() for p, _ in files}
        unknown = sorted(m for m in missing if m not in known_now and m.rsplit("/", 1)[-1] not in known_now)
        if unknown:
            from hrcoord.core.models.base import suggest

            raise UsageError(f"no record with id {unknown[0]!r}" + suggest(unknown[0], sorted(known_now)))
    blobs = history.cat_blobs(repo.root, [s for slot in by_key.values() for s in slot[1:3] if s != "worktree"])

    def text_of(sha, path):
        if sha is None:
            return None
        if sha == "worktree":
            try:
                return _decode((repo.root / path).read_bytes())
            except OSError:
                return None
        raw = blobs.get(sha)
        return _decode(raw) if raw is not None else None

    out: list[RecordDiff] = []
    for (type_, key), (model, old_sha, new_sha, path, old_path) in by_key.items():
        a, b = text_of(old_sha, old_path), text_of(new_sha, path)
        if a is None and b is None:
            continue
        change = "added" if a is None else "deleted" if b is None else "modified"
        va = Version(a, model.markdown) if a is not None else None
        vb = Version(b, model.markdown) if b is not None else None
        rd = RecordDiff(type_, key, path or old_path, change, _title(type_, key, vb or va, repo.language),
                        old_path if old_path and old_path != path else None)
        da, ba = va.parsed() if va else ({}, None)
        db, bb = vb.parsed() if vb else ({}, None)
        if (va and da is None) or (vb and db is None):  # a version that does not load: compare lines
            da, db = {"front_matter": a}, {"front_matter": b}
            ba = bb = None
        rd.fields = field_changes(da or {}, db or {}, model.order)
        if model.markdown:
            from hrcoord.core.models.judgment import normalise_text

            ta, tb = normalise_text(ba), normalise_text(bb)
            rd.words_old, rd.words_new = _words(tokens(ta)), _words(tokens(tb))
            rd.text_changed = ta != tb
            if rd.text_changed and change == "modified":
                rd.text = word_diff(ta, tb, context)
        if type_ == "judgment" and db and db.get("status") in ("approved", "published"):
            rd.review_outdated = _review_outdated(db, bb)
        if change == "modified" and not rd.fields and not rd.text_changed:
            continue  # only the layout changed (fmt)
        out.append(rd)
    out.sort(key=lambda r: r.path)
    return out


def _review_outdated(data: dict, body: str | None) -> list[str] | None:
    from hrcoord.core.models.judgment import changed_since_review, digest

    review = data.get("review")
    if not isinstance(review, dict) or not review.get("digest"):
        return ["no review stamp"]
    if review.get("digest") == digest(data, body):
        return None
    return changed_since_review(data, body) or ["summary"]


# --- whole reports --------------------------------------------------------------------------

CHANGE_LABELS = labels.table("diff")

def _field_lines(fc: FieldChange, style: str) -> list[str]:
    """A field change as lines of text ('plain') or Markdown ('md')."""
    name = f"**{md_escape(fc.field)}**" if style == "md" else fc.field
    esc = md_escape if style == "md" else (lambda s: s)
    if fc.kind == "words":
        render = markdown if style == "md" else plain
        return [f"{name}: " + " … ".join(render(h) for h in fc.words)]
    if fc.kind == "list":
        parts = [f"+ {esc(show(x))}" for x in fc.added] + [f"− {esc(show(x))}" for x in fc.removed]
        return [f"{name}: " + "; ".join(parts)]
    return [f"{name}: {esc(show(fc.old))} → {esc(show(fc.new))}"]


def render_plain(diffs: list[RecordDiff]) -> str:
    lines: list[str] = []
    for rd in diffs:
        lines.append(f"{rd.change} {rd.type} {rd.id}: {rd.title}  ({rd.path}"
                     + (f", was {rd.old_path}" if rd.old_path else "") + ")")
        if rd.change == "added":
            lines.append(f"  new record: {len(rd.fields)} fields" + (f", {rd.words_new} words of text" if rd.words_new else ""))
        elif rd.change == "deleted":
            lines.append("  record deleted")
        else:
            for fc in rd.fields:
                lines += ["  " + line for line in _field_lines(fc, "plain")]
            for h in rd.text:
                lines.append(f"  text{' [' + h.section + ']' if h.section else ''}: {plain(h)}")
        if rd.review_outdated:
            lines.append(f"  ! review stamp out of date ({', '.join(rd.review_outdated)}): "
                         f"hrcoord judgment review {rd.id} --by NAME")
        lines.append("")
    return "\n".join(lines)


def render_rich(diffs: list[RecordDiff], console) -> None:
    from rich.text import Text

    for rd in diffs:
        head = Text()
        head.append(rd.change, style={"added": "bold green", "deleted": "bold red"}.get(rd.change, "bold yellow"))
        head.append(f" {rd.type} ", style="dim")
        head.append(rd.id, style="bold")
        head.append(f": {rd.title}  ")
        head.append(f"({rd.path}" + (f", was {rd.old_path}" if rd.old_path else "") + ")", style="dim")
        console.print(head)
        if rd.change == "added":
            console.print(f"  new record: {len(rd.fields)} fields"
                          + (f", {rd.words_new} words of text" if rd.words_new else ""), highlight=False)
        elif rd.change == "deleted":
            console.print("  record deleted", highlight=False)
        else:
            for fc in rd.fields:
                t = Text("  ")
                t.append(fc.field, style="cyan")
                t.append(": ")
                if fc.kind == "words":
                    for i, h in enumerate(fc.words):
                        if i:
                            t.append(" … ", style="dim")
                        t.append_text(rich_text(h))
                elif fc.kind == "list":
                    parts = [(f"+ {show(x)}", "green") for x in fc.added] + [(f"− {show(x)}", "red") for x in fc.removed]
                    for i, (s, st) in enumerate(parts):
                        if i:
                            t.append("; ")
                        t.append(s, style=st)
                else:
                    t.append(show(fc.old), style="red")
                    t.append(" → ")
                    t.append(show(fc.new), style="green")
                console.print(t)
            for h in rd.text:
                t = Text("  ")
                t.append("text" + (f" [{h.section}]" if h.section else ""), style="cyan")
                t.append(": ")
                t.append_text(rich_text(h))
                console.print(t)
        if rd.review_outdated:
            console.print(Text(f"  ! review stamp out of date ({', '.join(rd.review_outdated)}): "
                               f"hrcoord judgment review {rd.id} --by NAME", style="yellow"))
        console.print()


def render_md(diffs: list[RecordDiff], lang: str = "nb") -> str:
    """Ready to paste into a merge-request comment: what the records hold is escaped, so it
    cannot add markup, links or @mentions to the comment."""
    from hrcoord.render.safe import md_code

    L = CHANGE_LABELS.get(lang, CHANGE_LABELS["nb"])
    if not diffs:
        return L["none"] + "\n"
    lines: list[str] = []
    for rd in diffs:
        lines.append(f"### {L[rd.change]}: {md_escape(rd.title)}")
        lines.append("")
        lines.append(md_code(rd.path) + (f" (← {md_code(rd.old_path)})" if rd.old_path else ""))
        lines.append("")
        if rd.change == "modified":
            for fc in rd.fields:
                lines += ["- " + line for line in _field_lines(fc, "md")]
            if rd.fields:
                lines.append("")
            if rd.text:
                lines.append(f"**{L['text']}**")
                lines.append("")
                for h in rd.text:
                    lines.append("- " + (f"*{md_escape(h.section)}*: " if h.section else "") + markdown(h))
                lines.append("")
        elif rd.change == "added":
            for fc in rd.fields:
                if fc.new is not None:
                    lines.append(f"- **{md_escape(fc.field)}**: {md_escape(show(fc.new))}")
            if rd.words_new:
                lines.append(f"- {L['text']}: {rd.words_new} {L['words']}")
            lines.append("")
        if rd.review_outdated:
            lines.append(f"> ⚠ {L['review']} ({md_escape(', '.join(rd.review_outdated))}): "
                         + md_code(f"hrcoord judgment review {rd.id} --by NAME"))
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def render_json(diffs: list[RecordDiff]) -> str:
    return json.dumps([d.as_dict() for d in diffs], ensure_ascii=False, indent=2, default=str) + "\n"


# --- textconv ---------------------------------------------------------------------------------

ABBREVIATIONS = {
    "v", "vs", "nr", "art", "jf", "jfr", "bl.a", "f.eks", "pkt", "s", "kap", "ca", "dvs", "mv", "osv", "e.g",
    "i.e", "no", "para", "paras", "st", "mr", "mrs", "ms", "dr", "prof", "op", "cit", "ibid", "etc", "ref",
    "avd", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "oct", "nov", "des", "dec",
    "ltd", "inc", "co", "cf", "p", "pp", "ff", "evt", "ev", "iht", "mht", "pga", "vedr", "ang", "tlf",
}
_SENTENCE_END = re.compile(r"[.!?][\"»”’)\]]*(?=\s+[\"«“(\[]?[A-ZÆØÅÄÖÜÉ0-9§])")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def sentences(line: str) -> list[str]:
    """A line split after each sentence end, not after abbreviations (art., nr., v.) or initials."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(line):
        if line[m.start()] == ".":
            w = _WORD_BEFORE.search(line, 0, m.start())
            word = w.group(1) if w else ""
            bare = word.rstrip(".").lower()
            if bare in ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or re.fullmatch(r"(\w\.)+\w?", word):
                continue
        out.append(line[start:m.end()].strip())
        start = m.end()
    rest = line[start:].strip()
    if rest or not out:
        out.append(rest)
    return out


def _flatten(key: str, value, lines: list[str]) -> None:
    if key == "review.parts":
        return  # derived from the text and fields; review.digest shows that they changed
    if isinstance(value, dict):
        if not value:
            lines.append(f"{key}: {{}}")
        for k, v in value.items():
            _flatten(f"{key}.{k}", v, lines)
    elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        for i, v in enumerate(value):
            _flatten(f"{key}[{i}]", v, lines)
    elif isinstance(value, list):
        lines.append(f"{key}: {', '.join(show(v) for v in value)}")
    elif isinstance(value, str) and ("\n" in value.strip() or len(sentences(value)) > 1):
        lines.append(f"{key}:")
        for para in value.strip().split("\n"):
            lines += ["  " + s for s in sentences(para) if s]
    else:
        lines.append(f"{key}: {show(value)}")


def body_lines(body: str) -> list[str]:
    """Markdown with one sentence per line; headings, lists, tables and code kept as they are."""
    lines: list[str] = []
    fence = False
    for line in body.split("\n"):
        s = line.strip()
        if s.startswith(("```", "~~~")):
            fence = not fence
            lines.append(line)
            continue
        if fence or not s or s.startswith(("#", "|", ">")) and not s.startswith("> "):
            lines.append(line.rstrip())
            continue
        m = re.match(r"^(\s*(?:[-*+]|\d+[.)]|>)\s+)?", line)
        lead = m.group(0) if m else ""
        parts = sentences(line[len(lead):])
        lines.append(lead + parts[0])
        lines += [" " * len(lead) + p for p in parts[1:]]
    return lines


def textconv(text: str, markdown: bool | None = None) -> str:
    """A record as git should compare it: front-matter fields one per line (sub-fields dotted),
    then the body with one sentence per line. Text that does not load is returned as it is."""
    from hrcoord.core.loader import load_text

    if markdown is None:
        markdown = text.lstrip("\ufeff").startswith("---")
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    loaded = load_text(text, "<textconv>", markdown=markdown)
    if loaded.problems or not isinstance(loaded.data, dict):
        return text
    lines: list[str] = []
    for k, v in loaded.data.items():
        _flatten(str(k), v, lines)
    if markdown:
        lines.append("---")
        lines += body_lines(loaded.source.body or "")
    return "\n".join(lines).rstrip("\n") + "\n"
