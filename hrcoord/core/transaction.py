"""Read-check-write as one transaction under the repository lock (issue 19).

    with transaction(repo) as tx:
        rec = tx.repo.judgment(jid)          # read under the lock (a fresh, validated read)
        tx.update(rec, {**rec.data, ...})    # validated, staged
    # on leaving the block: every staged file is checked against what was read, then all are
    # written (temp files first, renames last); on an exception nothing is written

- A staged record is compared, at commit, with the text it was read from: a file changed by
  another program meanwhile (an editor, a writer that does not take the lock) is refused with
  "changed by another program since it was read; run the command again" — never overwritten.
- Inside a transaction, a Repository opened on the same root reads the staged texts (so a
  command that writes a record and then renders documents from it sees its own writes), and
  `records.write`/`records.update` stage into the transaction instead of writing at once;
  outside one, they run as a transaction of one file.
- Nothing is written inside the repository through a symbolic link (`fsutil.check_inside`).
"""
from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hrcoord.core import fsutil
from hrcoord.core.errors import HrcoordError
from hrcoord.core.loader import Source, decode, read_raw, split_front_matter

if TYPE_CHECKING:
    from hrcoord.core.models.base import Record
    from hrcoord.core.repo import Repository


class _Marker:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


ANY = _Marker("ANY")  # whatever the file holds (documents outside the records, --out files)
ABSENT = _Marker("ABSENT")  # the file must not exist (a new record)


class Conflict(HrcoordError):
    """A file changed between the read and the write (exit 1)."""


@dataclass
class _Write:
    path: Path
    data: Any
    expect: Any  # ANY, ABSENT, bytes (the exact bytes read) or a Source (the text a record was read from)
    exclusive: bool
    durable: bool


_active = threading.local()


def _key(root) -> str:
    return os.path.normcase(os.path.abspath(root))


def active(root) -> Transaction | None:
    """The transaction this thread has open on `root`, if any."""
    found = _active.__dict__.get(_key(root))
    return found if isinstance(found, Transaction) else None


def current() -> Transaction | None:
    """The innermost transaction this thread has open (on any root)."""
    stack = _active.__dict__.get("stack")
    return stack[-1] if stack else None


def overlay_for(root) -> dict[str, str]:
    """Staged record texts by path, for a Repository opened inside a transaction (empty outside)."""
    tx = active(root)
    return tx.overlay if tx is not None else {}


class Transaction:
    def __init__(self, root: Path, dry_run: bool = False):
        self.root = Path(root)
        self.dry_run = dry_run
        self.writes: dict[str, _Write] = {}
        self.removals: dict[str, _Write] = {}  # files to remove once the writes are done
        self.overlay: dict[str, str] = {}
        self._repo: Repository | None = None

    @property
    def repo(self) -> Repository:
        """The repository as read under the lock (validated on use, like every Repository)."""
        if self._repo is None:
            from hrcoord.core.repo import Repository

            self._repo = Repository(self.root)
        return self._repo

    def read(self, type_: str, key: str) -> Record:
        recs = self.repo.records(type_)
        if key not in recs:
            raise HrcoordError(f"no {type_} {key!r}")
        return recs[key]

    # --- staging ----------------------------------------------------------------------------------
    def put(self, path: Path, data, *, expect: Any = ANY, exclusive: bool = False, durable: bool = True) -> None:
        """Stage one file. `expect`: what it must hold at commit (see _Write)."""
        path = Path(os.path.abspath(path))
        if _inside(self.root, path):
            fsutil.check_inside(self.root, path)
        key = str(path)
        earlier = self.writes.get(key)
        if earlier is not None:
            if exclusive:
                raise HrcoordError(f"{path}: already exists; not overwritten")
            earlier.data = data  # written twice: the first read is what the file must still hold
        else:
            self.writes[key] = _Write(path, data, expect, exclusive, durable)
        if isinstance(data, str):
            self.overlay[key] = data

    def remove(self, path: Path, *, expect: Any = ANY) -> None:
        """Stage the removal of a file (a record moved to another name), done after the writes."""
        path = Path(os.path.abspath(path))
        if _inside(self.root, path):
            fsutil.check_inside(self.root, path)
        self.removals[str(path)] = _Write(path, None, expect, False, True)
        self.writes.pop(str(path), None)
        self.overlay.pop(str(path), None)

    def update(self, rec: Record, data: dict, body: str | None = None) -> str:
        """Stage new field values for a record read in (or before) this transaction."""
        from hrcoord.core import records

        text, _ = records.build(self.repo, rec.type, rec.source.path, data,
                                rec.body if body is None else body, rec.source)
        self.put(rec.source.path, text, expect=rec.source)
        return text

    def create(self, type_: str, path: Path, data: dict, body: str | None = None) -> str:
        """Stage a new record (refused at commit when the file appeared meanwhile)."""
        from hrcoord.core import records

        text, _ = records.build(self.repo, type_, Path(path), data, body)
        self.put(path, text, expect=ABSENT, exclusive=True)
        return text

    # --- commit -----------------------------------------------------------------------------------
    def commit(self) -> list[Path]:
        """Check every staged file against what was read, then write them all (or none)."""
        writes, removals = list(self.writes.values()), list(self.removals.values())
        for w in writes + removals:
            _check(self.root, w)
        fsutil.write_many([fsutil.Staged(w.path, w.data, w.exclusive, w.durable) for w in writes])
        for w in removals:  # the new names are in place: the old ones go
            with contextlib.suppress(FileNotFoundError):
                os.unlink(w.path)
        self.writes.clear()
        self.removals.clear()
        self.overlay.clear()
        return [w.path for w in writes + removals]


@contextlib.contextmanager
def transaction(repo_or_root, *, dry_run: bool = False) -> Iterator[Transaction]:
    """Open (or join, when this thread has one open on the same root) a transaction."""
    # (a Path has a `.root` too — the file system's: a repository is told apart by not being a path)
    root = Path(repo_or_root if isinstance(repo_or_root, (str, os.PathLike)) else repo_or_root.root)
    outer = active(root)
    if outer is not None:
        yield outer
        return
    tx = Transaction(root, dry_run)
    key = _key(root)
    stack = _active.__dict__.setdefault("stack", [])
    # a dry run writes nothing, not even the lock file
    with contextlib.nullcontext() if dry_run else fsutil.repo_lock(root):
        _active.__dict__[key] = tx
        stack.append(tx)
        try:
            yield tx
            if not dry_run:
                tx.commit()
        finally:
            stack.pop()
            _active.__dict__.pop(key, None)


def put(root: Path, path: Path, data, *, expect: Any = ANY, exclusive: bool = False, durable: bool = True) -> None:
    """Stage into this thread's transaction on `root`, or write at once as a transaction of one."""
    with transaction(root) as tx:
        tx.put(path, data, expect=expect, exclusive=exclusive, durable=durable)


def _inside(root: Path, path: Path) -> bool:
    try:
        Path(os.path.abspath(path)).relative_to(os.path.abspath(root))
        return True
    except ValueError:
        return False


def _check(root: Path, w: _Write) -> None:
    if w.expect is ANY:
        return
    exists = os.path.lexists(w.path)
    if w.expect is ABSENT:
        if exists:
            raise HrcoordError(f"{w.path}: already exists; not overwritten")
        return
    changed = f"{_shown(root, w.path)}: changed by another program since it was read; run the command again"
    if not exists:
        raise Conflict(changed.replace("changed by", "removed by"))
    try:
        raw, _ = read_raw(w.path)
    except OSError:
        raise Conflict(changed) from None
    if isinstance(w.expect, bytes):
        if raw != w.expect:
            raise Conflict(changed)
    elif isinstance(w.expect, Source) and not same_text(raw, w.expect):
        raise Conflict(changed)


def same_text(raw: bytes | None, src: Source) -> bool:
    """Whether a file's bytes still hold the text a record was read from."""
    if raw is None:
        return False
    text, _ = decode(raw, src.rel)
    if text is None:
        return False
    if src.body is None:
        return text == src.yaml_text
    now, _ = split_front_matter(text, src.path, src.rel)
    return now is not None and (now.head, now.yaml_text, now.body) == (src.head, src.yaml_text, src.body)


def _shown(root: Path, path: Path) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return str(path)
