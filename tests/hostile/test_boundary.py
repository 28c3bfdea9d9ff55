"""The repository is a boundary (issue 18 item 3): what a cloned or copied repository holds must
not make hrcoord read or write outside it, nor run its commands.

- a record (or a record folder) that is a symbolic link is refused (HR012), never read;
- a repository template that is a link (`templates/portal/footer.html.j2 -> /etc/shadow`) is
  refused; nothing of the file it points at reaches a page;
- a symlinked `.hrcoord/lock` is refused, and the file it points at is untouched (it used to be
  truncated by `judgment add`); a symlinked `.hrcoord/cache` is not written through;
- a writer does not write through a linked folder;
- git runs hardened: a copied `.git/config` with `core.fsmonitor` runs nothing through
  `changes`/`diff`, nor does a hook."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from robust_helpers import invoke, make_pristine, restore, tree_hash

from conftest import git

pytestmark = pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")

SECRET = "root:$6$hemmelig:19000:0:99999:7:::\n"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    return make_pristine(tmp_path_factory.mktemp("boundary") / "repo")


@pytest.fixture
def repo(pristine, tmp_path):
    return restore(pristine, tmp_path / "repo")


@pytest.fixture
def outside(tmp_path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    (folder / "shadow").write_text(SECRET, encoding="utf-8")
    return folder


def run(repo: Path, *args: str):
    return invoke([*args, "--repo", str(repo)], env={"NO_COLOR": "1"})


def test_a_symlinked_record_is_refused_and_not_read(repo, outside):
    rel = "data/judgments/2014/tarakhel-v-switzerland-2014.md"
    victim = outside / "copy.md"
    victim.write_text((repo / rel).read_text(encoding="utf-8").replace("Tarakhel", "Hemmelig"), encoding="utf-8")
    (repo / rel).unlink()
    (repo / rel).symlink_to(victim)
    r = run(repo, "validate")
    assert r.exit_code == 1 and f"{rel}:1:1: error HR012" in r.stderr
    shown = run(repo, "judgment", "list", "--format", "json")
    assert shown.exit_code == 1 and "Hemmelig" not in shown.stdout + shown.stderr
    assert f"{rel}:1:1: error HR012" in shown.stderr


def test_a_symlinked_record_folder_is_refused(repo, outside):
    folder = repo / "data/meetings/fgm"
    (outside / "fgm").mkdir()
    for p in folder.iterdir():
        (outside / "fgm" / p.name).write_bytes(p.read_bytes())
        p.unlink()
    folder.rmdir()
    folder.symlink_to(outside / "fgm", target_is_directory=True)
    r = run(repo, "meeting", "check", "--year", "2014")
    assert r.exit_code == 1 and "data/meetings/fgm:1:1: error HR012" in r.stderr


def test_a_symlinked_template_puts_nothing_on_a_page(repo, outside, tmp_path):
    footer = repo / "templates/portal/footer.html.j2"
    footer.unlink()
    footer.symlink_to(outside / "shadow")
    site = tmp_path / "site"
    r = run(repo, "publish", "--out", str(site))
    assert r.exit_code == 1 and "templates/portal/footer.html.j2: a symbolic link" in r.stderr
    assert not site.exists()
    assert all(SECRET.strip() not in p.read_text(errors="replace") for p in tmp_path.rglob("*.html"))


def test_a_symlinked_lock_is_refused_and_its_target_untouched(repo, outside):
    precious = outside / "notes.txt"
    precious.write_text("the user's own notes\n", encoding="utf-8")
    (repo / ".hrcoord").mkdir(exist_ok=True)
    (repo / ".hrcoord/lock").symlink_to(precious)
    before = tree_hash(repo / "data")
    r = run(repo, "judgment", "add", "--title", "Nunez v. Norway", "--body", "ECtHR", "--doc-type", "judgment",
            "--reference", "55597/09", "--date", "2011-06-28", "--article", "ECHR 8", "--relevance", "expulsion")
    assert r.exit_code == 1 and ".hrcoord/lock is a symbolic link" in r.stderr
    assert precious.read_text(encoding="utf-8") == "the user's own notes\n"
    assert tree_hash(repo / "data") == before


def test_a_symlinked_hrcoord_folder_is_not_used(repo, outside):
    (outside / "dot").mkdir()
    (repo / ".hrcoord").symlink_to(outside / "dot", target_is_directory=True)
    r = run(repo, "measure", "update", "trafficking-2011-2014/tiltak-5", "--status", "delayed")
    assert r.exit_code == 1 and "symbolic link" in r.stderr
    assert list((outside / "dot").iterdir()) == []


def test_a_symlinked_cache_is_not_written_through(repo, outside):
    (repo / ".hrcoord").mkdir()
    (outside / "cache").mkdir()
    (repo / ".hrcoord/cache").symlink_to(outside / "cache", target_is_directory=True)
    assert run(repo, "validate").exit_code == 0
    assert run(repo, "judgment", "list").exit_code == 0
    assert list((outside / "cache").iterdir()) == []


def test_a_writer_does_not_write_through_a_linked_folder(repo, outside):
    from hrcoord.core import transaction
    from hrcoord.core.errors import HrcoordError

    (outside / "elsewhere").mkdir()
    (repo / "data/hearings/linked").symlink_to(outside / "elsewhere", target_is_directory=True)
    with pytest.raises(HrcoordError, match="symbolic link"):
        transaction.put(repo, repo / "data/hearings/linked/x.yaml", "a: 1\n")
    assert list((outside / "elsewhere").iterdir()) == []


def test_records_are_opened_without_following_links(repo, outside):
    """Between the folder walk and the read a file can be swapped for a link: the read refuses."""
    from hrcoord.core.loader import load_file

    link = repo / "data/hearings/swapped.yaml"
    link.symlink_to(outside / "shadow")
    loaded = load_file(link, "data/hearings/swapped.yaml")
    assert loaded.data is None and loaded.problems[0].code == "HR012"


def test_a_named_pipe_where_a_record_belongs_does_not_hang(repo):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    os.mkfifo(repo / "data/hearings/pipe.yaml")
    r = run(repo, "validate")
    assert r.exit_code == 1 and "data/hearings/pipe.yaml:1:1: error HR012" in r.stderr


@pytest.mark.parametrize("command", [["changes", "--since", "2000-01-01"], ["diff"], ["diff", "HEAD"]])
def test_a_copied_git_config_runs_nothing(repo, tmp_path, command):
    marker = tmp_path / "ran"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    git(repo, "config", "core.fsmonitor", str(script))
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for name in ("post-index-change", "reference-transaction", "post-checkout"):
        (hooks / name).write_text(f"#!/bin/sh\ntouch {marker}\n", encoding="utf-8")
        (hooks / name).chmod(0o755)
    git(repo, "config", "core.hooksPath", str(hooks))
    (repo / "data/hearings/2014-jd-lengevaerende-barn.yaml").write_text("sender: JD\n", encoding="utf-8")
    index = (repo / ".git/index").read_bytes()
    r = run(repo, *command)
    assert r.exit_code in (0, 1), r.stderr
    assert not marker.exists(), "a command from the repository's .git/config ran"
    assert (repo / ".git/index").read_bytes() == index, "a read command rewrote git's index"
