"""Shared fixtures: a scratch copy of the embedded repository, an empty one, a CLI runner, and a
scratch git history of summaries (for `changes`, `diff` and the hooks)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("NO_COLOR", "1")

if os.environ.get("HRCOORD_PORTABLE") == "1":
    # the portable paths, in this process and in every one the tests start (tests/portable/)
    _PORTABLE = str(Path(__file__).resolve().parent / "portable")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (_PORTABLE, os.environ.get("PYTHONPATH")) if p)
    import runpy

    runpy.run_path(os.path.join(_PORTABLE, "sitecustomize.py"))  # and here


@pytest.fixture(autouse=True, scope="session")
def _keep_out_of_home(tmp_path_factory):
    """Tests never read or write the real home folder (pre-commit's tests do the same): HOME and
    the cache folders point into a temporary folder for the whole run, subprocesses included."""
    home = tmp_path_factory.mktemp("home")
    saved = {k: os.environ.get(k) for k in ("HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "LOCALAPPDATA",
                                             "USERPROFILE", "GIT_CONFIG_GLOBAL")}
    os.environ.update({"HOME": str(home), "USERPROFILE": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
                       "XDG_CONFIG_HOME": str(home / ".config"), "LOCALAPPDATA": str(home / "AppData"),
                       "GIT_CONFIG_GLOBAL": str(home / ".gitconfig")})
    yield home
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str
    output_bytes: bytes = b""


def invoke(args: list[str], input: str | None = None, env: dict | None = None) -> Result:
    """Run hrcoord in-process through typer's CliRunner."""
    from typer.testing import CliRunner

    from hrcoord.cli.main import app

    runner = CliRunner()
    r = runner.invoke(app, [str(a) for a in args], input=input, env=env, catch_exceptions=False)
    return Result(r.exit_code, r.stdout, r.stderr, r.stdout_bytes)


def run_process(args: list[str], cwd: Path | None = None, input: str | None = None,
                env: dict | None = None, timeout: int = 60) -> subprocess.CompletedProcess:
    """Run hrcoord as a real subprocess (same interpreter)."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "hrcoord", *map(str, args)], cwd=cwd, input=input,
                          capture_output=True, text=True, env=full_env, timeout=timeout)


@pytest.fixture
def cli():
    return invoke


@pytest.fixture
def scratch_repo(tmp_path) -> Path:
    """A copy of the embedded repository (hrcoord.yaml, data/, templates/) in a temp folder."""
    dest = tmp_path / "repo"
    dest.mkdir()
    shutil.copy(ROOT / "hrcoord.yaml", dest / "hrcoord.yaml")
    shutil.copytree(ROOT / "data", dest / "data")
    if (ROOT / "templates").is_dir():
        shutil.copytree(ROOT / "templates", dest / "templates")
    return dest


@pytest.fixture
def empty_repo(tmp_path) -> Path:
    """A fresh repository made by `hrcoord init --no-git`: vocabularies, no records."""
    from hrcoord.core.scaffold import init

    dest = tmp_path / "empty"
    init(dest, git=False)
    return dest


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def git(root: Path, *args: str, date: str | None = None) -> None:
    """Run git in a scratch repository as a fixed author (optionally on a fixed day)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                "GIT_COMMITTER_EMAIL": "t@example.org"})
    if date:
        env.update({"GIT_AUTHOR_DATE": f"{date}T12:00:00+01:00", "GIT_COMMITTER_DATE": f"{date}T12:00:00+01:00"})
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


# --- a scratch git history of summaries (test_changes, test_diff, test_hooks, the hostile outputs) ---

JUDGMENTS = "data/judgments"


def sh_git(root: Path, *args: str, date: str | None = None) -> str:
    """git in a scratch repository, with the enclosing environment's GIT_* removed and, when
    given, a fixed author and committer date."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    proc = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def git_init(root: Path) -> None:
    sh_git(root, "init", "-q")
    sh_git(root, "config", "user.name", "Test Coordinator")
    sh_git(root, "config", "user.email", "koordinator@udi.example")
    sh_git(root, "config", "commit.gpgsign", "false")


def commit(root: Path, message: str, date: str | None = None) -> str:
    sh_git(root, "add", "-A")
    sh_git(root, "commit", "-q", "--no-verify", "-m", message, date=date)
    return sh_git(root, "rev-parse", "HEAD").strip()


SAKSTEKST = ("Domstolen fant at utsendelse av klageren ville krenke artikkel 3 fordi han risikerte "
             "umenneskelig behandling i hjemlandet. Vurderingen bygget på oppdaterte landrapporter.")


def summary(title: str, ref: str, date: str, *, status: str = "draft", text: str = SAKSTEKST,
            extra: str = "") -> str:
    return f"""---
title: {title}
body: ECtHR
doc_type: judgment
reference: {ref}
date: {date}
respondent: NO
articles:
  - ECHR 3
outcome: violation
relevance:
  - asylum
status: {status}
{extra}---

## Sammendrag

{text}

## Betydning for UDI

Dommen har betydning for vurderingen av beskyttelse i asylsaker.
"""


def judgment_path(root: Path, jid: str, year: str) -> Path:
    return root / JUDGMENTS / year / f"{jid}.md"


@pytest.fixture
def history_repo(empty_repo):
    """Three summaries added in three commits, then A's text changed, then B withdrawn with C as
    its replacement; commit dates 1–5 March 2014."""
    root = empty_repo
    git_init(root)
    write(judgment_path(root, "alpha-v-norway-2013", "2013"), summary("Alpha v. Norway", "11111/10", "2013-01-15"))
    first = commit(root, "Add Alpha", "2014-03-01T12:00:00+01:00")
    write(judgment_path(root, "beta-v-norway-2013", "2013"), summary("Beta v. Norway", "22222/10", "2013-02-15"))
    second = commit(root, "Add Beta", "2014-03-02T12:00:00+01:00")
    write(judgment_path(root, "gamma-v-norway-2013", "2013"), summary("Gamma v. Norway", "33333/10", "2013-03-15"))
    third = commit(root, "Add Gamma", "2014-03-03T12:00:00+01:00")
    write(judgment_path(root, "alpha-v-norway-2013", "2013"),
          summary("Alpha v. Norway", "11111/10", "2013-01-15", text=SAKSTEKST.replace("oppdaterte", "nyere")))
    fourth = commit(root, "Alpha: text", "2014-03-04T12:00:00+01:00")
    write(judgment_path(root, "beta-v-norway-2013", "2013"),
          summary("Beta v. Norway", "22222/10", "2013-02-15", status="withdrawn",
                  extra="replaced_by: gamma-v-norway-2013\n"))
    fifth = commit(root, "Withdraw Beta, replaced by Gamma", "2014-03-05T12:00:00+01:00")
    return root, [first, second, third, fourth, fifth]


def fodselsnummer(birth: str = "150482", start: int = 100) -> str:
    """A number with both mod-11 control digits right, computed here with the published weights
    (independently of the code under test)."""
    w1, w2 = (3, 7, 6, 1, 8, 9, 4, 5, 2), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    for ind in range(start, 1000):
        d = [int(c) for c in f"{birth}{ind:03d}"]
        k1 = (11 - sum(a * b for a, b in zip(w1, d, strict=True)) % 11) % 11
        if k1 == 10:
            continue
        d.append(k1)
        k2 = (11 - sum(a * b for a, b in zip(w2, d, strict=True)) % 11) % 11
        if k2 == 10:
            continue
        return "".join(map(str, d + [k2]))
    raise AssertionError("no number")


# Property-based tests are repeatable: the same examples on every run and in CI (a failure found
# once is found again), chosen from the test's own code rather than a random seed.
try:
    from hypothesis import settings as _hypothesis_settings

    _hypothesis_settings.register_profile("hrcoord", derandomize=True, database=None, deadline=None)
    _hypothesis_settings.load_profile("hrcoord")
except ImportError:  # pragma: no cover
    pass


def restamp(path: Path) -> None:
    """After a test edits a published summary: its review stamp's digest set to the new text, in
    place (no line moves), as a reviewer's `judgment review` would approve it. Publish refuses a
    published summary that changed after its review, so a test about something else restamps."""
    import re as _re

    from hrcoord.core.loader import load_text
    from hrcoord.core.models.judgment import digest

    text = path.read_text(encoding="utf-8")
    loaded = load_text(text, str(path), markdown=True)
    assert not loaded.problems, loaded.problems
    new = digest(loaded.data, loaded.source.body)
    text, n = _re.subn(r"(?m)^(  digest: )sha256:[0-9a-f]+$", lambda m: m.group(1) + new, text, count=1)
    assert n == 1, f"{path} has no review digest"
    path.write_text(text, encoding="utf-8")


def stamp_reviews(root: Path) -> None:
    """Give every approved or published summary of a test repository the review stamp it needs to
    be valid (commands act only on valid records): who, when, and the digest of its text."""
    from hrcoord.core.fmt import render_record
    from hrcoord.core.models import MODELS
    from hrcoord.core.models.judgment import digest, part_digests
    from hrcoord.core.repo import Repository

    for rec in Repository(root, guard=False).records("judgment").values():
        if rec.get("status") in ("approved", "published") and not isinstance(rec.get("review"), dict):
            data = {**rec.data, "review": {"by": "Koordinator", "date": str(rec.get("published") or "2014-01-01"),
                                           "digest": digest(rec.data, rec.body),
                                           "parts": part_digests(rec.data, rec.body)}}
            rec.source.path.write_text(render_record(MODELS["judgment"], data, rec.source), encoding="utf-8")
