"""`hrcoord validate`: every record against its model, then the checks across records.

Per file: load, field checks, facts for the cross-record checks — kept in the cache under the
file's stat signature, so a warm run re-reads only files that changed. The cross-record checks
always run, on the facts, which takes milliseconds.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from hrcoord.core import cache as cache_store
from hrcoord.core.checks.links import cross_check, facts
from hrcoord.core.errors import ERROR, WARNING, Problem, Report
from hrcoord.core.models import MODELS
from hrcoord.core.models.settings import SETTINGS
from hrcoord.core.repo import Repository

# Below this many files to check, this process is faster than starting workers (fork ~0.05 s,
# spawn ~0.3 s a worker); above it, the parsing — most of a cold run — is shared by every core.
PARALLEL_FROM = 600
RUNS_PER_WORKER = 4  # tasks per worker: a slower core (a shared machine) gets fewer
_W: dict = {}  # per worker process: its repository and context


def _check_file(repo: Repository, type_: str, path: str, ctx) -> tuple[list[tuple], dict | None]:
    if type_ == "settings":
        settings = repo.settings_record
        problems = [p for p in repo.problems if p.path == "hrcoord.yaml"]
        if settings.source is not None:
            problems += settings.problems(SETTINGS.validate(settings, ctx))
        return [_tuple(p) for p in problems], None
    rec, problems = repo.load_record(type_, Path(path))
    if rec is not None and type_ in repo.keep:
        repo.parsed[path] = (rec, problems)
    fct = None
    if rec is not None:
        issues = MODELS[type_].validate(rec, ctx)
        if issues:
            problems = problems + rec.problems(issues)
        fct = facts(rec)
    return [_tuple(p) for p in problems], fct


def _tuple(p: Problem) -> tuple:
    return (p.path, p.line, p.col, p.code, p.message, p.severity)


def validate(repo: Repository, paths: list[str] | None = None, strict: bool = False,
             today: dt.date | None = None, use_cache: bool = True) -> Report:
    """Check the whole repository; with `paths`, report only problems in files under them."""
    with repo.unguarded():
        return _validate(repo, paths, strict, today, use_cache)


def _validate(repo: Repository, paths: list[str] | None, strict: bool, today: dt.date | None,
              use_cache: bool) -> Report:
    """validate(), on the files as they are. One pass over the files, then the cross checks; a
    run in which nothing changed answers from the last outcome. Inside a transaction, the staged
    texts are checked, and nothing is cached (the cache describes the files on disk)."""
    day = today or dt.date.today()
    # the fingerprint needs only file signatures and ids; the vocabularies are read (into the
    # context) only when some file must be checked again
    fp = cache_store.fingerprint(repo, day, set(repo.ids("network")), set(repo.ids("action-plan")))
    files = repo.scan()
    targets = [("settings", str(repo.root / "hrcoord.yaml"))] + [(t, p) for t, lst in files.items() for p, _ in lst]
    sigs = cache_store.signatures([path for _, path in targets])
    repo.signatures = {path: sig for (_, path), sig in zip(targets, sigs, strict=True)}  # what was checked
    fhash = cache_store.files_hash(targets, sigs)
    repo.files_hash = fhash
    staged = set(repo.overlay)
    last = cache_store.load_last(repo.root, fp, fhash) if use_cache and not staged else None
    if last is not None:
        # not one file changed, none added or removed: the cross checks would find what they found
        return _report([Problem(*t) for t in last], repo, paths, strict, len(targets))
    cached = cache_store.load(repo.root, fp) if use_cache else {}
    entries, problems, facts_by_type, where = _check_files(repo, targets, sigs, cached, staged, today)
    problems += _cross_problems(repo, files, facts_by_type, where)
    if use_cache and not staged:
        cache_store.save(repo.root, fp, entries, fhash, problems)
    return _report([Problem(*t) for t in problems], repo, paths, strict, len(targets))


def _check_files(repo: Repository, targets: list, sigs: list, cached: dict, staged: set, today: dt.date | None):
    """Every file's own checks: from the cache where its signature is unchanged, else anew (on
    every core when there are many). Returns the cache entries, the problems, the facts for the
    cross checks and where each is."""
    lazy: list = []

    def context():
        if not lazy:
            lazy.append(repo.context(today))
            if today is not None:
                repo._ctx = lazy[0]  # field checks of this run use the given day
        return lazy[0]

    rels = [repo.rel(path) for _, path in targets]
    todo = [i for i, (rel, sig) in enumerate(zip(rels, sigs, strict=True))
            if (entry := cached.get(rel)) is None or entry[0] != sig or sig is None or targets[i][1] in staged]
    fresh = _check_anew(repo, targets, todo, staged, today, context)
    entries: dict[str, tuple] = {}
    problems: list[tuple] = []
    facts_by_type: dict[str, dict[str, dict]] = {}
    where: dict[str, tuple[str, Path]] = {}
    for i, ((type_, path), sig, rel) in enumerate(zip(targets, sigs, rels, strict=True)):
        entry = (sig, *fresh[i]) if i in fresh else cached[rel]
        entries[rel] = entry
        problems.extend(entry[1])
        if entry[2] is not None:
            facts_by_type.setdefault(type_, {})[rel] = entry[2]
            where[rel] = (type_, path)
    return entries, problems, facts_by_type, where


def _check_anew(repo: Repository, targets: list, todo: list[int], staged: set, today: dt.date | None,
                context) -> dict[int, tuple]:
    """target index -> (problems, facts) for the targets at `todo`: on every core when there are
    many outside a transaction whose records the caller does not keep, the rest here."""
    fresh: dict[int, tuple] = {}
    shared = [i for i in todo if not staged and targets[i][0] not in repo.keep and targets[i][0] != "settings"]
    if len(shared) >= PARALLEL_FROM:
        fresh.update(_check_in_workers(repo, [targets[i] for i in shared], shared, today))
    for i in todo:
        if i not in fresh:
            fresh[i] = _check_file(repo, targets[i][0], targets[i][1], context())
    return fresh


def _check_in_workers(repo: Repository, targets: list, at: list[int], today: dt.date | None) -> dict[int, tuple]:
    """`_check_file` for each target on every core (hrcoord.core.pool: spawn-safe, each worker
    opens the repository itself); {} on one core."""
    from hrcoord.core import pool

    n = min(pool.cores(), 8)
    if n < 2:
        return {}
    runs = pool.split(list(zip(at, targets, strict=True)), n * RUNS_PER_WORKER)
    out: dict[int, tuple] = {}
    day = (today or dt.date.today()).isoformat()
    with pool.executor(n, _init_worker, (str(repo.root), day)) as ex:
        for run, results in zip(runs, ex.map(_check_run, [[t for _, t in run] for run in runs]), strict=True):
            out.update((i, r) for (i, _), r in zip(run, results, strict=True))
    return out


def _init_worker(root: str, day: str) -> None:
    """A worker's start: its own repository and context for `day` (nothing from the parent)."""
    repo = Repository(Path(root), guard=False)
    _W.update(repo=repo, ctx=repo.context(dt.date.fromisoformat(day)))


def _check_run(targets: list[tuple[str, str]]) -> list[tuple]:
    repo = _W["repo"]
    return [_check_file(repo, type_, path, _W["ctx"]) for type_, path in targets]


def _cross_problems(repo: Repository, files: dict, facts_by_type: dict, where: dict) -> list[tuple]:
    """The checks across records, on the facts; positions looked up only for files with issues."""
    keys = {t: {repo.key_of(t, p) for p, _ in lst} for t, lst in files.items()}
    by_file: dict[str, list] = {}
    for rel, issue in cross_check(facts_by_type, keys):
        by_file.setdefault(rel, []).append(issue)
    out: list[tuple] = []
    for rel, issues in by_file.items():
        type_, path = where[rel]
        rec, _ = repo.load_record(type_, path)
        if rec is not None:
            out.extend(_tuple(p) for p in rec.problems(issues))
    return out


def _report(result: list[Problem], repo: Repository, paths, strict: bool, checked: int) -> Report:
    """The problems under `paths` (all when none), warnings as errors with `strict`, sorted;
    with the problems of the scan (stray files, links), which are never cached."""
    result = result + list(repo.stray) + list(repo.refused)
    if paths:
        wanted = [repo.rel(Path(p).resolve()) for p in paths]
        result = [p for p in result if any(w == "." or p.path == w or p.path.startswith(w.rstrip("/") + "/")
                                           for w in wanted)]
    if strict:
        result = [Problem(p.path, p.line, p.col, p.code, p.message, ERROR) if p.severity == WARNING else p
                  for p in result]
    result = sorted(set(result), key=lambda p: (p.path, p.line, p.col, p.code))
    return Report(result, checked)
