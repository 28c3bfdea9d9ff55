"""The derived index (.hrcoord/index.sqlite): answers agree with the files, whatever happens to it."""
from __future__ import annotations

import json

import pytest

from hrcoord.core.index import NAME, Index, query_terms
from hrcoord.core.repo import Repository


def answers(root) -> dict:
    with Index.open(Repository(root)) as ix:
        return {
            "all": [r.id for r in ix.judgments()],
            "art8": [r.id for r in ix.judgments(article_prefixes=["ECHR 8"])],
            "echr5": [r.id for r in ix.judgments(article_prefixes=["ECHR 5"])],
            "asylum+published": [r.id for r in ix.judgments(facets={"relevance": ["asylum"]}, status=["published"])],
            "text": [r.id for r in ix.judgments(text="menneskehandel")],
            "dept": [r.id for r in ix.judgments(facets={"departments": ["ASA"]})],
            "meetings": sorted(ix.keys("meeting")),
            "measures": sorted(r.key for r in ix.rows("measure")),
        }


def test_answers_match_the_files(scratch_repo):
    repo = Repository(scratch_repo)
    got = answers(scratch_repo)
    recs = repo.records("judgment")
    assert sorted(got["all"]) == sorted(recs)
    art8 = {j for j, r in recs.items() if any(a == "ECHR 8" or a.startswith("ECHR 8-") for a in r.get("articles"))}
    assert set(got["art8"]) == art8 and art8
    assert "rantsev-v-cyprus-and-russia-2010" in got["text"]  # the text, and the keyword's name
    assert got["meetings"] == sorted(repo.records("meeting"))
    assert got["measures"] == sorted(repo.records("measure"))


@pytest.mark.parametrize("damage", ["delete", "truncate", "garbage", "foreign-table"])
def test_a_damaged_index_changes_no_answer(scratch_repo, damage):
    import sqlite3

    before = answers(scratch_repo)
    path = scratch_repo / ".hrcoord" / NAME
    if damage == "delete":
        path.unlink()
    elif damage == "truncate":
        path.write_bytes(b"")
    elif damage == "garbage":
        path.write_bytes(b"SQLite format 3\0" + b"\xff" * 5000)
    else:
        db = sqlite3.connect(path)
        db.execute("DROP TABLE records")
        db.commit()
        db.close()
    for suffix in ("-wal", "-shm"):
        (scratch_repo / ".hrcoord" / (NAME + suffix)).unlink(missing_ok=True)
    assert answers(scratch_repo) == before


def test_a_file_edited_behind_the_tools_back_is_seen_next_time(scratch_repo):
    before = answers(scratch_repo)
    path = next((scratch_repo / "data/judgments").rglob("rantsev*.md"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## Sammendrag\n", "## Sammendrag\n\nOrdet blåbærsyltetøy står her.\n", 1),
                    encoding="utf-8")
    with Index.open(Repository(scratch_repo)) as ix:
        assert [r.id for r in ix.judgments(text="blåbærsyltetøy")] == ["rantsev-v-cyprus-and-russia-2010"]
    path.unlink()
    after = answers(scratch_repo)
    assert "rantsev-v-cyprus-and-russia-2010" not in after["all"]
    assert len(after["all"]) == len(before["all"]) - 1


def test_text_is_stemmed_and_prefix_matched():
    assert ["familieliv", "familielivet"] in query_terms("familielivet") or \
        any("familieliv" in alts for alts in query_terms("familielivet"))
    assert query_terms("") == []


# --- the commands that answer from the index ----------------------------------------------------------

QUESTIONS = [
    ["judgment", "list", "--format", "json"],
    ["judgment", "list", "--article", "ECHR 8", "--format", "json"],
    ["judgment", "list", "--text", "menneskehandel", "--format", "json"],
    ["judgment", "list", "--body", "ECtHR", "--since", "2010-01-01", "--status", "published", "--format", "csv"],
    ["judgment", "list", "--relevance", "asylum", "--department", "asa", "--format", "csv"],
    ["judgment", "show", "rantsev-v-cyprus-and-russia-2010", "--format", "json"],
    ["status", "--today", "2026-12-01", "--format", "json"],
    # the watch list on days a Chamber judgment was not final, referred, or its request pending
    # (the index narrows it to recent Chamber judgments, referrals and Grand Chamber stages)
    ["status", "--today", "2012-03-01", "--format", "json"],
    ["status", "--today", "2014-05-01", "--format", "json"],
    ["status", "--today", "2016-03-01", "--format", "json"],
    ["judgment", "digest", "--since", "2010-01-01", "--format", "md", "--today", "2026-12-01"],
    ["judgment", "digest", "--since", "2015-06-01", "--department", "ASA", "--format", "md", "--today", "2016-03-01"],
    ["report", "quarterly", "--quarter", "2026-Q4", "--format", "json", "--today", "2026-12-01"],
    ["measure", "list", "--format", "json", "--today", "2014-06-01"],
    ["measure", "list", "--overdue", "--department", "OPA", "--format", "csv", "--today", "2017-06-01"],
]


def _answers_of_the_commands(cli, root, env=None) -> list[tuple[int, str]]:
    out = []
    for args in QUESTIONS:
        r = cli(["--repo", root, *args], env=env)
        out.append((r.exit_code, r.stdout))
    return out


def test_the_commands_answer_as_the_files_do(scratch_repo, cli):
    """Every question answered from the index equals the answer read from the files."""
    from_files = _answers_of_the_commands(cli, scratch_repo, env={"HRCOORD_INDEX": "0"})
    assert not (scratch_repo / ".hrcoord" / NAME).exists()
    from_index = _answers_of_the_commands(cli, scratch_repo)
    assert (scratch_repo / ".hrcoord" / NAME).exists()
    assert all(code == 0 for code, _ in from_files), from_files
    watched = [json.loads(out) for args, (_, out) in zip(QUESTIONS, from_files, strict=True) if args[0] == "status"]
    assert all(any(st[k] for k in ("not_final", "referrals")) for st in watched[1:])  # the questions bite
    for args, a, b in zip(QUESTIONS, from_files, from_index, strict=True):
        if "--text" in args:  # the index ranks by relevance; the files' answer is newest first
            assert sorted(x["id"] for x in json.loads(a[1])) == sorted(x["id"] for x in json.loads(b[1]))
        else:
            assert a == b, args


@pytest.mark.parametrize("damage", ["truncate", "garbage"])
def test_a_damaged_index_changes_no_command_answer(scratch_repo, cli, damage):
    before = _answers_of_the_commands(cli, scratch_repo)
    path = scratch_repo / ".hrcoord" / NAME
    path.write_bytes(b"" if damage == "truncate" else b"SQLite format 3\0" + b"\x00\xff" * 4000)
    for suffix in ("-wal", "-shm"):
        (scratch_repo / ".hrcoord" / (NAME + suffix)).unlink(missing_ok=True)
    assert _answers_of_the_commands(cli, scratch_repo) == before


def test_an_edit_behind_the_tools_back_shows_in_the_next_listing(scratch_repo, cli):
    args = ["--repo", scratch_repo, "judgment", "list", "--text", "blåbærsyltetøy", "--format", "json"]
    assert json.loads(cli(args).stdout) == []
    path = next((scratch_repo / "data/judgments").rglob("rantsev*.md"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## Sammendrag\n", "## Sammendrag\n\nOrdet blåbærsyltetøy står her.\n", 1),
                    encoding="utf-8")
    assert [x["id"] for x in json.loads(cli(args).stdout)] == ["rantsev-v-cyprus-and-russia-2010"]
    # and status sees that the reviewed text changed (the index had the digest of the old text)
    st = json.loads(cli(["--repo", scratch_repo, "status", "--format", "json"]).stdout)
    assert {"id": "rantsev-v-cyprus-and-russia-2010", "reason": "changed-after-review"}.items() <= \
        next(s for s in st["summaries"] if s["id"] == "rantsev-v-cyprus-and-russia-2010").items()


def test_a_withdrawal_is_reported_in_its_replacements_quarter_either_way(scratch_repo, cli):
    """The quarterly report lists a summary withdrawn for one published in the quarter; the index
    narrows to the quarter's summaries and the withdrawn ones, and looks the replacement up."""
    r = cli(["--repo", scratch_repo, "judgment", "status", "x-y-and-z-2013", "withdrawn", "--replaced-by",
             "tarakhel-v-switzerland-2014", "--today", "2014-11-21"])
    assert r.exit_code == 0, r.stdout + r.stderr
    args = ["--repo", scratch_repo, "report", "quarterly", "--quarter", "2014-Q4", "--format", "json",
            "--today", "2026-12-01"]
    from_files = cli(args, env={"HRCOORD_INDEX": "0"}).stdout
    from_index = cli(args).stdout
    assert from_index == from_files
    withdrawn = json.loads(from_index)["summaries_withdrawn"]
    assert [(s["id"], s["replaced_by"]) for s in withdrawn] == [("x-y-and-z-2013", "tarakhel-v-switzerland-2014")]


def test_a_question_that_meets_a_damaged_page_is_answered_from_a_new_index(scratch_repo, monkeypatch):
    """Opening reads only the small tables; a damaged page elsewhere fails the question itself:
    the index is made anew and asked again, and the answer is the files' answer."""
    import sqlite3

    from hrcoord.caselaw.judgments import select
    from hrcoord.core.index import Index

    monkeypatch.setenv("HRCOORD_INDEX", "0")
    from_files = sorted(r.id for r in select(Repository(scratch_repo), text="menneskehandel"))
    monkeypatch.delenv("HRCOORD_INDEX")
    select(Repository(scratch_repo), text="menneskehandel")  # the index is built
    opened, failures = [], ["database disk image is malformed"]
    real_open, real_judgments = Index.open.__func__, Index.judgments

    def open_(cls, repo, **kw):
        opened.append(kw.get("fresh", False))
        return real_open(cls, repo, **kw)

    def judgments(self, **kw):
        if failures:
            raise sqlite3.DatabaseError(failures.pop())
        return real_judgments(self, **kw)

    monkeypatch.setattr(Index, "open", classmethod(open_))
    monkeypatch.setattr(Index, "judgments", judgments)
    assert sorted(r.id for r in select(Repository(scratch_repo), text="menneskehandel")) == from_files
    assert opened == [False, True] and from_files
    failures += ["malformed", "malformed"]  # damaged again after the rebuild: the files answer
    assert sorted(r.id for r in select(Repository(scratch_repo), text="menneskehandel")) == from_files
