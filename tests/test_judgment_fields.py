"""Issue 14, the summary's new fields and the flags around them: origin, provisions, referral, author;
Norwegian aliases (EMK, SP, EMD) in records and flags; filters that check their values; `show`
suggesting ids; `list --text` over the labels; four eyes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, git, write
from hrcoord.caselaw import judgments
from hrcoord.core.repo import Repository

ADD = ["judgment", "add", "--title", "Alpha v. Norway", "--body", "ECtHR", "--doc-type", "judgment",
       "--formation", "Chamber", "--reference", "12345/10", "--date", "2012-05-10", "--respondent", "NO",
       "--relevance", "expulsion"]
ALPHA = "data/judgments/2012/alpha-v-norway-2012.md"
DRAFT = """---
title: Alpha v. Norway
body: {body}
doc_type: judgment
formation: Chamber
reference: 12345/10
date: 2012-05-10
articles:
- {article}
relevance:
- expulsion
status: draft
---

## Sammendrag

Tekst.
"""


def front_matter(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8").split("---\n", 2)[1], Loader=yaml.BaseLoader)


def listed(cli, *args) -> set[str]:
    r = cli(["--repo", ROOT, "judgment", "list", "--format", "json", *args])
    assert r.exit_code == 0, r.stderr
    return {s["id"] for s in json.loads(r.stdout)}


# --- fields --------------------------------------------------------------------------------------

def test_origin_provisions_and_author_from_flags(cli, empty_repo):
    r = cli(["--repo", empty_repo, *ADD, "--article", "ECHR 8", "--origin", "SO", "--origin", "AFG",
             "--provision", "utlendingsloven § 28", "--by", "Rådgiver, Asylavdelingen"])
    assert r.exit_code == 0, r.stderr
    data = front_matter(empty_repo / ALPHA)
    assert data["origin"] == ["SO", "AF"]  # alpha-3 written as alpha-2
    assert data["provisions"] == ["utlendingsloven § 28"] and data["author"] == "Rådgiver, Asylavdelingen"
    keys = list(data)
    assert keys.index("respondent") < keys.index("origin") < keys.index("articles") < keys.index("provisions")
    assert keys.index("status") < keys.index("author")
    v = cli(["--repo", empty_repo, "validate"])
    assert v.exit_code == 0 and "0 warnings" in v.stderr
    args = [a if a != "12345/10" else "54321/10" for a in ADD]
    bad = cli(["--repo", empty_repo, *args, "--article", "ECHR 8", "--origin", "XX", "--id", "other"])
    assert bad.exit_code == 2 and "--origin" in bad.stderr and "HR109" in bad.stderr  # the flag's mistake


def test_the_author_is_git_config_user_name_when_not_given(cli, empty_repo):
    git(empty_repo, "init", "-q")
    git(empty_repo, "config", "user.name", "Rådgiver, Oppholdsavdelingen")
    assert cli(["--repo", empty_repo, *ADD, "--article", "ECHR 8"]).exit_code == 0
    assert front_matter(empty_repo / ALPHA)["author"] == "Rådgiver, Oppholdsavdelingen"


# --- aliases -------------------------------------------------------------------------------------

def test_norwegian_aliases_are_accepted_and_fmt_writes_the_codes(cli, empty_repo):
    path = write(empty_repo / ALPHA, DRAFT.format(body="EMD", article="EMK 8"))
    v = cli(["--repo", empty_repo, "validate"])
    assert v.exit_code == 0 and "0 errors" in v.stderr, v.stderr
    check = cli(["--repo", empty_repo, "fmt", "--check"])
    assert check.exit_code == 1 and ALPHA in check.stdout + check.stderr
    assert cli(["--repo", empty_repo, "fmt"]).exit_code == 0
    data = front_matter(path)
    assert (data["body"], data["articles"]) == ("ECtHR", ["ECHR 8"])
    write(path, DRAFT.format(body="CCPR", article="SP 7").replace("12345/10", "CCPR/C/100/D/1/2010"))
    assert cli(["--repo", empty_repo, "fmt"]).exit_code == 0
    assert front_matter(path)["articles"] == ["ICCPR 7"]


def test_flags_take_aliases_and_writes_the_code(cli, empty_repo):
    r = cli(["--repo", empty_repo, *ADD, "--article", "EMK 8"])
    assert r.exit_code == 0, r.stderr
    assert front_matter(empty_repo / ALPHA)["articles"] == ["ECHR 8"]


def test_a_repository_code_is_not_taken_for_an_alias(cli, empty_repo):
    conv = empty_repo / "data" / "conventions.yaml"
    text = conv.read_text(encoding="utf-8").replace(
        "\nbodies:\n", "\n- code: SP\n  name_nb: Særprotokoll\n  name_en: Special protocol\n  articles:\n  - '7'\n"
                       "bodies:\n", 1)
    conv.write_text(text, encoding="utf-8")
    path = write(empty_repo / ALPHA, DRAFT.format(body="ECtHR", article="SP 7"))
    assert cli(["--repo", empty_repo, "fmt"]).exit_code == 0
    assert front_matter(path)["articles"] == ["SP 7"]  # the repository's own SP, not the Covenant


def test_a_review_stamp_survives_fmt_rewriting_an_alias(cli, empty_repo):
    path = write(empty_repo / ALPHA, DRAFT.format(body="ECtHR", article="EMK 8")
                 .replace("status: draft", "status: in-review") + "\n## Betydning for UDI\n\nViktig.\n")
    assert cli(["--repo", empty_repo, "judgment", "review", "alpha-v-norway-2012", "--by", "K"]).exit_code == 0
    assert front_matter(path)["articles"] == ["ECHR 8"]  # the review wrote the canonical form
    v = cli(["--repo", empty_repo, "validate", "--strict"])
    assert v.exit_code == 0, v.stderr


# --- filters -------------------------------------------------------------------------------------

def test_list_article_alias_is_the_article(cli):
    assert listed(cli, "--article", "EMK 8") == listed(cli, "--article", "ECHR 8") != set()
    assert listed(cli, "--convention", "SP") == listed(cli, "--convention", "ICCPR") != set()
    assert listed(cli, "--body", "EMD") == listed(cli, "--body", "ECtHR") == listed(cli, "--body", "ecthr")


@pytest.mark.parametrize("args, needle", [
    (["--article", "ECHR 99"], "--article 'ECHR 99': ECHR has no article '99'"),
    (["--article", "EKM 8"], "did you mean 'ECHR 8'"),
    (["--article", "ECHR"], "--article 'ECHR'"),
    (["--body", "XYZ"], "--body 'XYZ': unknown body"),
    (["--convention", "EHCR"], "did you mean 'ECHR'"),
    (["--relevance", "asylm"], "did you mean 'asylum'"),
    (["--keyword", "nope"], "--keyword 'nope'"),
    (["--department", "XYZ"], "--department"),
    (["--origin", "XX"], "--origin 'XX'"),
])
def test_an_unknown_filter_value_is_a_usage_error_naming_the_flag(cli, args, needle):
    r = cli(["--repo", ROOT, "judgment", "list", *args])
    assert r.exit_code == 2, (r.exit_code, r.stdout)
    assert needle in r.stderr and "Traceback" not in r.stderr


def test_list_by_origin(cli):
    repo = Repository(ROOT)
    expected = {jid for jid, rec in repo.records("judgment").items() if "SO" in (rec.data.get("origin") or [])}
    assert {"sufi-and-elmi-v-the-united-kingdom-2011", "hode-and-abdi-v-the-united-kingdom-2012",
            "jasin-v-denmark-2015"} <= expected
    assert listed(cli, "--origin", "SO") == expected == listed(cli, "--origin", "som")


def test_text_finds_keyword_and_relevance_labels_in_both_languages(cli):
    repo = Repository(ROOT)
    with_family_life = {jid for jid, rec in repo.records("judgment").items()
                        if "family-life" in (rec.data.get("keywords") or [])}
    assert with_family_life
    assert with_family_life <= listed(cli, "--text", "familieliv")  # name_nb "Familieliv"
    assert with_family_life <= listed(cli, "--text", "family life")  # name_en "Family life"
    dublin = {jid for jid, rec in repo.records("judgment").items() if "dublin" in (rec.data.get("relevance") or [])}
    assert dublin and dublin <= listed(cli, "--text", "Dublin-saker")
    assert listed(cli, "--text", "CCPR/C/114/D/2360/2014") == {"jasin-v-denmark-2015"}  # a reference
    assert "x-y-and-z-2013" in listed(cli, "--text", "ECLI:EU:C:2013:720")


def test_library_select_resolves_aliases():
    repo = Repository(ROOT)
    emk, echr = judgments.select(repo, article="EMK 3"), judgments.select(repo, article="ECHR 3")
    assert {r.id for r in emk} == {r.id for r in echr}
    f = judgments.filters(repo, body="emd", article="emk 5-1", origin="tun")
    assert f.bodies == {"ECtHR"} and f.articles == ["ECHR 5-1"] and f.origins == {"TN"}


# --- show ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("key, suggestion", [
    ("nunez", "nunez-v-norway-2011"),
    ("55597/09", "nunez-v-norway-2011"),
    ("ECLI:EU:C:2011:865", "n-s-and-m-e-2011"),
])
def test_show_suggests_the_id(cli, key, suggestion):
    r = cli(["--repo", ROOT, "judgment", "show", key])
    assert r.exit_code == 2 and f"did you mean '{suggestion}'?" in r.stderr


def test_show_lists_several_candidates(cli):
    r = cli(["--repo", ROOT, "judgment", "show", "khlaifia"])
    assert r.exit_code == 2
    assert "khlaifia-and-others-v-italy-2015" in r.stderr and "khlaifia-and-others-v-italy-2016" in r.stderr


# --- four eyes -----------------------------------------------------------------------------------

def test_four_eyes_refuses_a_review_by_the_author(cli, empty_repo):
    settings = empty_repo / "hrcoord.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "four_eyes: true\n", encoding="utf-8")
    assert cli(["--repo", empty_repo, "validate"]).exit_code == 0
    assert cli(["--repo", empty_repo, *ADD, "--article", "ECHR 8", "--by", "Rådgiver A"]).exit_code == 0
    path = empty_repo / ALPHA
    text = path.read_text(encoding="utf-8")
    text = text.replace("## Sammendrag\n", "## Sammendrag\n\nTekst.\n", 1)
    path.write_text(text.replace("## Betydning for UDI\n", "## Betydning for UDI\n\nViktig.\n", 1), encoding="utf-8")
    assert cli(["--repo", empty_repo, "judgment", "status", "alpha-v-norway-2012", "in-review"]).exit_code == 0
    before = path.read_bytes()
    own = cli(["--repo", empty_repo, "judgment", "review", "alpha-v-norway-2012", "--by", " rådgiver  a "])
    assert own.exit_code == 1 and "four_eyes" in own.stderr and "written by Rådgiver A" in own.stderr
    assert path.read_bytes() == before
    other = cli(["--repo", empty_repo, "judgment", "review", "alpha-v-norway-2012", "--by", "Rådgiver B"])
    assert other.exit_code == 0, other.stderr
    assert cli(["--repo", empty_repo, "judgment", "status", "alpha-v-norway-2012", "approved"]).exit_code == 0


def test_without_four_eyes_the_author_may_review(cli, empty_repo):
    assert cli(["--repo", empty_repo, *ADD, "--article", "ECHR 8", "--by", "Rådgiver A"]).exit_code == 0
    path = empty_repo / ALPHA
    path.write_text(path.read_text(encoding="utf-8").replace("## Sammendrag\n", "## Sammendrag\n\nT.\n", 1)
                    .replace("## Betydning for UDI\n", "## Betydning for UDI\n\nV.\n", 1), encoding="utf-8")
    assert cli(["--repo", empty_repo, "judgment", "status", "alpha-v-norway-2012", "in-review"]).exit_code == 0
    assert cli(["--repo", empty_repo, "judgment", "review", "alpha-v-norway-2012", "--by", "Rådgiver A"]).exit_code == 0


def test_four_eyes_must_be_true_or_false(cli, empty_repo):
    settings = empty_repo / "hrcoord.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "four_eyes: yes\n", encoding="utf-8")
    r = cli(["--repo", empty_repo, "validate"])
    assert r.exit_code == 1 and "HR103" in r.stderr and "four_eyes" in r.stderr
