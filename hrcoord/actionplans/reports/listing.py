"""Lists as a terminal table, Markdown, CSV, JSON or a spreadsheet — for `measure list`, `hearing
list`, `network list`, `meeting submissions`/`check`/`plan` and the sections of `status`. The
terminal table and the workbook come from render/tables.py."""
from __future__ import annotations

from collections.abc import Callable

from hrcoord.actionplans.reports.common import md_cell, plain, to_csv, to_json
from hrcoord.render.tables import text as _text

LIST_FORMATS = ("table", "json", "csv", "md", "xlsx")


def render_rows(items: list, columns: list[tuple[str, str]], fmt: str, *, title: str | None = None,
                width: int | None = None, wrap: tuple[str, ...] = ("title",), excel: bool = False,
                lang: str = "nb") -> str | bytes:
    """`items` are dataclasses or dicts; `columns` (attribute, header) pairs. In the terminal table
    the `wrap` columns fold; the others break only between words (ids and dates never)."""
    rows = [plain(i) if not isinstance(i, dict) else i for i in items]
    keys = [k for k, _ in columns]
    headers = [h for _, h in columns]
    renderers: dict[str, Callable[[], str | bytes]] = {
        "json": lambda: to_json([{k: r.get(k) for k in keys} for r in rows]),
        "csv": lambda: to_csv(headers, [[r.get(k) for k in keys] for r in rows], excel=excel),
        "md": lambda: _markdown(rows, keys, headers, title),
        "table": lambda: _table(rows, keys, headers, title, width, wrap),
        "xlsx": lambda: _xlsx(rows, keys, headers, title, lang),
    }
    if fmt not in renderers:
        from hrcoord.core.errors import UsageError

        raise UsageError(f"--format must be one of {', '.join(LIST_FORMATS)}, not {fmt!r}")
    return renderers[fmt]()


def _markdown(rows: list[dict], keys: list[str], headers: list[str], title: str | None) -> str:
    lines = [f"## {md_cell(title)}", ""] if title else []
    lines.append("| " + " | ".join(headers) + " |")
    lines.append("|" + "|".join(" --- " for _ in headers) + "|")
    lines += ["| " + " | ".join(md_cell(_text(r.get(k))) for k in keys) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def _table(rows: list[dict], keys: list[str], headers: list[str], title: str | None, width: int | None,
           wrap: tuple[str, ...]) -> str:
    from hrcoord.render.tables import terminal

    return terminal([[r.get(k) for k in keys] for r in rows], headers, title=title, width=width,
                    folding=[k in wrap for k in keys]) + "\n"


def _xlsx(rows: list[dict], keys: list[str], headers: list[str], title: str | None, lang: str) -> bytes:
    from hrcoord.render.tables import spreadsheet

    return spreadsheet([[r.get(k) for k in keys] for r in rows], keys, headers, lang=lang, title=title or "")
