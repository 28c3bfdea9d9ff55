"""Git, called as the `git` program (SPEC §5), with GIT_* variables of an enclosing hook removed."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from hrcoord.errors import HrcoordError


def git_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.setdefault("LC_ALL", "C")
    return env


def git(root: Path, *args: str, check: bool = True, input: str | None = None) -> str:
    try:
        proc = subprocess.run(["git", *args], cwd=root, env=git_env(), capture_output=True, text=True,
                              input=input, encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise HrcoordError("git is not installed; it is needed for this command") from None
    if check and proc.returncode != 0:
        raise HrcoordError(f"git {' '.join(args[:2])} failed: {proc.stderr.strip() or proc.stdout.strip()}")
    return proc.stdout
