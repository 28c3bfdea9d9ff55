"""Git, called as the `git` program (SPEC §5), with GIT_* variables of an enclosing hook removed.

Hardened, because a repository can arrive with its own `.git/config` (a copied folder, an archive):
its `core.fsmonitor` would run a command on every `git status`/`git diff`, its `core.hooksPath`
hooks on the commands that have them, its `core.pager` when git thinks it has a terminal. So git
always runs with `core.fsmonitor` off, no pager, no optional locks (a read never rewrites the
index), no prompt; read commands also with hooks pointed at the null device (`hardened=False`
only for `hrcoord init`'s own git setup, which installs a hook).

A handful of processes per command, never one per file: one `git log --raw -z` walks the history,
one `git diff --raw -z` compares two trees, one `git cat-file --batch` fetches every blob needed,
one `git status --porcelain=v2 -z` finds what is not committed yet.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from hrcoord.core.errors import HrcoordError, UsageError

# The empty tree, for "compare with nothing" (the history before the first commit).
EMPTY_TREE = {40: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
              64: "6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321"}
_NULL_SHA = re.compile(r"^0+$")
# Options that keep git's output the same whatever the user's configuration says.
_STABLE = ("-c", "core.quotepath=off", "-c", "log.showSignature=false", "-c", "color.ui=never",
           "-c", "diff.relative=false")


# configuration a repository's own .git/config must not be able to set for hrcoord's git calls
_SAFE = ("-c", "core.fsmonitor=", "-c", "core.pager=cat", "-c", "core.untrackedCache=false")
_NO_HOOKS = ("-c", f"core.hooksPath={os.devnull}")


def git_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.setdefault("LC_ALL", "C")
    env.update({"GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat"})
    return env


def git_command(*args: str, hardened: bool = True) -> list[str]:
    """The git command line: the safety options first (`-c` must come before the subcommand)."""
    return ["git", "--no-pager", *_SAFE, *(_NO_HOOKS if hardened else ()), *args]


def git(root: Path, *args: str, check: bool = True, input: str | None = None, hardened: bool = True) -> str:
    try:
        proc = subprocess.run(git_command(*args, hardened=hardened), cwd=root, env=git_env(), capture_output=True,
                              text=True, input=input, encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise HrcoordError("git is not installed; it is needed for this command") from None
    if check and proc.returncode != 0:
        raise HrcoordError(f"git {' '.join(args[:2])} failed: {proc.stderr.strip() or proc.stdout.strip()}")
    return proc.stdout


def git_bytes(root: Path, *args: str, input: bytes | None = None, check: bool = True) -> bytes:
    """Run git and return its raw stdout (for -z output and blob contents)."""
    try:
        proc = subprocess.run(git_command(*_STABLE, *args), cwd=root, env=git_env(), capture_output=True,
                              input=input)
    except FileNotFoundError:
        raise HrcoordError("git is not installed; it is needed for this command") from None
    if check and proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip()
        raise HrcoordError(f"git {' '.join(a for a in args[:2])} failed: {err}")
    return proc.stdout


def _s(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


def _sha(value: str) -> str | None:
    return None if not value or _NULL_SHA.match(value) else value


# --- the repository -------------------------------------------------------------------------


@dataclass
class GitInfo:
    root: Path  # the hrcoord repository (may be a folder inside the git work tree)
    prefix: str  # root relative to the git top level, '' or 'sub/dir/'
    head: str | None  # HEAD's commit, None before the first commit

    @property
    def empty_tree(self) -> str:
        return EMPTY_TREE[len(self.head)] if self.head else EMPTY_TREE[40]


def info(root: Path) -> GitInfo:
    """Where `root` sits in its git work tree, and HEAD; HrcoordError when it is not in one."""
    root = Path(root)
    try:
        proc = subprocess.run(git_command("rev-parse", "--show-prefix", "--verify", "-q", "HEAD"), cwd=root,
                              env=git_env(), capture_output=True, text=True, encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise HrcoordError("git is not installed; it is needed for this command") from None
    lines = proc.stdout.splitlines()
    if proc.returncode != 0 and not lines:
        why = proc.stderr.strip().splitlines()
        if why and "not a git repository" not in why[0]:
            raise HrcoordError(f"git cannot read the repository at {root}: {why[0].removeprefix('fatal: ')}")
        raise HrcoordError(f"{root} is not in a git repository; run `git init` there (or `hrcoord init`) "
                           f"to keep a history of the records")
    prefix = lines[0] if lines else ""
    head = lines[1].strip() if len(lines) > 1 and proc.returncode == 0 else None
    return GitInfo(root, prefix, head)


def resolve(root: Path, rev: str) -> str | None:
    """The commit a revision names, or None when it names none."""
    out = git(root, "rev-parse", "--verify", "-q", "--end-of-options", f"{rev}^{{commit}}", check=False).strip()
    return out or None


def require_commit(root: Path, rev: str, what: str = "revision") -> str:
    sha = resolve(root, rev)
    if sha is None:
        raise UsageError(f"unknown {what} {rev!r}: not a commit in this repository's git history")
    return sha


def parents(root: Path, sha: str) -> list[str]:
    out = git(root, "rev-list", "--parents", "-n", "1", sha).split()
    return out[1:]


# --- raw diff entries -----------------------------------------------------------------------


@dataclass(slots=True)
class Entry:
    """One file changed between two trees: old and new blob (None when absent)."""

    status: str  # A M D T
    path: str  # relative to the hrcoord repository root
    old: str | None
    new: str | None


def _parse_raw(chunks: list[bytes], i: int, out: list[Entry]) -> int:
    """Parse `:mode mode sha sha status\\0path\\0` entries from chunks[i:]; returns the next index."""
    while i < len(chunks):
        meta = chunks[i]
        if not meta.startswith(b":"):
            break
        if i + 1 >= len(chunks):
            break
        fields = meta[1:].split(b" ")
        if len(fields) < 5:
            break
        status = _s(fields[4])[:1]
        path = _s(chunks[i + 1])
        i += 2
        if status in ("R", "C"):  # not asked for (--no-renames), but be safe
            path = _s(chunks[i])
            i += 1
        old, new = _sha(_s(fields[2])), _sha(_s(fields[3]))
        if status == "A":
            old = None
        if status == "D":
            new = None
        if fields[0] == b"160000" or fields[1] == b"160000":
            continue  # a submodule, not a file
        out.append(Entry(status, path, old, new))
    return i


@dataclass
class Commit:
    sha: str
    time: dt.datetime  # committer date with its own offset
    subject: str
    entries: list[Entry] = field(default_factory=list)


def log(root: Path, revs: list[str], paths: list[str], *, since: str | None = None,
        until: str | None = None, first_parent: bool = True) -> list[Commit]:
    """Commits newest first with the files each changed (relative to the hrcoord root), in one
    `git log` process. Merges are compared with their first parent, so the main line reads as a
    sequence of changes dated when they landed on it."""
    args = ["log", "-z", "--raw", "--no-renames", "--no-abbrev", "--relative", "--no-ext-diff",
            "--format=%x01%H%x00%cI%x00%s"]
    if since:
        args.append(f"--since={since}")
    if until:
        args.append(f"--until={until}")
    if first_parent:
        args.append("--first-parent")
        try:
            out = git_bytes(root, *args, "--diff-merges=first-parent", *revs, "--", *paths)
        except HrcoordError as exc:
            if "diff-merges" not in str(exc):
                raise
            out = git_bytes(root, *args, "-m", *revs, "--", *paths)  # git before 2.31
    else:
        out = git_bytes(root, *args, *revs, "--", *paths)
    commits: list[Commit] = []
    for block in out.split(b"\x01")[1:]:
        chunks = block.split(b"\x00")
        if len(chunks) < 3:
            continue
        sha, when, subject = _s(chunks[0]), _s(chunks[1]), chunks[2].decode("utf-8", "replace")
        commit = Commit(sha, dt.datetime.fromisoformat(when), subject)
        rest = [c.lstrip(b"\n") for c in chunks[3:]]
        _parse_raw(rest, 0, commit.entries)
        commits.append(commit)
    return commits


def diff(root: Path, old: str, new: str | None, paths: list[str]) -> list[Entry]:
    """Files that differ between commit `old` and commit `new` (None: the working tree).

    Against the working tree it is the plumbing `diff-index`, which (unlike `git diff`, even with
    GIT_OPTIONAL_LOCKS=0) never rewrites the index: a read command writes nothing. It reports
    files whose stat changed as changed; those whose bytes are still the commit's are dropped."""
    if new is not None:
        args = ["diff", "--raw", "-z", "--no-renames", "--no-abbrev", "--relative", "--no-ext-diff", old, new]
    else:
        args = ["diff-index", "--raw", "-z", "--no-renames", "--no-abbrev", "--relative", old]
    out = git_bytes(root, *args, "--", *paths)
    entries: list[Entry] = []
    _parse_raw(out.split(b"\x00"), 0, entries)
    if new is None:  # the working tree side: read files from disk, not blobs
        entries = [e for e in entries if not _same_as_blob(root, e)]
        for e in entries:
            e.new = None if e.status == "D" else "worktree"
    return entries


def _same_as_blob(root: Path, e: Entry) -> bool:
    """Whether the working-tree file holds exactly the blob `e.old` (git's object hash)."""
    import hashlib

    if e.status != "M" or e.old is None:
        return False
    try:
        data = (Path(root) / e.path).read_bytes()
    except OSError:
        return False
    h = hashlib.new("sha256" if len(e.old) == 64 else "sha1")
    h.update(b"blob %d\0" % len(data) + data)
    return h.hexdigest() == e.old


@dataclass(slots=True)
class Uncommitted:
    path: str  # relative to the hrcoord root
    head: str | None  # the blob at HEAD (None: not in HEAD)
    exists: bool  # the file exists in the working tree


def status(gi: GitInfo, paths: list[str]) -> list[Uncommitted]:
    """Files under `paths` that differ between HEAD and the working tree (staged or not), and
    untracked ones; one `git status` process."""
    out = git_bytes(gi.root, "status", "--porcelain=v2", "-z", "--untracked-files=all", "--no-renames",
                    "--ignore-submodules=all", "--", *paths)
    result = []
    chunks = out.split(b"\x00")
    i = 0
    while i < len(chunks):
        line = chunks[i]
        i += 1
        if not line:
            continue
        kind = line[:1]
        if kind == b"1":
            parts = line.split(b" ", 8)
            if len(parts) < 9:
                continue
            xy, h_head, path = _s(parts[1]), _s(parts[6]), _s(parts[8])
            exists = "D" not in xy[1:] and not (xy[0] == "D" and xy[1] == ".")
        elif kind == b"2":  # renamed (not asked for): the original path follows
            parts = line.split(b" ", 9)
            i += 1
            if len(parts) < 10:
                continue
            xy, h_head, path, exists = _s(parts[1]), _s(parts[6]), _s(parts[9]), True
        elif kind == b"?":
            h_head, path, exists = "", _s(line[2:]), True
        elif kind == b"u":  # unmerged: compare HEAD with what is on disk
            parts = line.split(b" ", 10)
            if len(parts) < 11:
                continue
            h_head, path, exists = _s(parts[8]), _s(parts[10]), True  # h2: stage 2, ours (HEAD)
        else:
            continue
        rel = path[len(gi.prefix):] if gi.prefix and path.startswith(gi.prefix) else path
        exists = (gi.root / rel).is_file()
        result.append(Uncommitted(rel, _sha(h_head), exists))
    return result


def untracked(root: Path, paths: list[str]) -> list[str]:
    """Untracked, not ignored files under `paths` (relative to the hrcoord root)."""
    out = git_bytes(root, "ls-files", "--others", "--exclude-standard", "-z", "--", *paths)
    return [_s(p) for p in out.split(b"\x00") if p]


def textconv_command() -> str:
    """The command git runs as the summaries' textconv driver: `hrcoord textconv` when hrcoord is
    on PATH when git runs it, else this Python running hrcoord. Decided when git runs it, not when
    `init` ran: a GUI git client or an unactivated venv has no hrcoord on PATH. (git appends the
    file as "$@"; on Windows git runs it with its own sh.)"""
    import shlex
    import sys

    python = sys.executable
    quoted = f'"{python}"' if not any(c in python for c in '"$`\\') else shlex.quote(python)
    script = (f'command -v hrcoord >/dev/null 2>&1 && exec hrcoord textconv "$@"; '
              f'exec {quoted} -m hrcoord textconv "$@"')
    return f"sh -c '{script}' hrcoord-textconv"


def cat_blobs(root: Path, shas) -> dict[str, bytes]:
    """The contents of many blobs in one `git cat-file --batch` process."""
    wanted = list(dict.fromkeys(s for s in shas if s))
    if not wanted:
        return {}
    out = git_bytes(root, "cat-file", "--batch", input=("\n".join(wanted) + "\n").encode())
    blobs: dict[str, bytes] = {}
    pos = 0
    n = len(out)
    while pos < n:
        eol = out.index(b"\n", pos)
        header = out[pos:eol].split(b" ")
        pos = eol + 1
        if len(header) != 3:  # "<sha> missing" / "ambiguous"
            continue
        size = int(header[2])
        blobs[_s(header[0])] = out[pos:pos + size]
        pos += size + 1
    return blobs
