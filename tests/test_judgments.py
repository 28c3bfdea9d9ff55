"""hrcoord.caselaw.judgments at the library level: add, select, the lifecycle rules, review stamps, digest."""
from __future__ import annotations

import datetime as dt
import threading

import pytest

from conftest import ROOT
from conftest import git as _git
from hrcoord.caselaw import judgments
from hrcoord.core.errors import HrcoordError, UsageError
from hrcoord.core.models.judgment import STATUSES, TRANSITIONS, changed_since_review, digest, part_digests
from hrcoord.core.repo import Repository

BASE = {"title": "Nunez v. Norway", "body": "ECtHR", "doc_type": "judgment", "formation": "Chamber",
        "reference": ["55597/09"], "date": "2011-06-28", "respondent": ["NO"], "articles": ["ECHR 8"],
        "outcome": "violation", "relevance": ["expulsion"], "departments": ["OPA"]}
TEXT = "\n## Sammendrag\n\nDomstolen fant en krenkelse.\n\n## Betydning for UDI\n\nViktig.\n"


def fresh(root) -> Repository:
    return Repository(root)


def make(root, n: int, status: str = "draft", **extra) -> str:
    """A summary with text, in `status`, with a valid review stamp where the status needs one."""
    from hrcoord.core import records

    values = {**BASE, "title": f"Case {n} v. Norway", "reference": [f"{10000 + n}/10"], **extra}
    added = judgments.add(fresh(root), values, body=TEXT)
    if status == "draft":
        return added.id
    repo = fresh(root)
    rec = repo.judgment(added.id)
    data = dict(rec.data, status=status)
    if status in ("in-review", "approved", "published"):
        data["review"] = {"by": "K", "date": "2014-01-01", "digest": digest(data, rec.body)}
    if status == "published":
        data["published"] = "2014-01-02"
    if status == "withdrawn":
        data["reason"] = "gammel"
    records.update(repo, rec, data)
    return added.id


def test_add_returns_the_text_it_wrote(empty_repo):
    added = judgments.add(fresh(empty_repo), dict(BASE))
    assert added.id == "nunez-v-norway-2011"
    assert added.rel == "data/judgments/2011/nunez-v-norway-2011.md"
    assert added.path.read_text(encoding="utf-8") == added.text
    rec = fresh(empty_repo).judgment(added.id)
    assert rec.data["reference"] == "55597/09" and rec.data["respondent"] == "NO"  # one value: written plain
    assert rec.data["status"] == "draft"


def test_add_refuses_a_duplicate_reference_ignoring_spaces_and_case(empty_repo):
    judgments.add(fresh(empty_repo), {**BASE, "body": "CJEU", "reference": ["C-411/10"], "articles": ["CHARTER 4"],
                                      "formation": "Grand Chamber", "respondent": None})
    with pytest.raises(HrcoordError, match=r"data/judgments/2011/nunez-v-norway-2011\.md"):
        judgments.add(fresh(empty_repo), {**BASE, "title": "Other", "body": "CJEU", "reference": ["c-411/10"],
                                          "articles": ["CHARTER 4"], "formation": "Grand Chamber",
                                          "respondent": None})


def test_add_refuses_an_existing_file_even_with_new_references(empty_repo):
    judgments.add(fresh(empty_repo), dict(BASE))
    with pytest.raises(HrcoordError, match="already exists"):
        judgments.add(fresh(empty_repo), {**BASE, "reference": ["1/10"]})


def test_concurrent_library_adds_one_wins(empty_repo):
    outcomes = []

    def go(i):
        try:
            judgments.add(fresh(empty_repo), dict(BASE), jid=f"nunez-{i}")
            outcomes.append("ok")
        except HrcoordError as exc:
            outcomes.append(str(exc))

    threads = [threading.Thread(target=go, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1
    assert len(list((empty_repo / "data" / "judgments").rglob("*.md"))) == 1


def test_missing_and_bad_values(empty_repo):
    with pytest.raises(UsageError, match="--title"):
        judgments.add(fresh(empty_repo), {k: v for k, v in BASE.items() if k != "title"})
    with pytest.raises(UsageError, match="--date"):
        judgments.add(fresh(empty_repo), {**BASE, "date": "28.06.2011"})
    with pytest.raises(UsageError, match="relation"):
        judgments.add(fresh(empty_repo), {**BASE, "related": ["x:friend"]})
    with pytest.raises(UsageError, match="--foreign-practice"):
        judgments.add(fresh(empty_repo), {**BASE, "foreign_practice": ["no colon here"]})
    with pytest.raises(UsageError, match="--id"):
        judgments.add(fresh(empty_repo), dict(BASE), jid="Not Valid")
    with pytest.raises(UsageError, match=r"--outcome: .*'win' \(HR104\)"):  # the flag's mistake
        judgments.add(fresh(empty_repo), {**BASE, "outcome": "win"})
    assert not list((empty_repo / "data" / "judgments").rglob("*.md"))


@pytest.mark.parametrize("old", STATUSES)
@pytest.mark.parametrize("new", STATUSES)
def test_only_the_specs_transitions_are_allowed(empty_repo, old, new):
    jid = make(empty_repo, 1, old)
    kwargs = {"reason": "ny praksis"} if new == "withdrawn" else {}
    if new in TRANSITIONS[old]:
        changed = judgments.set_status(fresh(empty_repo), jid, new, today=dt.date(2014, 5, 1), **kwargs)
        rec = fresh(empty_repo).judgment(jid)
        assert rec.data["status"] == new
        assert changed.message == f"{jid}: {old} → {new}"
        if new == "published":
            assert rec.data["published"] == "2014-05-01"
    else:
        with pytest.raises(UsageError):
            judgments.set_status(fresh(empty_repo), jid, new, **kwargs)
        assert fresh(empty_repo).judgment(jid).data["status"] == old


def test_publishing_keeps_an_existing_published_date(empty_repo):
    jid = make(empty_repo, 1, "approved")
    from hrcoord.core import records

    repo = fresh(empty_repo)
    rec = repo.judgment(jid)
    records.update(repo, rec, dict(rec.data, published="2013-03-03"))
    judgments.set_status(fresh(empty_repo), jid, "published", today=dt.date(2014, 5, 1))
    assert fresh(empty_repo).judgment(jid).data["published"] == "2013-03-03"


def test_review_stamp_matches_and_names_what_changed_later(empty_repo):
    jid = make(empty_repo, 1, "in-review")
    judgments.review(fresh(empty_repo), jid, "Seniorrådgiver", today=dt.date(2014, 2, 2))
    rec = fresh(empty_repo).judgment(jid)
    stamp = rec.data["review"]
    assert stamp == {"by": "Seniorrådgiver", "date": "2014-02-02", "digest": digest(rec.data, rec.body),
                     "parts": part_digests(rec.data, rec.body)}
    # the status is not part of what was reviewed; the text and key fields are
    assert digest(dict(rec.data, status="published"), rec.body) == stamp["digest"]
    assert digest(dict(rec.data, outcome="no-violation"), rec.body) != stamp["digest"]
    assert changed_since_review(dict(rec.data, outcome="no-violation"), rec.body) == ["outcome"]
    assert changed_since_review(rec.data, rec.body + "\nMer.\n") == ["text"]
    again = judgments.review(fresh(empty_repo), jid, "Fagdirektør", today=dt.date(2014, 2, 3))
    assert "unchanged" in again.message
    with pytest.raises(UsageError):
        judgments.review(fresh(empty_repo), jid, "  ")


def test_dry_run_status_writes_nothing(empty_repo):
    jid = make(empty_repo, 1, "draft")
    path = fresh(empty_repo).judgment(jid).source.path
    before = path.read_bytes()
    changed = judgments.set_status(fresh(empty_repo), jid, "in-review", dry_run=True)
    assert "status: in-review" in changed.text
    assert path.read_bytes() == before


def test_select_article_matches_paragraphs_too():
    repo = Repository(ROOT)
    with_paragraphs = {r.id for r in repo.records("judgment").values()
                       if any(str(a).startswith("ECHR 5-") for a in r.data.get("articles", []))}
    got = {r.id for r in judgments.select(repo, article=["ECHR 5"])}
    assert with_paragraphs <= got
    exact = {r.id for r in repo.records("judgment").values() if "ECHR 5" in r.data.get("articles", [])}
    assert got == with_paragraphs | exact
    # "ECHR 1" is not a prefix match for "ECHR 13"
    assert any("ECHR 13" in r.data.get("articles", []) for r in repo.records("judgment").values())
    for r in judgments.select(repo, article=["ECHR 1"]):
        assert any(a == "ECHR 1" or a.startswith("ECHR 1-") for a in r.data["articles"]), r.id
    with pytest.raises(UsageError):
        judgments.select(repo, status=["finished"])


def test_format_list_md_escapes_pipes(empty_repo):
    judgments.add(fresh(empty_repo), {**BASE, "title": "A | B v. Norway"}, jid="pipes")
    out = judgments.format_list(judgments.select(fresh(empty_repo)), "md")
    assert "A \\| B v. Norway" in out




def test_digest_uses_git_history_for_changed(empty_repo):
    a = make(empty_repo, 1, "published")
    b = make(empty_repo, 2, "published")
    _git(empty_repo, "init", "-q")
    _git(empty_repo, "add", "-A")
    _git(empty_repo, "commit", "-q", "-m", "start", date="2014-01-05")
    path = fresh(empty_repo).judgment(b).source.path
    path.write_text(path.read_text(encoding="utf-8").replace("Viktig.", "Svært viktig."), encoding="utf-8")
    _git(empty_repo, "commit", "-q", "-am", "edit", date="2014-06-01")
    items = judgments.digest_items(fresh(empty_repo), dt.date(2014, 3, 1))
    assert [(i.id, i.kind, i.date) for i in items] == [(b, "changed", dt.date(2014, 6, 1))]
    # without git the same repository shows nothing changed since March (no review after it)
    import shutil

    shutil.rmtree(empty_repo / ".git")
    assert judgments.digest_items(fresh(empty_repo), dt.date(2014, 3, 1)) == []
    # and since the start of the year both are new (published 2014-01-02)
    assert {i.id for i in judgments.digest_items(fresh(empty_repo), dt.date(2014, 1, 1))} == {a, b}
