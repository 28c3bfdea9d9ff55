"""The field engine: a record type is a list of Field specs, the single source of truth for its
fields, their checks, their canonical key order (fmt) and their JSON Schema (schema export).

Checking returns Issues addressed by key path; positions are looked up only for the records that
have issues (see Record.problems).
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, overload

from hrcoord.core.errors import ERROR, Problem
from hrcoord.core.loader import Source, compose, locate
from hrcoord.core.models.kinds import (  # noqa: F401  (the formats, for the models and their users)
    CONTROL_RE,
    DATE_RE,
    EMAIL_RE,
    ID_RE,
    KINDS,
    MAX_YEAR,
    MIN_YEAR,
    TIME_RE,
    URL_RE,
    Kind,
    date_problem,
    text_problem,
)

CASE_REF_RE = re.compile(r"^\d{2}/\d{1,6}(-\d{1,4})?\Z")
DEPT_RE = re.compile(r"^[A-Z][A-Z0-9]{1,7}\Z")


@dataclass(slots=True)
class Issue:
    keypath: tuple
    code: str
    message: str
    severity: str = ERROR
    at_key: bool = False


@dataclass
class Field:
    name: str
    kind: str = "str"  # a name in KINDS: str (one line), text (several lines), int, bool, date, time, url …
    required: bool = False
    enum: tuple | None = None
    pattern: re.Pattern | None = None
    pattern_code: str = "HR103"
    pattern_hint: str = ""
    items: Field | None = None  # for lists
    fields: list[Field] | None = None  # for maps (and list items that are maps)
    scalar_ok: bool = False  # a list field that also takes a single value
    past: bool = False  # a date that cannot be in the future
    vocab: str | None = None  # a vocabulary or record set the value must belong to
    min: int | None = None
    max: int | None = None
    nullable: bool = False
    doc: str = ""
    check: Callable[[Any, Context], list[tuple[str, str]]] | None = None

    @property
    def order(self) -> list[str]:
        return [f.name for f in self.fields or []]

    def __post_init__(self):
        kind = KINDS.get(self.kind)
        if kind is None:  # at import: a misspelt kind must not silently check nothing
            raise ValueError(f"field {self.name!r}: unknown kind {self.kind!r}; known: {', '.join(KINDS)}")
        if (self.kind == "list") != (self.items is not None):
            raise ValueError(f"field {self.name!r}: a list field needs `items`, and only a list field has them")
        self.kind_of: Kind = kind
        # plain text with nothing more to check: the commonest field, checked on a fast path
        self.plain = (self.kind in ("str", "text") and self.enum is None and self.pattern is None
                      and self.vocab is None and self.check is None)


VOCAB_LINK = {"networks", "plans", "judgments"}  # links to records, not vocabulary words


@dataclass
class Context:
    """What field checks need to know about the repository: vocabularies and record ids."""

    today: dt.date = field(default_factory=dt.date.today)
    sets: dict[str, set] = field(default_factory=dict)
    bodies: dict[str, dict] = field(default_factory=dict)  # code -> body entry
    articles: dict[str, set] = field(default_factory=dict)  # convention code -> article ids

    def has(self, vocab: str, value) -> bool:
        known = self.sets.get(vocab)
        return known is None or value in known  # no vocabulary loaded: nothing to check against


def parse_date(value) -> dt.date | None:
    """A date from a record or a flag: YYYY-MM-DD, a real day, in MIN_YEAR..MAX_YEAR; else None
    (so feature code never meets year 9999, where a day later overflows)."""
    if isinstance(value, dt.date):
        d = value
    elif isinstance(value, str) and DATE_RE.match(value):
        try:
            d = dt.date.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    return d if MIN_YEAR <= d.year <= MAX_YEAR else None


@overload
def require_date(value, flag: str, required: Literal[True]) -> dt.date: ...
@overload
def require_date(value, flag: str, required: bool = False) -> dt.date | None: ...
def require_date(value, flag: str, required: bool = False) -> dt.date | None:
    """A date given on the command line (`--since`, `--today` …): a date, or a UsageError that
    names the flag (for 28.06.2011: "use YYYY-MM-DD: 2011-06-28"). None stays None unless
    `required`."""
    from hrcoord.core.errors import UsageError

    if value is None and not required:
        return None
    d = parse_date(value)
    if d is None:
        raise UsageError(f"{flag} must be a date YYYY-MM-DD, not {value!r}: {date_problem(value) or 'use YYYY-MM-DD'}")
    return d


@overload
def require_year(value: int, flag: str = "--year") -> int: ...
@overload
def require_year(value: int | None, flag: str = "--year") -> int | None: ...
def require_year(value: int | None, flag: str = "--year") -> int | None:
    """A year given on the command line, within MIN_YEAR..MAX_YEAR; a UsageError naming the flag."""
    from hrcoord.core.errors import UsageError

    if value is not None and not MIN_YEAR <= value <= MAX_YEAR:
        raise UsageError(f"{flag} must be a year between {MIN_YEAR} and {MAX_YEAR}, not {value}")
    return value


def suggest(name: str, known: list[str]) -> str:
    if not isinstance(name, str):
        return ""
    close = difflib.get_close_matches(name, [k for k in known if isinstance(k, str)], n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def check_value(f: Field, value, path: tuple, ctx: Context, out: list[Issue]) -> None:
    """The checks of `f`'s kind on one value (None: only whether the field may be empty)."""
    if f.plain and value.__class__ is str:
        if not value.strip() or CONTROL_RE.search(value) or (f.kind == "str" and "\n" in value):
            problem = text_problem(f, value)
            if problem is not None:
                out.append(Issue(path, *problem))
        return
    if value is None:
        if f.required and not f.nullable:
            out.append(Issue(path, "HR117", f"'{f.name}' is empty"))
        return
    f.kind_of.check(f, value, path, ctx, out)


def check_fields(fields: list[Field], data: dict, path: tuple, ctx: Context, out: list[Issue]) -> None:
    by_name = {f.name: f for f in fields}
    for key, value in data.items():
        f = by_name.get(key)
        if f is None:
            out.append(Issue(path + (key,), "HR101", f"unknown field '{key}'" + suggest(str(key), list(by_name)),
                             at_key=True))
            continue
        check_value(f, value, path + (key,), ctx, out)
    for f in fields:
        if f.required and f.name not in data:
            out.append(Issue(path, "HR102", f"required field '{f.name}' is missing"))


@dataclass
class Model:
    """One record type."""

    type: str
    fields: list[Field]
    folder: str  # where its files live, relative to data/
    markdown: bool = False
    doc: str = ""
    checks: list[Callable[[Record, Context], list[Issue]]] = field(default_factory=list)
    id_field: str | None = "id"

    @property
    def order(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def validate(self, rec: Record, ctx: Context) -> list[Issue]:
        out: list[Issue] = []
        check_fields(self.fields, rec.data, (), ctx, out)
        if self.id_field and self.id_field in rec.data and rec.data[self.id_field] != rec.id:
            out.append(Issue((self.id_field,), "HR203",
                             f"{self.id_field} {rec.data[self.id_field]!r} differs from the file name {rec.id!r}"))
        shaped = not any(i.severity == ERROR for i in out)
        for check in self.checks:
            try:
                out.extend(check(rec, ctx))
            except (TypeError, AttributeError, KeyError, IndexError, ValueError):
                # a whole-record check may assume the field types; where they are wrong the record
                # is already reported, and what the check would add is moot. With every field of
                # the right type, it is a bug.
                if shaped:
                    raise
        return out


@dataclass(slots=True, eq=False)
class Record:
    """One loaded record file: its type, id (file name), source text and data."""

    type: str
    id: str
    source: Source
    data: dict

    @property
    def rel(self) -> str:
        return self.source.rel

    @property
    def body(self) -> str | None:
        return self.source.body

    def get(self, key, default=None):
        return self.data.get(key, default)

    def date(self, key: str = "date") -> dt.date | None:
        return parse_date(self.data.get(key))

    def problems(self, issues: list[Issue]) -> list[Problem]:
        """Turn key-path issues into `path:line:col` problems (composing the file once)."""
        if not issues:
            return []
        node = compose(self.source)
        out = []
        for i in issues:
            if i.keypath and i.keypath[0] == "__body__":
                line = self.body_line() + (i.keypath[1] if len(i.keypath) > 1 else 0)
                col = i.keypath[2] if len(i.keypath) > 2 else 1
            else:
                line, col = locate(self.source, i.keypath, node=node, at_key=i.at_key)
            out.append(Problem(self.rel, line, col, i.code, i.message, i.severity))
        return out

    def body_line(self) -> int:
        """The file line where the Markdown body starts (body issues count from there)."""
        return self.source.yaml_line + self.source.yaml_text.count("\n") + 1


def as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
