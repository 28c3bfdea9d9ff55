"""A CSV file with the SPEC's field names as its header (for UN treaty-body views and anything
else without an API): one summary per row. List fields (reference, respondent, articles, keywords,
relevance, departments, origin, provisions, related) take several values separated by `;`. An empty
cell is a field left out. The header is checked: an unknown column is a usage error with a
suggestion, so a misspelt column never silently drops its values.
"""
from __future__ import annotations

import csv
import io

from hrcoord.caselaw.importers.common import Draft, Parsed
from hrcoord.core.errors import UsageError

COLUMNS = ("id", "title", "body", "doc_type", "formation", "reference", "ecli", "date", "respondent", "origin",
           "articles", "provisions", "outcome", "importance", "keywords", "relevance", "departments", "access",
           "source_url", "related", "summary_lang", "case_ref", "author")
LISTS = {"reference", "respondent", "origin", "articles", "provisions", "keywords", "relevance", "departments",
         "related"}


def _header(names: list[str], name: str) -> list[str]:
    from hrcoord.core.models.base import suggest

    out = []
    for col in names:
        key = (col or "").strip().lower().replace(" ", "_").replace("-", "_")
        if key == "article":
            key = "articles"
        if key not in COLUMNS:
            raise UsageError(f"{name}: unknown column {col!r}" + suggest(key, list(COLUMNS))
                             + f" (columns: {', '.join(COLUMNS)})")
        out.append(key)
    return out


def _value(key: str, cell: str):
    cell = cell.strip()
    if not cell:
        return None
    if key in LISTS:
        items = [x.strip() for x in cell.split(";") if x.strip()]
        return items or None
    if key == "importance" and cell.isdigit():
        return int(cell)
    return cell


def parse_text(text: str, name: str) -> Parsed:
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise UsageError(f"{name}: empty CSV file")
    header = _header(rows[0], name)
    out = Parsed()
    for n, row in enumerate(rows[1:], start=2):
        if len(row) > len(header):
            raise UsageError(f"{name}:{n}: {len(row)} cells but {len(header)} columns")
        values = {}
        for key, cell in zip(header, row, strict=False):  # a short row leaves its last columns out
            v = _value(key, cell)
            if v is not None:
                values[key] = v
        jid = values.pop("id", None)
        d = Draft(values, f"{name}:{n}")
        if jid:
            d.values["__id"] = jid
        out.drafts.append(d)
    return out
