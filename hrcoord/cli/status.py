"""`hrcoord status`: what needs attention today (or on --today DATE)."""
from __future__ import annotations

from typing import Annotated, Literal, Optional

import typer

from hrcoord.cli import common

StatusFormat = Literal["table", "md", "json", "xlsx"]


def status_cmd(
    today: Annotated[Optional[str], typer.Option("--today", help="Look from this day, YYYY-MM-DD (default today; "
                                                                 "for testing and reproducible output).")] = None,
    measure_days: Annotated[int, typer.Option("--measure-days", min=0, max=3660,
        help="Show measures due within this many days.")] = 30,
    hearing_days: Annotated[int, typer.Option("--hearing-days", min=0, max=3660,
        help="Show hearings due within this many days.")] = 14,
    format: Annotated[StatusFormat, typer.Option("--format", "-f",
        help="Output format: table, md, json or xlsx (give --out).")] = "table",
    every: Annotated[bool, typer.Option("--all", help="In the terminal, every row of every section (without it, "
                                                   "the first 20 of each and how many more).")] = False,
    lang: common.LangOpt = None,
    repo: common.RepoOpt = None,
    out: common.OutOpt = None,
):
    """What needs attention: networks without a meeting this quarter, measures overdue or due soon,
    summaries waiting for review, follow-ups past due, hearings near their deadline."""
    from hrcoord.actionplans.reports import status
    from hrcoord.actionplans.reports.common import parse_day

    r = common.repo(repo)
    st = status.build(r, parse_day(today, "--today"), lang=lang, measure_days=measure_days, hearing_days=hearing_days)
    common.emit(status.render(r, st, format, every=every), out)


def register(app: typer.Typer) -> None:
    app.command("status")(status_cmd)
