"""The portal's search: what it indexes, and the Pagefind index built over the summary pages.

What is searchable is decided here, in `indexed_fields`, and nowhere else: a summary's title,
its case numbers and ECLI, the names of its keywords and relevance areas, and its text (every
section, as rendered). The same fields make the small inline index of the file:// fallback, and
the summary page marks exactly these parts for Pagefind (the rest carries
`data-pagefind-ignore`; a test compares the two). These are the terms `judgment list --text`
matches (title, case numbers, ECLI, text) plus the vocabulary names a reader sees on the page.

Pagefind (the PyPI package `pagefind[extended]`, which bundles its binary; nothing is fetched at
run time) writes a chunked index into `pagefind/`: a browser fetches only the chunks a query
needs. Filters: court or committee, convention article, relevance area, applicants' country of
origin (when summaries have `origin`), year; sorted by date. Stemming follows the page's
language (`<html lang="nb">`: Norwegian bokmål, since Pagefind 1.4). Where the binary cannot be
run, publish says so and the site keeps its plain lists and the inline fallback.
"""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Set
from pathlib import Path

from hrcoord.caselaw.portal.views import strip_tags

FOLDER = "pagefind"
SHARD_PAGES = 10_000  # pages in one Pagefind index at most (its memory: about 250 kB a page)
GLOB = "summaries/*.html"
TRIM = ".,;:!?()[]{}«»\"'“”‘’*_`#>"
# the parts of a summary page Pagefind indexes (the page template reads this)
INDEXED = ("title", "references", "ecli", "keywords", "relevance", "text")
FILTERS = ("body", "article", "relevance", "origin", "year")
UNUSED = ("pagefind-ui.*", "pagefind-component-ui.*", "pagefind-modular-ui.*", "pagefind-highlight.js")
MISSING = ("search: Pagefind is not installed for this platform (pip install 'pagefind[extended]'); "
           "the portal keeps its plain lists and the small offline search")


def indexed_fields(view: dict) -> dict[str, str]:
    """The searchable text of one summary, field by field (see the module's docstring)."""
    return {
        "title": view["title"],
        "references": " ".join(view["references"]),
        "ecli": view["ecli"],
        "keywords": " ".join(k["name"] for k in view["keywords"]),
        "relevance": " ".join(r["name"] for r in view["relevance"]),
        "text": " ".join(strip_tags(s["html"]) for s in view["sections"]),
    }


def search_words(view: dict) -> str:
    """Lower-case words of the indexed fields, each once, for the inline fallback index (its
    script matches substrings)."""
    text = " ".join(indexed_fields(view).values()).lower()
    # each distinct word is stripped once: a summary repeats most of its words
    words = dict.fromkeys(w.strip(TRIM) for w in dict.fromkeys(text.split()))
    words.pop("", None)
    return " ".join(words)


def filter_values(view: dict) -> dict[str, list[str]]:
    """The values of each Pagefind filter for one summary (names as the page shows them)."""
    return {"body": [view["body_name"]] if view["body_name"] else [],
            "article": [a["label"] for a in view["articles"]],
            "relevance": [r["name"] for r in view["relevance"]],
            "origin": [o["name"] for o in view.get("origins", [])],
            "year": [view["year"]] if view.get("year") else []}


# --- running Pagefind ----------------------------------------------------------------------------

def available() -> bool:
    try:
        import pagefind_bin_extended  # noqa: F401 — the binary ships in this package
    except ImportError:
        try:
            import pagefind_bin  # noqa: F401
        except ImportError:
            return False
    return True


def shard_plan(views: list[dict], limit: int | None = None) -> list[tuple[str, list[str]]]:
    """The Pagefind indexes of a site: (folder, page urls) each. Pagefind holds about 250 kB of
    memory per indexed page while it runs (Pagefind#842), so a site of more than SHARD_PAGES
    pages gets several indexes, by years, newest first (each year whole, consecutive years
    together up to the limit), which the browser merges (`mergeIndex`). The first is `pagefind/`;
    a summary stays in its index until its year's group changes, so an incremental publish
    indexes again only the groups whose pages changed."""
    limit = limit or SHARD_PAGES
    years: dict[str, list[str]] = {}
    for v in views:
        years.setdefault(v["date"][:4] or "0000", []).append(v["url"])
    groups: list[list[str]] = []  # years, newest first
    size = 0
    for year in sorted(years, reverse=True):
        if groups and size + len(years[year]) <= limit:
            groups[-1].append(year)
            size += len(years[year])
        else:
            groups.append([year])
            size = len(years[year])
    out = []
    for i, group in enumerate(groups):
        name = FOLDER if i == 0 else f"{FOLDER}-{group[-1]}-{group[0]}"
        out.append((name, sorted(u for y in group for u in years[y])))
    return out


def _run_pagefind(pages: Path, into: Path) -> str | None:
    cmd = [sys.executable, "-m", "pagefind", "--site", str(pages), "--glob", GLOB, "--output-path", str(into),
           "--quiet"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}  # no stray settings
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    except OSError as exc:
        return f"search: Pagefind could not be started ({exc}); the portal keeps its plain lists"
    if done.returncode != 0 or not (into / "pagefind.js").is_file():
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        return f"search: Pagefind failed ({tail[0]}); the portal keeps its plain lists"
    for unused in UNUSED:  # Pagefind's own search interfaces: the portal has its own (assets/search.js)
        for path in into.glob(unused):
            path.unlink()
    return None


def _index_shard(site: Path, name: str, urls: list[str]) -> str | None:
    """One index over some of the pages: Pagefind reads a folder of links to them."""
    import shutil

    from hrcoord.caselaw.portal.site import link_unchanged

    if name == FOLDER and len(urls) == sum(1 for _ in (site / "summaries").glob("*.html")):
        return _run_pagefind(site, site / name)  # every page: no folder of links needed
    pages = site / f".{name}.pages"
    try:
        link_unchanged(site, pages, urls)
        return _run_pagefind(pages, site / name)
    finally:
        shutil.rmtree(pages, ignore_errors=True)


def build_index(site: Path, plan: list[tuple[str, list[str]]] | None = None, old: Path | None = None,
                reuse: Set[str] = frozenset()) -> str | None:
    """Index the summary pages under `site` (the staging folder) by `plan` (shard_plan; one
    index over all pages when None). The indexes named in `reuse` are unchanged since the last
    publish into `old`: their files are linked from there. None when done, else a note for the
    user (Pagefind is missing or failed: the site then has the plain lists and the fallback)."""
    from hrcoord.caselaw.portal.site import link_unchanged

    if not available():
        return MISSING
    if plan is None:
        plan = [(FOLDER, [p.relative_to(site).as_posix() for p in sorted((site / "summaries").glob("*.html"))])]
    for name, urls in plan:
        if old is not None and name in reuse and (old / name / "pagefind.js").is_file():
            link_unchanged(old, site, [p.relative_to(old).as_posix() for p in sorted((old / name).rglob("*"))
                                       if p.is_file()])
            continue
        note = _index_shard(site, name, urls)
        if note:
            return note
    return None
