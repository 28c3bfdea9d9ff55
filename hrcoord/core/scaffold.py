"""`hrcoord init`: a new data repository with settings, vocabularies, folders, git and a hook.

`init` never overwrites (issue 18): into an existing folder or git project it adds what is
missing, keeps every file that is there (a vocabulary of the same name stays as it is), adds its
lines to an existing `.gitignore` and `.gitattributes`, installs its pre-commit hook beside a hook
the project has (and says how to chain the two), and says what it did. Inside an existing git work
tree it uses that repository (no nested `git init`).

The git integration works outside the venv too: the hook and the diff driver run `hrcoord` when it
is on PATH, else the Python that ran `init` (a GUI git client, an unactivated venv).
"""
from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from hrcoord.core.errors import UsageError
from hrcoord.core.fsutil import atomic_write
from hrcoord.core.repo import SETTINGS_FILE

DEFAULTS = Path(__file__).resolve().parent.parent / "defaults"
FOLDERS = ("networks", "judgments", "meetings", "submissions", "action-plans", "measures", "hearings")
MARK = "Installed by `hrcoord init`"

PRE_COMMIT_HOOK = """#!/bin/sh
# Installed by `hrcoord init`: refuse a commit while the repository has errors.
top="$(git rev-parse --show-toplevel)"
if command -v hrcoord >/dev/null 2>&1; then
  exec hrcoord --repo "$top{prefix}" validate
fi
# hrcoord is not on PATH (an unactivated venv, a GUI client): the Python that ran `hrcoord init`
exec {python} -m hrcoord --repo "$top{prefix}" validate
"""

GITATTRIBUTES = ["# Installed by `hrcoord init`: `git diff` shows summaries word by word.",
                 "data/judgments/**/*.md diff=hrcoord"]
GITIGNORE = ["# hrcoord's caches and lock (Installed by `hrcoord init`)", ".hrcoord/"]


def init(target: Path, language: str = "nb", git: bool = True) -> list[str]:
    """Scaffold a repository in `target`, adding to what is there and overwriting nothing.
    Returns what was done, one line each."""
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} is a file; give a folder for the new repository (it may exist)")
    if (target / SETTINGS_FILE).exists():
        raise UsageError(f"{target / SETTINGS_FILE} exists: {target} is already an hrcoord repository")
    done: list[str] = []
    settings = (DEFAULTS / SETTINGS_FILE).read_text(encoding="utf-8")
    if language != "nb":
        settings = settings.replace("language: nb", f"language: {language}", 1)
    atomic_write(target / SETTINGS_FILE, settings, exclusive=True)
    done.append(f"wrote {SETTINGS_FILE}")
    for name in ("organisation.yaml", "conventions.yaml", "taxonomy.yaml"):
        done.append(_new_file(target / "data" / name, (DEFAULTS / name).read_bytes(), f"data/{name}"))
    made = [f"data/{f}/" for f in FOLDERS if _folder(target / "data" / f)]
    if _folder(target / "templates", keep=False):
        made.append("templates/")
    if made:
        done.append("made " + ", ".join(made))
    from hrcoord.render.reference import PACKAGED

    # the Word documents' page, styles, header and footer: the office replaces it with its own
    done.append(_new_file(target / "templates" / "word" / "reference.docx", PACKAGED.read_bytes(),
                          "templates/word/reference.docx"))
    done.append(merge_lines(target / ".gitignore", GITIGNORE))
    done.append(merge_lines(target / ".gitattributes", GITATTRIBUTES))
    if git:
        done += _git(target)
    return [d for d in done if d]


def _new_file(path: Path, data: bytes, shown: str) -> str:
    if path.exists():
        return f"kept {shown} (already there)"
    atomic_write(path, data, exclusive=True)
    return f"wrote {shown}"


def _folder(folder: Path, keep: bool = True) -> bool:
    """Make `folder` when missing (with a .gitkeep, so git keeps it empty); whether it was made."""
    if folder.is_dir():
        return False
    folder.mkdir(parents=True, exist_ok=True)
    if keep:
        (folder / ".gitkeep").touch()
    return True


def merge_lines(path: Path, lines: list[str]) -> str:
    """Add the `lines` a file lacks at its end (comments only with a line they introduce)."""
    shown = path.name
    if not path.exists():
        atomic_write(path, "\n".join(lines) + "\n")
        return f"wrote {shown}"
    old = path.read_text(encoding="utf-8", errors="surrogateescape")
    have = {line.strip() for line in old.splitlines()}
    missing = [line for line in lines if not line.startswith("#") and line.strip() not in have]
    if not missing:
        return f"kept {shown} (it has hrcoord's lines)"
    add = [lines[0]] + missing if lines[0].startswith("#") else missing
    atomic_write(path, old + ("" if old.endswith("\n") or not old else "\n") + "\n".join(add) + "\n")
    return f"added {', '.join(missing)} to {shown}"


def _git(target: Path) -> list[str]:
    """Use the enclosing git work tree, or make one; the textconv driver and the hook."""
    from hrcoord.review import history

    done = []
    top = _work_tree(target)
    if top is None:
        history.git(target, "init", "-q", hardened=False)
        done.append("git init")
        top = target.resolve()
    prefix = target.resolve().relative_to(top).as_posix()
    history.git(target, "config", "diff.hrcoord.textconv", history.textconv_command(), hardened=False)
    done.append("set git's diff driver for summaries (diff.hrcoord.textconv)")
    hooks = Path(history.git(target, "rev-parse", "--git-path", "hooks", hardened=False).strip())
    hooks = hooks if hooks.is_absolute() else Path(os.path.normpath(target / hooks))
    done.append(install_hook(hooks, "" if prefix == "." else "/" + prefix))
    return done


def _work_tree(target: Path) -> Path | None:
    """The top of the git work tree that holds `target`, if any."""
    from hrcoord.review import history

    out = history.git(target, "rev-parse", "--show-toplevel", check=False, hardened=False).strip()
    return Path(out).resolve() if out else None


def install_hook(hooks: Path, prefix: str = "") -> str:
    """hrcoord's pre-commit hook; beside a hook of the project's own, never over it."""
    hooks.mkdir(parents=True, exist_ok=True)
    text = PRE_COMMIT_HOOK.replace("{python}", shlex.quote(sys.executable)).replace("{prefix}", prefix)
    hook = hooks / "pre-commit"
    if hook.exists() and MARK not in hook.read_text(encoding="utf-8", errors="replace"):
        beside = hooks / "pre-commit.hrcoord"
        atomic_write(beside, text)
        beside.chmod(0o755)
        return (f"the project has a pre-commit hook of its own ({hook}); kept it and installed hrcoord's beside it "
                f"as {beside.name}. To run both, add this line to {hook}: \"$(git rev-parse --git-path hooks)/"
                f"pre-commit.hrcoord\" || exit 1")
    atomic_write(hook, text)
    hook.chmod(0o755)
    return "installed the pre-commit hook (runs hrcoord validate)"
