"""Dates the Norwegian way (`28. juni 2011`), or English (`28 June 2011`), with babel."""
from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache

from hrcoord.core.models.base import parse_date


def _pattern(lang: str, which: str) -> str:
    from hrcoord.core.labels import words

    return words(lang, "meta")[which]


@lru_cache(maxsize=1 << 16)  # a site of 10,000 summaries has several thousand distinct days
def _fmt(d: dt.date, pattern: str, locale: str) -> str:
    from babel.dates import format_date

    from hrcoord.core.labels import words

    return format_date(d, pattern, locale=_locale(words(locale, "meta")["babel"]))


@cache
def _locale(code: str):
    """babel's Locale, parsed once (format_date parses a locale name on every call)."""
    from babel import Locale

    return Locale.parse(code)


def long_date(value, lang: str = "nb") -> str:
    d = parse_date(value) if not isinstance(value, dt.datetime) else value.date()
    if d is None:
        return "" if value is None else str(value)
    return _fmt(d, _pattern(lang, "long_date"), lang)


def short_date(value, lang: str = "nb") -> str:
    d = parse_date(value)
    if d is None:
        return "" if value is None else str(value)
    return _fmt(d, _pattern(lang, "short_date"), lang)


def weekday_date(value, lang: str = "nb") -> str:
    """`tirsdag 9. desember 2014`."""
    d = parse_date(value)
    if d is None:
        return "" if value is None else str(value)
    return _fmt(d, "EEEE " + _pattern(lang, "long_date"), lang)
