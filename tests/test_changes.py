"""`hrcoord changes`: Ny / Endret / Opphevet from a scratch git history made by the test."""
from __future__ import annotations

import json
import subprocess

import pytest

from conftest import SAKSTEKST, commit, git_init, judgment_path, sh_git, summary, write


def kinds(items) -> list[tuple[str, str]]:
    return [(c.kind, c.id) for c in items]


# --- the "done when" ------------------------------------------------------------------


def test_since_first_commit_lists_new_changed_withdrawn(cli, history_repo):
    root, shas = history_repo
    r = cli(["--repo", root, "changes", "--since", shas[0]])
    assert r.exit_code == 0, r.stderr
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith("- **")]
    assert sum(ln.startswith("- **Ny**") for ln in lines) == 3
    endret = [ln for ln in lines if ln.startswith("- **Endret**")]
    opphevet = [ln for ln in lines if ln.startswith("- **Opphevet**")]
    assert len(endret) == 1 and len(opphevet) == 1 and len(lines) == 5
    assert "Alpha v. Norway" in endret[0] and "tekst" in endret[0]
    assert "Beta v. Norway" in opphevet[0]
    assert "Erstattes av [Gamma v. Norway](data/judgments/2013/gamma-v-norway-2013.md)" in opphevet[0]
    # newest first: the withdrawal (5 March) before the change (4 March) before the additions
    assert lines[0] == opphevet[0] and lines[1] == endret[0]
    assert r.stdout.index("5. mars 2014") < r.stdout.index("4. mars 2014") < r.stdout.index("1. mars 2014")
    assert "Ikke innsjekket" not in r.stdout  # the working tree is clean


def test_library_changes_semantics(history_repo):
    from hrcoord.core.repo import Repository
    from hrcoord.review.changes import changes

    root, shas = history_repo
    repo = Repository(root)
    items = changes(repo, shas[0])
    assert kinds(items) == [("withdrawn", "beta-v-norway-2013"), ("changed", "alpha-v-norway-2013"),
                            ("new", "gamma-v-norway-2013"), ("new", "beta-v-norway-2013"),
                            ("new", "alpha-v-norway-2013")]
    withdrawn, changed = items[0], items[1]
    assert withdrawn.replaced_by == "gamma-v-norway-2013" and withdrawn.replaced_by_title == "Gamma v. Norway"
    assert withdrawn.commit == shas[4] and str(withdrawn.date) == "2014-03-05"
    assert withdrawn.when.isoformat() == "2014-03-05T12:00:00+01:00"
    assert changed.text_changed is True and changed.fields == [] and changed.commit == shas[3]
    assert changed.changed_parts("nb") == ["tekst"] and changed.changed_parts("en") == ["text"]
    assert changed.path == "data/judgments/2013/alpha-v-norway-2013.md" and changed.title == "Alpha v. Norway"
    assert all(c.type == "judgment" and not c.uncommitted for c in items)
    # since is inclusive: from the second commit on, Alpha's addition is out, Beta's is in
    assert kinds(changes(repo, shas[1])) == kinds(items)[:4]
    assert kinds(changes(repo, shas[4])) == [("withdrawn", "beta-v-norway-2013")]
    # until a revision: what had happened by then, nothing uncommitted
    assert kinds(changes(repo, shas[0], until=shas[2])) == [("new", "gamma-v-norway-2013"),
                                                           ("new", "beta-v-norway-2013"),
                                                           ("new", "alpha-v-norway-2013")]


def test_since_and_until_dates(cli, history_repo):
    from hrcoord.core.repo import Repository
    from hrcoord.review.changes import changes

    root, _ = history_repo
    repo = Repository(root)
    assert kinds(changes(repo, "2014-03-04")) == [("withdrawn", "beta-v-norway-2013"),
                                                  ("changed", "alpha-v-norway-2013")]
    assert kinds(changes(repo, "2014-03-02", until="2014-03-03")) == [("new", "gamma-v-norway-2013"),
                                                                      ("new", "beta-v-norway-2013")]
    assert changes(repo, "2014-03-06") == []
    r = cli(["--repo", root, "changes", "--since", "2014-03-04", "--format", "json"])
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert [(d["kind"], d["id"], d["date"]) for d in data] == [
        ("withdrawn", "beta-v-norway-2013", "2014-03-05"), ("changed", "alpha-v-norway-2013", "2014-03-04")]
    assert data[0]["replaced_by"] == "gamma-v-norway-2013" and data[1]["text_changed"] is True
    assert data[1]["subject"] == "Alpha: text" and data[1]["uncommitted"] is False
    r = cli(["--repo", root, "changes", "--since", "2014-03-06", "--until", "2014-03-01"])
    assert r.exit_code == 2 and "before" in r.stderr


def test_uncommitted_changes_are_listed_first(cli, history_repo):
    root, shas = history_repo
    gamma = judgment_path(root, "gamma-v-norway-2013", "2013")
    gamma.write_text(gamma.read_text(encoding="utf-8").replace("ECHR 3", "ECHR 8").replace(
        "landrapporter", "kilder"), encoding="utf-8")
    write(judgment_path(root, "delta-v-norway-2014", "2014"), summary("Delta v. Norway", "44444/11", "2014-01-10"))
    r = cli(["--repo", root, "changes", "--since", shas[3]])
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert out.index("## Ikke innsjekket") < out.index("## 5. mars 2014") < out.index("## 4. mars 2014")
    block = out[out.index("## Ikke innsjekket"):out.index("## 5. mars 2014")]
    assert "**Ny** [Delta v. Norway]" in block
    assert "**Endret** [Gamma v. Norway]" in block and "tekst, artikler" in block
    r = cli(["--repo", root, "changes", "--since", shas[3], "--committed"])
    assert "Ikke innsjekket" not in r.stdout and "Delta" not in r.stdout


def test_english_and_html(cli, history_repo):
    root, shas = history_repo
    r = cli(["--repo", root, "changes", "--since", shas[0], "--lang", "en"])
    assert r.exit_code == 0, r.stderr
    assert "# Latest changes" in r.stdout and "**Withdrawn**" in r.stdout and "Replaced by" in r.stdout
    assert "**Changed** [Alpha v. Norway]" in r.stdout and ": text" in r.stdout
    # a title with markup is escaped in HTML
    alpha = judgment_path(root, "alpha-v-norway-2013", "2013")
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("title: Alpha v. Norway",
                                                               "title: Alpha <script>x</script>"), encoding="utf-8")
    out = root / "changes.html"
    r = cli(["--repo", root, "changes", "--since", shas[0], "--format", "html", "--out", out])
    assert r.exit_code == 0, r.stderr
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<h1>Siste endringer</h1>" in html
    assert "<script>" not in html and "Alpha &lt;script&gt;" in html
    assert "Opphevet" in html and "Erstattes av" in html and 'href="data/judgments/2013/gamma-v-norway-2013.md"' in html


def test_type_filter_meetings_and_measures(cli, history_repo):
    root, shas = history_repo
    write(root / "data/networks/trafficking.yaml", """slug: trafficking
name_nb: Nettverk for menneskehandel
name_en: Network on trafficking in human beings
field: [trafficking]
chair: Koordinator
members:
  - name: Seniorrådgiver, Asylavdelingen
    department: ASA
""")
    write(root / "data/meetings/trafficking/2014-03-11.md", """---
network: trafficking
date: 2014-03-11
start: "10:00"
status: held
---
Referat.
""")
    commit(root, "Meeting", "2014-03-12T09:00:00+01:00")
    r = cli(["--repo", root, "changes", "--since", shas[0], "--type", "meeting", "--format", "json"])
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert [(d["kind"], d["type"], d["id"]) for d in data] == [("new", "meeting", "trafficking/2014-03-11")]
    assert data[0]["title"] == "Møte 11. mars 2014 (trafficking)"
    r = cli(["--repo", root, "changes", "--since", shas[0], "--type", "measure"])
    assert r.exit_code == 0 and "Ingen endringer." in r.stdout
    r = cli(["--repo", root, "changes", "--since", shas[0], "--type", "nonsense"])
    assert r.exit_code == 2


def test_fields_moves_deletions_and_reverts(history_repo):
    from hrcoord.core.repo import Repository
    from hrcoord.review.changes import changes

    root, _ = history_repo
    repo = Repository(root)
    # a date correction that moves the file to another year folder: one change, not new + deleted
    old = judgment_path(root, "gamma-v-norway-2013", "2013")
    text = old.read_text(encoding="utf-8").replace("date: 2013-03-15", "date: 2014-01-02")
    old.unlink()
    write(judgment_path(root, "gamma-v-norway-2013", "2014"), text)
    moved = commit(root, "Gamma: date")
    # a change undone in the range is not a change
    alpha = judgment_path(root, "alpha-v-norway-2013", "2013")
    before = alpha.read_text(encoding="utf-8")
    alpha.write_text(before.replace("outcome: violation", "outcome: no-violation"), encoding="utf-8")
    commit(root, "Alpha: outcome")
    alpha.write_text(before, encoding="utf-8")
    commit(root, "Alpha: outcome back")
    judgment_path(root, "beta-v-norway-2013", "2013").unlink()
    commit(root, "Delete Beta")
    items = changes(repo, moved)
    assert kinds(items) == [("deleted", "beta-v-norway-2013"), ("changed", "gamma-v-norway-2013")]
    assert items[1].fields == ["date"] and items[1].text_changed is False
    assert items[1].path == "data/judgments/2014/gamma-v-norway-2013.md"
    assert items[0].title == "Beta v. Norway"


def test_repository_inside_a_larger_git_work_tree(tmp_path, cli):
    """The hrcoord repository may be a folder of a bigger git repository (paths carry a prefix)."""
    from hrcoord.core.scaffold import init

    outer = tmp_path / "outer"
    init(outer / "coordinator", git=False)
    git_init(outer)
    root = outer / "coordinator"
    write(judgment_path(root, "alpha-v-norway-2013", "2013"), summary("Alpha v. Norway", "11111/10", "2013-01-15"))
    write(outer / "data/judgments/2013/elsewhere.md", "not ours\n")
    first = commit(outer, "Add")
    alpha = judgment_path(root, "alpha-v-norway-2013", "2013")
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("status: draft", "status: in-review"),
                     encoding="utf-8")
    r = cli(["--repo", root, "changes", "--since", first, "--format", "json"])
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert [(d["kind"], d["path"], d["uncommitted"], d["fields"]) for d in data] == [
        ("changed", "data/judgments/2013/alpha-v-norway-2013.md", True, ["status"]),
        ("new", "data/judgments/2013/alpha-v-norway-2013.md", False, [])]


def test_errors(cli, history_repo, empty_repo, tmp_path):
    root, _ = history_repo
    r = cli(["--repo", root, "changes", "--since", "no-such-branch"])
    assert r.exit_code == 2 and "unknown --since revision 'no-such-branch'" in r.stderr
    r = cli(["--repo", root, "changes", "--since", "2014-02-30"])
    assert r.exit_code == 2 and "not a date" in r.stderr
    assert "Traceback" not in r.stderr


def test_not_a_git_repository(cli, tmp_path):
    from hrcoord.core.scaffold import init

    root = tmp_path / "nogit"
    init(root, git=False)
    if subprocess.run(["git", "rev-parse"], cwd=root, capture_output=True).returncode == 0:
        pytest.skip("the temporary folder is inside a git work tree")
    r = cli(["--repo", root, "changes", "--since", "2014-01-01"])
    assert r.exit_code == 1 and "not in a git repository" in r.stderr


def test_no_commits_yet_lists_the_working_tree(cli, empty_repo):
    root = empty_repo
    git_init(root)
    write(judgment_path(root, "alpha-v-norway-2013", "2013"), summary("Alpha v. Norway", "11111/10", "2013-01-15"))
    r = cli(["--repo", root, "changes", "--since", "2014-01-01", "--format", "json"])
    assert r.exit_code == 0, r.stderr
    assert [(d["kind"], d["id"], d["uncommitted"]) for d in json.loads(r.stdout)] == [
        ("new", "alpha-v-norway-2013", True)]


def test_one_git_log_and_one_cat_file_for_the_whole_range(history_repo, monkeypatch):
    """One pass over history: the number of git processes does not grow with commits or files."""
    from hrcoord.core.repo import Repository
    from hrcoord.review import history
    from hrcoord.review.changes import changes

    root, shas = history_repo
    for i in range(12):  # more commits over more files
        write(judgment_path(root, f"extra-{i}-v-norway-2013", "2013"),
              summary(f"Extra {i} v. Norway", f"5{i:04d}/10", "2013-05-01"))
        commit(root, f"Extra {i}")
    calls: list[tuple] = []
    real = history.git_bytes

    def counting(root_, *args, **kw):
        calls.append(args)
        return real(root_, *args, **kw)

    monkeypatch.setattr(history, "git_bytes", counting)
    items = changes(Repository(root), shas[0])
    assert len([c for c in items if c.kind == "new"]) == 15
    names = [a[0] for a in calls]
    assert names.count("log") == 1 and names.count("cat-file") == 1 and names.count("status") == 1
    assert len(calls) == 3


def test_merged_branch_changes_are_dated_when_they_land(history_repo):
    """The main line is read with merges compared to their first parent: what a merged branch
    changed counts once, dated by the merge."""
    from hrcoord.core.repo import Repository
    from hrcoord.review.changes import changes

    root, shas = history_repo
    sh_git(root, "checkout", "-q", "-b", "feature")
    write(judgment_path(root, "delta-v-norway-2014", "2014"), summary("Delta v. Norway", "44444/11", "2014-01-10"))
    commit(root, "Add Delta on a branch", "2014-03-06T12:00:00+01:00")
    sh_git(root, "checkout", "-q", "-")
    gamma = judgment_path(root, "gamma-v-norway-2013", "2013")
    gamma.write_text(gamma.read_text(encoding="utf-8").replace("outcome: violation", "outcome: no-violation"),
                     encoding="utf-8")
    commit(root, "Gamma: outcome", "2014-03-07T12:00:00+01:00")
    sh_git(root, "merge", "-q", "--no-ff", "--no-edit", "feature", date="2014-03-08T12:00:00+01:00")
    merge = sh_git(root, "rev-parse", "HEAD").strip()
    items = changes(Repository(root), shas[4])
    assert [(c.kind, c.id, str(c.date)) for c in items] == [
        ("new", "delta-v-norway-2014", "2014-03-08"), ("changed", "gamma-v-norway-2013", "2014-03-07"),
        ("withdrawn", "beta-v-norway-2013", "2014-03-05")]
    assert items[0].commit == merge and items[1].fields == ["outcome"]


def test_changes_are_grouped_by_commit_not_by_day(cli, history_repo):
    """Two commits on one day are two groups, each under its own message; one commit's changes to
    several records stay together."""
    root, _ = history_repo
    write(judgment_path(root, "delta-v-norway-2013", "2013"), summary("Delta v. Norway", "44444/10", "2013-04-15"))
    write(judgment_path(root, "epsilon-v-norway-2013", "2013"), summary("Epsilon v. Norway", "55555/10", "2013-05-15"))
    morning = commit(root, "Add Delta and Epsilon", "2014-03-06T09:00:00+01:00")
    write(judgment_path(root, "alpha-v-norway-2013", "2013"),
          summary("Alpha v. Norway", "11111/10", "2013-01-15", text=SAKSTEKST.replace("oppdaterte", "ferske")))
    afternoon = commit(root, "Alpha: wording", "2014-03-06T15:00:00+01:00")
    r = cli(["--repo", root, "changes", "--since", "2014-03-06"])
    assert r.exit_code == 0, r.stderr
    headings = [line for line in r.stdout.splitlines() if line.startswith("## ")]
    assert headings == [f"## 6. mars 2014: Alpha: wording (`{afternoon[:8]}`)",
                        f"## 6. mars 2014: Add Delta and Epsilon (`{morning[:8]}`)"]
    morning_part = r.stdout.split(headings[1], 1)[1]
    assert "Delta v. Norway" in morning_part and "Epsilon v. Norway" in morning_part
    assert "Alpha v. Norway" not in morning_part
    html = cli(["--repo", root, "changes", "--since", "2014-03-06", "--format", "html"]).stdout
    assert html.count("<h2>") == 2 and "Add Delta and Epsilon" in html
