"""Every output escaped for its reader (SPEC §5): one helper per kind of reader, used by every
writer of that kind.

- `safe_url`: links on pages, in the digest and in `summaries.json` — http(s) only, with a host,
  no spaces, control or invisible characters, nothing that could close an attribute.
- `md_text` (a table cell, heading or list item), `md_literal` (text shown exactly, for diffs and
  change lists, with `@mentions` that do not ping) and `md_body` (a summary's own Markdown put into
  a Markdown document: its formatting kept, raw HTML and unsafe links made inert).
- `csv_cell` / `csv_row`: cells a spreadsheet would run as a formula start with `'` (OWASP CSV
  injection); numbers stay numbers.
- `style_csp`: a Content-Security-Policy for a standalone HTML document with one inline style.
"""
from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from urllib.parse import quote, urlsplit

# --- URLs --------------------------------------------------------------------------------------

_URL_FORBIDDEN = set('<>"\\`')


def safe_url(value) -> str:
    """`value` when it is an http(s) URL with a host and nothing that is not a URL character
    (spaces, control, format or separator characters, `<>"\\` and backtick); else ""."""
    if not isinstance(value, str) or not value:
        return ""
    for c in value:
        if c in _URL_FORBIDDEN or unicodedata.category(c)[0] in "CZ":
            return ""
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return value


def looks_like_link(text: str) -> bool:
    """Text with a scheme (`https:`, `javascript:`, `data:` …) or starting `//` is meant as a
    link: it is shown as one when `safe_url` passes it, and else not at all (not as text)."""
    return bool(re.match(r"^\s*(?:[A-Za-z][A-Za-z0-9+.-]*:|//)", text))


def link_target(path: str) -> str:
    """A relative path as a Markdown link destination (spaces, parentheses and `<>` encoded)."""
    return quote(str(path), safe="/-._~")


# --- Markdown ----------------------------------------------------------------------------------

_ENTITY_START = re.compile(r"&(?=#[0-9]|#[xX][0-9a-fA-F]|[A-Za-z][A-Za-z0-9]*;)")
_MENTION = re.compile(r"(?<![\w.+\-/@])@(?=[A-Za-z0-9_])")
ZWSP = "\u200b"


def neutralise_mentions(text: str) -> str:
    """`@all` -> `@\u200ball`: GitLab and GitHub ping nobody (an e-mail address is left alone)."""
    return _MENTION.sub("@" + ZWSP, text)


def _html_escape(text: str) -> str:
    """`<`, `>` and an `&` that starts an entity as entities: unlike a backslash, an entity
    cannot be split off by cmark-gfm's autolink extension (`https://x/\\<img …>` renders raw)."""
    return _ENTITY_START.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")


def md_text(value) -> str:
    """Text safe in a Markdown table cell, heading or list item: one line; `|`, `\\` and
    brackets escaped (no link or image can form), `<`, `>` and entities as entities (no raw HTML)."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    return _html_escape(re.sub(r"([\\|\[\]])", r"\\\1", text))


def md_literal(value) -> str:
    """Text shown exactly as it is: every Markdown special character escaped, `<`, `>` and
    entities as entities, and `@mentions` made harmless (merge-request comments, change lists)."""
    return neutralise_mentions(_html_escape(re.sub(r"([\\`*_~\[\]|#!])", r"\\\1", str(value))))


def md_code(value) -> str:
    """`value` as a Markdown code span, whatever backticks it holds (nothing in it renders)."""
    text = str(value).replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


_FENCE_OPEN = re.compile(r"^(`{3,}|~{3,})(.*)$")
# A `<` that starts raw HTML or an autolink, with the backslashes before it (an odd number
# escapes it already; an even number are escaped backslashes and leave it live).
_ANGLE = re.compile(r"(?<!\\)(\\*+)<(?:([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>|(?=[A-Za-z/!?]))")
# `](` and the destination of an inline link or image (optionally in <…>, after a line break)
_LINK_DEST = re.compile(r"\]\((?=[ \t]*\n?[ \t]*<?([^\s<>)]*))")
# `]:` and the destination of a link reference definition
_REF_DEF = re.compile(r"(?<!\\)(\\*+)\]:(?=[ \t]*\n?[ \t]*<?([^\s>]*))")
_HTTP = re.compile(r"^https?://[^\s/?#]", re.I)


def md_body(text) -> str:
    """A summary's Markdown inside a Markdown document (the digest): headings, lists, emphasis
    and http(s) links stay; raw HTML is escaped (it shows as text), an autolink other than
    http(s) is escaped, and a link, image or link definition whose target is not http(s) becomes
    plain text. Fenced code blocks that open in the first column are kept as they are (nothing
    in them renders; such a fence is never inside a list or quote that could end it early)."""
    if not text:
        return ""
    out: list[str] = []
    chunk: list[str] = []
    fence: tuple[str, int] | None = None
    for line in str(text).split("\n"):
        if fence is not None:
            out.append(line)
            if _closes(line, fence):
                fence = None
            continue
        m = _FENCE_OPEN.match(line)
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            if chunk:
                out.append(_inert("\n".join(chunk)))
                chunk = []
            out.append(line)
            fence = (m.group(1)[0], len(m.group(1)))
            continue
        chunk.append(line)
    if chunk:
        out.append(_inert("\n".join(chunk)))
    return "\n".join(out)


def _closes(line: str, fence: tuple[str, int]) -> bool:
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3:
        return False
    run = len(stripped) - len(stripped.lstrip(fence[0]))
    return run >= fence[1] and not stripped[run:].strip()


def _inert(text: str) -> str:
    text = _ANGLE.sub(_angle, text)
    text = _REF_DEF.sub(lambda m: m.group(0) if _HTTP.match(m.group(2)) or len(m.group(1)) % 2
                        else m.group(1) + "\\]:", text)
    return _LINK_DEST.sub(lambda m: "](" if _HTTP.match(m.group(1)) else "]\\(", text)


def _angle(m: re.Match) -> str:
    """An http(s) autolink stays; any other `<` becomes `&lt;` (an escaping backslash before it
    goes: `\\<` is what cmark-gfm's autolink extension can split off and leave raw)."""
    slashes, url = m.group(1), m.group(2)
    if url and safe_url(url) and not len(slashes) % 2:
        return m.group(0)
    return slashes[: len(slashes) - len(slashes) % 2] + "&lt;" + m.group(0)[len(slashes) + 1:]


# --- CSV ---------------------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)(?:[eE][+-]?\d+)?$")


def csv_cell(value):
    """A CSV cell a spreadsheet will not run (OWASP): text whose first character (or first after
    leading spaces and line breaks) is = + - @ tab or CR gets a leading `'`; a number, or text
    that is just a number like `-3` or `-2.5`, stays as it is."""
    if not isinstance(value, str) or not value:
        return value
    head = value.lstrip(" \n")
    if (value.startswith(FORMULA_START) or head.startswith(FORMULA_START)) and not _NUMBER.match(value.strip()):
        return "'" + value
    return value


def csv_text(header, rows) -> str:
    """CSV with neutralised cells: the one CSV writer (render/csvout.py)."""
    from hrcoord.render.csvout import write

    return write(header, rows)


# --- standalone HTML -----------------------------------------------------------------------------

def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def style_csp(css: str) -> str:
    """Nothing loads or runs but the one inline style (like the portal's pages)."""
    return f"default-src 'none'; style-src {csp_hash(css)}; base-uri 'none'; form-action 'none'"
