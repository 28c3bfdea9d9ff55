"""Publish fails closed (issue 18 item 1): it validates what it would publish and refuses on any
error, naming path:line, writing nothing; a summary appears only when `access` is absent or
exactly `public`, `status` is exactly `published` (or `withdrawn` after publication) and its
review stamp matches. Each case here published the summary before."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import invoke

TODAY = __import__("datetime").date.today().isoformat()  # (the data holds reviews up to today)


def published_files(repo: Path) -> list[Path]:
    return [p for p in sorted((repo / "data/judgments").rglob("*.md"))
            if "\nstatus: published\n" in p.read_text(encoding="utf-8")
            and "access: internal" not in p.read_text(encoding="utf-8")]


def rel(repo: Path, path: Path) -> str:
    return path.relative_to(repo).as_posix()


def line_of(path: Path, prefix: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, 1) if line.startswith(prefix))


def set_line(path: Path, prefix: str, new: str) -> None:
    """Replace the front-matter line starting with `prefix` (or add `new` after the title)."""
    text = path.read_text(encoding="utf-8")
    if re.search(rf"^{re.escape(prefix)}", text, re.M):
        text = re.sub(rf"^{re.escape(prefix)}.*$", new, text, count=1, flags=re.M)
    else:
        text = re.sub(r"^(title: .*)$", rf"\1\n{new}", text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")


def publish(repo: Path, out: Path, *extra):
    return invoke(["--repo", repo, "publish", "--out", out, "--today", TODAY, *extra])


def assert_refused_writing_nothing(r, tmp_path: Path, *expected: str) -> None:
    assert r.exit_code == 1, r.stderr
    assert "publish refused" in r.stderr and "nothing written" in r.stderr
    for text in expected:
        assert re.search(text, r.stderr, re.M), (text, r.stderr)
    assert "Traceback" not in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo"]  # no site, no staging folder


@pytest.mark.parametrize("value", ["Internal", "intern", "'internal '", "[internal]", "INTERNAL", "'public '"])
def test_an_access_value_that_is_not_exactly_public_or_internal_refuses(scratch_repo, tmp_path, value):
    target = published_files(scratch_repo)[0]
    set_line(target, "access:", f"access: {value}")
    r = publish(scratch_repo, tmp_path / "site")
    at = line_of(target, "access:")
    assert_refused_writing_nothing(r, tmp_path, rf"^{re.escape(rel(scratch_repo, target))}:{at}:\d+: error HR10[34] ")


@pytest.mark.parametrize("value", ["Internal", "intern", "'internal '", "[internal]", "'public '", "null"])
def test_appears_compares_access_exactly(scratch_repo, value):
    """At the library level too: only an absent `access` or exactly `public` is public."""
    from hrcoord.caselaw.portal.appears import appears
    from hrcoord.core.repo import Repository

    target = published_files(scratch_repo)[0]
    repo = Repository(scratch_repo)
    rec = repo.records("judgment")[target.stem]
    assert appears(rec)
    set_line(target, "access:", f"access: {value}")
    rec = Repository(scratch_repo, guard=False).records("judgment")[target.stem]  # (read as it is: invalid)
    assert not appears(rec)


def test_a_summary_hand_set_to_published_without_a_review_stamp_refuses(scratch_repo, tmp_path):
    draft = next(p for p in sorted((scratch_repo / "data/judgments").rglob("*.md"))
                 if "\nstatus: in-review\n" in p.read_text(encoding="utf-8")
                 or "\nstatus: draft\n" in p.read_text(encoding="utf-8"))
    text = draft.read_text(encoding="utf-8")
    text = re.sub(r"^status: .*$", "status: published\npublished: 2014-12-01", text, count=1, flags=re.M)
    text = re.sub(r"^review:\n(  .*\n)+", "", text, flags=re.M)
    draft.write_text(text, encoding="utf-8")
    r = publish(scratch_repo, tmp_path / "site")
    assert_refused_writing_nothing(r, tmp_path, rf"^{re.escape(rel(scratch_repo, draft))}:\d+:\d+: error HR205 ",
                                   rf"hrcoord judgment review {draft.stem} --by NAME")


def test_published_summaries_changed_after_review_refuse_naming_each_and_the_command(scratch_repo, tmp_path):
    site = tmp_path / "site"
    assert publish(scratch_repo, site).exit_code == 0
    before = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    a, b = published_files(scratch_repo)[:2]
    a.write_text(a.read_text(encoding="utf-8").replace("## Sammendrag\n", "## Sammendrag\n\nEndret etterpå.\n", 1),
                 encoding="utf-8")
    set_line(b, "title:", "title: En annen tittel v. Norge")
    r = publish(scratch_repo, site)
    assert r.exit_code == 1
    for path in (a, b):
        assert re.search(rf"^{re.escape(rel(scratch_repo, path))}:\d+:\d+: error HR206 .*"
                         rf"hrcoord judgment review {path.stem} --by NAME", r.stderr, re.M), r.stderr
    assert "nothing written" in r.stderr
    after = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo", "site"]
    # once reviewed again, both publish, with the new text
    for path in (a, b):
        r = invoke(["--repo", scratch_repo, "judgment", "review", path.stem, "--by", "T", "--today", TODAY])
        assert r.exit_code == 0, r.stderr
    assert publish(scratch_repo, site).exit_code == 0
    assert "Endret etterpå." in (site / f"summaries/{a.stem}.html").read_text(encoding="utf-8")
    assert "En annen tittel v. Norge" in (site / f"summaries/{b.stem}.html").read_text(encoding="utf-8")


def test_a_published_summary_that_does_not_parse_is_an_error_not_an_omission(scratch_repo, tmp_path):
    target = published_files(scratch_repo)[0]
    set_line(target, "title:", "title: [unclosed")
    r = publish(scratch_repo, tmp_path / "site")
    assert_refused_writing_nothing(r, tmp_path, rf"^{re.escape(rel(scratch_repo, target))}:\d+:\d+: error HR001 ")


def test_a_status_that_is_almost_published_refuses(scratch_repo, tmp_path):
    target = published_files(scratch_repo)[0]
    set_line(target, "status:", "status: Published")
    r = publish(scratch_repo, tmp_path / "site", "--dry-run")  # a dry run refuses the same way
    assert_refused_writing_nothing(r, tmp_path, rf"^{re.escape(rel(scratch_repo, target))}:\d+:\d+: error HR104 ")


def test_an_error_in_a_vocabulary_or_the_settings_refuses(scratch_repo, tmp_path):
    conventions = scratch_repo / "data/conventions.yaml"
    conventions.write_text(conventions.read_text(encoding="utf-8") + "\nunknown_top_level: 1\n", encoding="utf-8")
    r = publish(scratch_repo, tmp_path / "site")
    assert_refused_writing_nothing(r, tmp_path, r"^data/conventions\.yaml:\d+:\d+: error HR101 ")
    conventions.write_text(conventions.read_text(encoding="utf-8").replace("\nunknown_top_level: 1\n", ""),
                           encoding="utf-8")
    settings = scratch_repo / "hrcoord.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "portal_url: not a url\n", encoding="utf-8")
    r = publish(scratch_repo, tmp_path / "site")
    assert_refused_writing_nothing(r, tmp_path, r"^hrcoord\.yaml:\d+:\d+: error ")


def test_errors_in_what_is_never_published_do_not_block(scratch_repo, tmp_path):
    """A draft with an error, and a summary marked exactly `internal` with one, are not published:
    their errors are validate's business, not a reason to stop the portal."""
    files = sorted((scratch_repo / "data/judgments").rglob("*.md"))
    draft = next(p for p in files if "\nstatus: draft\n" in p.read_text(encoding="utf-8"))
    set_line(draft, "date:", "date: 2014-02-30")
    internal = published_files(scratch_repo)[0]
    set_line(internal, "access:", "access: internal")
    set_line(internal, "outcome:", "outcome: not-an-outcome")
    r = publish(scratch_repo, tmp_path / "site")
    assert r.exit_code == 0, r.stderr
    assert not (tmp_path / "site" / f"summaries/{internal.stem}.html").exists()
    assert not (tmp_path / "site" / f"summaries/{draft.stem}.html").exists()


def test_refusals_at_the_library_level(scratch_repo):
    from hrcoord.caselaw.portal.appears import refusals
    from hrcoord.core.repo import Repository

    assert refusals(Repository(scratch_repo)) == []
    target = published_files(scratch_repo)[0]
    set_line(target, "access:", "access: intern")
    found = refusals(Repository(scratch_repo))
    assert [(p.path, p.code, p.severity) for p in found] == [(rel(scratch_repo, target), "HR104", "error")]
