"""The bytes a browser fetches for one portal search (SPEC §6: < 300 kB), measured in headless
Chromium with the DevTools network events (`Network.loadingFinished` → `encodedDataLength`, the
bytes on the wire, headers included).

    .venv/bin/python bench/search_bytes.py SITE [--query WORD ...]

Serves SITE on 127.0.0.1, opens index.html, waits until the search is ready (Pagefind loaded and
its filters built: what any visitor's browser fetches on opening the page is counted apart, as
"page"), then types each query and counts every byte fetched until the results are on screen
(the Pagefind chunks, fragments for the results shown, the WebAssembly on the first query).
Prints JSON: {"page": bytes, "searches": [{"query", "bytes", "requests", "hits"}]}.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from test_browser import Browser, serve, type_search, wait_shown  # noqa: E402  (the tests' own driver)


def watch_workers(b: Browser, seen: set) -> None:
    """Pagefind fetches from a Web Worker: attach to each worker and count its requests too."""
    for e in list(b.events):
        if e["method"] == "Target.attachedToTarget":
            sid = e["params"]["sessionId"]
            if sid not in seen:
                seen.add(sid)
                b.next_id += 1
                b.ws.send(json.dumps({"id": b.next_id, "sessionId": sid, "method": "Network.enable", "params": {}}))


def fetched(b: Browser, seen: set) -> tuple[int, int]:
    """Bytes and requests finished since the events were last cleared (page and workers)."""
    b.pump(0.5)  # requests that finish just after the results show
    watch_workers(b, seen)
    done = [e for e in b.events if e["method"] == "Network.loadingFinished"]
    return sum(int(e["params"].get("encodedDataLength", 0)) for e in done), len(done)


def measure(site: Path, queries: list[str]) -> dict:
    server, url = serve(site)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            b = Browser(Path(tmp) / "profile")
            try:
                seen: set = set()
                b.call("Target.setAutoAttach", autoAttach=True, waitForDebuggerOnStart=False, flatten=True)
                b.goto(url + "index.html")
                b.wait_for("document.querySelectorAll('#filters select').length > 0", "Pagefind's filters")
                watch_workers(b, seen)
                page, _ = fetched(b, seen)
                out = {"page": page, "searches": []}
                for q in queries:
                    b.events = [e for e in b.events if e["method"] == "Target.attachedToTarget"]
                    type_search(b, q)
                    b.wait_for("document.getElementById('count').textContent.includes('treff') || "
                               "document.getElementById('count').textContent.includes('found') || "
                               "/Ingen|Nothing/.test(document.getElementById('count').textContent)", "results")
                    shown = wait_shown(b, "true", "results")
                    size, requests = fetched(b, seen)
                    out["searches"].append({"query": q, "bytes": size, "requests": requests, "hits": len(shown)})
                return out
            finally:
                b.close()
    finally:
        server.shutdown()
        server.server_close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--query", action="append", default=None, help="word(s) to search for (repeatable)")
    args = ap.parse_args(argv)
    print(json.dumps(measure(args.site, args.query or ["utvisning", "familieliv barn", "tortur"]), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
