"""`hrcoord init`: a new data repository with settings, vocabularies, folders, git and a hook."""
from __future__ import annotations

import shutil
from pathlib import Path

from hrcoord.core.errors import UsageError
from hrcoord.core.fsutil import atomic_write
from hrcoord.core.repo import SETTINGS_FILE

DEFAULTS = Path(__file__).resolve().parent.parent / "defaults"
FOLDERS = ("networks", "judgments", "meetings", "submissions", "action-plans", "measures", "hearings")

PRE_COMMIT_HOOK = """#!/bin/sh
# Installed by `hrcoord init`: refuse a commit while the repository has errors.
top="$(git rev-parse --show-toplevel)"
if command -v hrcoord >/dev/null 2>&1; then
  exec hrcoord --repo "$top" validate
fi
# hrcoord is not on PATH (an unactivated venv): the Python that ran `hrcoord init`
exec {python} -m hrcoord --repo "$top" validate
"""

GITATTRIBUTES = """# Installed by `hrcoord init`: `git diff` shows summaries word by word.
data/judgments/**/*.md diff=hrcoord
"""

GITIGNORE = ".hrcoord/\n"


def init(target: Path, language: str = "nb", git: bool = True) -> list[str]:
    """Scaffold a repository in `target`; refuses to touch an existing one. Returns what was made."""
    target = Path(target)
    if (target / SETTINGS_FILE).exists():
        raise UsageError(f"{target / SETTINGS_FILE} exists: {target} is already an hrcoord repository")
    if (target / "data").exists() and any((target / "data").iterdir()):
        raise UsageError(f"{target / 'data'} exists and is not empty; not overwriting it")
    made = []
    settings = (DEFAULTS / SETTINGS_FILE).read_text(encoding="utf-8")
    if language != "nb":
        settings = settings.replace("language: nb", f"language: {language}", 1)
    atomic_write(target / SETTINGS_FILE, settings, exclusive=True)
    made.append(SETTINGS_FILE)
    for name in ("organisation.yaml", "conventions.yaml", "taxonomy.yaml"):
        atomic_write(target / "data" / name, (DEFAULTS / name).read_bytes(), exclusive=True)
        made.append(f"data/{name}")
    for folder in FOLDERS:
        (target / "data" / folder).mkdir(parents=True, exist_ok=True)
        (target / "data" / folder / ".gitkeep").touch()
        made.append(f"data/{folder}/")
    (target / "templates").mkdir(exist_ok=True)
    from hrcoord.render.reference import PACKAGED

    # the Word documents' page, styles, header and footer: the office replaces it with its own
    atomic_write(target / "templates" / "word" / "reference.docx", PACKAGED.read_bytes(), exclusive=True)
    made.append("templates/word/reference.docx")
    atomic_write(target / ".gitignore", GITIGNORE)
    atomic_write(target / ".gitattributes", GITATTRIBUTES)
    made += [".gitignore", ".gitattributes"]
    if git:
        from hrcoord.review import history

        history.git(target, "init", "-q")
        history.git(target, "config", "diff.hrcoord.textconv", history.textconv_command())
        hook = Path(history.git(target, "rev-parse", "--git-path", "hooks").strip())
        hook = hook if hook.is_absolute() else target / hook
        hook.mkdir(parents=True, exist_ok=True)
        import shlex
        import sys

        atomic_write(hook / "pre-commit", PRE_COMMIT_HOOK.replace("{python}", shlex.quote(sys.executable)))
        (hook / "pre-commit").chmod(0o755)
        made.append(".git/hooks/pre-commit")
    return made


def has_git() -> bool:
    return shutil.which("git") is not None
