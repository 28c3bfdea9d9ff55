"""`hrcoord` entry point: the top-level app, global options and the one error handler."""
from __future__ import annotations

import errno
import sys
from pathlib import Path

import click
import typer
from typer.core import TyperGroup

from hrcoord import __version__
from hrcoord.cli import common

# Command groups are built only when used: typer turns every command's signature into click
# parameters, which for all groups together costs more than the start-up budget (SPEC §6).
LAZY_GROUPS = {  # (module, its help's first paragraph: tests/test_docs.py keeps the two the same)
    "judgment": ("hrcoord.cli.judgment", "Case-law summaries: add, import, fetch, list, show, cite, the review "
                 "lifecycle and the circulation digest."),
    "network": ("hrcoord.cli.network", "Network groups (trafficking, forced marriage, FGM, human rights) and their "
                "members."),
    "meeting": ("hrcoord.cli.meeting", "Network meetings: agenda, notice with calendar invitation, minutes, "
                "submissions, the four-a-year check and planning."),
    "plan": ("hrcoord.cli.plan", "National action plans: add one (its measures: `hrcoord measure add`)."),
    "measure": ("hrcoord.cli.measure", "Measures (tiltak) of the action plans: add, append status entries, list."),
    "hearing": ("hrcoord.cli.hearing", "Hearings (høringer): register, record the answer, list."),
    "report": ("hrcoord.cli.report", "Reports: the annual action-plan report and the quarterly report."),
}


_BUILT: dict[str, click.Command] = {}


class HrGroup(TyperGroup):
    """Maps every failure to an exit code (SPEC §4): data errors 1, usage 2, internal 3, Ctrl-C 130.
    No traceback reaches the user; internal errors go to a log file without local variables.
    Loads command groups lazily (LAZY_GROUPS)."""

    def list_commands(self, ctx):
        return list(super().list_commands(ctx)) + [n for n in LAZY_GROUPS if n not in self.commands]

    def get_command(self, ctx, name):
        if name in LAZY_GROUPS and name not in self.commands:
            if name not in _BUILT:  # built once per process (in-process runs invoke the app many times)
                module = __import__(LAZY_GROUPS[name][0], fromlist=["app"])
                _BUILT[name] = typer.main.get_command(module.app)
                _BUILT[name].name = name
            self.commands[name] = _BUILT[name]
        return super().get_command(ctx, name)

    def format_commands(self, ctx, formatter):
        rows = []
        for name in self.list_commands(ctx):
            if name in LAZY_GROUPS and name not in self.commands:
                rows.append((name, LAZY_GROUPS[name][1]))
                continue
            cmd = super().get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(formatter.width - 6 - max(len(n) for n in LAZY_GROUPS))))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta.setdefault("hrcoord.argv", list(args))  # for the internal-error log (redacted)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        from hrcoord.core import cache

        try:
            return self._invoke(ctx)
        finally:
            cache.set_read_only(False)  # set by a --dry-run (in-process runs share the module)

    def _invoke(self, ctx: click.Context):
        from hrcoord.core.errors import HrcoordError

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
        except OSError as exc:  # the file system refused: the path and why, not an internal error
            print(f"hrcoord: {_os_message(exc)}", file=sys.stderr)
            ctx.exit(1)
        except Exception as exc:
            log = _log_internal_error(exc, ctx)
            print(f"hrcoord: internal error ({type(exc).__name__}); details in {log}", file=sys.stderr)
            ctx.exit(3)


def _os_message(exc: OSError) -> str:
    where = exc.filename if exc.filename is not None else "a file"
    verb = "write" if exc.errno in _WRITE_ERRNOS else "use"
    return f"cannot {verb} {where}: {exc.strerror or exc}"


_WRITE_ERRNOS = {getattr(errno, n) for n in ("ENOSPC", "EROFS", "EDQUOT", "EFBIG") if hasattr(errno, n)}
KEEP_LOGS = 10  # internal-error logs kept in the user's cache folder (the oldest go)


def _log_internal_error(exc: BaseException, ctx: click.Context | None = None) -> Path:
    """A log with the traceback (no local variables) and the command line with the values of
    free-text options left out (they may hold personal data); only the last KEEP_LOGS are kept."""
    import os
    import tempfile
    import time
    import traceback

    from hrcoord.core.cache import user_folder

    folder = user_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.gettempdir())
    path = folder / f"error-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}.log"
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))  # no locals
    argv = ctx.meta.get("hrcoord.argv", []) if ctx is not None else sys.argv[1:]
    line = " ".join(redact_argv(ctx.command if ctx is not None else None, argv))
    try:
        path.write_text(f"hrcoord {__version__}\nhrcoord {line}\n\n{text}", encoding="utf-8")
    except OSError:
        return path
    _prune_logs(folder)
    return path


def _prune_logs(folder: Path) -> None:
    import contextlib

    logs = sorted(folder.glob("error-*.log"), key=lambda p: (p.stat().st_mtime_ns, p.name))
    for old in logs[:-KEEP_LOGS]:
        with contextlib.suppress(OSError):
            old.unlink()


# values that are safe to log: choices, numbers, flags; every other value is left out
_SAFE_TYPES = (click.Choice, click.types.IntParamType, click.types.FloatParamType, click.types.BoolParamType)


def redact_argv(command: click.Command | None, argv: list[str]) -> list[str]:
    """The command line as a log may keep it: command names, flag names, and the values of
    choice, number and yes/no options; other values (free text: --note, --title, --reason …,
    ids, paths) become `…`."""
    out: list[str] = []
    cmd = command
    pending: click.Parameter | None = None
    for token in argv:
        if pending is not None:
            out.append(token if isinstance(pending.type, _SAFE_TYPES) else "…")
            pending = None
            continue
        if token.startswith("-") and len(token) > 1:
            name, eq, _ = token.partition("=")
            param = _option(cmd, name)
            out.append(name + (("=" + ("…" if not isinstance(param.type, _SAFE_TYPES) else token.split("=", 1)[1]))
                               if eq and param is not None else ("=…" if eq else "")))
            if param is not None and not eq and not getattr(param, "is_flag", False) and param.nargs != 0:
                pending = param
            continue
        sub = _subcommand(cmd, token)
        if sub is not None:
            cmd = sub
            out.append(token)
        else:
            out.append("…")
    return out


def _option(cmd: click.Command | None, name: str) -> click.Parameter | None:
    for p in getattr(cmd, "params", []) or []:
        if isinstance(p, click.Option) and name in (*p.opts, *p.secondary_opts):
            return p
    return None


def _subcommand(cmd: click.Command | None, name: str) -> click.Command | None:
    if isinstance(cmd, click.Group):
        try:
            return cmd.get_command(click.Context(cmd), name)
        except Exception:
            return None
    return None


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

for _module in ("hrcoord.cli.publish", "hrcoord.cli.history", "hrcoord.cli.status"):
    __import__(_module, fromlist=["register"]).register(app)


def run() -> None:
    import gc

    # A short-lived process that builds many small objects (YAML nodes, cached views): collect
    # cycles far less often than the default, which otherwise costs a tenth of a large run.
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
