"""Several records changed as one step (a meeting and its submissions, a moved meeting and what
names it): every new text is validated before the first file is touched, then all are written in
one transaction (core/transaction.py): each file only if it still holds what it was read from,
all or none; `dry_run` writes nothing."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hrcoord.core.models.base import Record


@dataclass
class Change:
    path: Path
    text: str | None  # None: the file is removed (a meeting moved away from its old name)
    new: bool = False  # a file that must not exist yet
    source: object = None  # the text the file was read from (what it must still hold at the write)


def updated(repo, rec: Record, data: dict, body: str | None = None) -> Change:
    """The record with new field values (comments kept), validated."""
    from hrcoord.core import records

    text, _ = records.build(repo, rec.type, rec.source.path, data, rec.body if body is None else body, rec.source)
    return Change(rec.source.path, text, source=rec.source)


def created(repo, type_: str, path: Path, data: dict, body: str | None = None, source=None) -> Change:
    """A record under a new name, validated (`source` keeps the comments of the file it replaces)."""
    from hrcoord.core import records

    text, _ = records.build(repo, type_, path, data, body, source)
    return Change(path, text, new=True)


def removed(rec: Record) -> Change:
    return Change(rec.source.path, None, source=rec.source)


def commit(changes: list[Change], dry_run: bool = False) -> list[Path]:
    """Write new files and changed ones in one transaction, each only if it still holds what it was
    read from, then remove the old names (a failure half-way leaves the old record in place
    rather than none)."""
    from hrcoord.core.transaction import ABSENT, transaction

    if dry_run or not changes:
        return [c.path for c in changes]
    root = _root_of(changes[0].path)
    with transaction(root) as tx:  # (joins the command's transaction when one is open)
        for c in _writes(changes):
            tx.put(c.path, c.text, expect=ABSENT if c.new else (c.source or ABSENT), exclusive=c.new)
        for c in changes:
            if c.text is None:
                tx.remove(c.path, expect=c.source or ABSENT)
    return [c.path for c in changes]


def _writes(changes: list[Change]) -> list[Change]:
    """The changes that write a file: the new files first, then the changed ones."""
    return [c for c in changes if c.new] + [c for c in changes if not c.new and c.text is not None]


def _root_of(path: Path) -> Path:
    """The repository a record file belongs to: the folder above its data/."""
    path = Path(path).absolute()
    for parent in path.parents:
        if parent.name == "data":
            return parent.parent
    raise ValueError(f"{path} is not a record file")
