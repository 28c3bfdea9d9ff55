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
