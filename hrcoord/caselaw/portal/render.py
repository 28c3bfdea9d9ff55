"""Reading and rendering on all cores: the page frame, the templates, and the two rounds a build
runs in worker processes (hrcoord.core.pool) — the summary files are read in runs
(`load_files`), then the pages rendered in runs straight into the staging folder
(`render_files`). Pages are rendered from plain, picklable data, one call per summary.

Workers are started with `init_worker(root)`, which opens the repository in that process: what a
worker needs comes from its arguments and that initializer, never from a parent's memory, so
the pool is correct under the `spawn` start method (Windows, macOS) as well as `fork`. A small
job runs in this process (`Tasks` with one worker), where the records read in round 1 are kept
for round 2; a worker reads a summary again when it renders it."""
from __future__ import annotations

import os
import threading
from concurrent.futures import Executor
from pathlib import Path
from types import SimpleNamespace

from hrcoord.caselaw.portal import appears as gate
from hrcoord.caselaw.portal.exports import PartSink, index_entry, to_json
from hrcoord.caselaw.portal.views import LABELS, make_view, published_day
from hrcoord.core import fsutil
from hrcoord.core.errors import HrcoordError
from hrcoord.core.models.base import Record
from hrcoord.core.models.judgment import related_links

PARALLEL_FROM = 200  # fewer files load and render faster in this process than workers start
ASSETS = {"assets/style.css": "portal/style.css", "assets/search.js": "portal/search.js",
          "assets/copy.js": "portal/copy.js",
          "assets/designsystemet.css": "portal/vendor/designsystemet/index.css",
          "assets/designsystemet-theme.css": "portal/vendor/designsystemet/theme.css"}
CSP = ("default-src 'none'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
       "style-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:")
RUNS_PER_WORKER = 4  # tasks per worker and round: a slower core (a shared machine) gets fewer
_W: dict = {"records": {}, "keep": True}  # per process: the repository, the records read here


def init_worker(root: str) -> None:
    """A worker process's start: open the repository (spawn-safe: nothing inherited)."""
    from hrcoord.core.repo import Repository

    _W.update(repo=Repository(Path(root)), records={}, keep=False)


# --- templates ---------------------------------------------------------------------------------

def site_context(root: str | None, lang: str, organisation: str, accessibility_url: str = "") -> dict:
    """What every page shares: labels, the site's title, the Content Security Policy (only our
    own files; WebAssembly for Pagefind), the accessibility statement's address."""
    return {"lang": lang, "L": LABELS[lang], "csp": CSP, "title": LABELS[lang]["site_title"],
            "organisation": organisation, "accessibility_url": accessibility_url}


def asset_files(root: str | None, lang: str) -> dict[str, str]:
    """The stylesheets and the search script (a repository's own templates may replace them)."""
    import jinja2

    from hrcoord.render.env import environment

    env = environment(root, lang)
    out = {}
    for target, name in ASSETS.items():
        try:
            out[target] = env.loader.get_source(env, name)[0]
        except jinja2.TemplateNotFound:
            raise HrcoordError(f"template {name} not found") from None
    return out


def render_page(repo_root: str | None, lang: str, name: str, **context) -> str:
    from hrcoord.render.env import render

    return render(SimpleNamespace(root=Path(repo_root) if repo_root else None, language=lang), name, lang, **context)


def render_summary(root: str | None, lang: str, view: dict, site: dict) -> str:
    """One summary's page: a pure function of its arguments (ready for a process pool)."""
    from hrcoord.caselaw.portal.search import INDEXED, filter_values

    return render_page(root, lang, "portal/summary.html.j2", s=view, site=site, root="../",
                       indexed=INDEXED, filters=filter_values(view))


def render_item(root: str | None, lang: str, view: dict, site: dict):
    from markupsafe import Markup

    return Markup(render_page(root, lang, "portal/item.html.j2", v=view, L=site["L"], root=""))


# --- round 1: reading ----------------------------------------------------------------------------

def meta(rec: Record, sig) -> dict:
    """What the site needs to know of a summary file without reading it again: whether it
    appears, its title, and the summaries it links to."""
    rb = rec.get("replaced_by")
    return {"sig": sig, "id": rec.id, "appears": gate.appears(rec), "status": rec.get("status"),
            "title": str(rec.get("title") or rec.id), "published": published_day(rec.data),
            "links": [rid for _, rid, _ in related_links(rec.data)] + ([rb] if isinstance(rb, str) else [])}


def _unseen_meta(path: Path, sig) -> dict:
    return {"sig": sig, "id": path.stem, "appears": False, "status": None, "title": path.stem, "published": "",
            "links": []}


def _read_one(repo, path: Path) -> tuple[str, dict] | None:
    from hrcoord.core.cache import signature_of
    from hrcoord.core.loader import parse_yaml, read_text, split_front_matter

    rel = repo.rel(path)
    stat: list = []
    text, _ = read_text(path, rel, stat)
    if not stat:
        return None  # vanished
    sig = signature_of(stat[0])
    src = split_front_matter(text, path, rel)[0] if text is not None else None
    if src is None:
        return None  # a broken file: the gate (validation) has refused the publish if it mattered
    if "published" not in src.yaml_text and "\\" not in src.yaml_text:
        # neither `status: published` nor a `published:` day, and no escape that could spell
        # them: it cannot appear, so its YAML need not be parsed (drafts, summaries in review)
        return rel, _unseen_meta(path, sig)
    loaded = parse_yaml(src)
    if not isinstance(loaded.data, dict):
        return None  # not a mapping (HR009): the gate has refused the publish if it mattered
    rec = Record("judgment", path.stem, src, loaded.data)
    if _W.get("keep", True):  # this process renders too: keep the record for round 2
        _W["records"][rel] = rec
    return rel, meta(rec, sig)


def load_files(paths: list[str]) -> list[tuple[str, dict]]:
    """Read summary files: (rel, meta) of each that loads."""
    repo = _W["repo"]
    return [found for found in (_read_one(repo, Path(p)) for p in paths) if found is not None]


# --- round 2: rendering ------------------------------------------------------------------------------

def _record(repo, rel: str) -> Record | None:
    rec = _W["records"].get(rel)
    if rec is None:  # unchanged but a linked title changed, or another worker's (helping)
        rec, _ = repo.load_record("judgment", repo.root / rel)
    return rec


def _rendered(rec: Record, ctx: dict, sink: PartSink | None) -> tuple[tuple | None, list]:
    """One summary rendered: (rel, url, slim view, index entry, export entry, page), or None and
    the personal-data guard's hits on the page and its export entry as they will be read."""
    view = make_view(rec, ctx["voc"], ctx["on_site"], ctx["today"])
    view["item_html"] = render_item(ctx["root"], ctx["lang"], view, ctx["site"])
    page: str | None = render_summary(ctx["root"], ctx["lang"], view, ctx["site"])
    hits = gate.published_hits(rec, str(page), view)
    if hits:
        return None, hits
    if ctx["into"] is not None and page is not None:
        write_new(os.path.join(ctx["into"], view["url"]), page.encode("utf-8"))
        page = None
    index: str | tuple = index_entry(view)
    export: str | tuple = to_json(view["export"])
    if sink is not None:  # into staging: the JSON entries go to this worker's part files
        index, export = sink.put("index", str(index)), sink.put("export", str(export))
    return (rec.rel, view["url"], slim(view), index, export, page), []


def render_files(me: int, rels: list[str], ctx: dict) -> tuple[list[tuple], list]:
    """The pages of these summaries, after the personal-data guard: a `_rendered` tuple each (page
    None when written into `ctx['into']`, entries as text or as places in part files number `me`),
    and the guard's hits. Once anything is found, nothing more is rendered (the publish is
    refused)."""
    repo = _W["repo"]
    done: list[tuple] = []
    hits: list = []
    sink = PartSink(ctx["parts"], me) if ctx["into"] is not None else None
    try:
        for rel in rels:
            rec = _record(repo, rel)
            if rec is None:
                continue  # vanished while we looked
            found = gate.personal_data(rec)
            if found or hits:
                hits.extend(found)
                continue
            one, found = _rendered(rec, ctx, sink)
            if one is None:
                hits.extend(found)
                continue
            done.append(one)
    finally:
        if sink is not None:
            sink.close()
    return done, hits


SLIM = ("id", "url", "title", "date", "published", "review_date", "withdrawn", "lead_html", "lead_text",
        "item_html")


def slim(view: dict) -> dict:
    """What the index pages and the feed need of a view; the state keeps this much (kept small:
    it is read and written on every publish)."""
    out = {k: view[k] for k in SLIM}
    out["item_html"] = str(out["item_html"])  # plain text in the state (it is kept as data)
    out["articles"] = [{k: a[k] for k in ("code", "convention", "article", "label")} for a in view["articles"]]
    out["relevance"] = [{"slug": r["slug"]} for r in view["relevance"]]
    out["origins"] = [{"code": o["code"], "name": o["name"], "anchor": o["anchor"]} for o in view["origins"]]
    return out


# --- helpers -------------------------------------------------------------------------------------

class Background:
    """fn(*args) in a thread; `result()` waits for it (and raises what it raised)."""

    def __init__(self, fn, *args):
        self._value, self._error = None, None
        self._thread = threading.Thread(target=self._run, args=(fn, args), daemon=True)
        self._thread.start()

    def _run(self, fn, args):
        try:
            self._value = fn(*args) if all(a is not None for a in args) else None
        except BaseException as exc:
            self._error = exc

    def result(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def write_new(path: str, data) -> None:
    """A file in the staging folder (bytes, or a Spliced JSON export), in three system calls for
    a page: thousands are written."""
    # O_EXCL: a new file, never one linked from the old site; O_BINARY: no newline translation (Windows)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o666)
    try:
        if hasattr(data, "write_into"):
            data.write_into(fd)
        else:
            fsutil.write_all(fd, data)
    finally:
        os.close(fd)


def load_task(paths: list[str]) -> list[tuple[str, dict]]:
    return load_files(paths)


def render_task(args: tuple) -> tuple[list[tuple], list]:
    return render_files(*args)


class Tasks:
    """Runs of work in `n` worker processes, or in this process when `n` is 1."""

    def __init__(self, n: int, root: str):
        self.n = n
        self.root = root
        self._ex: Executor | None = None

    def __enter__(self) -> Tasks:
        if self.n > 1:
            from hrcoord.core.pool import executor

            self._ex = executor(self.n, init_worker, (self.root,))
        return self

    def runs(self, items: list) -> list[list]:
        from hrcoord.core.pool import split

        return split(items, self.n * RUNS_PER_WORKER if self.n > 1 else 1)

    def map(self, fn, args: list) -> list:
        if self._ex is None:
            return [fn(a) for a in args]
        return list(self._ex.map(fn, args))

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._ex is not None:
            self._ex.shutdown(wait=True, cancel_futures=exc_type is not None)


def workers(n: int, root: str) -> Tasks:
    """Workers for a job of `n` files: one per core (at most 8), or just this process when few."""
    from hrcoord.core import pool

    return Tasks(min(pool.cores(), 8) if n >= PARALLEL_FROM else 1, root)
