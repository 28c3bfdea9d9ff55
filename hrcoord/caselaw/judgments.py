"""Judgment summaries: add, list, show, the review lifecycle and the circulation digest (SPEC §2.2, §3).

The CLI (hrcoord/cli/judgment.py) only parses flags and prints; everything else is here, so that
other commands (meeting agenda, reports) and tests can use it directly.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hrcoord.core.errors import ERROR, HrcoordError, Problem, UsageError
from hrcoord.core.labels import words
from hrcoord.core.models.base import ID_RE, Record, as_list, parse_date
from hrcoord.core.models.judgment import (
    DOC_TYPES,
    OUTCOMES,
    RELATIONS,
    SECTIONS,
    SECTIONS_EN,
    STATUSES,
    TRANSITIONS,
    changed_since_review,
    digest,
    judgment_id,
    part_digests,
    ref_key,
    references,
    sections,
)

# field -> the flag that sets it (for messages); required ones first, in prompt order
FLAGS = {
    "title": "--title",
    "body": "--body",
    "doc_type": "--doc-type",
    "reference": "--reference",
    "date": "--date",
    "articles": "--article",
    "relevance": "--relevance",
    "formation": "--formation",
    "ecli": "--ecli",
    "respondent": "--respondent",
    "outcome": "--outcome",
    "importance": "--importance",
    "keywords": "--keyword",
    "departments": "--department",
    "access": "--access",
    "source_url": "--source-url",
    "related": "--related",
    "foreign_practice": "--foreign-practice",
    "summary_lang": "--summary-lang",
    "case_ref": "--case-ref",
    "origin": "--origin",
    "provisions": "--provision",
    "author": "--by",
}
REQUIRED = ("title", "body", "doc_type", "reference", "date", "articles", "relevance")
LIST_FIELDS = {"reference", "articles", "respondent", "keywords", "relevance", "departments", "related",
               "foreign_practice", "origin", "provisions"}
SCALAR_WHEN_ONE = {"reference", "respondent"}  # written as a plain value when there is only one


# --- small helpers ---------------------------------------------------------------------------

def need_date(value, flag: str) -> dt.date | None:
    """A YYYY-MM-DD flag value as a date (None stays None); a UsageError naming the flag otherwise."""
    from hrcoord.core.models.base import require_date

    return require_date(value, flag)


def need_day(value, flag: str) -> dt.date:
    """A required YYYY-MM-DD flag value as a date; a UsageError naming the flag otherwise (None too)."""
    from hrcoord.core.models.base import require_date

    return require_date(value, flag, required=True)


def git_user(root: Path) -> str | None:
    """`git config user.name` in the repository, or None (no git, no name set)."""
    from hrcoord.review.history import git

    try:
        name = git(root, "config", "user.name", check=False).strip()
    except HrcoordError:
        return None
    return name or None


# --- flags naming vocabulary values (aliases, suggestions) -----------------------------------

def _article_exists(art: str, known: set) -> bool:
    probe = art
    while probe:
        if probe in known:
            return True
        if "-" not in probe:
            return False
        probe = probe.rsplit("-", 1)[0]
    return False


def _article_choices(ctx) -> list[str]:
    from hrcoord.core.models.judgment import CONVENTION_ALIASES

    out = [f"{c} {a}" for c, arts in ctx.articles.items() for a in arts]
    out += [f"{alias} {a}" for alias, target in CONVENTION_ALIASES.items() if alias not in ctx.articles
            for a in ctx.articles.get(target, ())]
    return out


def _suggest_article(value: str, ctx) -> str:
    import difflib

    from hrcoord.core.models.judgment import canonical_article

    close = difflib.get_close_matches(value.upper(), [c.upper() for c in _article_choices(ctx)], n=1, cutoff=0.6)
    if not close:
        return ""
    conv, _, art = close[0].partition(" ")
    code = next((c for c in ctx.articles if c.upper() == conv), conv)
    return f"; did you mean '{canonical_article(f'{code} {art}', set(ctx.articles))}'?"


def resolve_article(repo, value: str, flag: str = "--article") -> str:
    """A provision named on the command line as its canonical form (`EMK 8` -> `ECHR 8`); a
    UsageError naming the flag (with a suggestion) when the convention or article is unknown."""
    from hrcoord.core.models.judgment import canonical_article

    ctx = repo.context()
    text = " ".join(str(value).split())
    known = set(ctx.articles)
    conv, _, art = text.partition(" ")
    by_upper = {c.upper(): c for c in known}
    if conv.upper() in by_upper and conv not in known:
        conv = by_upper[conv.upper()]
    text = canonical_article(f"{conv} {art}".strip(), known or None)
    conv, _, art = text.partition(" ")
    if not known:
        return text
    if not art:
        raise UsageError(f"{flag} {value!r}: write it as '<convention> <article>', e.g. 'ECHR 8'"
                         + _suggest_article(text, ctx))
    if conv not in known:
        raise UsageError(f"{flag} {value!r}: unknown convention {conv!r}" + _suggest_article(text, ctx))
    if not _article_exists(art, ctx.articles[conv]):
        raise UsageError(f"{flag} {value!r}: {conv} has no article {art!r}" + _suggest_article(text, ctx))
    return text


def resolve_body(repo, value: str, flag: str = "--body") -> str:
    """A body code from the command line (`EMD`, `ecthr` -> `ECtHR`); unknown: a UsageError."""
    from hrcoord.core.models.base import suggest
    from hrcoord.core.models.judgment import canonical_body

    known = set(repo.context().bodies)
    text = str(value).strip()
    by_upper = {b.upper(): b for b in known}
    code = by_upper.get(text.upper()) or canonical_body(text, known or None)
    if known and code not in known:
        raise UsageError(f"{flag} {value!r}: unknown body" + suggest(text, sorted(known)))
    return code


def resolve_convention(repo, value: str, flag: str = "--convention") -> str:
    from hrcoord.core.models.base import suggest
    from hrcoord.core.models.judgment import CONVENTION_ALIASES

    known = set(repo.context().articles)
    text = str(value).strip()
    by_upper = {c.upper(): c for c in known}
    code = by_upper.get(text.upper())
    if code is None and CONVENTION_ALIASES.get(text.upper()) in known:
        code = CONVENTION_ALIASES[text.upper()]
    if known and code is None:
        raise UsageError(f"{flag} {value!r}: unknown convention" + suggest(text.upper(), sorted(known)))
    return code or text


def resolve_country(value: str, flag: str) -> str:
    """An ISO 3166-1 code (alpha-3 accepted) as alpha-2; unknown: a UsageError naming the flag."""
    from hrcoord.core.models.judgment import countries

    alpha2, alpha3 = countries()
    code = str(value).strip().upper()
    code = alpha3.get(code, code)
    if code not in alpha2:
        raise UsageError(f"{flag} {value!r}: unknown country code; use ISO 3166-1 alpha-2 like NO, SO, AF")
    return code


def heading(name: str, lang: str) -> str:
    return SECTIONS_EN.get(name, name) if lang == "en" else name


def _list(value) -> list:
    return [v for v in as_list(value) if v is not None]


# --- add -------------------------------------------------------------------------------------

def missing(values: dict) -> list[str]:
    """Required fields without a value."""
    return [f for f in REQUIRED if values.get(f) in (None, "", [], ())]


def missing_error(names: list[str]) -> UsageError:
    flags = ", ".join(FLAGS[n] for n in names)
    return UsageError(f"missing {flags} (required; prompts are only offered on a terminal)")


def choices(repo) -> dict[str, list[str]]:
    """Allowed values for the prompts, from the vocabularies."""
    ctx = repo.context()
    return {
        "body": sorted(ctx.bodies),
        "doc_type": list(DOC_TYPES),
        "relevance": sorted(v for v in ctx.sets.get("relevance", ()) if v),
        "articles": sorted(f"{c} {a}" for c, arts in ctx.articles.items() for a in arts),
        "departments": sorted(v for v in ctx.sets.get("departments", ()) if v),
        "keywords": sorted(v for v in ctx.sets.get("keywords", ()) if v),
        "outcome": list(OUTCOMES),
    }


def parse_related(values: list[str] | None) -> list:
    """`--related ID` or `--related ID:RELATION`."""
    out: list = []
    for v in values or []:
        rid, _, rel = str(v).partition(":")
        rid, rel = rid.strip(), rel.strip()
        if rel and rel not in RELATIONS:
            raise UsageError(f"--related {v!r}: relation must be one of {', '.join(RELATIONS)}")
        out.append({"id": rid, "relation": rel} if rel else rid)
    return out


def parse_foreign_practice(values: list[str] | None) -> list[dict]:
    """`--foreign-practice "SE: note"` or `"SE: note | https://source"`."""
    out = []
    for v in values or []:
        country, sep, rest = str(v).partition(":")
        if not sep or not rest.strip():
            raise UsageError(f"--foreign-practice {v!r}: write it as 'CC: note' or 'CC: note | source'")
        note, _, source = rest.partition("|")
        item = {"country": country.strip().upper(), "note": note.strip()}
        if source.strip():
            item["source"] = source.strip()
        out.append(item)
    return out


def new_data(values: dict, default_lang: str = "nb") -> dict:
    """The front matter of a new summary from flag values (None and empty lists dropped)."""
    data: dict = {}
    for key in FLAGS:
        v = values.get(key)
        if key == "related":
            v = parse_related(v)
        elif key == "foreign_practice":
            v = parse_foreign_practice(v)
        if v is None or v == [] or v == "":
            continue
        if key in LIST_FIELDS:
            v = list(v) if isinstance(v, (list, tuple)) else [v]
            if key in SCALAR_WHEN_ONE and len(v) == 1:
                v = v[0]
        elif isinstance(v, dt.date):
            v = v.isoformat()
        data[key] = v
    data["status"] = "draft"
    data.setdefault("summary_lang", default_lang)
    return data


def skeleton(repo, lang: str | None = None) -> str:
    """The section skeleton of a new summary, in the repository's language."""
    from hrcoord.render.env import render

    lang = lang or repo.language
    return render(repo, "judgment/skeleton.md.j2", lang, headings=[heading(n, lang) for n in SECTIONS])


def path_for(repo, jid: str, date) -> Path:
    d = need_day(date, "--date")
    return repo.data_dir / "judgments" / f"{d.year:04d}" / f"{jid}.md"


def find_references(repo, refs: list[str], skip: Path | None = None) -> dict[str, Record]:
    """Which of `refs` another summary already has: normalised ref -> that record."""
    wanted = {ref_key(r) for r in refs}
    found: dict[str, Record] = {}
    for rec in repo.records("judgment").values():
        if skip is not None and rec.source.path == skip:
            continue
        for r in references(rec.data):
            if ref_key(r) in wanted and ref_key(r) not in found:
                found[ref_key(r)] = rec
    return found


def lookup(repo, key: str) -> Record:
    """The summary with id `key`; otherwise a UsageError that suggests ids: those containing the
    word (`nunez` -> `nunez-v-norway-2011`), with that reference or ECLI, or a close spelling."""
    found_row = repo.row("judgment", key)
    if found_row is not None:
        return repo.full(found_row)
    recs = repo.rows("judgment")
    from hrcoord.core.models.judgment import slugify

    word = slugify(str(key))
    rkey = ref_key(key)
    found = [jid for jid, rec in recs.items()
             if (word and (word in jid or word in slugify(str(rec.data.get("title") or ""))))
             or rkey in {ref_key(r) for r in references(rec.data)}
             or rkey == ref_key(str(rec.data.get("ecli") or ""))]
    if len(found) == 1:
        hint = f"; did you mean '{found[0]}'?"
    elif found:
        hint = "; did you mean one of: " + ", ".join(sorted(found)[:8]) + "?"
    else:
        from hrcoord.core.models.base import suggest

        hint = suggest(str(key), list(recs))
    raise UsageError(f"no summary with id {key!r}" + hint)


@dataclass
class Added:
    id: str
    path: Path
    rel: str
    text: str
    notes: list[str] = field(default_factory=list)


def add(repo, values: dict, *, jid: str | None = None, dry_run: bool = False, body: str | None = None,
        from_flags: bool = True) -> Added:
    """Create a draft summary. Checks the values, refuses a reference another summary already has
    (naming its file) and an existing file; the check and the write hold the repository lock and
    the file is created exclusively, so two concurrent adds cannot both succeed."""
    from hrcoord.core import records
    from hrcoord.core.fsutil import repo_lock
    from hrcoord.core.repo import Repository

    gone = missing(values)
    if gone:
        raise missing_error(gone)
    date = need_day(values["date"], "--date")
    values = {**values, "date": date.isoformat()}
    if not values.get("author"):
        values["author"] = git_user(repo.root)  # None (left out) when git knows no name
    jid = jid or judgment_id(str(values["title"]), values["date"])
    if not ID_RE.match(jid):
        raise UsageError(f"id {jid!r} is not valid (lower-case letters, digits, hyphens); give one with --id")
    data = new_data(values, repo.language)
    if body is None:
        body = skeleton(repo)
    path = path_for(repo, jid, date)
    refs = [str(r) for r in as_list(data.get("reference"))]

    def checked(current) -> str:
        # the reference first: the same case added twice is the mistake to name
        _refuse_summarised(current, refs, data)
        if path.exists():
            raise HrcoordError(f"{current.rel(path)} already exists; choose another id with --id")
        _refuse_unknown_related(current, data)
        return records.write(current, "judgment", path, data, body, exclusive=True, dry_run=dry_run,
                             from_flags=from_flags)

    if dry_run:
        text = checked(repo)
    else:
        with repo_lock(repo.root):
            text = checked(Repository(repo.root))  # a fresh read under the lock
    notes = []
    from hrcoord.core.models.judgment import MIRROR

    for item in data.get("related") or []:
        if isinstance(item, dict) and item.get("relation") in MIRROR:
            notes.append(f"add {{id: {jid}, relation: {MIRROR[item['relation']]}}} to the related list of "
                         f"{item['id']} (validate checks the mirror)")
    return Added(jid, path, repo.rel(path), text, notes)


def _refuse_summarised(current, refs: list[str], data: dict) -> None:
    """An error naming the summary that already has one of `refs`; another stage of the same case
    (a related earlier-stage or later-stage) may share them."""
    links = ((item["id"], item.get("relation")) if isinstance(item, dict) else (item, None)
             for item in data.get("related") or [])
    stages = {rid for rid, rel in links if rel in ("earlier-stage", "later-stage")}
    clash = {k: rec for k, rec in find_references(current, refs).items() if rec.id not in stages}
    if clash:
        key, rec = next(iter(clash.items()))
        ref = next(r for r in refs if ref_key(r) == key)
        raise HrcoordError(f"reference {ref} is already summarised in {rec.rel} (id {rec.id}); not written")


def _refuse_unknown_related(current, data: dict) -> None:
    """A usage error for a --related id that no summary has (with a suggestion)."""
    known = current.records("judgment")
    for item in data.get("related") or []:
        rid = item["id"] if isinstance(item, dict) else item
        if rid not in known:
            from hrcoord.core.models.base import suggest

            raise UsageError(f"--related {rid!r}: no summary with that id" + suggest(rid, list(known)))


def open_editor(path: Path) -> None:
    import os
    import shlex
    import subprocess

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        proc = subprocess.run([*shlex.split(editor), str(path)])
    except FileNotFoundError:
        raise UsageError(f"editor {editor!r} not found; set $EDITOR") from None
    if proc.returncode != 0:
        raise HrcoordError(f"the editor ({editor}) exited with status {proc.returncode}; {path} kept as it is")


def check_file(root: Path, path: Path) -> list[Problem]:
    """Errors in one summary file after an edit (its fields and its links, e.g. a duplicate reference)."""
    from hrcoord.core.repo import Repository
    from hrcoord.core.validate import validate

    report = validate(Repository(root), [str(path)])
    return [p for p in report.problems if p.severity == ERROR]


# --- list ------------------------------------------------------------------------------------

def _article_matches(have: str, want: str) -> bool:
    h, w = have.strip().upper(), want.strip().upper()
    return h == w or h.startswith(w + "-")


def _labels(repo) -> dict[str, str]:
    """Taxonomy slug -> its Norwegian and English names, for the text search."""
    tax = repo.vocab_record("taxonomy")
    out: dict[str, str] = {}
    for group in ("relevance", "keywords"):
        for e in (tax.get(group) if tax is not None else None) or []:
            if isinstance(e, dict) and e.get("slug"):
                out[str(e["slug"])] = " ".join(str(e.get(k) or "") for k in ("slug", "name_nb", "name_en"))
    return out


def search_text(rec: Record, labels: dict[str, str]) -> str:
    """What `--text` looks in, as the portal's search does: title, references, ECLI, articles, the
    keyword and relevance labels (Norwegian and English) and the text."""
    d = rec.data
    tags = [labels.get(str(x), str(x)) for key in ("keywords", "relevance") for x in _list(d.get(key))]
    return " ".join([str(d.get("title", "")), " ".join(references(d)), str(d.get("ecli") or ""),
                     " ".join(str(a) for a in _list(d.get("articles"))), " ".join(tags),
                     rec.body or ""]).casefold()


@dataclass
class Filters:
    """The filters of `judgment list`, resolved against the vocabularies (aliases, upper case)."""

    bodies: set = field(default_factory=set)
    conventions: set = field(default_factory=set)
    articles: list = field(default_factory=list)
    relevance: set = field(default_factory=set)
    keywords: set = field(default_factory=set)
    departments: set = field(default_factory=set)
    statuses: set = field(default_factory=set)
    origins: set = field(default_factory=set)
    since: dt.date | None = None
    until: dt.date | None = None
    words: list = field(default_factory=list)


def _known(repo, vocab: str, values, flag: str) -> set:
    from hrcoord.core.models.base import suggest

    known = repo.context().sets.get(vocab) or set()
    for v in values:
        if known and v not in known:
            raise UsageError(f"{flag} {v!r}: unknown {vocab.rstrip('s')}"
                             + suggest(str(v), sorted(x for x in known if x)))
    return set(values)


def filters(repo, *, body=None, convention=None, article=None, relevance=None, keyword=None, department=None,
            status=None, since=None, until=None, text=None, origin=None) -> Filters:
    """Check every filter value: an unknown body, convention, article, slug or country is a usage
    error naming its flag (exit 2), not an empty list."""
    statuses = set(as_list(status))
    for s in statuses:
        if s not in STATUSES:
            raise UsageError(f"--status must be one of {', '.join(STATUSES)}; not {s!r}")
    return Filters(
        bodies={resolve_body(repo, b) for b in as_list(body)},
        conventions={resolve_convention(repo, c) for c in as_list(convention)},
        articles=[resolve_article(repo, a) for a in as_list(article)],
        relevance=_known(repo, "relevance", as_list(relevance), "--relevance"),
        keywords=_known(repo, "keywords", as_list(keyword), "--keyword"),
        departments=_known(repo, "departments", [str(d).upper() for d in as_list(department)], "--department"),
        statuses=statuses,
        origins={resolve_country(o, "--origin") for o in as_list(origin)},
        since=need_date(since, "--since"),
        until=need_date(until, "--until"),
        words=[w.casefold() for w in (text or "").split()],
    )


def _canonical_articles(d: dict) -> list[str]:
    from hrcoord.core.models.judgment import canonical_article

    return [canonical_article(str(a)) for a in _list(d.get("articles"))]


# One check per filter, run only when its filter is given (`_checks`), in the order of `_checks`:
# the full-text search, the dearest, last.

def _by_body(rec: Record, f: Filters, labels: dict[str, str]) -> bool:
    from hrcoord.core.models.judgment import canonical_body

    return canonical_body(str(rec.data.get("body", ""))) in f.bodies


def _by_convention(rec: Record, f: Filters, labels: dict[str, str]) -> bool:
    return any(a.partition(" ")[0] in f.conventions for a in _canonical_articles(rec.data))


def _by_article(rec: Record, f: Filters, labels: dict[str, str]) -> bool:
    return any(_article_matches(a, w) for a in _canonical_articles(rec.data) for w in f.articles)


def _any_of(want: set, values) -> bool:
    """One of the record's values is among the filter's."""
    return bool(want & {str(x) for x in _list(values)})


def _by_relevance(rec: Record, f: Filters, labels: dict[str, str]) -> bool:
    return _any_of(f.relevance, rec.data.get("relevance"))


def _by_keyword(rec: Record, f: Filters, labels: dict[str, str]) -> bool:
    return _any_of(f.keywords, rec.data.get("keywords"))


def _by_origin(rec: Record, f: Filters, labels: dict[str, str]) -> bool:
    return _any_of(f.origins, rec.data.get("origin"))


def _by_department(rec: Record, f: Filters, labels: dict[str, str]) -> bool:
    return bool(f.departments & {str(x).upper() for x in _list(rec.data.get("departments"))})


def _by_status(rec: Record, f: Filters, labels: dict[str, str]) -> bool:
    return rec.data.get("status") in f.statuses


def _by_date(rec: Record, f: Filters, labels: dict[str, str]) -> bool:
    date = rec.date("date")
    return date is not None and not (f.since and date < f.since) and not (f.until and date > f.until)


def _by_text(rec: Record, f: Filters, labels: dict[str, str]) -> bool:
    hay = search_text(rec, labels)
    return all(w in hay for w in f.words)


def _checks(f: Filters) -> list[Callable[[Record, Filters, dict[str, str]], bool]]:
    """The checks of the filters that `f` gives, in order."""
    given = [(f.bodies, _by_body), (f.conventions, _by_convention), (f.articles, _by_article),
             (f.relevance, _by_relevance), (f.keywords, _by_keyword), (f.origins, _by_origin),
             (f.departments, _by_department), (f.statuses, _by_status), (f.since or f.until, _by_date),
             (f.words, _by_text)]
    return [check for wanted, check in given if wanted]


def select(repo, *, body=None, convention=None, article=None, relevance=None, keyword=None, department=None,
           status=None, since=None, until=None, text=None, origin=None) -> list[Record]:
    """Summaries matching every given filter (a repeated filter matches any of its values),
    newest first."""
    f = filters(repo, body=body, convention=convention, article=article, relevance=relevance, keyword=keyword,
                department=department, status=status, since=since, until=until, text=text, origin=origin)
    found = repo.ask("judgment", lambda ix: _from_index(ix, f, text))
    if found is not None:
        return found
    labels = _labels(repo) if f.words else {}
    checks = _checks(f)  # (once, not per summary: a summary passes when it passes them all)
    out = [rec for rec in repo.records("judgment").values() if all(check(rec, f, labels) for check in checks)]
    out.sort(key=lambda r: (str(r.get("date") or ""), r.id), reverse=True)
    return out


def _from_index(ix, f: Filters, text) -> list:
    """select() answered by the derived index: the same filters in SQL; `--text` through the
    stemmed full-text table, every word matching as a prefix, ranked best first."""
    facets = {"conventions": f.conventions, "relevance": f.relevance, "keywords": f.keywords,
              "origin": f.origins, "departments": f.departments}
    return ix.judgments(facets=facets, status=f.statuses, body=f.bodies, text=text,
                        since=f.since.isoformat() if f.since else None,
                        until=f.until.isoformat() if f.until else None, article_prefixes=f.articles)


def _plain(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def as_json(rec: Record) -> dict:
    return {"id": rec.id, "path": rec.rel, **_plain(rec.data)}


COLUMNS = ("id", "date", "title", "body", "reference", "articles", "relevance", "departments", "status")


def _cell(rec: Record, col: str) -> str:
    if col == "id":
        return rec.id
    return "; ".join(str(v) for v in _list(rec.data.get(col)))


def format_list(recs: list[Record], fmt: str) -> str:
    """json, csv or md (the table format is drawn by rich in the CLI)."""
    if fmt == "json":
        return json.dumps([as_json(r) for r in recs], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        from hrcoord.render.safe import csv_text

        return csv_text(COLUMNS, ([_cell(r, c) for c in COLUMNS] for r in recs))
    if fmt == "md":
        from hrcoord.render.safe import md_text

        lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
        lines += ["| " + " | ".join(md_text(_cell(r, c)) for c in COLUMNS) + " |" for r in recs]
        return "\n".join(lines) + "\n"
    raise UsageError(f"unknown format {fmt!r}")


# --- show ------------------------------------------------------------------------------------

def show_renderables(repo, rec: Record, lang: str | None = None) -> list:
    """A metadata table and the Markdown text, for rich to draw in the terminal."""
    from rich.markdown import Markdown
    from rich.table import Table
    from rich.text import Text

    lang = lang or repo.language
    d = rec.data
    meta = Table(show_header=False, box=None, pad_edge=False)
    meta.add_column(style="bold")
    meta.add_column(overflow="fold")
    for key in ("body", "doc_type", "formation", "reference", "ecli", "date", "respondent", "articles",
                "outcome", "importance", "keywords", "relevance", "departments", "status", "published",
                "replaced_by", "reason", "access", "source_url", "case_ref"):
        if d.get(key) not in (None, "", []):
            meta.add_row(key, Text(", ".join(str(v) for v in _list(d.get(key)))))
    review = d.get("review")
    if isinstance(review, dict):
        ok = review.get("digest") == digest(d, rec.body)
        changed = changed_since_review(d, rec.body)
        state = "matches the text" if ok else "outdated" + (f" ({', '.join(changed)} changed)" if changed else "")
        meta.add_row("review", Text(f"{review.get('by')} {review.get('date')}: {state}"))
    related = [(item["id"] if isinstance(item, dict) else item) for item in d.get("related") or []
               if isinstance(item, (str, dict))]
    if related:
        meta.add_row("related", Text(", ".join(str(x) for x in related)))
    title = Text(str(d.get("title", rec.id)), style="bold underline")
    return [title, Text(rec.rel, style="dim"), meta, Markdown(rec.body or "")]


# --- lifecycle -------------------------------------------------------------------------------

@dataclass
class Changed:
    id: str
    rel: str
    text: str
    message: str


def set_status(repo, jid: str, new: str, *, replaced_by: str | None = None, reason: str | None = None,
               today: dt.date | None = None, dry_run: bool = False) -> Changed:
    """Move a summary through draft → in-review → approved → published (or any → withdrawn).
    Read, checked and written in one transaction under the repository lock."""
    from hrcoord.core.transaction import transaction

    today = today or dt.date.today()
    if new not in STATUSES:
        raise UsageError(f"status must be one of {', '.join(STATUSES)}; not {new!r}")
    with transaction(repo, dry_run=dry_run) as tx:
        return _set_status(tx, jid, new, replaced_by, reason, today)


def _set_status(tx, jid: str, new: str, replaced_by: str | None, reason: str | None, today: dt.date) -> Changed:
    repo = tx.repo
    rec = lookup(repo, jid)
    d = dict(rec.data)
    old = d.get("status")
    _check_transition(jid, old, new)
    if new != "withdrawn" and (replaced_by or reason):
        raise UsageError("--replaced-by and --reason go with status withdrawn")
    if new == "withdrawn":
        _withdraw(repo, jid, d, replaced_by, reason)
    if new in ("approved", "published"):
        _check_review_stamp(repo, jid, new, d, rec.body)
    if new == "published" and not d.get("published"):
        d["published"] = today.isoformat()
    d["status"] = new
    text = tx.update(rec, d)
    return Changed(jid, rec.rel, text, f"{jid}: {old} → {new}")


def _check_transition(jid: str, old, new: str) -> None:
    """A usage error unless the lifecycle (TRANSITIONS) lets a summary go from `old` to `new`."""
    if old == new:
        raise UsageError(f"{jid} is already {new}")
    allowed = TRANSITIONS.get(old, ()) if isinstance(old, str) else ()
    if new not in allowed:
        nexts = ", ".join(allowed) or "none: a withdrawn summary stays withdrawn"
        raise UsageError(f"{jid} is {old}; it cannot become {new} (allowed next: {nexts})")


def _withdraw(repo, jid: str, d: dict, replaced_by: str | None, reason: str | None) -> None:
    """Record in `d` what replaces a withdrawn summary, or why it was withdrawn (one is needed)."""
    if not replaced_by and not reason:
        raise UsageError("withdrawn needs --replaced-by ID (the summary that replaces it) or --reason TEXT")
    if replaced_by:
        if replaced_by == jid:
            raise UsageError("a summary cannot replace itself")
        repo.judgment(replaced_by)  # UsageError with a suggestion when unknown
        d["replaced_by"] = replaced_by
    if reason:
        d["reason"] = reason


def _check_review_stamp(repo, jid: str, new: str, d: dict, body: str | None) -> None:
    """Approved and published need a review stamp of exactly this text, by someone other than the
    author when four_eyes is on."""
    review = d.get("review")
    if not isinstance(review, dict) or not review.get("digest"):
        raise HrcoordError(f"{jid} has no review stamp; {new} needs one: hrcoord judgment review {jid} --by NAME")
    if four_eyes(repo) and same_person(d.get("author"), review.get("by")):
        raise HrcoordError(f"{jid} was reviewed by its author ({review.get('by')}); with four_eyes: true in "
                           f"hrcoord.yaml someone else must review it: hrcoord judgment review {jid} --by NAME")
    if review.get("digest") != digest(d, body):
        changed = changed_since_review(d, body)
        what = f" ({', '.join(changed)} changed)" if changed else ""
        raise HrcoordError(f"{jid} changed after its review by {review.get('by')} on {review.get('date')}"
                           f"{what}; review it again: hrcoord judgment review {jid} --by NAME")


def same_person(a, b) -> bool:
    return (isinstance(a, str) and isinstance(b, str)
            and " ".join(a.split()).casefold() == " ".join(b.split()).casefold())


def four_eyes(repo) -> bool:
    return repo.settings.get("four_eyes") is True


def refuse_own_review(repo, rec: Record, by: str) -> None:
    """With `four_eyes: true` in hrcoord.yaml nobody reviews (approves) a summary they wrote (SPEC §5)."""
    author = rec.data.get("author")
    if four_eyes(repo) and same_person(author, by):
        raise HrcoordError(f"{rec.id} was written by {author}; with four_eyes: true in hrcoord.yaml someone "
                           "else must review it (--by another name)")


def review(repo, jid: str, by: str, *, today: dt.date | None = None, dry_run: bool = False) -> Changed:
    """Stamp `review: {by, date, digest, parts}`: the reviewer approved exactly this text and these fields.
    Read, stamped and written in one transaction under the repository lock."""
    from hrcoord.core.transaction import transaction

    today = today or dt.date.today()
    if not by or not by.strip():
        raise UsageError("--by must name the reviewer")
    with transaction(repo, dry_run=dry_run) as tx:
        return _review(tx, jid, by, today)


def _review(tx, jid: str, by: str, today: dt.date) -> Changed:
    rec = lookup(tx.repo, jid)
    status = rec.get("status")
    if status == "draft":
        raise UsageError(f"{jid} is a draft; send it to review first: hrcoord judgment status {jid} in-review")
    refuse_own_review(tx.repo, rec, by)
    if status == "withdrawn":
        raise UsageError(f"{jid} is withdrawn; a withdrawn summary is not reviewed")
    d = dict(rec.data)
    old = d.get("review") if isinstance(d.get("review"), dict) else None
    d["review"] = {"by": by.strip(), "date": today.isoformat(), "digest": digest(d, rec.body),
                   "parts": part_digests(d, rec.body)}
    text = tx.update(rec, d)
    if old and old.get("digest") == d["review"]["digest"]:
        msg = f"{jid}: review renewed by {by} (text unchanged since {old.get('date')})"
    elif old:
        changed = changed_since_review(rec.data, rec.body)
        what = f"; changed since the last review: {', '.join(changed)}" if changed else ""
        msg = f"{jid}: reviewed by {by}{what}"
    else:
        msg = f"{jid}: reviewed by {by}"
    return Changed(jid, rec.rel, text, msg)


# --- digest ----------------------------------------------------------------------------------

@dataclass
class DigestItem:
    id: str
    kind: str  # new | changed | withdrawn
    date: dt.date | None
    title: str
    rec: Record


def _git_changed(repo, since: dt.date) -> dict[str, dt.date]:
    """Summary files changed in commits since `since` (one `git log`); {} when not a git repository."""
    from hrcoord.review.history import git

    if not (repo.root / ".git").exists():
        return {}
    try:
        out = git(repo.root, "log", f"--since={since.isoformat()} 00:00", "--format=%x00%cs", "--name-only",
                  "--no-renames", "--", "data/judgments", check=False)
    except HrcoordError:
        return {}
    changed: dict[str, dt.date] = {}
    day = None
    for line in out.splitlines():
        if line.startswith("\x00"):
            day = parse_date(line[1:].strip())
        elif line.strip() and day is not None:
            name = line.strip().rsplit("/", 1)[-1]
            if name.endswith(".md"):
                jid = name[:-3]
                if jid not in changed or changed[jid] < day:
                    changed[jid] = day
    return changed


def digest_items(repo, since: dt.date, department: str | None = None) -> list[DigestItem]:
    """Approved, published and withdrawn summaries that are new or changed since `since`.

    New: first published (or approved, or judged) on or after `since`. Changed: reviewed again on
    or after `since`, or (in a git repository) its file changed in a commit since then."""
    since = need_day(since, "--since")
    _known_department(repo, department)
    git_changed = _git_changed(repo, since)
    items = []
    for rec in repo.rows("judgment", narrow=_digest_narrow(since, git_changed)).values():
        if rec.data.get("status") not in ("approved", "published", "withdrawn"):
            continue
        if department and department not in [str(x) for x in _list(rec.data.get("departments"))]:
            continue
        entry = _digest_entry(rec, since, git_changed.get(rec.id))
        if entry is not None:
            kind, when = entry
            items.append(DigestItem(rec.id, kind, when, str(rec.data.get("title", rec.id)), rec))
    items.sort(key=lambda i: (i.date or dt.date.min, i.id), reverse=True)
    return items


def _known_department(repo, department: str | None) -> None:
    """A usage error for a --department the organisation does not have (with a suggestion)."""
    if not department:
        return
    known = repo.context().sets.get("departments") or set()
    if known and department not in known:
        from hrcoord.core.models.base import suggest

        raise UsageError(f"unknown department {department!r}" + suggest(department, sorted(known)))


def _digest_narrow(since: dt.date, git_changed: dict) -> tuple[str, list] | None:
    """What the index may leave out of the digest: summaries of another status, and those with no
    date on or after `since` (judged, published, reviewed) and no commit since then; None (no
    narrowing) when commits changed very many."""
    if len(git_changed) > 500:
        return None
    day = since.isoformat()
    where = ("status IN ('approved', 'published', 'withdrawn') AND (date >= ? OR published >= ? OR reviewed_on >= ?"
             f" OR id IN ({', '.join('?' * len(git_changed)) or 'NULL'}))")
    return where, [day, day, day, *git_changed]


def _digest_entry(rec: Record, since: dt.date, committed: dt.date | None) -> tuple[str, dt.date] | None:
    """(withdrawn | new | changed, the day) for a summary in the digest since `since`; None for one
    that is not. `committed`: the last day a commit changed its file (in a git repository)."""
    d = rec.data
    status = d.get("status")
    review_ = d.get("review")
    reviewed = parse_date(review_.get("date")) if isinstance(review_, dict) else None
    reviewed_since = reviewed if reviewed and reviewed >= since else None
    if status == "withdrawn":
        when = committed or reviewed_since
        return ("withdrawn", when) if when else None
    first = rec.date("published") or (reviewed if status == "approved" else None) or rec.date("date")
    if first and first >= since:
        return "new", first
    later = [x for x in (reviewed_since, committed) if x is not None]
    return ("changed", max(later)) if later else None


def digest_document(repo, since, *, department: str | None = None, fmt: str = "md", lang: str | None = None,
                    today: dt.date | None = None) -> str:
    """The digest for circulating, grouped by department, as Markdown or HTML."""
    from hrcoord.render.env import render

    since = need_date(since, "--since")
    lang = lang or repo.language
    if fmt not in ("md", "html"):
        raise UsageError(f"--format must be md or html, not {fmt!r}")
    items = digest_items(repo, since, department)
    view = _digest_groups(items, department, repo.department_names(lang), lang)
    today = today or dt.date.today()
    extra = _digest_style(repo, lang) if fmt == "html" else {}
    return render(repo, f"judgment/digest.{fmt}.j2", lang, since=since, today=today,
                  department=department, groups=view, count=len(items),
                  organisation=repo.settings.get("organisation", ""), watch=watch_view(repo, today, department),
                  **extra)


def _digest_groups(items: list[DigestItem], department: str | None, names: dict, lang: str) -> list[dict]:
    """The digest's items by department (only `department`'s when given): the organisation's
    departments in its order, then codes it does not know, then the summaries that name none."""
    groups: dict[str, list] = {}
    for item in items:
        for dep in [str(x) for x in _list(item.rec.get("departments"))] or [""]:
            if not department or dep == department:
                groups.setdefault(dep, []).append(item)
    return [{"code": code,
             "name": names.get(code, code) if code else words(lang, "misc")["all_departments"],
             "items": [_digest_view(i, lang) for i in groups[code]]}
            for code in _department_order(groups, names)]


def _department_order(groups: dict, names: dict) -> list[str]:
    """The organisation's departments in its order, then the codes it does not know, then ""."""
    return ([c for c in names if c in groups] + sorted(c for c in groups if c not in names and c)
            + ([""] if "" in groups else []))


def watch_view(repo, today: dt.date, department: str | None = None) -> dict:
    """The digest's part of the watch list (caselaw/watch.py): judgments not final yet, referrals
    pending, Grand Chamber judgments whose Chamber judgment lacks a later-stage link."""
    from hrcoord.caselaw import watch

    w = watch.build(repo, today)
    recs: dict = {}

    def rec_of(jid: str | None):  # the few summaries the list names, not all of them
        if jid and jid not in recs:
            recs[jid] = repo.row("judgment", jid)
        return recs.get(jid) if jid else None

    def keep(item) -> bool:
        if not department:
            return True
        return department in [str(x) for x in _list(rec_of(item.id).get("departments"))]

    def view(item) -> dict:
        rec, other = rec_of(item.id), rec_of(item.other)
        return {"title": item.title, "date": item.date, "final_date": item.final_date,
                "referral_date": item.referral_date, "state": item.state,
                "reference": ", ".join(references(rec.data)),
                "other_title": str(other.get("title")) if other is not None else ""}

    return {"not_final": [view(i) for i in w.not_final if keep(i)],
            "referrals": [view(i) for i in w.referrals if keep(i)],
            "unlinked": [view(i) for i in w.unlinked if keep(i)]}


def _digest_style(repo, lang: str) -> dict:
    """The HTML digest's inline style and the Content-Security-Policy that allows only it: the
    file is circulated and opened anywhere, so nothing in it may load or run."""
    import jinja2
    from markupsafe import Markup

    from hrcoord.render.env import environment
    from hrcoord.render.safe import style_csp

    env = environment(str(repo.root), lang)
    try:
        css = env.loader.get_source(env, "judgment/digest.css")[0]
    except jinja2.TemplateNotFound:
        css = ""
    return {"css": Markup(css), "csp": style_csp(css)}


def _digest_view(item: DigestItem, lang: str) -> dict:
    d = item.rec.data
    secs = sections(item.rec.body)
    return {
        "id": item.id,
        "kind": item.kind,
        "date": item.date,
        "title": item.title,
        "court": str(d.get("body", "")),
        "judgment_date": d.get("date"),
        "reference": ", ".join(references(d)),
        "articles": ", ".join(str(a) for a in _list(d.get("articles"))),
        "status": d.get("status"),
        "summary": secs.get("Sammendrag", ""),
        "relevance_text": secs.get("Betydning for UDI", ""),
        "replaced_by": d.get("replaced_by"),
        "reason": d.get("reason"),
        "source_url": d.get("source_url"),
        "changed": changed_since_review(d, item.rec.body),
    }
