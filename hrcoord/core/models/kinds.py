"""Field kinds: each kind (text, date, enum-able string, URL, list, map …) is one small object with
its check and its JSON Schema. `KINDS` is the registry; a Field of a kind not in it is an error when
the model is defined (at import), so a misspelt kind can never silently check nothing.

Values are matched exactly (`fullmatch`): a trailing newline is not an e-mail address. Text never
holds control characters; only `text` (free, multi-line text) may hold a line break, and any text
a tab.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hrcoord.core.models.base import Context, Field, Issue

# anchored at both ends with \Z (not `$`, which also matches before a final line break)
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d\Z")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}\Z")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s\x00-\x1f\x7f]*\Z", re.I)
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\Z")
# Dates in records and on the command line lie in these years: a date beyond them is a typo, and
# date arithmetic near year 1 or 9999 (a quarter on, a month back) would overflow
MIN_YEAR, MAX_YEAR = 1900, 2199
# what people type instead of YYYY-MM-DD: 28.06.2011, 28/06/2011, 28-06-2011
_DMY_RE = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*\Z")
# C0 controls but tab and line feed, DEL, C1 controls, and the Unicode line/paragraph separators
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
NEWLINE_RE = re.compile(r"[\n\r\x0b\x0c\x85\u2028\u2029]")


def looks_like_date(text: str) -> bool:
    """28.06.2011 and the like: a date in a form this tool does not take (rather than a name)."""
    return bool(_DMY_RE.match(text))


def date_problem(value: Any) -> str | None:
    """Why `value` is not a date this tool accepts (None when it is one): the form, the day, the
    year range; for 28.06.2011 the hint "use YYYY-MM-DD: 2011-06-28"."""
    import datetime as dt

    text = value if isinstance(value, str) else None
    if text is None or not DATE_RE.match(text):
        m = _DMY_RE.match(text) if text is not None else None
        if m is not None:
            try:
                d = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
                return f"use YYYY-MM-DD: {d.isoformat()}"
            except ValueError:
                pass
        return "use YYYY-MM-DD"
    try:
        d = dt.date.fromisoformat(text)
    except ValueError:
        return "no such day"
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        return f"the year must lie between {MIN_YEAR} and {MAX_YEAR}"
    return None


def json_pattern(pattern: re.Pattern) -> str:
    """A Python pattern as JSON Schema (ECMA 262) writes it: `\\Z` is `$` there."""
    return pattern.pattern.replace(r"\Z", "$")


def type_name(value: Any) -> str:
    return {str: "text", int: "number", float: "number", bool: "true/false", list: "list", dict: "mapping"}.get(
        type(value), type(value).__name__)


def text_problem(f: Field, value: str) -> tuple[str, str] | None:
    """Empty text, or a control character (a line break where the field is one line)."""
    if not value.strip():
        return "HR117", f"'{f.name}' is empty"
    m = CONTROL_RE.search(value)
    if m is None and f.kind != "text":
        m = NEWLINE_RE.search(value)
    if m is not None:
        what = "a line break" if NEWLINE_RE.match(m.group()) else f"a control character (U+{ord(m.group()):04X})"
        return "HR103", f"'{f.name}' holds {what} at position {m.start() + 1}; write it on one line as plain text"
    return None


class Kind:
    """A kind of value. `check` appends Issues for `value` (never None: the caller handles it)."""

    name = ""

    def check(self, f: Field, value: Any, path: tuple, ctx: Context, out: list[Issue]) -> None:
        raise NotImplementedError

    def schema(self, f: Field, ctx: Context | None) -> dict:
        raise NotImplementedError


class Text(Kind):
    """One line of text; subclasses add a format. Enum, pattern, vocabulary and extra checks apply
    to every text kind (in that order, the first failure reported)."""

    name = "str"
    pattern: re.Pattern | None = None
    code, hint = "HR103", ""

    def format_problem(self, f: Field, value: str) -> tuple[str, str] | None:
        if self.pattern is not None and not self.pattern.fullmatch(value):
            return self.code, self.hint.format(name=f.name, value=value)
        return None

    def check(self, f, value, path, ctx, out):
        from hrcoord.core.models.base import Issue

        if not isinstance(value, str):
            # a number where text belongs is refused too (quote it): the commands then only ever
            # meet text there, never a number they would have to turn into one
            hint = f"; quote it: {f.name}: '{value}'" if isinstance(value, (int, float)) and \
                not isinstance(value, bool) else ""
            out.append(Issue(path, "HR103", f"'{f.name}' must be text, not {type_name(value)}{hint}"))
            return
        problem = text_problem(f, value) or self.format_problem(f, value) or _common_problem(f, value, ctx)
        if problem is not None:
            out.append(Issue(path, *problem))
            return
        if f.check:
            for code, msg in f.check(value, ctx):
                out.append(Issue(path, code, msg))

    def schema(self, f, ctx):
        s: dict = {"type": "string", "minLength": 1}
        pattern = self.pattern or f.pattern
        if pattern is not None:
            s["pattern"] = json_pattern(pattern)
        if f.enum:
            s["enum"] = list(f.enum)
        elif ctx is not None and f.vocab and ctx.sets.get(f.vocab):
            s["enum"] = sorted(v for v in ctx.sets[f.vocab] if isinstance(v, str))
        return s


def _common_problem(f: Field, value: str, ctx: Context) -> tuple[str, str] | None:
    from hrcoord.core.models.base import VOCAB_LINK, suggest

    if f.enum is not None and value not in f.enum:
        return "HR104", f"'{f.name}' must be one of {', '.join(f.enum)}; not {value!r}" + suggest(value, list(f.enum))
    if f.pattern is not None and not f.pattern.fullmatch(value):
        return f.pattern_code, f"'{f.name}' {value!r} does not match {f.pattern_hint or f.pattern.pattern}"
    if f.vocab is not None and not ctx.has(f.vocab, value):
        known = sorted(ctx.sets.get(f.vocab, ()))
        code = "HR201" if f.vocab in VOCAB_LINK else "HR114"
        return code, f"unknown {f.vocab.rstrip('s')} {value!r}" + suggest(value, known)
    return None


class FreeText(Text):
    """Free text over several lines (notes, descriptions, decisions)."""

    name = "text"


class Time(Text):
    name, pattern, code, hint = "time", TIME_RE, "HR110", "'{name}' must be a time HH:MM, not {value!r}"


class Url(Text):
    name, pattern, code, hint = "url", URL_RE, "HR112", "'{name}' must be an http(s) URL, not {value!r}"


class Email(Text):
    name, pattern, code, hint = "email", EMAIL_RE, "HR116", "'{name}' is not an e-mail address: {value!r}"


class Id(Text):
    name, pattern, code = "id", ID_RE, "HR113"
    hint = "'{value}' is not a valid id (lower-case letters, digits, hyphens)"


class Int(Kind):
    name = "int"

    def check(self, f, value, path, ctx, out):
        from hrcoord.core.models.base import Issue

        if isinstance(value, bool) or not isinstance(value, int):
            out.append(Issue(path, "HR103", f"'{f.name}' must be a whole number, not {type_name(value)}"))
        elif (f.min is not None and value < f.min) or (f.max is not None and value > f.max):
            out.append(Issue(path, "HR115", f"'{f.name}' must be between {f.min} and {f.max}"))

    def schema(self, f, ctx):
        s: dict = {"type": "integer"}
        if f.min is not None:
            s["minimum"] = f.min
        if f.max is not None:
            s["maximum"] = f.max
        return s


class Bool(Kind):
    name = "bool"

    def check(self, f, value, path, ctx, out):
        from hrcoord.core.models.base import Issue

        if not isinstance(value, bool):
            out.append(Issue(path, "HR103", f"'{f.name}' must be true or false"))

    def schema(self, f, ctx):
        return {"type": "boolean"}


class Date(Kind):
    """An ISO date; `nullable` dates also take `false` (a follow-up not done yet)."""

    name = "date"

    def check(self, f, value, path, ctx, out):
        from hrcoord.core.models.base import Issue, parse_date

        if value is False and f.nullable:
            return
        d = parse_date(value)
        if d is None:
            why = date_problem(value)
            hint = f" ({why})" if why and why != "use YYYY-MM-DD" else ""
            out.append(Issue(path, "HR105", f"'{f.name}' must be a date YYYY-MM-DD, not {value!r}{hint}"))
        elif f.past and d > ctx.today:
            out.append(Issue(path, "HR106", f"'{f.name}' {value} is in the future"))

    def schema(self, f, ctx):
        s = {"type": "string", "pattern": json_pattern(DATE_RE), "format": "date"}
        return {"anyOf": [{"const": False}, s]} if f.nullable else s


class List(Kind):
    """A list of `items`; with `scalar_ok` a single value stands for a list of one."""

    name = "list"

    def check(self, f, value, path, ctx, out):
        from hrcoord.core.models.base import Issue, check_value

        if not isinstance(value, list):
            if f.scalar_ok and not isinstance(value, dict):
                check_value(f.items, value, path, ctx, out)
                return
            out.append(Issue(path, "HR103", f"'{f.name}' must be a list, not {type_name(value)}"))
            return
        if f.required and not value:
            out.append(Issue(path, "HR117", f"'{f.name}' is an empty list"))
        seen: set = set()
        for i, item in enumerate(value):
            check_value(f.items, item, (*path, i), ctx, out)
            if isinstance(item, (str, int)):
                if item in seen:
                    out.append(Issue((*path, i), "HR118", f"'{item}' appears twice in '{f.name}'"))
                seen.add(item)

    def schema(self, f, ctx):
        from hrcoord.core.schema import field_schema

        arr = {"type": "array", "items": field_schema(f.items, ctx)}
        return {"anyOf": [field_schema(f.items, ctx), arr]} if f.scalar_ok else arr


class Map(Kind):
    """A mapping of sub-`fields`, with an optional check of the whole."""

    name = "map"

    def check(self, f, value, path, ctx, out):
        from hrcoord.core.models.base import Issue, check_fields

        if not isinstance(value, dict):
            out.append(Issue(path, "HR103", f"'{f.name}' must be a mapping, not {type_name(value)}"))
            return
        check_fields(f.fields or [], value, path, ctx, out)
        if f.check:
            for code, msg in f.check(value, ctx):
                out.append(Issue(path, code, msg))

    def schema(self, f, ctx):
        from hrcoord.core.schema import object_schema

        return object_schema(f.fields or [], ctx)


class AnyValue(Kind):
    """Checked by the model's own checks (e.g. `related`: an id or a mapping)."""

    name = "any"

    def check(self, f, value, path, ctx, out):
        return None

    def schema(self, f, ctx):
        return {}


KINDS: dict[str, Kind] = {k.name: k for k in (Text(), FreeText(), Time(), Url(), Email(), Id(), Int(), Bool(),
                                               Date(), List(), Map(), AnyValue())}
