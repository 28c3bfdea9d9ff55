"""Listings for the terminal and as spreadsheets: the shared helper of every list command.

Terminal tables fit the terminal (or `COLUMNS` when the output is piped): ids, dates and numbers
are never split, a text column folds inside itself, every column has a header. When even the
unbreakable columns do not fit, each row is printed as a block of `header: value` lines instead.
The same rows become a one-sheet workbook (`--format xlsx`) with the headers in the repository's
language (the `columns` section of the label catalogue).
"""
from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import shutil
import textwrap
from collections.abc import Sequence
from typing import Any

MIN_TEXT = 12  # the narrowest a folding column gets
FOLD_WORD = 24  # words up to this long keep whole in a folding column too
PIPE_WIDTH = 120  # piped output without COLUMNS: wide enough for one line a row


def terminal_width() -> int:
    """The terminal's width; piped, `COLUMNS` if set, else PIPE_WIDTH."""
    return shutil.get_terminal_size((PIPE_WIDTH, 24)).columns


def text(value: Any) -> str:
    """A cell as the terminal shows it."""
    if value is None or value is False:
        return ""
    if value is True:
        return "yes"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _longest_word(cells: Sequence[str]) -> int:
    return max((len(w) for c in cells for w in c.split()), default=0)


def _longest(cells: Sequence[str]) -> int:
    return max((len(line) for c in cells for line in c.split("\n")), default=0)


def _needs(header: str, cells: list[str], folds: bool) -> int:
    """The narrowest a column can be: the longest word of its header, and its longest word (a
    folding column: MIN_TEXT, or less when its text is shorter)."""
    head = _longest_word([header])
    if folds:
        return max(head, min(MIN_TEXT, _longest(cells)), min(_longest_word(cells), FOLD_WORD))
    return max(head, _longest_word(cells))


def terminal(rows: list[list[Any]], headers: Sequence[str], *, title: str | None = None,
             folding: Sequence[bool] | None = None, width: int | None = None) -> str:
    """A table of `rows` for a terminal `width` columns wide; `folding[i]`: column i is free text
    that may fold anywhere (titles, notes); other columns break only between words."""
    width = width or terminal_width()
    folding = list(folding) if folding is not None else [False] * len(headers)
    headers = [h or "–" for h in headers]  # every column has a header
    cells = [[text(v) for v in row] for row in rows]
    columns = [[c[i] for c in cells] for i in range(len(headers))]
    mins = _min_widths(columns, headers, folding, width)
    if sum(mins) + 2 * len(headers) > width:
        return _blocks(cells, headers, title, width)
    widths = _widths(columns, headers, folding, mins, width)
    if len(cells) >= PLAIN_FROM and _plain_safe(cells, headers, title, widths):
        return _plain(cells, headers, title, widths)
    return _rich(cells, headers, title, widths, width)


def _min_widths(columns: list[list[str]], headers: list[str], folding: list[bool], width: int) -> list[int]:
    mins = [_needs(h, col, f) for h, col, f in zip(headers, columns, folding, strict=False)]
    if sum(mins) + 2 * len(headers) > width:  # one space of padding each side, collapsed between columns
        # a long word in a folding column may fold too, before giving up on columns
        mins = [max(len(h), MIN_TEXT) if f else m for h, f, m in zip(headers, folding, mins, strict=False)]
    return mins


def allot(mins: list[int], wants: list[int], folding: list[bool], room: int) -> list[int]:
    """Column widths within `room`: each its minimum; then the columns that break only between
    words get what they would like, the smallest wish first; the folding columns share the rest."""
    widths = list(mins)
    spare = room - sum(widths)
    for i in sorted((i for i, f in enumerate(folding) if not f), key=lambda i: wants[i] - mins[i]):
        more = min(max(wants[i] - widths[i], 0), spare)
        widths[i] += more
        spare -= more
    folds = [i for i, f in enumerate(folding) if f and wants[i] > widths[i]]
    for n, i in enumerate(folds):
        more = min(wants[i] - widths[i], spare // (len(folds) - n))
        widths[i] += more
        spare -= more
    return widths


def _widths(columns: list[list[str]], headers: Sequence[str], folding: list[bool], mins: list[int],
            width: int) -> list[int]:
    room = width - 2 * len(headers)
    # a header may wrap between its words before a text column folds inside its words
    wants = [max(_longest(col), _longest_word([h])) for col, h in zip(columns, headers, strict=False)]
    widths = allot(mins, wants, folding, room)
    spare = room - sum(widths)
    for i, h in enumerate(headers):
        more = min(max(len(h) - widths[i], 0), spare)
        widths[i] += more
        spare -= more
    return widths


def _rich(cells: list[list[str]], headers: Sequence[str], title: str | None, widths: list[int], width: int) -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, header_style="bold", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                  collapse_padding=True, show_edge=False)
    for header, w in zip(headers, widths, strict=False):
        table.add_column(header, overflow="fold", width=w)
    for row in cells:
        table.add_row(*row)
    buf = io.StringIO()
    Console(file=buf, width=width, color_system=None, highlight=False, markup=False, emoji=False,
            force_terminal=False).print(table)
    return "\n".join(line.rstrip() for line in buf.getvalue().split("\n")).rstrip("\n")


# A table with rows is laid out here rather than by rich, which takes about 0.35 ms a row (a
# second for a list of 3,000 summaries) plus its import: the same layout — a test compares the
# two on generated tables — and rich still lays out text whose width only it can measure.
PLAIN_FROM = 1
_SIMPLE = re.compile(r"[ !-~\u00a0-\u02ff\u2010-\u2027]*")  # one terminal cell per character, no tab


def _plain_safe(cells: list[list[str]], headers: Sequence[str], title: str | None, widths: list[int]) -> bool:
    """Whether _plain() lays this table out as rich would: one cell per character (Latin text,
    no East Asian width, combining marks or control characters), a title that fits on a line."""
    if title is not None and (len(title) > _table_width(widths) or not _SIMPLE.fullmatch(title)):
        return False
    return all(_SIMPLE.fullmatch(line) for row in [list(headers), *cells] for c in row for line in c.split("\n"))


def _plain(cells: list[list[str]], headers: Sequence[str], title: str | None, widths: list[int]) -> str:
    """rich's SIMPLE_HEAD table without edges: columns two spaces apart, headers at the foot of
    their row, every cell wrapped where rich wraps it (its own line breaker)."""
    out = [title] if title else []
    out += _row_lines(list(headers), widths, bottom=True)
    out.append("─" * _table_width(widths))
    for row in cells:
        out += _row_lines(row, widths)
    return "\n".join(line.rstrip() for line in out).rstrip("\n")


def _table_width(widths: list[int]) -> int:
    return sum(widths) + 2 * (len(widths) - 1)  # (columns two spaces apart, no edges)


def _row_lines(row: list[str], widths: list[int], bottom: bool = False) -> list[str]:
    wrapped = [_wrap(c, w) for c, w in zip(row, widths, strict=False)]
    height = max((len(x) for x in wrapped), default=1)
    if bottom:
        wrapped = [[""] * (height - len(x)) + x for x in wrapped]
    return ["  ".join((col[k] if k < len(col) else "").ljust(w) for col, w in zip(wrapped, widths, strict=False))
            for k in range(height)]


def _wrap(cell: str, width: int) -> list[str]:
    from rich._wrap import divide_line  # (what rich's Text.wrap breaks a line with)

    out: list[str] = []
    for para in cell.split("\n"):
        at = [0, *divide_line(para, width, fold=True), len(para)]
        lines = [para[a:b] for a, b in itertools.pairwise(at)] or [""]
        # a line's spaces beyond the column are dropped (as rich's rstrip_end does)
        out += [line if len(line) <= width else line.rstrip()[:width] for line in lines]
    return out


_ONE_LINE = re.compile(r"(?:\S(?:[^\S\t\n\r\x0b\x0c]*\S)*)?")  # no edge spaces, tabs or line breaks


def _blocks(cells: list[list[str]], headers: Sequence[str], title: str | None, width: int) -> str:
    """Too narrow for columns: each row as `header: value` lines, values wrapped between words."""
    label = max(len(h) for h in headers) + 2
    room = max(width - label, 10)
    heads = [(h + ":").ljust(label) for h in headers]
    out = [title, "=" * min(len(title), width), ""] if title else []
    for row in cells:
        for head, value in zip(heads, row, strict=False):
            if len(value) <= room and _ONE_LINE.fullmatch(value):
                out.append(head + value)  # (what textwrap would give, without its cost: most values)
                continue
            lines = textwrap.wrap(value, width=room, break_long_words=False, break_on_hyphens=False) or [""]
            out.append(head + lines[0])
            out += [" " * label + line for line in lines[1:]]
        out.append("")
    return "\n".join(out) + "\n"


def column_headers(keys: Sequence[str], fallback: Sequence[str], lang: str) -> list[str]:
    """Headers of a listing in `lang`: the `columns` section of the catalogue, else the fallback."""
    from hrcoord.core.labels import words

    names = words(lang, "columns")
    return [str(names.get(k) or f) for k, f in zip(keys, fallback, strict=False)]


def spreadsheet(rows: list[list[Any]], keys: Sequence[str], fallback: Sequence[str], *, lang: str,
                title: str = "", author: str = "") -> bytes:
    """A listing as a one-sheet workbook; date strings (YYYY-MM-DD) become dates."""
    from hrcoord.core.labels import words
    from hrcoord.render.sheets import Sheet, workbook

    name = title or words(lang, "documents")["listing"]
    sheet = Sheet(name, column_headers(keys, fallback, lang), [[typed(v) for v in row] for row in rows])
    return workbook([sheet], lang=lang, title=name, author=author)


def typed(value: Any) -> Any:
    """A cell as a spreadsheet should hold it: an ISO date string as a date."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value
