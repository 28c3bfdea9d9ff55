"""CSV output: the one place where a CSV cell is written.

`cell()` turns a value into the text of one cell (dates ISO, booleans true/false, None empty); the
formula neutralisation of SPEC §5 belongs in it, and in it only (render/safe.py, when it lands).
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
    return str(value)


def write(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, excel: bool = False) -> str:
    """A header line and the rows as CSV text (for Excel with `excel`)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";" if excel else ",", lineterminator="\r\n" if excel else "\n")
    writer.writerow([cell(h) for h in header])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return (BOM if excel else "") + buf.getvalue()
