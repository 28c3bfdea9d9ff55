"""--dry-run writes nothing anywhere (issue 11 item 5): every command that has the flag — found
in the click tree, so a new one is covered — runs with it (and with --out where it has one), and
the repository (hrcoord's own .hrcoord/ included), the --out folder and the user's cache folder
are byte-identical afterwards, while the command says what it would have written."""
from __future__ import annotations

from pathlib import Path

import pytest
from robust_helpers import EXEMPT, OUT, WRITERS, all_commands, invoke, make_pristine, restore, tree_hash

from hrcoord.core.cache import user_folder

DRY = sorted(" ".join(path) for path, cmd in all_commands() if any(p.name == "dry_run" for p in cmd.params))


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    root = make_pristine(tmp_path_factory.mktemp("dry") / "repo")
    p = root / "data/judgments/2014/f-g-v-sweden-2014.md"  # for fmt: a file that is not canonical
    p.write_bytes(p.read_bytes().replace(b"\n", b"\r\n"))
    return root


def test_there_are_writing_commands():
    assert {"fmt", "judgment add", "meeting notice", "measure update", "hearing add", "publish"} <= set(DRY)


@pytest.mark.parametrize("name", DRY)
def test_dry_run_writes_nothing_anywhere(pristine, tmp_path, name):
    if name in EXEMPT:  # (judgment fetch --dry-run: tests/test_import.py, against a local server)
        pytest.skip(EXEMPT[name])
    repo = restore(pristine, tmp_path / "repo")
    out = tmp_path / "out"
    out.mkdir()
    args = [a.replace(OUT, str(out)) for a in WRITERS[name]]
    cmd = next(c for path, c in all_commands() if " ".join(path) == name)
    if "--out" not in args and any(p.name == "out" for p in cmd.params):
        args += ["--out", str(out / "result")]
    cache = user_folder()
    before = tree_hash(repo, skip=("objects",)), tree_hash(out), tree_hash(cache)
    r = invoke([*args, "--dry-run", "--repo", repo], env={"NO_COLOR": "1"})
    assert r.exit_code == 0, r.stderr
    assert "would" in (r.stderr + r.stdout).lower(), r.stderr
    assert tree_hash(repo, skip=("objects",)) == before[0], f"{name} --dry-run wrote in the repository"
    assert tree_hash(out) == before[1], f"{name} --dry-run wrote its --out"
    assert tree_hash(cache) == before[2], f"{name} --dry-run wrote in the user's cache folder"
    assert not (Path(repo) / ".hrcoord").exists() or before[0] == tree_hash(repo, skip=("objects",))
