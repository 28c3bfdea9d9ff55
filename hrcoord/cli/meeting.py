"""`hrcoord meeting …`: every change a meeting goes through — create, move, cancel, submissions,
the agenda (saksliste), the notice (innkalling) with its invitation and e-mail draft, attendance,
notes and decisions, follow-ups, held — and the minutes (referat), the four-a-year check and a
year's plan. Logic: hrcoord/networks/ (meetings, agenda, notice, invitation, submissions,
lifecycle, minutes, documents, plan)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal, Optional, TypeAlias

import click
import typer

from hrcoord.cli import common
from hrcoord.core.models.kinds import MAX_YEAR, MIN_YEAR

app = typer.Typer(rich_markup_mode=None, help="Network meetings: agenda, notice with calendar invitation, minutes, "
                  "submissions, the four-a-year check and planning.", no_args_is_help=True)
followup_app = typer.Typer(rich_markup_mode=None, no_args_is_help=True,
                           help="Follow-ups (oppfølgingspunkter) of a meeting: add, done, reopen.")
app.add_typer(followup_app, name="followup")

NetworkOpt = Annotated[Optional[str], typer.Option("--network", "-n", help="The network's slug, e.g. trafficking.")]
MeetingOpt = Annotated[Optional[str], typer.Option(
    "--meeting", "-m", help="The meeting's date YYYY-MM-DD (default: the network's next planned meeting).")]
DOC_FORMATS = ("md", "html", "docx", "pdf", "json")
LIST_FORMATS = ("table", "md", "json", "csv", "xlsx")
NamedMeetingOpt = Annotated[Optional[str], typer.Option("--meeting", "-m", help="The meeting's date YYYY-MM-DD.")]
StartOpt = Annotated[Optional[str], typer.Option("--start", help="Start time HH:MM (9:00 is read as 09:00).")]
EndOpt = Annotated[Optional[str], typer.Option("--end", help="End time HH:MM.")]
LocationOpt = Annotated[Optional[str], typer.Option("--location", help="Place.")]
IcsOpt = Annotated[Optional[Path], typer.Option("--ics", help="Also write the calendar file (.ics) here.")]
EmlOpt = Annotated[Optional[Path], typer.Option("--eml", help="Also write an e-mail draft (.eml) with the document "
                                                              "as text and HTML, the invitation and the Word file.")]
FormatOpt: TypeAlias = Annotated[str, common.format_option(DOC_FORMATS)]
ListFormatOpt: TypeAlias = Annotated[str, common.format_option(LIST_FORMATS)]


# --- helpers ---------------------------------------------------------------------------------------
def _time(value: str | None, flag: str) -> str | None:
    from hrcoord.networks.meetings import clock

    return clock(value, flag)


def _binary_ok(fmt: str, out: Path | None) -> None:
    import sys

    if fmt in ("docx", "pdf", "xlsx") and out is None and sys.stdout.isatty():
        from hrcoord.core.errors import UsageError

        raise UsageError(f"--format {fmt} writes a binary file; give --out FILE.{fmt}")


def _network_and_day(network: str | None, meeting: str | None):
    slug = common.need(network, "--network", "Network")
    day = common.day(common.need(meeting, "--meeting", "Meeting date (YYYY-MM-DD)"), "--meeting", required=True)
    return slug, day


def _fresh(r):
    from hrcoord.core.repo import Repository

    return Repository(r.root)


def _written(r, paths, dry_run: bool, what: str = "") -> None:
    for p in paths:
        common.info(f"{'would write' if dry_run else 'wrote'} {r.rel(p)}{what}")


def _file(path: Path | None, data: bytes, dry_run: bool, what: str) -> None:
    """An extra output file (.ics, .eml): written atomically, or only announced with --dry-run."""
    if path is None:
        return
    if dry_run:
        common.info(f"would write {path} ({what}, {len(data)} bytes)")
        return
    common.write_file(path, data)  # (staged in the command's transaction)
    common.info(f"wrote {path} ({what})")


def _recorded(result, dry_run: bool) -> None:
    for w in result.warnings:
        common.info(f"warning: {w}")
    if dry_run:
        common.emit(result.text, None)
    common.info(f"{'would record' if dry_run else 'recorded'} {result.what} in {result.meeting.rel}")


# --- meeting new -----------------------------------------------------------------------------------
@app.command("new")
def new_cmd(
    network: NetworkOpt = None,
    date: Annotated[Optional[str], typer.Option("--date", "-d", help="Meeting date YYYY-MM-DD.")] = None,
    start: StartOpt = None,
    end: EndOpt = None,
    location: LocationOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Allow a weekend or public holiday.")] = False,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Create a planned meeting: data/meetings/<network>/<date>.md (times and place default to the network's)."""
    from hrcoord.networks.meetings import create_meeting

    r = common.repo(repo)
    slug = common.need(network, "--network", "Network")
    day = common.day(common.need(date, "--date", "Date (YYYY-MM-DD)"), "--date", required=True)
    path, text = create_meeting(r, slug, day, start=_time(start, "--start"), end=_time(end, "--end"),
                                location=location, force=force, dry_run=dry_run)
    if dry_run:
        common.emit(text, None)
    common.info(f"{'would create' if dry_run else 'created'} {r.rel(path)}")


@app.command("move")
def move_cmd(
    network: NetworkOpt = None,
    meeting: NamedMeetingOpt = None,
    to: Annotated[Optional[str], typer.Option("--to", help="The new date YYYY-MM-DD.")] = None,
    start: StartOpt = None,
    end: EndOpt = None,
    location: LocationOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Allow a weekend or public holiday.")] = False,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Move a meeting to another day, time or place: the file is renamed and what names the meeting follows;
    the calendar UID stays, SEQUENCE is raised, and an agenda already sent becomes amended. Re-issue the notice
    (`meeting notice`) to send the change."""
    from hrcoord.networks.lifecycle import Move, move_meeting

    r = common.repo(repo)
    slug, day = _network_and_day(network, meeting)
    move = Move(common.day(to, "--to", required=True) if to else None, _time(start, "--start"), _time(end, "--end"),
                location, force)
    outcome = move_meeting(r, slug, day, move, dry_run=dry_run)
    _written(r, outcome.written, dry_run)
    for p in outcome.removed:
        common.info(f"{'would remove' if dry_run else 'removed'} {r.rel(p)}")
    for note in outcome.notes:
        common.info(note)
    common.info(f"{'would move' if dry_run else 'moved'} {outcome.meeting.rel} → {r.rel(outcome.path)} "
                f"(same calendar UID, SEQUENCE {outcome.sequence})")
    if outcome.sent:
        common.info(f"the notice went out before: send the change with "
                    f"`hrcoord meeting notice --network {slug} --meeting {outcome.data['date']}`")


@app.command("cancel")
def cancel_cmd(
    network: NetworkOpt = None,
    meeting: NamedMeetingOpt = None,
    reason: Annotated[Optional[str], typer.Option("--reason", help="Why the meeting is cancelled (in the "
                                                                   "notice).")] = None,
    ics: IcsOpt = None,
    eml: EmlOpt = None,
    repo: common.RepoOpt = None,
    format: FormatOpt = "md",
    out: common.OutOpt = None,
    lang: common.LangOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Cancel a meeting: status cancelled, the cancellation notice (md, html, docx), and with --ics/--eml the
    iCalendar METHOD:CANCEL (same UID, higher SEQUENCE). Its scheduled submissions go back to accepted."""
    from hrcoord.core.models.base import Record
    from hrcoord.networks.documents import cancellation_document
    from hrcoord.networks.invitation import cancel_eml, cancel_invitation
    from hrcoord.networks.lifecycle import cancel_meeting

    r = common.repo(repo)
    slug, day = _network_and_day(network, meeting)
    lang = common.lang(r, lang)
    _binary_ok(format, out)
    outcome = cancel_meeting(r, slug, day, reason=reason, dry_run=dry_run)
    _written(r, outcome.written, dry_run)
    for note in outcome.notes:
        common.info(note)
    r = _fresh(r) if not dry_run else r
    net = r.network(slug)
    cancelled = Record("meeting", outcome.meeting.id, outcome.meeting.source, outcome.data)
    if ics is not None or eml is not None:
        invitation = cancel_invitation(r, net, cancelled, lang, sequence=outcome.sequence)
        for w in invitation.warnings:
            common.info(f"warning: {w}")
        _file(ics, invitation.ics, dry_run, f"METHOD:CANCEL, SEQUENCE {outcome.sequence}")
        if eml is not None:
            _file(eml, cancel_eml(r, net, cancelled, lang, invitation), dry_run, "e-mail draft")
    common.emit(cancellation_document(r, net, cancelled, format, lang), out)


# --- submissions -----------------------------------------------------------------------------------
@app.command("submit")
def submit_cmd(
    network: NetworkOpt = None,
    department: Annotated[Optional[str], typer.Option("--department", help="Submitting department code, "
                                                                           "e.g. ASA.")] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="The item's title.")] = None,
    description: Annotated[Optional[str], typer.Option("--description", help="What the network should "
                                                                             "discuss.")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help="orientering, drøfting or beslutning.")] = None,
    by: Annotated[Optional[str], typer.Option("--submitted-by", "--by", help="Submitted by (a role title).")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="Submission date (default: today).")] = None,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Submit a department's item for a network's agenda (status proposed)."""
    from hrcoord.networks.submissions import submit

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


def _submission_rows(r, network: str | None, status: list[str] | None) -> list[dict]:
    rows = []
    for key, sub in r.records("submission").items():
        slug = key.split("/", 1)[0]
        if (network and slug != network) or (status and sub.get("status") not in status):
            continue
        rows.append({"network": slug, "id": sub.id, "date": str(sub.get("date") or ""),
                     "department": sub.get("department"), "title": sub.get("title"), "kind": sub.get("kind"),
                     "status": sub.get("status"), "meeting": str(sub.get("meeting") or ""),
                     "submitted_by": sub.get("submitted_by"), "description": sub.get("description"),
                     "reason": sub.get("reason")})
    rows.sort(key=lambda x: (x["date"], x["id"]), reverse=True)
    return rows


@app.command("submissions")
def submissions_cmd(
    network: NetworkOpt = None,
    status: Annotated[Optional[list[str]], typer.Option(
        "--status", help="Only these statuses (proposed, accepted, scheduled, handled, rejected); repeatable.")] = None,
    repo: common.RepoOpt = None,
    format: ListFormatOpt = "table",
    excel: common.ExcelOpt = False,
    out: common.OutOpt = None,
):
    """List submissions, newest first."""
    from hrcoord.actionplans.reports.listing import render_rows
    from hrcoord.core.errors import UsageError
    from hrcoord.core.models.submission import SUBMISSION_STATUSES

    r = common.repo(repo)
    if network:
        r.network(network)
    for s in status or []:
        if s not in SUBMISSION_STATUSES:
            raise UsageError(f"--status must be one of {', '.join(SUBMISSION_STATUSES)}, not {s!r}")
    rows = _submission_rows(r, network, status)
    format = common.excel_format(format, excel, "table")
    if format == "json":
        common.emit(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", out)
        return
    if format == "table":  # one table per network, its slug above it: the ids fit 80 columns
        from hrcoord.render.tables import terminal

        slugs = sorted({x["network"] for x in rows})
        common.emit("\n".join(terminal([[x["id"], x["department"], x["status"], x["title"]]
                                        for x in rows if x["network"] == slug], ["id", "dept", "status", "title"],
                                       folding=[False, False, False, True], title=slug)
                              for slug in slugs) or "no submissions\n", out)
        return
    columns = [("date", "date"), ("network", "network"), ("id", "id"), ("department", "dept"),
               ("title", "title"), ("kind", "kind"), ("status", "status"), ("meeting", "meeting")]
    if format in ("csv", "xlsx"):
        columns += [("submitted_by", "submitted_by"), ("description", "description"), ("reason", "reason")]
    common.emit(render_rows(rows, columns, format, excel=excel, lang=r.language), out)


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
    from hrcoord.networks.submissions import find_submission, set_submission_status

    r = common.repo(repo)
    rec = find_submission(r, submission, network)
    text = set_submission_status(r, rec, "accepted",
                                 meeting=common.day(meeting, "--meeting", required=True) if meeting else None,
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
    from hrcoord.networks.submissions import find_submission, set_submission_status

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
    format: FormatOpt = "md",
    out: common.OutOpt = None,
    lang: common.LangOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Compile the saksliste of the next planned (or the named) meeting, numbered Sak N/YY."""
    from hrcoord.core.transaction import transaction
    from hrcoord.networks.agenda import compile_agenda, write_agenda
    from hrcoord.networks.documents import agenda_document
    from hrcoord.networks.meetings import find_meeting

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
            _written(r, written, dry_run)
            if written and not dry_run:
                agenda.stored = True
                agenda.meeting = find_meeting(_fresh(r), slug, m.id)
        elif not agenda.stored:
            common.info("the agenda is compiled, not stored: --write fixes its numbers")
        common.emit(agenda_document(r, agenda, format, lang), out)


def _report_notice(r, state, dry_run: bool, meeting) -> None:
    if meeting.get("status") in ("held", "cancelled"):
        common.info(f"the meeting on {meeting.id} is {meeting.get('status')}; the notice is shown, nothing recorded")
    elif state.issued:
        what = "first issue" if state.first else f"re-issued after a change, SEQUENCE {state.sequence}"
        _written(r, state.written, dry_run, f" ({what})")
    else:
        common.info(f"notice unchanged since it was issued (SEQUENCE {state.sequence})")


@app.command("notice")
def notice_cmd(
    network: NetworkOpt = None,
    meeting: MeetingOpt = None,
    ics: IcsOpt = None,
    eml: EmlOpt = None,
    papers: Annotated[Optional[str], typer.Option("--papers", help="Where the papers are, e.g. a link (default: "
                                                                   "sent with the notice).")] = None,
    repo: common.RepoOpt = None,
    format: FormatOpt = "md",
    out: common.OutOpt = None,
    lang: common.LangOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Issue the innkalling: to whom, when, where, the agenda, the deadline for late items; with --ics the
    invitation (METHOD:REQUEST, stable UID, SEQUENCE raised on re-issue after a change), with --eml an e-mail
    draft that mail clients treat as an invitation.

    Issuing stores the agenda (final) and marks the meeting notified; --dry-run records nothing."""
    from hrcoord.core.transaction import transaction
    from hrcoord.networks.agenda import compile_agenda
    from hrcoord.networks.documents import notice_document
    from hrcoord.networks.invitation import cancel_eml, notice_eml, notice_invitation
    from hrcoord.networks.meetings import find_meeting
    from hrcoord.networks.notice import issue_notice

    r = common.repo(repo)
    slug = common.need(network, "--network", "Network")
    lang = common.lang(r, lang)
    _binary_ok(format, out)
    m = find_meeting(r, slug, meeting)
    agenda = compile_agenda(r, r.network(slug), m, lang)
    for w in agenda.warnings:
        common.info(f"warning: {w}")
    # the record, the submissions, the invitation, the e-mail draft and the document are built
    # first and written last, together: a failure on the way writes nothing
    with transaction(r, dry_run=dry_run):
        state = issue_notice(r, agenda, dry_run=dry_run)
        _report_notice(r, state, dry_run, m)
        if state.issued and not dry_run:
            r = _fresh(r)
            agenda = compile_agenda(r, r.network(slug), find_meeting(r, slug, m.id), lang)
        if ics is not None or eml is not None:
            invitation = notice_invitation(r, agenda, lang, sequence=state.sequence, papers=papers,
                                           changes=state.changes)
            for w in invitation.warnings:
                common.info(f"warning: {w}")
            _file(ics, invitation.ics, dry_run, f"METHOD:{invitation.method}, SEQUENCE {state.sequence}")
            if eml is not None and invitation.method == "CANCEL":  # a cancelled meeting's notice is its cancellation
                _file(eml, cancel_eml(r, agenda.network, agenda.meeting, lang, invitation), dry_run, "e-mail draft")
            elif eml is not None:
                _file(eml, notice_eml(r, agenda, lang, invitation, version=state.version, papers=papers,
                                      changes=state.changes), dry_run, "e-mail draft")
        common.emit(notice_document(r, agenda, format, lang, sequence=state.sequence, papers=papers,
                                    version=state.version, changes=state.changes), out)


@app.command("minutes")
def minutes_cmd(
    network: NetworkOpt = None,
    meeting: NamedMeetingOpt = None,
    repo: common.RepoOpt = None,
    format: FormatOpt = "md",
    out: common.OutOpt = None,
    lang: common.LangOpt = None,
):
    """Render the referat from the meeting record: attendance, per item notes and Vedtak, follow-ups."""
    from hrcoord.networks.agenda import compile_agenda
    from hrcoord.networks.documents import minutes_document
    from hrcoord.networks.meetings import find_meeting

    r = common.repo(repo)
    slug, day = _network_and_day(network, meeting)
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


# --- recording the meeting -------------------------------------------------------------------------
@app.command("attend")
def attend_cmd(
    network: NetworkOpt = None,
    meeting: NamedMeetingOpt = None,
    present: Annotated[Optional[list[str]], typer.Option("--present", help="Who came (a member's name as listed); "
                                                                             "repeatable.")] = None,
    absent: Annotated[Optional[list[str]], typer.Option("--absent", help="Who sent apologies (forfall); "
                                                                           "repeatable.")] = None,
    stand_in: Annotated[Optional[list[str]], typer.Option(
        "--stand-in", help="'X for Y': X came in place of member Y (p.v.a.); repeatable.")] = None,
    referent: Annotated[Optional[str], typer.Option("--referent", help="Who wrote the minutes.")] = None,
    everyone: Annotated[bool, typer.Option("--all", help="The chair and every member came, save those given as "
                                                         "absent or stood in for.")] = False,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Record attendance: present, absent, stand-ins and the referent (merged into what is recorded)."""
    from hrcoord.networks.minutes import Attendance, attend

    r = common.repo(repo)
    slug, day = _network_and_day(network, meeting)
    given = Attendance(present or [], absent or [], stand_in or [], referent, everyone)
    _recorded(attend(r, slug, day, given, dry_run=dry_run), dry_run)


def _note_text(text: str | None, file: Path | None, current: str) -> str | None:
    """The note from --text, --file (- for standard input) or, on a terminal, $EDITOR."""
    import sys

    from hrcoord.core.errors import UsageError

    if text is not None and file is not None:
        raise UsageError("give --text or --file, not both")
    if file is not None:
        try:
            return sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"--file {file}: cannot be read ({exc})") from None
    if text is None and common.interactive():
        return typer.edit(current or "", extension=".md")
    return text


@app.command("note")
def note_cmd(
    network: NetworkOpt = None,
    meeting: NamedMeetingOpt = None,
    item: Annotated[Optional[str], typer.Option("--item", "-i", help="The agenda item: 3/14 (or Sak 3/14).")] = None,
    text: Annotated[Optional[str], typer.Option("--text", "-t", help="What was said (Markdown).")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", help="Read the note from this file (- for stdin).")] = None,
    decision: Annotated[Optional[str], typer.Option("--decision", help="The decision made (Vedtak).")] = None,
    append: Annotated[bool, typer.Option("--append", help="Add to what is noted instead of replacing it.")] = False,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Record the notes and/or the decision of one agenda item; without --text, --file or --decision an editor
    opens ($EDITOR) on a terminal."""
    from hrcoord.networks.meetings import find_meeting
    from hrcoord.networks.minutes import find_item, note, parse_item

    r = common.repo(repo)
    slug, day = _network_and_day(network, meeting)
    wanted = common.need(item, "--item", "Agenda item (e.g. 3/14)")
    current = ""
    if text is None and file is None and decision is None:
        m = find_meeting(r, slug, day)
        items = [i for i in m.get("agenda") or [] if isinstance(i, dict)]
        current = items[find_item(items, parse_item(wanted), m)].get("notes") or "" if items else ""
    body = _note_text(text, file, current)
    _recorded(note(r, slug, day, wanted, text=body, decision=decision, append=append, dry_run=dry_run), dry_run)


@app.command("held")
def held_cmd(
    network: NetworkOpt = None,
    meeting: NamedMeetingOpt = None,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Record that the meeting was held (refused for a future date); the submissions its agenda placed become
    handled."""
    from hrcoord.networks.lifecycle import hold_meeting

    r = common.repo(repo)
    slug, day = _network_and_day(network, meeting)
    outcome = hold_meeting(r, slug, day, dry_run=dry_run)
    _written(r, outcome.written, dry_run)
    for note in outcome.notes:
        common.info(note)


# --- follow-ups ------------------------------------------------------------------------------------
FollowUpArg = Annotated[str, typer.Argument(help="The follow-up: its number in the minutes (1, 2 …) or its id.")]


@followup_app.command("add")
def followup_add_cmd(
    network: NetworkOpt = None,
    meeting: NamedMeetingOpt = None,
    text: Annotated[Optional[str], typer.Option("--text", "-t", help="What is to be done.")] = None,
    owner: Annotated[Optional[str], typer.Option("--owner", help="The responsible department code, e.g. ASA.")] = None,
    due: Annotated[Optional[str], typer.Option("--due", help="Deadline YYYY-MM-DD.")] = None,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Add a follow-up to a meeting's minutes; open ones are carried onto the next agendas until done."""
    from hrcoord.networks.minutes import add_follow_up

    r = common.repo(repo)
    slug, day = _network_and_day(network, meeting)
    result = add_follow_up(r, slug, day, text=common.need(text, "--text", "What is to be done"),
                           owner=common.need(owner, "--owner", "Responsible department"),
                           due=common.day(due, "--due"), dry_run=dry_run)
    _recorded(result, dry_run)


@followup_app.command("done")
def followup_done_cmd(
    follow_up: FollowUpArg,
    network: NetworkOpt = None,
    meeting: NamedMeetingOpt = None,
    date: Annotated[Optional[str], typer.Option("--date", help="When it was done (default: today).")] = None,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Close a follow-up of the meeting that recorded it."""
    from hrcoord.networks.minutes import close_follow_up

    r = common.repo(repo)
    slug, day = _network_and_day(network, meeting)
    _recorded(close_follow_up(r, slug, day, follow_up, done=common.day(date, "--date"), dry_run=dry_run), dry_run)


@followup_app.command("reopen")
def followup_reopen_cmd(
    follow_up: FollowUpArg,
    network: NetworkOpt = None,
    meeting: NamedMeetingOpt = None,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Open a closed follow-up again."""
    from hrcoord.networks.minutes import reopen_follow_up

    r = common.repo(repo)
    slug, day = _network_and_day(network, meeting)
    _recorded(reopen_follow_up(r, slug, day, follow_up, dry_run=dry_run), dry_run)


# --- the four-a-year rule and planning -------------------------------------------------------------
def _quarter_cell(d: dict) -> str:
    parts = [f"{len(d[k])} {k}" for k in ("held", "planned") if d[k]]
    return "\n".join(parts) or "–"



@app.command("check")
def check_cmd(
    year: Annotated[Optional[int], typer.Option("--year", "-y", min=MIN_YEAR, max=MAX_YEAR,
                                                help="The year (default: this year).")] = None,
    network: NetworkOpt = None,
    today: Annotated[Optional[str], typer.Option("--today", help="Judge as on this day (YYYY-MM-DD).")] = None,
    repo: common.RepoOpt = None,
    format: ListFormatOpt = "table",
    excel: common.ExcelOpt = False,
    out: common.OutOpt = None,
    lang: common.LangOpt = None,
):
    """Per network: meetings held and planned per quarter against the minimum of four a year. Exit 1 when a
    network has fewer than four held in a finished year."""
    import datetime as dt

    from hrcoord.actionplans.reports.listing import render_rows
    from hrcoord.networks.plan import MINIMUM, check_year

    r = common.repo(repo)
    lang = common.lang(r, lang)
    now = common.day(today, "--today", required=True) if today else dt.date.today()
    year = year or now.year
    results = check_year(r, year, today=now, networks=[network] if network else None, lang=lang)
    format = common.excel_format(format, excel, "table")
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
        common.emit(render_rows(rows, columns, format, title=f"Network meetings {year}" if format == "table" else None,
                                excel=excel, lang=lang), out)
    short = [c for c in results if c.failed]
    for c in short:
        common.info(f"{c.network}: {c.held} meeting{'s' * (c.held != 1)} held in {year}; the minimum is {MINIMUM}")
    for c in results:
        if c.status == "at-risk":
            common.info(f"warning: {c.network}: {c.held} held and {c.planned} planned in {year}; "
                        f"plan more with `hrcoord meeting plan --network {c.network} --year {year}`")
    raise typer.Exit(1 if short else 0)


def _plan_row(p) -> list[str]:
    time = f"{p.start}–{p.end}" if p.start and p.end else (p.start or "")
    note = p.note + (f" ({', '.join(p.existing)})" if p.existing else "")
    return [f"Q{p.quarter}", p.date or "–", p.weekday or "", time, "; ".join(x for x in (p.location, note) if x)]


def _plan_table(proposals, slug: str, year: int) -> str:
    from hrcoord.render.tables import terminal

    return terminal([_plan_row(p) for p in proposals], ["quarter", "date", "weekday", "time", "place, note"],
                    folding=[False, False, False, False, True], title=f"Proposed meetings: {slug} {year}")


@app.command("plan")
def plan_cmd(
    network: NetworkOpt = None,
    year: Annotated[Optional[int], typer.Option("--year", "-y", min=MIN_YEAR, max=MAX_YEAR,
                                                help="The year to plan.")] = None,
    write: Annotated[bool, typer.Option("--write", help="Create the proposed meetings (status planned).")] = False,
    repo: common.RepoOpt = None,
    format: Annotated[Literal["table", "json"], typer.Option("--format", "-f",
                                                             help="Output format: table or json.")] = "table",
    out: common.OutOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Propose one meeting per quarter on the network's usual weekday and time, on working days clear of
    Norwegian public holidays, Easter week, July and the Christmas weeks."""
    from hrcoord.core.errors import UsageError
    from hrcoord.core.transaction import transaction
    from hrcoord.networks.meetings import create_meeting, parse_day
    from hrcoord.networks.plan import plan_year

    r = common.repo(repo)
    slug = common.need(network, "--network", "Network")
    if year is None:
        if not common.interactive():
            raise UsageError("missing --year")
        year = typer.prompt("Year", type=click.IntRange(MIN_YEAR, MAX_YEAR))
    proposals = plan_year(r, slug, year)
    with transaction(r, dry_run=dry_run):  # the listing and every proposed meeting, or none
        if format == "json":
            common.emit(json.dumps([p.as_dict() for p in proposals], ensure_ascii=False, indent=2) + "\n", out)
        else:
            common.emit(_plan_table(proposals, slug, year), out)
        for p in proposals if write else []:
            if p.date:
                path, _ = create_meeting(r, slug, parse_day(p.date, "date"), start=p.start, end=p.end,
                                         location=p.location, dry_run=dry_run)
                common.info(f"{'would create' if dry_run else 'created'} {r.rel(path)}")
