"""Find a data repository, discover its record files, load them into Records.

One model of the repository serves every command: `Repository.load()` reads the files (only the
types a command needs), `Repository.context()` gives the vocabularies and ids that checks use.

**Load, validate, then act** (issue 19): a Repository hands out only records that passed their
checks. The first time a command asks for the records of a type (`records()`, `settings`, or
up front with `require(*types)`), the repository is validated (core/validate.py: cached per file
by stat signature, with a "nothing changed" shortcut, so a warm check costs milliseconds), and an
error in the settings, the vocabularies or a record of that type stops the command with a
DataError listing the problems (path:line, exit 1) before it acts. Warnings never stop it. So no
feature code ever meets a record of the wrong shape. `validate` and `fmt` read the files raw
(`unguarded()`): showing and fixing such problems is their job.

The repository is a boundary: a record file or folder that is a symbolic link (or not a plain
file) is refused (HR012), never read.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import operator
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from hrcoord.core.errors import ERROR, WARNING, DataError, HrcoordError, Problem, Report, UsageError
from hrcoord.core.loader import Loaded, Source, load_file, load_text
from hrcoord.core.models import FOLDERS, MODELS, VOCAB_FILES, model_for
from hrcoord.core.models.base import ID_RE, Context, Record

if TYPE_CHECKING:
    from hrcoord.core.index import Index, Row

T = TypeVar("T")
_NAME = operator.attrgetter("name")  # (a directory entry's sort key, in C)
SETTINGS_FILE = "hrcoord.yaml"
CACHE_FROM = 200  # record types with fewer files are parsed faster than a cache is read
DATA = "data"
# what every command needs: a check of these stops any command that reads records
BASE_TYPES = ("settings", "organisation", "conventions", "taxonomy")


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
    def __init__(self, root: Path, *, guard: bool = True):
        from hrcoord.core.transaction import overlay_for

        self.root = Path(os.path.abspath(root))
        self._root_prefix = str(self.root).rstrip(os.sep) + os.sep
        self.data_dir = self.root / DATA
        self.problems: list[Problem] = []  # problems found while loading
        self._files: dict[str, list[tuple[Path, tuple[str, ...]]]] | None = None
        self._scan: dict[str, list[tuple[str, tuple[str, ...]]]] | None = None
        self._records: dict[str, dict[str, Record]] = {}
        self._settings: Record | None = None
        self._ctx: Context | None = None
        self.stray: list[Problem] = []
        self.refused: list[Problem] = []  # links and other non-files where records belong (HR012)
        self._type_of: dict[str, str] = {}  # rel -> record type, for the guard
        # load, validate, then act: see the module docstring
        self.guard = guard
        self._checked: set[str] = set()
        self._report: Report | None = None
        self.signatures: dict[str, list | None] = {}  # path -> stat signature when validated
        self.files_hash: str | None = None  # one hash of those signatures (validate sets both)
        self.keep: set[str] = set()  # types whose records the guard's validation keeps for load()
        self.parsed: dict[str, tuple[Record, list[Problem]]] = {}  # path -> what validation parsed
        self.overlay = overlay_for(self.root)  # texts staged by an open transaction (read your writes)
        self._index: Index | Literal[False] | None = None  # the derived index, once opened (False: not usable)
        self._rows: dict[str, dict[str, Row]] = {}  # what rows() read from it, by type

    # --- load, validate, then act -------------------------------------------------------------------
    def require(self, *types: str) -> Repository:
        """Stop (DataError, exit 1) when the settings, the vocabularies or the records of `types`
        have errors; after this, the records of those types are known to be valid."""
        todo = (set(BASE_TYPES) | set(types)) - self._checked
        if not self.guard or not todo:
            return self
        if self._report is None:
            from hrcoord.core.validate import validate

            self.keep = todo  # files the check parses are not parsed again to be loaded
            try:
                self._report = validate(self)
            finally:
                self.keep = set()
        errors = [p for p in self._report.problems
                  if p.severity == ERROR and self._type_of.get(p.path, "*") in todo | {"*"}]
        if errors:
            names = sorted(t for t in todo if any(self._type_of.get(p.path) == t for p in errors))
            what = ", ".join(names) or "repository"
            raise DataError(f"{len(errors)} error{'s' * (len(errors) != 1)} in the {what} records this command "
                            f"reads; fix {'them' if len(errors) != 1 else 'it'} first (hrcoord validate lists "
                            f"every problem)", errors)
        self._checked |= todo
        return self

    @contextlib.contextmanager
    def unguarded(self) -> Iterator[Repository]:
        """Read the files as they are (validate, fmt): no check before use."""
        saved, self.guard = self.guard, False
        try:
            yield self
        finally:
            self.guard = saved

    # --- discovery ------------------------------------------------------------------------
    def rel(self, path: Path | str) -> str:
        """The path as shown in messages: relative to the repository root, with '/'."""
        text = str(path)
        prefix = self._root_prefix
        if text.startswith(prefix):
            rest = text[len(prefix):]
            return rest if os.sep == "/" else rest.replace(os.sep, "/")
        try:
            p = Path(path)
            return Path(os.path.relpath(p, self.root)).as_posix() if p.is_absolute() else p.as_posix()
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
        self.stray, self.refused = [], []
        self._type_of = {SETTINGS_FILE: "settings"}
        if os.path.islink(self.data_dir):
            self._refuse(str(self.data_dir), "*", "folder")
        else:
            self._walk(str(self.data_dir), (), found)
        for path in self.overlay:  # records a transaction creates: seen by this command already
            self._add_staged(path, found)
        self._scan = found
        return found

    def _walk(self, folder: str, parts: tuple[str, ...], found: dict[str, list]) -> None:
        try:
            entries = sorted(os.scandir(folder), key=_NAME)
        except OSError:
            return
        entry = FOLDERS.get(parts[0]) if parts else None
        if entry is not None and len(parts) == entry[1]:
            self._walk_leaf(folder, entries, parts, entry[0], found)
            return
        for e in entries:
            if e.name.startswith("."):
                continue
            p = parts + (e.name,)
            if e.is_symlink():
                self._refuse(e.path, self._type_at(p), "link")
                continue
            if e.is_dir(follow_symlinks=False):
                if len(p) < 3:
                    self._walk(e.path, p, found)
                continue
            model = model_for(p)
            if model is None:
                self._stray(self.rel(e.path))
                continue
            if not e.is_file(follow_symlinks=False):
                self._refuse(e.path, model.type, "special")
                continue
            found[model.type].append((e.path, p))
            self._type_of[self.rel(e.path)] = model.type

    def _walk_leaf(self, folder: str, entries: list, parts: tuple[str, ...], model, found: dict[str, list]) -> None:
        """_walk() in a folder whose files are records of one model (a year of summaries, a
        network's meetings): what model_for() would say of each, without asking it 100,000 times."""
        suffix = ".md" if model.markdown else ".yaml"
        prefix = self.rel(folder) + "/"
        type_, records, type_of = model.type, found[model.type], self._type_of
        for e in entries:
            name = e.name
            if name.startswith("."):
                continue
            if e.is_symlink():
                self._refuse(e.path, type_, "link")
            elif e.is_dir(follow_symlinks=False):
                if len(parts) < 2:
                    self._walk(e.path, parts + (name,), found)
            elif not name.endswith(suffix):
                self._stray(prefix + name)
            elif not e.is_file(follow_symlinks=False):
                self._refuse(e.path, type_, "special")
            else:
                records.append((e.path, parts + (name,)))
                type_of[prefix + name] = type_

    def _stray(self, rel: str) -> None:
        """A file where no record belongs: a warning when it looks like one (HR208)."""
        if rel.endswith((".yaml", ".yml", ".md")):
            self.stray.append(Problem(rel, 1, 1, "HR208",
                                      "not a record location; see the repository layout in the README", WARNING))

    @staticmethod
    def _type_at(parts: tuple[str, ...]) -> str:
        """The record type a path below data/ belongs to ('*': every type)."""
        model = model_for(parts)
        if model is not None:
            return model.type
        entry = FOLDERS.get(parts[0])
        return entry[0].type if entry is not None else "*"

    def _refuse(self, path: str, type_: str, what: str) -> None:
        rel = self.rel(path)
        message = {"link": "symbolic link: records and their folders must be plain files and folders inside "
                           "the repository; not read",
                   "folder": "the data folder is a symbolic link: records must lie inside the repository; "
                             "nothing read",
                   "special": "not a plain file (a pipe, a device …); not read"}[what]
        self.refused.append(Problem(rel, 1, 1, "HR012", message))
        self._type_of[rel] = type_

    def _add_staged(self, path: str, found: dict[str, list]) -> None:
        try:
            parts = Path(path).relative_to(self.data_dir).parts
        except ValueError:
            return
        model = model_for(parts)
        if model is not None and all(p != path for p, _ in found[model.type]):
            found[model.type].append((path, parts))
            found[model.type].sort(key=lambda item: item[1])

    def ids(self, type_: str) -> list[str]:
        return [parts[-1].rsplit(".", 1)[0] for _, parts in self.scan()[type_]]

    # --- loading --------------------------------------------------------------------------
    def load_record(self, type_: str, path: Path) -> tuple[Record | None, list[Problem]]:
        """One record file; its load problems (YAML, encoding, file name) are returned, not raised.
        Inside a transaction, a staged text is what the file holds."""
        model = MODELS[type_]
        path = Path(path)
        rel = self.rel(path)
        staged = self.overlay.get(str(path)) if self.overlay else None
        loaded: Loaded
        if staged is not None:
            loaded = load_text(staged, rel, markdown=model.markdown)
            if loaded.source is not None:
                loaded.source.path = path
        else:
            loaded = load_file(path, rel, markdown=model.markdown)
        if loaded.problems:
            return None, loaded.problems
        rid = path.name.rsplit(".", 1)[0]
        problems = []
        if model.folder not in VOCAB_FILES and not ID_RE.match(rid):
            problems.append(Problem(rel, 1, 1, "HR011",
                                    f"file name {path.name!r} is not a valid id (lower-case letters, digits, hyphens)"))
        return Record(type_, rid, loaded.source, loaded.data), problems  # type: ignore[arg-type]

    @staticmethod
    def key_of(type_: str, path: Path | str) -> str:
        """The key of a record in `records(type_)`: meetings, submissions and measures are named
        within their network or plan (from the path's parts: any separator)."""
        p = Path(path)
        rid = p.name.rsplit(".", 1)[0]
        return f"{p.parent.name}/{rid}" if type_ in ("meeting", "submission", "measure") else rid

    def load(self, *types: str) -> Repository:
        """Load the records of these types (all when none given); loading twice is free.
        Files unchanged since an earlier run come from the record cache, not the parser."""
        for type_ in types or tuple(MODELS):
            if type_ not in self._records:
                self._records[type_] = self._load_type(type_)
        return self

    def _load_type(self, type_: str) -> dict[str, Record]:
        """The records of one type: from the record cache where a file's signature is the one it
        had (the one validated, when the guard checked it), else parsed."""
        from hrcoord.core import cache

        recs: dict[str, Record] = {}
        paths = self.scan()[type_]
        big = len(paths) >= CACHE_FROM
        cached = cache.load_records(self.root, type_) if big else {}
        entries, parsed = {}, 0
        for path, _ in paths:
            rel = self.rel(path)
            sig = self._signature(path)
            hit = cached.get(rel)
            rec: Record | None
            if hit is not None and sig is not None and hit[0] == sig and str(path) not in self.overlay:
                src = Source(Path(path), rel, *hit[1])
                rec = Record(type_, os.path.basename(path).rsplit(".", 1)[0], src, hit[2])
            else:
                rec, problems, sig = self._parse(type_, path, sig)
                parsed += 1
                if rec is None:
                    continue
                s = rec.source
                hit = None if problems or str(path) in self.overlay else \
                    [sig, [s.yaml_text, s.body, s.yaml_line, s.head], rec.data]
            if hit is not None:
                entries[rel] = hit
            recs[self.key_of(type_, path)] = rec
        # rewriting a large cache costs more than parsing a few changed files again next time
        limit = max(50, len(paths) // 50)
        if big and (parsed > limit or not cached or len(cached) - len(entries) + parsed > limit):
            cache.save_records(self.root, type_, entries)
        return recs

    def _signature(self, path: str) -> list | None:
        if path in self.signatures:  # (before the import: called for every file of an index sync)
            return self.signatures[path]
        from hrcoord.core import cache

        try:
            return cache.signature(path)
        except OSError:
            return None

    def _parse(self, type_: str, path: str, sig: list | None) -> tuple[Record | None, list[Problem], list | None]:
        """Parse one file; a file that changed after the guard validated it is not used unchecked."""
        kept = self.parsed.pop(path, None)
        rec, problems = kept if kept is not None else self.load_record(type_, Path(path))
        self.problems.extend(problems)
        now = rec.source.sig if rec is not None and rec.source.sig is not None else sig
        if rec is not None and self._checked and path in self.signatures and now != self.signatures[path] \
                and str(path) not in self.overlay:
            raise HrcoordError(f"{self.rel(path)}: changed by another program while hrcoord read the repository; "
                               f"run the command again")
        return rec, problems, now

    def records(self, type_: str) -> dict[str, Record]:
        """The records of a type, by key; only after they passed their checks (the guard)."""
        self.require(type_)
        self.load(type_)
        return self._records[type_]

    def rows(self, type_: str, narrow: tuple[str, list] | None = None) -> Mapping[str, Record | Row]:
        """The records of a type for questions (lists, status, reports), by key: from the derived
        index (core/index.py) without parsing or decoding every file — rows with the data, id and
        path, the text read when asked for — or the loaded records where the index cannot serve
        (inside a transaction, in a dry run, on a read-only folder, or when they are loaded anyway).

        `narrow`, an SQL condition over the index's columns and its arguments, lets the index
        leave out rows the caller would skip anyway: the caller still applies its own test to
        every row it gets (the loaded records are not narrowed), so the condition must keep every
        row that test could accept."""
        if type_ not in self._rows:
            if narrow is not None:
                some = self.ask(type_, lambda ix: ix.select(type_, *narrow))
                if some is not None:
                    return {row.key: row for row in some}
            every = self.ask(type_, lambda ix: ix.rows(type_))
            if every is None:
                return self.records(type_)
            self._rows[type_] = {row.key: row for row in every}
        return self._rows[type_]

    def row(self, type_: str, key: str) -> Record | Row | None:
        """One record by key, as rows() would give it, without reading the others."""
        if type_ not in self._rows:
            found = self.ask(type_, lambda ix: (ix.row(type_, key),))
            if found is not None:
                return found[0]
        return self.rows(type_).get(key)

    def ask(self, type_: str, question: Callable[[Index], T]) -> T | None:
        """question(index) where the index may answer for `type_` (index_for), else None: the
        loaded records answer (so a question must not answer None itself). A damaged page that
        opening did not read fails the question: the index is made anew and asked once more,
        then left to the files."""
        import sqlite3

        for attempt in range(2):
            ix = self.index_for(type_)
            if ix is None:
                return None
            try:
                return question(ix)
            except sqlite3.DatabaseError:
                ix.close()
                self._index = self._open_index(fresh=True) if attempt == 0 else False
        return None

    def index_for(self, type_: str) -> Index | None:
        """The index, to answer a question about the (checked) records of `type_`; None where the
        loaded records answer instead: they are loaded already, a transaction has staged texts
        the index has not seen, the files are read unguarded, or the index cannot be used."""
        self.require(type_)
        if type_ in self._records or self.overlay or not self.guard:
            return None
        return self.index()

    def full(self, rec: Record | Row) -> Record:
        """The whole record (its source text too) of a row the index gave: one file parsed."""
        if isinstance(rec, Record):
            return rec
        path = str(self.root / rec.rel)
        loaded, _problems, _sig = self._parse(rec.type, path, self._signature(path))
        if loaded is None:
            raise HrcoordError(f"{rec.rel}: changed by another program while hrcoord read the repository; "
                               f"run the command again")
        return loaded

    def index(self) -> Index | None:
        """The derived index, in step with the files; None where it cannot be used (a dry run
        writes nothing; a folder that cannot hold it; HRCOORD_INDEX=0 turns it off)."""
        if self._index is None:
            from hrcoord.core import cache

            self._index = False
            if not cache.is_read_only() and os.environ.get("HRCOORD_INDEX", "1") != "0":
                self._index = self._open_index()
        return self._index or None

    def _open_index(self, fresh: bool = False) -> Index | Literal[False]:
        import sqlite3

        from hrcoord.core.index import Index

        try:
            return Index.open(self, fresh=fresh)
        except (sqlite3.Error, OSError):
            return False  # the files answer instead, only slower

    def vocab_record(self, type_: str) -> Record | None:
        self.require(type_)
        self.load(type_)
        return next(iter(self._records[type_].values()), None)

    @property
    def settings(self) -> dict:
        self.require()
        return self.settings_record.data

    @property
    def settings_record(self) -> Record:
        """The settings as read (unchecked: validate reads it through here)."""
        if self._settings is None:
            path = self.root / SETTINGS_FILE
            staged = self.overlay.get(str(path)) if self.overlay else None
            loaded = load_text(staged, SETTINGS_FILE) if staged is not None else \
                load_file(path, SETTINGS_FILE, markdown=False)
            if loaded.problems:
                self.problems.extend(loaded.problems)
                self._settings = Record("settings", "hrcoord", None, {})  # type: ignore[arg-type]
            else:
                if loaded.source is not None:
                    loaded.source.path = path
                self._settings = Record("settings", "hrcoord", loaded.source, loaded.data)  # type: ignore[arg-type]
        return self._settings

    @property
    def language(self) -> str:
        from hrcoord.core.labels import DEFAULT, languages

        lang = self.settings.get("language", DEFAULT)
        return lang if lang in languages() else DEFAULT

    # --- vocabularies ---------------------------------------------------------------------
    def context(self, today: dt.date | None = None) -> Context:
        """The vocabularies and record ids field checks use. Read defensively (it serves validate,
        which must report a vocabulary of the wrong shape rather than fail on it)."""
        if self._ctx is not None and today is None:
            return self._ctx
        ctx = Context(today=today or dt.date.today())
        with self.unguarded():
            org = self.vocab_record("organisation")
            conv = self.vocab_record("conventions")
            tax = self.vocab_record("taxonomy")
        if org is not None:
            ctx.sets["departments"] = set(_codes(org.get("departments"), "code"))
        if conv is not None:
            for code, c in _codes(conv.get("conventions"), "code").items():
                articles = c.get("articles")
                ctx.articles[code] = {str(a) for a in articles if isinstance(a, (str, int, float))} \
                    if isinstance(articles, list) else set()
            ctx.bodies.update(_codes(conv.get("bodies"), "code"))
        if tax is not None:
            ctx.sets["relevance"] = set(_codes(tax.get("relevance"), "slug"))
            ctx.sets["keywords"] = set(_codes(tax.get("keywords"), "slug"))
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
        codes = _codes(org.get("departments") if org else None, "code")
        return {code: str(d.get(f"name_{lang}") or code) for code, d in codes.items()}

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


def _codes(value, key: str) -> dict[str, dict]:
    """The entries of a vocabulary list by their code (or slug); entries of another shape are
    left out (validate reports them)."""
    return {d[key]: d for d in _dicts(value) if isinstance(d.get(key), str)}
