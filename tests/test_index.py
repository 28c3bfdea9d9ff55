"""The derived index (.hrcoord/index.sqlite): answers agree with the files, whatever happens to it."""
from __future__ import annotations

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
