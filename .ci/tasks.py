#!/usr/bin/env python3
"""The project's tasks without `make`, for Windows (and anywhere): the Makefile calls this too.

    python .ci/tasks.py demo        install into .venv, then the main jobs on the embedded data/
    python .ci/tasks.py test        install into .venv if needed, then the whole test suite
    python .ci/tasks.py lint        ruff, mypy, then the complexity check
    python .ci/tasks.py complexity  the most complex functions (radon); fails on one over 15 without a reason
    python .ci/tasks.py fuzz        the long hostile-input run
    python .ci/tasks.py bench       the benchmark (SPEC §6); extra arguments go to bench/run.py
    python .ci/tasks.py upgrade     refresh .ci/constraints.txt from the newest releases
    python .ci/tasks.py clean       remove the venv, build/ and the embedded repository's caches

Only the standard library: it runs before anything is installed. Installs are pinned by
.ci/constraints.txt, so CI and every machine get the same versions.
"""
from __future__ import annotations

import ast
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
COMPLEXITY = 15  # radon's cyclomatic complexity above which a function says why ("Complexity: …")

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
    complexity(args)


def _functions(blocks, outer: str = ""):
    """(block, name) for radon's functions, methods and the functions nested in them."""
    for block in blocks:
        if not hasattr(block, "closures"):  # a class: its methods are listed on their own
            continue
        name = f"{block.classname}.{block.name}" if block.is_method else outer + block.name
        yield block, name
        yield from _functions(block.closures, name + ".")


def complexity(args: list[str]) -> None:
    """The 15 most complex functions of hrcoord/ (radon), then a failure listing every function
    over COMPLEXITY whose docstring does not say why it stays whole (a sentence "Complexity: …")."""
    try:
        from radon.complexity import cc_rank, cc_visit
    except ImportError:  # this interpreter is not the venv's: run there
        install()
        run(PY, Path(__file__).resolve(), "complexity", *args)
        return
    rows = []
    for path in sorted((ROOT / "hrcoord").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        docs = {node.lineno: ast.get_docstring(node) or "" for node in ast.walk(ast.parse(source))
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
        for block, name in _functions(cc_visit(source)):
            said = "Complexity:" in docs.get(block.lineno, "")
            line = (f"  {path.relative_to(ROOT).as_posix()}: {'M' if block.is_method else 'F'} "
                    f"{block.lineno}:{block.col_offset} {name} - {cc_rank(block.complexity)} ({block.complexity})")
            rows.append((-block.complexity, line, said))
    rows.sort()
    print(f"Most complex functions (radon; over {COMPLEXITY} only with a reason in the docstring):")
    for cc, line, said in rows[:15]:
        print(line + ("  [Complexity: in its docstring]" if said and -cc > COMPLEXITY else ""))
    unsaid = [line for cc, line, said in rows if -cc > COMPLEXITY and not said]
    if unsaid:
        print(f"\nOver {COMPLEXITY} with no reason: split it, or say why it stays whole in its docstring "
              "(a sentence beginning 'Complexity:'):")
        print("\n".join(unsaid))
        sys.exit(1)


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
         "complexity": complexity, "fuzz": fuzz, "bench": bench, "upgrade": upgrade, "clean": clean}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        print(__doc__)
        sys.exit(2)
    try:
        TASKS[sys.argv[1]](sys.argv[2:])
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode)
