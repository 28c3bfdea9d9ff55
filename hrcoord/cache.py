"""The validation cache (SPEC §6), in the repository's git-ignored `.hrcoord/cache`.

An entry per file: its stat signature, its problems and its facts (for the cross-record checks).
The whole cache is valid only for one fingerprint: the tool's version, the day (future-date
checks), the settings and vocabulary files, and the network and plan ids that field checks use.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from hrcoord import __version__

FORMAT = 2
NAME = "validate.pickle"


def signature(path: Path) -> tuple:
    st = os.stat(path)
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


def fingerprint(repo, ctx) -> str:
    h = hashlib.sha256()
    h.update(f"{__version__}|{FORMAT}|{ctx.today.isoformat()}|".encode())
    for path in [str(repo.root / "hrcoord.yaml")] + [p for t in ("organisation", "conventions", "taxonomy")
                                                       for p, _ in repo.scan()[t]]:
        try:
            h.update(f"{path}|{signature(path)}|".encode())
        except OSError:
            h.update(f"{path}|missing|".encode())
    for name in ("networks", "plans"):
        h.update(("|".join(sorted(ctx.sets.get(name, ()))) + "#").encode())
    return h.hexdigest()


def path_of(root: Path) -> Path:
    return Path(root) / ".hrcoord" / "cache" / NAME


def load(root: Path, fp: str) -> dict:
    """The cached entries (rel -> (sig, problems, facts)) when the fingerprint matches, else {}."""
    try:
        with open(path_of(root), "rb") as fh:
            data = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
        return {}
    if not isinstance(data, dict) or data.get("fingerprint") != fp:
        return {}
    return data.get("files", {})


def save(root: Path, fp: str, entries: dict) -> None:
    """Best effort: a read-only repository simply has no cache."""
    from hrcoord.fsutil import atomic_write

    path = path_of(root)
    try:
        if not (Path(root) / ".hrcoord" / ".gitignore").exists():
            atomic_write(Path(root) / ".hrcoord" / ".gitignore", "*\n")
        atomic_write(path, pickle.dumps({"fingerprint": fp, "files": entries}, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass
