"""`hrcoord plan add`: a national action plan (data/action-plans/<id>.yaml), next to `measure add`
for its measures. Logic: hrcoord/actionplans/plans.py."""
from __future__ import annotations

from typing import Annotated, Optional

import typer

from hrcoord.cli import common

app = typer.Typer(help="National action plans: add one (its measures: `hrcoord measure add`).",
                  no_args_is_help=True, rich_markup_mode=None)


@app.callback()
def plan() -> None:
    """National action plans: add one (its measures: `hrcoord measure add`)."""


@app.command("add")
def add_cmd(
    pid: Annotated[Optional[str], typer.Option("--id", help="Record id, e.g. trafficking-2015-2018.")] = None,
    title_nb: Annotated[Optional[str], typer.Option("--title-nb", help="Title in Norwegian, as published.")] = None,
    title_en: Annotated[Optional[str], typer.Option("--title-en", help="Title in English.")] = None,
    ministry: Annotated[Optional[str], typer.Option("--ministry", help="The responsible ministry.")] = None,
    period_from: Annotated[Optional[int], typer.Option("--from", help="First year of the plan.")] = None,
    period_to: Annotated[Optional[int], typer.Option("--to", help="Last year of the plan.")] = None,
    network: Annotated[Optional[list[str]], typer.Option("--network", help="A network the plan concerns; "
                                                                           "repeatable.")] = None,
    source_url: Annotated[Optional[str], typer.Option("--source-url", help="Link to the published plan.")] = None,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Register an action plan: writes data/action-plans/<id>.yaml."""
    from hrcoord.actionplans.plans import NewPlan, add_plan

    r = common.repo(repo)
    plan = NewPlan(common.need(pid, "--id", "Id"), common.need(title_nb, "--title-nb", "Title (Norwegian)"),
                   common.need(ministry, "--ministry", "Ministry"),
                   int(common.need(period_from, "--from", "First year")),
                   int(common.need(period_to, "--to", "Last year")), list(network or []), title_en, source_url)
    path, text = add_plan(r, plan, dry_run=dry_run)
    if dry_run:
        common.emit(text, None)
    common.info(f"{'would create' if dry_run else 'created'} {r.rel(path)}")
