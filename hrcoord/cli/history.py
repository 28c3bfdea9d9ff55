"""Review in git: `changes` (Siste endringer), `diff` (word-level review), `textconv` (git driver)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import click
import typer

from hrcoord.cli import common

RECORD_TYPES = ("judgment", "meeting", "measure", "submission", "network", "action-plan", "hearing")


def changes_cmd(
    since: Annotated[Optional[str], typer.Option(
        "--since", help="A git revision (inclusive: its own changes count) or a date YYYY-MM-DD "
                        "(from 00:00 Europe/Oslo). Default: 30 days ago.", show_default=False)] = None,
    until: Annotated[Optional[str], typer.Option(
        "--until", help="Stop at this revision or date (inclusive); leaves out changes not committed yet.")] = None,
    type_: Annotated[Optional[list[str]], typer.Option(
        "--type", "-t", help="Only these record types (repeatable).", click_type=click.Choice(RECORD_TYPES))] = None,
    committed: Annotated[bool, typer.Option("--committed", help="Leave out changes not committed yet.")] = False,
    format: Annotated[str, typer.Option("--format", "-f", help="Output format: md, json or html.",
                                        click_type=click.Choice(("md", "json", "html")))] = "md",
    lang: common.LangOpt = None,
    out: common.OutOpt = None,
    repo: common.RepoOpt = None,
):
    """Latest changes from the git history: Ny (new), Endret (changed: which fields, and whether the
    text changed), Opphevet (withdrawn, with Erstattes av), newest first; uncommitted changes first."""
    import datetime as dt

    from hrcoord.review.changes import changes, render

    r = common.repo(repo)
    start = since if since is not None else (dt.date.today() - dt.timedelta(days=30)).isoformat()
    items = changes(r, start, until, type_ or None, uncommitted=not committed)
    common.emit(render(r, items, format, lang, since=start, until=until), out)


def diff_cmd(
    args: Annotated[Optional[list[str]], typer.Argument(
        help="[REV [REV]] [ID…]: compare REV with the working tree, or REV with REV (default: HEAD with the "
             "working tree); then the record ids (or network/date keys) to show.", show_default=False,
        metavar="[REV [REV]] [ID]...")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text (coloured on a terminal), md (for a "
                                        "merge-request comment) or json.",
                                        click_type=click.Choice(("text", "md", "json")))] = "text",
    context: Annotated[int, typer.Option("--context", "-U", min=0, max=100,
                                         help="Words of context around each change.")] = 5,
    lang: common.LangOpt = None,
    out: common.OutOpt = None,
    repo: common.RepoOpt = None,
):
    """Field changes (old → new) and a word-level diff of the summary text, for review.

    `hrcoord diff` compares the working tree with HEAD; `diff REV` compares REV with the working
    tree; `diff REV1 REV2` compares two revisions. Record ids after the revisions limit the output
    to those records. The text is compared word by word; only the changed words are shown, with a
    little context (--context)."""
    import os
    import sys

    from hrcoord.review.diff import record_diffs, split_args
    from hrcoord.review.diff_output import render_json, render_md, render_plain, render_rich

    r = common.repo(repo)
    revs, ids = split_args(r, list(args or []))
    diffs = record_diffs(r, revs[0] if revs else None, revs[1] if len(revs) > 1 else None, ids, context)
    if format == "json":
        common.emit(render_json(diffs), out)
    elif format == "md":
        common.emit(render_md(diffs, lang or r.language), out)
    elif out is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb":
        from rich.console import Console

        console = Console(highlight=False)
        if not diffs:
            console.print("no changes")
        render_rich(diffs, console)
    else:
        common.emit(render_plain(diffs) if diffs else "no changes\n", out)


def textconv_cmd(
    file: Annotated[Path, typer.Argument(help="The record file (git passes a temporary copy).",
                                         show_default=False, metavar="FILE")],
):
    """Print a record as `git diff` should compare it: fields one per line, one sentence per line.

    Used as a git textconv driver: `hrcoord init` writes `.gitattributes` (`diff=hrcoord`) and sets
    `git config diff.hrcoord.textconv "hrcoord textconv"`; then `git diff --word-diff` on summaries
    shows the changed words."""
    import sys

    from hrcoord.core.errors import HrcoordError
    from hrcoord.review.textconv import textconv

    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise HrcoordError(f"cannot read {file}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        sys.stdout.buffer.write(raw)  # not text: show it as it is
        return
    sys.stdout.write(textconv(text))
    sys.stdout.flush()


def register(app: typer.Typer) -> None:
    app.command("changes")(changes_cmd)
    app.command("diff")(diff_cmd)
    app.command("textconv")(textconv_cmd)
