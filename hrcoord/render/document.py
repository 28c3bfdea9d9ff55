"""The structured document model every Word (and, through its header, PDF) document is built from.

A feature fills a `Document` (title, meta lines, headings, paragraphs, key-value blocks, tables
with column hints, lists, Markdown text, bar charts) and hands it to `render/word.py`, which lays
it out on the repository's reference document. Nothing here knows about Word: the model is plain
data, so a test can read what a document says without opening a file.

How a new document gets a Word version: build a `Document` from the same context the HTML
template gets (`Document(meta=DocumentMeta(...))`, then `.heading()`, `.fields()`, `.table()` …)
and return `render.word.render(repo, doc)`; for `--format pdf` pass the HTML and the same
`DocumentMeta` to `render.pdf.from_html`.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Emphasis = Literal["", "bold", "italic"]
ColumnKind = Literal["text", "id", "date", "number"]


@dataclass
class DocumentMeta:
    """What the header, footer and file properties say: the same for Word and PDF."""

    kind: str  # the document type in the document's language: "Innkalling", "Kvartalsrapport"
    title: str
    lang: str
    organisation: str = ""
    date: dt.date | None = None  # the document's date (shown in the header, the file's created date)
    reference: str = ""  # the archive case number ("Vår ref."), where the record has one
    subject: str = ""
    stamp: str | None = None  # --stamp: an ISO time that overrides `date` as the created time


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Paragraph:
    text: str
    emphasis: Emphasis = ""
    keep_with_next: bool = False


@dataclass
class Fields:
    """`Label: value` lines (label bold): time, place, deadlines, attendance."""

    pairs: list[tuple[str, str]]


@dataclass
class Column:
    """A table column: its header and what its cells hold. `id`, `date` and `number` cells are
    never broken inside a word; `text` wraps between words."""

    header: str
    kind: ColumnKind = "text"


@dataclass
class Table:
    columns: list[Column]
    rows: list[list[Any]]
    caption: str = ""  # a bold line above the table, kept with it
    font_size: float | None = None  # points; None: the style's
    note: str = ""  # an italic line below (what the figures mean)


@dataclass
class Bullets:
    items: list[str]
    numbered: bool = False


@dataclass
class Markdown:
    text: str


@dataclass
class Bars:
    """A bar chart drawn with table cells (prints, needs no image): label, number, colour."""

    title: str
    bars: list[tuple[str, int, str]]


Block = Heading | Paragraph | Fields | Table | Bullets | Markdown | Bars


@dataclass
class Document:
    meta: DocumentMeta
    subtitle: str = ""
    blocks: list[Block] = field(default_factory=list)

    # builders: each returns the document, so a feature reads top to bottom
    def heading(self, text: str, level: int = 1) -> Document:
        self.blocks.append(Heading(text, level))
        return self

    def para(self, text: str, emphasis: Emphasis = "") -> Document:
        if text:
            self.blocks.append(Paragraph(text, emphasis))
        return self

    def fields(self, pairs: Iterable[tuple[str, Any]]) -> Document:
        kept = [(label, "" if value is None else str(value)) for label, value in pairs]
        if kept:
            self.blocks.append(Fields(kept))
        return self

    def table(self, columns: Sequence[Column | str], rows: Iterable[Sequence[Any]], *, caption: str = "",
              font_size: float | None = None, note: str = "") -> Document:
        cols = [c if isinstance(c, Column) else Column(c) for c in columns]
        self.blocks.append(Table(cols, [list(r) for r in rows], caption, font_size, note))
        return self

    def bullets(self, items: Iterable[Any], numbered: bool = False) -> Document:
        kept = [str(i) for i in items]
        if kept:
            self.blocks.append(Bullets(kept, numbered))
        return self

    def markdown(self, text: str | None) -> Document:
        if text and text.strip():
            self.blocks.append(Markdown(text))
        return self

    def bars(self, title: str, bars: Iterable[tuple[str, int, str]]) -> Document:
        self.blocks.append(Bars(title, list(bars)))
        return self

    def text(self) -> str:
        """Everything the body says, one block a line (tests, and a quick look)."""
        return "\n".join(_block_text(b) for b in self.blocks)


def _block_text(block: Block) -> str:
    if isinstance(block, Fields):
        return "\n".join(f"{k}: {v}" for k, v in block.pairs)
    if isinstance(block, Table):
        lines = [block.caption] if block.caption else []
        lines.append(" | ".join(c.header for c in block.columns))
        lines += [" | ".join("" if v is None else str(v) for v in row) for row in block.rows]
        return "\n".join(lines)
    if isinstance(block, Bullets):
        return "\n".join(block.items)
    if isinstance(block, Bars):
        return "\n".join([block.title, *(f"{label}: {n}" for label, n, _ in block.bars)])
    return block.text


def pruned(blocks: list[Block]) -> list[Block]:
    """The blocks without empty sections: a heading with nothing under it before the next heading
    of the same or a higher level (or the end) is left out."""
    out: list[Block] = []
    for i, block in enumerate(blocks):
        if isinstance(block, Heading) and _empty_section(blocks, i):
            continue
        out.append(block)
    return out


def _empty_section(blocks: list[Block], i: int) -> bool:
    level = blocks[i].level  # type: ignore[union-attr]
    for j in range(i + 1, len(blocks)):
        nxt = blocks[j]
        if not isinstance(nxt, Heading):
            return False
        if nxt.level <= level:
            return True
        if not _empty_section(blocks, j):
            return False
    return True
