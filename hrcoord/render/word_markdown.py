"""Markdown text (meeting notes, minutes) as Word paragraphs: (style, runs) pairs for render/word.py.

Paragraphs, headings, bullet and numbered lists, bold, italic, code, links as "text (address)".
Raw HTML is not interpreted.
"""
from __future__ import annotations

Run = tuple[str, bool, bool, bool]  # text, bold, italic, monospace
LIST_STYLES = {"bullet_list_open": "List Bullet", "ordered_list_open": "List Number"}


def paragraphs(text: str) -> list[tuple[str | None, list[Run]]]:
    from hrcoord.render.markdown import tokens as md_tokens

    out: list[tuple[str | None, list[Run]]] = []
    lists: list[str] = []
    heading = 0
    for tok in md_tokens(text):
        if tok.type in LIST_STYLES:
            lists.append(LIST_STYLES[tok.type])
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif tok.type == "heading_open":
            heading = min(int(tok.tag[1]) + 1, 3)  # under the document's own headings
        elif tok.type == "inline":
            style = f"Heading {heading}" if heading else (lists[-1] if lists else None)
            out.append((style, inline_runs(tok.children or [])))
            heading = 0
        elif tok.type in ("fence", "code_block"):
            out.append((None, [(tok.content.rstrip("\n"), False, False, True)]))
    return out


def inline_runs(children) -> list[Run]:
    runs: list[Run] = []
    state = {"bold": False, "italic": False, "href": None}
    toggles = {"strong_open": ("bold", True), "strong_close": ("bold", False), "em_open": ("italic", True),
               "em_close": ("italic", False)}
    for child in children:
        if child.type in toggles:
            key, value = toggles[child.type]
            state[key] = value
        elif child.type == "link_open":
            state["href"] = child.attrGet("href")
        elif child.type == "link_close":
            if state["href"]:
                runs.append((f" ({state['href']})", False, False, False))
            state["href"] = None
        elif child.type in ("softbreak", "hardbreak"):
            runs.append((" ", False, False, False))
        elif child.type in ("text", "code_inline"):
            runs.append((child.content, bool(state["bold"]), bool(state["italic"]), child.type == "code_inline"))
    return runs
