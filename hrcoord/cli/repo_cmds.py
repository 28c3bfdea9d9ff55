"""Repository-wide commands: init, validate (check), fmt, schema."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from hrcoord.cli import common


def validate_cmd(
    paths: Annotated[Optional[list[Path]],
                     typer.Argument(help="Only report problems in these files or folders.")] = None,
    repo: common.RepoOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    today: Annotated[Optional[str], typer.Option("--today", help="Check dates against this day (YYYY-MM-DD).")] = None,
):
    """Check every record and the links between them (exit 0 clean, 1 errors, 2 usage)."""
    from hrcoord.core.validate import validate

    r = common.repo(repo, guard=False)  # (showing the problems is its job)
    report = validate(r, [str(p) for p in paths or []], strict=strict, today=common.day(today, "--today"))
    if format == "json":
        print(json.dumps({"files": report.files, "errors": report.errors, "warnings": report.warnings,
                          "problems": [p.as_dict() for p in report.problems]}, ensure_ascii=False, indent=2))
    elif format == "text":
        summary = (f"{report.files} files checked: {report.errors} error{'s' * (report.errors != 1)}, "
                   f"{report.warnings} warning{'s' * (report.warnings != 1)}")
        common.print_problems(report.problems, summary=summary)
    else:
        from hrcoord.core.errors import UsageError

        raise UsageError(f"--format must be text or json, not {format!r}")
    raise typer.Exit(1 if report.errors else 0)




def fmt_cmd(
    paths: Annotated[Optional[list[Path]],
                     typer.Argument(help="Files or folders (default: the whole repository).")] = None,
    repo: common.RepoOpt = None,
    check: Annotated[bool,
                     typer.Option("--check", help="Only report files that are not canonical; exit 1 if any.")] = False,
    dry_run: common.DryRunOpt = False,
):
    """Rewrite records in canonical form (key order, block style, LF, final newline)."""
    from hrcoord.core.fmt import format_repository

    r = common.repo(repo, guard=False)  # (it formats records that have errors too)
    result = format_repository(r, [str(p) for p in paths or []], write=not (check or dry_run))
    common.print_problems(result.problems)
    verb = "would reformat" if (check or dry_run) else "reformatted"
    for rel in result.changed:
        common.info(f"{verb} {rel}")
    common.info(f"{len(result.changed)} of {result.files} files {verb}")
    failed = bool(result.problems) or (check and result.changed)
    raise typer.Exit(1 if failed else 0)


def schema_cmd(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the <type>.schema.json files.")],
    repo: common.RepoOpt = None,
):
    """Export a JSON Schema per record type (for editors such as VS Code's YAML extension)."""
    from hrcoord.core.schema import export

    ctx = None
    try:
        ctx = common.repo(repo, guard=False).context()
    except Exception:  # no repository: plain schemas without vocabularies
        ctx = None
    for path in export(out, ctx):
        common.info(f"wrote {path}")


def init_cmd(
    directory: Annotated[Path, typer.Argument(help="Folder for the new repository.")] = Path("."),
    language: Annotated[str, typer.Option("--language", help="nb or en.")] = "nb",
    no_git: Annotated[bool, typer.Option("--no-git", help="Do not run git init or install the hook.")] = False,
):
    """Scaffold a new repository: settings, vocabularies, folders, git and a pre-commit hook."""
    from hrcoord.core.errors import UsageError
    from hrcoord.core.labels import languages
    from hrcoord.core.scaffold import init

    if language not in languages():
        raise UsageError(f"--language must be one of {', '.join(languages())}, not {language!r}")
    done = init(directory, language, git=not no_git)
    common.info(f"initialised {directory}:")
    for line in done:
        common.info(f"  {line}")


def register(app: typer.Typer) -> None:
    app.command("init")(init_cmd)
    app.command("validate")(validate_cmd)
    app.command("check", help="Alias of validate.")(validate_cmd)
    app.command("fmt")(fmt_cmd)
    app.command("schema")(schema_cmd)
