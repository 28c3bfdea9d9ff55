"""Caches in the repository's git-ignored `.hrcoord/cache` (SPEC §6).

- The validation cache: an entry per file with its stat signature, its problems and its facts
  (for the cross-record checks), valid for one fingerprint: the tool's build (`code_version`), the
  day (future-date checks), the settings and vocabulary files, and the network and plan ids that
  field checks use. Beside it, the last run's outcome under a hash of every file's signature: when
  nothing changed, that is the answer, and the entries are not even read.
- The record cache: the parsed data of each record file under its stat signature, so that
  reports and publish on a large repository do not parse unchanged files again.

Caches are plain data (MessagePack, through msgspec: as fast to read as pickle, and unlike pickle
it can only ever yield data): a cache file that arrives with a cloned repository cannot run code,
and one that does not parse, or is of another version, is ignored. Entries are keyed on stat
signatures (inode and change time included), which a copied file never has.
"""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Any

from hrcoord import __version__

FORMAT = 4
NAME = "validate.msgpack"
LAST = "validate-last.msgpack"


def signature(path) -> list:
    return signature_of(os.stat(path))


def signatures(paths: list[str]) -> list[list | None]:
    """signature() of each path, None where it cannot be read: one loop (the guard of every
    command takes these for every record file)."""
    out: list[list | None] = []
    for path in paths:
        try:
            out.append(signature_of(os.stat(path)))
        except OSError:
            out.append(None)
    return out


def signature_of(st: os.stat_result) -> list:
    """What says a file is unchanged: its times, size and inode (a list: what a cache gives back)."""
    return [st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino]


_CODE: str | None = None


def code_version() -> str:
    """The tool's version and a signature of its own source files: results cached by one build
    of hrcoord are never trusted by another, even when an in-place upgrade (an editable install,
    a `git pull`) keeps the version number."""
    global _CODE
    if _CODE is None:
        package = Path(__file__).resolve().parent.parent  # the whole hrcoord package
        h = hashlib.sha256(f"{__version__}|{sys.version}".encode())  # (marshal's format is Python's)
        for folder, _, names in sorted(os.walk(package)):
            for name in sorted(names):
                if name.endswith((".py", ".yaml", ".j2")):
                    st = os.stat(os.path.join(folder, name))
                    h.update(f"{name}|{st.st_mtime_ns}|{st.st_size}|".encode())
        _CODE = f"{__version__}+{h.hexdigest()[:16]}"
    return _CODE


def user_folder() -> Path:
    """The user's own cache folder for hrcoord (outside any repository): compiled templates and
    internal-error logs. %LOCALAPPDATA% on Windows, ~/Library/Caches on macOS, $XDG_CACHE_HOME or
    ~/.cache elsewhere."""
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "hrcoord" / "Cache"
    if sys.platform == "darwin" and not os.environ.get("XDG_CACHE_HOME"):
        return Path.home() / "Library" / "Caches" / "hrcoord"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hrcoord"


def set_read_only(flag: bool) -> None:
    """While set (a --dry-run), caches are read but never written: a dry run writes nothing."""
    from hrcoord.core.fsutil import set_dry_run

    set_dry_run(flag)


def is_read_only() -> bool:
    from hrcoord.core.fsutil import is_dry_run

    return is_dry_run()


def read(path: Path, type: Any = Any) -> Any:
    """The cached data (decoded as `type` where given), or None when missing or unreadable, or
    when the cache folder is a symbolic link (a cloned repository's: never read)."""
    import msgspec

    from hrcoord.core.fsutil import private_dir, read_nofollow

    path = Path(path)
    if path.parent.name == "cache" and private_dir(path.parent.parent.parent, "cache", create=False) is None:
        return None
    try:
        return msgspec.msgpack.decode(read_nofollow(path), type=type)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError, ValueError, TypeError, RecursionError):
        return None  # a cache never stops a command


def write(root: Path, name: str, obj: Any) -> None:
    """Best effort: a read-only repository simply has no cache, nor one whose `.hrcoord` or
    `.hrcoord/cache` is a symbolic link (never written through)."""
    import msgspec

    from hrcoord.core.fsutil import atomic_write, private_dir

    if is_read_only():
        return
    folder = private_dir(root, "cache")
    if folder is None:
        return
    blob = msgspec.msgpack.encode(obj)
    try:
        ignore = folder.parent / ".gitignore"
        if not os.path.lexists(ignore):
            atomic_write(ignore, "*\n", durable=False)
        atomic_write(folder / name, blob, durable=False)
    except OSError:
        pass


def fingerprint(repo, today, networks: set, plans: set) -> str:
    h = hashlib.sha256()
    h.update(f"{code_version()}|{FORMAT}|{today.isoformat()}|".encode())
    for path in [str(repo.root / "hrcoord.yaml")] + [p for t in ("organisation", "conventions", "taxonomy")
                                                       for p, _ in repo.scan()[t]]:
        try:
            h.update(f"{path}|{signature(path)}|".encode())
        except OSError:
            h.update(f"{path}|missing|".encode())
    for ids in (networks, plans):
        h.update(("|".join(sorted(ids)) + "#").encode())
    return h.hexdigest()


def path_of(root: Path) -> Path:
    return Path(root) / ".hrcoord" / "cache" / NAME


def files_hash(targets: list, sigs: list) -> str:
    """One hash of every checked file and its signature: equal hashes, nothing changed."""
    import msgspec

    return hashlib.sha256(msgspec.msgpack.encode((targets, sigs))).hexdigest()  # (in C: 100,000 files in 25 ms)


def load_last(root: Path, fp: str, fhash: str) -> list | None:
    """The problems of the last run, when its fingerprint and files are exactly these."""
    data = read(Path(root) / ".hrcoord" / "cache" / LAST)
    if isinstance(data, dict) and data.get("fingerprint") == fp and data.get("files") == fhash:
        problems = data.get("problems")
        return problems if isinstance(problems, list) else None
    return None


def load(root: Path, fp: str) -> dict:
    """The validation entries (rel -> [sig, problems, facts]) when the fingerprint matches, else {}."""
    data = read(path_of(root))
    if not isinstance(data, dict) or data.get("fingerprint") != fp or not isinstance(data.get("files"), dict):
        return {}
    return data["files"]


def save(root: Path, fp: str, entries: dict, fhash: str, problems: list) -> None:
    write(root, NAME, {"fingerprint": fp, "files": entries})
    write(root, LAST, {"fingerprint": fp, "files": fhash, "problems": problems})


def load_records(root: Path, type_: str) -> dict:
    """rel -> [sig, source fields, data] for one record type, from an earlier run of this build."""
    data = read(Path(root) / ".hrcoord" / "cache" / f"records-{type_}.msgpack")
    if not isinstance(data, dict) or data.get("version") != [code_version(), FORMAT] \
            or not isinstance(data.get("files"), dict):
        return {}
    return data["files"]


def save_records(root: Path, type_: str, entries: dict) -> None:
    write(root, f"records-{type_}.msgpack", {"version": [code_version(), FORMAT], "files": entries})
