"""A full disk (issue 19): every writing command, when the file system refuses to take its bytes,
exits 1 with one line naming the file ("cannot write PATH: No space left on device") — not an
internal error — and leaves the repository byte-identical (and writes no --out/--ics file).

Two ways: a real small file system (a tmpfs filled to the last page; needs root on Linux, skipped
elsewhere with the reason), and everywhere by making the system calls fail: os.write (where the
space is taken) at the first or a later file, and os.replace at the second rename (the files
already renamed are put back)."""
from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import click
import pytest
from robust_helpers import EXEMPT, OUT, WRITERS, all_commands, invoke, make_pristine, restore, tree_hash


def test_every_writing_command_is_in_the_table():
    """A new writing command (one with --dry-run) must be added above to be covered."""
    writers = {" ".join(path) for path, cmd in all_commands() if any(p.name == "dry_run" for p in cmd.params)}
    assert writers <= set(WRITERS) | set(EXEMPT), writers - set(WRITERS) - set(EXEMPT)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    root = make_pristine(tmp_path_factory.mktemp("full") / "repo")
    p = root / "data/judgments/2014/f-g-v-sweden-2014.md"  # for fmt: a file that is not canonical
    p.write_bytes(p.read_bytes().replace(b"\n", b"\r\n"))
    return root


def _args(name: str, repo: Path, out: Path) -> list[str]:
    return [a.replace(OUT, str(out)) for a in WRITERS[name]] + ["--repo", str(repo)]


def _fails_cleanly(name: str, repo: Path, out: Path) -> None:
    out.mkdir(exist_ok=True)
    before, outside = tree_hash(repo), tree_hash(out)
    r = invoke(_args(name, repo, out), env={"NO_COLOR": "1"})
    assert r.exit_code == 1, f"{name}: exit {r.exit_code}\n{r.stderr}"
    assert "No space left on device" in r.stderr and "cannot write" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr
    assert tree_hash(repo) == before, f"{name} changed the repository"
    assert tree_hash(out) == outside, f"{name} wrote beside it"


def test_writers_succeed_when_there_is_room(pristine, tmp_path):
    """The runs above are real work: each succeeds on a disk with room."""
    for name in WRITERS:
        repo = restore(pristine, tmp_path / "repo")
        r = invoke(_args(name, repo, tmp_path / "out"), env={"NO_COLOR": "1"})
        assert r.exit_code == 0, f"{name}: {r.stderr}"


class _Full:
    """os.write that takes `room` more regular-file writes, then fails as a full disk does."""

    def __init__(self, room: int = 0):
        self.room = room
        self.real = os.write

    def __call__(self, fd, data):
        if fd > 2 and stat.S_ISREG(os.fstat(fd).st_mode):
            if self.room <= 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            self.room -= 1
        return self.real(fd, data)


@pytest.mark.parametrize("room", [0, 1, 2])
@pytest.mark.parametrize("name", sorted(WRITERS))
def test_full_disk_at_a_write_writes_nothing(pristine, tmp_path, monkeypatch, name, room):
    repo = restore(pristine, tmp_path / "repo")
    invoke(["validate", "--repo", repo])  # a warm cache: the failure is the command's, not the cache's
    if room and name not in SEVERAL:
        pytest.skip("writes one file: the first failure is the only one")
    monkeypatch.setattr(os, "write", _Full(room))
    _fails_cleanly(name, repo, tmp_path / "out")


SEVERAL = ("meeting notice", "meeting agenda", "meeting plan", "publish")  # commands that write several files


@pytest.mark.parametrize("name", ["meeting notice", "meeting agenda", "meeting plan", "fmt"])
def test_a_failed_rename_puts_back_the_files_already_replaced(pristine, tmp_path, monkeypatch, name):
    """Several files: the second rename fails; the first file, already replaced, is put back."""
    repo = restore(pristine, tmp_path / "repo")
    if name == "fmt":
        p = repo / "data/judgments/2014/tarakhel-v-switzerland-2014.md"
        p.write_bytes(p.read_bytes().replace(b"\n", b"\r\n"))
    calls: list = []

    def failing(real):
        def rename(src, dst, *a, **k):  # os.replace, and os.link (a new file's exclusive create)
            if ".hrcoord" not in str(dst) and not str(dst).endswith(".old"):
                calls.append(dst)
                if len(calls) == 2:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))
            return real(src, dst, *a, **k)
        return rename

    monkeypatch.setattr(os, "replace", failing(os.replace))
    if not hasattr(os, "link"):
        pytest.skip("without os.link (the portable run) a new file is claimed and written in place: "
                    "this test counts renames and links; test_robust_core covers that path")
    monkeypatch.setattr(os, "link", failing(os.link))
    _fails_cleanly(name, repo, tmp_path / "out")
    assert len(calls) >= 2, f"{name} wrote fewer than two files"


# --- a real full file system -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_disk(tmp_path_factory):
    if not sys.platform.startswith("linux") or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("a small real file system (tmpfs) needs root on Linux; the monkeypatched tests cover the rest")
    where = tmp_path_factory.mktemp("tmpfs")
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m,mode=0755", "tmpfs", str(where)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def _fill(folder: Path) -> None:
    """Take every free page of the file system holding `folder`."""
    fd = os.open(folder / f"filler-{uuid.uuid4().hex}", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_full_small_file_system(pristine, small_disk, name):
    for old in small_disk.iterdir():
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    repo = small_disk / "repo"
    shutil.copytree(pristine, repo, ignore=shutil.ignore_patterns(".git"))  # (git's objects take the room)
    invoke(["validate", "--repo", repo])
    (small_disk / "out").mkdir()
    _fill(small_disk)
    _fails_cleanly(name, repo, small_disk / "out")


def test_the_table_names_real_commands():
    names = {" ".join(path) for path, _ in all_commands()}
    assert set(WRITERS) <= names
    assert all(isinstance(c, click.Command) for _, c in all_commands())
