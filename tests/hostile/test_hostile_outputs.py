"""Issue 18, second finding: outputs that were not escaped for their reader — the HTML digest
linked `javascript:` and `data:` URLs and had no CSP, `summaries.json` carried them raw, Markdown
outputs passed `<img onerror>` and `](javascript:…)`, and `diff --format md` pinged `@all`."""
from __future__ import annotations

import base64
import hashlib
import html.parser
import json
import re
from pathlib import Path

import pytest

from conftest import commit, judgment_path, restamp
from hrcoord.render.safe import md_body, md_literal, md_text, safe_url

HOSTILE_BODY = """<img src=x onerror=alert(1)>

Se [avgjørelsen](javascript:alert(1)) og ![bilde](data:image/svg+xml;base64,PHN2Zz4=).
Eller <javascript:alert(2)> og [lenke][ref] og [trygg](https://hudoc.echr.coe.int/eng?i=001-105264).

[ref]: javascript:alert(3)
"""
FOREIGN = """foreign_practice:
- country: SE
  note: Svensk praksis.
  source: javascript:alert(4)
- country: DK
  note: Dansk praksis.
  source: data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==
- country: FI
  note: Finsk praksis.
  source: https://example.org/fi
- country: NL
  note: Nederlandsk praksis.
  source: Raad van State, uitspraak 2019
"""


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []
        self.handlers: list[str] = []  # on… attributes
        self.meta: dict[str, str] = {}
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        self.urls += [v for k, v in attrs if k in ("href", "src") and v is not None]
        self.handlers += [k for k, _ in attrs if k.startswith("on")]
        if tag == "meta" and a.get("http-equiv"):
            self.meta[a["http-equiv"].lower()] = a.get("content") or ""
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data


def parsed(page: str) -> Links:
    p = Links()
    p.feed(page)
    return p


def unsafe_targets(urls) -> list[str]:
    return [u for u in urls if re.match(r"^\s*(javascript|data|vbscript):", u, re.I)]


def as_html_permissively(markdown: str) -> str:
    """What a renderer that lets raw HTML through makes of a Markdown output (the worst reader)."""
    import cmarkgfm
    from cmarkgfm.cmark import Options

    return cmarkgfm.cmark.markdown_to_html_with_extensions(markdown, options=Options.CMARK_OPT_UNSAFE,
                                                           extensions=["table", "autolink"])


def hostile_summary(repo: Path, *, bad_source_url: bool = False) -> Path:
    """The first published summary, given a hostile body and foreign practice (free text, which
    validates: the outputs must make it harmless), reviewed as it now reads; with
    `bad_source_url` also a `javascript:` source_url, which validate refuses."""
    path = next(p for p in sorted((repo / "data" / "judgments").glob("*/*.md"))
                if re.search(r"^status: published$", p.read_text(encoding="utf-8"), re.M)
                and "access: internal" not in p.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^source_url: .*\n", "", text)
    text = re.sub(r"(?ms)^foreign_practice:\n(?:[- ] .*\n)*", "", text)
    url = "source_url: javascript:alert(0)\n" if bad_source_url else ""
    text = text.replace("\n---\n", "\n" + url + FOREIGN + "---\n", 1)
    text = text.replace("## Sammendrag\n", "## Sammendrag\n\n" + HOSTILE_BODY, 1)
    path.write_text(text, encoding="utf-8")
    restamp(path)
    return path


# --- the HTML digest -----------------------------------------------------------------------------

def test_digest_html_links_no_javascript_or_data_urls(cli, scratch_repo):
    hostile_summary(scratch_repo)
    r = cli(["--repo", scratch_repo, "judgment", "digest", "--since", "1990-01-01", "--format", "html"])
    assert r.exit_code == 0, r.stderr
    page = parsed(r.stdout)
    assert page.handlers == [] and "script" not in page.tags  # the <img onerror> is left out
    assert page.urls and unsafe_targets(page.urls) == []
    assert "https://hudoc.echr.coe.int/eng?i=001-105264" in page.urls  # a safe link stays


def test_digest_html_has_a_content_security_policy_allowing_only_its_style(cli, scratch_repo):
    r = cli(["--repo", scratch_repo, "judgment", "digest", "--since", "1990-01-01", "--format", "html"])
    page = parsed(r.stdout)
    csp = page.meta["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    digest = "'sha256-" + base64.b64encode(hashlib.sha256(page.style.encode("utf-8")).digest()).decode() + "'"
    assert f"style-src {digest}" in csp and page.style.strip()


# --- summaries.json and the page ------------------------------------------------------------------

def test_a_javascript_source_url_makes_publish_refuse(cli, scratch_repo, tmp_path):
    path = hostile_summary(scratch_repo, bad_source_url=True)
    r = cli(["--repo", scratch_repo, "publish", "--out", tmp_path / "site"])
    assert r.exit_code == 1 and "HR112" in r.stderr and path.name in r.stderr
    assert not (tmp_path / "site").exists()


def test_summaries_json_and_the_page_carry_only_safe_links(cli, scratch_repo, tmp_path):
    path = hostile_summary(scratch_repo)
    r = cli(["--repo", scratch_repo, "publish", "--out", tmp_path / "site"])
    assert r.exit_code == 0, r.stderr
    data = json.loads((tmp_path / "site" / "summaries.json").read_text(encoding="utf-8"))
    entry = next(e for e in data["summaries"] if e["id"] == path.stem)
    assert "source_url" not in entry
    sources = {fp["country"]: fp.get("source") for fp in entry["foreign_practice"]}
    assert sources == {"SE": None, "DK": None, "FI": "https://example.org/fi", "NL": "Raad van State, uitspraak 2019"}
    assert "javascript:" not in json.dumps({k: v for k, v in entry.items() if k != "sections"})
    page_text = (tmp_path / "site" / "summaries" / f"{path.stem}.html").read_text(encoding="utf-8")
    page = parsed(page_text)
    # (the page frame's own favicon is the empty `data:,`)
    assert unsafe_targets(u for u in page.urls if u != "data:,") == [] and "https://example.org/fi" in page.urls
    assert "Raad van State, uitspraak 2019" in page_text and "alert(4)" not in page_text


# --- Markdown outputs ----------------------------------------------------------------------------

def test_judgment_list_md_passes_no_raw_html_or_javascript_links(cli, scratch_repo):
    path = hostile_summary(scratch_repo)
    text = path.read_text(encoding="utf-8")
    title = re.search(r"(?m)^title: (.*)$", text).group(1)
    path.write_text(text.replace(f"title: {title}", "title: '<img src=x onerror=alert(1)> [klikk](javascript:alert(1)) "
                                 "&#106;avascript'", 1), encoding="utf-8")
    r = cli(["--repo", scratch_repo, "judgment", "list", "--format", "md"])
    assert r.exit_code == 0, r.stderr
    rendered = parsed(as_html_permissively(r.stdout))
    assert "img" not in rendered.tags and unsafe_targets(rendered.urls) == [] and "a" not in rendered.tags
    assert "<img src=x onerror=alert(1)>" in html.unescape(as_html_permissively(r.stdout))  # shown as text
    assert "&#106;avascript" in html.unescape(as_html_permissively(r.stdout))  # the entity not decoded


def test_digest_md_passes_no_raw_html_or_javascript_links(cli, scratch_repo):
    hostile_summary(scratch_repo)
    r = cli(["--repo", scratch_repo, "judgment", "digest", "--since", "1990-01-01", "--format", "md"])
    assert r.exit_code == 0, r.stderr
    rendered = parsed(as_html_permissively(r.stdout))
    assert "img" not in rendered.tags
    assert unsafe_targets(rendered.urls) == []
    assert "https://hudoc.echr.coe.int/eng?i=001-105264" in rendered.urls  # formatting and safe links stay
    assert "javascript:alert(0)" not in r.stdout  # the source_url is not linked


def test_report_md_escapes_raw_html_in_record_text(cli, scratch_repo):
    measure = next((scratch_repo / "data" / "measures").glob("*/*.yaml"))
    text = measure.read_text(encoding="utf-8")
    title = re.search(r"(?m)^title: (.*)$", text).group(1)
    measure.write_text(text.replace(f"title: {title}", "title: '<img src=x onerror=alert(1)>[x](javascript:alert(1))'"),
                       encoding="utf-8")
    r = cli(["--repo", scratch_repo, "report", "action-plan", "--year", "2014", "--format", "md"])
    assert r.exit_code == 0, r.stderr
    assert "onerror" in r.stdout  # the measure is in the report …
    rendered = parsed(as_html_permissively(r.stdout))
    assert "img" not in rendered.tags and unsafe_targets(rendered.urls) == []  # … as text


def test_diff_md_neutralises_mentions(cli, history_repo):
    root, _ = history_repo
    path = judgment_path(root, "alpha-v-norway-2013", "2013")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: Alpha v. Norway", "title: Alpha v. Norway @all")
                    .replace("landrapporter.", "landrapporter. @here se <img src=x onerror=alert(1)>"),
                    encoding="utf-8")
    r = cli(["--repo", root, "diff", "--format", "md"])
    assert r.exit_code == 0, r.stderr
    assert "@all" not in r.stdout and "@here" not in r.stdout
    assert "@\u200ball" in r.stdout and "@\u200bhere" in r.stdout
    assert "img" not in parsed(as_html_permissively(r.stdout)).tags


def test_changes_md_neutralises_mentions_and_markup(cli, history_repo):
    root, shas = history_repo
    path = judgment_path(root, "gamma-v-norway-2013", "2013")
    path.write_text(path.read_text(encoding="utf-8").replace("title: Gamma v. Norway",
                                                             "title: Gamma @all <img src=x onerror=alert(1)>"),
                    encoding="utf-8")
    commit(root, "Gamma: title", "2014-03-06T12:00:00+01:00")
    r = cli(["--repo", root, "changes", "--since", shas[0]])
    assert r.exit_code == 0, r.stderr
    assert "Gamma @\u200ball" in r.stdout and "@all" not in r.stdout
    assert "img" not in parsed(as_html_permissively(r.stdout)).tags


# --- the helpers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " https://example.org", "data:,x",
                                 "https://exa mple.org", "https://example.org/\x00", "https://example.org/\u202e",
                                 "https:///x", "http:", "//example.org", "https://example.org/\"onmouseover=x",
                                 "vbscript:x", "file:///etc/passwd", "https://example.org/\u00a0", ""])
def test_the_url_filter_refuses(url):
    assert safe_url(url) == ""


@pytest.mark.parametrize("url", ["https://hudoc.echr.coe.int/eng?i=001-105264", "HTTP://EXAMPLE.ORG/",
                                 "https://hudoc.echr.coe.int/eng#{%22appno%22:[%2243611/11%22]}"])
def test_the_url_filter_keeps_http_links(url):
    assert safe_url(url) == url


def test_markdown_helpers_keep_text_readable():
    assert md_text("a | b <c> [d](e) &amp; & co") == "a \\| b &lt;c&gt; \\[d\\](e) &amp;amp; & co"
    assert md_literal("@all and ola@udi.no") == "@\u200ball and ola@udi.no"
    body = "## Heading\n\n*Emphasis* and [a link](https://example.org).\n\n```\n<kept in code>\n```\n"
    assert md_body(body) == body
    assert md_body("\\\\<img src=x>") == "\\\\&lt;img src=x>"  # an escaped backslash does not escape the <
    assert md_body("\\<b>") == "&lt;b>"  # cmark-gfm's autolink extension can split a backslash off
    assert md_body("[x]: javascript:y") == "[x\\]: javascript:y"


@pytest.mark.parametrize("text", ["https://ok.example/\\<img src=x onerror=alert(1)>",
                                  "www.ok.example\\<img src=x onerror=alert(1)>",
                                  "\\\\<script>alert(1)</script>", "[x](\njavascript:alert(1))",
                                  "[r]:\n  <javascript:alert(1)>\n\n[go][r]", "<JAVASCRIPT:alert(1)>",
                                  "![i](data:image/svg+xml,<svg onload=alert(1)>)", "<!-- x --><?php ?>"])
@pytest.mark.parametrize("helper", [md_body, md_text, md_literal])
def test_markdown_helpers_leave_no_markup_or_script_links_even_for_a_permissive_renderer(helper, text):
    rendered = parsed(as_html_permissively(helper(text)))
    assert rendered.handlers == [] and {"img", "script", "svg"}.isdisjoint(rendered.tags)
    assert unsafe_targets(rendered.urls) == []
