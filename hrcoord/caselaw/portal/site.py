"""The site folder, all or nothing: every publish — the first, a full one, an incremental one —
builds the complete new site in a staging folder beside `--out` (`.<name>.<random>.tmp`, on the
same file system) and swaps it in with two renames only when every file is written. An
incremental run hard-links the unchanged pages of the old site into the staging folder (a copy
where links are not possible) and writes only what changed. A failure at any point — a full
disk, a refused publish, Ctrl-C — leaves the old site byte for byte as it was.

A run that was killed can leave a staging folder, or (between the two renames) the old site
under `.<name>.<random>.old` with no `--out`; the next publish puts such an old site back and
removes every leftover before it starts. Publishes into one folder take a lock (in the
repository's `.hrcoord/`), so one never removes another's staging folder.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from hrcoord.caselaw.portal.state import MARKER
from hrcoord.core.errors import UsageError


def check_target(out: Path) -> None:
    """`--out` must be new, empty, or a folder an earlier publish wrote (it is replaced whole)."""
    out = Path(out)
    if out.exists() or out.is_symlink():
        if not out.is_dir() or out.is_symlink():
            raise UsageError(f"{out} exists and is not a folder; not replacing it")
        if any(out.iterdir()) and not (out / MARKER).is_file():
            raise UsageError(f"{out} is not empty and was not written by hrcoord publish; "
                             "choose a new or empty folder")


def _leftovers(out: Path, suffix: str) -> list[Path]:
    prefix = f".{out.name}."
    try:
        return sorted(p for p in out.parent.iterdir() if p.name.startswith(prefix) and p.name.endswith(suffix))
    except OSError:
        return []


def _ours(folder: Path) -> bool:
    return folder.is_dir() and not folder.is_symlink() and (folder / MARKER).is_file()


def clean_leftovers(out: Path) -> list[str]:
    """Put back an old site a killed swap left without `--out`, and remove the staging folders
    and `.tmp` files of earlier runs that were killed. Returns what was removed (names)."""
    out = Path(out).absolute()
    removed = []
    olds = [p for p in _leftovers(out, ".old") if _ours(p)]
    if not out.exists() and olds:
        newest = max(olds, key=lambda p: p.stat().st_mtime)
        os.rename(newest, out)  # killed between the two renames: the old site comes back
        olds.remove(newest)
    for p in olds + _leftovers(out, ".tmp"):
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                p.unlink()
        removed.append(p.name)
    if out.is_dir() and (out / MARKER).is_file():  # an atomic write inside the site that was cut short
        for p in out.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                p.unlink()
                removed.append(f"{out.name}/{p.name}")
    return removed


@contextlib.contextmanager
def locked(repo_root: Path, out: Path):
    """One publish at a time into `out` (a cross-platform lock file in the repository's .hrcoord)."""
    from filelock import FileLock

    folder = Path(repo_root) / ".hrcoord"
    folder.mkdir(exist_ok=True)
    key = hashlib.sha256(str(Path(out).absolute()).encode()).hexdigest()[:16]
    with FileLock(str(folder / f"publish-{key}.lock")):
        yield


def staging_folder(out: Path) -> Path:
    """A new temporary folder beside `out` (same file system, so it can be renamed into place)."""
    out = Path(out).absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))


def link_unchanged(old: Path, staging: Path, rels: list[str]) -> None:
    """The unchanged pages of the old site into the staging folder: hard links (no bytes copied),
    or copies where the file system refuses links."""
    made: set[Path] = set()
    link = getattr(os, "link", None)  # (not on every platform)
    for rel in rels:
        src, dst = old / rel, staging / rel
        if dst.parent not in made:
            dst.parent.mkdir(parents=True, exist_ok=True)
            made.add(dst.parent)
        try:
            if link is None:
                raise OSError("no hard links here")
            link(src, dst)
        except OSError:
            shutil.copy2(src, dst)


def write_files(staging: Path, files: dict) -> None:
    """What is left to write of the new site (index pages, exports, assets) into staging."""
    from hrcoord.caselaw.portal.render import write_new

    for rel, data in files.items():
        path = staging / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        write_new(str(path), data.encode("utf-8") if isinstance(data, str) else data)


def swap_in(staging: Path, out: Path) -> None:
    """The complete new site replaces the old one: two renames (readers never see half a site)."""
    out = Path(out).absolute()
    os.chmod(staging, 0o755)
    if not out.exists():
        os.rename(staging, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
    os.rmdir(old)
    os.rename(out, old)
    try:
        os.rename(staging, out)
    except BaseException:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def discard(staging: Path | None) -> None:
    if staging is not None:
        shutil.rmtree(staging, ignore_errors=True)
