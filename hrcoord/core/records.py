"""Writing records: validate first, render canonically, write atomically. Every command that
creates or changes a record goes through here.

A write is checked against what was read (`source`: the record must still hold that text; a new
record must not exist yet) under the repository lock, and inside an open transaction
(core/transaction.py) it is staged and written with the transaction's other files."""
from __future__ import annotations

from pathlib import Path

from hrcoord.core.errors import ERROR, DataError, UsageError
from hrcoord.core.fmt import render_record
from hrcoord.core.loader import Source, load_text
from hrcoord.core.models import MODELS
from hrcoord.core.models.base import Record


def build(repo, type_: str, path: Path, data: dict, body: str | None = None,
          source: Source | None = None, *, from_flags: bool = True) -> tuple[str, Record]:
    """The canonical text of a record and the Record it would load as; raises DataError with
    `path:line:col` problems if the new record does not validate (for a new record whose values
    came from flags, a UsageError naming the flags: it has no lines to point at)."""
    model = MODELS[type_]
    text = render_record(model, data, source, body, ctx=repo.context() if type_ == "judgment" else None)
    rel = repo.rel(path)
    loaded = load_text(text, rel, markdown=model.markdown)
    if loaded.problems or loaded.source is None or not isinstance(loaded.data, dict):
        raise DataError(f"{rel}: the record would not load", loaded.problems)
    loaded.source.path = path
    rec = Record(type_, path.name.rsplit(".", 1)[0], loaded.source, loaded.data)
    issues = [i for i in model.validate(rec, repo.context()) if i.severity == ERROR]
    if issues and from_flags and source is None and not Path(path).exists():
        # a record that does not exist yet has no lines to point at: the flags gave the values
        raise UsageError("; ".join(f"{flag_of(i.keypath)}: {i.message} ({i.code})" for i in issues) + "; not written")
    problems = rec.problems(issues)
    if problems:
        raise DataError(f"{rel}: not written; fix the values above", problems)
    return text, rec


# fields whose flag is not --<field> (judgment add takes one --article per article, and so on)
FLAG_OF = {"articles": "--article", "keywords": "--keyword", "departments": "--department",
           "submitted_by": "--by", "hid": "--id"}


def flag_of(keypath: tuple) -> str:
    """The flag that gave the value at `keypath` of a new record: a field's flag, or for an entry
    of a list of mappings (a measure's first log entry) the flag of the entry's field."""
    names = [k for k in keypath if isinstance(k, str)]
    if not names:
        return "the values given"
    name = names[-1] if len(names) > 1 and names[0] in ("log",) else names[0]
    return FLAG_OF.get(name, "--" + name.replace("_", "-"))


def write(repo, type_: str, path: Path, data: dict, body: str | None = None, *, source: Source | None = None,
          exclusive: bool = False, dry_run: bool = False, from_flags: bool = True) -> str:
    """Validate and write one record; returns its text. `exclusive` refuses an existing file."""
    from hrcoord.core import transaction

    text, _ = build(repo, type_, path, data, body, source, from_flags=from_flags)
    if not dry_run:
        expect = source if source is not None else (transaction.ABSENT if exclusive else transaction.ANY)
        transaction.put(repo.root, path, text, expect=expect, exclusive=exclusive)
    return text


def update(repo, rec: Record, data: dict, *, dry_run: bool = False) -> str:
    """Rewrite an existing record with new field values, keeping its body and comments."""
    return write(repo, rec.type, rec.source.path, data, rec.body, source=rec.source, dry_run=dry_run)
