"""Review gates: the review stamp (HR206), the pre-commit framework hooks, the plain git hook."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, commit, git_init, judgment_path, sh_git, summary, write

MANIFEST = ROOT / ".pre-commit-hooks.yaml"
VENV_BIN = str(Path(sys.executable).parent)


def tool_env(tmp_path: Path) -> dict:
    """The environment for git and pre-commit run by the tests: no GIT_* from outside, hrcoord
    on PATH, pre-commit's cache in the temporary folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["PATH"] = VENV_BIN + os.pathsep + env.get("PATH", "")
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    env["NO_COLOR"] = "1"
    return env


# --- review stamps ------------------------------------------------------------------------------


def published(repo_root: Path, jid: str = "nunez-v-norway-2011") -> Path:
    """A published summary with a correct review stamp, written through hrcoord.core.records."""
    from hrcoord.core.loader import load_text
    from hrcoord.core.models.judgment import digest, part_digests
    from hrcoord.core.records import write as write_record
    from hrcoord.core.repo import Repository

    text = summary("Nunez v. Norway", "55597/09", "2011-06-28", status="published")
    loaded = load_text(text, markdown=True)
    data, body = dict(loaded.data), loaded.source.body
    data["review"] = {"by": "Koordinator", "date": "2011-09-01", "digest": digest(data, body),
                      "parts": part_digests(data, body)}
    path = judgment_path(repo_root, jid, "2011")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_record(Repository(repo_root), "judgment", path, data, body, exclusive=True)
    return path


def test_editing_a_published_text_fails_strict_validation_until_reviewed(cli, empty_repo):
    root = empty_repo
    path = published(root)
    rel = "data/judgments/2011/nunez-v-norway-2011.md"
    r = cli(["--repo", root, "validate", "--strict"])
    assert r.exit_code == 0, r.stderr
    path.write_text(path.read_text(encoding="utf-8").replace("oppdaterte", "nyere"), encoding="utf-8")
    r = cli(["--repo", root, "validate", "--strict"])
    assert r.exit_code == 1
    line = next(ln for ln in r.stderr.splitlines() if "HR206" in ln)
    assert line.startswith(rel + ":") and "error" in line and "(text changed)" in line
    r = cli(["--repo", root, "validate"])  # without --strict a warning: the commit is not blocked
    assert r.exit_code == 0 and "warning HR206" in r.stderr
    # a key field too: both are named
    path.write_text(path.read_text(encoding="utf-8").replace("- ECHR 3", "- ECHR 8"), encoding="utf-8")
    r = cli(["--repo", root, "validate", "--strict", "--format", "json"])
    import json

    problems = [p for p in json.loads(r.stdout)["problems"] if p["code"] == "HR206"]
    assert len(problems) == 1 and problems[0]["path"] == rel
    assert "articles, text changed" in problems[0]["message"]


def test_stamping_again_clears_it_library(cli, empty_repo):
    from hrcoord.core.models.judgment import digest, part_digests
    from hrcoord.core.records import update
    from hrcoord.core.repo import Repository

    root = empty_repo
    path = published(root)
    path.write_text(path.read_text(encoding="utf-8").replace("oppdaterte", "nyere"), encoding="utf-8")
    assert cli(["--repo", root, "validate", "--strict"]).exit_code == 1
    repo = Repository(root)
    rec = repo.judgment("nunez-v-norway-2011")
    data = dict(rec.data)
    data["review"] = {"by": "Seniorrådgiver", "date": "2014-03-01", "digest": digest(data, rec.body),
                      "parts": part_digests(data, rec.body)}
    update(repo, rec, data)
    r = cli(["--repo", root, "validate", "--strict"])
    assert r.exit_code == 0, r.stderr
    assert "nyere" in path.read_text(encoding="utf-8")  # the text is kept, only the stamp is new


def test_judgment_review_command_clears_it(cli, empty_repo):
    root = empty_repo
    if cli(["judgment", "review", "--help"]).exit_code != 0:
        pytest.skip("`hrcoord judgment review` is not in this checkout yet")
    path = published(root)
    path.write_text(path.read_text(encoding="utf-8").replace("oppdaterte", "nyere"), encoding="utf-8")
    r = cli(["--repo", root, "validate", "--strict"])
    assert r.exit_code == 1 and "nunez-v-norway-2011.md" in r.stderr and "HR206" in r.stderr
    r = cli(["--repo", root, "judgment", "review", "nunez-v-norway-2011", "--by", "Seniorrådgiver"])
    assert r.exit_code == 0, r.stderr
    r = cli(["--repo", root, "validate", "--strict"])
    assert r.exit_code == 0, r.stderr
    assert "by: Seniorrådgiver" in path.read_text(encoding="utf-8")


# --- the pre-commit framework ---------------------------------------------------------------------


def manifest() -> list[dict]:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


def test_manifest_declares_the_two_hooks():
    hooks = {h["id"]: h for h in manifest()}
    assert set(hooks) == {"hrcoord-validate", "hrcoord-fmt"}
    assert hooks["hrcoord-validate"]["entry"] == "hrcoord validate"
    assert hooks["hrcoord-fmt"]["entry"] == "hrcoord fmt --check"
    for h in hooks.values():
        assert h["language"] == "python" and h["pass_filenames"] is False and h["name"]
        files = re.compile(h["files"])
        assert files.search("data/judgments/2011/x.md") and files.search("hrcoord.yaml")
        assert not files.search("README.md") and not files.search("templates/x.j2")
    # the hooks' command exists where the package installs it
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'hrcoord = "hrcoord.cli.main:run"' in project


@pytest.fixture
def data_repo(tmp_path):
    """A data repository under git with one valid, canonical summary committed."""
    from hrcoord.core.scaffold import init

    root = tmp_path / "data-repo"
    init(root, git=False)
    git_init(root)
    path = published(root)
    commit(root, "Nunez")
    return root, path


def run_pre_commit(root: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=root, env=env, capture_output=True,
                          text=True, timeout=900)


def test_pre_commit_runs_the_hooks_from_the_manifest(tmp_path, data_repo):
    """The hooks exactly as .pre-commit-hooks.yaml declares them (entry, files, pass_filenames),
    run by the pre-commit framework offline: a `repo: local` configuration with language
    `system` instead of `python` (which would build a virtualenv from the project with pip)."""
    root, path = data_repo
    env = tool_env(tmp_path)
    hooks = []
    for h in manifest():
        keys = ("id", "name", "entry", "pass_filenames", "files", "require_serial")
        local = {k: v for k, v in h.items() if k in keys}
        hooks.append({**local, "language": "system"})
    (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{"repo": "local", "hooks": hooks}]}),
                                                  encoding="utf-8")
    sh_git(root, "add", ".pre-commit-config.yaml")
    ok = run_pre_commit(root, env, "run", "--all-files")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert re.search(r"hrcoord validate\.+Passed", ok.stdout) and re.search(r"hrcoord fmt --check\.+Passed", ok.stdout)

    bad = judgment_path(root, "bad-v-norway-2014", "2014")
    write(bad, summary("Bad v. Norway", "12345/12", "2014-02-30"))
    sh_git(root, "add", "-A")
    failed = run_pre_commit(root, env, "run", "--all-files")
    assert failed.returncode == 1
    assert re.search(r"hrcoord validate\.+Failed", failed.stdout)
    assert "data/judgments/2014/bad-v-norway-2014.md:6:7: error HR105" in failed.stdout, failed.stdout

    bad.unlink()
    # valid but not canonical (keys out of order): validate passes, fmt --check fails
    text = path.read_text(encoding="utf-8")
    text = text.replace("title: Nunez v. Norway\n", "")
    text = text.replace("body: ECtHR\n", "body: ECtHR\ntitle: Nunez v. Norway\n")
    path.write_text(text, encoding="utf-8")
    sh_git(root, "add", "-A")
    fmt = run_pre_commit(root, env, "run", "--all-files")
    assert fmt.returncode == 1
    assert re.search(r"hrcoord validate\.+Passed", fmt.stdout)
    assert re.search(r"hrcoord fmt --check\.+Failed", fmt.stdout)
    assert "would reformat data/judgments/2011/nunez-v-norway-2011.md" in fmt.stdout


@pytest.mark.skipif(not os.environ.get("HRCOORD_TRY_REPO"),
                    reason="set HRCOORD_TRY_REPO=1: pre-commit builds a virtualenv from the project with pip "
                           "(needs the package index, about a minute)")
def test_pre_commit_try_repo(tmp_path, data_repo):
    """`pre-commit try-repo` against a committed copy of the project: pre-commit builds the hook's
    virtualenv from the project with pip, so this needs the package index (skipped offline)."""
    root, _ = data_repo
    env = tool_env(tmp_path)
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy(ROOT / name, project / name)
    shutil.copytree(ROOT / "hrcoord", project / "hrcoord", ignore=shutil.ignore_patterns("__pycache__"))
    git_init(project)
    commit(project, "project")
    run = run_pre_commit(root, env, "try-repo", str(project), "hrcoord-validate", "--ref", "HEAD", "--all-files")
    if not re.search(r"hrcoord validate\.+(Passed|Failed)", run.stdout):
        pytest.skip("pre-commit could not build the hook environment (offline?): "
                    + (run.stdout + run.stderr).strip().splitlines()[-1][:300])
    assert run.returncode == 0, run.stdout + run.stderr
    write(judgment_path(root, "bad-v-norway-2014", "2014"), summary("Bad v. Norway", "12345/12", "2014-02-30"))
    sh_git(root, "add", "-A")
    run = run_pre_commit(root, env, "try-repo", str(project), "hrcoord-validate", "--ref", "HEAD", "--all-files")
    assert run.returncode == 1 and "bad-v-norway-2014.md:6:7: error HR105" in run.stdout


def test_plain_git_hook_from_init_refuses_a_commit_with_errors(tmp_path):
    from hrcoord.core.scaffold import init

    root = tmp_path / "hooked"
    init(root, git=True)
    sh_git(root, "config", "user.name", "Test")
    sh_git(root, "config", "user.email", "t@udi.example")
    env = tool_env(tmp_path)
    write(judgment_path(root, "bad-v-norway-2014", "2014"), summary("Bad v. Norway", "12345/12", "2014-02-30"))
    subprocess.run(["git", "add", "-A"], cwd=root, env=env, check=True)
    refused = subprocess.run(["git", "commit", "-m", "bad"], cwd=root, env=env, capture_output=True, text=True)
    assert refused.returncode != 0 and "HR105" in refused.stderr
    write(judgment_path(root, "bad-v-norway-2014", "2014"), summary("Bad v. Norway", "12345/12", "2014-02-28"))
    subprocess.run(["git", "add", "-A"], cwd=root, env=env, check=True)
    accepted = subprocess.run(["git", "commit", "-m", "good"], cwd=root, env=env, capture_output=True, text=True)
    assert accepted.returncode == 0, accepted.stderr
