"""Options and helpers every command shares: --repo, --format, --out, --dry-run, output."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

STATE: dict = {"repo": None}

RepoOpt = Annotated[
    Optional[Path],
    typer.Option("--repo", help="Data repository (default: $HRCOORD_REPO, or the folder holding hrcoord.yaml).",
                 show_default=False),
]
OutOpt = Annotated[Optional[Path], typer.Option("--out", "-o", help="Write to this file instead of stdout.")]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Show what would be written; write nothing.")]
def _lang_choice():
    import click

    from hrcoord.core.labels import languages

    return click.Choice(languages())


LangOpt = Annotated[Optional[str],
                    typer.Option("--lang", click_type=_lang_choice(),
                                 help="Document language: nb or en, or another with a label catalogue "
                                      "(default: the repository's).")]



ExcelOpt = Annotated[bool, typer.Option(
    "--excel", help="CSV for a Norwegian Excel: UTF-8 with a byte-order mark, ';' between cells (implies --format "
                    "csv).")]
TodayOpt = Annotated[Optional[str], typer.Option(
    "--today", help="The report day, YYYY-MM-DD (default: today): a period not ended by then is reported as "
                    "preliminary.")]


def excel_format(fmt: str, excel: bool, default: str) -> str:
    """--excel means CSV: with the default format it switches to csv; with another one it is a usage error."""
    if not excel:
        return fmt
    if fmt in ("csv", default):
        return "csv"
    from hrcoord.core.errors import UsageError

    raise UsageError(f"--excel writes CSV; it does not go with --format {fmt}")


def format_option(choices: tuple[str, ...]):
    """A --format option limited to `choices` (click checks it: exit 2 with the choices), for an
    alias `Annotated[str, format_option(CHOICES)]` (a static type, which mypy accepts)."""
    import click

    return typer.Option("--format", "-f", help=f"Output format: {', '.join(choices)}.",
                        click_type=click.Choice(choices))


def need(value, flag: str, prompt: str):
    """A required value: the flag, else a prompt on a terminal, else a usage error naming the flag."""
    if value is not None and str(value).strip():
        return value
    if interactive():
        return typer.prompt(prompt)
    from hrcoord.core.errors import UsageError

    raise UsageError(f"missing {flag}")


def lang(r, value: str | None) -> str:
    """--lang (already one of nb/en), else the repository's language."""
    return value or r.language


def day(value: str | None, flag: str, required: bool = False):
    """A YYYY-MM-DD option as a date; a usage error naming the flag otherwise."""
    from hrcoord.core.models.base import require_date

    return require_date(value, flag, required=required)


def repo(repo_opt: Path | None = None, *needs: str, guard: bool = True):
    """The repository of --repo (or $HRCOORD_REPO, or the folder holding hrcoord.yaml), checked
    before the command acts: the settings and vocabularies (and the record types in `needs`) must
    have no errors, and every other record type is checked when first read (core/repo.py).
    `guard=False` is for the commands that show and fix problems (validate, fmt, schema).
    In a --dry-run, caches are read but not written."""
    from hrcoord.core import cache
    from hrcoord.core.repo import Repository, find_root

    cache.set_read_only(dry_run())
    r = Repository(find_root(repo_opt or STATE["repo"]), guard=guard)
    if guard:
        r.require(*needs)
    return r


def dry_run() -> bool:
    """Whether the command running now was given --dry-run (read from click's context, so that
    every writing command is covered without passing the flag around)."""
    import click

    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if ctx.params.get("dry_run"):
            return True
        ctx = ctx.parent
    return False


def emit(data: str | bytes, out: Path | None) -> None:
    """Data to stdout, or atomically to --out (staged in the command's transaction when one is
    open, so that a failure after it writes nothing; nothing at all with --dry-run)."""
    if out is None:
        if isinstance(data, bytes):
            if sys.stdout.isatty():
                from hrcoord.core.errors import UsageError

                raise UsageError("this format is binary; give --out FILE")
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data if data.endswith("\n") or not data else data + "\n")
        sys.stdout.flush()
        return
    if dry_run():
        info(f"would write {out} ({len(data)} {'bytes' if isinstance(data, bytes) else 'characters'})")
        return
    write_file(out, data)
    info(f"wrote {out}")


def write_file(path: Path, data: str | bytes) -> None:
    """A file the command produces beside the records (--out, --ics): staged in the open
    transaction, else written atomically at once."""
    from hrcoord.core import transaction
    from hrcoord.core.fsutil import atomic_write

    tx = transaction.current()
    if tx is not None:
        tx.put(Path(path), data)
    else:
        atomic_write(Path(path), data)


def info(message: str) -> None:
    print(message, file=sys.stderr)


def use_colour() -> bool:
    return sys.stderr.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def print_problems(problems, *, summary: str | None = None) -> None:
    """`path:line:col: severity CODE message` on stderr; coloured on a terminal."""
    if not problems and summary is None:
        return
    if use_colour():
        from rich.console import Console
        from rich.markup import escape

        console = Console(stderr=True, highlight=False)
        for p in problems:
            style = "red" if p.severity == "error" else "yellow"
            console.print(f"[bold]{escape(p.path)}:{p.line}:{p.col}:[/] [{style}]{p.severity}[/] "
                          f"[cyan]{p.code}[/] {escape(p.message)}")
        if summary:
            console.print(summary)
        return
    lines = [p.render() for p in problems]
    if summary:
        lines.append(summary)
    sys.stderr.write("\n".join(lines) + "\n")


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()
