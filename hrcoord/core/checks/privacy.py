"""The personal-data guard (SPEC §5): national identity numbers and D-numbers, e-mail addresses
and phone numbers in publishable text. `validate` warns; `publish` refuses."""
from __future__ import annotations

import re

from hrcoord.core.errors import WARNING, Problem

ELEVEN = re.compile(r"(?<![\d/-])(\d{6})[ ]?(\d{5})(?![\d/-])")
EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
# Norwegian phone numbers: +47 / 0047 and eight digits, or eight digits grouped as 2-2-2-2 / 3-2-3 / 4-4
PHONE = re.compile(
    r"(?<![\w/.-])(?:(?:\+|00)47[ ]?)?(?:\d{2}[ ]\d{2}[ ]\d{2}[ ]\d{2}|\d{3}[ ]\d{2}[ ]\d{3}|\d{4}[ ]\d{4})(?![\w/.-])"
    r"|(?<![\w/.-])(?:\+|00)47[ ]?\d{8}(?![\w/.-])"
)
W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def is_fodselsnummer(digits: str) -> bool:
    """11 digits with both mod-11 control digits right (fødselsnummer or D-number)."""
    if len(digits) != 11 or not digits.isdigit():
        return False
    d = [int(c) for c in digits]
    k1 = 11 - sum(w * x for w, x in zip(W1, d)) % 11
    k1 = 0 if k1 == 11 else k1
    if k1 == 10 or k1 != d[9]:
        return False
    k2 = 11 - sum(w * x for w, x in zip(W2, d)) % 11
    k2 = 0 if k2 == 11 else k2
    return k2 != 10 and k2 == d[10]


# Every number hit lies in a run of digits and spaces (with an optional +/00 prefix) at least
# eight long; the full patterns run only around such runs, which is much faster than running
# them over whole texts.
_RUN = re.compile(r"\d[\d ]{6,}\d")


def find_personal_data(text: str) -> list[tuple[int, int, str]]:
    """(line offset 0-based, column 1-based, what) for each hit in `text`.
    Line and column are worked out only for hits."""
    if not text:
        return []
    found: set[tuple[int, str]] = set()
    for run in _RUN.finditer(text):
        lo, hi = max(0, run.start() - 4), min(len(text), run.end() + 1)
        for m in ELEVEN.finditer(text, lo, hi):
            if is_fodselsnummer(m.group(1) + m.group(2)):
                found.add((m.start(), "a national identity number or D-number"))
        found.update((m.start(), "a phone number") for m in PHONE.finditer(text, lo, hi))
    if "@" in text:
        found.update((m.start(), f"an e-mail address ({m.group(0)})") for m in EMAIL.finditer(text))
    hits = []
    for pos, what in sorted(found):
        line = text.count("\n", 0, pos)
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        hits.append((line, col, what))
    return hits


def _strings(value, path=()):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            if k != "review":
                yield from _strings(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, path + (i,))


def publishable(rec) -> bool:
    return rec.get("access", "public") != "internal"


def record_issues(rec, severity=WARNING) -> list:
    """Personal data in one summary's front matter and body, as key-path issues."""
    from hrcoord.core.models.base import Issue

    issues = []
    # one pass over the front matter's text; field by field only when something is there
    strings = _strings(rec.data) if find_personal_data(rec.source.yaml_text) else ()
    for path, text in strings:
        if path and path[0] in ("source_url", "ecli", "reference", "date", "case_ref"):
            continue
        for _, col, what in find_personal_data(text):
            issues.append(Issue(path, "HR301", f"publishable text holds {what}", severity))
    for line, col, what in find_personal_data(rec.body or ""):
        issues.append(Issue(("__body__", line, col), "HR301", f"publishable text holds {what}", severity))
    return issues


def record_hits(rec, severity=WARNING) -> list[Problem]:
    """Personal data in one summary, as `path:line:col` problems (publish refuses on these)."""
    return rec.problems(record_issues(rec, severity))
