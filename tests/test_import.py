"""`hrcoord judgment import` and `judgment fetch` (issue 14): saved HUDOC results, CELLAR notices and
CSV files become draft summaries; fetch asks a local HTTP server that serves the same records."""
from __future__ import annotations

import json
import re
import threading
import urllib.error
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from conftest import ROOT, write
from hrcoord.caselaw import fetch, importers
from hrcoord.caselaw.importers import csvfile, eurlex, hudoc
from hrcoord.core.errors import HrcoordError, UsageError
from hrcoord.core.repo import Repository

FIX = Path(__file__).parent / "fixtures"
NUNEZ = FIX / "hudoc-nunez-v-norway.json"
NS_XML = FIX / "cellar-62010CJ0411.xml"
NS_JSON = FIX / "cellar-62010CJ0411.sparql.json"
NUNEZ_FILE = "data/judgments/2011/nunez-v-norway-2011.md"


def front_matter(path: Path) -> tuple[dict, str]:
    _, fm, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.load(fm, Loader=yaml.BaseLoader), body  # every scalar as written


def judgment_files(repo: Path) -> list[str]:
    return sorted(p.relative_to(repo).as_posix() for p in (repo / "data" / "judgments").rglob("*.md"))


def import_(cli, repo, *args):
    return cli(["--repo", repo, "judgment", "import", *map(str, args)])


# --- HUDOC ---------------------------------------------------------------------------------------

def test_nunez_from_a_saved_hudoc_result_is_a_valid_conditional_draft(cli, empty_repo):
    r = import_(cli, empty_repo, NUNEZ, "--relevance", "expulsion", "--department", "OPA", "--by", "Rådgiver")
    assert r.exit_code == 0, r.stderr
    assert f"wrote {NUNEZ_FILE}" in r.stderr and "imported 1 summary" in r.stderr
    data, body = front_matter(empty_repo / NUNEZ_FILE)
    assert data["title"] == "Nunez v. Norway"
    assert (data["body"], data["doc_type"], data["formation"]) == ("ECtHR", "judgment", "Chamber")
    assert data["outcome"] == "conditional-violation"  # HUDOC's "(Conditional)": expulsion *would* violate
    assert data["respondent"] == "NO"  # HUDOC's NOR, as alpha-2
    assert "ECHR 8" in data["articles"]
    assert data["reference"] == "55597/09" and data["date"] == "2011-06-28"
    assert data["ecli"] == "ECLI:CE:ECHR:2011:0628JUD005559709"
    assert data["source_url"] == "https://hudoc.echr.coe.int/eng?i=001-105264"
    assert data["status"] == "draft" and data["author"] == "Rådgiver"
    assert "importance" not in data  # the saved record has none: left out, never guessed
    assert re.findall(r"^## (.+)$", body, re.M) == ["Sammendrag", "Faktum", "Domstolens vurdering",
                                                    "Betydning for UDI", "Andre lands praksis"]
    v = cli(["--repo", empty_repo, "validate"])
    assert v.exit_code == 0 and "0 errors, 0 warnings" in v.stderr, v.stderr
    assert cli(["--repo", empty_repo, "fmt", "--check"]).exit_code == 0


def test_importing_it_again_is_refused_naming_the_file(cli, empty_repo):
    assert import_(cli, empty_repo, NUNEZ, "--relevance", "expulsion").exit_code == 0
    before = (empty_repo / NUNEZ_FILE).read_bytes()
    again = import_(cli, empty_repo, NUNEZ, "--relevance", "expulsion")
    assert again.exit_code == 1
    assert NUNEZ_FILE in again.stderr and "already summarised" in again.stderr and "Traceback" not in again.stderr
    assert (empty_repo / NUNEZ_FILE).read_bytes() == before
    skipped = import_(cli, empty_repo, NUNEZ, "--relevance", "expulsion", "--skip-existing")
    assert skipped.exit_code == 0 and "skipped" in skipped.stderr and "imported 0 summaries" in skipped.stderr
    assert judgment_files(empty_repo) == [NUNEZ_FILE]


def test_a_summary_added_by_hand_is_a_duplicate_by_ecli_too(cli, empty_repo):
    r = cli(["--repo", empty_repo, "judgment", "add", "--title", "Nunez", "--body", "ECtHR", "--doc-type", "judgment",
             "--reference", "55597/09", "--date", "2011-06-28", "--article", "ECHR 8", "--relevance", "expulsion",
             "--ecli", "ECLI:CE:ECHR:2011:0628JUD005559709", "--id", "nunez"])
    assert r.exit_code == 0, r.stderr
    again = import_(cli, empty_repo, NUNEZ, "--relevance", "expulsion")
    assert again.exit_code == 1 and "ECLI ECLI:CE:ECHR:2011:0628JUD005559709" in again.stderr
    assert "data/judgments/2011/nunez.md" in again.stderr


def test_without_a_relevance_area_the_flag_is_named_and_nothing_written(cli, empty_repo):
    r = import_(cli, empty_repo, NUNEZ)
    assert r.exit_code == 2 and "--relevance" in r.stderr
    assert judgment_files(empty_repo) == []


def test_dry_run_shows_the_draft_and_writes_nothing(cli, empty_repo):
    r = import_(cli, empty_repo, NUNEZ, "--relevance", "expulsion", "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("---\ntitle: Nunez v. Norway\n") and "outcome: conditional-violation" in r.stdout
    assert f"would write {NUNEZ_FILE}" in r.stderr
    assert judgment_files(empty_repo) == []


def test_the_embedded_repository_already_holds_rantsev(cli, scratch_repo):
    r = import_(cli, scratch_repo, FIX / "hudoc-rantsev-v-cyprus-and-russia.json", "--relevance", "trafficking",
                "--article", "ECHR 4")
    assert r.exit_code == 1
    assert "data/judgments/2010/rantsev-v-cyprus-and-russia-2010.md" in r.stderr


def test_hudoc_mapping_of_a_real_conclusion_and_respondents():
    parsed = hudoc.parse_text((FIX / "hudoc-rantsev-v-cyprus-and-russia.json").read_text(encoding="utf-8"), "r.json")
    [d] = parsed.drafts
    assert d.values["respondent"] == ["CY", "RU"]
    assert d.values["importance"] == 1  # HUDOC's "1": key case
    assert d.values["outcome"] == "mixed"  # violation and no-violation limbs (Art. 2 by Russia, Art. 4 by Russia …)
    assert d.values["title"] == "Rantsev v. Cyprus and Russia"
    popov = hudoc.parse_text((FIX / "hudoc-popov-v-france.json").read_text(encoding="utf-8"), "p.json").drafts[0]
    assert popov.values["reference"] == ["39472/07", "39474/07"] and popov.values["importance"] == 2  # HUDOC "3"
    hode = hudoc.parse_text((FIX / "hudoc-hode-and-abdi-v-the-united-kingdom.json").read_text(encoding="utf-8"),
                            "h.json").drafts[0]
    assert hode.values["outcome"] == "violation" and hode.values["respondent"] == ["GB"]
    assert hode.values["title"] == "Hode and Abdi v. the United Kingdom"


@pytest.mark.parametrize("conclusion, outcome", [
    ("Violation of Article 3 - Prohibition of torture (Article 3 - Expulsion) (Conditional)", "conditional-violation"),
    ("Violation of Art. 3 (conditional);Violation of Art. 13 (conditional)", "conditional-violation"),
    ("Violation of Article 8 (Conditional);Violation of Article 5-1", "violation"),
    ("No violation of Article 8 - Right to respect for private and family life (Article 8-1)", "no-violation"),
    ("Remainder inadmissible;Violation of Article 8;Non-pecuniary damage - award", "violation"),
    ("Inadmissible", "inadmissible"),
    ("Struck out of the list", "struck-out"),
    ("Preliminary objection dismissed;Non-pecuniary damage - award", None),
    # a limb's details hold ';' inside parentheses: still one limb
    ("No violation of Article 8 (Article 8-1 - Respect for family life;Respect for home)", "no-violation"),
])
def test_conclusions_become_outcomes(conclusion, outcome):
    assert hudoc.outcome(conclusion) == outcome


def test_hudoc_articles_titles_and_branches():
    assert hudoc.articles("8;8-1;P4-4") == ["ECHR 8", "ECHR 8-1", "ECHR P4-4"]
    assert hudoc.articles("14;14+8;8") == ["ECHR 14", "ECHR 8"]
    assert hudoc.title("CASE OF M.S.S. v. BELGIUM AND GREECE") == "M.S.S. v. Belgium and Greece"
    assert hudoc.title("CASE OF HIRSI JAMAA AND OTHERS v. ITALY") == "Hirsi Jamaa and Others v. Italy"
    assert hudoc.title("CASE OF JEUNESSE v. THE NETHERLANDS") == "Jeunesse v. the Netherlands"
    assert hudoc.title("OMEREDO v. AUSTRIA") == "Omeredo v. Austria"  # a decision's docname has no "CASE OF"
    assert hudoc.title("Case of Nunez v. Norway") == "Nunez v. Norway"
    row = {"docname": "OMEREDO v. AUSTRIA", "appno": "8969/10", "doctypebranch": "ADMISSIBILITY",
           "kpdate": "2011-09-20T00:00:00", "conclusion": "Inadmissible", "respondent": "AUT"}
    d = hudoc.draft(row, "x")
    assert (d.values["doc_type"], d.values["formation"], d.values["outcome"]) == ("decision", "Chamber", "inadmissible")
    assert hudoc.draft({"docname": "X", "doctypebranch": "CLIN"}, "x") is None  # a legal summary: not imported


def test_one_summary_per_judgment_whatever_the_languages():
    row = json.loads(NUNEZ.read_text(encoding="utf-8"))["results"][0]["columns"]
    french = {**row, "itemid": "001-105265", "docname": "AFFAIRE NUNEZ c. NORVÈGE", "languageisocode": "FRE"}
    parsed = hudoc.parse({"resultcount": 2, "results": [{"columns": french}, {"columns": row}]}, "both.json")
    assert [d.values["source_url"] for d in parsed.drafts] == ["https://hudoc.echr.coe.int/eng?i=001-105264"]
    assert any("another language version" in n for n in parsed.notes)


def hudoc_file(tmp_path: Path, name: str, **columns) -> Path:
    return write(tmp_path / name, json.dumps({"resultcount": 1, "results": [{"columns": columns}]}))


def test_cited_cases_in_the_repository_become_related_links(cli, scratch_repo, tmp_path):
    src = hudoc_file(tmp_path, "example.json", itemid="001-1", appno="12345/10", docname="CASE OF EXAMPLE v. NORWAY",
                     doctypebranch="CHAMBER", kpdate="2012-05-10T00:00:00", respondent="NOR", article="3",
                     conclusion="No violation of Article 3",
                     scl="M.S.S. v. Belgium and Greece [GC], no. 30696/09, ECHR 2011;Soering v. the United Kingdom, "
                         "7 July 1989, Series A no. 161")
    r = import_(cli, scratch_repo, src, "--relevance", "dublin")
    assert r.exit_code == 0, r.stderr
    data, _ = front_matter(scratch_repo / "data/judgments/2012/example-v-norway-2012.md")
    assert data["related"] == [{"id": "m-s-s-v-belgium-and-greece-2011", "relation": "cites"}]
    assert cli(["--repo", scratch_repo, "validate"]).exit_code == 0


def test_a_grand_chamber_judgment_joins_its_chamber_judgment_as_a_later_stage(cli, empty_repo, tmp_path):
    common = {"appno": "43611/11", "respondent": "SWE", "article": "2;3"}
    chamber = hudoc_file(tmp_path, "chamber.json", itemid="001-1", docname="CASE OF F.G. v. SWEDEN",
                         doctypebranch="CHAMBER", kpdate="2014-01-16T00:00:00",
                         conclusion="No violation of Article 3 (Conditional)", **common)
    grand = hudoc_file(tmp_path, "grand.json", itemid="001-2", docname="CASE OF F.G. v. SWEDEN",
                       doctypebranch="GRANDCHAMBER", kpdate="2016-03-23T00:00:00",
                       conclusion="Violation of Article 3 (Conditional)", **common)
    assert import_(cli, empty_repo, chamber, "--relevance", "asylum").exit_code == 0
    r = import_(cli, empty_repo, grand, "--relevance", "asylum")
    assert r.exit_code == 0, r.stderr  # the same application number, but another stage: not a duplicate
    assert "to the related list of data/judgments/2014/fg-v-sweden-2014.md" in r.stderr  # the mirror is reported
    old, _ = front_matter(empty_repo / "data/judgments/2014/fg-v-sweden-2014.md")
    new, _ = front_matter(empty_repo / "data/judgments/2016/fg-v-sweden-2016.md")
    assert new["related"] == [{"id": "fg-v-sweden-2014", "relation": "earlier-stage"}]
    assert old["related"] == [{"id": "fg-v-sweden-2016", "relation": "later-stage"}]
    v = cli(["--repo", empty_repo, "validate"])
    assert v.exit_code == 0 and "0 errors" in v.stderr, v.stderr


# --- CELLAR --------------------------------------------------------------------------------------

@pytest.mark.parametrize("source", [NS_XML, NS_JSON], ids=["notice-xml", "sparql-json"])
def test_a_cellar_record_for_n_s_gives_both_joined_case_numbers(cli, empty_repo, source):
    r = import_(cli, empty_repo, source, "--relevance", "dublin", "--article", "CHARTER 4", "--department", "ASA")
    assert r.exit_code == 0, r.stderr
    [rel] = judgment_files(empty_repo)
    data, _ = front_matter(empty_repo / rel)
    assert data["reference"] == ["C-411/10", "C-493/10"]
    assert data["ecli"] == "ECLI:EU:C:2011:865" and data["date"] == "2011-12-21"
    assert (data["body"], data["doc_type"], data["formation"]) == ("CJEU", "judgment", "Grand Chamber")
    assert data["outcome"] == "interpretation"  # references for a preliminary ruling
    assert data["source_url"] == "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:62010CJ0411"
    assert data["title"].startswith("N. S. v Secretary of State for the Home Department and M. E. and Others")
    assert "respondent" not in data  # a preliminary ruling has none
    assert cli(["--repo", empty_repo, "validate"]).exit_code == 0


def test_joined_cases_given_as_a_range_name_every_case():
    parsed = eurlex.parse_xml((FIX / "cellar-62012CJ0199.xml").read_text(encoding="utf-8"), "xyz.xml")
    [d] = parsed.drafts
    assert d.values["reference"] == ["C-199/12", "C-200/12", "C-201/12"]
    assert d.values["formation"] == "Chamber"  # "Judgment of the Court (Fourth Chamber)"


def test_the_embedded_repository_already_holds_n_s(cli, scratch_repo):
    r = import_(cli, scratch_repo, NS_XML, "--relevance", "dublin", "--article", "CHARTER 4")
    assert r.exit_code == 1 and "data/judgments/2011/n-s-and-m-e-2011.md" in r.stderr


def test_cellar_helpers():
    assert eurlex.case_from_celex("62010CJ0411") == "C-411/10"
    assert eurlex.case_from_celex("62012TJ0005") == "T-5/12"
    assert eurlex.formation("Judgment of the Court (Grand Chamber) of 21 December 2011") == "Grand Chamber"
    assert eurlex.formation("Judgment of the Court (Third Chamber)") == "Chamber"
    assert eurlex.formation("Judgment of the Court") is None  # not said: left out


def test_xml_with_entities_is_not_read(tmp_path):
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><NOTICE>&a;</NOTICE>'
    with pytest.raises(UsageError, match="DOCTYPE"):
        eurlex.parse_xml(bomb, "bomb.xml")


# --- CSV and formats -----------------------------------------------------------------------------

def test_csv_with_the_specs_column_names(cli, empty_repo):
    r = import_(cli, empty_repo, FIX / "un-views.csv", "--relevance", "asylum", "--by", "Rådgiver")
    assert r.exit_code == 0, r.stderr
    data, _ = front_matter(empty_repo / "data/judgments/2015/jasin-v-denmark-2015.md")
    assert (data["body"], data["doc_type"], data["reference"]) == ("CCPR", "views", "CCPR/C/114/D/2360/2014")
    assert data["origin"] == ["SO"] and data["articles"] == ["ICCPR 7"] and data["outcome"] == "conditional-violation"
    assert cli(["--repo", empty_repo, "validate"]).exit_code == 0


def test_csv_with_an_unknown_column_is_a_usage_error_with_a_suggestion(cli, empty_repo, tmp_path):
    src = write(tmp_path / "bad.csv", "title,body,doc_type,refrence,date,articles,relevance\n"
                                      "X v. Norway,CCPR,views,CCPR/C/1/D/1/2010,2010-01-01,ICCPR 7,asylum\n")
    r = import_(cli, empty_repo, src)
    assert r.exit_code == 2 and "'refrence'" in r.stderr and "did you mean 'reference'" in r.stderr
    assert judgment_files(empty_repo) == []


def test_a_record_that_does_not_validate_stops_the_whole_import(cli, empty_repo, tmp_path):
    src = write(tmp_path / "two.csv", "title,body,doc_type,reference,date,articles,relevance\n"
                                      "Good v. Norway,CCPR,views,CCPR/C/100/D/1/2010,2010-01-01,ICCPR 7,asylum\n"
                                      "Bad v. Norway,CCPR,views,CCPR/C/100/D/2/2010,2010-02-30,ICCPR 7,asylum\n")
    r = import_(cli, empty_repo, src)
    assert r.exit_code == 1 and "two.csv:3: date '2010-02-30' is not a date" in r.stderr
    assert judgment_files(empty_repo) == []  # not even the good one


def test_a_file_that_is_no_known_source(cli, empty_repo, tmp_path):
    r = import_(cli, empty_repo, write(tmp_path / "x.json", '{"hello": 1}'))
    assert r.exit_code == 2 and "neither a HUDOC result nor a SPARQL result" in r.stderr
    assert import_(cli, empty_repo, tmp_path / "missing.json").exit_code == 2


def test_library_detects_the_format():
    assert importers.detect(NUNEZ.read_text(encoding="utf-8"), NUNEZ) == "hudoc"
    assert importers.detect(NS_XML.read_text(encoding="utf-8"), NS_XML) == "cellar"
    assert importers.detect(NS_JSON.read_text(encoding="utf-8"), NS_JSON) == "cellar"
    assert importers.detect("title,body\n", Path("x.csv")) == "csv"
    assert csvfile.parse_text("title,articles\nX,ECHR 3; ECHR 8\n", "x.csv").drafts[0].values["articles"] == \
        ["ECHR 3", "ECHR 8"]


# --- fetch from a local server -------------------------------------------------------------------

class Source:
    """A local HTTP server standing in for HUDOC and CELLAR: serves the saved fixtures and records
    what was asked."""

    def __init__(self, routes: dict[str, tuple[int, bytes]]):
        self.routes, self.requests = routes, []
        source = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                source.requests.append(self.path)
                status, body = source.routes.get(urlsplit(self.path).path, (404, b"not found"))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_fetch_by_application_number_asks_hudoc_and_imports(cli, empty_repo):
    with Source({"/app/query/results": (200, NUNEZ.read_bytes())}) as src:
        r = cli(["--repo", empty_repo, "judgment", "fetch", "--appno", "55597/09", "--relevance", "expulsion"],
                env={"HRCOORD_HUDOC_URL": src.url})
    assert r.exit_code == 0, r.stderr
    [path] = src.requests
    query = parse_qs(urlsplit(path).query)
    assert query["query"] == ['contentsitename:ECHR AND appno:"55597/09"']
    assert "conclusion" in query["select"][0].split(",")
    data, _ = front_matter(empty_repo / NUNEZ_FILE)
    assert data["outcome"] == "conditional-violation" and data["respondent"] == "NO"


def test_fetch_by_celex_asks_cellar_with_base_url_option(cli, empty_repo):
    with Source({"/webapi/rdf/sparql": (200, NS_JSON.read_bytes())}) as src:
        r = cli(["--repo", empty_repo, "judgment", "fetch", "--celex", "62010CJ0411", "--base-url", src.url,
                 "--relevance", "dublin", "--article", "CHARTER 4"])
    assert r.exit_code == 0, r.stderr
    query = parse_qs(urlsplit(src.requests[0]).query)
    assert 'FILTER(STR(?celex) = "62010CJ0411")' in query["query"][0]
    assert query["format"] == ["application/sparql-results+json"]
    [rel] = judgment_files(empty_repo)
    assert front_matter(empty_repo / rel)[0]["reference"] == ["C-411/10", "C-493/10"]


def test_fetch_by_ecli_picks_the_source_from_the_court(cli, empty_repo):
    with Source({"/app/query/results": (200, NUNEZ.read_bytes())}) as src:
        r = cli(["--repo", empty_repo, "judgment", "fetch", "--ecli", "ECLI:CE:ECHR:2011:0628JUD005559709",
                 "--relevance", "expulsion", "--dry-run"], env={"HRCOORD_HUDOC_URL": src.url})
    assert r.exit_code == 0, r.stderr
    assert parse_qs(urlsplit(src.requests[0]).query)["query"] == [
        'contentsitename:ECHR AND ecli:"ECLI:CE:ECHR:2011:0628JUD005559709"']
    assert judgment_files(empty_repo) == []  # dry run


def test_fetch_errors_name_the_host(cli, empty_repo):
    with Source({"/app/query/results": (500, b"oops")}) as src:
        r = cli(["--repo", empty_repo, "judgment", "fetch", "--appno", "55597/09", "--relevance", "expulsion"],
                env={"HRCOORD_HUDOC_URL": src.url})
        assert r.exit_code == 1 and "127.0.0.1 answered 500" in r.stderr
        src.routes["/app/query/results"] = (200, b"<html>maintenance</html>")
        r = cli(["--repo", empty_repo, "judgment", "fetch", "--appno", "55597/09", "--relevance", "expulsion"],
                env={"HRCOORD_HUDOC_URL": src.url})
        assert r.exit_code == 1 and "unexpected answer from 127.0.0.1" in r.stderr
        closed = src.url
    r = cli(["--repo", empty_repo, "judgment", "fetch", "--appno", "55597/09", "--relevance", "expulsion",
             "--base-url", closed, "--timeout", "5"])
    assert r.exit_code == 1 and "cannot reach 127.0.0.1" in r.stderr and "Traceback" not in r.stderr
    assert judgment_files(empty_repo) == []


def test_without_network_the_public_host_is_named(monkeypatch, empty_repo):
    def offline(*args, **kwargs):
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.delenv("HRCOORD_HUDOC_URL", raising=False)
    monkeypatch.setattr(fetch.urllib.request, "urlopen", offline)
    with pytest.raises(HrcoordError, match=r"^cannot reach hudoc\.echr\.coe\.int: "):
        fetch.fetch(Repository(empty_repo), appno="55597/09", defaults={"relevance": ["expulsion"]})


@pytest.mark.parametrize("args, flag", [
    (["--appno", "5559709"], "--appno"),
    (["--celex", "C-411/10"], "--celex"),
    (["--ecli", "ECLI:NO:HR:2015:1"], "--ecli"),
    ([], "exactly one"),
    (["--appno", "55597/09", "--celex", "62010CJ0411"], "exactly one"),
    (["--appno", "55597/09", "--base-url", "ftp://example.org"], "base URL"),
])
def test_fetch_checks_its_flags(cli, empty_repo, args, flag):
    r = cli(["--repo", empty_repo, "judgment", "fetch", *args, "--relevance", "expulsion"])
    assert r.exit_code == 2 and flag in r.stderr


def test_the_embedded_fixtures_are_the_ones_data_was_imported_from():
    """The saved records the embedded summaries came from still give their key fields."""
    repo = Repository(ROOT)
    for name, jid in (("hudoc-nunez-v-norway.json", "nunez-v-norway-2011"),
                      ("hudoc-popov-v-france.json", "popov-v-france-2012"),
                      ("hudoc-hode-and-abdi-v-the-united-kingdom.json", "hode-and-abdi-v-the-united-kingdom-2012"),
                      ("cellar-62012CJ0199.xml", "x-y-and-z-2013")):
        [d] = importers.parse_text((FIX / name).read_text(encoding="utf-8"), name).drafts
        data = repo.judgment(jid).data
        for key in ("ecli", "date", "outcome", "source_url", "formation"):
            assert str(d.values[key]) == str(data[key]), (jid, key)


def test_validation_problems_of_any_record_are_shown_and_nothing_is_written(cli, empty_repo, tmp_path):
    src = write(tmp_path / "two.csv", "title,body,doc_type,reference,date,articles,relevance\n"
                                      "Good v. Norway,CCPR,views,CCPR/C/100/D/1/2010,2010-01-01,ICCPR 7,asylum\n"
                                      "Bad v. Norway,CCPR,views,CCPR/C/100/D/2/2010,2010-03-01,ICCPR 99,asylum\n")
    r = import_(cli, empty_repo, src)
    assert r.exit_code == 1
    assert re.search(r"data/judgments/2010/bad-v-norway-2010\.md:\d+:\d+: error HR114 ICCPR has no article '99'",
                     r.stderr), r.stderr
    assert "two.csv:3" in r.stderr and judgment_files(empty_repo) == []
