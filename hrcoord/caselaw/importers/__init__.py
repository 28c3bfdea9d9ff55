"""`hrcoord judgment import FILE…`: draft summaries from saved source records.

One module per source — `hudoc` (the ECtHR's search API), `eurlex` (CELLAR notices of CJEU
judgments, XML or SPARQL JSON), `csvfile` (a CSV with the SPEC's column names) — turns a file into
Drafts; `common` writes them (validated, duplicates refused, the section skeleton added).
`hrcoord.caselaw.fetch` asks the sources online and hands their answers to the same parsers.
"""
from __future__ import annotations

import json
from pathlib import Path

from hrcoord.caselaw.importers import common, csvfile, eurlex, hudoc
from hrcoord.core.errors import UsageError

FORMATS = ("auto", "hudoc", "cellar", "csv")


def detect(text: str, path: Path) -> str:
    """hudoc, cellar or csv, from the file's content (the suffix only breaks ties)."""
    head = text.lstrip()[:1]
    if head == "<":
        return "cellar"
    if head in "{[":
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            data = None
        if hudoc.looks_like(data):
            return "hudoc"
        if eurlex.looks_like_sparql(data):
            return "cellar"
        raise UsageError(f"{path}: JSON, but neither a HUDOC result nor a SPARQL result")
    if path.suffix.lower() in (".csv", ".tsv", ".txt") or "," in text.split("\n", 1)[0]:
        return "csv"
    raise UsageError(f"{path}: not a HUDOC result, a CELLAR notice or a CSV file; give --format")


def parse_text(text: str, name: str, fmt: str = "auto", path: Path | None = None) -> common.Parsed:
    fmt = detect(text, path or Path(name)) if fmt == "auto" else fmt
    if fmt == "hudoc":
        return hudoc.parse_text(text, name)
    if fmt == "cellar":
        return eurlex.parse_xml(text, name) if text.lstrip().startswith("<") else eurlex.parse_json_text(text, name)
    if fmt == "csv":
        return csvfile.parse_text(text, name)
    raise UsageError(f"--format must be one of {', '.join(FORMATS)}; not {fmt!r}")


def parse_files(paths: list[Path], fmt: str = "auto") -> common.Parsed:
    out = common.Parsed()
    for path in paths:
        got = parse_text(common.read_text(path), Path(path).name, fmt, Path(path))
        out.drafts += got.drafts
        out.notes += got.notes
    return out


def import_parsed(repo, parsed: common.Parsed, defaults: dict | None = None, *, dry_run: bool = False,
                  skip_existing: bool = False):
    """Write the drafts (see common.write_drafts); returns (written, notes)."""
    if not parsed.drafts and not parsed.notes:
        raise UsageError("nothing to import: the source holds no judgment or decision")
    return common.write_drafts(repo, parsed, defaults or {}, dry_run=dry_run, skip_existing=skip_existing)


def import_files(repo, paths: list[Path], defaults: dict | None = None, *, fmt: str = "auto",
                 dry_run: bool = False, skip_existing: bool = False):
    if not paths:
        raise UsageError("give one or more files to import")
    return import_parsed(repo, parse_files(paths, fmt), defaults, dry_run=dry_run, skip_existing=skip_existing)
