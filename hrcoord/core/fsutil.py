"""Safe writes and the repository lock.

- A file is replaced whole (temp file + fsync + rename) or not at all; several files are written
  in two phases (every temp file first, then the renames), so a full disk writes none of them.
- An error of the file system is a `FileError` naming the path ("cannot write PATH: No space left
  on device", exit 1), not an internal error.
- The repository is a boundary: nothing is written through a symbolic link inside it, and the
  lock file is never truncated nor opened through a link (a cloned repository may hold one).
- Portable: exclusive creation falls back from a hard link to an `O_EXCL` placeholder where the
  file system has no hard links; the lock uses fcntl on POSIX and msvcrt on Windows.
"""
from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from hrcoord.core.errors import FileError, HrcoordError

O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # not on Windows, which has no symlinks in a clone by default
O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
O_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


_DRY_RUN = False


def set_dry_run(flag: bool) -> None:
    """While set (a command given --dry-run), nothing may be written: the lock is not taken (nor
    its file made), caches are not saved, and a write is a bug (RuntimeError)."""
    global _DRY_RUN
    _DRY_RUN = flag


def is_dry_run() -> bool:
    return _DRY_RUN


def atomic_write(path: Path, data, *, exclusive: bool = False, durable: bool = True) -> None:
    """Write `data` to `path` atomically. With `exclusive`, refuse if `path` exists, also when
    another process creates it at the same moment (the final step is a hard link, which fails
    on an existing name, where a rename would silently replace it). `durable=False` skips the
    fsyncs, for files made from the records (caches, the portal export): readers still see the
    old file or the new one, never half of one; after a power cut it is made again."""
    path = Path(path)
    tmp = prepare(path, data, durable=durable)
    try:
        install(tmp, path, exclusive=exclusive, durable=durable)
    except BaseException:
        discard(tmp)
        raise
    _MADE.pop(str(path), None)  # in place: its folders stay


def prepare(path: Path, data, *, durable: bool = True) -> Path:
    """Phase one: `data` in a hidden temp file beside `path` (the disk space is taken here).
    Returns the temp file; `install` puts it in place, `discard` removes it."""
    path = Path(path)
    if _DRY_RUN:
        raise RuntimeError(f"a dry run tried to write {path}")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    made = _missing_folders(path.parent)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        remove_empty(made)
        raise FileError.of(exc, path, "write") from None
    tmp = Path(name)
    _MADE[str(path)] = made
    try:
        try:
            os.chmod(tmp, _mode_for(path))  # mkstemp makes 0600; keep what the file had
            if hasattr(raw, "write_into"):  # hrcoord.core.splice.Spliced: new bytes and old ranges
                raw.write_into(fd)
            else:
                write_all(fd, raw)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        discard(tmp)
        raise FileError.of(exc, path, "write") from None
    except BaseException:
        discard(tmp)
        raise
    return tmp


def install(tmp: Path, path: Path, *, exclusive: bool = False, durable: bool = True) -> None:
    """Phase two: the prepared temp file becomes `path` (exclusive: only if `path` is new)."""
    path = Path(path)
    try:
        if exclusive:
            _link_new(tmp, path)
        else:
            os.replace(tmp, path)
    except FileExistsError:
        raise HrcoordError(f"{path}: already exists; not overwritten") from None
    except OSError as exc:
        raise FileError.of(exc, path, "write") from None
    if durable:
        _fsync_dir(path.parent)


def discard(tmp: Path) -> None:
    """Remove a temp file that will not be installed, and the folders made for it (if empty)."""
    with contextlib.suppress(OSError):
        os.unlink(tmp)
    name = tmp.name[1:].rsplit(".", 2)[0] if tmp.name.startswith(".") else ""  # .<name>.<random>.tmp
    remove_empty(_MADE.pop(str(tmp.with_name(name)), []))


# folders that prepare() made for a file (by the file's path): a failed write takes them away again
_MADE: dict[str, list[Path]] = {}


def _missing_folders(folder: Path) -> list[Path]:
    """The folders from `folder` up that do not exist yet, deepest first."""
    out: list[Path] = []
    for f in (folder, *folder.parents):
        if os.path.lexists(f):
            break
        out.append(f)
    return out


def remove_empty(folders: list[Path]) -> None:
    for f in folders:  # deepest first; stops at the first that is not empty
        try:
            os.rmdir(f)
        except OSError:
            return


def _link_new(tmp: Path, path: Path) -> None:
    """`tmp` becomes `path` only if no file of that name exists, atomically. A hard link fails on
    an existing name; where the file system has none (FAT, some network shares, Android), an
    `O_EXCL` create claims the name first and the rename then fills it."""
    if hasattr(os, "link"):
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno not in _NO_LINKS:
                raise
        else:
            os.unlink(tmp)
            return
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    os.close(fd)
    try:
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(path)  # the placeholder, still empty: we made it
        raise


_NO_LINKS = {errno.EPERM, errno.EACCES, errno.EXDEV, errno.EMLINK,
             getattr(errno, "ENOTSUP", errno.EPERM), getattr(errno, "EOPNOTSUPP", errno.EPERM), errno.ENOSYS}


def write_all(fd: int, data: bytes) -> None:
    """All of `data` to an open file descriptor (os.write may write less than asked)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_umask() -> int:
    mask = os.umask(0o022)  # the only way to read it is to set it: done once, at import
    os.umask(mask)
    return mask


_NEW_FILE_MODE = 0o666 & ~_read_umask()


def _mode_for(path: Path) -> int:
    """The permissions of the file being replaced, or what a plain new file gets (umask)."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        return _NEW_FILE_MODE


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- the repository as a boundary ------------------------------------------------------------------


def link_inside(root: Path, path: Path) -> Path | None:
    """The first symbolic link (or junction) on the way from `root` down to `path`, `path`
    itself included; None when there is none. `path` outside `root` counts as its own answer."""
    root, path = Path(root), Path(path)
    try:
        rel = path.relative_to(root)
    except ValueError:
        return path
    here = root
    for part in rel.parts:
        if part in ("..", ""):
            return path
        here = here / part
        try:
            st = os.lstat(here)
        except FileNotFoundError:
            return None  # the rest does not exist yet: it will be made as plain folders
        except OSError:
            return None
        if stat.S_ISLNK(st.st_mode) or _is_junction(here):
            return here
    return None


def _is_junction(path: Path) -> bool:
    is_junction = getattr(os.path, "isjunction", None)  # Python 3.12+
    return bool(is_junction and is_junction(path))


def read_nofollow(path: Path) -> bytes:
    """A whole file's bytes; a symbolic link is not followed (OSError), nor a pipe waited on."""
    fd = os.open(path, os.O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_BINARY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a plain file", str(path))
        with os.fdopen(os.dup(fd), "rb") as fh:
            return fh.read()
    finally:
        os.close(fd)


def check_inside(root: Path, path: Path) -> None:
    """Refuse to write `path` when it, or a folder on the way to it, is a link: a cloned
    repository must not make hrcoord write outside it."""
    link = link_inside(root, path)
    if link is not None:
        where = link if link != Path(path) or Path(path).is_symlink() else path
        raise HrcoordError(f"{where} is a symbolic link or outside the repository {root}; not written "
                           "(records, templates and .hrcoord/ must be plain files and folders)")


def private_dir(root: Path, name: str, *, create: bool = True) -> Path | None:
    """`root/.hrcoord[/name]` when it is a real folder (made when missing); None when it, or
    `.hrcoord`, is a link or not a folder: such a cache is neither read nor written."""
    folder = Path(root) / ".hrcoord"
    for step in (folder, folder / name) if name else (folder,):
        try:
            st = os.lstat(step)
        except FileNotFoundError:
            if not create:
                return None
            try:
                os.mkdir(step)
            except FileExistsError:
                pass
            except OSError:
                return None
            continue
        except OSError:
            return None
        if not stat.S_ISDIR(st.st_mode) or _is_junction(step):
            return None
    return folder / name if name else folder


# --- the repository lock ---------------------------------------------------------------------------

_held = threading.local()  # per thread: lock file -> depth (the lock is re-entrant in one thread)


@contextlib.contextmanager
def repo_lock(root: Path) -> Iterator[None]:
    """An exclusive lock on the repository for read-check-write sequences: two writers at once
    run one after the other (processes and threads alike). Re-entrant within one thread."""
    if _DRY_RUN:  # nothing will be written: no lock needed, and its file is not made
        yield
        return
    key = os.path.normcase(os.path.abspath(root))
    depth: dict = _held.__dict__.setdefault("depth", {})
    if depth.get(key):
        depth[key] += 1
        try:
            yield
        finally:
            depth[key] -= 1
        return
    fd = _open_lock(Path(root))
    try:
        _lock(fd)
        depth[key] = 1
        try:
            yield
        finally:
            depth[key] = 0
            _unlock(fd)
    finally:
        os.close(fd)


def _open_lock(root: Path) -> int:
    """`.hrcoord/lock`, opened for locking only: created when missing, never truncated, never
    through a link, and only when it is a regular file."""
    folder = private_dir(root, "", create=True)
    path = Path(root) / ".hrcoord" / "lock"
    if folder is None:
        raise HrcoordError(f"{Path(root) / '.hrcoord'} is a symbolic link or not a folder; hrcoord will not lock "
                           f"the repository through it (remove it: it is hrcoord's own, git-ignored)")
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise FileError.of(exc, path, "open") from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise HrcoordError(f"{path} is a symbolic link or not a plain file; hrcoord will not use it as its "
                           f"lock (remove it: it is hrcoord's own, git-ignored)")
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_BINARY, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise HrcoordError(f"{path} is a symbolic link; hrcoord will not use it as its lock") from None
        raise FileError.of(exc, path, "open") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise HrcoordError(f"{path} is not a plain file; hrcoord will not use it as its lock")
    return fd


try:  # POSIX
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

except ImportError:  # pragma: no cover - Windows: pre-commit's msvcrt pattern
    import msvcrt

    def _lock(fd: int) -> None:
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
                return
            except OSError as exc:  # LK_LOCK gives up after ten tries of a second
                if exc.errno != errno.EDEADLOCK:
                    raise

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]


@dataclass
class Staged:
    """One file a transaction will write: the data and what the file must still hold."""

    path: Path
    data: object
    exclusive: bool = False
    durable: bool = True


def write_many(files: list[Staged]) -> None:
    """Every file, or (when the disk is full, a folder read-only …) none: all temp files are
    written first (where a full disk shows), then renamed into place; should a rename fail, the
    files already replaced are put back from hard-link copies of what they held."""
    prepared: list[tuple[Path, Staged]] = []
    done: list[tuple[Path, Path | None, bool]] = []  # installed: (path, copy of its old content, existed)
    try:
        for f in files:
            prepared.append((prepare(f.path, f.data, durable=f.durable), f))
        for tmp, f in prepared:
            existed = os.path.lexists(f.path)
            old = _keep_old(f.path) if len(prepared) > 1 else None
            try:
                install(tmp, f.path, exclusive=f.exclusive, durable=f.durable)
            except BaseException:
                if old is not None:
                    discard(old)
                raise
            done.append((f.path, old, existed))
    except BaseException:
        _roll_back(done)
        raise
    finally:
        for tmp, _ in prepared:
            if os.path.lexists(tmp):
                discard(tmp)
    for f in files:  # all in place: their folders stay
        _MADE.pop(str(f.path), None)
    for _, old, _ in done:
        if old is not None:
            discard(old)


def _keep_old(path: Path) -> Path | None:
    """A hidden hard link to `path`'s current content (None: a new file, or no hard links)."""
    if not os.path.lexists(path) or not hasattr(os, "link"):
        return None
    keep = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.old")
    try:
        os.link(path, keep)
    except OSError:
        return None
    return keep


def _roll_back(done: list[tuple[Path, Path | None, bool]]) -> None:
    for path, old, existed in reversed(done):
        with contextlib.suppress(OSError):
            if old is not None:
                os.replace(old, path)
            elif not existed:
                os.unlink(path)  # it was new
                remove_empty(_MADE.pop(str(path), []))
