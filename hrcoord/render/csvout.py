"""CSV output: the one place where a CSV cell is written.

`cell()` turns a value into the text of one cell (dates ISO, booleans true/false, None empty), and
a text a spreadsheet would run as a formula into a harmless one (SPEC §5, OWASP: render/safe.py).
`--excel` gives what a Norwegian Excel opens directly: UTF-8 with a byte-order mark, `;` between
cells (the decimal comma takes the `,`), CRLF line ends.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

BOM = "\ufeff"


def cell(value: Any) -> str:
    """The text of one CSV cell."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return str(value)  # a number stays a number, negative ones too
    from hrcoord.render.safe import csv_cell

    return csv_cell(str(value))


def write(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, excel: bool = False) -> str:
    """A header line and the rows as CSV text (for Excel with `excel`)."""
    buf = io.StringIO()
    delimiter, end = (";", "\r\n") if excel else (",", "\n")
    plain = csv.writer(buf, delimiter=delimiter, lineterminator=end)
    # a row with a CR in a cell is quoted whole: with "\n" as line end, the csv module would leave
    # that cell bare and the file broken
    quoted = csv.writer(buf, delimiter=delimiter, lineterminator=end, quoting=csv.QUOTE_ALL)
    for row in (header, *rows):
        cells = [cell(v) for v in row]
        (quoted if any("\r" in c for c in cells) else plain).writerow(cells)
    return (BOM if excel else "") + buf.getvalue()
