"""`hrcoord validate`: every record against its model, then the repository checks."""
from __future__ import annotations

from pathlib import Path

from hrcoord.checks import REPOSITORY_CHECKS
from hrcoord.errors import ERROR, WARNING, Problem, Report
from hrcoord.models import MODELS
from hrcoord.models.settings import SETTINGS
from hrcoord.repo import Repository


def check_records(repo: Repository) -> list[Problem]:
    ctx = repo.context()
    out: list[Problem] = []
    settings = repo.settings_record
    if settings.source is not None:
        out.extend(settings.problems(SETTINGS.validate(settings, ctx)))
    for type_, model in MODELS.items():
        for rec in repo.records(type_).values():
            issues = model.validate(rec, ctx)
            if issues:
                out.extend(rec.problems(issues))
    return out


def validate(repo: Repository, paths: list[str] | None = None, strict: bool = False) -> Report:
    """Check the whole repository; with `paths`, report only problems in files under them."""
    repo.load()
    problems = list(repo.problems) + list(repo.stray) + check_records(repo)
    for check in REPOSITORY_CHECKS:
        problems.extend(check(repo))
    if paths:
        wanted = [repo.rel(Path(p).resolve()) for p in paths]
        problems = [p for p in problems if any(p.path == w or p.path.startswith(w.rstrip("/") + "/") or w == "."
                                               for w in wanted)]
    if strict:
        problems = [Problem(p.path, p.line, p.col, p.code, p.message, ERROR) if p.severity == WARNING else p
                    for p in problems]
    problems = sorted(set(problems), key=lambda p: (p.path, p.line, p.col, p.code))
    files = sum(len(v) for v in repo.files().values()) + 1
    return Report(problems, files)
