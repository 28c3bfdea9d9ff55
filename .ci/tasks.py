#!/usr/bin/env python3
"""The project's tasks without `make`, for Windows (and anywhere): the Makefile calls this too.

    python .ci/tasks.py demo      install into .venv, then the main jobs on the embedded data/
    python .ci/tasks.py test      install into .venv if needed, then the whole test suite
    python .ci/tasks.py lint      ruff, mypy, and the most complex functions (radon)
    python .ci/tasks.py fuzz      the long hostile-input run
    python .ci/tasks.py bench     the benchmark (SPEC §6); extra arguments go to bench/run.py
    python .ci/tasks.py upgrade   refresh .ci/constraints.txt from the newest releases

Only the standard library: it runs before anything is installed. Installs are pinned by
.ci/constraints.txt, so CI and every machine get the same versions.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
CONSTRAINTS = ROOT / ".ci" / "constraints.txt"
STAMP = VENV / ".installed"
LINT_TOOLS = ["ruff", "mypy", "radon", "types-PyYAML"]

DEMO = [
    ["validate"],
    ["judgment", "list", "--status", "published"],
    ["meeting", "agenda", "--network", "trafficking"],
    ["meeting", "check", "--year", "2014"],
    ["report", "action-plan", "--year", "2014", "--format", "html", "--out", "build/tiltak-2014.html"],
    ["report", "quarterly", "--quarter", "2014-Q2", "--out", "build/kvartal-2014-Q2.md"],
    ["publish", "--out", "build/portal"],
]


def run(*cmd: str | Path, **kw) -> None:
    print("+", " ".join(map(str, cmd)), flush=True)
    subprocess.run([str(c) for c in cmd], cwd=ROOT, check=True, **kw)


def pip(*args: str) -> None:
    pinned = ["-c", str(CONSTRAINTS)] if CONSTRAINTS.is_file() else []
    run(PY, "-m", "pip", "install", "-q", *pinned, *args)


def install() -> None:
    """The venv with hrcoord (editable) and what the tests need; again only when pyproject.toml
    or the constraints changed."""
    if not PY.exists():
        venv.create(VENV, with_pip=True)
    sources = [ROOT / "pyproject.toml", CONSTRAINTS]
    newest = max(p.stat().st_mtime for p in sources if p.exists())
    if STAMP.exists() and STAMP.stat().st_mtime >= newest:
        return
    pip("--upgrade", "pip")
    pip("-e", ".[test]")
    STAMP.touch()


def hrcoord(*args: str) -> None:
    run(BIN / ("hrcoord.exe" if os.name == "nt" else "hrcoord"), "--repo", ".", *args)


def demo(args: list[str]) -> None:
    install()
    for cmd in DEMO:
        hrcoord(*cmd)
    print("Done: the portal is in build/portal/index.html, the reports in build/.")


def test(args: list[str]) -> None:
    install()
    run(PY, "-m", "pytest", *args)


def lint(args: list[str]) -> None:
    install()
    pip(*LINT_TOOLS)
    run(PY, "-m", "ruff", "check", "hrcoord", "tests", "bench", ".ci")
    run(PY, "-m", "mypy", "hrcoord")
    out = subprocess.run([str(PY), "-m", "radon", "cc", "-s", "-n", "C", "hrcoord"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    rows, module = [], ""
    for line in out.splitlines():
        if line.startswith("hrcoord"):
            module = line.strip()
        elif line.strip()[:1] in "FMC" and "(" in line:
            rows.append((int(line.rsplit("(", 1)[1].rstrip(")")), f"  {module}: {line.strip()}"))
    print("Most complex functions (radon; over 15 only with a reason in the docstring):")
    for _, row in sorted(rows, reverse=True)[:15]:
        print(row)


def fuzz(args: list[str]) -> None:
    install()
    run(PY, "-m", "pytest", "tests/hostile", "-q", *args, env={**os.environ, "HRCOORD_FUZZ": "5000"})


def bench(args: list[str]) -> None:
    install()
    run(PY, "bench/run.py", *args)


def upgrade(args: list[str]) -> None:
    """Install the newest releases the project allows into a scratch venv and pin them."""
    scratch = ROOT / "build" / "upgrade-venv"
    shutil.rmtree(scratch, ignore_errors=True)
    venv.create(scratch, with_pip=True)
    spy = scratch / PY.relative_to(VENV)
    run(spy, "-m", "pip", "install", "-q", "--upgrade", "pip")
    run(spy, "-m", "pip", "install", "-q", ".[test]", *LINT_TOOLS)
    frozen = subprocess.run([str(spy), "-m", "pip", "freeze", "--exclude-editable", "--exclude", "hrcoord"],
                            cwd=ROOT, check=True, capture_output=True, text=True).stdout
    lines = sorted(line for line in frozen.splitlines() if line and not line.startswith(("#", "-e", "hrcoord")))
    CONSTRAINTS.write_text("# Pinned by `python .ci/tasks.py upgrade` (or `make upgrade`); CI installs these.\n"
                           + "\n".join(lines) + "\n", encoding="utf-8")
    shutil.rmtree(scratch, ignore_errors=True)
    print(f"wrote {CONSTRAINTS.relative_to(ROOT)} ({len(lines)} packages)")


TASKS = {"install": lambda a: install(), "demo": demo, "test": test, "lint": lint, "fuzz": fuzz,
         "bench": bench, "upgrade": upgrade}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        print(__doc__)
        sys.exit(2)
    try:
        TASKS[sys.argv[1]](sys.argv[2:])
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode)
