"""`hrcoord diff`'s output: plain text, a rich terminal view, Markdown for a merge-request comment
(mentions made inert), JSON."""
from __future__ import annotations

import json

from hrcoord.core import labels
from hrcoord.review.diff import FieldChange, RecordDiff
from hrcoord.review.wordiff import markdown, md_escape, plain, rich_text, show

CHANGE_LABELS = labels.table("diff")

def _field_lines(fc: FieldChange, style: str) -> list[str]:
    """A field change as lines of text ('plain') or Markdown ('md')."""
    name = f"**{md_escape(fc.field)}**" if style == "md" else fc.field
    esc = md_escape if style == "md" else (lambda s: s)
    if fc.kind == "words":
        render = markdown if style == "md" else plain
        return [f"{name}: " + " … ".join(render(h) for h in fc.words or [])]
    if fc.kind == "list":
        parts = [f"+ {esc(show(x))}" for x in fc.added] + [f"− {esc(show(x))}" for x in fc.removed]
        return [f"{name}: " + "; ".join(parts)]
    return [f"{name}: {esc(show(fc.old))} → {esc(show(fc.new))}"]


def render_plain(diffs: list[RecordDiff]) -> str:
    lines: list[str] = []
    for rd in diffs:
        lines.append(f"{rd.change} {rd.type} {rd.id}: {rd.title}  ({rd.path}"
                     + (f", was {rd.old_path}" if rd.old_path else "") + ")")
        if rd.change == "added":
            words = f", {rd.words_new} words of text" if rd.words_new else ""
            lines.append(f"  new record: {len(rd.fields)} fields{words}")
        elif rd.change == "deleted":
            lines.append("  record deleted")
        else:
            for fc in rd.fields:
                lines += ["  " + line for line in _field_lines(fc, "plain")]
            for h in rd.text:
                lines.append(f"  text{' [' + h.section + ']' if h.section else ''}: {plain(h)}")
        if rd.review_outdated:
            lines.append(f"  ! review stamp out of date ({', '.join(rd.review_outdated)}): "
                         f"hrcoord judgment review {rd.id} --by NAME")
        lines.append("")
    return "\n".join(lines)


def _rich_head(rd: RecordDiff):
    from rich.text import Text

    head = Text()
    head.append(rd.change, style={"added": "bold green", "deleted": "bold red"}.get(rd.change, "bold yellow"))
    head.append(f" {rd.type} ", style="dim")
    head.append(rd.id, style="bold")
    head.append(f": {rd.title}  ")
    head.append(f"({rd.path}" + (f", was {rd.old_path}" if rd.old_path else "") + ")", style="dim")
    return head


def _rich_field(fc: FieldChange):
    """A field change as one rich line: the changed words, the items added and removed, or old → new."""
    from rich.text import Text

    t = Text("  ")
    t.append(fc.field, style="cyan")
    t.append(": ")
    if fc.kind == "words":
        for i, h in enumerate(fc.words or []):
            if i:
                t.append(" … ", style="dim")
            t.append_text(rich_text(h))
    elif fc.kind == "list":
        parts = [(f"+ {show(x)}", "green") for x in fc.added] + [(f"− {show(x)}", "red") for x in fc.removed]
        for i, (s, st) in enumerate(parts):
            if i:
                t.append("; ")
            t.append(s, style=st)
    else:
        t.append(show(fc.old), style="red")
        t.append(" → ")
        t.append(show(fc.new), style="green")
    return t


def render_rich(diffs: list[RecordDiff], console) -> None:
    from rich.text import Text

    for rd in diffs:
        console.print(_rich_head(rd))
        if rd.change == "added":
            console.print(f"  new record: {len(rd.fields)} fields"
                          + (f", {rd.words_new} words of text" if rd.words_new else ""), highlight=False)
        elif rd.change == "deleted":
            console.print("  record deleted", highlight=False)
        else:
            for fc in rd.fields:
                console.print(_rich_field(fc))
            for h in rd.text:
                t = Text("  ")
                t.append("text" + (f" [{h.section}]" if h.section else ""), style="cyan")
                t.append(": ")
                t.append_text(rich_text(h))
                console.print(t)
        if rd.review_outdated:
            console.print(Text(f"  ! review stamp out of date ({', '.join(rd.review_outdated)}): "
                               f"hrcoord judgment review {rd.id} --by NAME", style="yellow"))
        console.print()


def render_md(diffs: list[RecordDiff], lang: str = "nb") -> str:
    """Ready to paste into a merge-request comment: what the records hold is escaped, so it
    cannot add markup, links or @mentions to the comment."""
    from hrcoord.render.safe import md_code

    L = CHANGE_LABELS.get(lang, CHANGE_LABELS["nb"])
    if not diffs:
        return L["none"] + "\n"
    lines: list[str] = []
    for rd in diffs:
        lines.append(f"### {L[rd.change]}: {md_escape(rd.title)}")
        lines.append("")
        lines.append(md_code(rd.path) + (f" (← {md_code(rd.old_path)})" if rd.old_path else ""))
        lines.append("")
        if rd.change == "modified":
            lines += _md_modified(rd, L)
        elif rd.change == "added":
            lines += _md_added(rd, L)
        if rd.review_outdated:
            lines.append(f"> ⚠ {L['review']} ({md_escape(', '.join(rd.review_outdated))}): "
                         + md_code(f"hrcoord judgment review {rd.id} --by NAME"))
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_modified(rd: RecordDiff, L: dict) -> list[str]:
    """The changed fields, then the changed passages of the text, as Markdown lists."""
    lines: list[str] = []
    for fc in rd.fields:
        lines += ["- " + line for line in _field_lines(fc, "md")]
    if rd.fields:
        lines.append("")
    if rd.text:
        lines.append(f"**{L['text']}**")
        lines.append("")
        for h in rd.text:
            lines.append("- " + (f"*{md_escape(h.section)}*: " if h.section else "") + markdown(h))
        lines.append("")
    return lines


def _md_added(rd: RecordDiff, L: dict) -> list[str]:
    """A new record's fields and the length of its text."""
    lines = [f"- **{md_escape(fc.field)}**: {md_escape(show(fc.new))}" for fc in rd.fields if fc.new is not None]
    if rd.words_new:
        lines.append(f"- {L['text']}: {rd.words_new} {L['words']}")
    lines.append("")
    return lines


def render_json(diffs: list[RecordDiff]) -> str:
    return json.dumps([d.as_dict() for d in diffs], ensure_ascii=False, indent=2, default=str) + "\n"


# --- textconv ---------------------------------------------------------------------------------
