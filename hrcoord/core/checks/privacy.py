"""The personal-data guard (SPEC §5): national identity numbers and D-numbers, phone numbers and
e-mail addresses in what a reader of a page, the feed or the JSON export will see. `validate`
warns (HR301); `publish` refuses.

It scans what the reader gets, not the raw file: the *parsed* values of every published field
(YAML escapes are already decoded; URLs included, no field skipped for its name), the Markdown
body with its markup taken out, and in `publish` the rendered page as text. Before matching, a
text is normalised — HTML entities decoded, zero-width characters dropped, non-breaking and
other spaces read as a space, Unicode hyphens as `-` (and in Markdown, tags, backslash escapes
and emphasis markers dropped) — while positions still point into the original text.

Every pattern runs in linear time: runs of digits and separators are found with a possessive
quantifier and judged in Python group by group; an e-mail address can only start where a run of
address characters starts (a look-behind), so no start position is tried twice over the same
characters; a tag pattern stops at the next `<` or `>`.

API: `scan_text(text, mode)` -> [Hit] (modes: plain, markdown, html, page); `scan_record(rec)`
-> [Issue] by key path (validate); `record_hits(rec)` and `published_hits(rec, page, export,
scanned)` -> [Problem] (publish); `scan_rendered(text, rel)` -> [Problem];
`is_fodselsnummer(digits, rule)`; `published_values(keys, rec)` (vocabularies, settings).

A summary may carry `pii_ok: [{text, reason}]`: a reviewed exception. Exactly those strings are
skipped (a hit is dropped only when it lies inside an occurrence of one of them), nothing more.
"""
from __future__ import annotations

import bisect
import datetime as dt
import html
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from hrcoord.core.errors import ERROR, WARNING, Problem

WHAT = {"id": "a national identity number or D-number", "phone": "a phone number", "email": "an e-mail address"}
MAX_ISSUES = 50  # per record: a refusal names enough places to act on; the rest are counted
NOT_PUBLISHED = frozenset({"review", "access", "pii_ok"})  # fields no page, feed or export shows


@dataclass(frozen=True, slots=True)
class Hit:
    start: int  # offsets in the text as given (not the normalised one)
    end: int
    kind: str  # id | phone | email
    text: str  # the text as given, start:end

    @property
    def what(self) -> str:
        # the address helps find it; a number is not repeated (the message may end up in a log)
        return f"{WHAT['email']} ({self.text})" if self.kind == "email" else WHAT[self.kind]


# --- national identity numbers ------------------------------------------------------------------

# Weights of the two mod-11 control digits, each including the control digit itself (weight 1).
# Today's rule: both weighted sums are 0 (mod 11). From 1 January 2032 the first sum may also be
# 1, 2 or 3 (Skatteetaten, "Nye fødselsnummer og d-nummer fra 2032":
# https://www.skatteetaten.no/deling/opplysninger/folkeregisteropplysninger/pid/ — "Ny
# kontrollberegning vil akseptere 0, 1, 2 og 3 som gyldige verdier"); the second is unchanged.
# The date part is not checked: D-numbers add 4 to the day, and the new series read it otherwise.
K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)
K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
K1_REMAINDERS = {"today": (0,), "2032": (0, 1, 2, 3)}


def is_fodselsnummer(digits: str, rule: str = "any") -> bool:
    """11 digits whose control digits are right under today's rule, the 2032 rule (`rule`), or
    either (fødselsnummer or D-number)."""
    if len(digits) != 11 or not digits.isdecimal():
        return False
    d = [int(c) for c in digits]
    if sum(w * x for w, x in zip(K2_WEIGHTS, d, strict=True)) % 11:
        return False
    allowed = K1_REMAINDERS["2032"] if rule == "any" else K1_REMAINDERS[rule]
    # the first control digit (the tenth) covers the nine before it and itself
    return sum(w * x for w, x in zip(K1_WEIGHTS, d[:10], strict=True)) % 11 in allowed


# --- normalising what the reader sees -------------------------------------------------------------

# one character for one: positions stay where they are
_ONE_FOR_ONE = {
    **dict.fromkeys(["\u00a0", "\u1680", "\u2007", "\u202f", "\u205f", "\u3000", "\x0b", "\x0c"], " "),
    **{chr(c): " " for c in range(0x2000, 0x200b)},  # en/em/thin/hair spaces
    "\u2028": "\n", "\u2029": "\n",
    "\u2010": "-", "\u2011": "-", "\u2212": "-", "\ufe63": "-", "\uff0d": "-",
    "\uff20": "@", "\ufe6b": "@",  # full-width and small commercial at
    "\uff0b": "+",
    # digits of other scripts read as the same number (full-width, Arabic-Indic, Devanagari)
    **{chr(zero + k): str(k) for zero in (0xFF10, 0x0660, 0x06F0, 0x0966)
       for k in range(10)},
}
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ODD = re.escape("".join(_ONE_FOR_ONE))
_ENTITY = re.compile(r"&(?:\#[0-9]{1,7};?|\#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};)")
# a tag as HTML (and CommonMark's raw HTML) has it; an autolink like <ola@udi.no> is not a tag.
# [^<>]* stops at the next < or >: each character is looked at by one attempt only.
_TAG = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?:[\s/][^<>]*)?|![^<>]*|\?[^<>]*)>")
# Where an edit may start. One character class is scanned fast; each place is then looked at in
# Python (an alternation of the edits tried at every position was ten times slower).
# Markdown: raw HTML is left out of the page; a backslash escape and emphasis markers do not show.
_EDIT_AT = {
    "plain": re.compile(f"[&{_ZERO_WIDTH}{_ODD}]"),
    "markdown": re.compile(f"[&<\\\\*_`~{_ZERO_WIDTH}{_ODD}]"),
}
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_DROP_ELEMENTS = ("script", "style")  # their content is not text a reader sees
_VISIBLE = str.maketrans({**dict.fromkeys(_ZERO_WIDTH), **_ONE_FOR_ONE})
_INVISIBLE_OR_ODD = re.compile(f"[{_ZERO_WIDTH}{_ODD}]")


@dataclass(slots=True)
class _Norm:
    text: str
    anchors: tuple[list[int], list[int]] | None = None  # (normalised offsets, original offsets)

    def orig(self, pos: int, end: bool = False) -> int:
        """The original offset of normalised offset `pos` (an exclusive end with `end`)."""
        if self.anchors is None:
            return pos
        dst, src = self.anchors
        probe = pos - 1 if end and pos > 0 else pos
        i = bisect.bisect_right(dst, probe) - 1
        if i < 0:
            return pos
        if i % 2 == 0 and probe < dst[i + 1]:  # inside the replacement of an edit
            return src[i + 1] if end else src[i]
        base = i if i % 2 else i + 1
        return src[base] + (pos - dst[base])


def normalise(text: str, mode: str = "plain") -> _Norm:
    """The text a reader sees, for matching (`mode`: plain, markdown), with a map back."""
    at = _EDIT_AT[mode]
    first = at.search(text)
    if first is None:
        return _Norm(text)
    parts: list[str] = []
    dst: list[int] = []
    src: list[int] = []
    last = n = 0
    for m in at.finditer(text, first.start()):
        i = m.start()
        if i < last:
            continue  # inside an entity or a tag already replaced
        edit = _edit(text, i, mode)
        if edit is None:
            continue
        end, rep = edit
        parts.append(text[last:i])
        n += i - last
        if len(rep) != end - i:  # a change of length: remember where
            dst += (n, n + len(rep))
            src += (i, end)
        parts.append(rep)
        n += len(rep)
        last = end
    parts.append(text[last:])
    return _Norm("".join(parts), (dst, src) if dst else None)


def _edit(text: str, i: int, mode: str) -> tuple[int, str] | None:
    """(end, replacement) of the edit starting at text[i], or None when there is none."""
    c = text[i]
    one = _ONE_FOR_ONE.get(c)
    if one is not None:
        return i + 1, one
    if c == "&":
        m = _ENTITY.match(text, i)
        return (m.end(), html.unescape(m.group()).translate(_VISIBLE)) if m else None
    if c in _ZERO_WIDTH:
        return i + 1, ""
    if mode != "markdown":
        return None
    if c == "<":
        m = _TAG.match(text, i)
        return (m.end(), "") if m else None
    if c == "\\":
        return (i + 1, "") if i + 1 < len(text) and text[i + 1] in _ASCII_PUNCT else None
    return i + 1, ""  # * _ ` ~


_BLOCKS = ("p|div|li|ul|ol|h[1-6]|tr|td|th|table|caption|thead|tbody|tfoot|section|article|header|footer|nav"
           "|main|aside|blockquote|pre|dl|dt|dd|title|figure|figcaption|details|summary|address|option")
# the end of a block parts it from the next (two line breaks: no number runs on across blocks);
# <br> is one line break (a number may run on across it, as the reader sees it)
_BLOCK_END = {flags: re.compile(rf"</(?:{_BLOCKS})\s*>", flags) for flags in (0, re.I)}
_BREAK = {flags: re.compile(r"<(?:br|hr)\b[^<>]*>", flags) for flags in (0, re.I)}
_UPPER_TAG = re.compile(r"</?[A-Z]")


def visible_text(page: str) -> str:
    """A rendered HTML page as its reader sees it: no script or style, blocks parted by line
    breaks, other tags out, entities decoded (once: `&amp;#64;` shows as `&#64;`)."""
    text = _drop_elements(page)
    flags = re.I if _UPPER_TAG.search(text) else 0  # (pages are written in lower case: faster)
    text = _TAG.sub("", _BREAK[flags].sub("\n", _BLOCK_END[flags].sub("\n\n", text)))
    if "&" in text:
        text = html.unescape(text)
    return text.translate(_VISIBLE) if _INVISIBLE_OR_ODD.search(text) else text


# a tag between two digits (or a digit and a space) is left out, so that a number split by
# markup is read whole; every other tag stays where it is and parts what is around it
# (the pattern starts with "<", so the search jumps from tag to tag)
_TAG_IN_NUMBER = re.compile(r"<(?<=[0-9 \t-]<)(?:/?[A-Za-z][A-Za-z0-9-]*(?:[\s/][^<>]*)?)>(?=[0-9 ])")


def page_text(page: str) -> str:
    """A rendered page read quickly (publish reads thousands): no script or style, <br> a line
    break, a tag inside a number left out, entities decoded — and the other tags left in, where
    they part text as blocks do. Attribute values (links) are read too."""
    text = _drop_elements(page)
    text = _TAG_IN_NUMBER.sub("", _BREAK[re.I if _UPPER_TAG.search(text) else 0].sub("\n", text))
    if "&" in text:
        text = html.unescape(text)
    return text.translate(_VISIBLE) if _INVISIBLE_OR_ODD.search(text) else text


_READERS = {"html": visible_text, "page": page_text}


_DROP_OPEN = re.compile(r"<(script|style)\b", re.I)
_DROP_CLOSE = {name: re.compile(rf"</{name}\s*>", re.I) for name in _DROP_ELEMENTS}


def _drop_elements(page: str) -> str:
    """The page without its <script> and <style> elements (each place is looked at once)."""
    if not any(tag in page for tag in ("<script", "<style", "<SCRIPT", "<STYLE", "<Script", "<Style")):
        return page  # (a find is much faster than a search that ignores case)
    out, at = [], 0
    while (m := _DROP_OPEN.search(page, at)) is not None:
        out.append(page[at:m.start()])
        out.append("\n")
        close = _DROP_CLOSE[m.group(1).lower()].search(page, m.end())
        at = len(page) if close is None else close.end()
    if not out:
        return page
    out.append(page[at:])
    return "".join(out)


# --- finding -----------------------------------------------------------------------------------

# candidates: digits and separators (space, tab, line break, hyphen), cut into runs of groups
# one separator apart in Python (after normalising, every digit is 0-9)
_RUN = re.compile(r"[0-9][0-9 \t\n\r-]{6,}+")
_GROUP = re.compile(r"[0-9]+")
_MAYBE = re.compile(f"[0-9@&{_ZERO_WIDTH}{_ODD}]")
_EMAIL = re.compile(r"(?<![\w.%+'-])[\w.%+'-]++@[\w-]++(?:\.[\w-]++)++")

# Norwegian numbers have eight digits, written 22 33 44 55, 223 34 455, 2233 4455 or 22334455
PHONE_SHAPES = ((8,), (2, 2, 2, 2), (3, 2, 3), (4, 4))
_PREFIX_BEFORE = re.compile(r"(?:\(\+ ?47\)|\(0047\))[ \t]?$")
# words after which a number run is a paragraph, page, article or note number
_REF_WORD = re.compile(
    r"(?:\b(?:avsnitt(?:ene)?|avsn|para(?:graph)?s?|punkt(?:ene|er)?|pkt|art(?:ikkel|iklene|ikler|icles?)?"
    r"|kap(?:ittel|itlene|itler)?|chapters?|sider?|sidene|s|p|pp|(?:fot)?note(?:ne|r)?|footnotes?|notes?)\.?"
    r"|§§?)[ \t\n]*$", re.I)
_MONEY_BEFORE = re.compile(r"(?:\b(?:nok|kr|kroner|eur|euro|usd|sek|dkk|chf|gbp)\.?|[€$£¥])[ \t]*$", re.I)
_MONEY_AFTER = re.compile(r"[ \t]*(?:(?:kr|kroner|nok|eur|euro|usd|mill|millioner|mrd|milliarder)\b|,-|€)", re.I)


def scan_text(text: str, mode: str = "plain", allowed: Iterable[str] = ()) -> list[Hit]:
    """Personal data in `text` as a reader will see it (`mode`: plain for a field's value,
    markdown for a summary's body, html for a rendered page, page for a rendered page read
    quickly), minus `allowed` strings. Offsets are into `text`, except for the two page modes."""
    if not text or not _MAYBE.search(text):
        return []
    reader = _READERS.get(mode)
    norm = _Norm(reader(text)) if reader else normalise(text, mode)
    spans = _find(norm.text)
    if spans and allowed:
        spans = _without_allowed(norm.text, spans, [a for a in allowed if a], mode)
    hits = []
    for s, e, kind in spans:
        start, end = norm.orig(s), norm.orig(e, end=True)
        hits.append(Hit(start, end, kind, norm.text[s:e] if reader else text[start:end]))
    return hits


def _find(text: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for candidate in _RUN.finditer(text):
        # the candidate's digit groups, cut into runs of groups one separator (or CRLF) apart
        run: list[tuple[int, int]] = []
        digits = prev = 0
        for m in _GROUP.finditer(text, candidate.start(), candidate.end()):
            a, b = m.span()
            if run and a - prev != 1 and text[prev:a] != "\r\n":
                if digits >= 8:
                    found += _numbers(text, run)
                run, digits = [], 0
            run.append((a, b))
            digits += b - a
            prev = b
        if digits >= 8:
            found += _numbers(text, run)
    if "@" in text:
        found.extend(_emails(text))
    found.sort()
    return found


def _numbers(text: str, groups: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Identity numbers and phone numbers in one run of digit groups."""
    s = groups[0][0]
    sizes = [b - a for a, b in groups]
    out: list[tuple[int, int, str]] = []
    if 11 in sizes or 6 in sizes:
        for i, j in _id_windows(sizes):
            digits = "".join(text[a:b] for a, b in groups[i:j])
            if is_fodselsnummer(digits):
                out.append((groups[i][0], groups[j - 1][1], "id"))
    prefixed = _prefixed_phone(text, groups, s)
    if prefixed is not None:
        out.append(prefixed[:3])
    taken = prefixed[3] if prefixed is not None else 0
    if 8 in sizes or 2 in sizes or 3 in sizes or 4 in sizes:
        _add_phones(out, text, groups, sizes, taken)
    return out


def _add_phones(out: list[tuple[int, int, str]], text: str, groups: list[tuple[int, int]], sizes: list[int],
                taken: int) -> None:
    """The phone numbers in the run's groups after the first `taken` (a +47 number found
    already), none overlapping the one before it."""
    context = None
    for i, j in _phone_windows(sizes, taken):
        if out and out[-1][2] == "phone" and groups[i][0] < out[-1][1]:
            continue  # overlaps the number just found
        if context is None:
            context = _run_context(text, groups[0][0], groups[-1][1])
        if _is_phone(text, groups, i, j, context):
            out.append((groups[i][0], groups[j - 1][1], "phone"))


def _id_windows(sizes: list[int]) -> Iterator[tuple[int, int]]:
    for i, size in enumerate(sizes):
        if size == 11:
            yield i, i + 1
        elif size == 6 and i + 1 < len(sizes) and sizes[i + 1] == 5:
            yield i, i + 2


_SHAPES_FROM = {first: [shape for shape in PHONE_SHAPES if shape[0] == first] for first in (2, 3, 4, 8)}


def _phone_windows(sizes: list[int], start: int) -> Iterator[tuple[int, int]]:
    """(first, end) group indexes of the windows of the run that have a phone number's shape."""
    for i in range(start, len(sizes)):
        for shape in _SHAPES_FROM.get(sizes[i], ()):
            if tuple(sizes[i:i + len(shape)]) == shape:
                yield i, i + len(shape)


def _prefixed_phone(text: str, groups: list[tuple[int, int]], s: int) -> tuple[int, int, str, int] | None:
    """+47 / 0047 / (+47) and eight digits in any grouping: (start, end, 'phone', groups used)."""
    first = text[groups[0][0]:groups[0][1]]
    if s > 0 and text[s - 1] == "+" and first.startswith("47"):
        start, cut = s - 1, 2
    elif first.startswith("0047"):
        start, cut = s, 4
    elif s >= 5 and ")" in text[s - 2:s] and (m := _PREFIX_BEFORE.search(text, s - 8 if s > 8 else 0, s)):
        start, cut = m.start(), 0
    else:
        return None
    total, k = len(first) - cut, 0  # digits after the prefix, up to group k
    while total < 8 and k + 1 < len(groups):
        k += 1
        total += groups[k][1] - groups[k][0]
    if total != 8:
        return None
    return start, groups[k][1], "phone", k + 1


def _run_context(text: str, s: int, e: int) -> dict:
    before = text[max(0, s - 32):s]
    return {
        "reference": bool(_REF_WORD.search(before)),
        "money": bool(_MONEY_BEFORE.search(before) or _MONEY_AFTER.match(text, e)),
        "glued_before": _glued_before(text, s),
        "glued_after": _glued_after(text, e),
    }


def _glued_before(text: str, s: int) -> bool:
    """The run continues a word or reference: `C-465…`, `…/2010`, `ECHR2011`, `3,5 …`."""
    if s == 0:
        return False
    c = text[s - 1]
    if c.isalnum() or c in "_/":
        return True
    prev = text[s - 2] if s >= 2 else ""
    return (c == "-" and prev.isalnum()) or (c in ".," and prev.isdigit())


def _glued_after(text: str, e: int) -> bool:
    if e >= len(text):
        return False
    c = text[e]
    if c.isalnum() or c in "_/":
        return True
    nxt = text[e + 1] if e + 1 < len(text) else ""
    return c in ".,-" and nxt.isalnum()


def _is_phone(text: str, groups: list[tuple[int, int]], i: int, j: int, context: dict) -> bool:
    """Eight digits in a phone shape that are not a year pair, a list of paragraph numbers, an
    amount, a date or part of a reference.

    Complexity: one early return per thing such digits are instead, each with its example; the
    guard's false positives are read and tuned here, as one list."""
    if context["reference"] or context["money"]:
        return False
    if (i == 0 and context["glued_before"]) or (j == len(groups) and context["glued_after"]):
        return False
    numbers = [int(text[a:b]) for a, b in groups[i:j]]
    first_digit = int(text[groups[i][0]])
    if first_digit < 2:
        return False  # Norwegian eight-digit numbers begin with 2–9 (0 and 1 are not issued)
    if len(numbers) == 2 and all(1900 <= n <= 2099 for n in numbers):
        return False  # "2013 2014", "1990-2014"
    if len(numbers) > 1 and all(b == a + 1 for a, b in itertools.pairwise(numbers)):
        return False  # "avsnitt 90 91 92 93"
    return not (len(numbers) == 1 and _is_date8(text[groups[i][0]:groups[i][1]]))


def _is_date8(digits: str) -> bool:
    """YYYYMMDD or DDMMYYYY of a day in 1900–2099."""
    for y, m, d in ((digits[:4], digits[4:6], digits[6:]), (digits[4:], digits[2:4], digits[:2])):
        if 1900 <= int(y) <= 2099:
            try:
                dt.date(int(y), int(m), int(d))
                return True
            except ValueError:
                pass
    return False


def _emails(text: str) -> Iterator[tuple[int, int, str]]:
    for m in _EMAIL.finditer(text):
        local, _, domain = m.group().partition("@")
        if not any(c.isalnum() for c in local):
            continue
        labels = domain.split(".")
        while len(labels) >= 2 and not _tld(labels[-1]):
            labels.pop()
        if len(labels) >= 2:
            yield m.start(), m.start() + len(local) + 1 + len(".".join(labels)), "email"


def _tld(label: str) -> bool:
    return (len(label) >= 2 and label.isalpha()) or (label.lower().startswith("xn--") and len(label) > 4)


def _without_allowed(text: str, spans, allowed: list[str], mode: str):
    """Drop the hits that lie inside an occurrence of an allowed string (and only those)."""
    inside: list[tuple[int, int]] = []
    for a in allowed:
        needle = _READERS[mode](a) if mode in _READERS else normalise(a, mode).text
        if not needle.strip():
            continue
        at = text.find(needle)
        while at >= 0:
            inside.append((at, at + len(needle)))
            at = text.find(needle, at + len(needle))
    if not inside:
        return spans
    return [(s, e, k) for s, e, k in spans if not any(a <= s and e <= b for a, b in inside)]


# --- records -----------------------------------------------------------------------------------

def allowed_texts(data: dict) -> list[str]:
    """The strings a record's reviewed `pii_ok` exceptions allow (entries with text and reason)."""
    entries = data.get("pii_ok")
    out = []
    for entry in entries if isinstance(entries, list) else ():
        if isinstance(entry, dict) and isinstance(entry.get("text"), str) and entry["text"].strip() \
                and isinstance(entry.get("reason"), str) and entry["reason"].strip():
            out.append(entry["text"])
    return out


def _values(items: Iterable[tuple], path: tuple = (), out: list | None = None) -> list[tuple[tuple, str]]:
    """(key path, text) of every scalar under (key, value) `items` that can be shown: strings
    and numbers (a walk without generators: it runs on every field of every summary)."""
    out = [] if out is None else out
    for k, v in items:
        t = type(v)
        if t is str:
            out.append((path + (k,), v))
        elif t is dict:
            _values(v.items(), path + (k,), out)
        elif t is list:
            _values(enumerate(v), path + (k,), out)
        elif t is not bool and isinstance(v, (int, float)):
            out.append((path + (k,), str(v)))
    return out


_JOIN = "\n\x00\n"  # between values scanned together: no number, address or context word spans it


def _scan_values(pairs: list[tuple[tuple, str]], allowed: list[str]) -> list[tuple[tuple, Hit]]:
    """(key path, hit) for many values in one scan: one call instead of one per field."""
    pairs = [(path, text) for path, text in pairs if text]
    if not pairs:
        return []
    starts, at = [], 0
    for _, text in pairs:
        starts.append(at)
        at += len(text) + len(_JOIN)
    hits = scan_text(_JOIN.join(text for _, text in pairs), "plain", allowed)
    return [(pairs[bisect.bisect_right(starts, h.start) - 1][0], h) for h in hits]


def _issue(path: tuple, what: str, severity: str):
    from hrcoord.core.models.base import Issue

    return Issue(path, "HR301", f"publishable text holds {what}", severity)


def scan_record(rec, severity: str = WARNING) -> list:
    """Personal data in a summary: every published field's parsed value (by key path) and the
    body (by line and column), as Issues. Fields no page shows (review, access, pii_ok) are out."""
    allowed = allowed_texts(rec.data)
    issues = []
    if "id" not in rec.data:  # the file name is the id: it is in every URL and the export
        issues += [_issue((), f"{h.what} in the file name", severity) for h in scan_text(rec.id, "plain", allowed)]
    values = _values((k, v) for k, v in rec.data.items() if k not in NOT_PUBLISHED)
    issues += [_issue(path, h.what, severity) for path, h in _scan_values(values, allowed)]
    body = rec.body or ""
    issues += [_issue(("__body__", line, col), h.what, severity)
               for line, col, h in _with_lines(body, scan_text(body, "markdown", allowed))]
    return _capped(issues, severity)


def _capped(issues: list, severity: str) -> list:
    if len(issues) <= MAX_ISSUES:
        return issues
    more = len(issues) - MAX_ISSUES
    return issues[:MAX_ISSUES] + [_issue((), f"personal data in {more} more place{'s' * (more != 1)}", severity)]


def _with_lines(text: str, hits: list[Hit]) -> Iterator[tuple[int, int, Hit]]:
    """(line offset 0-based, column 1-based, hit), counting lines once through the text."""
    line, line_start, at = 0, 0, 0
    for h in sorted(hits, key=lambda h: h.start):
        line += text.count("\n", at, h.start)
        if h.start > at:
            nl = text.rfind("\n", at, h.start)
            if nl >= 0:
                line_start = nl + 1
        at = h.start
        yield line, h.start - line_start + 1, h


def record_hits(rec, severity: str = WARNING) -> list[Problem]:
    """Personal data in one summary, as `path:line:col` problems (publish refuses on these)."""
    return rec.problems(scan_record(rec, severity))


def find_personal_data(text: str) -> list[tuple[int, int, str]]:
    """(line offset 0-based, column 1-based, what) for each hit in Markdown `text`."""
    return [(line, col, h.what) for line, col, h in _with_lines(text, scan_text(text, "markdown"))]


# --- what publish writes -------------------------------------------------------------------------

def scan_rendered(text: str, rel: str, allowed: Iterable[str] = (), severity: str = ERROR,
                  locate: Callable[[Hit], tuple[int, int]] | None = None, mode: str = "html") -> list[Problem]:
    """Personal data in a rendered page as its reader sees it, as problems of file `rel`
    (`locate` finds a hit's line in that file; else line 1)."""
    out = []
    for h in scan_text(text, mode, allowed):
        line, col = locate(h) if locate else (1, 1)
        out.append(Problem(rel, line, col, "HR301", f"the published page holds {h.what}", severity))
    return out


def published_hits(rec, page: str, export: dict, scanned: Iterable[str] = (),
                   severity: str = ERROR) -> list[Problem]:
    """What a summary's published page and its `summaries.json` entry show, scanned once more
    after rendering: the page as its reader sees it (names from the vocabularies and settings,
    the templates' text, values as rendered) and the export's values. `scanned`: fragments of the
    page that were scanned at their source already (the sections of the body: record_hits reads
    the Markdown, at exact lines), left out so that publish reads each text once."""
    allowed = allowed_texts(rec.data)
    # a value the export took over as it is (the same object) was read by record_hits already
    values = _values((k, v) for k, v in export.items() if k != "sections" and v is not rec.data.get(k))
    issues = [_issue(path, h.what, severity) for path, h in _scan_values(values, allowed)]
    found = rec.problems(_capped(issues, severity)) if issues else []
    return found + scan_rendered(_frame(page, scanned), rec.rel, allowed, severity, _locator(rec), "page")


def _frame(page: str, fragments: Iterable[str]) -> str:
    """The page's <body> without the span from the first to the last fragment (the sections,
    with their headings, between them). The head holds the title, which the body shows too,
    and the style, the policy and the links of the page frame."""
    start = max(page.find("<body"), 0)
    fragments = [f for f in fragments if f]
    a = page.find(fragments[0], start) if fragments else -1
    b = page.rfind(fragments[-1]) if a >= 0 else -1
    if a < 0 or b < a:
        return page[start:]
    return page[start:a] + "\n" + page[b + len(fragments[-1]):]


def _locator(rec) -> Callable[[Hit], tuple[int, int]]:
    """A hit on the page -> the line of the summary's file that holds the same digits (or the
    same address), else the first line: what is on the page came from somewhere else."""
    def locate(h: Hit) -> tuple[int, int]:
        key = _key(h.text, h.kind)
        lines = _file_lines(rec)
        for n, line in enumerate(lines, start=1):
            if key and key in _key(line, h.kind):
                return n, 1
        return 1, 1
    return locate


def _key(text: str, kind: str) -> str:
    if kind == "email":
        return normalise(text, "markdown").text.lower()
    return "".join(c for c in text if c.isdecimal())


def _file_lines(rec) -> list[str]:
    src = rec.source
    head = [""] * (src.yaml_line - 1)
    return head + src.yaml_text.split("\n") + (src.body or "").split("\n")


# --- vocabularies and settings -------------------------------------------------------------------

def published_values(keys: tuple[str, ...], rec) -> list:
    """Personal data in the values of `keys` of a vocabulary or the settings, which the portal
    shows on every page (the check of `hrcoord.core.checks.published_values_check`)."""
    values = _values((k, rec.data[k]) for k in keys if k in rec.data)
    return _capped([_issue(path, h.what, WARNING) for path, h in _scan_values(values, [])], WARNING)
