"""The field engine: a record type is a list of Field specs, the single source of truth for its
fields, their checks, their canonical key order (fmt) and their JSON Schema (schema export).

Checking returns Issues addressed by key path; positions are looked up only for the records that
have issues (see Record.problems).
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from hrcoord.core.errors import ERROR, Problem
from hrcoord.core.loader import Source, compose, locate

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
CASE_REF_RE = re.compile(r"^\d{2}/\d{1,6}(-\d{1,4})?$")
DEPT_RE = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")


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
    kind: str = "str"  # str int bool date time url email id list map any
    required: bool = False
    enum: tuple | None = None
    pattern: re.Pattern | None = None
    pattern_code: str = "HR103"
    pattern_hint: str = ""
    items: "Field | None" = None  # for lists
    fields: "list[Field] | None" = None  # for maps (and list items that are maps)
    scalar_ok: bool = False  # a list field that also takes a single value
    past: bool = False  # a date that cannot be in the future
    vocab: str | None = None  # a vocabulary or record set the value must belong to
    min: int | None = None
    max: int | None = None
    nullable: bool = False
    doc: str = ""
    check: Callable[[Any, "Context"], list[tuple[str, str]]] | None = None

    @property
    def order(self) -> list[str]:
        return [f.name for f in self.fields or []]

    def __post_init__(self):
        # plain text with nothing more to check: the commonest field, checked on a fast path
        self.plain = (self.kind == "str" and self.enum is None and self.pattern is None and self.vocab is None
                      and self.check is None)


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
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and DATE_RE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def require_date(value, flag: str, required: bool = False) -> dt.date | None:
    """A date given on the command line (`--since`, `--today` …): a date, or a UsageError that
    names the flag. None stays None unless `required`."""
    from hrcoord.core.errors import UsageError

    if value is None and not required:
        return None
    d = parse_date(value)
    if d is None:
        raise UsageError(f"{flag} must be a date YYYY-MM-DD, not {value!r}")
    return d


def suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _type_name(value) -> str:
    return {str: "text", int: "number", float: "number", bool: "true/false", list: "list", dict: "mapping"}.get(
        type(value), type(value).__name__
    )


def check_value(f: Field, value, path: tuple, ctx: Context, out: list[Issue]) -> None:
    if f.plain and value.__class__ is str:
        if not value.strip():
            out.append(Issue(path, "HR117", f"'{f.name}' is empty"))
        return
    kind = f.kind
    if value is None:
        if f.required and not f.nullable:
            out.append(Issue(path, "HR117", f"'{f.name}' is empty"))
        return
    if kind == "list":
        if not isinstance(value, list):
            if f.scalar_ok and not isinstance(value, dict):
                check_value(f.items, value, path, ctx, out)
                return
            out.append(Issue(path, "HR103", f"'{f.name}' must be a list, not {_type_name(value)}"))
            return
        if f.required and not value:
            out.append(Issue(path, "HR117", f"'{f.name}' is an empty list"))
        seen = set()
        for i, item in enumerate(value):
            check_value(f.items, item, path + (i,), ctx, out)
            if isinstance(item, (str, int)):
                if item in seen:
                    out.append(Issue(path + (i,), "HR118", f"'{item}' appears twice in '{f.name}'"))
                seen.add(item)
        return
    if kind == "map":
        if not isinstance(value, dict):
            out.append(Issue(path, "HR103", f"'{f.name}' must be a mapping, not {_type_name(value)}"))
            return
        check_fields(f.fields, value, path, ctx, out)
        if f.check:
            for code, msg in f.check(value, ctx):
                out.append(Issue(path, code, msg))
        return
    if kind == "any":
        return
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            out.append(Issue(path, "HR103", f"'{f.name}' must be a whole number, not {_type_name(value)}"))
            return
        if (f.min is not None and value < f.min) or (f.max is not None and value > f.max):
            out.append(Issue(path, "HR115", f"'{f.name}' must be between {f.min} and {f.max}"))
        return
    if kind == "bool":
        if not isinstance(value, bool):
            out.append(Issue(path, "HR103", f"'{f.name}' must be true or false"))
        return
    if kind == "date":
        if isinstance(value, bool) and not value and f.nullable:
            return  # `done: false`
        d = parse_date(value)
        if d is None:
            out.append(Issue(path, "HR105", f"'{f.name}' must be a date YYYY-MM-DD, not {value!r}"))
        elif f.past and d > ctx.today:
            out.append(Issue(path, "HR106", f"'{f.name}' {value} is in the future"))
        return
    # the rest are text
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        out.append(Issue(path, "HR103", f"'{f.name}' must be text, not {_type_name(value)}"))
        return
    if not isinstance(value, str):
        value = str(value)
    if not value.strip():
        out.append(Issue(path, "HR117", f"'{f.name}' is empty"))
        return
    if kind == "time":
        if not TIME_RE.match(value):
            out.append(Issue(path, "HR110", f"'{f.name}' must be a time HH:MM, not {value!r}"))
        return
    if kind == "url":
        if not URL_RE.match(value):
            out.append(Issue(path, "HR112", f"'{f.name}' must be an http(s) URL, not {value!r}"))
        return
    if kind == "email":
        if not EMAIL_RE.match(value):
            out.append(Issue(path, "HR116", f"'{f.name}' is not an e-mail address: {value!r}"))
        return
    if kind == "id":
        if not ID_RE.match(value):
            out.append(Issue(path, "HR113", f"'{value}' is not a valid id (lower-case letters, digits, hyphens)"))
            return
    if f.enum is not None and value not in f.enum:
        out.append(Issue(path, "HR104", f"'{f.name}' must be one of {', '.join(f.enum)}; not {value!r}"
                         + suggest(value, list(f.enum))))
        return
    if f.pattern is not None and not f.pattern.match(value):
        out.append(Issue(path, f.pattern_code, f"'{f.name}' {value!r} does not match {f.pattern_hint or f.pattern.pattern}"))
        return
    if f.vocab is not None and not ctx.has(f.vocab, value):
        known = sorted(ctx.sets.get(f.vocab, ()))
        code = "HR201" if f.vocab in VOCAB_LINK else "HR114"
        what = f.vocab.rstrip("s")
        out.append(Issue(path, code, f"unknown {what} {value!r}" + suggest(value, known)))
        return
    if f.check:
        for code, msg in f.check(value, ctx):
            out.append(Issue(path, code, msg))


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
    checks: list[Callable[["Record", Context], list[Issue]]] = field(default_factory=list)
    id_field: str | None = "id"

    @property
    def order(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def validate(self, rec: "Record", ctx: Context) -> list[Issue]:
        out: list[Issue] = []
        check_fields(self.fields, rec.data, (), ctx, out)
        if self.id_field and self.id_field in rec.data and rec.data[self.id_field] != rec.id:
            out.append(Issue((self.id_field,), "HR203",
                             f"{self.id_field} {rec.data[self.id_field]!r} differs from the file name {rec.id!r}"))
        for check in self.checks:
            out.extend(check(rec, ctx))
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
