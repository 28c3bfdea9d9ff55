#!/usr/bin/env python3
"""The project's tasks without `make`, for Windows (and anywhere): the Makefile calls this too.

    python .ci/tasks.py demo      install into .venv, then the main jobs on the embedded data/
    python .ci/tasks.py test      install into .venv if needed, then the whole test suite
    python .ci/tasks.py lint      ruff, mypy, and the most complex functions (radon)
    python .ci/tasks.py fuzz      the long hostile-input run
    python .ci/tasks.py bench     the benchmark (SPEC §6); extra arguments go to bench/run.py
    python .ci/tasks.py upgrade   refresh .ci/constraints.txt from the newest releases
    python .ci/tasks.py clean     remove the venv, build/ and the embedded repository's caches

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
VENV = ROOT / os.environ.get("VENV", ".venv")  # (an absolute VENV stays as it is)
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
CONSTRAINTS = ROOT / ".ci" / "constraints.txt"
STAMP = VENV / ".installed"
AXE_VERSION = "4.14.1"  # axe-core, for the accessibility tests (tests/test_browser.py)
AXE = VENV / "npm" / "node_modules" / "axe-core" / "axe.min.js"

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
    """The venv with hrcoord (editable) and what the tests and the lint need; again only when
    pyproject.toml or the constraints changed."""
    if not PY.exists():
        venv.create(VENV, with_pip=True)
    sources = [ROOT / "pyproject.toml", CONSTRAINTS]
    newest = max(p.stat().st_mtime for p in sources if p.exists())
    if STAMP.exists() and STAMP.stat().st_mtime >= newest:
        return
    pip("--upgrade", "pip")
    pip("-e", ".[test,lint]")
    STAMP.touch()


def axe() -> None:
    """axe-core from npm for the accessibility tests; without npm they skip, saying so."""
    if AXE.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        print("npm is not installed: the accessibility (axe) tests will skip")
        return
    run(npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", VENV / "npm", f"axe-core@{AXE_VERSION}")


def hrcoord(*args: str) -> None:
    run(PY, "-m", "hrcoord", "--repo", ".", *args)


def demo(args: list[str]) -> None:
    install()
    for cmd in DEMO:
        hrcoord(*cmd)
    print("Done: the portal is in build/portal/index.html, the reports in build/.")


def test(args: list[str]) -> None:
    install()
    axe()
    # on every core; a test file stays on one worker (test_year.py is one scenario in steps)
    jobs = os.environ.get("JOBS", "auto")
    run(PY, "-m", "pytest", "-n", jobs, "--dist", "loadfile", *args)


def lint(args: list[str]) -> None:
    install()
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
    """The hostile run at length: FUZZ (default 5,000) command invocations on hostile records."""
    install()
    env = {**os.environ, "HRCOORD_FUZZ_INVOCATIONS": os.environ.get("FUZZ", "5000")}
    run(PY, "-m", "pytest", "-q", "tests/hostile/test_fuzz_commands.py", *args, env=env)


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
    run(spy, "-m", "pip", "install", "-q", ".[test,lint]")
    frozen = subprocess.run([str(spy), "-m", "pip", "freeze", "--exclude-editable", "--exclude", "hrcoord"],
                            cwd=ROOT, check=True, capture_output=True, text=True).stdout
    lines = sorted(line for line in frozen.splitlines() if line and not line.startswith(("#", "-e", "hrcoord")))
    CONSTRAINTS.write_text("# Pinned by `python .ci/tasks.py upgrade` (or `make upgrade`); CI installs these.\n"
                           + "\n".join(lines) + "\n", encoding="utf-8")
    shutil.rmtree(scratch, ignore_errors=True)
    print(f"wrote {CONSTRAINTS.relative_to(ROOT)} ({len(lines)} packages)")


def clean(args: list[str]) -> None:
    for path in (ROOT / "build", ROOT / ".hrcoord", VENV):
        shutil.rmtree(path, ignore_errors=True)


TASKS = {"install": lambda a: install(), "axe": lambda a: axe(), "demo": demo, "test": test, "lint": lint,
         "fuzz": fuzz, "bench": bench, "upgrade": upgrade, "clean": clean}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        print(__doc__)
        sys.exit(2)
    try:
        TASKS[sys.argv[1]](sys.argv[2:])
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode)
