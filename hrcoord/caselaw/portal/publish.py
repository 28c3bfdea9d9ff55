"""`hrcoord publish`: the portal export (SPEC §3, §5, §7), put together from the other modules.

What is written (into a staging folder that replaces `--out` only when everything succeeded):

    index.html                 all summaries, newest first, with the search
    articles.html              by convention and article
    relevance.html             by relevance area
    summaries/<id>.html        one page per summary
    feed.xml                   Atom 1.0 feed of the latest changes
    summaries.json             every published record, for the portal's import
    search-index.json          the fallback search's data (also embedded in index.html when small)
    pagefind/                  the search index (Pagefind)
    assets/                    the stylesheets (Digdir's design system, vendored) and the script
    .hrcoord-site              marks the folder as ours, so a later publish may replace it

Order of work: the gate (validation, review stamps; appears.py) refuses before anything is
rendered; the summary files are read and the pages rendered on all cores (render.py), each after
the personal-data guard; then the indexes, feed, exports and the search index; then the swap.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hrcoord.caselaw.portal import appears as gate
from hrcoord.caselaw.portal import render, search, site, state
from hrcoord.caselaw.portal.exports import embed_json, export_files
from hrcoord.caselaw.portal.feed import _git_changes, atom_feed, feed_entries, feed_since
from hrcoord.caselaw.portal.indexes import index_pages
from hrcoord.caselaw.portal.views import LABELS, PAGES_DIR, vocab
from hrcoord.core.errors import UsageError
from hrcoord.core.models.base import Record

EMBED_LIMIT = 1024 * 1024  # embed the fallback search data in index.html up to this many bytes
PARTS_DIR = ".parts"  # in the staging folder: the workers' pieces of the JSON exports (removed)
# where Norwegian public bodies publish their accessibility statements (Digdir), until a repository
# names its own statement (`accessibility_url` in hrcoord.yaml)
ACCESSIBILITY_DEFAULT = "https://uustatus.no/"


@dataclass
class Published:
    out: Path
    files: list[str]
    summaries: int
    withdrawn: int
    notes: list[str] = field(default_factory=list)  # for the user (e.g. no Pagefind here)


@dataclass
class Build:
    files: dict  # relative path -> text or bytes, for what must still be written
    pages: set  # every summary page of the site
    state: dict  # what the next publish starts from
    rendered: int
    shown: int = 0  # summaries on the site
    counts: dict = field(default_factory=dict)  # of them, by status
    search_plan: list = field(default_factory=list)  # the Pagefind indexes: (folder, page urls)
    search_reuse: set = field(default_factory=set)  # of them, those unchanged since the last publish
    previous_out: Path | None = None  # the last publish's site (what is reused comes from there)


@dataclass
class Job:
    """One build's settings and its working data, passed between the steps below."""

    repo: Any
    lang: str
    today: dt.date
    base: str
    embed_limit: int
    into: Path | None
    fp: str = ""
    previous: dict = field(default_factory=dict)
    n: int = 1
    metas: dict = field(default_factory=dict)
    entries: dict = field(default_factory=dict)
    ctx: dict = field(default_factory=dict)
    rendered_urls: set = field(default_factory=set)

    @property
    def root(self) -> str:
        return str(self.repo.root)

    @property
    def organisation(self) -> str:
        return str(self.repo.settings.get("organisation") or "")

    @property
    def reusable(self) -> bool:
        """Unchanged entries can be copied from the last output (its files are at hand)."""
        return bool(self.previous.get("out"))


def settings(repo, lang: str | None, today: dt.date | None, base_url: str | None) -> tuple[str, dt.date, str]:
    lang = lang or repo.language
    if lang not in LABELS:
        raise UsageError(f"--lang must be nb or en, not {lang!r}")
    base = base_url if base_url is not None else str(repo.settings.get("portal_url") or "")
    if base and not base.endswith("/"):
        base += "/"
    return lang, today or dt.date.today(), base


# --- build: the steps ----------------------------------------------------------------------------

def _scan(job: Job, recs: list[Record] | None) -> tuple[list[str], list[str]]:
    """Every summary file, and the paths that must be read (the others are as last time)."""
    from hrcoord.core.cache import signature

    render._W.update(repo=job.repo, records={r.rel: r for r in recs or ()})
    if recs is not None:
        job.metas = {r.rel: render.meta(r, signature(r.source.path)) for r in recs}
        return [r.rel for r in recs], []
    rels, job.metas, paths = state.scan_summaries(job.repo, job.previous.get("meta", {}))
    return rels, paths


def _read(job: Job, tasks: render.Tasks, rels: list[str], paths: list[str]) -> dict[str, dict]:
    """Round 1: the workers read the files; the metas of the summaries that appear."""
    for found in tasks.map(render.load_task, tasks.runs(paths)):
        for rel, m in found:
            job.metas[rel] = m
    job.metas = {rel: job.metas[rel] for rel in rels if rel in job.metas}  # folder order, whoever read them
    return {rel: m for rel, m in job.metas.items() if m["appears"]}


def _plan(job: Job, shown: dict[str, dict], on_site: dict[str, str]) -> list[str]:
    """The summaries whose page is new or changed (in folder order); the others are kept."""
    old = job.previous.get("entries", {})
    todo = []
    for rel, m in shown.items():
        e = old.get(rel)
        d = state.deps(m, on_site)
        if e is not None and e["sig"] == m["sig"] and e["deps"] == d and job.reusable:
            job.entries[rel] = e
            continue
        job.entries[rel] = {"sig": m["sig"], "deps": d}
        todo.append(rel)
    return todo


def _context(job: Job, on_site: dict[str, str]) -> dict:
    accessibility = str(job.repo.settings.get("accessibility_url") or ACCESSIBILITY_DEFAULT)
    into = str(job.into) if job.into is not None else None
    return {"voc": vocab(job.repo, job.lang), "on_site": on_site, "root": job.root, "lang": job.lang,
            "today": job.today,
            "site": render.site_context(job.root, job.lang, job.organisation, accessibility), "into": into,
            "parts": str(job.into / PARTS_DIR) if job.into is not None else None}


def _link_unchanged(job: Job) -> None:
    """An incremental build into staging: the old site's unchanged pages come along as links."""
    if job.into is not None and job.reusable:
        urls = [e["view"]["url"] for e in job.entries.values() if "view" in e]
        site.link_unchanged(Path(job.previous["out"]), job.into, urls)


def _collect(job: Job, results: list) -> tuple[dict, int]:
    """The rendered pages (those not written by the workers) and the new entries' places."""
    gate.refuse_personal_data([p for _, hits in results for p in hits])
    files: dict[str, str | bytes] = {}
    rendered = 0
    for done, _ in results:
        for rel, url, slim, index, export, page in done:
            e = job.entries[rel]
            e["view"] = slim
            e["index_part" if isinstance(index, tuple) else "index_json"] = index
            e["export_part" if isinstance(export, tuple) else "export_json"] = export
            if page is not None:
                files[url] = page
            job.rendered_urls.add(url)
            rendered += 1
    job.entries = {rel: e for rel, e in job.entries.items() if "view" in e}  # drop any that vanished
    return files, rendered


def _rendered_site(job: Job, recs: list[Record] | None) -> tuple[dict, int, dict, object]:
    """Rounds 1 and 2 in the pool; the feed's git history read meanwhile in a thread."""
    rels, paths = _scan(job, recs)
    with render.workers(len(paths), job.root) as tasks:
        shown = _read(job, tasks, rels, paths)
        on_site = {m["id"]: m["title"] for m in shown.values()}
        # (after the workers started: no thread is ever forked)
        history = render.Background(_git_changes, job.repo, feed_since([m["published"] for m in shown.values()]))
        runs = tasks.runs(_plan(job, shown, on_site))
        job.n = len(runs)  # one set of part files per run
        job.ctx = _context(job, on_site)
        _link_unchanged(job)
        try:
            results = tasks.map(render.render_task, [(i, run, job.ctx) for i, run in enumerate(runs)])
        finally:
            render._W["records"] = {}  # the records read here are not needed any more
    files, rendered = _collect(job, results)
    return files, rendered, shown, history


def _part_files(job: Job):
    def part_files(name: str) -> list[Path]:  # the workers' pieces of one JSON export (full builds)
        return [job.into / PARTS_DIR / f"{name}-{i}" for i in range(job.n)] if job.into is not None else []

    return part_files


def _unchanged_indexes(job: Job, plan: list[tuple[str, list[str]]]) -> set[str]:
    """The Pagefind indexes whose pages are the same pages as at the last publish, none rendered again."""
    before = job.previous.get("search", {}) if job.reusable else {}
    return {name for name, urls in plan
            if before.get(name) == urls and not job.rendered_urls.intersection(urls)}


def _site_files(job: Job, ordered: list[dict], history, plan: list) -> dict:
    """The index pages, the feed, the JSON exports and the assets."""
    views = [e["view"] for e in ordered]
    prior = Path(job.previous["out"]) if job.reusable else None  # the last output, to copy unchanged entries from
    files: dict = export_files(ordered, lang=job.lang, today=job.today, prior=prior, part_files=_part_files(job))
    index_json = files["search-index.json"]
    embedded = embed_json(index_json.read()[:-1].decode("utf-8")) if len(index_json) - 1 <= job.embed_limit else None
    files.update(index_pages(views, job.ctx["voc"], root=job.root, lang=job.lang, site=job.ctx["site"],
                             today=job.today, search_data=embedded,
                             pagefind=[name for name, _ in plan] if search.available() else []))
    files["feed.xml"] = atom_feed(views, feed_entries(job.repo, views, history.result()), lang=job.lang,
                                  base_url=job.base, organisation=job.organisation, today=job.today)
    files.update(render.asset_files(job.root, job.lang))
    files[state.MARKER] = "Written by `hrcoord publish`; the next publish replaces this whole folder.\n"
    return files


def build(repo, *, lang: str | None = None, today: dt.date | None = None, base_url: str | None = None,
          embed_limit: int = EMBED_LIMIT, recs: list[Record] | None = None, previous: dict | None = None,
          into: Path | None = None) -> Build:
    """The site. With `previous` (the state of the last publish into the same folder), only pages
    whose summary or linked titles changed are rendered; the indexes are always rebuilt. With
    `into` (a staging folder), summary pages are written there as they are rendered — and with
    `previous` too, the unchanged ones linked from the old site — else returned in `files`.
    Raises DataError (nothing built) when the personal-data guard finds anything."""
    lang, today, base = settings(repo, lang, today, base_url)
    fp = state.site_fingerprint(repo, lang, base, today, embed_limit)
    job = Job(repo, lang, today, base, embed_limit, Path(into) if into is not None else None, fp=fp,
              previous=previous if previous and previous.get("fp") == fp else {})
    if job.into is not None:
        (job.into / PAGES_DIR).mkdir(parents=True, exist_ok=True)
        (job.into / PARTS_DIR).mkdir(exist_ok=True)
    files, rendered, shown, history = _rendered_site(job, recs)
    ordered = sorted(job.entries.values(), key=lambda e: (e["view"]["date"], e["view"]["title"], e["view"]["id"]),
                     reverse=True)
    plan = search.shard_plan([e["view"] for e in ordered])
    files.update(_site_files(job, ordered, history, plan))
    counts = {s: sum(1 for m in shown.values() if m["status"] == s) for s in ("published", "withdrawn")}
    new_state = {"fp": fp, "entries": job.entries, "meta": job.metas, "search": dict(plan)}
    return Build(files, {e["view"]["url"] for e in ordered}, new_state, rendered, len(job.entries), counts,
                 plan, _unchanged_indexes(job, plan), Path(job.previous["out"]) if job.reusable else None)


# --- publish ---------------------------------------------------------------------------------------

def _finish(staging: Path, built: Build) -> list[str]:
    """Write what is left into the staging folder and index it for search; the user's notes."""
    import shutil

    site.write_files(staging, built.files)
    shutil.rmtree(staging / PARTS_DIR, ignore_errors=True)
    note = search.build_index(staging, built.search_plan, built.previous_out, built.search_reuse)
    return [note] if note else []


def _publish_into(repo, out: Path, options: dict[str, Any], incremental: bool) -> tuple[Build, list[str]]:
    previous = None
    if incremental:
        fp = state.site_fingerprint(repo, options["lang"], options["base_url"], options["today"],
                                    options["embed_limit"])
        previous = state.previous(repo, out, options["lang"], fp)
    staging = site.staging_folder(out)
    try:
        built = build(repo, previous=previous, into=staging, **options)
        notes = _finish(staging, built)
        state.forget(repo, options["lang"])  # the site is about to change: an old state would lie
        site.swap_in(staging, out)
    except BaseException:
        site.discard(staging)
        raise
    state.save(repo, out, options["lang"], built.state)
    return built, notes


def _publish(repo, out: Path, lang, today, base_url, dry_run: bool, embed_limit: int, incremental: bool):
    site.check_target(out)  # fail early, before rendering anything
    lang, today, base = settings(repo, lang, today, base_url)
    # publish checks what it rests on itself (the settings, the vocabularies, every summary that is
    # not plainly left out): a broken draft does not stop the portal, a broken published one does
    gate.refuse_unless_clean(repo, today, use_cache=not dry_run)
    options: dict[str, Any] = {"lang": lang, "today": today, "base_url": base, "embed_limit": embed_limit}
    notes: list[str] = []
    if dry_run:
        built = build(repo, **options)
        if not search.available():
            notes.append(search.MISSING)
    else:
        with site.locked(repo.root, out):
            site.clean_leftovers(out)
            site.check_target(out)
            built, notes = _publish_into(repo, out, options, incremental)
    return built, notes


def publish(repo, out: Path, *, lang: str | None = None, today: dt.date | None = None,
            base_url: str | None = None, dry_run: bool = False, embed_limit: int = EMBED_LIMIT,
            incremental: bool = True) -> Published:
    """Write the portal export to `out`: the whole site on the first run; afterwards only the
    pages that changed are rendered (the result is byte for byte a clean build). Refuses (DataError,
    nothing written) on any error in what it would publish; `dry_run` writes nothing anywhere."""
    with repo.unguarded():  # publish checks what it rests on itself (gate.refuse_unless_clean)
        built, notes = _publish(repo, Path(out).absolute(), lang, today, base_url, dry_run, embed_limit, incremental)
    out = Path(out).absolute()
    return Published(out, sorted(set(built.files) | built.pages), built.counts["published"],
                     built.counts["withdrawn"], notes)
