"""A summary as `git diff` should compare it (`hrcoord textconv`, the diff driver `init` installs):
the front matter one field per line, the text one sentence per line, so that a changed word shows
as a changed sentence."""
from __future__ import annotations

import re

from hrcoord.review.wordiff import show

ABBREVIATIONS = {
    "v", "vs", "nr", "art", "jf", "jfr", "bl.a", "f.eks", "pkt", "s", "kap", "ca", "dvs", "mv", "osv", "e.g",
    "i.e", "no", "para", "paras", "st", "mr", "mrs", "ms", "dr", "prof", "op", "cit", "ibid", "etc", "ref",
    "avd", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "oct", "nov", "des", "dec",
    "ltd", "inc", "co", "cf", "p", "pp", "ff", "evt", "ev", "iht", "mht", "pga", "vedr", "ang", "tlf",
}
_SENTENCE_END = re.compile(r"[.!?][\"»”’)\]]*(?=\s+[\"«“(\[]?[A-ZÆØÅÄÖÜÉ0-9§])")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def sentences(line: str) -> list[str]:
    """A line split after each sentence end, not after abbreviations (art., nr., v.) or initials."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(line):
        if line[m.start()] == ".":
            w = _WORD_BEFORE.search(line, 0, m.start())
            word = w.group(1) if w else ""
            bare = word.rstrip(".").lower()
            if bare in ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or re.fullmatch(r"(\w\.)+\w?", word):
                continue
        out.append(line[start:m.end()].strip())
        start = m.end()
    rest = line[start:].strip()
    if rest or not out:
        out.append(rest)
    return out


def _flatten(key: str, value, lines: list[str]) -> None:
    """`value` as `key: value` lines (dotted keys, list indexes, long text one sentence a line).

    Complexity: one branch per shape of value (mapping, list of mappings or lists, list of
    values, long text, value), a flat dispatch that recurses."""
    if key == "review.parts":
        return  # derived from the text and fields; review.digest shows that they changed
    if isinstance(value, dict):
        if not value:
            lines.append(f"{key}: {{}}")
        for k, v in value.items():
            _flatten(f"{key}.{k}", v, lines)
    elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        for i, v in enumerate(value):
            _flatten(f"{key}[{i}]", v, lines)
    elif isinstance(value, list):
        lines.append(f"{key}: {', '.join(show(v) for v in value)}")
    elif isinstance(value, str) and ("\n" in value.strip() or len(sentences(value)) > 1):
        lines.append(f"{key}:")
        for para in value.strip().split("\n"):
            lines += ["  " + s for s in sentences(para) if s]
    else:
        lines.append(f"{key}: {show(value)}")


def body_lines(body: str) -> list[str]:
    """Markdown with one sentence per line; headings, lists, tables and code kept as they are."""
    lines: list[str] = []
    fence = False
    for line in body.split("\n"):
        s = line.strip()
        if s.startswith(("```", "~~~")):
            fence = not fence
            lines.append(line)
            continue
        if fence or not s or (s.startswith(("#", "|", ">")) and not s.startswith("> ")):
            lines.append(line.rstrip())
            continue
        m = re.match(r"^(\s*(?:[-*+]|\d+[.)]|>)\s+)?", line)
        lead = m.group(0) if m else ""
        parts = sentences(line[len(lead):])
        lines.append(lead + parts[0])
        lines += [" " * len(lead) + p for p in parts[1:]]
    return lines


def textconv(text: str, markdown: bool | None = None) -> str:
    """A record as git should compare it: front-matter fields one per line (sub-fields dotted),
    then the body with one sentence per line. Text that does not load is returned as it is."""
    from hrcoord.core.loader import load_text

    if markdown is None:
        markdown = text.lstrip("\ufeff").startswith("---")
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    loaded = load_text(text, "<textconv>", markdown=markdown)
    if loaded.problems or loaded.source is None or not isinstance(loaded.data, dict):
        return text
    lines: list[str] = []
    for k, v in loaded.data.items():
        _flatten(str(k), v, lines)
    if markdown:
        lines.append("---")
        lines += body_lines(loaded.source.body or "")
    return "\n".join(lines).rstrip("\n") + "\n"
