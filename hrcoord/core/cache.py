"""Caches in the repository's git-ignored `.hrcoord/cache` (SPEC §6).

- The validation cache: an entry per file with its stat signature, its problems and its facts
  (for the cross-record checks), valid for one fingerprint: the tool's build (`code_version`), the day (future-date
  checks), the settings and vocabulary files, and the network and plan ids that field checks use.
- The record cache: the parsed data of each record file under its stat signature, so that
  reports and publish on a large repository do not parse unchanged files again.

Cache files are pickles signed with an HMAC under a per-user key kept outside the repository
(~/.cache/hrcoord/key): a cache file that arrives with a cloned repository is ignored, never
unpickled.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import sys
from pathlib import Path

from hrcoord import __version__

FORMAT = 3
NAME = "validate.pickle"
_KEY: bytes | None = None


def signature(path) -> tuple:
    return signature_of(os.stat(path))


def signature_of(st: os.stat_result) -> tuple:
    """What says a file is unchanged: its times, size and inode."""
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


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
    """The user's own cache folder for hrcoord (outside any repository)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hrcoord"


def _key() -> bytes:
    global _KEY
    if _KEY is None:
        folder = user_folder()
        path = folder / "key"
        try:
            _KEY = path.read_bytes()
        except OSError:
            _KEY = os.urandom(32)
            try:
                folder.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(_KEY)
            except FileExistsError:
                _KEY = path.read_bytes()
            except OSError:
                pass  # no home folder: the cache works for this process only
    return _KEY


def read(path: Path):
    """The cached object, or None when missing, unsigned, tampered with or unreadable."""
    try:
        raw = Path(path).read_bytes()
    except OSError:
        return None
    mac, blob = raw[:32], raw[32:]
    if len(mac) < 32 or not hmac.compare_digest(mac, hmac.new(_key(), blob, hashlib.sha256).digest()):
        return None
    try:
        return pickle.loads(blob)
    except Exception:  # noqa: BLE001 — a cache never stops a command
        return None


def write(root: Path, name: str, obj) -> None:
    """Best effort: a read-only repository simply has no cache."""
    from hrcoord.core.fsutil import atomic_write

    blob = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        if not (Path(root) / ".hrcoord" / ".gitignore").exists():
            atomic_write(Path(root) / ".hrcoord" / ".gitignore", "*\n", durable=False)
        atomic_write(Path(root) / ".hrcoord" / "cache" / name,
                     hmac.new(_key(), blob, hashlib.sha256).digest() + blob, durable=False)
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


def load(root: Path, fp: str) -> tuple[dict, dict | None]:
    """The validation entries (rel -> (sig, problems, facts)) when the fingerprint matches, else
    {}; and the last run's whole outcome (its files, their signatures and all its problems)."""
    data = read(path_of(root))
    if not isinstance(data, dict) or data.get("fingerprint") != fp:
        return {}, None
    return data.get("files", {}), data.get("last")


def save(root: Path, fp: str, entries: dict, last: dict | None = None) -> None:
    write(root, NAME, {"fingerprint": fp, "files": entries, "last": last})


def load_records(root: Path, type_: str) -> dict:
    """rel -> (sig, source fields, data) for one record type, from an earlier run of this version."""
    data = read(Path(root) / ".hrcoord" / "cache" / f"records-{type_}.pickle")
    if not isinstance(data, dict) or data.get("version") != (code_version(), FORMAT):
        return {}
    return data.get("files", {})


def save_records(root: Path, type_: str, entries: dict) -> None:
    write(root, f"records-{type_}.pickle", {"version": (code_version(), FORMAT), "files": entries})
