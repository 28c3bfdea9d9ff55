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
from pathlib import Path

from hrcoord.caselaw.portal.views import strip_tags

FOLDER = "pagefind"
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


def build_index(site: Path) -> str | None:
    """Index the summary pages under `site` into `site/pagefind`. None when done, else a note for
    the user (Pagefind is missing or failed: the site then has the plain lists and the fallback)."""
    if not available():
        return MISSING
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--glob", GLOB, "--output-subdir", FOLDER,
           "--quiet"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}  # no stray settings
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    except OSError as exc:
        return f"search: Pagefind could not be started ({exc}); the portal keeps its plain lists"
    if done.returncode != 0 or not (site / FOLDER / "pagefind.js").is_file():
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        return f"search: Pagefind failed ({tail[0]}); the portal keeps its plain lists"
    for unused in UNUSED:  # Pagefind's own search interfaces: the portal has its own (assets/search.js)
        for path in (site / FOLDER).glob(unused):
            path.unlink()
    return None
