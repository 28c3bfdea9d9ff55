"""`hrcoord` entry point: the top-level app, global options and the one error handler."""
from __future__ import annotations

import sys
from pathlib import Path

import click
import typer
from typer.core import TyperGroup

from hrcoord import __version__
from hrcoord.cli import common


class HrGroup(TyperGroup):
    """Maps every failure to an exit code (SPEC §4): data errors 1, usage 2, internal 3, Ctrl-C 130.
    No traceback reaches the user; internal errors go to a log file without local variables."""

    def invoke(self, ctx: click.Context):
        from hrcoord.errors import HrcoordError

        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, typer.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except HrcoordError as exc:
            if exc.problems:
                common.print_problems(exc.problems)
            print(f"hrcoord: {exc}", file=sys.stderr)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            print("hrcoord: interrupted", file=sys.stderr)
            ctx.exit(130)
        except BrokenPipeError:
            ctx.exit(0)
        except Exception as exc:  # noqa: BLE001 — the last line of defence
            log = _log_internal_error(exc)
            print(f"hrcoord: internal error ({type(exc).__name__}); details in {log}", file=sys.stderr)
            ctx.exit(3)


def _log_internal_error(exc: BaseException) -> Path:
    import os
    import tempfile
    import time
    import traceback

    folder = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "hrcoord"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.gettempdir())
    path = folder / f"error-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))  # no locals
    path.write_text(f"hrcoord {__version__}\n{' '.join(sys.argv)}\n\n{text}", encoding="utf-8")
    return path


app = typer.Typer(
    cls=HrGroup,
    name="hrcoord",
    help="The coordinator's tool for international human rights work: case-law summaries, "
    "network meetings, action-plan follow-up and reports, kept as files in git.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool):
    if value:
        print(f"hrcoord {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    repo: common.RepoOpt = None,
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
):
    """The coordinator's tool for international human rights work."""
    common.STATE["repo"] = repo


from hrcoord.cli import repo_cmds  # noqa: E402  (commands register on `app`)

repo_cmds.register(app)

for _name, _module in [
    ("judgment", "hrcoord.cli.judgment"),
    ("network", "hrcoord.cli.network"),
    ("meeting", "hrcoord.cli.meeting"),
    ("measure", "hrcoord.cli.measure"),
    ("hearing", "hrcoord.cli.hearing"),
    ("report", "hrcoord.cli.report"),
]:
    try:
        _mod = __import__(_module, fromlist=["app"])
    except ModuleNotFoundError as _exc:  # a group not built yet in this checkout
        if _exc.name != _module:
            raise
        continue
    app.add_typer(_mod.app, name=_name)

for _module in ("hrcoord.cli.publish", "hrcoord.cli.history", "hrcoord.cli.status"):
    try:
        _mod = __import__(_module, fromlist=["register"])
    except ModuleNotFoundError as _exc:
        if _exc.name != _module:
            raise
        continue
    _mod.register(app)


def run() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
