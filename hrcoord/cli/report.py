"""`hrcoord report action-plan|quarterly`: the annual report on the action-plan measures and the
quarterly report. Same repository and arguments, same bytes (no timestamp unless --stamp)."""
from __future__ import annotations

from typing import Annotated, Literal, Optional

import typer

from hrcoord.cli import common
from hrcoord.core.models.kinds import MAX_YEAR, MIN_YEAR

app = typer.Typer(help="Reports: the annual action-plan report and the quarterly report.", no_args_is_help=True,
                  rich_markup_mode=None)

ReportFormat = Literal["md", "html", "docx", "pdf", "json", "csv", "xlsx"]
FormatOpt = Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format: md, html, docx, pdf (PDF/A), "
                                                                        "xlsx (give --out for these three), json "
                                                                        "or csv.")]
StampOpt = Annotated[bool, typer.Option("--stamp", help="Print when the report was generated (makes the output "
                                                        "differ from run to run).")]


def _finish(r, model, format: str, excel: bool, stamp: bool, out):
    from hrcoord.actionplans.reports.common import stamp_now
    from hrcoord.actionplans.reports.output import render

    if stamp:
        model.stamp = stamp_now()
    fmt = common.excel_format(format, excel, "md")
    common.emit(render(r, model, fmt, excel=excel), out)


@app.command("action-plan")
def action_plan_cmd(
    year: Annotated[int, typer.Option("--year", min=MIN_YEAR, max=MAX_YEAR,
                                      help="The year reported on (status at 31 December, or on the "
                                                      "report day while the year runs).")],
    plan: Annotated[Optional[str], typer.Option("--plan", help="Only this action plan (default: every plan "
                                                               "running that year).")] = None,
    format: FormatOpt = "md",
    excel: common.ExcelOpt = False,
    today: common.TodayOpt = None,
    lang: common.LangOpt = None,
    stamp: StampOpt = False,
    repo: common.RepoOpt = None,
    out: common.OutOpt = None,
):
    """The annual report on the follow-up of the action-plan measures: per plan a summary table,
    per measure its status at year end, the year's entries and notes, overdue and delayed flags."""
    from hrcoord.actionplans.reports import action_plan

    r = common.repo(repo)
    model = action_plan.build(r, year, plan=plan, lang=lang, today=common.day(today, "--today"))
    _finish(r, model, format, excel, stamp, out)


@app.command("quarterly")
def quarterly_cmd(
    quarter: Annotated[str, typer.Option("--quarter", help="The quarter: 2014-Q2 (or 2014Q2).")],
    format: FormatOpt = "md",
    excel: common.ExcelOpt = False,
    today: common.TodayOpt = None,
    lang: common.LangOpt = None,
    stamp: StampOpt = False,
    repo: common.RepoOpt = None,
    out: common.OutOpt = None,
):
    """The quarter's report: network meetings against the one-a-quarter rhythm, summaries published,
    measure status changes, follow-ups opened and closed, hearings, deadlines in the next quarter."""
    from hrcoord.actionplans.reports import quarterly
    from hrcoord.actionplans.reports.common import parse_quarter

    q = parse_quarter(quarter)
    r = common.repo(repo)
    model = quarterly.build(r, q, lang=lang, today=common.day(today, "--today"))
    _finish(r, model, format, excel, stamp, out)
