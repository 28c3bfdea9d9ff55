"""Tables for the terminal that fit its width (80 columns where none is known): columns without
borders, ids and codes never split, the one text column folding within its own space."""
from __future__ import annotations

import io
import shutil
from dataclasses import dataclass


@dataclass
class Column:
    header: str
    fold: bool = False  # the column that takes the room left and folds its text


def width_now() -> int:
    return shutil.get_terminal_size((80, 24)).columns


def table(columns: list[Column], rows: list[list[str]], *, title: str | None = None, width: int | None = None) -> str:
    """The rows as text; every column has its header."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    tab = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for c in columns:
        if c.fold:
            tab.add_column(c.header, overflow="fold", ratio=1, min_width=12)
        else:
            tab.add_column(c.header, no_wrap=True)
    for r in rows:
        tab.add_row(*["" if v is None else str(v) for v in r])
    buf = io.StringIO()
    Console(file=buf, width=width or width_now(), color_system=None, highlight=False, markup=False,
            emoji=False).print(tab)
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"
