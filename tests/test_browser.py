"""The published portal in a real browser: headless Chromium driven over the DevTools protocol.

The site is published from the embedded repository (and from a scratch copy with hostile text),
served over HTTP on 127.0.0.1, and opened in Chromium. Checked: the index lists exactly the
published summaries; Pagefind finds a summary by a word of its text, with a filter applied, and
the count line agrees with the list shown; opened from file:// the inline fallback works (or says
why not); pages log no console errors or exceptions; markup in a summary never runs.

Accessibility (WCAG 2.1 AA, SPEC §7) is in tests/test_accessibility.py, with the same driver.
Skips only when Chromium is not installed (`.ci/run` installs Debian's `chromium`).
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import json
import re
import shutil
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium")
                 if p and Path(p).exists()), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")

WAIT = 30  # seconds: a deadline for the browser to get somewhere, never a timing assertion


# --- a small DevTools-protocol driver -----------------------------------------------------------

class Browser:
    def __init__(self, profile: Path):
        self.profile = profile
        self.log = open(profile.parent / "chromium.log", "wb")  # noqa: SIM115 — closed in close()
        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-extensions", "--no-proxy-server", "--remote-allow-origins=*",
             f"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank"],
            stdout=self.log, stderr=subprocess.STDOUT)
        self.ws = None
        self.next_id = 0
        self.events: list[dict] = []
        try:
            self._connect()
        except BaseException:
            self.close()
            raise

    def _connect(self):
        import websocket

        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + WAIT
        while not (port_file.exists() and port_file.read_text().strip()):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Chromium did not start: " + (self.profile.parent / "chromium.log").read_text(
                    errors="replace")[-2000:])
            time.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        page = None
        while page is None:
            targets = json.load(opener.open(f"http://127.0.0.1:{port}/json/list", timeout=WAIT))
            page = next((t for t in targets if t.get("type") == "page"), None)
            if page is None:
                if time.monotonic() > deadline:
                    raise RuntimeError("Chromium opened no page")
                time.sleep(0.05)
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=WAIT, suppress_origin=True,
                                              http_proxy_host=None)
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")

    def call(self, method: str, **params):
        self.next_id += 1
        mid = self.next_id
        self.ws.send(json.dumps({"id": mid, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == mid:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    def pump(self, seconds: float = 0.1) -> None:
        """Collect events that arrive in the next moment."""
        self.ws.settimeout(seconds)
        try:
            while True:
                msg = json.loads(self.ws.recv())
                if "method" in msg:
                    self.events.append(msg)
        except Exception:
            pass
        finally:
            self.ws.settimeout(WAIT)

    def goto(self, url: str) -> None:
        self.call("Page.navigate", url="about:blank")  # the last page's late requests end there
        self.pump(0.1)
        self.events.clear()
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + WAIT
        while not any(e["method"] == "Page.loadEventFired" for e in self.events):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not load")
            self.pump(0.2)
        self.pump(0.3)  # late console messages and exceptions

    def set_width(self, width: int, height: int = 800) -> None:
        """The viewport in CSS pixels (desktop, no mobile viewport meta rules)."""
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)

    def eval(self, expression: str):
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expression}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def wait_for(self, expression: str, what: str):
        deadline = time.monotonic() + WAIT
        while True:
            value = self.eval(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            self.pump(0.05)

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions, failed loads and CSP violations seen so far."""
        out = []
        for e in self.events:
            p = e.get("params", {})
            if e["method"] == "Runtime.exceptionThrown":
                out.append("exception: " + json.dumps(p.get("exceptionDetails", {}))[:500])
            elif e["method"] == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
                out.append("console: " + json.dumps(p.get("args", []))[:500])
            elif e["method"] == "Log.entryAdded" and p.get("entry", {}).get("level") in ("error", "warning"):
                out.append("log: " + p["entry"].get("text", "")[:500])
            elif e["method"] == "Page.javascriptDialogOpening":
                out.append("dialog: " + p.get("message", ""))
        return out

    def close(self):
        try:
            if self.ws is not None:
                with contextlib.suppress(Exception):  # closing anyway
                    self.call("Browser.close")
                self.ws.close()
        finally:
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.log.close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    b = Browser(tmp_path_factory.mktemp("chromium") / "profile")
    yield b
    b.close()


@pytest.fixture
def site(tmp_path):
    """Serve a folder; yields a function folder -> base URL."""
    servers = []

    def start(folder: Path) -> str:
        server, url = serve(folder)
        servers.append(server)
        return url

    yield start
    for s in servers:
        s.shutdown()
        s.server_close()


# --- what the site should hold, computed from the files ------------------------------------------

def front_matter(path: Path) -> tuple[dict, str]:
    import yaml

    text = path.read_text(encoding="utf-8-sig")
    _, fm, body = text.split("---\n", 2)
    return yaml.load(fm, Loader=yaml.BaseLoader), body  # BaseLoader: every scalar a string


def published(repo: Path) -> dict[str, tuple[dict, str]]:
    out = {}
    for p in sorted((repo / "data" / "judgments").glob("*/*.md")):
        data, body = front_matter(p)
        if data.get("access", "public") != "public":
            continue
        if data.get("status") == "published" or (data.get("status") == "withdrawn" and data.get("published")):
            out[p.stem] = (data, body)
    return out


def word_only_in(jid: str, texts: dict[str, tuple[dict, str]], site: Path) -> str:
    """A word of this summary's text that the search data of no other summary contains, nor any
    word sharing its first seven letters (Pagefind stems; the fallback matches substrings)."""
    index = json.loads((site / "search-index.json").read_text(encoding="utf-8"))
    others = [(e["title"] + " " + e["text"]).lower() for e in index if e["id"] != jid]
    _, body = texts[jid]
    words = sorted(set(re.findall(r"[^\W\d_]{9,}", body.lower())))
    mine = [w for w in words if not any(w[:7] in o for o in others)]
    assert mine, f"no word unique to {jid}"
    return mine[len(mine) // 2]


def publish(cli, repo: Path, out: Path, *extra: str) -> Path:
    r = cli(["--repo", repo, "publish", "--out", out, *extra])
    assert r.exit_code == 0, r.stderr
    return out


SHOWN = ("JSON.stringify(Array.from(document.querySelectorAll('#results li[data-id], #summaries li[data-id]'))"
         ".filter(li => !li.hidden && li.offsetParent !== null).map(li => li.dataset.id))")
COUNT = "document.getElementById('count').textContent"


def type_search(b: Browser, text: str) -> None:
    b.eval("(() => { const i = document.getElementById('search'); i.value = ''; i.focus(); "
           "i.dispatchEvent(new Event('input')); return true; })()")
    if text:
        b.call("Input.insertText", text=text)


def wait_shown(b: Browser, check: str, what: str) -> list[str]:
    """The ids shown once `check` (JS, on `v`: the shown ids) holds and the count line has settled."""
    found = b.wait_for(f"(() => {{ const v = JSON.parse({SHOWN}); return ({check}) ? JSON.stringify(v) : null; }})()",
                       what)
    return json.loads(found)


def count_agrees(b: Browser, shown: int) -> None:
    """The count line says how many entries the list on screen shows."""
    text = b.wait_for(f"(() => {{ const t = {COUNT}; return /\\d/.test(t) || /Ingen|Nothing/.test(t) ? t : null; }})()",
                      "the count line")
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    assert (numbers[0] if numbers else 0) == shown, (text, shown)


# --- the tests ----------------------------------------------------------------------------------

def test_pagefind_finds_a_word_of_the_text_with_a_filter_on_the_served_site(cli, tmp_path, browser, site):
    expected = published(ROOT)
    assert expected, "the embedded repository has published summaries"
    out = publish(cli, ROOT, tmp_path / "site")
    assert (out / "pagefind" / "pagefind.js").is_file()
    url = site(out)
    browser.goto(url + "index.html")
    assert sorted(json.loads(browser.eval(SHOWN))) == sorted(expected)  # the plain list, every summary
    assert browser.eval("document.documentElement.lang") == "nb"
    browser.wait_for("document.querySelectorAll('#filters select').length > 0", "Pagefind's filters")
    assert browser.problems() == []

    target = sorted(expected)[len(expected) // 2]
    word = word_only_in(target, expected, out)
    type_search(browser, word)  # (Pagefind's stems may find a few more)
    shown = wait_shown(browser, f"v.includes({json.dumps(target)})", f"Pagefind's hits for {word!r} to hold {target}")
    count_agrees(browser, len(shown))
    # a filter: the target's year, then another year (the hit goes away, the count line follows)
    year = expected[target][0]["date"][:4]
    browser.eval(f"(() => {{ const s = document.getElementById('filter-year'); s.value = {json.dumps(year)}; "
                 "s.dispatchEvent(new Event('change')); return true; })()")
    in_year = {j for j, (d, _) in expected.items() if d["date"].startswith(year)}
    shown = wait_shown(browser, f"v.includes({json.dumps(target)}) && v.every(j => {json.dumps(sorted(in_year))}"
                       ".includes(j))", "the hits of its year")
    count_agrees(browser, len(shown))
    other = next(y for y in sorted({d["date"][:4] for d, _ in expected.values()}) if y != year)
    browser.eval(f"(() => {{ const s = document.getElementById('filter-year'); s.value = {json.dumps(other)}; "
                 "s.dispatchEvent(new Event('change')); return true; })()")
    in_other = sorted(j for j, (d, _) in expected.items() if d["date"].startswith(other))
    shown = wait_shown(browser, f"!v.includes({json.dumps(target)}) && v.every(j => {json.dumps(in_other)}"
                       ".includes(j))", "the hit gone in another year")
    count_agrees(browser, len(shown))
    # the filter alone: every summary of that year, newest first, and the count line agrees
    type_search(browser, "")
    in_year = sorted(j for j, (d, _) in expected.items() if d["date"].startswith(other))
    shown = wait_shown(browser, f"v.length === {len(in_year)}", f"the summaries of {other}")
    assert sorted(shown) == in_year
    count_agrees(browser, len(shown))
    dates = [expected[j][0]["date"] for j in shown]
    assert dates == sorted(dates, reverse=True)
    assert browser.problems() == []


def test_a_site_with_several_pagefind_indexes_searches_them_all(cli, tmp_path, browser, site, monkeypatch):
    """A large site's indexes by years are merged in the browser: a word of the oldest summary is
    found, the year filter still narrows, the count line agrees."""
    from hrcoord.caselaw.portal import search

    monkeypatch.setattr(search, "SHARD_PAGES", 4)
    expected = published(ROOT)
    out = publish(cli, ROOT, tmp_path / "site")
    assert len([p for p in out.iterdir() if p.name.startswith("pagefind")]) >= 3
    oldest = min(expected, key=lambda j: expected[j][0]["date"])
    word = word_only_in(oldest, expected, out)
    browser.goto(site(out) + "index.html")
    browser.wait_for("document.querySelectorAll('#filters select').length > 0", "Pagefind's filters")
    years = json.loads(browser.eval("JSON.stringify(Array.from(document.querySelectorAll('#filter-year option'))"
                                    ".map(o => o.value).filter(Boolean))"))
    assert sorted(years) == sorted({d["date"][:4] for d, _ in expected.values()})  # from every index
    type_search(browser, word)  # (Pagefind's stems may find a few more)
    shown = wait_shown(browser, f"v.includes({json.dumps(oldest)})", "the oldest summary")
    count_agrees(browser, len(shown))
    type_search(browser, "")
    year = expected[oldest][0]["date"][:4]
    browser.eval(f"(() => {{ const s = document.getElementById('filter-year'); s.value = {json.dumps(year)}; "
                 "s.dispatchEvent(new Event('change')); return true; })()")
    in_year = sorted(j for j, (d, _) in expected.items() if d["date"].startswith(year))
    assert sorted(wait_shown(browser, f"v.length === {len(in_year)}", "that year's summaries")) == in_year
    count_agrees(browser, len(in_year))
    assert browser.problems() == []


def test_norwegian_stemming_finds_an_inflected_form(cli, tmp_path, browser, site):
    """`utvisningen` (the expulsion) finds summaries that say `utvisning`: the nb stemmer."""
    expected = published(ROOT)
    with_stem = sorted(j for j, (_, body) in expected.items() if re.search(r"\butvisning\b", body.lower()))
    assert with_stem
    url = site(publish(cli, ROOT, tmp_path / "site"))
    browser.goto(url + "index.html")
    browser.wait_for("document.querySelectorAll('#filters select').length > 0", "Pagefind")
    type_search(browser, "utvisningene")
    shown = wait_shown(browser, "v.length > 0", "hits for an inflected form")
    assert set(with_stem) & set(shown)
    count_agrees(browser, len(shown))


def test_opened_from_disk_the_inline_index_searches(cli, tmp_path, browser):
    expected = published(ROOT)
    out = publish(cli, ROOT, tmp_path / "site")
    browser.goto((out / "index.html").as_uri())
    target = sorted(expected)[0]
    word = word_only_in(target, expected, out)
    type_search(browser, word)
    assert wait_shown(browser, f"v.length === 1 && v[0] === {json.dumps(target)}", "the inline search") == [target]
    count_agrees(browser, 1)
    type_search(browser, "qqqzzzxxy")
    wait_shown(browser, "v.length === 0", "no hits")
    assert browser.eval(COUNT) == "Ingen treff"
    type_search(browser, "")
    wait_shown(browser, f"v.length === {len(expected)}", "all summaries again")
    count_agrees(browser, len(expected))
    assert browser.problems() == []


def test_opened_from_disk_without_the_inline_index_it_says_so_and_lists_everything(tmp_path, browser):
    from hrcoord.caselaw.portal.publish import publish as publish_site
    from hrcoord.core.repo import Repository

    out = tmp_path / "site"
    publish_site(Repository(ROOT), out, embed_limit=0)
    assert 'id="search-data"' not in (out / "index.html").read_text(encoding="utf-8")
    browser.goto((out / "index.html").as_uri())
    note = browser.wait_for("(() => { const n = document.getElementById('search-note'); "
                            "return n && !n.hidden ? n.textContent : null; })()", "the note")
    assert "webserver" in note
    assert sorted(json.loads(browser.eval(SHOWN))) == sorted(published(ROOT))
    assert browser.problems() == []


def test_without_pagefind_the_served_site_fetches_the_fallback_index(tmp_path, browser, site):
    import shutil

    from hrcoord.caselaw.portal.publish import publish as publish_site
    from hrcoord.core.repo import Repository

    out = tmp_path / "site"
    publish_site(Repository(ROOT), out, embed_limit=0)
    shutil.rmtree(out / "pagefind")  # as where Pagefind could not be installed
    expected = published(ROOT)
    target = sorted(expected)[0]
    word = word_only_in(target, expected, out)
    browser.goto(site(out) + "index.html?q=" + word)
    assert wait_shown(browser, f"v.length === 1 && v[0] === {json.dumps(target)}", "the fetched index") == [target]
    count_agrees(browser, 1)
    assert [p for p in browser.problems() if "404" not in p] == []  # (the missing pagefind.js is logged)


def test_without_javascript_the_index_links_every_summary(cli, tmp_path, browser, site):
    out = publish(cli, ROOT, tmp_path / "site")
    browser.call("Emulation.setScriptExecutionDisabled", value=True)
    try:
        browser.goto(site(out) + "index.html")
        links = json.loads(browser.eval("JSON.stringify(Array.from(document.querySelectorAll('#summaries li a'))"
                                        ".map(a => a.getAttribute('href')))"))
        assert sorted(links) == sorted(f"summaries/{j}.html" for j in published(ROOT))
        assert browser.eval("document.getElementById('search-box').hidden") is True  # no dead search box
    finally:
        browser.call("Emulation.setScriptExecutionDisabled", value=False)


def test_pages_have_no_console_errors(cli, tmp_path, browser, site):
    out = publish(cli, ROOT, tmp_path / "site")
    url = site(out)
    pages = sorted(p.relative_to(out).as_posix() for p in out.glob("summaries/*.html"))
    assert pages
    for page in [pages[0], pages[-1], "articles.html", "relevance.html", "origin.html"]:
        browser.goto(url + page)
        assert browser.problems() == [], page
        assert browser.eval("document.querySelector('h1').textContent.trim().length > 0")
    # a page links back to the index and to the article index, and those anchors exist
    browser.goto(url + pages[0])
    href = browser.eval("document.querySelector('table.metadata a[href*=\"articles.html#\"]').getAttribute('href')")
    anchor = href.split("#", 1)[1]
    browser.goto(url + "articles.html")
    assert browser.eval(f"document.getElementById({json.dumps(anchor)}) !== null")


def test_markup_in_a_summary_never_runs(cli, scratch_repo, tmp_path, browser, site):
    expected = published(scratch_repo)
    jid = sorted(expected)[0]
    path = next((scratch_repo / "data" / "judgments").glob(f"*/{jid}.md"))
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^title: .*$", 'title: "Evil <script>alert(1)</script> v. Norway"', text, count=1, flags=re.M)
    text = text.replace("## Sammendrag\n", "## Sammendrag\n\n<script>alert(2)</script> <img src=x onerror=alert(3)> "
                        "[click](javascript:alert(4))\n", 1)
    path.write_text(text, encoding="utf-8")
    r = cli(["--repo", scratch_repo, "judgment", "review", jid, "--by", "Test"])
    assert r.exit_code == 0, r.stderr
    out = publish(cli, scratch_repo, tmp_path / "site")
    url = site(out)
    for page in ("index.html", f"summaries/{jid}.html"):
        browser.goto(url + page)
        browser.pump(0.5)
        assert browser.problems() == [], page
        assert browser.eval("document.querySelectorAll('img, a[href^=\"javascript\"]').length") == 0
        # the only scripts are the site's own files and the JSON search data
        scripts = browser.eval("JSON.stringify(Array.from(document.scripts).map(s => [s.type, "
                               "s.getAttribute('src') || '', s.textContent.includes('alert(')]))")
        allowed = ([["", "assets/search.js", False], ["application/json", "", True]] if page == "index.html"
                   else [["", "../assets/copy.js", False]])
        assert sorted(json.loads(scripts)) == sorted(allowed), page
    assert "<script>alert(1)</script>" in browser.eval("document.querySelector('h1').textContent")
    # searching for the title through Pagefind shows it as text, never as markup
    browser.goto(url + "index.html")
    browser.wait_for("document.querySelectorAll('#filters select').length > 0", "Pagefind")
    type_search(browser, "Evil")
    wait_shown(browser, f"v.includes({json.dumps(jid)})", "the hostile title found")
    assert browser.eval("document.querySelectorAll('#results script, #results img').length") == 0
    assert browser.problems() == []


# --- accessibility (WCAG 2.1 AA, uu-forskriften; SPEC §7) ----------------------------------------

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
LONG_TITLE = ("Menneskerettighetskonvensjonsforpliktelsesvurderingssaken og Utlendingsforvaltningens-"
              "saksbehandlingsrutinegjennomgangen v. Kongeriket Norge og Den hellenske republikk (nr. 2)")


def axe_source() -> str:
    """axe-core from npm (`make axe` installs it into the venv's npm/; HRCOORD_AXE names another copy)."""
    import os
    import sys

    path = Path(os.environ.get("HRCOORD_AXE") or Path(sys.prefix) / "npm/node_modules/axe-core/axe.min.js")
    if not path.is_file():
        pytest.skip(f"axe-core is not installed ({path}; `make axe` installs it with npm)")
    return path.read_text(encoding="utf-8")


def axe_violations(b: Browser) -> list[dict]:
    if not b.eval("typeof axe !== 'undefined'"):
        b.eval(axe_source())  # evaluated through DevTools: the page's own CSP does not apply to it
    found = b.eval("axe.run(document, {runOnly: {type: 'tag', values: " + json.dumps(AXE_TAGS) + "}, "
                   "resultTypes: ['violations']}).then(r => JSON.stringify(r.violations.map(v => "
                   "({id: v.id, impact: v.impact, help: v.help, "
                   "nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))))")
    return json.loads(found)


STRUCTURE = ("JSON.stringify({lang: document.documentElement.lang, h1: document.querySelectorAll('h1').length, "
             "main: document.querySelectorAll('main').length, "
             "banner: document.querySelectorAll('body > header').length, "
             "contentinfo: document.querySelectorAll('body > footer').length, "
             "nav: document.querySelectorAll('nav').length})")


def overflow(b: Browser) -> dict:
    """How far the page scrolls sideways, and elements that clip their own text."""
    return json.loads(b.eval(
        "JSON.stringify({scroll: document.documentElement.scrollWidth - window.innerWidth, clipped: "
        "Array.from(document.querySelectorAll('body *')).filter(e => { const s = getComputedStyle(e); "
        "return ['hidden', 'clip'].includes(s.overflowX) && e.scrollWidth > e.clientWidth + 1 && "
        "e.textContent.trim() && e.offsetParent !== null && e.getBoundingClientRect().width > 1; })"
        ".map(e => e.tagName + '.' + e.className).slice(0, 5)})"))


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[str, Path]:
    """Every kind of HTML page hrcoord writes besides the portal, from a scratch copy under git."""
    import shutil

    from conftest import git, invoke

    folder = tmp_path_factory.mktemp("documents")
    repo = folder / "repo"
    repo.mkdir()
    shutil.copy(ROOT / "hrcoord.yaml", repo / "hrcoord.yaml")
    shutil.copytree(ROOT / "data", repo / "data")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start", date="2014-01-02")
    target = next(p for p in sorted((repo / "data/judgments").rglob("*.md")) if "status: published" in p.read_text())
    target.write_text(target.read_text().replace("## Faktum", "Et nytt avsnitt.\n\n## Faktum", 1))
    git(repo, "commit", "-q", "-am", "edit", date="2014-06-02")
    made = {
        "agenda": ["meeting", "agenda", "--network", "trafficking", "--meeting", "2014-12-09"],
        "notice": ["meeting", "notice", "--network", "trafficking", "--meeting", "2014-12-09"],
        "minutes": ["meeting", "minutes", "--network", "trafficking", "--meeting", "2014-06-17"],
        "action-plan": ["report", "action-plan", "--year", "2014"],
        "quarterly": ["report", "quarterly", "--quarter", "2014-Q2"],
        "digest": ["judgment", "digest", "--since", "2012-01-01"],
        "changes": ["changes", "--since", "2014-01-01"],
    }
    out = {}
    for name, args in made.items():
        path = folder / f"{name}.html"
        r = invoke(["--repo", repo, *args, "--format", "html", "--out", path])
        assert r.exit_code == 0 and path.is_file(), (name, r.stderr)
        out[name] = path
    return out


@pytest.fixture(scope="module")
def portal(tmp_path_factory) -> Path:
    """The portal of the embedded repository plus a summary with the longest ECLI and a long title
    of long words, and a withdrawn one."""
    import shutil

    from conftest import invoke

    folder = tmp_path_factory.mktemp("portal")
    repo = folder / "repo"
    repo.mkdir()
    shutil.copy(ROOT / "hrcoord.yaml", repo / "hrcoord.yaml")
    shutil.copytree(ROOT / "data", repo / "data")
    shutil.copytree(ROOT / "templates", repo / "templates")
    ids = sorted(published(repo))
    longest = max(ids, key=lambda j: len(published(repo)[j][0].get("ecli", "")))
    path = next((repo / "data/judgments").glob(f"*/{longest}.md"))
    path.write_text(re.sub(r"^title: .*$", f"title: {LONG_TITLE}", path.read_text(), count=1, flags=re.M))
    for args in (["judgment", "review", longest, "--by", "Test"],
                 ["judgment", "status", next(i for i in ids if i != longest), "withdrawn", "--replaced-by", longest]):
        r = invoke(["--repo", repo, *args])
        assert r.exit_code == 0, r.stderr
    r = invoke(["--repo", repo, "publish", "--out", folder / "site"])
    assert r.exit_code == 0, r.stderr
    (folder / "longest").write_text(longest)
    return folder / "site"


def portal_pages(site_folder: Path) -> list[str]:
    longest = (site_folder.parent / "longest").read_text()
    withdrawn = next(p.name for p in (site_folder / "summaries").glob("*.html")
                     if 'class="notice withdrawn"' in p.read_text(encoding="utf-8"))
    return ["index.html", "articles.html", "relevance.html", f"summaries/{longest}.html", f"summaries/{withdrawn}"]


def test_axe_finds_nothing_on_any_portal_page(portal, browser, site):
    url = site(portal)
    for page in portal_pages(portal):
        browser.goto(url + page)
        if page == "index.html":  # with Pagefind's filters built and a search on screen
            browser.wait_for("document.querySelectorAll('#filters select').length > 0", "Pagefind")
            assert axe_violations(browser) == [], page
            type_search(browser, "Norge")
            wait_shown(browser, "v.length > 0", "hits")
        assert axe_violations(browser) == [], page
        assert browser.problems() == [], page


def test_axe_finds_nothing_on_the_documents(documents, browser):
    for name, path in documents.items():
        browser.goto(path.as_uri())
        assert axe_violations(browser) == [], name
        s = json.loads(browser.eval(STRUCTURE))
        assert s["lang"] in ("nb", "en") and s["h1"] == 1 and s["main"] == 1, (name, s)


def test_every_portal_page_has_lang_one_h1_and_landmarks(portal, browser, site):
    url = site(portal)
    for page in portal_pages(portal):
        browser.goto(url + page)
        s = json.loads(browser.eval(STRUCTURE))
        assert s == {"lang": "nb", "h1": 1, "main": 1, "banner": 1, "contentinfo": 1, "nav": 1}, (page, s)
        # the accessibility statement is linked from every page's footer
        assert browser.eval("document.querySelector('footer a[href=\"https://uustatus.no/\"]').textContent") \
            == "Tilgjengelighetserklæring"


def test_pages_reflow_at_320_css_pixels(portal, browser, site):
    """WCAG 1.4.10: no sideways scrolling at 320 px, the summary with the longest ECLI and title too."""
    url = site(portal)
    try:
        browser.set_width(320, 640)
        for page in portal_pages(portal):
            browser.goto(url + page)
            o = overflow(browser)
            assert o["scroll"] <= 0 and o["clipped"] == [], (page, o)
        longest = (portal.parent / "longest").read_text()
        browser.goto(url + f"summaries/{longest}.html")
        assert browser.eval("document.querySelector('h1').textContent") == LONG_TITLE
    finally:
        browser.call("Emulation.clearDeviceMetricsOverride")


def test_text_at_200_percent_stays_readable(portal, browser, site):
    """WCAG 1.4.4: text twice the size, nothing cut off and no sideways scrolling."""
    url = site(portal)
    try:
        browser.set_width(1024, 768)
        for page in portal_pages(portal):
            browser.goto(url + page)
            browser.eval("document.documentElement.style.fontSize = '200%'; true")
            o = overflow(browser)
            assert o["scroll"] <= 0 and o["clipped"] == [], (page, o)
    finally:
        browser.call("Emulation.clearDeviceMetricsOverride")


def _tab(b: Browser) -> dict:
    for kind in ("rawKeyDown", "keyUp"):
        b.call("Input.dispatchKeyEvent", type=kind, key="Tab", code="Tab", windowsVirtualKeyCode=9)
    return json.loads(b.eval(
        "(() => { const e = document.activeElement; const s = getComputedStyle(e); "
        "const r = e.getBoundingClientRect(); "
        "return JSON.stringify({tag: e.tagName, text: e.textContent.trim(), outline: s.outlineStyle, "
        "width: parseFloat(s.outlineWidth), visible: r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0}); })()"))


def test_focus_is_visible_and_the_skip_link_comes_first(portal, browser, site):
    url = site(portal)
    browser.goto(url + portal_pages(portal)[3])
    first = _tab(browser)
    assert first["text"] == "Gå til hovedinnhold" and first["visible"], first
    for _ in range(4):
        f = _tab(browser)
        assert f["tag"] in ("A", "INPUT", "BUTTON", "SELECT") and f["visible"], f
        assert f["outline"] != "none" and f["width"] >= 2, f


def test_search_results_are_announced_in_a_live_region(portal, browser, site):
    browser.goto(site(portal) + "index.html")
    live = json.loads(browser.eval("(() => { const c = document.getElementById('count'); return JSON.stringify("
                                   "[c.getAttribute('role'), c.getAttribute('aria-live')]); })()"))
    assert live == ["status", "polite"]
    before = browser.eval(COUNT)
    browser.wait_for("document.querySelectorAll('#filters select').length > 0", "Pagefind")
    type_search(browser, "Norge")
    browser.wait_for(f"{COUNT} !== {json.dumps(before)}", "the count line to say what was found")
    shown = wait_shown(browser, "v.length > 0", "hits")
    count_agrees(browser, len(shown))


# --- the citation, ready to paste (issue 14) ------------------------------------------------------

def test_the_copy_button_copies_the_norwegian_citation(cli, tmp_path, browser, site):
    jid = "nunez-v-norway-2011"
    expected = cli(["--repo", ROOT, "judgment", "cite", jid, "--style", "nb"]).stdout.strip()
    assert expected.startswith("Nunez mot Norge, EMD 28. juni 2011 (klagesak nr. 55597/09)"), expected
    out = publish(cli, ROOT, tmp_path / "site")
    base = site(out)
    browser.goto(base + f"summaries/{jid}.html")
    origin = base.rstrip("/")
    with contextlib.suppress(RuntimeError):  # (older Chromium: the clipboard is open to pages anyway)
        browser.call("Browser.grantPermissions", origin=origin,
                     permissions=["clipboardReadWrite", "clipboardSanitizedWrite"])
    shown = browser.eval("document.getElementById('citation').textContent.trim()")
    assert shown == expected
    browser.set_width(1024)
    box = browser.eval("(() => { const b = document.querySelector('button[data-copy]'); if (b.hidden) return null;"
                       " b.scrollIntoView({block: 'center'}); const r = b.getBoundingClientRect();"
                       " return [r.x + r.width / 2, r.y + r.height / 2]; })()")
    assert box, "the copy button is hidden: its script did not run"
    for kind in ("mousePressed", "mouseReleased"):  # a real click: the clipboard wants a user's gesture
        browser.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)
    said = browser.wait_for("document.getElementById('copied').textContent", "the copy to be announced")
    assert said == "Henvisningen er kopiert."
    assert browser.eval("navigator.clipboard.readText()") == expected
    assert browser.problems() == []
