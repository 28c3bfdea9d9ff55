"""National action plans without editing YAML: `plan add` writes data/action-plans/<id>.yaml,
next to `measure add` for its measures."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hrcoord.core.errors import UsageError
from hrcoord.core.models.base import ID_RE, suggest


@dataclass
class NewPlan:
    id: str
    title_nb: str
    ministry: str
    period_from: int
    period_to: int
    fields: list[str]  # the networks it concerns
    title_en: str | None = None
    source_url: str | None = None


def _check(repo, plan: NewPlan) -> None:
    if not ID_RE.match(plan.id):
        raise UsageError(f"--id {plan.id!r} is not a valid id (lower-case letters, digits, hyphens)")
    plans = repo.records("action-plan")
    if plan.id in plans:
        raise UsageError(f"action plan {plan.id!r} exists already ({plans[plan.id].rel})")
    if not plan.fields:
        raise UsageError("give the networks the plan concerns with --network (repeatable)")
    known = sorted(repo.networks())
    for slug in plan.fields:
        if slug not in known:
            raise UsageError(f"--network: unknown network {slug!r}{suggest(slug, known)}; "
                             f"known networks: {', '.join(known) or 'none'}")
    if plan.period_to < plan.period_from:
        raise UsageError(f"--to {plan.period_to} is before --from {plan.period_from}")


def add_plan(repo, plan: NewPlan, *, dry_run: bool = False) -> tuple[Path, str]:
    from hrcoord.core import records
    from hrcoord.core.fsutil import repo_lock

    with repo_lock(repo.root):
        _check(repo, plan)
        data = {"id": plan.id, "title_nb": plan.title_nb, "title_en": plan.title_en, "ministry": plan.ministry,
                "period_from": plan.period_from, "period_to": plan.period_to, "fields": plan.fields,
                "source_url": plan.source_url}
        data = {k: v for k, v in data.items() if v is not None}
        path = repo.data_dir / "action-plans" / f"{plan.id}.yaml"
        text = records.write(repo, "action-plan", path, data, exclusive=True, dry_run=dry_run)
    return path, text
