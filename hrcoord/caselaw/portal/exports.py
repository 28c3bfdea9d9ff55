"""The JSON files of the site: `summaries.json` (every published record, for the portal's import)
and `search-index.json` (the inline fallback search's data, also embedded in index.html when
small). Both are lists of one entry per summary, assembled as a `Spliced` from fresh entries,
the workers' part files (full builds) and ranges of the last publish's file (incremental)."""
from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from pathlib import Path

from hrcoord.core.models.base import Record

EXPORT_FIELDS = ("title", "body", "doc_type", "formation", "reference", "ecli", "date", "respondent", "articles",
                 "outcome", "importance", "keywords", "relevance", "departments", "status", "published",
                 "replaced_by", "reason", "source_url", "related", "foreign_practice", "summary_lang", "case_ref",
                 "origin", "provisions", "referral")  # never: review, access, author, pii_ok
SPLICED = ("summaries.json", "search-index.json")


def _iso(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON data")


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_iso)


def to_json(data) -> str:
    return _ENCODER.encode(data)


def export_entry(rec: Record, view: dict) -> dict:
    """One record in summaries.json: its public fields (no review stamp, no access flag) and text."""
    out = {"id": rec.id, "url": view["url"]}
    for key in EXPORT_FIELDS:
        if rec.data.get(key) is not None:
            out[key] = rec.data[key]  # plain YAML 1.2 data; dates in records built in memory: _iso
    for key in ("reference", "respondent", "origin"):
        if key in out and not isinstance(out[key], list):
            out[key] = [out[key]]
    _safe_links(out, view)
    if "related" in out:  # only links to what is on the site: an unpublished id is not public
        out["related"] = [{"id": r["id"], "relation": r["relation_code"]} if r["relation_code"] else r["id"]
                          for r in view["related"]]
        if not out["related"]:
            del out["related"]
    if out.get("replaced_by") and not (view["withdrawn"] or {}).get("replaced_by"):
        del out["replaced_by"]
    out["sections"] = [{"name": s["name"], "heading": s["heading"], "markdown": s["markdown"], "html": s["html"]}
                       for s in view["sections"]]
    return out


def _safe_links(out: dict, view: dict) -> None:
    """summaries.json carries the links the page shows and no other: a `source_url` or a
    foreign-practice `source` that fails the URL filter is left out."""
    from hrcoord.render.safe import looks_like_link, safe_url

    if "source_url" in out and not view["source_url"]:
        del out["source_url"]
    if isinstance(out.get("foreign_practice"), list):
        out["foreign_practice"] = [fp if not isinstance(fp, dict) or "source" not in fp
                                   or safe_url(str(fp.get("source") or "")) or not looks_like_link(str(fp["source"]))
                                   else {k: v for k, v in fp.items() if k != "source"}
                                   for fp in out["foreign_practice"]]


def index_entry(view: dict) -> str:
    return to_json({"id": view["id"], "url": view["url"], "title": view["title"], "date": view["date"],
                    "text": view["search"]})


def embed_json(data):
    """JSON that is safe inside a <script> element (`data` may be JSON text already)."""
    from markupsafe import Markup

    text = data if isinstance(data, str) else to_json(data)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                  .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


class PartSink:
    """A worker's part files of the JSON exports: entries appended, their places returned."""

    def __init__(self, folder: str, me: int):
        self.me = me
        # open for the whole round (closed in close()): one file per export per worker
        self.files = {name: open(os.path.join(folder, f"{name}-{me}"), "wb")  # noqa: SIM115
                      for name in ("index", "export")}
        self.at = dict.fromkeys(self.files, 0)

    def put(self, name: str, text: str) -> tuple[int, int, int]:
        data = text.encode("utf-8")
        self.files[name].write(b"," + data)  # as in the export: entries that follow merge into one copy
        start = self.at[name] + 1
        self.at[name] = start + len(data)
        return (self.me, start, len(data))

    def close(self) -> None:
        for fh in self.files.values():
            fh.close()


class _Joiner:
    """Builds one Spliced: new chunks as bytes, copied ranges merged while they follow each other."""

    def __init__(self, out, head: bytes):
        self.out = out
        self.run: list | None = None  # [source, start, end] of a range still to copy
        self.at = len(head)
        out.add(head)

    def flush(self) -> None:
        if self.run:
            self.out.copy(self.run[1], self.run[2], self.run[0])
            self.run = None

    def new(self, sep: bytes, chunk: bytes) -> int:
        self.flush()
        self.out.add(sep)
        self.out.add(chunk)
        return len(chunk)

    def copied(self, sep: bytes, src: int, off: int, n: int) -> int:
        run = self.run
        if run and run[0] == src and sep and off == run[2] + 1:
            run[2] = off + n  # neighbours in one file: the comma between them comes along
        else:
            self.flush()
            self.out.add(sep)
            self.run = [src, off, off + n]
        return n


def joined(entries: list[dict], part: str, head: bytes, tail: bytes, old: Path | None,
           parts: Sequence[Path] = ()):
    """A JSON list file of one entry per summary, as a `Spliced`. A freshly rendered entry brings
    its text (`<part>_json`), or where a worker wrote it (`<part>_part`: worker, offset, length,
    in `parts`); an unchanged one is copied from `old`, the same file of the last publish, where
    `<part>_at` says where it stood. Records where each entry stands now (the cache keeps only that)."""
    from hrcoord.core.splice import Spliced

    out = Spliced(old, *parts)
    j = _Joiner(out, head)
    for i, e in enumerate(entries):
        sep = b"," if i else b""
        text = e.pop(f"{part}_json", None)
        if text is not None:
            n = j.new(sep, text.encode("utf-8"))
        else:
            where = e.pop(f"{part}_part", None)
            src, off, size = (where[0] + 1, where[1], where[2]) if where else (0, *e[f"{part}_at"])
            n = j.copied(sep, src, off, size)
        e[f"{part}_at"] = (j.at + len(sep), n)
        j.at += len(sep) + n
    j.flush()
    out.add(tail)
    return out


def export_files(ordered: list[dict], *, lang: str, today: dt.date, prior: Path | None,
                 part_files) -> dict[str, object]:
    """summaries.json and search-index.json for these entries (newest first)."""
    head = f'{{"generated":{to_json(today.isoformat())},"lang":{to_json(lang)},"summaries":['.encode()
    return {
        "search-index.json": joined(ordered, "index", b"[", b"]\n", prior / "search-index.json" if prior else None,
                                    part_files("index")),
        "summaries.json": joined(ordered, "export", head, b"]}\n", prior / "summaries.json" if prior else None,
                                 part_files("export")),
    }
