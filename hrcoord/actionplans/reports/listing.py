"""Lists as a terminal table (rich), Markdown, CSV or JSON — for `measure list`, `hearing list`."""
from __future__ import annotations

import datetime as dt

from hrcoord.actionplans.reports.common import md_cell, plain, to_csv, to_json

LIST_FORMATS = ("table", "json", "csv", "md")


def _text(value) -> str:
    if value is None:
        return ""
    if value is True:
        return "yes"
    if value is False:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def render_rows(items: list, columns: list[tuple[str, str]], fmt: str, *, title: str | None = None,
                width: int | None = None, wrap: tuple[str, ...] = ("title",)) -> str:
    """`items` are dataclasses or dicts; `columns` (attribute, header) pairs. In the terminal table
    only the `wrap` columns wrap; the others keep their width."""
    rows = [plain(i) if not isinstance(i, dict) else i for i in items]
    keys = [k for k, _ in columns]
    if fmt == "json":
        return to_json([{k: r.get(k) for k in keys} for r in rows])
    if fmt == "csv":
        return to_csv([h for _, h in columns], [[r.get(k) for k in keys] for r in rows])
    if fmt == "md":
        lines = []
        if title:
            lines += [f"## {md_cell(title)}", ""]
        lines.append("| " + " | ".join(h for _, h in columns) + " |")
        lines.append("|" + "|".join(" --- " for _ in columns) + "|")
        for r in rows:
            lines.append("| " + " | ".join(md_cell(_text(r.get(k))) for k in keys) + " |")
        return "\n".join(lines) + "\n"
    if fmt == "table":
        import io
        import shutil

        from rich.console import Console
        from rich.table import Table

        table = Table(title=title, show_lines=False, header_style="bold", title_justify="left")
        cells = [[_text(r.get(k)) for k in keys] for r in rows]
        for i, (k, h) in enumerate(columns):
            if k in wrap:
                table.add_column(h, overflow="fold", ratio=1, min_width=20)
            else:
                table.add_column(h, no_wrap=True, min_width=max([len(h)] + [len(c[i]) for c in cells]))
        for c in cells:
            table.add_row(*c)
        fixed = sum(c.min_width or 0 for c in table.columns if not c.ratio)
        need = fixed + 20 * sum(1 for c in table.columns if c.ratio) + 3 * len(columns) + 1
        buf = io.StringIO()
        console = Console(file=buf, width=width or max(need, shutil.get_terminal_size((120, 24)).columns),
                          color_system=None, highlight=False, markup=False, emoji=False)
        console.print(table)
        return buf.getvalue()
    from hrcoord.core.errors import UsageError

    raise UsageError(f"--format must be one of {', '.join(LIST_FORMATS)}, not {fmt!r}")
