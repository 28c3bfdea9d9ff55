"""The publish path on Windows and macOS (issue 16 item 1), run on Linux: worker processes
started with `spawn` (nothing inherited from the parent), and Linux's `os.copy_file_range`,
`os.pread` and `os.sched_getaffinity` hidden, through a cold publish and an incremental one;
the sites are byte for byte those of the normal path."""
from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest
from test_publish_incremental import first_published, publish, rereview, tree

import hrcoord.core.pool
from hrcoord.caselaw.portal import render

LINUX_ONLY = ("copy_file_range", "pread", "sched_getaffinity")


def portable(monkeypatch) -> None:
    """As on Windows or macOS: spawned workers (two of them, whatever the size), no Linux calls."""
    if "spawn" not in multiprocessing.get_all_start_methods():
        pytest.skip("no spawn start method")
    monkeypatch.setenv("HRCOORD_START_METHOD", "spawn")
    monkeypatch.setattr(render, "PARALLEL_FROM", 1)
    for name in LINUX_ONLY:
        monkeypatch.delattr(os, name, raising=False)
    monkeypatch.setattr(hrcoord.core.pool, "cores", lambda: 2)


def change_one(repo: Path) -> Path:
    target = first_published(repo)
    target.write_text(target.read_text().replace("## Faktum", "Et nytt avsnitt.\n\n## Faktum", 1))
    rereview(repo, target)
    return target


def test_spawned_workers_without_linux_calls_publish_the_same_site(scratch_repo, tmp_path, monkeypatch):
    normal = tmp_path / "normal"
    publish(scratch_repo, normal)
    with monkeypatch.context() as m:
        portable(m)
        assert hrcoord.core.pool.start_method() == "spawn" and not hasattr(os, "pread")
        other = tmp_path / "portable"
        publish(scratch_repo, other)
        assert tree(other) == tree(normal)
        change_one(scratch_repo)
        publish(scratch_repo, other)  # incremental: the JSON exports spliced by read and write
    publish(scratch_repo, normal)
    assert tree(other) == tree(normal)
    assert "Et nytt avsnitt." in (other / f"summaries/{first_published(scratch_repo).stem}.html").read_text()


def _pid_and_repo(_):
    return os.getpid(), str(render._W["repo"].root), render._W["keep"]


def test_a_spawned_worker_gets_its_repository_from_the_initializer(scratch_repo, monkeypatch):
    """Nothing comes from the parent's memory: the worker opened the repository itself."""
    monkeypatch.setenv("HRCOORD_START_METHOD", "spawn")
    saved = dict(render._W)
    render._W["repo"] = type("Here", (), {"root": "this process"})()
    try:
        with render.Tasks(2, str(scratch_repo)) as tasks:
            results = tasks.map(_pid_and_repo, [0, 1, 2, 3])
    finally:
        render._W.clear()
        render._W.update(saved)
    assert all(pid != os.getpid() and root == str(scratch_repo) and keep is False for pid, root, keep in results)


def test_an_unknown_start_method_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("HRCOORD_START_METHOD", "teleport")
    with pytest.raises(ValueError, match="teleport"):
        hrcoord.core.pool.start_method()


def test_cores_without_sched_getaffinity(monkeypatch):
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    assert hrcoord.core.pool.cores() == (os.cpu_count() or 1)
