"""Issue 18, hostile-input run, first finding: the personal-data guard missed the forms real text
has, flagged ordinary legal text, knew nothing of the 2032 numbers and was quadratic. One test
per finding, at the library level (the CLI side is in test_hostile_guard_cli.py)."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from conftest import fodselsnummer
from hrcoord.core.checks.privacy import (
    is_fodselsnummer,
    published_hits,
    record_hits,
    scan_record,
    scan_rendered,
    scan_text,
)
from hrcoord.core.loader import load_text
from hrcoord.core.models.base import Record

HERE = Path(__file__).resolve().parent
FNR = "15076500565"  # the issue's number: both control digits right under today's rule
K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def kinds(text: str, mode: str = "markdown") -> list[str]:
    return [h.kind for h in scan_text(text, mode)]


def summary_record(front: str, body: str = "## Sammendrag\n\nTekst.\n", rel: str = "data/judgments/2012/x.md"):
    loaded = load_text(f"---\n{front}---\n{body}", rel, markdown=True)
    assert loaded.data is not None, loaded.problems
    return Record("judgment", Path(rel).stem, loaded.source, loaded.data)


FRONT = """title: Example v. Norway
body: ECtHR
doc_type: judgment
reference: 12345/10
date: 2012-05-10
articles:
  - ECHR 8
relevance:
  - expulsion
status: published
"""


def number_2032(first9: str = "150765123") -> str:
    """A number valid only under the 2032 rule: (weighted sum + K1) mod 11 is 1, 2 or 3."""
    d = [int(c) for c in first9]
    s = sum(w * x for w, x in zip(K1, d, strict=True))
    for r in (1, 2, 3):
        k1 = (r - s) % 11
        if k1 > 9:
            continue
        d2 = d + [k1]
        k2 = -sum(w * x for w, x in zip(K2, d2, strict=True)) % 11
        if k2 <= 9:
            return first9 + str(k1) + str(k2)
    raise AssertionError("no 2032 number for these digits")


# --- forms the guard missed ----------------------------------------------------------------------

def test_the_issues_identity_number_with_a_hyphen_between_the_halves():
    assert is_fodselsnummer(FNR)
    assert kinds("Klagerens fødselsnummer er 150765-00565.") == ["id"]


@pytest.mark.parametrize("sep", ["\u00a0", "\t", "\n", "\r\n", " ", "\u202f", "\u2011"],
                         ids=["nbsp", "tab", "line-break", "crlf", "space", "narrow-nbsp", "nb-hyphen"])
def test_identity_number_with_nbsp_tab_or_line_break_between_the_halves(sep):
    text = f"Fnr. {FNR[:6]}{sep}{FNR[6:]} ble oppgitt."
    hits = scan_text(text, "markdown")
    assert [h.kind for h in hits] == ["id"]
    assert hits[0].text == f"{FNR[:6]}{sep}{FNR[6:]}"  # the place in the text as written


def test_html_entities_spell_a_number_or_an_address():
    assert kinds(f"Fnr. {FNR[:6]}&#32;{FNR[6:]}") == ["id"]
    assert kinds("Skriv til ola&#64;udi.no") == ["email"]
    assert kinds("Skriv til ola&commat;udi.no") == ["email"]
    assert kinds("Ring 22&nbsp;33&nbsp;44&nbsp;55") == ["phone"]
    assert kinds(f"{FNR[:3]}\u200b{FNR[3:]}") == ["id"]  # a zero-width space does not show


def test_yaml_escapes_are_read_as_the_reader_sees_them():
    # "\x40" is @ and "\u00a0" a non-breaking space once YAML has parsed the value
    rec = summary_record(FRONT.replace("Example v. Norway", '"Skriv til ola\\x40udi.no"')
                         + f'reason: "Fnr. {FNR[:6]}\\u00a0{FNR[6:]}"\n')
    found = {(i.keypath, i.message.split(" (")[0]) for i in scan_record(rec)}
    assert found == {(("title",), "publishable text holds an e-mail address"),
                     (("reason",), "publishable text holds a national identity number or D-number")}


@pytest.mark.parametrize("text", ["Ring 22 33 44 55.", "Ring 22 33 44 55!", "tlf. 900 12 345.", "(tlf. 2233 4455)",
                                  "Ring 22334455.", "ring 22 33 44 55, eller skriv"])
def test_a_phone_number_followed_by_punctuation(text):
    assert kinds(text) == ["phone"]


def test_a_phone_number_written_with_hyphens():
    assert kinds("Telefon 22-33-44-55") == ["phone"]
    assert kinds("Telefon 900-12-345") == ["phone"]


@pytest.mark.parametrize("text", ["(+47) 22334455", "(+47) 22 33 44 55", "+47 22334455", "+4722334455",
                                  "0047 22 33 44 55", "004722334455", "+47 900 12 345"])
def test_a_phone_number_with_the_country_code_in_any_form(text):
    hits = scan_text(f"Kontakt: {text}.", "markdown")
    assert [(h.kind, h.text) for h in hits] == [("phone", text)]


@pytest.mark.parametrize("address", ["ø@å.no", "jørgen@udi.no", "Åse.Ødegård@kommune.no", "ola@xn--rdal-poa.no"])
def test_email_addresses_with_non_ascii_letters(address):
    hits = scan_text(f"Skriv til {address}.", "markdown")
    assert [(h.kind, h.text) for h in hits] == [("email", address)]


def test_source_url_and_the_fields_it_skipped_are_scanned():
    rec = summary_record(FRONT.replace("reference: 12345/10", f"reference: 12345/10 {FNR}")
                         + "ecli: ECLI:CE:ECHR:2012:0510JUD001234510 tlf 22 33 44 55\n"
                         + "case_ref: 12/345-6 ola@udi.no\n"
                         + "source_url: https://example.org/sak?fnr=" + FNR + "\n")
    paths = {i.keypath[0] for i in scan_record(rec)}
    assert paths == {"reference", "ecli", "case_ref", "source_url"}


def test_vocabularies_and_settings_the_portal_shows_are_scanned(empty_repo):
    from hrcoord.core.repo import Repository
    from hrcoord.core.validate import validate

    tax = empty_repo / "data" / "taxonomy.yaml"
    text = tax.read_text(encoding="utf-8")
    first_name = next(line for line in text.splitlines() if "name_nb:" in line)
    tax.write_text(text.replace(first_name, first_name + " (tlf. 22 33 44 55)", 1), encoding="utf-8")
    settings = empty_repo / "hrcoord.yaml"
    settings.write_text(re.sub(r"(?m)^organisation: .*$", "organisation: UDI, post@udi.no",
                               settings.read_text(encoding="utf-8")), encoding="utf-8")
    report = validate(Repository(empty_repo))
    hits = sorted((p.path, p.line, p.severity) for p in report.problems if p.code == "HR301")
    tax_line = text.splitlines().index(first_name) + 1
    org_line = settings.read_text(encoding="utf-8").splitlines().index("organisation: UDI, post@udi.no") + 1
    assert hits == [("data/taxonomy.yaml", tax_line, "warning"), ("hrcoord.yaml", org_line, "warning")]


@pytest.mark.parametrize("mode", ["html", "page"])
def test_the_rendered_page_is_scanned_as_a_reader_sees_it(mode):
    page = ("<html><head><style>p{margin:0 22 33 44 55}</style></head><body>"
            "<p>Ring 22 33 <em>44 55</em></p><p>2013</p><p>2014</p>"
            f"<p>{FNR[:6]}<br>{FNR[6:]}</p><p>ola&#64;udi.no &amp;#64; not an address</p></body></html>")
    found = scan_rendered(page, "data/judgments/2012/x.md", mode=mode)
    assert [p.message for p in found] == ["the published page holds a phone number",
                                          "the published page holds a national identity number or D-number",
                                          "the published page holds an e-mail address (ola@udi.no)"]
    assert {(p.path, p.code, p.severity) for p in found} == {("data/judgments/2012/x.md", "HR301", "error")}


def test_published_hits_point_at_the_line_of_the_file_when_they_can():
    rec = summary_record(FRONT, "## Sammendrag\n\nRing 22 33 <span>44 55</span> i dag.\n")
    page = "<p>Ring 22 33 <span>44 55</span> i dag.</p>"
    assert record_hits(rec)  # raw HTML is left out of the page, so the body scan joins the halves too
    [hit] = published_hits(rec, page, {"id": rec.id, "title": "Example v. Norway"})
    assert (hit.line, hit.code) == (rec.body_line() + 2, "HR301")


# --- false positives ----------------------------------------------------------------------------

def ordinary_sentences() -> list[str]:
    lines = (HERE / "ordinary_legal_text.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def test_the_corpus_of_ordinary_legal_text_has_38_sentences_or_more():
    sentences = ordinary_sentences()
    assert len(sentences) >= 38
    assert any("2013 2014" in s for s in sentences) and any("avsnitt 90 91 92 93" in s for s in sentences)


@pytest.mark.parametrize("mode", ["plain", "markdown", "html"])
def test_ordinary_legal_text_raises_nothing(mode):
    found = {s: scan_text(s, mode) for s in ordinary_sentences()}
    assert {s: h for s, h in found.items() if h} == {}
    # and as one text, as a summary holds it
    assert scan_text("\n\n".join(ordinary_sentences()), mode) == []


@pytest.mark.parametrize("text", ["Statistikk for 2013 2014", "avsnitt 90 91 92 93", "§§ 28 29", "55597/09",
                                  "C-465/07", "ECLI:CE:ECHR:2011:0628JUD005559709", "CCPR/C/102/D/1959/2010",
                                  "NOK 1 250 000", "kr 22 500 000", "22 500 000 kroner", "1990–2014", "1990-2014",
                                  "2011-06-28", "20110628", "28.06.2011", "HR-2016-2554-A"])
def test_what_the_old_guard_flagged_as_phone_numbers(text):
    assert scan_text(text, "markdown") == []


# --- the numbers issued from 2032 -----------------------------------------------------------------

def test_identity_numbers_of_the_2032_series_are_recognised():
    new = number_2032()
    assert is_fodselsnummer(new, "2032") and not is_fodselsnummer(new, "today")
    assert is_fodselsnummer(new)  # either rule
    old = fodselsnummer("010190")
    assert is_fodselsnummer(old, "today") and is_fodselsnummer(old, "2032")
    assert kinds(f"Fnr. {new[:6]} {new[6:]}") == ["id"]
    wrong = new[:-1] + str((int(new[-1]) + 1) % 10)  # K2 is unchanged: a wrong K2 is no number
    assert not is_fodselsnummer(wrong) and kinds(f"Nr. {wrong}") == []


# --- linear time -----------------------------------------------------------------------------------

MIB = 1024 * 1024
HOSTILE = {
    "percent-then-at": "%" * (MIB - 4) + "@a.b",
    "percent-at-digits-spaces": ("%@ 1 %% 22 @@ 333 " * (MIB // 18 + 1))[:MIB],
    "digit-groups": ("22 33 44 5 " * (MIB // 11 + 1))[:MIB],
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_complexity_guard_one_mebibyte_of_hostile_text(name):
    """A complexity guard, not a benchmark: a quadratic pattern takes minutes on 1 MiB (the old
    one took 78 s on 200,000 `%`), a linear one well under a second. The bound is generous."""
    started = time.perf_counter()
    for mode in ("plain", "markdown"):
        scan_text(HOSTILE[name], mode)
    assert time.perf_counter() - started < 5.0


# --- reviewed exceptions (pii_ok) -----------------------------------------------------------------

PII_OK = """pii_ok:
  - text: post@udi.example
    reason: the directorate's public post box
"""


def test_pii_ok_allows_exactly_its_strings_and_nothing_more():
    body = "## Sammendrag\n\nSkriv til post@udi.example eller ola@udi.example.\n"
    rec = summary_record(FRONT + PII_OK, body)
    messages = [i.message for i in scan_record(rec)]
    assert messages == ["publishable text holds an e-mail address (ola@udi.example)"]
    # an allowed string inside a longer address is not that address
    rec = summary_record(FRONT + PII_OK, "## Sammendrag\n\nSkriv til xpost@udi.example.no\n")
    assert len(scan_record(rec)) == 1


def test_pii_ok_is_no_blanket_switch():
    blanket = "pii_ok:\n  - text: '@'\n    reason: everything\n  - text: '2'\n    reason: all numbers\n"
    rec = summary_record(FRONT + blanket, "## Sammendrag\n\nola@udi.no, tlf. 22 33 44 55\n")
    assert len(scan_record(rec)) == 2


def test_pii_ok_needs_text_and_reason(empty_repo):
    from hrcoord.core.models.judgment import JUDGMENT

    rec = summary_record(FRONT + "pii_ok:\n  - text: post@udi.example\n  - text: ''\n    reason: x\n")
    codes = sorted((i.code, i.keypath) for i in JUDGMENT.validate(rec, _context()) if i.keypath[:1] == ("pii_ok",))
    assert codes == [("HR102", ("pii_ok", 0)), ("HR117", ("pii_ok", 1, "text"))]
    # an entry without a reason allows nothing
    rec = summary_record(FRONT + "pii_ok:\n  - text: post@udi.example\n", "## Sammendrag\n\npost@udi.example\n")
    assert len(scan_record(rec)) == 1


def _context():
    from hrcoord.core.models.base import Context

    return Context()


def test_pii_ok_is_not_published(cli, scratch_repo, tmp_path):
    import json

    path = next(p for p in sorted((scratch_repo / "data" / "judgments").glob("*/*.md"))
                if "status: published" in p.read_text(encoding="utf-8") and "access: internal" not in
                p.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n---\n", "\n" + PII_OK.rstrip("\n") + "\n---\n", 1).replace(
        "## Sammendrag\n", "## Sammendrag\n\nSpørsmål kan sendes til post@udi.example.\n", 1), encoding="utf-8")
    # the exception is part of what a reviewer approves: stamped again, it publishes
    assert cli(["--repo", scratch_repo, "judgment", "review", path.stem, "--by", "Test"]).exit_code == 0
    r = cli(["--repo", scratch_repo, "publish", "--out", tmp_path / "site"])
    assert r.exit_code == 0, r.stderr
    site = tmp_path / "site"
    entry = next(e for e in json.loads((site / "summaries.json").read_text(encoding="utf-8"))["summaries"]
                 if e["id"] == path.stem)
    assert "pii_ok" not in entry and "the directorate's public post box" not in json.dumps(entry)
    page = (site / "summaries" / f"{path.stem}.html").read_text(encoding="utf-8")
    assert "post@udi.example" in page and "public post box" not in page


def test_pii_ok_is_covered_by_the_review_stamp(cli, scratch_repo):
    path = next(p for p in sorted((scratch_repo / "data" / "judgments").glob("*/*.md"))
                if "status: published" in p.read_text(encoding="utf-8"))
    assert "HR206" not in cli(["--repo", scratch_repo, "validate", path]).stderr
    path.write_text(path.read_text(encoding="utf-8").replace("\n---\n", "\n" + PII_OK.rstrip("\n") + "\n---\n", 1),
                    encoding="utf-8")
    r = cli(["--repo", scratch_repo, "validate", path])
    assert re.search(r"warning HR206 summary changed after its review \(pii_ok changed\)", r.stderr), r.stderr
    assert cli(["--repo", scratch_repo, "judgment", "review", path.stem, "--by", "Koordinator"]).exit_code == 0
    assert "HR206" not in cli(["--repo", scratch_repo, "validate", path]).stderr
