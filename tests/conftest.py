"""Shared fixtures: a scratch copy of the embedded repository, an empty one, and a CLI runner."""
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
    from hrcoord.scaffold import init

    dest = tmp_path / "empty"
    init(dest, git=False)
    return dest


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
