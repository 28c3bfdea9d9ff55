"""The case-law issue's parts of the portal: the citation on every page, a notice while an ECtHR
Chamber judgment is not final, and an index by the applicants' country of origin."""
from __future__ import annotations

import datetime as dt
import re

from conftest import ROOT, invoke
from hrcoord.caselaw.portal.views import citation_and_finality, vocab
from hrcoord.core.repo import Repository


def test_a_chamber_judgment_inside_its_three_months_says_when_it_becomes_final():
    repo = Repository(ROOT)
    rec = repo.records("judgment")["kaplan-and-others-v-norway-2014"]  # Chamber, 24 July 2014
    voc = vocab(repo, "nb")
    inside = citation_and_finality(rec, voc, dt.date(2014, 8, 15))
    assert inside["not_final"] == ("Ikke endelig: dommen blir endelig 24. oktober 2014 med mindre saken "
                                   "henvises til storkammeret.")
    assert citation_and_finality(rec, voc, dt.date(2014, 11, 1))["not_final"] == ""
    english = citation_and_finality(rec, vocab(repo, "en"), dt.date(2014, 8, 15))
    assert "becomes final on 24 October 2014" in english["not_final"]
    grand = repo.records("judgment")["jeunesse-v-the-netherlands-2014"]  # Grand Chamber: final at once
    assert citation_and_finality(grand, voc, dt.date(2014, 10, 4))["not_final"] == ""


def test_every_page_carries_its_citation_and_the_origin_index_lists_the_countries(tmp_path):
    out = tmp_path / "site"
    r = invoke(["--repo", ROOT, "publish", "--out", out])
    assert r.exit_code == 0, r.stderr
    for page in sorted((out / "summaries").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        shown = re.search(r'<span id="citation">([^<]*)</span>', text)
        assert shown, page.name
        cite = invoke(["--repo", ROOT, "judgment", "cite", page.stem, "--style", "nb"]).stdout.strip()
        import html

        assert html.unescape(shown.group(1)) == cite, page.name
    origin = (out / "origin.html").read_text(encoding="utf-8")
    repo = Repository(ROOT)
    with_origin = [rec for rec in repo.records("judgment").values()
                   if rec.get("origin") and rec.get("status") == "published" and rec.get("access") != "internal"]
    assert with_origin, "the embedded data gives some applicants' countries of origin"
    for rec in with_origin:
        assert f'href="summaries/{rec.id}.html"' in origin
    assert "Somalia" in origin  # (Jasin v. Denmark, Hode and Abdi: Somali applicants)
    assert 'href="origin.html"' in (out / "index.html").read_text(encoding="utf-8")
