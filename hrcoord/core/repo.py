"""Find a data repository, discover its record files, load them into Records.

One model of the repository serves every command: `Repository.load()` reads the files (only the
types a command needs), `Repository.context()` gives the vocabularies and ids that checks use.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from hrcoord.core.errors import WARNING, Problem, UsageError
from hrcoord.core.loader import Source, load_file
from hrcoord.core.models import MODELS, VOCAB_FILES, model_for
from hrcoord.core.models.base import ID_RE, Context, Record

SETTINGS_FILE = "hrcoord.yaml"
CACHE_FROM = 200  # record types with fewer files are parsed faster than a cache is read
DATA = "data"


def find_root(explicit: str | os.PathLike | None = None, start: Path | None = None) -> Path:
    """`--repo DIR`, else $HRCOORD_REPO, else walk up from the current folder (like git)."""
    chosen = explicit or os.environ.get("HRCOORD_REPO")
    if chosen:
        root = Path(chosen).expanduser()
        if not (root / SETTINGS_FILE).is_file():
            raise UsageError(f"{root}: not an hrcoord repository (no {SETTINGS_FILE}); create one with `hrcoord init`")
        return root.resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    raise UsageError(f"no {SETTINGS_FILE} in {here} or any parent folder; pass --repo DIR or run `hrcoord init`")


class Repository:
    def __init__(self, root: Path):
        self.root = Path(root)
        self._root_prefix = str(self.root).rstrip("/") + "/"
        self.data_dir = self.root / DATA
        self.problems: list[Problem] = []  # problems found while loading
        self._files: dict[str, list[tuple[Path, tuple[str, ...]]]] | None = None
        self._scan: dict[str, list[tuple[str, tuple[str, ...]]]] | None = None
        self._records: dict[str, dict[str, Record]] = {}
        self._settings: Record | None = None
        self._ctx: Context | None = None
        self.stray: list[Problem] = []

    # --- discovery ------------------------------------------------------------------------
    def rel(self, path: Path) -> str:
        """The path as shown in messages: relative to the repository root, with '/'."""
        text = str(path)
        prefix = self._root_prefix
        if text.startswith(prefix):
            return text[len(prefix):]
        try:
            return Path(os.path.relpath(path, self.root)).as_posix() if Path(path).is_absolute() else Path(path).as_posix()
        except ValueError:
            return text

    def files(self) -> dict[str, list[tuple[Path, tuple[str, ...]]]]:
        """Record files by type: (absolute path, parts below data/). One scandir walk."""
        if self._files is None:
            self._files = {t: [(Path(p), parts) for p, parts in lst] for t, lst in self.scan().items()}
        return self._files

    def scan(self) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
        """Like files(), with the paths as plain strings: a warm `validate` touches 10,000s of
        them, and building a Path for each costs more than the rest of its work."""
        if self._scan is not None:
            return self._scan
        found: dict[str, list] = {t: [] for t in MODELS}
        stray = []

        def walk(folder: str, parts: tuple[str, ...]):
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError:
                return
            for e in entries:
                if e.name.startswith("."):
                    continue
                p = parts + (e.name,)
                if e.is_dir(follow_symlinks=False):
                    if len(p) < 3:
                        walk(e.path, p)
                    continue
                model = model_for(p)
                if model is None:
                    if e.name.endswith((".yaml", ".yml", ".md")):
                        stray.append(Problem(self.rel(e.path), 1, 1, "HR208",
                                             "not a record location; see the repository layout in the README",
                                             WARNING))
                    continue
                found[model.type].append((e.path, p))

        walk(str(self.data_dir), ())
        self._scan = found
        self.stray = stray
        return found

    def ids(self, type_: str) -> list[str]:
        return [parts[-1].rsplit(".", 1)[0] for _, parts in self.scan()[type_]]

    # --- loading --------------------------------------------------------------------------
    def load_record(self, type_: str, path: Path) -> tuple[Record | None, list[Problem]]:
        """One record file; its load problems (YAML, encoding, file name) are returned, not raised."""
        model = MODELS[type_]
        path = Path(path)
        rel = self.rel(path)
        loaded = load_file(path, rel, markdown=model.markdown)
        if loaded.problems:
            return None, loaded.problems
        rid = path.name.rsplit(".", 1)[0]
        problems = []
        if model.folder not in VOCAB_FILES and not ID_RE.match(rid):
            problems.append(Problem(rel, 1, 1, "HR011",
                                    f"file name {path.name!r} is not a valid id (lower-case letters, digits, hyphens)"))
        return Record(type_, rid, loaded.source, loaded.data), problems

    def _load_one(self, type_: str, path: Path) -> Record | None:
        rec, problems = self.load_record(type_, path)
        self.problems.extend(problems)
        return rec

    @staticmethod
    def key_of(type_: str, path: Path | str) -> str:
        """The key of a record in `records(type_)`: meetings, submissions and measures are named
        within their network or plan."""
        folder, _, name = str(path).rpartition("/")
        rid = name.rsplit(".", 1)[0]
        return f"{folder.rpartition('/')[2]}/{rid}" if type_ in ("meeting", "submission", "measure") else rid

    def load(self, *types: str) -> "Repository":
        """Load the records of these types (all when none given); loading twice is free.
        Files unchanged since an earlier run come from the record cache, not the parser."""
        from hrcoord.core import cache

        for type_ in types or tuple(MODELS):
            if type_ in self._records:
                continue
            recs: dict[str, Record] = {}
            paths = self.scan()[type_]
            cached = cache.load_records(self.root, type_) if len(paths) >= CACHE_FROM else {}
            entries, parsed = {}, 0
            for path, _ in paths:
                rel = self.rel(path)
                try:
                    sig = cache.signature(path)
                except OSError:
                    sig = None
                hit = cached.get(rel)
                if hit is not None and sig is not None and hit[0] == sig:
                    src = Source(Path(path), rel, *hit[1])
                    rec = Record(type_, path.rpartition("/")[2].rsplit(".", 1)[0], src, hit[2])
                else:
                    rec, problems = self.load_record(type_, path)
                    self.problems.extend(problems)
                    parsed += 1
                    if rec is None:
                        continue
                    s = rec.source
                    hit = None if problems else [sig, [s.yaml_text, s.body, s.yaml_line, s.head], rec.data]
                if hit is not None:
                    entries[rel] = hit
                recs[self.key_of(type_, path)] = rec
            # rewriting a large cache costs more than parsing a few changed files again next time
            if len(paths) >= CACHE_FROM and (parsed > max(50, len(paths) // 50) or not cached
                                             or len(cached) - len(entries) + parsed > max(50, len(paths) // 50)):
                cache.save_records(self.root, type_, entries)
            self._records[type_] = recs
        return self

    def records(self, type_: str) -> dict[str, Record]:
        self.load(type_)
        return self._records[type_]

    def all_records(self) -> list[Record]:
        self.load()
        return [r for recs in self._records.values() for r in recs.values()]

    def vocab_record(self, type_: str) -> Record | None:
        recs = self.records(type_)
        return next(iter(recs.values()), None)

    @property
    def settings(self) -> dict:
        if self._settings is None:
            path = self.root / SETTINGS_FILE
            loaded = load_file(path, SETTINGS_FILE, markdown=False)
            if loaded.problems:
                self.problems.extend(loaded.problems)
                self._settings = Record("settings", "hrcoord", None, {})  # type: ignore[arg-type]
            else:
                self._settings = Record("settings", "hrcoord", loaded.source, loaded.data)
        return self._settings.data

    @property
    def settings_record(self) -> Record:
        self.settings
        return self._settings  # type: ignore[return-value]

    @property
    def language(self) -> str:
        from hrcoord.core.labels import DEFAULT, languages

        lang = self.settings.get("language", DEFAULT)
        return lang if lang in languages() else DEFAULT

    # --- vocabularies ---------------------------------------------------------------------
    def context(self, today: dt.date | None = None) -> Context:
        if self._ctx is not None and today is None:
            return self._ctx
        ctx = Context(today=today or dt.date.today())
        org = self.vocab_record("organisation")
        if org is not None:
            ctx.sets["departments"] = {d.get("code") for d in _dicts(org.get("departments"))}
        conv = self.vocab_record("conventions")
        if conv is not None:
            for c in _dicts(conv.get("conventions")):
                ctx.articles[c.get("code")] = {str(a) for a in c.get("articles") or [] if a is not None}
            for b in _dicts(conv.get("bodies")):
                ctx.bodies[b.get("code")] = b
        tax = self.vocab_record("taxonomy")
        if tax is not None:
            ctx.sets["relevance"] = {e.get("slug") for e in _dicts(tax.get("relevance"))}
            ctx.sets["keywords"] = {e.get("slug") for e in _dicts(tax.get("keywords"))}
        ctx.sets["networks"] = set(self.ids("network"))
        ctx.sets["plans"] = set(self.ids("action-plan"))
        # (no judgment ids here: field checks must not depend on the set of summaries, so that the
        # validation cache re-checks only what changed when one is added)
        if today is None:
            self._ctx = ctx
        return ctx

    # --- convenient lookups ----------------------------------------------------------------
    def judgment(self, jid: str) -> Record:
        rec = self.records("judgment").get(jid)
        if rec is None:
            from hrcoord.core.models.base import suggest

            raise UsageError(f"no summary with id {jid!r}" + suggest(jid, list(self.records("judgment"))))
        return rec

    def department_names(self, lang: str | None = None) -> dict[str, str]:
        lang = lang or self.language
        org = self.vocab_record("organisation")
        return {d.get("code"): d.get(f"name_{lang}") or d.get("code") for d in _dicts(org.get("departments") if org else None)}

    def networks(self) -> dict[str, Record]:
        return self.records("network")

    def network(self, slug: str) -> Record:
        nets = self.networks()
        if slug not in nets:
            known = ", ".join(sorted(nets)) or "none"
            raise UsageError(f"unknown network {slug!r}; known networks: {known}")
        return nets[slug]


def _dicts(value) -> list[dict]:
    return [v for v in value or [] if isinstance(v, dict)] if isinstance(value, list) else []


def open_repo(explicit=None) -> Repository:
    return Repository(find_root(explicit))
