"""The published portal in a real browser: headless Chromium driven over the DevTools protocol.

The site is published from the embedded repository (and from a scratch copy with hostile text),
served over HTTP on localhost, and opened in Chromium. Checked: the index lists exactly the
published summaries, the offline search finds a summary by a word of its text (with the index
embedded in the page and with it fetched from search-index.json), pages log no console errors or
exceptions, and markup in a summary never runs.

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
        for domain in ("Page", "Runtime", "Log"):
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
        self.events.clear()
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + WAIT
        while not any(e["method"] == "Page.loadEventFired" for e in self.events):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not load")
            self.pump(0.2)
        self.pump(0.3)  # late console messages and exceptions

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
        if data.get("access") == "internal":
            continue
        if data.get("status") == "published" or (data.get("status") == "withdrawn" and data.get("published")):
            out[p.stem] = (data, body)
    return out


def word_only_in(jid: str, texts: dict[str, tuple[dict, str]], site: Path) -> str:
    """A word of this summary's text that the search data of no other summary contains (the
    script matches substrings, and indexes vocabulary names too, so it is checked against them)."""
    index = json.loads((site / "search-index.json").read_text(encoding="utf-8"))
    others = [(e["title"] + " " + e["text"]).lower() for e in index if e["id"] != jid]
    data, body = texts[jid]
    words = sorted(set(re.findall(r"[^\W\d_]{7,}", body.lower())))
    mine = [w for w in words if not any(w in o for o in others)]
    assert mine, f"no word unique to {jid}"
    return mine[len(mine) // 2]


def publish(cli, repo: Path, out: Path, *extra: str) -> Path:
    r = cli(["--repo", repo, "publish", "--out", out, *extra])
    assert r.exit_code == 0, r.stderr
    return out


VISIBLE = "JSON.stringify(Array.from(document.querySelectorAll('#summaries li[data-id]'))" \
          ".filter(li => !li.hidden && li.offsetParent !== null).map(li => li.dataset.id))"


def type_search(b: Browser, text: str) -> None:
    b.eval("(() => { const i = document.getElementById('search'); i.value = ''; i.focus(); "
           "i.dispatchEvent(new Event('input')); return true; })()")
    b.call("Input.insertText", text=text)


# --- the tests ----------------------------------------------------------------------------------

def test_index_lists_the_published_summaries_and_search_finds_one(cli, tmp_path, browser, site):
    expected = published(ROOT)
    assert expected, "the embedded repository has published summaries"
    url = site(publish(cli, ROOT, tmp_path / "site"))
    browser.goto(url + "index.html")
    listed = json.loads(browser.eval(VISIBLE))
    assert sorted(listed) == sorted(expected)
    assert browser.eval("document.documentElement.lang") == "nb"
    assert browser.problems() == []

    target = sorted(expected)[len(expected) // 2]
    word = word_only_in(target, expected, tmp_path / "site")
    type_search(browser, word)
    found = browser.wait_for(f"(() => {{ const v = {VISIBLE}; return v === '[\"{target}\"]' ? v : null; }})()",
                             f"the search for {word!r} to show only {target}")
    assert json.loads(found) == [target]
    assert browser.eval("document.getElementById('search-status').textContent").startswith("1 ")
    # a word nobody uses hides everything and says so
    type_search(browser, "qqqzzzxxy")
    browser.wait_for(f"{VISIBLE} === '[]'", "no hits")
    assert browser.eval("document.getElementById('search-status').textContent") == "Ingen treff"
    # clearing the box shows them all again
    type_search(browser, "")
    browser.wait_for(f"JSON.parse({VISIBLE}).length === {len(expected)}", "all summaries again")
    assert browser.problems() == []


def test_search_fetches_the_json_index_when_not_embedded(tmp_path, browser, site):
    from hrcoord.caselaw.portal.publish import publish as publish_site
    from hrcoord.core.repo import Repository

    out = tmp_path / "site"
    publish_site(Repository(ROOT), out, embed_limit=0)
    assert 'id="search-data"' not in (out / "index.html").read_text(encoding="utf-8")
    expected = published(ROOT)
    target = sorted(expected)[0]
    word = word_only_in(target, expected, out)
    url = site(out)
    browser.goto(url + "index.html?q=" + word)
    found = browser.wait_for(f"(() => {{ const v = {VISIBLE}; return v === '[\"{target}\"]' ? v : null; }})()",
                             f"the search for {word!r} to show only {target}")
    assert json.loads(found) == [target]
    assert browser.problems() == []


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
    out = publish(cli, scratch_repo, tmp_path / "site")
    url = site(out)
    for page in ("index.html", f"summaries/{jid}.html"):
        browser.goto(url + page)
        browser.pump(0.5)
        assert browser.problems() == [], page
        assert browser.eval("document.querySelectorAll('img, a[href^=\"javascript\"]').length") == 0
        # the only scripts are the page's own: the search script and the JSON search data
        scripts = browser.eval("JSON.stringify(Array.from(document.scripts).map(s => [s.type, "
                               "s.textContent.includes('alert(')]))")
        allowed = [["", False], ["application/json", True]] if page == "index.html" else []
        assert sorted(json.loads(scripts)) == sorted(allowed), page
    assert "<script>alert(1)</script>" in browser.eval("document.querySelector('h1').textContent")
