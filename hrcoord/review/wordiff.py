"""Word-level diffs: `word_diff(old, new)` compares two texts word by word (difflib over word and
whitespace tokens) and returns only the changed words with a little context, grouped in hunks,
each named by the summary section (`## Sammendrag` …) it falls in. A hunk is shown plain (git's
`[-old-]{+new+}`), as Markdown for a merge-request comment (`~~old~~ **new**`) or as rich Text for
a terminal. `review/diff.py` uses it to compare records; `review/diff_output.py` shows them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from hrcoord.core.models.judgment import HEADING_ALIAS, HEADING_RE

TOKEN_RE = re.compile(r"\s+|\w+(?:[-'’.]\w+)*|[^\w\s]", re.U)
CONTEXT = 5  # words of context on each side of a change


def tokens(text: str | None) -> list[str]:
    return TOKEN_RE.findall(text or "")


def _words(toks) -> int:
    return sum(1 for t in toks if not t.isspace())


@dataclass
class Hunk:
    """A run of changes with their context: segments of ('equal'|'delete'|'insert', text)."""

    segments: list[tuple[str, str]] = field(default_factory=list)
    section: str | None = None  # the summary section it falls in
    more_before: bool = False  # context was cut: "…" before
    more_after: bool = False

    def as_dict(self) -> dict:
        return {"section": self.section, "more_before": self.more_before, "more_after": self.more_after,
                "segments": [{"op": op, "text": t} for op, t in self.segments]}

    @property
    def old(self) -> str:
        return "".join(t for op, t in self.segments if op != "insert")

    @property
    def new(self) -> str:
        return "".join(t for op, t in self.segments if op != "delete")


# A sentence or line ends a unit: the first pass of the diff aligns these, the second compares
# words inside the units that differ. Both passes stay small, whatever the length of the text.
_UNIT_END = re.compile(r"[.!?]+[\"»”’)\]]*[ \t]+|\n+")
MAX_WORD_DIFF = 400_000  # len(a) * len(b) above which a changed block is shown whole


def units(text: str) -> list[str]:
    out, start = [], 0
    for m in _UNIT_END.finditer(text):
        out.append(text[start:m.end()])
        start = m.end()
    if start < len(text):
        out.append(text[start:])
    return out


_ITEM_RE = re.compile(r"(?:\w+(?:[-'’.]\w+)*|[^\w\s])\s*", re.U)


def items(text: str) -> list[str]:
    """Words and punctuation marks, each with the whitespace after it (and the text's leading
    whitespace as an item of its own): compared without their whitespace, so the spaces of a
    text neither match by themselves nor make the comparison slow."""
    lead = len(text) - len(text.lstrip())
    out = [text[:lead]] if lead else []
    out += _ITEM_RE.findall(text, lead)
    return out


def _key(item: str) -> str:
    return item.strip() or item


def _word_ops(x: str, y: str) -> list[tuple[str, list[str], list[str]]]:
    a, b = items(x), items(y)
    if not a or not b or len(a) * len(b) > MAX_WORD_DIFF:
        return [("change", a, b)]
    sm = SequenceMatcher(None, [_key(t) for t in a], [_key(t) for t in b], autojunk=False)
    return [("equal" if tag == "equal" else "change", a[i1:i2], b[j1:j2])
            for tag, i1, i2, j1, j2 in sm.get_opcodes()]


def _opcodes(old: str, new: str) -> list[tuple[str, list[str], list[str]]]:
    ua, ub = units(old), units(new)
    out: list[tuple[str, list[str], list[str]]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ua, ub, autojunk=False).get_opcodes():
        if tag == "equal":
            toks = items("".join(ua[i1:i2]))
            out.append(("equal", toks, toks))
        elif tag == "replace" and i2 - i1 == j2 - j1:
            for x, y in zip(ua[i1:i2], ub[j1:j2], strict=True):  # sentence by sentence
                out += _word_ops(x, y)
        else:
            out += _word_ops("".join(ua[i1:i2]), "".join(ub[j1:j2]))
    return out


def _segments(old: str, new: str) -> list[list]:
    """[op, old tokens, new tokens, new offset] with op 'equal' or 'change'; a change split only by
    whitespace is one change, so replaced phrases read as phrases."""
    segs: list[list] = []
    pos = 0
    for op, a, b in _opcodes(old, new):
        if segs and segs[-1][0] == op:
            segs[-1][1] = segs[-1][1] + a
            segs[-1][2] = segs[-1][2] + b
        else:
            segs.append([op, list(a), list(b), pos])
        pos += sum(len(t) for t in b)
    merged = _join_phrases(segs)
    for s in merged:  # a change of whitespace alone within a line is not a change a reader needs to see
        if s[0] == "change" and _same_lines_of_space("".join(s[1]), "".join(s[2])):
            s[0] = "equal"
    return merged


def _join_phrases(segs: list[list]) -> list[list]:
    """Changes separated only by spaces (no line break) become one change."""
    merged: list[list] = []
    i = 0
    while i < len(segs):
        s = segs[i]
        after_change = bool(merged) and merged[-1][0] == "change"
        if s[0] == "equal" and after_change and i + 1 < len(segs) and segs[i + 1][0] == "change" \
                and all(t.isspace() and "\n" not in t for t in s[1]):
            merged[-1][1] = merged[-1][1] + s[1] + segs[i + 1][1]
            merged[-1][2] = merged[-1][2] + s[2] + segs[i + 1][2]
            i += 2
            continue
        if s[0] == "change" and after_change:
            merged[-1][1] += s[1]
            merged[-1][2] += s[2]
        else:
            merged.append(s)
        i += 1
    return merged


def _same_lines_of_space(a: str, b: str) -> bool:
    return a.isspace() and b.isspace() and a.count("\n") == b.count("\n")


def _tail(toks: list[str], n: int) -> tuple[str, bool]:
    """The last n words of an equal run, not reaching back over a line break."""
    out: list[str] = []
    words = 0
    for t in reversed(toks):
        if "\n" in t:
            return "".join(reversed(out)).lstrip(), False
        if not t.isspace():
            if words == n:
                return "".join(reversed(out)).lstrip(), True
            words += 1
        out.append(t)
    return "".join(reversed(out)), False


def _head(toks: list[str], n: int) -> tuple[str, bool]:
    out: list[str] = []
    words = 0
    for t in toks:
        if "\n" in t:
            if words < n and t.strip():
                out.append(t.split("\n", 1)[0])  # the word before the line break
            return "".join(out).rstrip(), False
        if not t.isspace():
            if words == n:
                return "".join(out).rstrip(), True
            words += 1
        out.append(t)
    return "".join(out), False


def _section_at(headings: list[tuple[int, str]], pos: int) -> str | None:
    name = None
    for start, title in headings:
        if start > pos:
            break
        name = title
    return name


def _headings(text: str) -> list[tuple[int, str]]:
    return [(m.start(), HEADING_ALIAS.get(m.group(1).strip().lower(), m.group(1).strip()))
            for m in HEADING_RE.finditer(text)]


def word_diff(old: str | None, new: str | None, context: int = CONTEXT) -> list[Hunk]:
    """The changed words between two texts, with `context` words around them, as hunks."""
    old, new = old or "", new or ""
    if old == new:
        return []
    segs = _segments(old, new)
    heads = _headings(new) or _headings(old)
    hunks: list[Hunk] = []
    cur: Hunk | None = None
    for i, (op, a, b, pos) in enumerate(segs):
        if op == "change":
            if cur is None:
                cur = _open_hunk(segs, i, _section_at(heads, pos), context)
            _add_change(cur, "".join(a), "".join(b))
        elif cur is not None and not _closes(b, i == len(segs) - 1, context):
            cur.segments.append(("equal", "".join(b)))  # a short gap: one hunk
        elif cur is not None:
            text, cur.more_after = _head(b, context)
            if text:
                cur.segments.append(("equal", text))
            hunks.append(cur)
            cur = None
    if cur is not None:
        hunks.append(cur)
    return hunks


def _open_hunk(segs: list[list], i: int, section: str | None, context: int) -> Hunk:
    """A hunk starting at change `i`, with the words of context before it."""
    hunk = Hunk(section=section)
    if i > 0:
        text, hunk.more_before = _tail(segs[i - 1][2], context)
        if text:
            hunk.segments.append(("equal", text))
    return hunk


def _add_change(hunk: Hunk, ta: str, tb: str) -> None:
    """Deleted and inserted text; whitespace both sides end with stays outside the change."""
    same = 0
    while same < min(len(ta), len(tb)) and ta[-1 - same] == tb[-1 - same] and ta[-1 - same].isspace():
        same += 1
    if ta[:len(ta) - same]:
        hunk.segments.append(("delete", ta[:len(ta) - same]))
    if tb[:len(tb) - same]:
        hunk.segments.append(("insert", tb[:len(tb) - same]))
    if same:
        hunk.segments.append(("equal", tb[len(tb) - same:]))


def _closes(toks: list[str], last: bool, context: int) -> bool:
    """Whether an equal run ends the hunk: the last run, a long one, or one with a line break."""
    return last or _words(toks) > 2 * context or any("\n" in t for t in toks)


# --- rendering hunks ------------------------------------------------------------------------

_BREAK = re.compile(r"\s*\n\s*")


def _flat(text: str) -> str:
    """Line breaks inside a change shown as ¶, so a hunk stays on one line."""
    return _BREAK.sub(" ¶ ", text)


def _split_ws(text: str) -> tuple[str, str, str]:
    core = text.strip()
    if not core:
        return text, "", ""
    start = text.index(core)
    return text[:start], core, text[start + len(core):]


def plain(hunk: Hunk) -> str:
    """git's plain word-diff style: [-old-]{+new+}."""
    out = ["…" if hunk.more_before else ""]
    for op, text in hunk.segments:
        if op == "equal":
            out.append(_flat(text))
        else:
            lead, core, trail = _split_ws(_flat(text))
            mark = ("[-", "-]") if op == "delete" else ("{+", "+}")
            out.append(f"{lead}{mark[0]}{core or '¶'}{mark[1]}{trail}")
    out.append("…" if hunk.more_after else "")
    return "".join(out).strip()


def md_escape(text: str) -> str:
    """Text shown as it is in a merge-request comment: Markdown, raw HTML and @mentions inert."""
    from hrcoord.render.safe import md_literal

    return md_literal(text)


def markdown(hunk: Hunk) -> str:
    """For a merge-request comment: ~~old~~ **new**, the rest escaped."""
    out = ["…" if hunk.more_before else ""]
    prev = None
    for op, text in hunk.segments:
        if op == "equal":
            out.append(md_escape(_flat(text)))
        else:
            lead, core, trail = _split_ws(_flat(text))
            mark = "~~" if op == "delete" else "**"
            if op == "insert" and prev == "delete" and not lead:
                lead = " "
            out.append(f"{lead}{mark}{md_escape(core) if core else '¶'}{mark}{trail}")
        prev = op
    out.append("…" if hunk.more_after else "")
    return "".join(out).strip()


def rich_text(hunk: Hunk):
    """A rich Text: deleted words red and struck through, inserted words green."""
    from rich.text import Text

    t = Text()
    if hunk.more_before:
        t.append("…", style="dim")
    prev = None
    for op, text in hunk.segments:
        if op == "equal":
            t.append(_flat(text))
        else:
            lead, core, trail = _split_ws(_flat(text))
            if op == "insert" and prev == "delete" and not lead:
                lead = " "
            t.append(lead)
            t.append(core or "¶", style="bold red strike" if op == "delete" else "bold green")
            t.append(trail)
        prev = op
    if hunk.more_after:
        t.append("…", style="dim")
    return t


# --- values -----------------------------------------------------------------------------------


def show(value) -> str:
    """A field value on one line: lists comma-separated, mappings as {key: value}."""
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(show(v) for v in value) if value else "[]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in value.items()) + "}"
    return str(value)
