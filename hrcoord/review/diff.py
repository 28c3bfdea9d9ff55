"""`hrcoord diff`: records that differ between two revisions (or a revision and the working tree),
found with a handful of git processes: per record its field changes (old → new, list items added
and removed, long texts word by word) and the word diff of its text (review/wordiff.py), and
whether an approved summary changed after its review stamp."""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from hrcoord.review.wordiff import CONTEXT, Hunk, _words, tokens, word_diff

LONG_TEXT = 80  # a field value longer than this is compared word by word


@dataclass
class FieldChange:
    field: str  # dotted for sub-fields: review.date
    old: object = None
    new: object = None
    added: list = dataclasses.field(default_factory=list)  # list items added (for lists)
    removed: list = dataclasses.field(default_factory=list)
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


def field_changes(old: dict, new: dict, order: tuple | list = (), prefix: str = "") -> list[FieldChange]:
    """What differs between two mappings, in the model's key order; sub-mappings by dotted key."""
    rank = {k: i for i, k in enumerate(order)}
    keys = sorted(set(old) | set(new), key=lambda k: (rank.get(k, len(rank)), str(k)))
    out: list[FieldChange] = []
    for k in keys:
        a, b = old.get(k), new.get(k)
        name = f"{prefix}{k}"
        if a == b or name == "review.parts":  # (the parts follow the digest, whose line says it changed)
            continue
        if isinstance(a, dict | None) and isinstance(b, dict | None):
            out.extend(field_changes(a or {}, b or {}, (), name + "."))
        else:
            out.append(_value_change(name, a, b))
    return out


def _value_change(name: str, a, b) -> FieldChange:
    """Lists by the items added and removed; long texts word by word; anything else old → new."""
    if isinstance(a, list) and isinstance(b, list):
        keyed_a = [json.dumps(x, sort_keys=True, default=str) for x in a]
        keyed_b = [json.dumps(x, sort_keys=True, default=str) for x in b]
        removed = [x for x, kx in zip(a, keyed_a, strict=True) if kx not in keyed_b]
        added = [x for x, kx in zip(b, keyed_b, strict=True) if kx not in keyed_a]
        return FieldChange(name, a, b, added, removed)  # neither: the same items in a new order
    if isinstance(a, str) and isinstance(b, str) and (max(len(a), len(b)) > LONG_TEXT or "\n" in a + b):
        return FieldChange(name, a, b, words=word_diff(a, b))
    return FieldChange(name, a, b)


@dataclass
class RecordDiff:
    type: str
    id: str  # the key, as in Repository.records()
    path: str
    change: str  # added | modified | deleted
    title: str = ""
    old_path: str | None = None
    fields: list[FieldChange] = dataclasses.field(default_factory=list)
    text: list[Hunk] = dataclasses.field(default_factory=list)
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


def split_args(repo, args: list[str]) -> tuple[list[str], list[str]]:
    """`[REV [REV]] [ID…]`: leading arguments that name commits (and are not record ids) are
    revisions, the rest record ids. Returns (commit shas, ids)."""
    from hrcoord.review import history

    known: set[str] = set()
    for files in (repo.files().values() if args else ()):
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

    gi = history.info(repo.root)
    entries = history.diff(repo.root, old_rev or gi.head or gi.empty_tree, new_rev, ["data/"])
    if new_rev is None:
        tracked = {e.path for e in entries}
        entries += [history.Entry("A", p, None, "worktree") for p in history.untracked(repo.root, ["data/"])
                    if p not in tracked]
    slots, found = _slots(entries, set(ids or []))
    _refuse_unknown(repo, set(ids or []) - found)
    blobs = history.cat_blobs(repo.root, [s for slot in slots.values() for s in (slot.old, slot.new)
                                          if s and s != "worktree"])
    out = [rd for k, slot in slots.items() if (rd := _record_diff(repo, k, slot, blobs, context)) is not None]
    return sorted(out, key=lambda r: r.path)


@dataclass
class _Slot:
    """One record's two sides: the blob (or "worktree") and path of each."""

    model: Any  # core.models.base.Model
    old: str | None = None
    new: str | None = None
    path: str | None = None
    old_path: str | None = None


def _slots(entries, wanted: set[str]) -> tuple[dict[tuple[str, str], _Slot], set[str]]:
    """Per record (type, key), its sides; and which of the wanted ids were found."""
    from hrcoord.review.versions import classify

    found: set[str] = set()
    slots: dict[tuple[str, str], _Slot] = {}
    for e in entries:
        cls = classify(e.path)
        if cls is None:
            continue
        model, key = cls
        hit = {key, key.rsplit("/", 1)[-1]} & wanted
        if wanted and not hit:
            continue
        found |= hit
        slot = slots.setdefault((model.type, key), _Slot(model))
        if e.old is not None:
            slot.old, slot.old_path = e.old, e.path
        if e.new is not None:
            slot.new, slot.path = e.new, e.path
    return slots, found


def _refuse_unknown(repo, missing: set[str]) -> None:
    """An id asked for that names no record, now or in the revisions compared, is a usage error."""
    from hrcoord.core.errors import UsageError
    from hrcoord.core.models.base import suggest

    known = {p.name.rsplit(".", 1)[0] for files in repo.files().values() for p, _ in files}
    unknown = sorted(m for m in missing if m not in known and m.rsplit("/", 1)[-1] not in known)
    if unknown:
        raise UsageError(f"no record with id {unknown[0]!r}" + suggest(unknown[0], sorted(known)))


def _text_of(repo, blobs: dict, sha: str | None, path: str | None) -> str | None:
    from hrcoord.review.versions import decode

    if sha is None:
        return None
    if sha == "worktree":
        try:
            return decode((repo.root / str(path)).read_bytes())
        except OSError:
            return None
    raw = blobs.get(sha)
    return decode(raw) if raw is not None else None


def _record_diff(repo, k: tuple[str, str], slot: _Slot, blobs: dict, context: int) -> RecordDiff | None:
    """One record's diff; None when only its layout changed (fmt) or neither side can be read."""
    model = slot.model
    a, b = _text_of(repo, blobs, slot.old, slot.old_path), _text_of(repo, blobs, slot.new, slot.path)
    if a is None and b is None:
        return None
    rd, (da, ba), (db, bb) = _compared(repo, k, slot, a, b)
    rd.fields = field_changes(da or {}, db or {}, model.order)
    if model.markdown:
        _text_diff(rd, ba, bb, context)
    if rd.type == "judgment" and db and db.get("status") in ("approved", "published"):
        rd.review_outdated = _review_outdated(db, bb)
    return None if rd.change == "modified" and not rd.fields and not rd.text_changed else rd


def _compared(repo, k: tuple[str, str], slot: _Slot, a: str | None, b: str | None) -> tuple[RecordDiff, tuple, tuple]:
    """The diff's head (the change, the path, the title, where the file moved from) and the
    (data, body) of each side."""
    from hrcoord.review.versions import Version, title_of

    type_, key = k
    change = "added" if a is None else "deleted" if b is None else "modified"
    va = Version(a, slot.model.markdown) if a is not None else None
    vb = Version(b, slot.model.markdown) if b is not None else None
    rd = RecordDiff(type_, key, slot.path or str(slot.old_path), change,
                    title_of(type_, key, vb or va, repo.language), _moved_from(slot))
    return rd, *_sides(va, vb, a, b)


def _moved_from(slot: _Slot) -> str | None:
    """The old path of a record whose file moved (a date correction moves it to another year)."""
    return slot.old_path if slot.old_path and slot.old_path != slot.path else None


def _sides(va, vb, a: str | None, b: str | None) -> tuple[tuple, tuple]:
    """(data, body) of each side; when a side does not load, the front matters compared as text."""
    da, ba = va.parsed() if va else ({}, None)
    db, bb = vb.parsed() if vb else ({}, None)
    if (va and da is None) or (vb and db is None):
        return ({"front_matter": a}, None), ({"front_matter": b}, None)
    return (da, ba), (db, bb)


def _text_diff(rd: RecordDiff, old_body: str | None, new_body: str | None, context: int) -> None:
    from hrcoord.core.models.judgment import normalise_text

    ta, tb = normalise_text(old_body), normalise_text(new_body)
    rd.words_old, rd.words_new = _words(tokens(ta)), _words(tokens(tb))
    rd.text_changed = ta != tb
    if rd.text_changed and rd.change == "modified":
        rd.text = word_diff(ta, tb, context)


def _review_outdated(data: dict, body: str | None) -> list[str] | None:
    from hrcoord.core.models.judgment import changed_since_review, digest

    review = data.get("review")
    if not isinstance(review, dict) or not review.get("digest"):
        return ["no review stamp"]
    if review.get("digest") == digest(data, body):
        return None
    return changed_since_review(data, body) or ["summary"]


# --- whole reports --------------------------------------------------------------------------
