"""Publish is all or nothing (issue 19 item 3): the new site is complete before it replaces the
old one, an incremental run included; a failure half-way leaves the old site byte for byte; a
run that was killed leaves nothing beside `--out` that the next run does not clean."""
from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from test_publish_incremental import TODAY, first_published, rereview, tree

from conftest import ROOT, invoke


def publish(repo: Path, out: Path, *extra) -> None:
    r = invoke(["--repo", repo, "publish", "--out", out, "--today", TODAY, *extra])
    assert r.exit_code == 0, r.stderr


def beside(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir())


def edit_two(repo: Path) -> list[Path]:
    """Change the text of two published summaries (and stamp them again, as a reviewer would)."""
    files = [p for p in sorted((repo / "data/judgments").rglob("*.md"))
             if "\nstatus: published\n" in p.read_text() and "access: internal" not in p.read_text()][:2]
    for p in files:
        p.write_text(p.read_text().replace("## Faktum", "Et nytt avsnitt.\n\n## Faktum", 1))
        rereview(repo, p)
    return files


def full_disk_after(monkeypatch, writes: int) -> list[int]:
    """Every file write of the site fails with ENOSPC once `writes` files have been written."""
    from hrcoord.caselaw.portal import render

    original = render.write_new
    done = [0]

    def write_new(path, data):
        if done[0] >= writes:
            raise OSError(errno.ENOSPC, "No space left on device", path)
        done[0] += 1
        original(path, data)

    monkeypatch.setattr(render, "write_new", write_new)
    return done


@pytest.mark.parametrize("writes", [3, 12])  # among the pages, and among the index files
def test_a_full_disk_half_way_through_an_incremental_publish_leaves_the_old_site(scratch_repo, tmp_path, monkeypatch,
                                                                                writes):
    from hrcoord.caselaw.portal.publish import publish as publish_site
    from hrcoord.core.repo import Repository

    site = tmp_path / "site"
    publish(scratch_repo, site)
    before = tree(site)
    edit_two(scratch_repo)
    done = full_disk_after(monkeypatch, writes)
    import datetime as dt

    with pytest.raises(OSError) as caught:
        publish_site(Repository(scratch_repo), site, today=dt.date.fromisoformat(TODAY))
    assert caught.value.errno == errno.ENOSPC and done[0] == writes
    assert tree(site) == before
    assert beside(site) == ["repo", "site"]  # the staging folder is gone
    monkeypatch.undo()
    publish(scratch_repo, site)  # the next run, with room on the disk, is a normal incremental one
    clean = tmp_path / "clean"
    publish(scratch_repo, clean, "--no-incremental")
    assert tree(site) == tree(clean)


def test_a_full_disk_on_the_first_publish_leaves_nothing(scratch_repo, tmp_path, monkeypatch):
    full_disk_after(monkeypatch, 5)
    r = invoke(["--repo", scratch_repo, "publish", "--out", tmp_path / "site", "--today", TODAY])
    assert r.exit_code == 1 and "No space left on device" in r.stderr and "Traceback" not in r.stderr
    assert beside(tmp_path / "site") == ["repo"]


KILLER = textwrap.dedent("""
    import os, signal, sys
    from hrcoord.caselaw.portal import render, site
    mode, after = sys.argv[1], int(sys.argv[2])
    count = [0]
    def die():
        os.kill(os.getpid(), signal.SIGKILL)
    if mode == "write":
        original = render.write_new
        def write_new(path, data):
            count[0] += 1
            if count[0] > after:
                die()
            original(path, data)
        render.write_new = write_new
    else:  # the swap: killed between its two renames
        real = os.rename
        def rename(a, b):
            real(a, b)
            count[0] += 1
            if count[0] == after:
                die()
        site.os.rename = rename
    from hrcoord.cli.main import run
    sys.argv = ["hrcoord", "--repo", sys.argv[3], "publish", "--out", sys.argv[4], "--today", sys.argv[5]]
    run()
""")


def killed_publish(repo: Path, out: Path, mode: str, after: int) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-c", KILLER, mode, str(after), str(repo), str(out), TODAY],
                          capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
    assert done.returncode == -signal.SIGKILL, done.stderr


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="no SIGKILL on this platform")
@pytest.mark.parametrize("first", [True, False])
def test_a_publish_killed_mid_run_leaves_nothing_the_next_run_does_not_clean(scratch_repo, tmp_path, first):
    site = tmp_path / "site"
    if not first:
        publish(scratch_repo, site)
        before = tree(site)
        edit_two(scratch_repo)
    killed_publish(scratch_repo, site, "write", 4)
    left = [n for n in beside(site) if n.startswith(".site.")]
    assert left and all(n.endswith(".tmp") for n in left)  # killed: its staging folder stayed
    if not first:
        assert tree(site) == before  # the old site is untouched
    publish(scratch_repo, site)
    assert beside(site) == ["repo", "site"]
    clean = tmp_path / "clean"
    publish(scratch_repo, clean, "--no-incremental")
    assert tree(site) == tree(clean)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="no SIGKILL on this platform")
def test_a_publish_killed_between_the_two_renames_gets_its_site_back(scratch_repo, tmp_path):
    site = tmp_path / "site"
    publish(scratch_repo, site)
    before = tree(site)
    target = first_published(scratch_repo)
    target.write_text(target.read_text().replace("## Faktum", "Nytt.\n\n## Faktum", 1))
    rereview(scratch_repo, target)
    killed_publish(scratch_repo, site, "rename", 1)  # the old site renamed away, the new not yet in
    assert not site.exists() and any(n.endswith(".old") for n in beside(site))
    from hrcoord.caselaw.portal.site import clean_leftovers

    clean_leftovers(site)  # what the next publish does first: the old site comes back whole
    assert tree(site) == before and beside(site) == ["repo", "site"]
    publish(scratch_repo, site)
    assert "Nytt." in (site / f"summaries/{target.stem}.html").read_text()
    assert beside(site) == ["repo", "site"]


def test_stale_leftovers_of_other_folders_are_left_alone(scratch_repo, tmp_path):
    """Only `.<name>.*.tmp`/`.old` of this `--out` are ours to remove."""
    (tmp_path / ".other.abc.tmp").mkdir()
    (tmp_path / "site.tmp").write_text("keep")
    (tmp_path / ".site.abc.tmp").mkdir()
    publish(scratch_repo, tmp_path / "site")
    assert beside(tmp_path / "site") == [".other.abc.tmp", "repo", "site", "site.tmp"]
