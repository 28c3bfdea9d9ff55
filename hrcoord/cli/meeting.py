"""`hrcoord meeting …`: create meetings, take submissions, compile the agenda (saksliste), issue
the notice (innkalling) with its calendar invitation, render the minutes (referat), check the
four-a-year rule and plan a year's meetings. Logic: hrcoord/meetings.py, meetings_plan.py,
meeting_docs.py."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import click
import typer

from hrcoord.cli import common
from hrcoord.core.models.kinds import MAX_YEAR, MIN_YEAR

app = typer.Typer(rich_markup_mode=None, help="Network meetings: agenda, notice with calendar invitation, minutes, submissions, "
                       "the four-a-year check and planning.", no_args_is_help=True)

NetworkOpt = Annotated[Optional[str], typer.Option("--network", "-n", help="The network's slug, e.g. trafficking.")]
MeetingOpt = Annotated[Optional[str], typer.Option(
    "--meeting", "-m", help="The meeting's date YYYY-MM-DD (default: the network's next planned meeting).")]
DOC_FORMATS = ("md", "html", "docx", "json")
LIST_FORMATS = ("table", "md", "json", "csv")


# --- helpers ---------------------------------------------------------------------------------------


def _time(value: str | None, flag: str) -> str | None:
    if value is None:
        return None
    from hrcoord.core.errors import UsageError
    from hrcoord.core.models.base import TIME_RE

    if not TIME_RE.match(value):
        raise UsageError(f"{flag} must be a time HH:MM, not {value!r}")
    return value


def _binary_ok(fmt: str, out: Path | None) -> None:
    import sys

    if fmt == "docx" and out is None and sys.stdout.isatty():
        from hrcoord.core.errors import UsageError

        raise UsageError("--format docx writes a Word file; give --out FILE.docx")


# --- meeting new -----------------------------------------------------------------------------------
@app.command("new")
def new_cmd(
    network: NetworkOpt = None,
    date: Annotated[Optional[str], typer.Option("--date", "-d", help="Meeting date YYYY-MM-DD.")] = None,
    start: Annotated[Optional[str], typer.Option("--start", help="Start time HH:MM (default: the network's).")] = None,
    end: Annotated[Optional[str], typer.Option("--end", help="End time HH:MM (default: the network's).")] = None,
    location: Annotated[Optional[str], typer.Option("--location", help="Place (default: the network's).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Allow a weekend or public holiday.")] = False,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Create a planned meeting: data/meetings/<network>/<date>.md."""
    from hrcoord.networks.meetings import create_meeting

    r = common.repo(repo)
    slug = common.need(network, "--network", "Network")
    day = common.day(common.need(date, "--date", "Date (YYYY-MM-DD)"), "--date", required=True)
    path, text = create_meeting(r, slug, day, start=_time(start, "--start"), end=_time(end, "--end"),
                                location=location, force=force, dry_run=dry_run)
    if dry_run:
        common.emit(text, None)
        common.info(f"would create {r.rel(path)}")
    else:
        common.info(f"created {r.rel(path)}")


# --- submissions -----------------------------------------------------------------------------------
@app.command("submit")
def submit_cmd(
    network: NetworkOpt = None,
    department: Annotated[Optional[str], typer.Option("--department", help="Submitting department code, e.g. ASA.")] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="The item's title.")] = None,
    description: Annotated[Optional[str], typer.Option("--description", help="What the network should discuss.")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help="orientering, drøfting or beslutning.")] = None,
    by: Annotated[Optional[str], typer.Option("--by", help="Submitted by (a role title).")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="Submission date (default: today).")] = None,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Submit a department's item for a network's agenda (status proposed)."""
    from hrcoord.networks.meetings import submit

    r = common.repo(repo)
    slug = common.need(network, "--network", "Network")
    dept = common.need(department, "--department", "Department")
    ttl = common.need(title, "--title", "Title")
    path, text = submit(r, slug, dept, ttl, description=description, kind=kind, by=by,
                        day=common.day(date, "--date", required=True) if date else None, dry_run=dry_run)
    if dry_run:
        common.emit(text, None)
        common.info(f"would create {r.rel(path)}")
    else:
        common.info(f"created {r.rel(path)}")
        print(f"{slug}/{path.stem}")


@app.command("submissions")
def submissions_cmd(
    network: NetworkOpt = None,
    status: Annotated[Optional[list[str]], typer.Option(
        "--status", help="Only these statuses (proposed, accepted, scheduled, handled, rejected); repeatable.")] = None,
    repo: common.RepoOpt = None,
    format: common.format_opt(LIST_FORMATS, "table") = "table",
    out: common.OutOpt = None,
):
    """List submissions, newest first."""
    from hrcoord.core.errors import UsageError
    from hrcoord.core.models.submission import SUBMISSION_STATUSES
    from hrcoord.actionplans.reports.listing import render_rows

    r = common.repo(repo)
    if network:
        r.network(network)
    for s in status or []:
        if s not in SUBMISSION_STATUSES:
            raise UsageError(f"--status must be one of {', '.join(SUBMISSION_STATUSES)}, not {s!r}")
    rows = []
    for key, sub in r.records("submission").items():
        slug = key.split("/", 1)[0]
        if network and slug != network:
            continue
        if status and sub.get("status") not in status:
            continue
        rows.append({"network": slug, "id": sub.id, "date": str(sub.get("date") or ""),
                     "department": sub.get("department"), "title": sub.get("title"), "kind": sub.get("kind"),
                     "status": sub.get("status"), "meeting": str(sub.get("meeting") or ""),
                     "submitted_by": sub.get("submitted_by"), "description": sub.get("description"),
                     "reason": sub.get("reason")})
    rows.sort(key=lambda x: (x["date"], x["id"]), reverse=True)
    if format == "json":
        common.emit(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", out)
        return
    columns = [("date", "date"), ("network", "network"), ("id", "id"), ("department", "dept"),
               ("title", "title"), ("kind", "kind"), ("status", "status"), ("meeting", "meeting")]
    if format == "csv":
        columns += [("submitted_by", "submitted_by"), ("description", "description"), ("reason", "reason")]
    common.emit(render_rows(rows, columns, format), out)


@app.command("accept")
def accept_cmd(
    submission: Annotated[str, typer.Argument(help="Submission id, or NETWORK/ID.")],
    network: NetworkOpt = None,
    meeting: Annotated[Optional[str], typer.Option(
        "--meeting", "-m", help="Take it up at this meeting (YYYY-MM-DD); default: the next agenda compiled.")] = None,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Accept a proposed submission for the network's agenda."""
    from hrcoord.networks.meetings import find_submission, set_submission_status

    r = common.repo(repo)
    rec = find_submission(r, submission, network)
    text = set_submission_status(r, rec, "accepted", meeting=common.day(meeting, "--meeting", required=True) if meeting else None,
                                 dry_run=dry_run)
    if dry_run:
        common.emit(text, None)
    common.info(f"{'would accept' if dry_run else 'accepted'} {rec.rel}")


@app.command("reject")
def reject_cmd(
    submission: Annotated[str, typer.Argument(help="Submission id, or NETWORK/ID.")],
    reason: Annotated[Optional[str], typer.Option("--reason", help="Why it is not taken up (stored).")] = None,
    network: NetworkOpt = None,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Reject a submission, with the reason."""
    from hrcoord.networks.meetings import find_submission, set_submission_status

    r = common.repo(repo)
    rec = find_submission(r, submission, network)
    text = set_submission_status(r, rec, "rejected", reason=common.need(reason, "--reason", "Reason"), dry_run=dry_run)
    if dry_run:
        common.emit(text, None)
    common.info(f"{'would reject' if dry_run else 'rejected'} {rec.rel}")


# --- agenda, notice, minutes -----------------------------------------------------------------------
@app.command("agenda")
def agenda_cmd(
    network: NetworkOpt = None,
    meeting: MeetingOpt = None,
    write: Annotated[bool, typer.Option("--write", help="Store the agenda in the meeting record (fixes the "
                                                         "numbers) and mark its submissions scheduled.")] = False,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Compile afresh even when an agenda is stored "
                                                             "(notes and decisions of kept items stay).")] = False,
    repo: common.RepoOpt = None,
    format: common.format_opt(DOC_FORMATS, "md") = "md",
    out: common.OutOpt = None,
    lang: common.LangOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Compile the saksliste of the next planned (or the named) meeting, numbered Sak N/YY."""
    from hrcoord.networks.documents import agenda_document
    from hrcoord.networks.meetings import compile_agenda, find_meeting, write_agenda

    from hrcoord.core.transaction import transaction

    r = common.repo(repo)
    slug = common.need(network, "--network", "Network")
    lang = common.lang(r, lang)
    _binary_ok(format, out)
    m = find_meeting(r, slug, meeting)
    agenda = compile_agenda(r, r.network(slug), m, lang, rebuild=rebuild)
    for w in agenda.warnings:
        common.info(f"warning: {w}")
    with transaction(r, dry_run=dry_run):  # the record and the document: written together or not at all
        if write or dry_run:
            written = write_agenda(r, agenda, dry_run=dry_run)
            if agenda.stored:
                common.info(f"the agenda of {m.rel} is stored; shown as stored (use --rebuild to compile it afresh)")
            for p in written:
                common.info(f"{'would write' if dry_run else 'wrote'} {r.rel(p)}")
            if written and not dry_run:
                agenda.stored = True
                m = find_meeting(_fresh(r), slug, m.id)
                agenda.meeting = m
        common.emit(agenda_document(r, agenda, format, lang), out)


def _fresh(r):
    from hrcoord.core.repo import Repository

    return Repository(r.root)


@app.command("notice")
def notice_cmd(
    network: NetworkOpt = None,
    meeting: MeetingOpt = None,
    ics: Annotated[Optional[Path], typer.Option("--ics", help="Also write the calendar invitation (.ics) here.")] = None,
    papers: Annotated[Optional[str], typer.Option("--papers", help="Where the papers are (default: sent with the notice).")] = None,
    repo: common.RepoOpt = None,
    format: common.format_opt(("md", "html", "docx", "json"), "md") = "md",
    out: common.OutOpt = None,
    lang: common.LangOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Issue the innkalling: to whom, when, where, the agenda, the deadline for late items; with --ics the
    invitation (METHOD:REQUEST, stable UID, SEQUENCE raised on re-issue after a change).

    Issuing stores the agenda (final) and marks the meeting notified; --dry-run records nothing."""
    from hrcoord.core.transaction import transaction

    r = common.repo(repo)
    slug = common.need(network, "--network", "Network")
    lang = common.lang(r, lang)
    _binary_ok(format, out)
    # the record, the submissions, the invitation and the document: built first, written last
    with transaction(r, dry_run=dry_run):
        _notice(r, slug, meeting, ics, papers, format, out, lang, dry_run)


def _notice(r, slug, meeting, ics, papers, format, out, lang, dry_run) -> None:
    from hrcoord.networks.documents import notice_document, notice_ics
    from hrcoord.networks.meetings import compile_agenda, find_meeting, issue_notice

    m = find_meeting(r, slug, meeting)
    net = r.network(slug)
    agenda = compile_agenda(r, net, m, lang)
    for w in agenda.warnings:
        common.info(f"warning: {w}")
    state = issue_notice(r, agenda, dry_run=dry_run)
    if m.get("status") == "held":
        common.info(f"the meeting on {m.id} was held; the notice is shown, nothing recorded")
    elif state.issued:
        what = "first issue" if state.first else f"re-issued after a change, SEQUENCE {state.sequence}"
        for p in state.written:
            common.info(f"{'would write' if dry_run else 'wrote'} {r.rel(p)} ({what})")
        if not dry_run:
            fresh = _fresh(r)
            m = find_meeting(fresh, slug, m.id)
            agenda = compile_agenda(fresh, fresh.network(slug), m, lang)
            r, net = fresh, fresh.network(slug)
    else:
        common.info(f"notice unchanged since it was issued (SEQUENCE {state.sequence})")
    if ics is not None:
        invitation = notice_ics(r, agenda, lang, sequence=state.sequence, method=state.method)
        if dry_run:  # a dry run writes nothing, the invitation included
            common.info(f"would write {ics} ({len(invitation)} bytes, SEQUENCE {state.sequence})")
        else:
            common.write_file(ics, invitation)
            common.info(f"wrote {ics}")
    common.emit(notice_document(r, agenda, format, lang, sequence=state.sequence, papers=papers), out)


@app.command("minutes")
def minutes_cmd(
    network: NetworkOpt = None,
    meeting: Annotated[Optional[str], typer.Option("--meeting", "-m", help="The meeting's date YYYY-MM-DD.")] = None,
    repo: common.RepoOpt = None,
    format: common.format_opt(DOC_FORMATS, "md") = "md",
    out: common.OutOpt = None,
    lang: common.LangOpt = None,
):
    """Render the referat from the meeting record: attendance, per item notes and Vedtak, follow-ups."""
    from hrcoord.networks.documents import minutes_document
    from hrcoord.networks.meetings import compile_agenda, find_meeting

    r = common.repo(repo)
    slug = common.need(network, "--network", "Network")
    day = common.need(meeting, "--meeting", "Meeting date (YYYY-MM-DD)")
    lang = common.lang(r, lang)
    _binary_ok(format, out)
    m = find_meeting(r, slug, day)
    net = r.network(slug)
    if m.get("status") != "held":
        common.info(f"warning: the meeting on {m.id} is {m.get('status')}, not held; the minutes are incomplete")
    agenda = compile_agenda(r, net, m, lang)
    if not agenda.stored:
        common.info("warning: no agenda is stored for this meeting; the items shown are compiled, not minuted")
    common.emit(minutes_document(r, net, m, agenda, format, lang), out)


# --- the four-a-year rule and planning -------------------------------------------------------------
@app.command("check")
def check_cmd(
    year: Annotated[Optional[int], typer.Option("--year", "-y", min=MIN_YEAR, max=MAX_YEAR,
                                                help="The year (default: this year).")] = None,
    network: NetworkOpt = None,
    today: Annotated[Optional[str], typer.Option("--today", help="Judge as on this day (YYYY-MM-DD).")] = None,
    repo: common.RepoOpt = None,
    format: common.format_opt(LIST_FORMATS, "table") = "table",
    out: common.OutOpt = None,
    lang: common.LangOpt = None,
):
    """Per network: meetings held and planned per quarter against the minimum of four a year. Exit 1 when a
    network has fewer than four held in a finished year."""
    import datetime as dt

    from hrcoord.networks.plan import MINIMUM, check_year
    from hrcoord.actionplans.reports.listing import render_rows

    r = common.repo(repo)
    lang = common.lang(r, lang)
    now = common.day(today, "--today", required=True) if today else dt.date.today()
    year = year or now.year
    results = check_year(r, year, today=now, networks=[network] if network else None, lang=lang)
    if format == "json":
        common.emit(json.dumps([c.as_dict() for c in results], ensure_ascii=False, indent=2) + "\n", out)
    else:
        rows = []
        for c in results:
            row = {"network": c.network, "held": c.held, "planned": c.planned, "minimum": MINIMUM,
                   "status": c.status}
            for q, d in c.quarters.items():
                row[f"q{q}"] = _quarter_cell(d)
            rows.append(row)
        columns = [("network", "network"), ("q1", "Q1"), ("q2", "Q2"), ("q3", "Q3"), ("q4", "Q4"),
                   ("held", "held"), ("planned", "planned"), ("minimum", "minimum"), ("status", "status")]
        common.emit(render_rows(rows, columns, format, title=f"Network meetings {year}" if format == "table" else None),
                    out)
    short = [c for c in results if c.failed]
    for c in short:
        common.info(f"{c.network}: {c.held} meeting{'s' * (c.held != 1)} held in {year}; the minimum is {MINIMUM}")
    for c in results:
        if c.status == "at-risk":
            common.info(f"warning: {c.network}: {c.held} held and {c.planned} planned in {year}; "
                        f"plan more with `hrcoord meeting plan --network {c.network} --year {year}`")
    raise typer.Exit(1 if short else 0)


def _quarter_cell(d: dict) -> str:
    parts = []
    if d["held"]:
        parts.append(f"{len(d['held'])} held")
    if d["planned"]:
        parts.append(f"{len(d['planned'])} planned")
    return ", ".join(parts) or "–"


@app.command("plan")
def plan_cmd(
    network: NetworkOpt = None,
    year: Annotated[Optional[int], typer.Option("--year", "-y", min=MIN_YEAR, max=MAX_YEAR,
                                                help="The year to plan.")] = None,
    write: Annotated[bool, typer.Option("--write", help="Create the proposed meetings (status planned).")] = False,
    repo: common.RepoOpt = None,
    format: common.format_opt(("table", "json"), "table") = "table",
    out: common.OutOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Propose one meeting per quarter on the network's usual weekday and time, on working days clear of
    Norwegian public holidays, Easter week, July and the Christmas weeks."""
    from hrcoord.core.transaction import transaction
    from hrcoord.networks.meetings import create_meeting, parse_day
    from hrcoord.networks.plan import plan_year
    from hrcoord.actionplans.reports.listing import render_rows

    r = common.repo(repo)
    slug = common.need(network, "--network", "Network")
    if year is None:
        from hrcoord.core.errors import UsageError

        if not common.interactive():
            raise UsageError("missing --year")
        year = typer.prompt("Year", type=click.IntRange(MIN_YEAR, MAX_YEAR))
    proposals = plan_year(r, slug, year)
    with transaction(r, dry_run=dry_run):  # the listing and every proposed meeting, or none
        if format == "json":
            common.emit(json.dumps([p.as_dict() for p in proposals], ensure_ascii=False, indent=2) + "\n", out)
        else:
            rows = [{**p.as_dict(), "note": p.note + (f" ({', '.join(p.existing)})" if p.existing else ""),
                     "time": f"{p.start}–{p.end}" if p.start and p.end else (p.start or "")} for p in proposals]
            columns = [("quarter", "quarter"), ("date", "date"), ("weekday", "weekday"), ("time", "time"),
                       ("location", "location"), ("note", "note")]
            common.emit(render_rows(rows, columns, "table", title=f"Proposed meetings: {slug} {year}"), out)
        for p in proposals if write else []:
            if not p.date:
                continue
            path, _ = create_meeting(r, slug, parse_day(p.date, "date"), start=p.start, end=p.end,
                                     location=p.location, dry_run=dry_run)
            common.info(f"{'would create' if dry_run else 'created'} {r.rel(path)}")
