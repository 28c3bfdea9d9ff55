"""`hrcoord hearing add|list|status`: hearings (høringer) the directorate answers."""
from __future__ import annotations

from typing import Annotated, Literal, Optional

import typer

from hrcoord.cli import common

app = typer.Typer(help="Hearings (høringer): register, record the answer, list.", no_args_is_help=True,
                  rich_markup_mode=None)

HearingStatus = Literal["received", "in-progress", "answered", "declined"]
ListFormat = Literal["table", "json", "csv", "md", "xlsx"]




@app.command("add")
def add_cmd(
    sender: Annotated[Optional[str], typer.Option("--sender",
        help="Who sent the hearing (a ministry, a directorate).")] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="Title of the hearing.")] = None,
    received: Annotated[Optional[str], typer.Option("--received",
        help="Date received, YYYY-MM-DD (default today).")] = None,
    deadline: Annotated[Optional[str], typer.Option("--deadline", help="Answer deadline, YYYY-MM-DD.")] = None,
    responsible: Annotated[Optional[str], typer.Option("--responsible", help="Responsible department code.")] = None,
    status: Annotated[HearingStatus, typer.Option("--status", help="Status.")] = "received",
    case_ref: Annotated[Optional[str], typer.Option("--case-ref", help="Archive case number, e.g. 14/01234-1.")] = None,
    url: Annotated[Optional[str], typer.Option("--url", help="Link to the hearing.")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="A note.")] = None,
    hid: Annotated[Optional[str], typer.Option("--id", help="Record id (default: year + title words).")] = None,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Register a hearing: writes data/hearings/<id>.yaml."""
    import datetime as dt

    from hrcoord.actionplans import hearings

    r = common.repo(repo)
    sender = common.need(sender, "--sender", "Sender")
    title = common.need(title, "--title", "Title")
    deadline_d = common.day(common.need(deadline, "--deadline", "Deadline (YYYY-MM-DD)"), "--deadline")
    responsible = common.need(responsible, "--responsible", "Responsible department")
    received_day = common.day(received, "--received") or dt.date.today()
    hid, text = hearings.add(r, sender=sender, title=title, received=received_day,
                             deadline=deadline_d, responsible=responsible, status=status, case_ref=case_ref, url=url,
                             note=note, hid=hid, dry_run=dry_run)
    if dry_run:
        common.emit(text, None)
        common.info(f"dry run: would create data/hearings/{hid}.yaml")
    else:
        common.info(f"created data/hearings/{hid}.yaml")
        print(hid)


@app.command("status")
def status_cmd(
    hearing: Annotated[str, typer.Argument(help="Hearing id.")],
    status: Annotated[HearingStatus, typer.Argument(help="New status: received, in-progress, answered, declined.")],
    answered: Annotated[Optional[str], typer.Option("--answered",
        help="Date answered or declined (default today).")] = None,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Change a hearing's status (answered/declined record the date)."""
    from hrcoord.actionplans import hearings

    r = common.repo(repo)
    rec, text = hearings.set_status(r, hearing, status, answered=common.day(answered, "--answered"), dry_run=dry_run)
    if dry_run:
        common.emit(text, None)
        common.info(f"dry run: would write {rec.rel} (status {status})")
    else:
        common.info(f"{rec.rel}: status {status}")


@app.command("list")
def list_cmd(
    status: Annotated[Optional[list[str]], typer.Option("--status", help="Only this status (repeatable): received, "
                                                        "in-progress, answered, declined.")] = None,
    responsible: Annotated[Optional[str], typer.Option("--responsible",
        help="Only this responsible department.")] = None,
    open_only: Annotated[bool, typer.Option("--open", help="Only hearings not yet answered or declined.")] = False,
    due_before: Annotated[Optional[str], typer.Option("--due-before",
        help="Only hearings with a deadline before this date.")] = None,
    today: Annotated[Optional[str], typer.Option("--today",
        help="Count days left from this day (default today).")] = None,
    format: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format: table, json, csv, md or xlsx "
                                                                      "(give --out).")] = "table",
    excel: common.ExcelOpt = False,
    repo: common.RepoOpt = None,
    out: common.OutOpt = None,
):
    """List hearings, soonest deadline first."""
    from hrcoord.actionplans import hearings
    from hrcoord.actionplans.reports.listing import render_rows

    r = common.repo(repo)
    items = hearings.rows(r, status=status or None, responsible=responsible, open_only=open_only,
                          due_before=common.day(due_before, "--due-before"), today=common.day(today, "--today"))
    fmt = common.excel_format(format, excel, "table")
    common.emit(render_rows(items, hearings.COLUMNS, fmt, excel=excel, lang=r.language), out)
    if format == "table":
        common.info(f"{len(items)} hearing{'s' * (len(items) != 1)}")
