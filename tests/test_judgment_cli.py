"""`hrcoord judgment add|list|show|status|review|digest` through the command line (issue 3)."""
from __future__ import annotations

import csv
import io
import json
import re
import sys
import threading
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_process, write

NUNEZ = ["judgment", "add", "--title", "Nunez v. Norway", "--body", "ECtHR", "--doc-type", "judgment",
         "--formation", "Chamber", "--reference", "55597/09", "--date", "2011-06-28", "--respondent", "NO",
         "--article", "ECHR 8", "--outcome", "violation", "--relevance", "expulsion", "--department", "OPA"]
NUNEZ_FILE = "data/judgments/2011/nunez-v-norway-2011.md"
NB_HEADINGS = ["Sammendrag", "Faktum", "Domstolens vurdering", "Betydning for UDI", "Andre lands praksis"]
EN_HEADINGS = ["Summary", "Facts", "Reasoning", "Relevance for UDI", "Other countries' practice"]


def front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8-sig")
    _, fm, body = text.split("---\n", 2)
    return yaml.load(fm, Loader=yaml.BaseLoader), body  # every scalar a string, as written


def summaries(repo: Path) -> dict[str, tuple[dict, str]]:
    return {p.stem: front_matter(p) for p in sorted((repo / "data" / "judgments").glob("*/*.md"))}


def as_list(v):
    return v if isinstance(v, list) else ([] if v is None else [v])


def headings(body: str) -> list[str]:
    return re.findall(r"^## (.+)$", body, re.M)


def judgment_files(repo: Path) -> list[str]:
    return sorted(p.relative_to(repo).as_posix() for p in (repo / "data" / "judgments").rglob("*.md"))


def fill_sections(path: Path, text: str = "Domstolen fant en krenkelse.") -> None:
    body = path.read_text(encoding="utf-8")
    body = body.replace("## Sammendrag\n", f"## Sammendrag\n\n{text}\n", 1)
    body = body.replace("## Betydning for UDI\n", "## Betydning for UDI\n\nViktig for utvisningssaker.\n", 1)
    path.write_text(body, encoding="utf-8")


# --- add ---------------------------------------------------------------------------------------

def test_nunez_example_writes_a_valid_draft(cli, empty_repo):
    r = cli(["--repo", empty_repo, *NUNEZ])
    assert r.exit_code == 0, r.stderr
    assert NUNEZ_FILE in r.stderr
    data, body = front_matter(empty_repo / NUNEZ_FILE)
    assert data["title"] == "Nunez v. Norway"
    assert data["status"] == "draft"
    assert data["reference"] == "55597/09"
    assert data["respondent"] == "NO"  # a string, not YAML 1.1's false
    assert data["articles"] == ["ECHR 8"]
    assert data["relevance"] == ["expulsion"] and data["departments"] == ["OPA"]
    assert data["date"] == "2011-06-28" and data["formation"] == "Chamber" and data["outcome"] == "violation"
    assert headings(body) == NB_HEADINGS
    v = cli(["--repo", empty_repo, "validate"])
    assert v.exit_code == 0, v.stderr
    assert "0 errors, 0 warnings" in v.stderr
    f = cli(["--repo", empty_repo, "fmt", "--check"])
    assert f.exit_code == 0, f.stderr


def test_the_same_command_again_is_refused_naming_the_first_file(cli, empty_repo):
    assert cli(["--repo", empty_repo, *NUNEZ]).exit_code == 0
    before = (empty_repo / NUNEZ_FILE).read_bytes()
    again = cli(["--repo", empty_repo, *NUNEZ])
    assert again.exit_code == 1
    assert NUNEZ_FILE in again.stderr
    # under another id the reference is still taken
    other = cli(["--repo", empty_repo, *NUNEZ, "--id", "nunez-again"])
    assert other.exit_code == 1
    assert NUNEZ_FILE in other.stderr and "55597/09" in other.stderr
    assert judgment_files(empty_repo) == [NUNEZ_FILE]
    assert (empty_repo / NUNEZ_FILE).read_bytes() == before
    assert "Traceback" not in again.stderr + other.stderr


def test_a_reference_in_a_list_of_another_summary_is_a_duplicate(cli, empty_repo):
    first = cli(["--repo", empty_repo, "judgment", "add", "--title", "Joined cases", "--body", "ECtHR",
                 "--doc-type", "judgment", "--reference", "11111/10", "--reference", "55597/09",
                 "--date", "2012-01-10", "--article", "ECHR 8", "--relevance", "expulsion"])
    assert first.exit_code == 0, first.stderr
    r = cli(["--repo", empty_repo, *NUNEZ])
    assert r.exit_code == 1
    assert "data/judgments/2012/joined-cases-2012.md" in r.stderr


def test_without_a_terminal_a_missing_title_is_an_error_naming_the_flag(cli, empty_repo):
    args = list(NUNEZ)
    i = args.index("--title")
    del args[i:i + 2]
    r = cli(["--repo", empty_repo, *args])
    assert r.exit_code == 2
    assert "--title" in r.stderr
    assert "--body" not in r.stderr  # only what is missing is named
    assert judgment_files(empty_repo) == []
    # a real process with stdin not a terminal behaves the same
    p = run_process(["--repo", empty_repo, *args], input="")
    assert p.returncode == 2
    assert "--title" in p.stderr and "Traceback" not in p.stderr
    assert judgment_files(empty_repo) == []


def test_several_missing_values_are_all_named(cli, empty_repo):
    r = cli(["--repo", empty_repo, "judgment", "add", "--title", "X v. Norway"])
    assert r.exit_code == 2
    for flag in ("--body", "--doc-type", "--reference", "--date", "--article", "--relevance"):
        assert flag in r.stderr


def test_dry_run_prints_the_file_and_writes_nothing(cli, empty_repo):
    r = cli(["--repo", empty_repo, *NUNEZ, "--dry-run"])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("---\ntitle: Nunez v. Norway\n")
    assert "## Sammendrag" in r.stdout
    assert judgment_files(empty_repo) == []
    assert not (empty_repo / ".hrcoord").exists()
    # and the printed text is exactly what a real add writes
    assert cli(["--repo", empty_repo, *NUNEZ]).exit_code == 0
    assert (empty_repo / NUNEZ_FILE).read_text(encoding="utf-8") == r.stdout


def test_an_english_repository_gets_english_headings(cli, tmp_path):
    from hrcoord.core.scaffold import init

    repo = tmp_path / "en"
    init(repo, "en", git=False)
    r = cli(["--repo", repo, *NUNEZ])
    assert r.exit_code == 0, r.stderr
    data, body = front_matter(repo / NUNEZ_FILE)
    assert headings(body) == EN_HEADINGS
    assert data["summary_lang"] == "en"
    assert cli(["--repo", repo, "validate"]).exit_code == 0


def test_every_field_has_a_flag(cli, empty_repo):
    assert cli(["--repo", empty_repo, *NUNEZ]).exit_code == 0
    r = cli(["--repo", empty_repo, "judgment", "add", "--title", "Second v. Norway", "--body", "ECtHR",
             "--doc-type", "judgment", "--formation", "Grand Chamber", "--reference", "12345/10",
             "--ecli", "ECLI:CE:ECHR:2012:0110JUD001234510", "--date", "2012-01-10", "--respondent", "NO",
             "--respondent", "SE", "--article", "ECHR 8", "--article", "ECHR 3", "--outcome", "no-violation",
             "--importance", "2", "--relevance", "expulsion", "--relevance", "asylum", "--department", "ASA",
             "--access", "internal", "--source-url", "https://hudoc.echr.coe.int/eng?i=001-1",
             "--related", "nunez-v-norway-2011:cites", "--foreign-practice", "SE: follows it | https://example.org/se",
             "--summary-lang", "en", "--case-ref", "10/1843-27"])
    assert r.exit_code == 0, r.stderr
    data, _ = front_matter(empty_repo / "data/judgments/2012/second-v-norway-2012.md")
    assert data["respondent"] == ["NO", "SE"]
    assert data["articles"] == ["ECHR 8", "ECHR 3"]
    assert data["importance"] == "2" and data["access"] == "internal" and data["case_ref"] == "10/1843-27"
    assert data["related"] == [{"id": "nunez-v-norway-2011", "relation": "cites"}]
    assert data["foreign_practice"] == [{"country": "SE", "note": "follows it", "source": "https://example.org/se"}]
    assert data["ecli"] == "ECLI:CE:ECHR:2012:0110JUD001234510" and data["summary_lang"] == "en"
    assert cli(["--repo", empty_repo, "validate"]).exit_code == 0


@pytest.mark.parametrize("flag, value, code", [
    ("--article", "ECHR 99", "HR114"),
    ("--date", "2199-01-01", "HR106"),
    ("--body", "ECtHX", "HR114"),
    ("--reference", "C-1/09", "HR107"),
    ("--respondent", "XX", "HR109"),
])
def test_invalid_values_are_refused_against_their_flag(cli, empty_repo, flag, value, code):
    """A bad value is the flag's mistake (exit 2), not a problem in a file that does not exist."""
    args = list(NUNEZ)
    args[args.index(flag) + 1] = value
    r = cli(["--repo", empty_repo, *args])
    assert r.exit_code == 2, r.stderr
    assert re.search(rf"^hrcoord: {flag}: .*\({code}\); not written$", r.stderr, re.M), r.stderr
    assert "data/judgments/" not in r.stderr
    assert judgment_files(empty_repo) == []


def test_related_must_exist(cli, empty_repo):
    r = cli(["--repo", empty_repo, *NUNEZ, "--related", "no-such-summary"])
    assert r.exit_code == 2 and "no-such-summary" in r.stderr
    assert judgment_files(empty_repo) == []


def test_two_concurrent_adds_of_one_reference_cannot_both_succeed(empty_repo):
    results = {}

    def run(jid):
        results[jid] = run_process(["--repo", empty_repo, *NUNEZ, "--id", jid])

    threads = [threading.Thread(target=run, args=(f"nunez-{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ok = [jid for jid, p in results.items() if p.returncode == 0]
    assert len(ok) == 1, {k: (p.returncode, p.stderr) for k, p in results.items()}
    winner = f"data/judgments/2011/{ok[0]}.md"
    for jid, p in results.items():
        if jid != ok[0]:
            assert p.returncode == 1 and winner in p.stderr, p.stderr
    assert judgment_files(empty_repo) == [winner]


def test_edit_opens_the_editor_and_validates_again(cli, empty_repo, tmp_path):
    good = write(tmp_path / "good_editor.py",
                 "import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
                 "p.write_text(p.read_text().replace('## Sammendrag\\n', '## Sammendrag\\n\\nRedigert tekst.\\n'))\n")
    r = cli(["--repo", empty_repo, *NUNEZ, "--edit"], env={"EDITOR": f"{sys.executable} {good}", "VISUAL": ""})
    assert r.exit_code == 0, r.stderr
    assert "Redigert tekst." in (empty_repo / NUNEZ_FILE).read_text(encoding="utf-8")
    assert "valid" in r.stderr

    bad = write(tmp_path / "bad_editor.py",
                "import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
                "p.write_text(p.read_text().replace('date: 2012-02-02', 'date: 2012-02-30'))\n")
    swap = {"2011-06-28": "2012-02-02", "55597/09": "22222/10", "Nunez v. Norway": "Other v. Norway"}
    args = [swap.get(a, a) for a in NUNEZ]
    r = cli(["--repo", empty_repo, *args, "--edit"], env={"EDITOR": f"{sys.executable} {bad}", "VISUAL": ""})
    assert r.exit_code == 1
    path = "data/judgments/2012/other-v-norway-2012.md"
    lines = (empty_repo / path).read_text().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("date:"))
    assert f"{path}:{line}:" in r.stderr and "HR105" in r.stderr
    assert (empty_repo / path).exists()  # kept for the user to fix


# --- list --------------------------------------------------------------------------------------

def matches_article(data: dict, wanted: str) -> bool:
    return any(a == wanted or a.startswith(wanted + "-") for a in as_list(data.get("articles")))


def test_list_article_json_returns_exactly_the_matching_summaries_of_data(cli):
    expected = {jid for jid, (data, _) in summaries(ROOT).items() if matches_article(data, "ECHR 8")}
    assert expected, "data/ has summaries under ECHR 8"
    r = cli(["--repo", ROOT, "judgment", "list", "--article", "ECHR 8", "--format", "json"])
    assert r.exit_code == 0, r.stderr
    got = json.loads(r.stdout)
    assert sorted(x["id"] for x in got) == sorted(expected)
    assert len(got) == len(expected)
    files = summaries(ROOT)
    for item in got:
        data, _ = files[item["id"]]
        assert item["title"] == data["title"]
        assert item["path"].endswith(f"/{item['id']}.md")
    dates = [x["date"] for x in got]
    assert dates == sorted(dates, reverse=True)  # newest first


@pytest.mark.parametrize("args, keep", [
    (["--article", "ECHR 5"], lambda d, b: matches_article(d, "ECHR 5")),
    (["--convention", "CHARTER"], lambda d, b: any(a.split()[0] == "CHARTER" for a in as_list(d.get("articles")))),
    (["--convention", "echr", "--relevance", "asylum"],
     lambda d, b: any(a.split()[0] == "ECHR" for a in as_list(d.get("articles")))
     and "asylum" in as_list(d.get("relevance"))),
    (["--relevance", "trafficking", "--relevance", "fgm"],
     lambda d, b: {"trafficking", "fgm"} & set(as_list(d.get("relevance")))),
    (["--keyword", "family-life"], lambda d, b: "family-life" in as_list(d.get("keywords"))),
    (["--department", "RMA"], lambda d, b: "RMA" in as_list(d.get("departments"))),
    (["--status", "published"], lambda d, b: d.get("status") == "published"),
    (["--status", "draft", "--status", "in-review"], lambda d, b: d.get("status") in ("draft", "in-review")),
    (["--body", "CJEU"], lambda d, b: d.get("body") == "CJEU"),
    (["--since", "2011-01-01", "--until", "2012-12-31"], lambda d, b: "2011-01-01" <= d["date"] <= "2012-12-31"),
    (["--text", "Dublin"], lambda d, b: "dublin" in (d["title"] + " " + b).lower()
     or "dublin" in " ".join(as_list(d.get("reference"))).lower()),
])
def test_list_filters(cli, args, keep):
    expected = {jid for jid, (d, b) in summaries(ROOT).items() if keep(d, b)}
    r = cli(["--repo", ROOT, "judgment", "list", *args, "--format", "json"])
    assert r.exit_code == 0, r.stderr
    assert {x["id"] for x in json.loads(r.stdout)} == expected


def test_list_formats(cli):
    files = summaries(ROOT)
    r = cli(["--repo", ROOT, "judgment", "list", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert {row["id"] for row in rows} == set(files)
    assert all(row["title"] == files[row["id"]][0]["title"] for row in rows)
    md = cli(["--repo", ROOT, "judgment", "list", "--format", "md"]).stdout.strip().splitlines()
    assert md[0].startswith("| id | date | title") and len(md) == 2 + len(files)
    table = cli(["--repo", ROOT, "judgment", "list", "--status", "published"])
    n_published = sum(d.get("status") == "published" for d, _ in files.values())
    assert table.exit_code == 0 and f"{n_published} summar" in table.stderr
    bad = cli(["--repo", ROOT, "judgment", "list", "--format", "xml"])
    assert bad.exit_code == 2
    bad_date = cli(["--repo", ROOT, "judgment", "list", "--since", "2014-02-30"])
    assert bad_date.exit_code == 2 and "--since" in bad_date.stderr


def test_show_renders_the_summary(cli):
    jid, (data, body) = next(iter(summaries(ROOT).items()))
    r = cli(["--repo", ROOT, "judgment", "show", jid])
    assert r.exit_code == 0, r.stderr
    assert data["title"] in r.stdout
    assert "Sammendrag" in r.stdout and "## Sammendrag" not in r.stdout  # rendered, not raw
    first_words = " ".join(body.split("## Sammendrag", 1)[1].split()[:3])
    assert first_words in " ".join(r.stdout.split())
    j = json.loads(cli(["--repo", ROOT, "judgment", "show", jid, "--format", "json"]).stdout)
    assert j["id"] == jid and j["title"] == data["title"] and "## Sammendrag" in j["text"]
    raw = cli(["--repo", ROOT, "judgment", "show", jid, "--format", "md"]).stdout
    assert raw.startswith("---\ntitle: ")
    missing = cli(["--repo", ROOT, "judgment", "show", jid[:-1] + "x"])
    assert missing.exit_code == 2 and "did you mean" in missing.stderr


# --- lifecycle ---------------------------------------------------------------------------------

def test_lifecycle_through_the_command_line(cli, empty_repo):
    repo = ["--repo", empty_repo]
    jid = "nunez-v-norway-2011"
    path = empty_repo / NUNEZ_FILE
    assert cli([*repo, *NUNEZ]).exit_code == 0

    skip = cli([*repo, "judgment", "status", jid, "approved"])
    assert skip.exit_code == 2 and "in-review" in skip.stderr  # names what is allowed
    empty = cli([*repo, "judgment", "status", jid, "in-review"])
    assert empty.exit_code == 1 and "HR204" in empty.stderr  # required sections are empty
    assert front_matter(path)[0]["status"] == "draft"

    fill_sections(path)
    assert cli([*repo, "judgment", "status", jid, "in-review"]).exit_code == 0
    no_stamp = cli([*repo, "judgment", "status", jid, "approved"])
    assert no_stamp.exit_code == 1 and "review" in no_stamp.stderr

    rv = cli([*repo, "judgment", "review", jid, "--by", "Seniorrådgiver OPA", "--today", "2014-03-01"])
    assert rv.exit_code == 0, rv.stderr
    review = front_matter(path)[0]["review"]
    assert review["by"] == "Seniorrådgiver OPA" and review["date"] == "2014-03-01"
    assert re.fullmatch(r"sha256:[0-9a-f]{32}", review["digest"])
    assert cli([*repo, "judgment", "status", jid, "approved"]).exit_code == 0

    # the text changes after the review: publishing is refused, naming what changed
    path.write_text(path.read_text(encoding="utf-8").replace("fant en krenkelse", "fant et brudd"), encoding="utf-8")
    stale = cli([*repo, "judgment", "status", jid, "published"])
    assert stale.exit_code == 1 and "text" in stale.stderr and "review" in stale.stderr
    assert cli([*repo, "judgment", "review", jid, "--by", "Fagdirektør", "--today", "2014-03-02"]).exit_code == 0
    pub = cli([*repo, "judgment", "status", jid, "published", "--today", "2014-03-05"])
    assert pub.exit_code == 0, pub.stderr
    data = front_matter(path)[0]
    assert data["status"] == "published" and data["published"] == "2014-03-05"

    back = cli([*repo, "judgment", "status", jid, "draft"])
    assert back.exit_code == 2
    bare = cli([*repo, "judgment", "status", jid, "withdrawn"])
    assert bare.exit_code == 2 and "--replaced-by" in bare.stderr and "--reason" in bare.stderr
    unknown = cli([*repo, "judgment", "status", jid, "withdrawn", "--replaced-by", "nunez-v-norway-2012"])
    assert unknown.exit_code == 2 and "did you mean 'nunez-v-norway-2011'" in unknown.stderr
    w = cli([*repo, "judgment", "status", jid, "withdrawn", "--reason", "Erstattet av ny praksis."])
    assert w.exit_code == 0, w.stderr
    data = front_matter(path)[0]
    assert data["status"] == "withdrawn" and data["reason"] == "Erstattet av ny praksis."
    assert data["published"] == "2014-03-05"  # it was published: the portal keeps it with a notice
    final = cli([*repo, "judgment", "status", jid, "in-review"])
    assert final.exit_code == 2 and "stays withdrawn" in final.stderr
    v = cli([*repo, "validate"])
    assert v.exit_code == 0, v.stderr


def test_withdrawn_with_a_replacement(cli, empty_repo):
    repo = ["--repo", empty_repo]
    assert cli([*repo, *NUNEZ]).exit_code == 0
    assert cli([*repo, "judgment", "add", "--title", "Nunez v. Norway (GC)", "--body", "ECtHR", "--doc-type",
                "judgment", "--reference", "55597/10", "--date", "2012-06-28", "--article", "ECHR 8",
                "--relevance", "expulsion"]).exit_code == 0
    self_ = cli([*repo, "judgment", "status", "nunez-v-norway-2011", "withdrawn", "--replaced-by",
                 "nunez-v-norway-2011"])
    assert self_.exit_code == 2
    dry = cli([*repo, "judgment", "status", "nunez-v-norway-2011", "withdrawn", "--replaced-by",
               "nunez-v-norway-gc-2012", "--dry-run"])
    assert dry.exit_code == 0 and "replaced_by: nunez-v-norway-gc-2012" in dry.stdout
    assert front_matter(empty_repo / NUNEZ_FILE)[0]["status"] == "draft"
    r = cli([*repo, "judgment", "status", "nunez-v-norway-2011", "withdrawn", "--replaced-by",
             "nunez-v-norway-gc-2012"])
    assert r.exit_code == 0, r.stderr
    data = front_matter(empty_repo / NUNEZ_FILE)[0]
    assert data["status"] == "withdrawn" and data["replaced_by"] == "nunez-v-norway-gc-2012"
    assert cli([*repo, "validate"]).exit_code == 0


def test_review_stamp_is_the_models_digest(cli, empty_repo):
    from hrcoord.core.models.judgment import digest, part_digests
    from hrcoord.core.repo import Repository

    repo = ["--repo", empty_repo]
    assert cli([*repo, *NUNEZ]).exit_code == 0
    draft = cli([*repo, "judgment", "review", "nunez-v-norway-2011", "--by", "X"])
    assert draft.exit_code == 2 and "in-review" in draft.stderr
    fill_sections(empty_repo / NUNEZ_FILE)
    assert cli([*repo, "judgment", "status", "nunez-v-norway-2011", "in-review"]).exit_code == 0
    stamped = cli([*repo, "judgment", "review", "nunez-v-norway-2011", "--by", "X", "--today", "2014-01-02"])
    assert stamped.exit_code == 0, stamped.stderr
    rec = Repository(empty_repo).judgment("nunez-v-norway-2011")
    assert rec.data["review"]["digest"] == digest(rec.data, rec.body)
    assert rec.data["review"]["parts"] == part_digests(rec.data, rec.body)
    assert rec.data["review"]["date"] == "2014-01-02"
    # validate agrees; a later change of a key field is reported as HR206 naming the field
    assert cli([*repo, "judgment", "status", "nunez-v-norway-2011", "approved"]).exit_code == 0
    assert cli([*repo, "validate", "--strict"]).exit_code == 0
    p = empty_repo / NUNEZ_FILE
    p.write_text(p.read_text(encoding="utf-8").replace("- ECHR 8", "- ECHR 3"), encoding="utf-8")
    refused = cli([*repo, "judgment", "status", "nunez-v-norway-2011", "published"])
    assert refused.exit_code == 1 and "articles changed" in refused.stderr
    v = cli([*repo, "validate", "--strict"])
    assert v.exit_code == 1 and "HR206" in v.stderr and "articles" in v.stderr


# --- digest ------------------------------------------------------------------------------------

def _publish(cli, repo, jid, date, reviewer="Koordinator"):
    for args in (["status", jid, "in-review"], ["review", jid, "--by", reviewer, "--today", date],
                 ["status", jid, "approved"], ["status", jid, "published", "--today", date]):
        r = cli(["--repo", repo, "judgment", *args])
        assert r.exit_code == 0, r.stderr


def _add(cli, repo, title, ref, date, dept, relevance="expulsion"):
    r = cli(["--repo", repo, "judgment", "add", "--title", title, "--body", "ECtHR", "--doc-type", "judgment",
             "--reference", ref, "--date", date, "--article", "ECHR 8", "--relevance", relevance,
             "--department", dept])
    assert r.exit_code == 0, r.stderr
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    path = next((repo / "data" / "judgments").glob(f"*/{slug}-{date[:4]}.md"))
    fill_sections(path, f"Sammendrag av {title}.")
    return path.stem


def test_digest_groups_new_and_changed_summaries_by_department(cli, empty_repo):
    old = _add(cli, empty_repo, "Old v. Norway", "10001/10", "2012-01-10", "ASA")
    new_asa = _add(cli, empty_repo, "Fresh v. Norway", "10002/10", "2013-05-10", "ASA")
    new_opa = _add(cli, empty_repo, "Opa v. Norway", "10003/10", "2013-06-10", "OPA")
    _add(cli, empty_repo, "Draft v. Norway", "10004/10", "2013-06-11", "OPA")  # stays a draft
    _publish(cli, empty_repo, old, "2013-01-15")
    _publish(cli, empty_repo, new_asa, "2014-02-01")
    _publish(cli, empty_repo, new_opa, "2014-03-01")
    # the old one is revised and reviewed again after the cut-off
    p = next((empty_repo / "data" / "judgments").glob(f"*/{old}.md"))
    p.write_text(p.read_text(encoding="utf-8").replace("Sammendrag av Old", "Revidert sammendrag av Old"),
                 encoding="utf-8")
    assert cli(["--repo", empty_repo, "judgment", "review", old, "--by", "K", "--today", "2014-02-20"]).exit_code == 0

    r = cli(["--repo", empty_repo, "judgment", "digest", "--since", "2014-01-01", "--today", "2014-04-01"])
    assert r.exit_code == 0, r.stderr
    text = r.stdout
    assert text.startswith("# Nye og endrede sammendrag siden 1. januar 2014")
    asa, opa = text.index("## Asylavdelingen (ASA)"), text.index("## Oppholdsavdelingen (OPA)")
    asa_part, opa_part = text[asa:opa], text[opa:]
    assert "### Fresh v. Norway — Ny 1. februar 2014" in asa_part
    assert "### Old v. Norway — Endret 20. februar 2014" in asa_part and "Revidert sammendrag" in asa_part
    assert "### Opa v. Norway — Ny 1. mars 2014" in opa_part and "Fresh v. Norway" not in opa_part
    assert "Draft v. Norway" not in text

    only = cli(["--repo", empty_repo, "judgment", "digest", "--since", "2014-01-01", "--department", "OPA"])
    assert "Opa v. Norway" in only.stdout and "Fresh v. Norway" not in only.stdout and "Old v." not in only.stdout
    later = cli(["--repo", empty_repo, "judgment", "digest", "--since", "2014-02-15", "--lang", "en",
                 "--format", "html"])
    assert later.exit_code == 0
    assert "<h1>New and changed summaries since 15 February 2014</h1>" in later.stdout
    assert "Opa v. Norway" in later.stdout and "Old v. Norway" in later.stdout
    assert "Fresh v. Norway" not in later.stdout
    bad = cli(["--repo", empty_repo, "judgment", "digest", "--since", "2014-01-01", "--department", "XYZ"])
    assert bad.exit_code == 2


def test_digest_html_escapes_text(cli, empty_repo):
    jid = _add(cli, empty_repo, "Evil v. Norway", "10009/10", "2013-05-10", "ASA")
    p = next((empty_repo / "data" / "judgments").glob(f"*/{jid}.md"))
    p.write_text(p.read_text(encoding="utf-8").replace("Sammendrag av Evil v. Norway.",
                                                       "<script>alert(1)</script>"), encoding="utf-8")
    _publish(cli, empty_repo, jid, "2014-02-01")
    r = cli(["--repo", empty_repo, "judgment", "digest", "--since", "2014-01-01", "--format", "html",
             "--out", empty_repo / "digest.html"])
    assert r.exit_code == 0, r.stderr
    html = (empty_repo / "digest.html").read_text(encoding="utf-8")
    # raw HTML is switched off: cmark leaves it out (validate warns, HR304)
    assert "<script>" not in html and "alert(1)" not in html and "<!-- raw HTML omitted -->" in html


def test_on_a_terminal_missing_values_are_prompted_for(empty_repo):
    """A pseudo-terminal: the command asks for the title and the relevance areas."""
    import os
    import pty
    import select
    import subprocess
    import time

    args = list(NUNEZ)
    for flag in ("--title", "--relevance"):
        i = args.index(flag)
        del args[i:i + 2]
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "hrcoord", "--repo", str(empty_repo), *args],
                            stdin=slave, stdout=slave, stderr=slave, close_fds=True,
                            env={**os.environ, "NO_COLOR": "1", "TERM": "dumb"})
    os.close(slave)
    seen = b""

    def until(text: bytes):
        nonlocal seen
        deadline = time.monotonic() + 30
        while text not in seen:
            assert time.monotonic() < deadline, seen.decode(errors="replace")
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    seen += os.read(master, 4096)
                except OSError:  # the child closed the terminal
                    break
        return seen

    try:
        until(b"title")
        os.write(master, b"Nunez v. Norway\n")
        until(b"relevance")
        os.write(master, b"no-such-area\n")
        until(b"unknown: no-such-area")
        os.write(master, b"expulsion\n")
        until(b"wrote ")
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    data, _ = front_matter(empty_repo / NUNEZ_FILE)
    assert data["title"] == "Nunez v. Norway" and data["relevance"] == ["expulsion"]
