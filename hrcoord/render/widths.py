"""Column widths fitted to the content, so that no word of a cell is split across lines.

Each column needs at least its longest word (its longest cell for ids, dates and numbers, which
never break) and would like its longest line; the page width is shared out from there. When even
the longest words do not fit, the font gets smaller (down to MIN_SIZE) before anything is split.
Widths are estimated from character counts: a conservative average advance of Calibri/Carlito
(and wide enough for DejaVu Sans, LibreOffice's fallback).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

EM_PER_CHAR = 0.56  # average advance of a character, in ems (bold headers: BOLD_FACTOR more)
BOLD_FACTOR = 1.08
CELL_PADDING = 260  # twips: the cell's left and right margins (108 each) and a little air
MIN_SIZE = 7.5
UNBREAKABLE = ("id", "date", "number")


def text_width(chars: int, size: float, bold: bool = False) -> int:
    """Twips that `chars` characters take at `size` points."""
    return round(chars * size * EM_PER_CHAR * 20 * (BOLD_FACTOR if bold else 1.0))


def _lines(value: Any) -> list[str]:
    return ("" if value is None else str(value)).split("\n")


def column_needs(header: str, kind: str, cells: Sequence[Any]) -> tuple[int, int, int, int]:
    """(longest word of the body, longest word of the header, longest body line, header length),
    in characters. A header may wrap between its words; the body decides how wide a column would like to be."""
    lines = [line for c in cells for line in _lines(c)]
    if kind in UNBREAKABLE:
        body_word = max((len(line) for line in lines), default=0)
    else:
        body_word = max((len(w) for line in lines for w in line.split()), default=0)
    head_word = max((len(w) for w in header.split()), default=0)
    return body_word, head_word, max((len(line) for line in lines), default=0), len(header)


def fit_columns(headers: Sequence[str], kinds: Sequence[str], rows: Sequence[Sequence[Any]], available: int,
                size: float) -> tuple[float, list[int]]:
    """(font size, column widths in twips) for a table of `available` twips."""
    cols = len(headers)
    needs = [column_needs(headers[i], kinds[i], [r[i] if i < len(r) else "" for r in rows]) for i in range(cols)]
    while True:
        minimum = [max(text_width(bw, size), text_width(hw, size, True)) + CELL_PADDING for bw, hw, _, _ in needs]
        natural = [max(text_width(bl, size), text_width(hw, size, True)) + CELL_PADDING for _, hw, bl, _ in needs]
        if sum(minimum) <= available or size <= MIN_SIZE:
            return size, share(minimum, natural, available)
        size = max(MIN_SIZE, size - 0.5)


def share(minimum: list[int], natural: list[int], available: int) -> list[int]:
    """Every column its minimum, the rest of the width shared by how much more each would like."""
    if sum(natural) <= available:
        return natural
    if sum(minimum) >= available:  # cannot fit: in proportion (words will break; the font is at its least)
        return [max(1, round(m * available / sum(minimum))) for m in minimum]
    spare = available - sum(minimum)
    wants = [n - m for n, m in zip(natural, minimum, strict=False)]
    total = sum(wants) or 1
    widths = [m + spare * w // total for m, w in zip(minimum, wants, strict=False)]
    widths[widths.index(max(widths))] += available - sum(widths)
    return widths
