"""Several records changed as one step (a meeting and its submissions, a moved meeting and what
names it): every new text is validated before the first file is touched, then each file is
written atomically; `dry_run` writes nothing."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hrcoord.core.models.base import Record


@dataclass
class Change:
    path: Path
    text: str | None  # None: the file is removed (a meeting moved away from its old name)
    new: bool = False  # a file that must not exist yet


def updated(repo, rec: Record, data: dict, body: str | None = None) -> Change:
    """The record with new field values (comments kept), validated."""
    from hrcoord.core import records

    text, _ = records.build(repo, rec.type, rec.source.path, data, rec.body if body is None else body, rec.source)
    return Change(rec.source.path, text)


def created(repo, type_: str, path: Path, data: dict, body: str | None = None, source=None) -> Change:
    """A record under a new name, validated (`source` keeps the comments of the file it replaces)."""
    from hrcoord.core import records

    text, _ = records.build(repo, type_, path, data, body, source)
    return Change(path, text, new=True)


def removed(rec: Record) -> Change:
    return Change(rec.source.path, None)


def commit(changes: list[Change], dry_run: bool = False) -> list[Path]:
    """Write new files first and remove old ones last, so that a failure half-way leaves the
    old record in place rather than none."""
    from hrcoord.core.fsutil import atomic_write

    if not dry_run:
        ordered = [c for c in changes if c.new] + [c for c in changes if not c.new and c.text is not None]
        for c in ordered:
            atomic_write(c.path, c.text, exclusive=c.new)
        for c in changes:
            if c.text is None:
                c.path.unlink()
    return [c.path for c in changes]
