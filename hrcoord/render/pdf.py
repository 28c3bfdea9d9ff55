"""PDF/A for the archive: WeasyPrint lays out a document's HTML on A4 pages with the same header
and footer as its Word version (CSS paged media margin boxes), fonts embedded.

PDF/A-2b is the variant: an ISO 19005 archive format with embedded fonts and an sRGB output
intent, accepted for filing in a Noark archive (PDF/A-3 differs only by allowing any embedded
file, which an archive does not want). Nothing is fetched while rendering: a document whose HTML
points at an outside resource is rendered without it. The same HTML and metadata give the same
bytes (fixed dates and file identifier).
"""
from __future__ import annotations

import hashlib
import json

from hrcoord.render.document import DocumentMeta

PDF_VARIANT = "pdf/a-2b"
FONTS = '"Carlito", "Calibri", "Liberation Sans", "DejaVu Sans", sans-serif'


def _css_string(text: str) -> str:
    """A CSS string literal holding `text` (line breaks as \\A)."""
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return f'"{out}"'


def page_css(meta: DocumentMeta) -> str:
    """A4 pages, the header (organisation and document type left, date and reference right) and the
    footer "Side X av Y"; print-friendly overrides of the screen styles."""
    from hrcoord.render.word import header_values

    v = header_values(meta)
    left = "\n".join(x for x in (v["organisation"], v["document_type"]) if x)
    right = "\n".join(x for x in (v["date"], v["reference"]) if x)
    return f"""
@page {{
  size: A4; margin: 2.6cm 2.2cm 2.2cm 2.2cm;
  @top-left {{ content: {_css_string(left)}; white-space: pre; font: 8.5pt {FONTS}; color: #1f3a60;
               vertical-align: bottom; padding-bottom: 4pt; border-bottom: 0.6pt solid #1f3a60; }}
  @top-right {{ content: {_css_string(right)}; white-space: pre; text-align: right; font: 8.5pt {FONTS};
                vertical-align: bottom; padding-bottom: 4pt; border-bottom: 0.6pt solid #1f3a60; }}
  @bottom-center {{ content: {_css_string(v["page_word"] + " ")} counter(page) {_css_string(" " + v["of_word"] + " ")}
                    counter(pages); font: 8.5pt {FONTS}; }}
}}
html, body, table, h1, h2, h3, h4 {{ font-family: {FONTS} !important; }}
body {{ font-size: 10.5pt; }}
body {{ max-width: none !important; margin: 0 !important; padding: 0 !important; }}
h1, h2, h3, h4, caption, figcaption, .caption {{ break-after: avoid; page-break-after: avoid; }}
tr, li, dl.meta {{ break-inside: avoid; }}
thead {{ display: table-header-group; }}
table {{ width: 100%; }}
td, th {{ overflow-wrap: normal; hyphens: manual; }}
a {{ color: inherit; text-decoration: none; }}
nav, .no-print {{ display: none; }}
"""


def _no_fetch(url: str, *args, **kwargs):
    """Nothing is fetched while rendering a document: it must stand on its own."""
    raise ValueError(f"not fetched: {url[:60]}")


def from_html(html: str, meta: DocumentMeta) -> bytes:
    """The HTML document as PDF/A bytes."""
    import logging

    from weasyprint import CSS, HTML

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # notes about fonts' own dates, not ours

    from hrcoord.render.word import created_time

    document = HTML(string=html, url_fetcher=_no_fetch).render(stylesheets=[CSS(string=page_css(meta))])
    when = created_time(meta).replace(microsecond=0).isoformat() + "Z"
    md = document.metadata
    md.title = meta.title
    md.authors = [meta.organisation] if meta.organisation else []
    md.description = meta.subject or meta.kind
    md.created = md.modified = when
    md.lang = meta.lang
    md.generator = "hrcoord"
    identifier = hashlib.sha256((html + json.dumps(meta.__dict__, default=str, sort_keys=True)).encode()).hexdigest()
    return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_identifier=identifier[:32].encode("ascii"))


def digest_pdf(repo, html: str, lang: str, today=None) -> bytes:
    """The digest of new and changed summaries (its HTML) as PDF/A."""
    import datetime as dt
    import re

    from hrcoord.core.labels import words

    kind = words(lang, "documents")["digest"]
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    title = found.group(1).strip() if found else kind
    from html import unescape

    org = repo.settings.get("organisation")
    return from_html(html, DocumentMeta(kind=kind, title=unescape(title), lang=lang,
                                        organisation=org if isinstance(org, str) else "",
                                        date=today or dt.date.today()))
