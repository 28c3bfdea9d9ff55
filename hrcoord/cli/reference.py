"""The command reference in README.md, generated from the command tree (as cog does for sqlite-utils).

    python -m hrcoord.cli.reference                     print the reference
    python -m hrcoord.cli.reference --write README.md   replace the part between the markers
    python -m hrcoord.cli.reference --check README.md   exit 1 when that part is out of date

Every command path (`hrcoord`, `hrcoord judgment`, `hrcoord judgment add` …) gets a heading, the
first paragraph of its help, its usage line, and every option with its flags and help as `--help`
shows them. tests/test_docs.py checks that README.md holds exactly what this produces.
Only the standard library and click.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click

START = "<!-- reference:start -->"
END = "<!-- reference:end -->"
COMMAND = "python -m hrcoord.cli.reference --write README.md"
# typer adds these to every sub-app it builds (completion is off for `hrcoord` itself): not ours to document
TYPER_COMPLETION = frozenset({"--install-completion", "--show-completion"})


@dataclass(frozen=True)
class Entry:
    """One command path as the reference shows it."""

    path: str  # "hrcoord judgment add"
    summary: str  # the first paragraph of its help, on one line
    usage: str  # "hrcoord judgment add [OPTIONS]"
    options: tuple[tuple[str, str], ...]  # (flags with metavar, help) as --help shows them
    subcommands: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        """GitHub's anchor of the entry's heading."""
        return self.path.replace(" ", "-")


def root_command() -> click.Command:
    import typer

    from hrcoord.cli.main import app

    return typer.main.get_command(app)


def walk(cmd: click.Command, ctx: click.Context) -> Iterator[tuple[click.Command, click.Context]]:
    """Every command under `cmd` (itself first), depth first in the order `--help` lists them."""
    yield cmd, ctx
    if isinstance(cmd, click.Group):
        for name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from walk(sub, click.Context(sub, parent=ctx, info_name=name, **sub.context_settings))


def first_paragraph(cmd: click.Command) -> str:
    import inspect

    text = inspect.cleandoc(cmd.help or cmd.short_help or "").split("\f", 1)[0]
    para = text.strip().split("\n\n", 1)[0].replace("\b\n", "")
    return " ".join(para.split())


def options(cmd: click.Command, ctx: click.Context) -> list[tuple[str, str]]:
    """(flags, help) of each option `--help` shows, -h/--help itself left out."""
    rows = []
    for param in cmd.get_params(ctx):
        if not isinstance(param, click.Option) or param.hidden or set(param.opts) == set(ctx.help_option_names):
            continue
        if TYPER_COMPLETION.intersection(param.opts):
            continue
        record = param.get_help_record(ctx)
        if record is not None:
            rows.append((record[0], " ".join(record[1].split())))
    return rows


def entries(root: click.Command | None = None) -> list[Entry]:
    root = root or root_command()
    out = []
    for cmd, ctx in walk(root, click.Context(root, info_name="hrcoord", **root.context_settings)):
        subs: tuple[str, ...] = ()
        if isinstance(cmd, click.Group):
            subs = tuple(n for n in cmd.list_commands(ctx) if not getattr(cmd.get_command(ctx, n), "hidden", True))
        usage = " ".join([ctx.command_path, *cmd.collect_usage_pieces(ctx)])
        out.append(Entry(ctx.command_path, first_paragraph(cmd), usage, tuple(options(cmd, ctx)), subs))
    return out


_CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def markdown_text(text: str) -> str:
    """Help text as Markdown: code spans kept; elsewhere a backslash, `*`, a `<` that could open
    an HTML tag (GitHub would hide the `<id>` of data/hearings/<id>.yaml) and a `_` that could
    start emphasis are escaped."""
    parts, last = [], 0
    for m in _CODE_SPAN.finditer(text):
        parts.append(_escape(text[last:m.start()]))
        parts.append(m.group(0))
        last = m.end()
    parts.append(_escape(text[last:]))
    return "".join(parts)


def _escape(text: str) -> str:
    text = re.sub(r"([\\*]|<(?=[A-Za-z/!?]))", r"\\\1", text)
    return re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", text)


def option_line(flags: str, help_text: str) -> str:
    return f"- `{flags}`" + (f" — {markdown_text(help_text)}" if help_text else "")


def heading(entry: Entry) -> str:
    return f"### {entry.path}"


def render_entry(entry: Entry) -> str:
    lines = [heading(entry), "", markdown_text(entry.summary), "", f"Usage: `{entry.usage}`"]
    if entry.subcommands:
        links = ", ".join(f"[`{n}`](#{entry.anchor}-{n})" for n in entry.subcommands)
        lines += ["", f"Commands: {links}"]
    if entry.options:
        lines += ["", *(option_line(f, h) for f, h in entry.options)]
    return "\n".join(lines)


def render(items: list[Entry] | None = None) -> str:
    """The text between the markers (without them)."""
    items = entries() if items is None else items
    note = f"<!-- generated from the command tree by `{COMMAND}`: edit the help texts in hrcoord/cli/, not here -->"
    return "\n\n".join([note, *(render_entry(e) for e in items)]) + "\n"


def extract(text: str) -> str | None:
    """What README.md holds between the markers, or None when a marker is missing."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        return None
    return text[start + len(START):end].strip("\n") + "\n"


def sections(reference: str) -> dict[str, str]:
    """The reference cut at its headings: {command path: its block}."""
    out: dict[str, str] = {}
    for block in re.split(r"\n(?=### )", "\n" + reference):
        if block.startswith("### "):
            path = block.splitlines()[0][4:].strip()
            out[path] = block.strip("\n")
    return out


def replace(text: str, reference: str) -> str:
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the markers {START} and {END} are missing")
    return text[:start + len(START)] + "\n" + reference + "\n" + text[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hrcoord.cli.reference", description=__doc__.split("\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", metavar="FILE", type=Path, help="replace the reference between the markers")
    group.add_argument("--check", metavar="FILE", type=Path, help="exit 1 when the reference in FILE is out of date")
    args = parser.parse_args(argv)
    items = entries()
    reference = render(items)
    if args.write is None and args.check is None:
        sys.stdout.write(reference)
        return 0
    path = args.write or args.check
    text = path.read_text(encoding="utf-8")
    try:
        new = replace(text, reference)
    except ValueError as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        return 2
    if args.check is not None:
        if new != text:
            print(f"{path}: the command reference is out of date; run: {COMMAND}", file=sys.stderr)
            return 1
        return 0
    if new != text:
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(new)
        print(f"{path}: command reference written ({len(items)} commands)")
    else:
        print(f"{path}: command reference up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
