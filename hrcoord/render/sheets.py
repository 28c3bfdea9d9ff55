"""Spreadsheets (`--format xlsx`) with XlsxWriter: one sheet per table, typed cells (dates as
dates, numbers as numbers, yes/no as booleans), the header row frozen and filterable, columns as
wide as their content, headers in the repository's language.

XlsxWriter rather than openpyxl: it only writes, which is all hrcoord does, in one pass with no
dependencies of its own, sets every file property (so the same data gives the same bytes), and
never turns a text cell into a formula when told not to (`strings_to_formulas`: a cell starting
with `=` stays text). Tests read the files back with openpyxl.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

MAX_WIDTH = 60  # characters; longer text wraps inside its column
DATE_FORMATS = {"nb": "dd.mm.yyyy", "en": "yyyy-mm-dd"}
_BAD_NAME = re.compile(r"[\[\]:*?/\\]")


@dataclass
class Sheet:
    name: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\."""
    base = _BAD_NAME.sub(" ", name).strip()[:31] or "Ark"
    out, n = base, 2
    while out.lower() in taken:
        out = f"{base[:28]} {n}"
        n += 1
    taken.add(out.lower())
    return out


def workbook(sheets: Sequence[Sheet], *, lang: str = "nb", title: str = "", author: str = "",
             created: dt.datetime | None = None) -> bytes:
    """The sheets as .xlsx bytes."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False, "remove_timezone": True})
    book.set_properties({"title": title, "author": author, "company": author,
                         "created": created or dt.datetime(2000, 1, 1)})
    formats = {"header": book.add_format({"bold": True, "bg_color": "#D9E2F3", "text_wrap": True, "valign": "top"}),
               "date": book.add_format({"num_format": DATE_FORMATS.get(lang, "yyyy-mm-dd"), "valign": "top"}),
               "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
               "plain": book.add_format({"valign": "top"})}
    taken: set[str] = set()
    for sheet in sheets:
        _write_sheet(book.add_worksheet(sheet_name(sheet.name, taken)), sheet, formats)
    book.close()
    return buf.getvalue()


def _write_sheet(ws, sheet: Sheet, formats: dict) -> None:
    widths = [len(str(h)) for h in sheet.headers]
    for col, header in enumerate(sheet.headers):
        ws.write_string(0, col, str(header), formats["header"])
    for r, row in enumerate(sheet.rows, start=1):
        for col, value in enumerate(row):
            widths[col] = max(widths[col], _write(ws, r, col, value, formats))
    for col, width in enumerate(widths):
        fmt = formats["wrap"] if width > MAX_WIDTH else None
        ws.set_column(col, col, min(width, MAX_WIDTH) + 2, fmt)
    ws.freeze_panes(1, 0)
    if sheet.headers:
        ws.autofilter(0, 0, max(len(sheet.rows), 1), len(sheet.headers) - 1)


def _write(ws, row: int, col: int, value: Any, formats: dict) -> int:
    """Write one typed cell; returns how many characters wide it shows."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        ws.write_boolean(row, col, value)
        return 5
    if isinstance(value, (int, float)):
        ws.write_number(row, col, value)
        return len(str(value))
    if isinstance(value, dt.datetime):
        ws.write_datetime(row, col, value.replace(tzinfo=None), formats["date"])
        return 16
    if isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), formats["date"])
        return 10
    text = str(value)
    ws.write_string(row, col, text, formats["wrap"] if len(text) > MAX_WIDTH else formats["plain"])
    return max((len(line) for line in text.split("\n")), default=0)
