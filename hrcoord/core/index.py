"""A derived index for questions: an SQLite database in `.hrcoord/index.sqlite` (SPEC §6).

The record files are the truth; the index only answers questions about them quickly (which
summaries cite Article 8, which hold a word, which measures are overdue) without parsing every
file. It is kept in step with the files by their stat signatures, as the validation cache is:
each use looks at every file's signature and re-reads only the files that changed, were added or
were removed. Deleting it is always safe; one that is corrupt, of another layout or of another
build of hrcoord is rebuilt, never trusted.

Tables: `files` (path, type, key, signature), `records` (the parsed front matter as JSON, and the
columns questions filter on), `facets` (one row per list value a filter asks for: article,
relevance area, keyword, department, respondent, origin, convention, reference), and `fts`, an FTS5 table of
each summary's words (title, references, the names of its keywords and areas, its text), stemmed
with the Snowball stemmer of its language, so that `judgment list --text` ranks what it finds.
"""
from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

NAME = "index.sqlite"
TABLES = {"meta", "files", "records", "facets", "fts"}
LAYOUT = 4
FACETS = ("articles", "relevance", "keywords", "departments", "respondent", "origin")
WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
STEMMERS = {"nb": "norwegian", "en": "english"}
BULK = 200  # stale files of one type from which the first build loads them the repository's way

SCHEMA = """
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE files (rel TEXT PRIMARY KEY, type TEXT NOT NULL, key TEXT NOT NULL, sig TEXT NOT NULL);
CREATE TABLE records (
    rid INTEGER PRIMARY KEY, rel TEXT NOT NULL UNIQUE, type TEXT NOT NULL, key TEXT NOT NULL, id TEXT NOT NULL,
    date TEXT, status TEXT, body TEXT, access TEXT, formation TEXT, published TEXT, title TEXT,
    digest TEXT,  -- a summary's digest of what review approves (models/judgment.py), from its text
    reviewed TEXT, reviewed_on TEXT,  -- the digest and date its review stamp records
    referral TEXT,  -- a summary's referral status (requested, accepted, rejected)
    data BLOB NOT NULL);  -- last: a filter on the columns above does not read through it
CREATE INDEX records_by_type ON records (type, key);
CREATE INDEX records_by_status ON records (type, status);
CREATE TABLE facets (rel TEXT NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX facets_by_value ON facets (facet, value);
CREATE INDEX facets_by_rel ON facets (rel);
CREATE VIRTUAL TABLE fts USING fts5(words, tokenize = 'unicode61 remove_diacritics 0');  -- rowid = records.rid
"""


@dataclass(slots=True)
class Row:
    """A record as the index holds it: enough for listings and reports; the body is read from
    the file only when asked for."""

    type: str
    id: str
    key: str
    rel: str
    data: dict
    root: Path
    score: float = 0.0
    content_digest: str | None = None

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def date(self, key: str = "date"):
        from hrcoord.core.models.base import parse_date

        return parse_date(self.data.get(key))

    @property
    def body(self) -> str | None:
        from hrcoord.core.loader import load_file

        loaded = load_file(self.root / self.rel, self.rel, markdown=self.rel.endswith(".md"))
        return loaded.source.body if loaded.source is not None else None


# --- words --------------------------------------------------------------------------------------

_stemmers: dict[str, Any] = {}


def stem(words: list[str], lang: str) -> list[str]:
    """Snowball stems (PyStemmer, in C) of lower-case words."""
    import Stemmer

    s = _stemmers.get(lang)
    if s is None:
        s = _stemmers[lang] = Stemmer.Stemmer(STEMMERS.get(lang, "norwegian"))
    unique = list(set(words))  # a text repeats its words: each is stemmed once
    stems = dict(zip(unique, s.stemWords(unique), strict=True))
    return [stems[w] for w in words]


def words_of(text: str) -> list[str]:
    return WORD_RE.findall(text.casefold())


def query_terms(text: str) -> list[list[str]]:
    """Per word of a query, the stems it may have in either language (a summary is written in
    Norwegian or English)."""
    out = []
    for w in words_of(text):
        out.append(sorted({w, *(stem([w], lang)[0] for lang in STEMMERS)}))
    return out


def fts_query(terms: list[list[str]]) -> str:
    """Every word must match, by any of its stems, as a prefix (as the portal's search does)."""
    def quoted(s: str) -> str:
        return '"' + s.replace('"', '""') + '"*'

    return " AND ".join("(" + " OR ".join(quoted(s) for s in alts) + ")" for alts in terms)


# --- what a record contributes ---------------------------------------------------------------------

def _strs(value) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [str(v) for v in items if isinstance(v, (str, int)) and not isinstance(v, bool)]


def _text(value) -> str | None:
    return value if isinstance(value, str) else None


def _iso(value) -> str | None:
    """A date as the files' order compares it (`str()` of what YAML gave: a date or a string)."""
    return None if value is None or isinstance(value, (dict, list)) else str(value)


def _facets(data: dict) -> Iterator[tuple[str, str]]:
    from hrcoord.core.models.judgment import canonical_article, ref_key

    for facet in FACETS:
        if facet == "articles":
            continue
        for v in _strs(data.get(facet)):
            yield facet, v.upper() if facet in ("departments", "respondent", "origin") else v
    for a in _strs(data.get("articles")):
        article = canonical_article(a)  # as `judgment list --article` compares them
        yield "articles", article
        yield "conventions", article.partition(" ")[0]
    for r in _strs(data.get("reference")):
        yield "reference", ref_key(r)  # as the watch list matches a case's stages


def _document(data: dict, body: str | None, names: dict[str, list[str]]) -> str:
    """The words a summary is found by: what its portal page shows of it."""
    from hrcoord.core.models.judgment import references

    parts = [str(data.get("title") or ""), " ".join(references(data)), str(data.get("ecli") or ""),
             " ".join(_strs(data.get("articles")))]
    for facet in ("keywords", "relevance"):
        for slug in _strs(data.get(facet)):
            parts += names.get(f"{facet}:{slug}", [slug])
    parts += names.get(f"body:{data.get('body')}", [])
    parts.append(re.sub(r"[#*_`>\[\]()|]", " ", body or ""))
    return " ".join(parts)


# --- the index ----------------------------------------------------------------------------------------

class Index:
    """Open with `Index.open(repo)`: the index, brought in step with the files."""

    def __init__(self, repo, db: sqlite3.Connection):
        self.repo = repo
        self.db = db
        self.root = Path(repo.root)  # one Path shared by every row (building one per row costs more than the row)

    # opening ------------------------------------------------------------------------------------------
    @classmethod
    def open(cls, repo, *, sync: bool = True, fresh: bool = False) -> Index:
        """`fresh`: made anew (a question found it damaged)."""
        path = Path(repo.root) / ".hrcoord" / NAME
        index = cls(repo, _connect(path, _build_key(repo), fresh=fresh))
        if sync:
            try:
                index.sync()
            except sqlite3.DatabaseError:  # damaged beyond what opening saw: made anew, never trusted
                index.db.close()
                index = cls(repo, _connect(path, _build_key(repo), fresh=True))
                index.sync()
        return index

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # keeping in step ----------------------------------------------------------------------------------
    def sync(self) -> tuple[int, int]:
        """Re-read the files that changed since the index last saw them; (re-read, removed).
        Nothing to look at when validation just saw every file with the signatures the index last
        synced to (one hash of them all)."""
        repo = self.repo
        synced = self.db.execute("SELECT v FROM meta WHERE k = 'files'").fetchone()
        if repo.files_hash is not None and synced is not None and synced[0] == repo.files_hash:
            return 0, 0
        with self._writing():
            # what it holds is read under SQLite's write lock: another hrcoord may bring it in step
            # meanwhile (what this one saw before would then add rows a second time)
            stale, gone, known = self._changes()
            if stale or gone:
                names = self._names()
                for rel in gone:
                    self._forget(rel)
                loaded = self._bulk(stale)
                for type_, path, rel, sig in stale:
                    if rel in known:
                        self._forget(rel)
                    self._add(type_, path, rel, sig, names, loaded.get(rel))
            self._synced(repo.files_hash)
        return len(stale), len(gone)

    def _changes(self) -> tuple[list[tuple[str, str, str, str]], list[str], dict[str, str]]:
        """The files whose signature the index does not hold (type, path, rel, signature), the
        paths it holds that are gone, and what it holds (path -> signature)."""
        repo = self.repo
        known = dict(self.db.execute("SELECT rel, sig FROM files"))
        seen: set[str] = set()
        stale: list[tuple[str, str, str, str]] = []
        for type_, entries in repo.scan().items():
            for path, _parts in entries:
                rel = repo.rel(path)
                raw = repo._signature(path)  # the one validate saw, when the guard checked the files
                if raw is None:
                    continue
                sig = _sig_text(raw)
                seen.add(rel)
                if known.get(rel) != sig:
                    stale.append((type_, path, rel, sig))
        return stale, [rel for rel in known if rel not in seen], known

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """One write transaction, begun with the write lock taken (BEGIN IMMEDIATE: the others wait
        for it), so that what it reads first is still so when it writes; a reader sees the index
        before or after it, never between."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.rollback()
            raise
        self.db.commit()

    def _synced(self, files_hash: str | None) -> None:
        """Remember the signatures synced to (None: not known, the next sync looks at every file)."""
        self.db.execute("DELETE FROM meta WHERE k = 'files'")
        if files_hash is not None:
            self.db.execute("INSERT INTO meta VALUES ('files', ?)", (files_hash,))

    def _bulk(self, stale: list[tuple[str, str, str, str]]) -> dict:
        """rel -> record for the types of which many files are new to the index (its first
        build): loaded the repository's way, from the record cache rather than the parser."""
        count: dict[str, int] = {}
        for type_, *_ in stale:
            count[type_] = count.get(type_, 0) + 1
        out: dict = {}
        for type_, n in count.items():
            if n >= BULK and not self.repo.overlay:
                with self.repo.unguarded():
                    self.repo.load(type_)
                out.update((rec.rel, rec) for rec in self.repo._records[type_].values())
        return out

    def _names(self) -> dict[str, list[str]]:
        """`facet:slug` -> its names in every language (the taxonomy's and the bodies')."""
        out: dict[str, list[str]] = {}
        tax = self.repo.vocab_record("taxonomy")
        for facet in ("keywords", "relevance"):
            for e in _entries(tax, facet):
                if isinstance(e.get("slug"), str):
                    out[f"{facet}:{e['slug']}"] = _names_of(e)
        for b in _entries(self.repo.vocab_record("conventions"), "bodies"):
            if isinstance(b.get("code"), str):
                out[f"body:{b['code']}"] = [b["code"], *_names_of(b)]
        return out

    def _forget(self, rel: str) -> None:
        found = self.db.execute("SELECT rid FROM records WHERE rel = ?", (rel,)).fetchone()
        if found is not None:
            self.db.execute("DELETE FROM fts WHERE rowid = ?", found)
        for table in ("files", "records", "facets"):
            self.db.execute(f"DELETE FROM {table} WHERE rel = ?", (rel,))

    def _add(self, type_: str, path, rel: str, sig: str, names: dict[str, list[str]], rec=None) -> None:
        import msgspec

        # parsed as the repository parses a record: a file changed after the guard validated it
        # is not indexed unchecked
        if rec is None:
            rec, _problems, _now = self.repo._parse(type_, str(path), None)
        key = self.repo.key_of(type_, path)
        self.db.execute("INSERT INTO files VALUES (?, ?, ?, ?)", (rel, type_, key, sig))
        if rec is None or not isinstance(rec.data, dict):
            return  # a file that does not load is in no answer (validate reports it)
        d = rec.data
        try:
            data = msgspec.msgpack.encode(d)  # (MessagePack: decoded twice as fast as JSON, for listings)
        except (TypeError, msgspec.EncodeError):
            return
        court, content = _text(d.get("body")), None
        review, referral = (v if isinstance(v := d.get(k), dict) else {} for k in ("review", "referral"))
        if type_ == "judgment":  # the court as `--body` compares it, and the digest review approves
            from hrcoord.core.models.judgment import canonical_body, digest

            court = canonical_body(str(d["body"])) if d.get("body") else court
            content = digest(d, rec.body)
        cur = self.db.execute("INSERT INTO records VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              (rel, type_, key, rec.id, _iso(d.get("date")), _text(d.get("status")), court,
                               _text(d.get("access")), _text(d.get("formation")), _iso(d.get("published")),
                               _text(d.get("title")), content, _text(review.get("digest")),
                               _iso(review.get("date")), _text(referral.get("status")), data))
        if type_ != "judgment":
            return
        self.db.executemany("INSERT INTO facets VALUES (?, ?, ?)", ((rel, f, v) for f, v in set(_facets(d))))
        lang = d["summary_lang"] if d.get("summary_lang") in STEMMERS else self.repo.language
        words = words_of(_document(d, rec.body, names))
        self.db.execute("INSERT INTO fts (rowid, words) VALUES (?, ?)", (cur.lastrowid, " ".join(stem(words, lang))))

    # questions ----------------------------------------------------------------------------------------
    def rows(self, type_: str) -> list[Row]:
        """Every record of a type that loads, in file order."""
        return self.select(type_, "1")

    def select(self, type_: str, where: str, args: Iterable = ()) -> list[Row]:
        """The records of a type for which the SQL condition `where` (over the columns of
        `records`, with `?` marks for `args`) holds, in file order."""
        cur = self.db.execute(f"SELECT type, id, key, rel, data, digest FROM records WHERE type = ? AND ({where}) "
                              f"ORDER BY rel", (type_, *args))
        return [self._row(r) for r in cur]

    def row(self, type_: str, key: str) -> Row | None:
        cur = self.db.execute("SELECT type, id, key, rel, data, digest FROM records WHERE type = ? AND key = ?",
                              (type_, key))
        found = cur.fetchone()
        return self._row(found) if found else None

    def keys(self, type_: str) -> list[str]:
        return [k for (k,) in self.db.execute("SELECT key FROM files WHERE type = ? ORDER BY rel", (type_,))]

    def judgments(self, *, facets: dict[str, Iterable[str]] | None = None, status: Iterable[str] = (),
                  body: Iterable[str] = (), since: str | None = None, until: str | None = None,
                  text: str | None = None, article_prefixes: Iterable[str] = ()) -> list[Row]:
        """Summaries matching every filter given (a filter of several values matches any of them).
        With `text`, ranked by relevance (best first); otherwise newest first."""
        where, args = ["r.type = 'judgment'"], []
        for facet, values in (facets or {}).items():
            vals = list(values)
            if vals:
                where.append(f"r.rel IN (SELECT rel FROM facets WHERE facet = ? AND value IN ({_marks(vals)}))")
                args += [facet, *vals]
        prefixes = list(article_prefixes)
        if prefixes:  # `ECHR 5` matches ECHR 5 and ECHR 5-1, not ECHR 50
            cond = " OR ".join(["value = ? OR value LIKE ? ESCAPE '\\'"] * len(prefixes))
            where.append(f"r.rel IN (SELECT rel FROM facets WHERE facet = 'articles' AND ({cond}))")
            for p in prefixes:
                args += [p, _like(p) + "-%"]
        for column, values in (("status", list(status)), ("body", list(body))):
            if values:
                where.append(f"r.{column} IN ({_marks(values)})")
                args += values
        if since:
            where.append("r.date >= ?")
            args.append(since)
        if until:
            where.append("r.date <= ?")
            args.append(until)
        if text and text.strip():
            terms = query_terms(text)
            if not terms:
                return []
            sql = (f"SELECT r.type, r.id, r.key, r.rel, r.data, r.digest, bm25(fts) AS score FROM fts "
                   f"JOIN records r ON r.rid = fts.rowid WHERE fts MATCH ? AND {' AND '.join(where)} "
                   f"ORDER BY score, r.date DESC, r.id DESC")
            return [self._row(r[:6], -r[6]) for r in self.db.execute(sql, [fts_query(terms), *args])]
        sql = (f"SELECT r.type, r.id, r.key, r.rel, r.data, r.digest FROM records r WHERE {' AND '.join(where)} "
               f"ORDER BY r.date DESC, r.id DESC")
        return [self._row(r) for r in self.db.execute(sql, args)]

    def count(self, type_: str, **equal: str) -> int:
        where = ["type = ?"] + [f"{c} = ?" for c in equal]
        return self.db.execute(f"SELECT count(*) FROM records WHERE {' AND '.join(where)}",
                               [type_, *equal.values()]).fetchone()[0]

    def _row(self, r, score: float = 0.0) -> Row:
        return Row(r[0], r[1], r[2], r[3], _decode(r[4]), self.root, score, r[5])


_decoder = None


def _decode(blob: bytes) -> dict:
    global _decoder
    if _decoder is None:
        import msgspec

        _decoder = msgspec.msgpack.Decoder()
    return _decoder.decode(blob)


def _entries(vocab, key: str) -> list[dict]:
    """The entries (mappings) listed under `key` in a vocabulary record; none when it is missing or
    not a list (validate reports that)."""
    value = vocab.get(key) if vocab is not None else None
    return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []


def _names_of(entry: dict) -> list[str]:
    return [str(entry.get(k)) for k in ("name_nb", "name_en") if entry.get(k)]


def _marks(values: list) -> str:
    return ", ".join("?" * len(values))


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _sig_text(sig) -> str:
    return ":".join(str(x) for x in sig)


def _build_key(repo) -> str:
    """What the index's contents depend on besides the record files: the tool's build, the layout,
    the repository's language (stemming) and the vocabularies whose names are indexed."""
    from hrcoord.core.cache import code_version, signature

    parts = [code_version(), str(LAYOUT), repo.language]
    for t in ("taxonomy", "conventions"):
        for p, _ in repo.scan()[t]:
            with contextlib.suppress(OSError):
                parts.append(f"{repo.rel(p)}:{_sig_text(signature(p))}")
    return "|".join(parts)


def _connect(path: Path, key: str, fresh: bool = False) -> sqlite3.Connection:
    """The database at `path`, emptied and made anew when it is missing, empty or built by
    something else (another layout, build or vocabulary), replaced when it is not a database.

    A database another hrcoord may have open is never deleted (that corrupts it, or kills the
    other process with SIGBUS under WAL): it is rebuilt inside it, under SQLite's write lock. The
    rollback journal, not WAL: no shared memory file to map, so a vanished file costs an answer's
    speed, never a crash."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for _attempt in range(2):
        db = None
        try:
            db = sqlite3.connect(path, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode = DELETE")
            db.execute("PRAGMA synchronous = OFF")  # derived data: after a power cut it is made again
            if fresh or not _usable(db, key):
                db.execute("BEGIN IMMEDIATE")  # one rebuild at a time; the others wait, then use it
                if fresh or not _usable(db, key):
                    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                              "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'fts_%'").fetchall():
                        db.execute(f'DROP TABLE IF EXISTS "{name}"')
                    for statement in _statements(SCHEMA):
                        db.execute(statement)
                    db.execute("INSERT INTO meta VALUES ('key', ?)", (key,))
                db.execute("COMMIT")
            db.isolation_level = "DEFERRED"  # `with db:` transactions from here on (what "" means)
            return db
        except sqlite3.DatabaseError:
            fresh = False
            if db is not None:
                with contextlib.suppress(Exception):
                    db.close()
            _remove(path)  # not a database at all: nothing can be using it as one
    raise sqlite3.DatabaseError(f"cannot create the index at {path}")


def _usable(db: sqlite3.Connection, key: str) -> bool:
    tables = {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables >= TABLES or dict(db.execute("SELECT k, v FROM meta")).get("key") != key:
        return False
    for table in ("files", "records"):  # a damaged page raises here (these two count from small b-trees;
        db.execute(f"SELECT count(*) FROM {table}").fetchone()  # the others: Repository.ask() catches it)
    return True


def _statements(script: str) -> list[str]:
    """SCHEMA's statements, one by one (executescript would commit the open transaction)."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [st.strip() for st in "\n".join(lines).split(";") if st.strip()]


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")
