"""`hrcoord publish`: the portal export (issue 3 items 5 and 6)."""
from __future__ import annotations

import datetime as dt
import html.parser
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, fodselsnummer, write
from conftest import git as _git

ATOM = "{http://www.w3.org/2005/Atom}"
MONTHS_NB = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
             "november", "desember"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


# --- helpers: what should be on the site, from the files -----------------------------------------

def front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8-sig")
    _, fm, body = text.split("---\n", 2)
    return yaml.load(fm, Loader=yaml.BaseLoader), body


def all_summaries(repo: Path) -> dict[str, tuple[dict, str, Path]]:
    out = {}
    for p in sorted((repo / "data" / "judgments").glob("*/*.md")):
        data, body = front_matter(p)
        out[p.stem] = (data, body, p)
    return out


def on_site(data: dict) -> bool:
    if data.get("access") == "internal":
        return False
    return data.get("status") == "published" or (data.get("status") == "withdrawn" and bool(data.get("published")))


def expected_ids(repo: Path) -> set[str]:
    return {jid for jid, (d, _, _) in all_summaries(repo).items() if on_site(d)}


class Items(html.parser.HTMLParser):
    """The data-id of every list item, and every href."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.classes: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "li" and "data-id" in a:
            self.ids.append(a["data-id"])
            self.classes[a["data-id"]] = a.get("class") or ""
        if "href" in a:
            self.hrefs.append(a["href"])


def parse(path: Path) -> Items:
    p = Items()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def publish(cli, repo: Path, out: Path, *extra) -> Path:
    r = cli(["--repo", repo, "publish", "--out", out, *extra])
    assert r.exit_code == 0, r.stderr
    return out


def site_files(out: Path) -> list[str]:
    """The site's own files (Pagefind's index under pagefind/ is binary; tested on its own)."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                  if p.is_file() and not p.relative_to(out).parts[0].startswith("pagefind"))




def set_field(path: Path, key: str, value: str) -> None:
    """Set one top-level front-matter field in place (kept simple: `key: value` on one line)."""
    _, fm, body = path.read_text(encoding="utf-8").split("---\n", 2)
    lines = [line for line in fm.splitlines() if not line.startswith(f"{key}:")]
    path.write_text("---\n" + "\n".join(lines + [f"{key}: {value}"]) + "\n---\n" + body, encoding="utf-8")


def latest_day(repo: Path) -> dt.date:
    """The latest day any summary names (judgment date, publication, review stamp)."""
    days = []
    for data, _, _ in all_summaries(repo).values():
        review = data.get("review") if isinstance(data.get("review"), dict) else {}
        days += [data.get("date"), data.get("published"), review.get("date")]
    return max(dt.date.fromisoformat(str(d)) for d in days if d)
def rereview(cli, repo: Path, jid: str) -> None:
    """Stamp the review again after an edit (publish refuses a published summary that changed)."""
    r = cli(["--repo", repo, "judgment", "review", jid, "--by", "Test"])
    assert r.exit_code == 0, r.stderr


def first_published(repo: Path) -> tuple[str, Path]:
    jid = sorted(expected_ids(repo))[0]
    return jid, all_summaries(repo)[jid][2]


# --- the site ------------------------------------------------------------------------------------

def test_publish_writes_the_site_with_exactly_the_published_public_summaries(cli, tmp_path):
    out = publish(cli, ROOT, tmp_path / "site")
    want = expected_ids(ROOT)
    assert want
    files = site_files(out)
    for name in ("index.html", "articles.html", "relevance.html", "feed.xml", "summaries.json",
                 "search-index.json", ".hrcoord-site"):
        assert name in files
    assert {f[len("summaries/"):-5] for f in files if f.startswith("summaries/")} == want
    index = parse(out / "index.html")
    assert sorted(index.ids) == sorted(want) and len(index.ids) == len(want)
    export = json.loads((out / "summaries.json").read_text(encoding="utf-8"))
    assert {s["id"] for s in export["summaries"]} == want
    search = json.loads((out / "search-index.json").read_text(encoding="utf-8"))
    assert {s["id"] for s in search} == want
    # nothing else: drafts, summaries in review or approved, internal ones never appear anywhere
    hidden = set(all_summaries(ROOT)) - want
    text = "\n".join((out / f).read_text(encoding="utf-8") for f in files)
    for jid in hidden:
        assert jid not in text, jid
    # meeting minutes never appear: no agenda numbers, no meeting pages
    assert not re.search(r"Sak \d+/\d\d", text)


def test_index_is_newest_first_and_every_link_resolves(cli, tmp_path):
    out = publish(cli, ROOT, tmp_path / "site")
    files = all_summaries(ROOT)
    ids = parse(out / "index.html").ids
    dates = [files[i][0]["date"] for i in ids]
    assert dates == sorted(dates, reverse=True)
    for page in ["index.html", "articles.html", "relevance.html",
                 *(f"summaries/{i}.html" for i in ids)]:
        for href in parse(out / page).hrefs:
            if href.startswith(("http://", "https://", "data:")):
                continue
            target, _, frag = href.partition("#")
            path = (out / page).parent / target if target else out / page
            assert path.resolve().is_file(), f"{page}: {href}"
            if frag:
                assert f'id="{frag}"' in path.read_text(encoding="utf-8"), f"{page}: {href}"


def test_indexes_by_article_and_by_relevance(cli, tmp_path):
    out = publish(cli, ROOT, tmp_path / "site")
    files = all_summaries(ROOT)
    want = expected_ids(ROOT)
    articles = (out / "articles.html").read_text(encoding="utf-8")
    relevance = (out / "relevance.html").read_text(encoding="utf-8")
    for jid in want:
        data = files[jid][0]
        for a in data["articles"] if isinstance(data["articles"], list) else [data["articles"]]:
            conv, art = a.split(" ", 1)
            anchor = re.sub(r"[^a-z0-9-]", "-", f"{conv}-{art}".lower())
            section = articles.split(f'id="{anchor}"', 1)[1].split("<h3", 1)[0]
            assert f'data-id="{jid}"' in section, (jid, a)
        for slug in data["relevance"] if isinstance(data["relevance"], list) else [data["relevance"]]:
            section = relevance.split(f'<section id="{slug}">', 1)[1].split("</section>", 1)[0]
            assert f'data-id="{jid}"' in section, (jid, slug)
    assert "EMK artikkel 8" in articles  # labels in the repository's language


def test_pages_show_metadata_sections_source_and_norwegian_dates(cli, tmp_path):
    out = publish(cli, ROOT, tmp_path / "site")
    for jid in expected_ids(ROOT):
        data, body, _ = all_summaries(ROOT)[jid]
        page = (out / "summaries" / f"{jid}.html").read_text(encoding="utf-8")
        d = dt.date.fromisoformat(data["date"])
        assert f"{d.day}. {MONTHS_NB[d.month - 1]} {d.year}" in page
        assert '<html lang="nb">' in page
        assert re.search(r'<h2 lang="nb"[^>]*>Sammendrag</h2>', page)
        if data.get("source_url"):
            assert f'href="{data["source_url"].replace("&", "&amp;")}"' in page
        refs = data["reference"] if isinstance(data["reference"], list) else [data["reference"]]
        assert ", ".join(refs) in page
        first_words = " ".join(body.split("## Sammendrag", 1)[1].split()[:4])
        assert first_words.replace("«", "«") in " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_english_with_lang_en(cli, tmp_path):
    out = publish(cli, ROOT, tmp_path / "site", "--lang", "en")
    jid = sorted(expected_ids(ROOT))[0]
    data = all_summaries(ROOT)[jid][0]
    page = (out / "summaries" / f"{jid}.html").read_text(encoding="utf-8")
    d = dt.date.fromisoformat(data["date"])
    assert f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}" in page
    assert '<html lang="en">' in page and re.search(r'<h2 lang="en"[^>]*>Summary</h2>', page)
    assert "All summaries" in (out / "index.html").read_text(encoding="utf-8")
    feed = ET.parse(out / "feed.xml").getroot()
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_feed_parses_as_atom(cli, tmp_path):
    out = publish(cli, ROOT, tmp_path / "site")
    root = ET.parse(out / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{tag}") is not None, tag
    assert RFC3339.match(root.findtext(f"{ATOM}updated"))
    assert root.find(f"{ATOM}author/{ATOM}name").text
    entries = root.findall(f"{ATOM}entry")
    want = expected_ids(ROOT)
    assert entries and len(entries) >= len(want)  # at least one "new" entry per summary on the site
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    updated = []
    for e in entries:
        for tag in ("id", "title", "updated"):
            assert e.findtext(f"{ATOM}{tag}"), tag
        assert RFC3339.match(e.findtext(f"{ATOM}updated"))
        updated.append(e.findtext(f"{ATOM}updated"))
        link = e.find(f"{ATOM}link[@rel='alternate']")
        page = re.search(r"summaries/([a-z0-9-]+)\.html$", link.get("href")).group(1)
        assert page in want
        content = e.find(f"{ATOM}content")
        assert content.get("type") == "html" and content.text.startswith("<p>")
    assert updated == sorted(updated, reverse=True)
    assert root.findtext(f"{ATOM}updated") == updated[0]
    new_titles = {e.findtext(f"{ATOM}title") for e in entries}
    for jid in want:
        assert f"Ny: {all_summaries(ROOT)[jid][0]['title']}" in new_titles


def test_feed_without_git_shows_a_later_review_as_a_change(cli, scratch_repo, tmp_path):
    _, path = first_published(scratch_repo)
    data = front_matter(path)[0]
    text = path.read_text(encoding="utf-8")
    later = (dt.date.fromisoformat(data["published"]) + dt.timedelta(days=400)).isoformat()
    if "review:" in text:
        text = re.sub(r"(review:\n  by: .*\n  date: )\S+", rf"\g<1>{later}", text)
    else:
        text = text.replace(f"published: {data['published']}\n",
                            f"published: {data['published']}\nreview:\n  by: K\n  date: {later}\n"
                            f"  digest: sha256:{'0' * 32}\n")
    path.write_text(text, encoding="utf-8")
    out = publish(cli, scratch_repo, tmp_path / "site")
    root = ET.parse(out / "feed.xml").getroot()
    changed = [e for e in root.findall(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == f"Endret: {data['title']}"]
    assert len(changed) == 1
    assert changed[0].findtext(f"{ATOM}updated").startswith(later)




def test_feed_from_git_history(cli, scratch_repo, tmp_path):
    pytest.importorskip("hrcoord.review.changes", reason="hrcoord.review.changes (git history) is not in this checkout")
    jid, path = first_published(scratch_repo)
    title = front_matter(path)[0]["title"]
    _git(scratch_repo, "init", "-q")
    _git(scratch_repo, "add", "-A")
    _git(scratch_repo, "commit", "-q", "-m", "start", date="2015-01-05")
    path.write_text(path.read_text(encoding="utf-8").replace("## Sammendrag\n\n", "## Sammendrag\n\nOppdatert. ", 1),
                    encoding="utf-8")
    rereview(cli, scratch_repo, jid)
    # after every day the data names (publications, review stamps), so that the edit is the newest entry
    edited, withdrawn = (latest_day(scratch_repo) + dt.timedelta(days=n) for n in (1, 2))
    _git(scratch_repo, "commit", "-q", "-am", "edit", date=edited.isoformat())
    out = publish(cli, scratch_repo, tmp_path / "site")
    root = ET.parse(out / "feed.xml").getroot()
    changed = [e for e in root.findall(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == f"Endret: {title}"]
    assert len(changed) == 1, [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert changed[0].findtext(f"{ATOM}updated").startswith(edited.isoformat())
    assert "tekst" in changed[0].findtext(f"{ATOM}summary") or "text" in changed[0].findtext(f"{ATOM}summary")
    assert root.findall(f"{ATOM}entry")[0] is changed[0]  # the newest first

    # a withdrawal is announced with its replacement
    old_id, new_id = sorted(expected_ids(scratch_repo))[1:3]
    r = cli(["--repo", scratch_repo, "judgment", "status", old_id, "withdrawn", "--replaced-by", new_id])
    assert r.exit_code == 0, r.stderr
    _git(scratch_repo, "commit", "-q", "-am", "withdraw", date=withdrawn.isoformat())
    out = publish(cli, scratch_repo, tmp_path / "site")
    first = ET.parse(out / "feed.xml").getroot().findall(f"{ATOM}entry")[0]
    files = all_summaries(scratch_repo)
    assert first.findtext(f"{ATOM}title") == f"Opphevet: {files[old_id][0]['title']}"
    assert first.findtext(f"{ATOM}updated").startswith(withdrawn.isoformat())
    assert f"erstattes av {files[new_id][0]['title']}" in first.findtext(f"{ATOM}summary")


def test_json_export_holds_the_public_fields_and_text(cli, tmp_path):
    today = dt.date.today().isoformat()  # (the data holds reviews up to today)
    out = publish(cli, ROOT, tmp_path / "site", "--today", today)
    export = json.loads((out / "summaries.json").read_text(encoding="utf-8"))
    assert export["generated"] == today and export["lang"] == "nb"
    files = all_summaries(ROOT)
    for s in export["summaries"]:
        data, body, _ = files[s["id"]]
        assert s["title"] == data["title"] and s["date"] == data["date"] and s["status"] == data["status"]
        assert s["url"] == f"summaries/{s['id']}.html"
        assert isinstance(s["reference"], list) and isinstance(s["articles"], list)
        assert "review" not in s and "access" not in s
        names = [sec["name"] for sec in s["sections"]]
        assert "Sammendrag" in names
        summary = next(sec for sec in s["sections"] if sec["name"] == "Sammendrag")
        assert summary["markdown"] == body.split("## Sammendrag", 1)[1].split("\n## ", 1)[0].strip()


# --- safety --------------------------------------------------------------------------------------

def test_script_in_a_summary_is_escaped_or_left_out(cli, scratch_repo, tmp_path):
    jid, path = first_published(scratch_repo)
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^title: .*$", 'title: "X <script>alert(1)</script> v. Norway"', text, count=1, flags=re.M)
    text = text.replace("## Sammendrag\n", "## Sammendrag\n\n<script>alert(1)</script>\n\n"
                        "Tekst med <b>fet</b> markering.\n\n"
                        "[lenke](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) "
                        "![bilde](data:image/png;base64,iVBORw0KGgo=) [v](VBScript:x)\n", 1)
    path.write_text(text, encoding="utf-8")
    rereview(cli, scratch_repo, jid)
    out = publish(cli, scratch_repo, tmp_path / "site")
    page = (out / "summaries" / f"{jid}.html").read_text(encoding="utf-8")
    # the title is escaped; raw HTML in the text is left out (its words stay), unsafe targets dropped
    assert "<h1>X &lt;script&gt;alert(1)&lt;/script&gt; v. Norway</h1>" in page
    assert "<!-- raw HTML omitted -->" in page and "<b>" not in page and "Tekst med " in page
    main = page.split("<main", 1)[1]  # (the page head has the site's own `data:,` icon)
    assert "alert(1)</script>" not in main
    for attr in ("href", "src"):
        for scheme in ("javascript:", "data:", "vbscript:"):
            assert not re.search(rf'{attr}="\s*{scheme}', main, re.I), (attr, scheme)
    r = cli(["--repo", scratch_repo, "validate"])
    assert f"{path.relative_to(scratch_repo).as_posix()}:" in r.stdout + r.stderr
    assert "HR304" in r.stdout + r.stderr
    for f in site_files(out):
        content = (out / f).read_text(encoding="utf-8")
        if f.endswith((".html", ".xml")):
            assert "<script>alert" not in content, f
    # the search data inside index.html cannot close its <script> element
    index = (out / "index.html").read_text(encoding="utf-8")
    data = index.split('<script type="application/json" id="search-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data
    assert any("<script>alert(1)</script>" in e["title"] for e in json.loads(data))
    feed = ET.parse(out / "feed.xml").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert "Ny: X <script>alert(1)</script> v. Norway" in titles


def test_a_fodselsnummer_makes_publish_refuse_naming_the_line_writing_nothing(cli, scratch_repo, tmp_path):
    from hrcoord.core.checks.privacy import is_fodselsnummer

    number = fodselsnummer()
    assert is_fodselsnummer(number)
    _, path = first_published(scratch_repo)
    lines = path.read_text(encoding="utf-8").split("\n")
    at = lines.index("## Sammendrag") + 2
    lines.insert(at, f"Klageren (fnr. {number}) ble utvist.")
    path.write_text("\n".join(lines), encoding="utf-8")
    rel = path.relative_to(scratch_repo).as_posix()
    out = tmp_path / "site"
    r = cli(["--repo", scratch_repo, "publish", "--out", out])
    assert r.exit_code == 1
    assert re.search(rf"^{re.escape(rel)}:{at + 1}:\d+: error HR301 ", r.stderr, re.M), r.stderr
    assert number not in r.stderr  # the message does not repeat the number
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["repo"]  # no temporary folder left behind


def test_a_refused_publish_leaves_the_previous_site_as_it_was(cli, scratch_repo, tmp_path):
    out = publish(cli, scratch_repo, tmp_path / "site")
    before = {f: (out / f).read_bytes() for f in site_files(out)}
    _, path = first_published(scratch_repo)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## Sammendrag\n", "## Sammendrag\n\nKontakt saksbehandler@udi.no.\n", 1),
                    encoding="utf-8")
    r = cli(["--repo", scratch_repo, "publish", "--out", out])
    assert r.exit_code == 1 and "HR301" in r.stderr and "e-mail" in r.stderr
    assert {f: (out / f).read_bytes() for f in site_files(out)} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo", "site"]


def test_personal_data_in_front_matter_is_found_with_its_line(cli, scratch_repo, tmp_path):
    _, path = first_published(scratch_repo)
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[at] = 'title: "Ring 22 33 44 55 v. Norway"'
    path.write_text("\n".join(lines), encoding="utf-8")
    r = cli(["--repo", scratch_repo, "publish", "--out", tmp_path / "site"])
    assert r.exit_code == 1
    assert f"{path.relative_to(scratch_repo).as_posix()}:{at + 1}:" in r.stderr and "phone" in r.stderr
    assert not (tmp_path / "site").exists()


def test_numbers_that_are_not_personal_data_and_unpublished_text_do_not_block(cli, scratch_repo, tmp_path):
    number = fodselsnummer()
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)  # the second control digit is wrong
    jid, path = first_published(scratch_repo)
    path.write_text(path.read_text(encoding="utf-8").replace("## Sammendrag\n", f"## Sammendrag\n\nNr. {wrong}.\n", 1),
                    encoding="utf-8")
    rereview(cli, scratch_repo, jid)
    # a real number in a summary that is never published (internal, or a draft) does not block
    for data, _, p in all_summaries(scratch_repo).values():
        if not on_site(data):
            p.write_text(p.read_text(encoding="utf-8") + f"\nIntern merknad: {number}\n", encoding="utf-8")
    r = cli(["--repo", scratch_repo, "publish", "--out", tmp_path / "site"])
    assert r.exit_code == 0, r.stderr


def test_withdrawn_summary_shows_the_notice_and_links_the_replacement(cli, scratch_repo, tmp_path):
    ids = sorted(expected_ids(scratch_repo))
    old, new = ids[0], ids[1]
    r = cli(["--repo", scratch_repo, "judgment", "status", old, "withdrawn", "--replaced-by", new])
    assert r.exit_code == 0, r.stderr
    out = publish(cli, scratch_repo, tmp_path / "site")
    page = (out / "summaries" / f"{old}.html").read_text(encoding="utf-8")
    new_title = all_summaries(scratch_repo)[new][0]["title"]
    notice = re.search(r'<p class="notice withdrawn"[^>]*>(.*?)</p>', page, re.S).group(1)
    assert "Opphevet — erstattes av" in notice
    assert f'<a href="{new}.html">{new_title}</a>' in notice.replace("&#39;", "'")
    index = parse(out / "index.html")
    assert old in index.ids and "withdrawn" in index.classes[old]
    export = {s["id"]: s for s in json.loads((out / "summaries.json").read_text(encoding="utf-8"))["summaries"]}
    assert export[old]["status"] == "withdrawn" and export[old]["replaced_by"] == new


def test_withdrawn_before_publication_never_appears(cli, scratch_repo, tmp_path):
    drafts = [jid for jid, (d, _, _) in all_summaries(scratch_repo).items() if d["status"] == "draft"]
    if not drafts:
        pytest.skip("data/ has no draft summary")
    r = cli(["--repo", scratch_repo, "judgment", "status", drafts[0], "withdrawn", "--reason", "feil"])
    assert r.exit_code == 0, r.stderr
    out = publish(cli, scratch_repo, tmp_path / "site")
    assert drafts[0] not in parse(out / "index.html").ids
    assert not (out / "summaries" / f"{drafts[0]}.html").exists()


def test_republish_replaces_the_old_site(cli, scratch_repo, tmp_path):
    out = publish(cli, scratch_repo, tmp_path / "site")
    jid, path = first_published(scratch_repo)
    set_field(path, "access", "internal")
    assert (out / "summaries" / f"{jid}.html").exists()
    publish(cli, scratch_repo, out)
    assert not (out / "summaries" / f"{jid}.html").exists()
    assert jid not in parse(out / "index.html").ids
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo", "site"]


def test_refuses_a_folder_it_did_not_write(cli, tmp_path):
    out = tmp_path / "mine"
    write(out / "notes.txt", "keep me")
    r = cli(["--repo", ROOT, "publish", "--out", out])
    assert r.exit_code == 2 and "not written by hrcoord publish" in r.stderr
    assert site_files(out) == ["notes.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli(["--repo", ROOT, "publish", "--out", empty]).exit_code == 0
    assert (empty / "index.html").exists()


def test_dry_run_writes_nothing(cli, tmp_path):
    r = cli(["--repo", ROOT, "publish", "--out", tmp_path / "site", "--dry-run"])
    assert r.exit_code == 0 and "would publish" in r.stderr
    assert not (tmp_path / "site").exists()


def test_a_repository_template_overrides_and_is_sandboxed(cli, scratch_repo, tmp_path):
    write(scratch_repo / "templates" / "portal" / "summary.html.j2",
          '{% extends "portal/base.html.j2" %}{% block content %}<h1 class="own">{{ s.title }}</h1>'
          "{% endblock %}\n")
    out = publish(cli, scratch_repo, tmp_path / "site")
    jid = sorted(expected_ids(scratch_repo))[0]
    assert '<h1 class="own">' in (out / "summaries" / f"{jid}.html").read_text(encoding="utf-8")
    write(scratch_repo / "templates" / "portal" / "summary.html.j2",
          "{{ s.title.__class__.__mro__[1].__subclasses__() }}\n")
    from hrcoord.render.env import environment

    environment.cache_clear()
    r = cli(["--repo", scratch_repo, "publish", "--out", tmp_path / "site2"])
    assert r.exit_code == 1 and "sandbox" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "site2").exists()


def test_render_summary_is_a_pure_function_of_plain_data(tmp_path):
    """Pages are rendered one call per summary from picklable data (for a process pool later)."""
    import pickle

    from hrcoord.caselaw.portal import appears, publish, render, views
    from hrcoord.core.repo import Repository

    repo = Repository(ROOT)
    recs = appears.site_records(repo)
    voc = views.vocab(repo, "nb")
    made = [views.make_view(r, voc, {x.id: x.get("title") for x in recs}) for r in recs]
    site = render.site_context(str(ROOT), "nb", repo.settings["organisation"], publish.ACCESSIBILITY_DEFAULT)
    v = pickle.loads(pickle.dumps(made[0]))
    s = pickle.loads(pickle.dumps(site))
    assert render.render_summary(str(ROOT), "nb", v, s) == render.render_summary(str(ROOT), "nb", made[0], site)
    files = publish.build(repo, today=dt.date(2015, 1, 1)).files
    assert files[f"summaries/{made[0]['id']}.html"] == render.render_summary(str(ROOT), "nb", made[0], site)


def test_templates_read_dict_keys_first_and_still_reach_dict_methods(tmp_path):
    """`v.title` on the portal's plain-dict views is a key lookup (fast path); a method such as
    `.items()` is still found when no key has its name; the sandbox still refuses internals."""
    from hrcoord.render.env import environment

    env = environment(None, "nb")
    t = env.from_string("{{ v.title }}|{% for k, n in v.counts.items() %}{{ k }}={{ n }}{% endfor %}|"
                        "{{ v.get('x', 'd') }}")
    assert t.render(v={"title": "T", "counts": {"a": 1}}) == "T|a=1|d"
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "x.j2").write_text("{{ v.__class__ }}")
    sandboxed = environment(str(tmp_path), "nb")
    import jinja2

    with pytest.raises(jinja2.exceptions.SecurityError):
        sandboxed.from_string("{{ v.__class__.__mro__ }}").render(v={"a": 1})
    assert sandboxed.from_string("{{ v.a }}").render(v={"a": 1}) == "1"


# --- search and the footer ------------------------------------------------------------------------

class Indexed(html.parser.HTMLParser):
    """The text Pagefind indexes: inside data-pagefind-body, outside every data-pagefind-ignore."""

    VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "wbr"})

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[bool, bool]] = []  # (in body, ignored) per open element
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        body, ignored = self.stack[-1] if self.stack else (False, False)
        state = (body or "data-pagefind-body" in a, ignored or "data-pagefind-ignore" in a)
        if tag not in self.VOID:
            self.stack.append(state)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == (True, False):
            self.text.append(data)


def words_of(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def test_the_page_marks_for_pagefind_exactly_the_indexed_fields(cli, tmp_path):
    """search.indexed_fields is the one list of what is searchable; the page template marks the
    same for Pagefind (the inline fallback index is made from it too)."""
    from hrcoord.caselaw.portal import appears, search, views
    from hrcoord.core.repo import Repository

    out = publish(cli, ROOT, tmp_path / "site")
    repo = Repository(ROOT)
    recs = appears.site_records(repo)
    voc = views.vocab(repo, "nb")
    on_site = {r.id: str(r.get("title")) for r in recs}
    for rec in recs:
        view = views.make_view(rec, voc, on_site)
        fields = search.indexed_fields(view)
        assert set(fields) == set(search.INDEXED)
        parser = Indexed()
        parser.feed((out / view["url"]).read_text(encoding="utf-8"))
        assert words_of(" ".join(parser.text)) == words_of(" ".join(fields.values())), rec.id
    # what `judgment list --text` matches is searchable: title, case numbers, ECLI, text
    assert {"title", "references", "ecli", "text"} <= set(search.INDEXED)


def test_the_accessibility_statement_is_linked_from_every_page_and_configurable(cli, scratch_repo, tmp_path):
    settings = scratch_repo / "hrcoord.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "accessibility_url: https://www.udi.no/tilgjengelighet\n",
                        encoding="utf-8")
    assert cli(["--repo", scratch_repo, "validate"]).exit_code == 0
    out = publish(cli, scratch_repo, tmp_path / "site")
    for page in ["index.html", "articles.html", "relevance.html", *site_files(out)]:
        if page.endswith(".html"):
            text = (out / page).read_text(encoding="utf-8")
            footer = text.split("<footer", 1)[1]
            link = '<a class="ds-link" href="https://www.udi.no/tilgjengelighet">Tilgjengelighetserklæring</a>'
            assert link in footer


def test_a_dry_run_writes_nothing_anywhere(cli, scratch_repo, tmp_path):
    """Not the site, and not the repository's caches either (the validation runs uncached)."""
    r = cli(["--repo", scratch_repo, "publish", "--out", tmp_path / "site", "--dry-run"])
    assert r.exit_code == 0 and "would publish" in r.stderr, r.stderr
    assert not (tmp_path / "site").exists() and not (scratch_repo / ".hrcoord").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo"]


def test_without_pagefind_publish_says_so_and_the_site_keeps_its_lists(cli, scratch_repo, tmp_path, monkeypatch):
    from hrcoord.caselaw.portal import search

    monkeypatch.setattr(search, "available", lambda: False)
    r = cli(["--repo", scratch_repo, "publish", "--out", tmp_path / "site"])
    assert r.exit_code == 0 and "Pagefind is not installed" in r.stderr, r.stderr
    out = tmp_path / "site"
    assert not any(p.name.startswith("pagefind") for p in out.iterdir())
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'data-pagefind=""' in index and 'id="search-data"' in index  # the inline fallback instead
    assert sorted(parse(out / "index.html").ids) == sorted(expected_ids(scratch_repo))
