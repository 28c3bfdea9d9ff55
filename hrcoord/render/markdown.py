"""Markdown to HTML for published text: raw HTML off, unsafe link schemes dropped (SPEC §5)."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _md():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    # markdown-it's validateLink already refuses javascript:, vbscript:, file: and most data: URLs;
    # we refuse every data: URL too.
    default_validate = md.validateLink
    md.validateLink = lambda url: default_validate(url) and not url.strip().lower().startswith("data:")
    return md


def to_html(text: str | None) -> str:
    return _md().render(text or "")
