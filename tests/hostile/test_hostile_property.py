"""Property: identity numbers (today's and the 2032 rule, valid control digits) and phone numbers
in every form the guard promises, put into every string field of a summary and into its body, are
caught in every one of them, at the right key path and body line. 2 × 1,000 generated numbers,
each in 29 places (derandomized: the same cases on every run). The values are given as parsed
data: YAML's part (escapes, positions) is tested through the CLI in test_hostile_guard_cli.py."""
from __future__ import annotations

import copy
import itertools
from types import SimpleNamespace

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hrcoord.core.checks.privacy import is_fodselsnummer, scan_record


def is_date(digits: str) -> bool:
    """YYYYMMDD or DDMMYYYY of a day in 1900–2099 (the guard reads those as dates)."""
    import datetime as dt

    for y, m, d in ((digits[:4], digits[4:6], digits[6:]), (digits[4:], digits[2:4], digits[:2])):
        try:
            if 1900 <= int(y) <= 2099 and dt.date(int(y), int(m), int(d)):
                return True
        except ValueError:
            pass
    return False

K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
EXAMPLES = 1000

BASE = {
    "title": "Example v. Norway", "body": "ECtHR", "doc_type": "judgment", "formation": "Chamber",
    "reference": ["12345/10", "23456/11"], "ecli": "ECLI:CE:ECHR:2012:0510JUD001234510", "date": "2012-05-10",
    "respondent": ["NO"], "articles": ["ECHR 8", "ECHR 3"], "outcome": "violation", "keywords": ["family-life"],
    "relevance": ["expulsion"], "departments": ["OPA"], "status": "published", "published": "2012-06-01",
    "replaced_by": "other-summary", "reason": "Erstattet av en nyere avgjørelse.",
    "source_url": "https://hudoc.echr.coe.int/eng?i=001-105264",
    "related": ["earlier-summary", {"id": "later-summary", "relation": "later-stage"}],
    "foreign_practice": [{"country": "SE", "note": "Svensk praksis.", "source": "https://example.org/se"}],
    "summary_lang": "nb", "case_ref": "12/345-6",
}
BODY_HEAD = "## Sammendrag\n\nDomstolen fant en krenkelse av artikkel 8 i 2012.\n\n"


def string_paths(value, path=()):
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from string_paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from string_paths(v, path + (i,))


PATHS = list(string_paths(BASE))


def put(data: dict, path: tuple, text: str) -> None:
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = f"{target[path[-1]]} – {text}"


def check_everywhere(number: str, label: str, punct: str, kind: str) -> None:
    text = f"{label} {number}{punct}".strip()
    data = copy.deepcopy(BASE)
    for path in PATHS:
        put(data, path, text)
    body = BODY_HEAD + f"Opplysningen ble gitt i møtet: {text} Den er ikke offentlig.\n"
    rec = SimpleNamespace(id="example-v-norway-2012", data=data, body=body)
    what = "a national identity number or D-number" if kind == "id" else "a phone number"
    found = {i.keypath for i in scan_record(rec) if i.message == f"publishable text holds {what}"}
    missing = [p for p in PATHS if p not in found]
    assert missing == [], (repr(text), missing)
    body_lines = {k[1] for k in found if k and k[0] == "__body__"}
    assert body_lines == {BODY_HEAD.count("\n")}, (repr(text), body_lines)


@st.composite
def identity_numbers(draw) -> str:
    digits = [int(c) for c in f"{draw(st.integers(0, 10**9 - 1)):09d}"]
    s = sum(w * x for w, x in zip(K1, digits, strict=True))
    rule = draw(st.sampled_from(["today", "2032"]))
    k1 = (-s) % 11 if rule == "today" else (draw(st.sampled_from([1, 2, 3])) - s) % 11
    assume(k1 <= 9)
    k2 = -sum(w * x for w, x in zip(K2, digits + [k1], strict=True)) % 11
    assume(k2 <= 9)
    number = "".join(map(str, digits + [k1, k2]))
    assert is_fodselsnummer(number, rule)
    sep = draw(st.sampled_from(["", "-", " ", "\u00a0", "\t", "\n"]))
    return number[:6] + sep + number[6:]


SHAPES = [(8,), (2, 2, 2, 2), (3, 2, 3), (4, 4)]
PREFIXES = ["", "+47 ", "+47", "0047 ", "0047", "(+47) ", "(+47)", "+47\u00a0"]


@st.composite
def phone_numbers(draw) -> str:
    digits = str(draw(st.integers(20_000_000, 99_999_999)))  # Norwegian numbers begin with 2–9
    shape = draw(st.sampled_from(SHAPES))
    prefix = draw(st.sampled_from(PREFIXES))
    groups, at = [], 0
    for size in shape:
        groups.append(digits[at:at + size])
        at += size
    if not prefix:  # what the guard reads as years, a list of paragraph numbers or a date, by design
        nums = [int(g) for g in groups]
        assume(not (len(nums) == 2 and all(1900 <= n <= 2099 for n in nums)))
        assume(not (len(nums) > 1 and all(b == a + 1 for a, b in itertools.pairwise(nums))))
        assume(not (len(nums) == 1 and is_date(digits)))
    seps = draw(st.lists(st.sampled_from([" ", "-", "\u00a0"]), min_size=len(groups) - 1, max_size=len(groups) - 1))
    return prefix + groups[0] + "".join(sep + g for sep, g in zip(seps, groups[1:], strict=True))


PUNCT = st.sampled_from(["", ".", ",", ";", ":", ")", "!", "?"])


@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(number=identity_numbers(), label=st.sampled_from(["fnr.", "Fødselsnummer", "d-nummer:", "personnr", ""]),
       punct=PUNCT)
def test_identity_numbers_are_caught_in_every_field_and_the_body(number, label, punct):
    check_everywhere(number, label, punct, "id")


@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(number=phone_numbers(), label=st.sampled_from(["Tlf.", "tlf", "Ring", "Mobil:", "Telefon", "kontakt", ""]),
       punct=PUNCT)
def test_phone_numbers_are_caught_in_every_field_and_the_body(number, label, punct):
    check_everywhere(number, label, punct, "phone")
