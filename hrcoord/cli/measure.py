"""`hrcoord measure add|update|list`: the measures (tiltak) of the action plans and their status log."""
from __future__ import annotations

from typing import Annotated, Literal, Optional

import typer

from hrcoord.cli import common

app = typer.Typer(help="Measures (tiltak) of the action plans: add, append status entries, list.",
                  no_args_is_help=True, rich_markup_mode=None)

# choices as Literal types (typer turns them into choices); kept in step with models.action_plan by a test
Role = Literal["lead", "contributor"]
Status = Literal["not-started", "in-progress", "completed", "delayed", "cancelled", "continuous"]
ListFormat = Literal["table", "json", "csv", "md", "xlsx"]




@app.command("add")
def add_cmd(
    plan: Annotated[Optional[str], typer.Option("--plan", help="Action plan id (data/action-plans/<id>.yaml).")] = None,
    number: Annotated[Optional[str], typer.Option("--number",
        help="Number as printed in the plan, e.g. 'Tiltak 12'.")] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="Title of the measure.")] = None,
    role: Annotated[Optional[Role], typer.Option("--role", help="The directorate's role: lead or contributor.")] = None,
    department: Annotated[Optional[str], typer.Option("--department",
        help="Responsible department code (ASA, OPA, RMA …).")] = None,
    network: Annotated[Optional[str], typer.Option("--network",
        help="Network whose field the measure belongs to.")] = None,
    deadline: Annotated[Optional[str], typer.Option("--deadline", help="Deadline YYYY-MM-DD.")] = None,
    description: Annotated[Optional[str], typer.Option("--description", help="Longer description.")] = None,
    lead_agency: Annotated[Optional[str], typer.Option("--lead-agency", help="Agency that leads the measure.")] = None,
    status: Annotated[Status, typer.Option("--status", help="Status of the first log entry.")] = "not-started",
    note: Annotated[Optional[str], typer.Option("--note", help="Note of the first log entry.")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="Date of the first log entry (default today).")] = None,
    by: Annotated[Optional[str], typer.Option("--by",
        help="Who records it (default: the coordinator in hrcoord.yaml).")] = None,
    mid: Annotated[Optional[str], typer.Option("--id",
        help="Record id (default from the number: 'Tiltak 12' -> tiltak-12).")] = None,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Register a measure: writes data/measures/<plan>/<id>.yaml with its first status entry."""
    from hrcoord.actionplans import measures

    r = common.repo(repo)
    plan = common.need(plan, "--plan", "Action plan")
    number = common.need(number, "--number", "Number (e.g. Tiltak 12)")
    title = common.need(title, "--title", "Title")
    role = common.need(role, "--role", "Role (lead/contributor)")
    department = common.need(department, "--department", "Responsible department")
    key, text = measures.add(r, plan=plan, number=number, title=title, role=role, department=department,
                             network=network, deadline=common.day(deadline, "--deadline"), description=description,
                             lead_agency=lead_agency, status=status, note=note, date=common.day(date, "--date"),
                             by=by, mid=mid, dry_run=dry_run)
    if dry_run:
        common.emit(text, None)
        common.info(f"dry run: would create data/measures/{key}.yaml")
    else:
        common.info(f"created data/measures/{key}.yaml")
        print(key)


@app.command("update")
def update_cmd(
    measure: Annotated[str, typer.Argument(help="Measure: PLAN/ID, or ID when it is unique.")],
    status: Annotated[Optional[Status], typer.Option("--status", help="The new status.")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="What happened.")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="Date of the entry (default today).")] = None,
    by: Annotated[Optional[str], typer.Option("--by",
        help="Who reports it (default: the coordinator in hrcoord.yaml).")] = None,
    backdate: Annotated[bool, typer.Option("--backdate", help="Allow a date before the last entry (a late "
                                                              "registration, filed in date order).")] = False,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Append a status entry to a measure's log (earlier entries are never changed)."""
    from hrcoord.actionplans import measures

    r = common.repo(repo)
    status = common.need(status, "--status", "Status")
    rec, entry, text = measures.update(r, measure, status=status, note=note, date=common.day(date, "--date"), by=by,
                                       backdate=backdate, dry_run=dry_run)
    if dry_run:
        common.emit(text, None)
        common.info(f"dry run: would append {entry['date']} {entry['status']} to {rec.rel}")
    else:
        common.info(f"{rec.rel}: appended {entry['date']} {entry['status']}")


@app.command("list")
def list_cmd(
    plan: Annotated[Optional[str], typer.Option("--plan", help="Only this action plan.")] = None,
    status: Annotated[Optional[list[str]], typer.Option(
        "--status", help="Only this status (repeatable): not-started, in-progress, completed, delayed, cancelled, "
                         "continuous.")] = None,
    department: Annotated[Optional[str], typer.Option("--department", help="Only this responsible department.")] = None,
    network: Annotated[Optional[str], typer.Option("--network", help="Only measures of this network.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only measures past their deadline and not "
                                                            "completed or cancelled.")] = False,
    due_before: Annotated[Optional[str], typer.Option("--due-before",
        help="Only measures with a deadline before this date.")] = None,
    today: Annotated[Optional[str], typer.Option("--today", help="Evaluate status and deadlines on this day "
                                                                 "(default today).")] = None,
    format: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format: table, json, csv, md or xlsx "
                                                                      "(give --out).")] = "table",
    excel: common.ExcelOpt = False,
    repo: common.RepoOpt = None,
    out: common.OutOpt = None,
):
    """List measures with their current status, filtered."""
    from hrcoord.actionplans import measures
    from hrcoord.actionplans.reports.listing import render_rows

    r = common.repo(repo)
    if department is not None:
        measures.check_department(r, department)
    items = measures.rows(r, plan=plan, status=status or None, department=department, network=network,
                          overdue=overdue, due_before=common.day(due_before, "--due-before"),
                          today=common.day(today, "--today"))
    fmt = common.excel_format(format, excel, "table")
    common.emit(render_rows(items, measures.COLUMNS, fmt, excel=excel, lang=r.language), out)
    if format == "table":
        common.info(f"{len(items)} measure{'s' * (len(items) != 1)}")
