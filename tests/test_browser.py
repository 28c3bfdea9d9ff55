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
        self.log = open(profile.parent / "chromium.log", "wb")
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
        except Exception:  # noqa: BLE001 — websocket timeout: nothing more for now
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
                try:
                    self.call("Browser.close")
                except Exception:  # noqa: BLE001 — closing anyway
                    pass
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
    data, body = texts[jid]
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
    type_search(browser, word)
    shown = wait_shown(browser, f"v.length === 1 && v[0] === {json.dumps(target)}",
                       f"Pagefind's hits for {word!r} to be {target}")
    count_agrees(browser, len(shown))
    # a filter: the target's year, then another year (the hit goes away, the count line follows)
    year = expected[target][0]["date"][:4]
    browser.eval(f"(() => {{ const s = document.getElementById('filter-year'); s.value = {json.dumps(year)}; "
                 "s.dispatchEvent(new Event('change')); return true; })()")
    assert wait_shown(browser, f"v.length === 1 && v[0] === {json.dumps(target)}", "the hit with its year") == [target]
    count_agrees(browser, 1)
    other = next(y for y in sorted({d["date"][:4] for d, _ in expected.values()}) if y != year)
    browser.eval(f"(() => {{ const s = document.getElementById('filter-year'); s.value = {json.dumps(other)}; "
                 "s.dispatchEvent(new Event('change')); return true; })()")
    assert wait_shown(browser, "v.length === 0", "no hit in another year") == []
    assert browser.eval(COUNT) == "Ingen treff"
    # the filter alone: every summary of that year, newest first, and the count line agrees
    type_search(browser, "")
    in_year = sorted(j for j, (d, _) in expected.items() if d["date"].startswith(other))
    shown = wait_shown(browser, f"v.length === {len(in_year)}", f"the summaries of {other}")
    assert sorted(shown) == in_year
    count_agrees(browser, len(shown))
    dates = [expected[j][0]["date"] for j in shown]
    assert dates == sorted(dates, reverse=True)
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
    for page in [pages[0], pages[-1], "articles.html", "relevance.html"]:
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
        # the only scripts are the site's own file and the JSON search data
        scripts = browser.eval("JSON.stringify(Array.from(document.scripts).map(s => [s.type, "
                               "s.getAttribute('src') || '', s.textContent.includes('alert(')]))")
        allowed = [["", "assets/search.js", False], ["application/json", "", True]] if page == "index.html" else []
        assert sorted(json.loads(scripts)) == sorted(allowed), page
    assert "<script>alert(1)</script>" in browser.eval("document.querySelector('h1').textContent")
    # searching for the title through Pagefind shows it as text, never as markup
    browser.goto(url + "index.html")
    browser.wait_for("document.querySelectorAll('#filters select').length > 0", "Pagefind")
    type_search(browser, "Evil")
    wait_shown(browser, f"v.includes({json.dumps(jid)})", "the hostile title found")
    assert browser.eval("document.querySelectorAll('#results script, #results img').length") == 0
    assert browser.problems() == []
