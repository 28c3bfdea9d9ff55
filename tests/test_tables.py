"""Terminal tables: a long listing is laid out without rich (about 0.35 ms a row there), and it
must look exactly as rich lays it out."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hrcoord.render import tables as T

WORDS = st.sampled_from(["a", "og", "familieliv", "utvisning", "Menneskehandel", "æøå", "x" * 30, "C-123/45",
                         "2014-01-01", "ECHR 8", "", "-", "a-b-c", "ord,", "(parentes)", "Søknad.", "Ü"])
CELL = st.lists(WORDS, max_size=12).flatmap(
    lambda ws: st.sampled_from([" ", "  ", "\n"]).map(lambda sep: sep.join(ws)))
HEADER = st.sampled_from(["Id", "Dato", "Tittel", "Status lang overskrift", "Organ", "Merknad", ""])


@st.composite
def tables(draw):
    n = draw(st.integers(1, 6))
    headers = draw(st.lists(HEADER, min_size=n, max_size=n))
    rows = draw(st.lists(st.lists(CELL, min_size=n, max_size=n), max_size=6))
    folding = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return rows, headers, folding, draw(st.integers(20, 160)), draw(st.sampled_from([None, "Liste", "Saker"]))


@given(tables())
def test_the_plain_layout_is_riches(table):
    rows, headers, folding, width, title = table
    plain = T.PLAIN_FROM
    try:
        T.PLAIN_FROM = 0
        fast = T.terminal(rows, headers, title=title, folding=folding, width=width)
        T.PLAIN_FROM = 10 ** 9
        slow = T.terminal(rows, headers, title=title, folding=folding, width=width)
    finally:
        T.PLAIN_FROM = plain
    assert fast == slow


def test_a_long_listing_takes_the_plain_layout_and_text_it_cannot_measure_does_not(monkeypatch):
    used = []
    original = T._plain
    monkeypatch.setattr(T, "_plain", lambda *a: used.append(1) or original(*a))
    rows = [[f"sak-{i}", "2014-01-01", "En tittel om familieliv og utvisning"] for i in range(max(T.PLAIN_FROM, 300))]
    out = T.terminal(rows, ["Id", "Dato", "Tittel"], folding=[False, False, True], width=60)
    assert used == [1] and out.splitlines()[2].split()[:3] == ["sak-0", "2014-01-01", "En"]
    wide = [["sak-1", "2014-01-01", "東京の判決"]] * 300  # two cells a character: rich measures it
    T.terminal(wide, ["Id", "Dato", "Tittel"], folding=[False, False, True], width=60)
    assert used == [1]


def _blocks_by_textwrap(cells, headers, title, width):  # the layout as first written: textwrap for every value
    import textwrap

    label = max(len(h) for h in headers) + 2
    out = [title, "=" * min(len(title), width), ""] if title else []
    for row in cells:
        for header, value in zip(headers, row, strict=False):
            lines = textwrap.wrap(value, width=max(width - label, 10), break_long_words=False,
                                  break_on_hyphens=False) or [""]
            out.append(f"{(header + ':').ljust(label)}{lines[0]}")
            out += [" " * label + line for line in lines[1:]]
        out.append("")
    return "\n".join(out) + "\n"


@given(st.lists(st.lists(st.text(st.sampled_from("ab æ\t\n\u00a0-"), max_size=30), min_size=2, max_size=2),
                max_size=5), st.integers(8, 40), st.sampled_from([None, "Liste"]))
def test_blocks_write_short_values_as_textwrap_would(rows, width, title):
    assert T._blocks(rows, ["Id", "Tittel"], title, width) == _blocks_by_textwrap(rows, ["Id", "Tittel"], title, width)
