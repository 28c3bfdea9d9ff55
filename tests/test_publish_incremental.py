"""Incremental and parallel publish: a re-run renders only what changed, and the result is byte for
byte what a clean build gives; rendering on all cores gives the same pages as one process."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import hrcoord.caselaw.portal.publish as pub
from conftest import invoke
from hrcoord.caselaw.portal import render
from hrcoord.core.repo import Repository

TODAY = __import__("datetime").date.today().isoformat()  # (the data holds reviews up to today)


STABLE_PAGEFIND = ("fragment", "index")  # Pagefind's filter and meta files differ between runs (Pagefind#638)


def tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and permissions (a portal server must be able to read what is replaced);
    of Pagefind's index, the parts it writes the same way each time (its text chunks and fragments)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        parts = p.relative_to(folder).parts
        if p.is_file() and (not parts[0].startswith("pagefind") or (len(parts) > 2 and parts[1] in STABLE_PAGEFIND)):
            out[p.relative_to(folder).as_posix()] = (p.read_bytes(), p.stat().st_mode & 0o777)
    return out


def publish(repo: Path, out: Path, *extra) -> None:
    r = invoke(["--repo", repo, "publish", "--out", out, "--today", TODAY, *extra])
    assert r.exit_code == 0, r.stderr


def rereview(repo: Path, path: Path) -> None:
    """Stamp the review again after an edit (publish refuses a published summary that changed)."""
    r = invoke(["--repo", repo, "judgment", "review", path.stem, "--by", "Test", "--today", TODAY])
    assert r.exit_code == 0, r.stderr


def first_published(repo: Path) -> Path:
    return next(p for p in sorted((repo / "data/judgments").rglob("*.md"))
                if "status: published" in p.read_text() and "access: internal" not in p.read_text())


def assert_same_as_a_clean_build(repo: Path, site: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    publish(repo, clean, "--no-incremental")
    assert tree(site) == tree(clean)


def count_rendered(monkeypatch) -> list[str]:
    """The ids of the summaries whose pages are rendered from now on (collected in the list)."""
    rendered: list[str] = []
    original = render.render_files

    def spy(me, rels, *args):
        rendered.extend(Path(r).stem for r in rels)
        return original(me, rels, *args)

    monkeypatch.setattr(render, "render_files", spy)
    return rendered


def test_rerun_renders_only_the_changed_page_and_equals_a_clean_build(scratch_repo, tmp_path, monkeypatch):
    site = tmp_path / "site"
    publish(scratch_repo, site)
    target = first_published(scratch_repo)
    text = target.read_text()
    target.write_text(text.replace("## Faktum", "Et nytt avsnitt om saken.\n\n## Faktum", 1))
    rereview(scratch_repo, target)
    rendered = count_rendered(monkeypatch)
    publish(scratch_repo, site)
    assert rendered == [target.stem]
    assert_same_as_a_clean_build(scratch_repo, site, tmp_path)
    assert "Et nytt avsnitt om saken." in (site / f"summaries/{target.stem}.html").read_text()


def test_title_change_rerenders_the_pages_that_link_to_it(scratch_repo, tmp_path, monkeypatch):
    site = tmp_path / "site"
    publish(scratch_repo, site)
    linked = {}
    for p in (scratch_repo / "data/judgments").rglob("*.md"):
        linked[p.stem] = p
    # M.S.S. is cited by other published summaries in the embedded data? make one link to it
    a, b = [p for p in sorted(linked.values()) if "status: published" in p.read_text()
            and "access: internal" not in p.read_text()][:2]
    a.write_text(a.read_text().replace("status: published", f"related:\n- {b.stem}\nstatus: published", 1))
    invoke(["--repo", scratch_repo, "fmt"])
    invoke(["--repo", scratch_repo, "judgment", "review", a.stem, "--by", "Test", "--today", TODAY])
    publish(scratch_repo, site)
    b.write_text(b.read_text().replace("title: ", "title: Endret tittel ", 1))
    invoke(["--repo", scratch_repo, "judgment", "review", b.stem, "--by", "Test", "--today", TODAY])
    rendered = count_rendered(monkeypatch)
    publish(scratch_repo, site)
    assert sorted(rendered) == sorted([a.stem, b.stem])
    assert "Endret tittel" in (site / f"summaries/{a.stem}.html").read_text()
    assert_same_as_a_clean_build(scratch_repo, site, tmp_path)


def test_withdrawn_page_disappears_from_an_incremental_site(scratch_repo, tmp_path):
    site = tmp_path / "site"
    publish(scratch_repo, site)
    target = first_published(scratch_repo)
    target.write_text(target.read_text().replace("access: public\n", "").replace(
        "status: published", "access: internal\nstatus: published", 1))
    publish(scratch_repo, site)
    assert not (site / f"summaries/{target.stem}.html").exists()
    assert_same_as_a_clean_build(scratch_repo, site, tmp_path)


def test_a_site_changed_by_hand_is_rebuilt_whole(scratch_repo, tmp_path):
    site = tmp_path / "site"
    publish(scratch_repo, site)
    (site / "index.html").write_text("edited")
    publish(scratch_repo, site)
    assert_same_as_a_clean_build(scratch_repo, site, tmp_path)


def test_parallel_rendering_equals_one_process(monkeypatch):
    repo = Repository(Path(__file__).resolve().parent.parent)
    sequential = pub.build(repo, today=dt.date(2015, 1, 1)).files
    import hrcoord.core.pool

    monkeypatch.setattr(render, "PARALLEL_FROM", 1)
    monkeypatch.setattr(hrcoord.core.pool, "cores", lambda: 3)
    parallel = pub.build(repo, today=dt.date(2015, 1, 1)).files
    assert parallel == sequential


def test_a_parallel_cold_publish_writes_the_same_site(scratch_repo, tmp_path, monkeypatch):
    """Through the CLI: workers read the files and write the pages straight into the staging
    folder; the site is byte for byte the one a single process writes."""
    import hrcoord.core.pool

    one = tmp_path / "one"
    publish(scratch_repo, one, "--no-incremental")
    monkeypatch.setattr(render, "PARALLEL_FROM", 1)
    monkeypatch.setattr(hrcoord.core.pool, "cores", lambda: 2)
    many = tmp_path / "many"
    publish(scratch_repo, many, "--no-incremental")
    assert tree(many) == tree(one)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["many", "one", "repo"]  # no staging folder left
    assert sorted(p.name for p in many.iterdir() if p.name.startswith(".")) == [".hrcoord-site"]  # no parts


def test_a_refused_parallel_publish_leaves_no_staging_folder(scratch_repo, tmp_path, monkeypatch):
    import hrcoord.core.pool
    from conftest import fodselsnummer

    target = first_published(scratch_repo)
    target.write_text(target.read_text().replace("## Faktum", f"Født {fodselsnummer()}.\n\n## Faktum", 1))
    monkeypatch.setattr(render, "PARALLEL_FROM", 1)
    monkeypatch.setattr(hrcoord.core.pool, "cores", lambda: 2)
    r = invoke(["--repo", scratch_repo, "publish", "--out", tmp_path / "site", "--today", TODAY])
    assert r.exit_code == 1 and "publish refused" in r.stderr and target.name in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo"]  # no site, no staging folder


def test_embedded_footer_override_runs_sandboxed(tmp_path):
    """The embedded repository's own templates/portal/footer.html.j2 appears on every page."""
    root = Path(__file__).resolve().parent.parent
    site = tmp_path / "site"
    r = invoke(["--repo", root, "publish", "--out", site, "--today", TODAY])
    assert r.exit_code == 0, r.stderr
    for page in [site / "index.html", *sorted((site / "summaries").glob("*.html"))[:3]]:
        assert "koordinator for internasjonale menneskerettigheter" in page.read_text()
    from jinja2.sandbox import SandboxedEnvironment

    from hrcoord.render.env import environment

    assert isinstance(environment(str(root), "nb"), SandboxedEnvironment)


def test_a_summary_moving_in_the_order_splices_correctly(scratch_repo, tmp_path):
    """Changing a summary's date moves its entries in the JSON exports; the copied runs around
    it must still line up with a clean build."""
    site = tmp_path / "site"
    publish(scratch_repo, site)
    target = first_published(scratch_repo)
    text = target.read_text()
    import re

    moved = re.sub(r"^date: \d{4}-\d{2}-\d{2}$", "date: 2003-03-03", text, count=1, flags=re.M)
    target.write_text(re.sub(r"^ecli: .*\n", "", moved, count=1, flags=re.M))  # (its year would differ: invalid)
    rereview(scratch_repo, target)
    publish(scratch_repo, site)
    assert_same_as_a_clean_build(scratch_repo, site, tmp_path)
    import json

    ids = [s["id"] for s in json.loads((site / "summaries.json").read_text())["summaries"]]
    assert ids[-1] == target.stem  # the oldest now, so last in the newest-first export


def test_publish_with_nothing_published_yet(empty_repo, tmp_path):
    """A new repository whose only summary is a draft publishes an empty site with a valid feed."""
    import xml.etree.ElementTree as ET

    r = invoke(["--repo", empty_repo, "judgment", "add", "--title", "Nunez v. Norway", "--body", "ECtHR",
                "--doc-type", "judgment", "--reference", "55597/09", "--date", "2011-06-28",
                "--article", "ECHR 8", "--relevance", "expulsion"])
    assert r.exit_code == 0, r.stderr
    site = tmp_path / "site"
    publish(empty_repo, site)
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.find("{http://www.w3.org/2005/Atom}updated").text.startswith(TODAY)
    assert sorted(p.name for p in site.rglob("*.html") if p.parent.name == "summaries") == []


def test_files_that_cannot_appear_are_not_parsed_but_escapes_are_honoured(scratch_repo, tmp_path):
    """A summary whose front matter never says `published` cannot be on the site, so publish does
    not parse its YAML; a YAML escape that spells `published` is still read as such."""
    target = first_published(scratch_repo)
    text = target.read_text()
    escaped = target.with_name("escaped-v-norway.md")
    escaped.write_text(text.replace("status: published", 'status: "\\x70ublished"', 1))
    draft = target.with_name("draft-v-norway.md")
    draft.write_text(text.replace("status: published", "status: draft", 1).replace("published:", "x_p:"))
    assert "published" not in draft.read_text().split("\n---\n", 1)[0]
    render._W.update(repo=Repository(scratch_repo), records={})
    found = dict(render.load_files([str(escaped), str(draft)]))
    rel = lambda p: p.relative_to(scratch_repo).as_posix()
    assert found[rel(escaped)]["appears"] is True and found[rel(escaped)]["status"] == "published"
    assert found[rel(draft)]["appears"] is False and rel(draft) not in render._W["records"]


def test_a_state_from_another_version_means_a_full_build_not_a_crash(scratch_repo, tmp_path):
    """The state file is read; if its layout is not this version's, the site is
    rebuilt whole (found when the state layout changed: the next publish exited 3)."""
    from hrcoord.core import cache

    site = tmp_path / "site"
    publish(scratch_repo, site)
    name = next(p.name for p in (scratch_repo / ".hrcoord/cache").glob("publish-*.msgpack"))
    saved = cache.read(scratch_repo / ".hrcoord/cache" / name)
    for odd in ({**saved, "state": b"not a pickle"}, {k: v for k, v in saved.items() if k != "state"},
                {**saved, "state": __import__("marshal").dumps(["a", "list"])}):
        cache.write(scratch_repo, name, odd)
        publish(scratch_repo, site)  # exit 0, asserted inside
    assert_same_as_a_clean_build(scratch_repo, site, tmp_path)


def test_a_large_site_gets_pagefind_indexes_by_years_and_reuses_the_unchanged(scratch_repo, tmp_path, monkeypatch):
    """Above SHARD_PAGES pages, Pagefind indexes by groups of years (its memory grows with the
    pages it holds); an incremental publish indexes again only the group whose pages changed."""
    import json
    import re

    from hrcoord.caselaw.portal import search

    monkeypatch.setattr(search, "SHARD_PAGES", 4)
    site = tmp_path / "site"
    publish(scratch_repo, site)
    folders = sorted(p.name for p in site.iterdir() if p.name.startswith("pagefind"))
    assert len(folders) >= 3 and "pagefind" in folders
    index = (site / "index.html").read_text()
    merged = re.search(r'data-merge="([^"]*)"', index).group(1).split()
    assert sorted(["pagefind", *merged]) == folders
    pages = {}
    for folder in folders:
        entry = json.loads((site / folder / "pagefind-entry.json").read_text())
        pages[folder] = entry["languages"]["nb"]["page_count"]
    assert sum(pages.values()) == len(list((site / "summaries").glob("*.html")))
    assert all(n <= 4 for n in pages.values()) or len(pages) == len(folders)
    # a reused file is a hard link to the old one, or (without hard links) a copy keeping its mtime
    inodes = {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    target = first_published(scratch_repo)
    target.write_text(target.read_text().replace("## Faktum", "Et nytt avsnitt.\n\n## Faktum", 1))
    rereview(scratch_repo, target)
    publish(scratch_repo, site)
    year = re.search(r"^date: (\d{4})", target.read_text(), re.M).group(1)
    again = {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    for folder in folders:
        files = [f for f in again if f.startswith(folder + "/")]
        same = all(inodes.get(f) == again[f] for f in files)
        lo, hi = (folder.split("-")[1:] + [None, None])[:2] if folder != "pagefind" else (None, None)
        holds_target = (lo <= year <= hi) if lo else year >= max(
            f.split("-")[2] for f in folders if f != "pagefind")
        assert same != holds_target, (folder, year)  # only the changed summary's index is new
    assert_same_as_a_clean_build(scratch_repo, site, tmp_path)
