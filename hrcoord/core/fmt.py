"""The canonical form of a record (SPEC §2.1): the model's key order, block style, LF, a final
newline, no trailing space; the Markdown body kept byte for byte.

Comments are never dropped: a top-level field whose text holds a YAML comment is kept as the
author wrote it (its lines spliced at the parser's marks) and only moved into canonical order.
Every writing command goes through `render_record`, so what `judgment status` writes is already
canonical.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from hrcoord.core.loader import _CORE_RESOLVERS, Source, comment_spans, compose, load_text
from hrcoord.core.models import MODELS
from hrcoord.core.models.base import Field, Model

_BaseDumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's, where it is there

# Strings a YAML 1.1 reader (older tools) would take for something else are quoted even though
# YAML 1.2 reads them as strings: yes/no/on/off, 10:00 (sexagesimal), 0150 (octal-looking).
_YAML11_AMBIGUOUS = re.compile(
    r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"
    r"|[-+]?0[0-9_]+|=|<<)$"
)


class Dumper(_BaseDumper):
    yaml_implicit_resolvers: dict = {}  # noqa: RUF012 — PyYAML's own class table, replaced per subclass


for _tag, _regexp, _first in _CORE_RESOLVERS:
    Dumper.add_implicit_resolver(_tag, _regexp, _first)
Dumper.add_implicit_resolver("tag:hrcoord:quote", _YAML11_AMBIGUOUS, list("yYnNoO+-0123456789=<"))


def _str(dumper, value: str):
    if "\n" in value:
        text = "\n".join(line.rstrip() for line in value.split("\n"))
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


Dumper.add_representer(str, _str)


def _ordered(value, f: Field | None):
    """Re-order mappings by the field specs, recursively; unknown keys keep their place at the end."""
    if isinstance(value, dict):
        order = f.order if f is not None and f.fields else []
        keys = [k for k in order if k in value] + [k for k in value if k not in order]
        sub = {s.name: s for s in (f.fields or [])} if f is not None else {}
        return {k: _ordered(value[k], sub.get(k)) for k in keys}
    if isinstance(value, list):
        item = f.items if f is not None else None
        return [_ordered(v, item) for v in value]
    return value


def normalise(model: Model, data: dict, ctx=None) -> dict:
    """Canonical values (SPEC §2.2): HUDOC alpha-3 country codes become alpha-2, Norwegian aliases
    (EMK 8, SP 7, EMD) the canonical codes. `ctx` (the repository's vocabularies) keeps a code the
    repository defines itself from being read as an alias."""
    if model.type != "judgment":
        return data
    from hrcoord.core.models.judgment import canonical_values, countries

    _, alpha3 = countries()
    for key in ("respondent", "origin"):
        r = data.get(key)
        if isinstance(r, str):
            data = {**data, key: alpha3.get(r, r)}
        elif isinstance(r, list):
            data = {**data, key: [alpha3.get(x, x) if isinstance(x, str) else x for x in r]}
    conventions = set(ctx.articles) if ctx is not None and ctx.articles else None
    bodies = set(ctx.bodies) if ctx is not None and ctx.bodies else None
    return canonical_values(data, conventions, bodies)


def dump_fields(model: Model, data: dict, ctx=None) -> str:
    top = Field("record", "map", fields=model.fields)
    ordered = _ordered(normalise(model, data, ctx), top)
    if not ordered:
        return ""
    return yaml.dump(ordered, Dumper=Dumper, default_flow_style=False, sort_keys=False, allow_unicode=True,
                     width=100000, indent=2)


@dataclass
class Block:
    key: str
    text: str  # the author's lines for this key, comments included


def _comment_blocks(src: Source) -> tuple[str, dict[str, Block]] | None:
    """Top-level keys whose text holds a comment, cut at the composer's marks. Returns the
    leading comment text (before the first key) and the blocks, or None when there are none.

    Complexity: the rules for which comment lines belong to which key are one algorithm over line
    numbers; split up, its invariants would be spread over functions."""
    text = src.yaml_text
    hashes = comment_spans(text)
    if not hashes:
        return None
    node = compose(src)
    if not isinstance(node, yaml.MappingNode):
        return None
    lines = text.split("\n")
    starts = [(k.value, k.start_mark.line) for k, _ in node.value]
    line_of = [text.count("\n", 0, h) for h in hashes]
    head = "\n".join(lines[: starts[0][1]]) if starts else ""
    blocks: dict[str, Block] = {}
    for i, (key, start) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else len(lines)
        # comment lines just above the next key belong to that key, not this one
        if i + 1 < len(starts):
            while end - 1 > start and lines[end - 1].lstrip().startswith("#"):
                end -= 1
        lead = start
        while lead - 1 >= 0 and lines[lead - 1].lstrip().startswith("#") and (
                i == 0 or lead - 1 >= starts[i - 1][1] + 1):
            lead -= 1
        if i == 0:
            lead = start  # leading comments of the file stay at the head
        if any(lead <= ln < end for ln in line_of):
            chunk = "\n".join(line.rstrip() for line in lines[lead:end]).rstrip("\n")
            blocks[key] = Block(key, chunk + "\n")
    return head, blocks


def render_record(model: Model, data: dict, source: Source | None = None, body: str | None = None,
                  ctx=None) -> str:
    """The canonical text of a record. With the `source` it came from, keeps its comments."""
    kept = _comment_blocks(source) if source is not None else None
    if kept is None:
        fields_text = dump_fields(model, data, ctx)
        head = ""
    else:
        head, blocks = kept
        top = Field("record", "map", fields=model.fields)
        ordered = _ordered(normalise(model, data, ctx), top)
        parts = []
        for key, value in ordered.items():
            block = blocks.get(key)
            original = None
            if block is not None:
                parsed = load_text(block.text)
                original = parsed.data.get(key) if isinstance(parsed.data, dict) else None
            if block is not None and original == value:
                parts.append(block.text)
            else:  # the value changed (or never had a comment): write it canonically
                parts.append(dump_fields(Model(model.type, model.fields, model.folder), {key: value}))
        head = "\n".join(line.rstrip() for line in head.split("\n")).strip("\n")
        fields_text = (head + "\n" if head else "") + "".join(parts)
    if model.markdown:
        b = body if body is not None else (source.body if source is not None else "")
        return "---\n" + fields_text + "---\n" + (b or "")
    return fields_text


@dataclass
class FmtResult:
    rel: str
    changed: bool
    new_text: str | None = None
    old_bytes: bytes = b""  # what was read: the write is refused if the file holds anything else by then


def format_file(model: Model, path, rel: str, ctx=None) -> tuple[FmtResult | None, list]:
    """The canonical text of one file, or its problems when it does not load. The file is read
    once: the text formatted is the text whose bytes the write will be checked against."""
    from pathlib import Path

    from hrcoord.core.loader import read_file

    raw, text, problems = read_file(Path(path), rel)
    if text is None or raw is None:
        return None, problems
    loaded = load_text(text, rel, markdown=model.markdown)
    if loaded.problems or loaded.source is None:
        return None, loaded.problems
    loaded.source.path = Path(path)
    assert isinstance(loaded.data, dict)  # (parse_yaml gives a mapping or problems)
    new = render_record(model, loaded.data, loaded.source, ctx=ctx)
    # the check is against the bytes on disk: a BOM or CRLF is not canonical
    return FmtResult(rel, new != raw.decode("utf-8", "replace"), new, raw), []


@dataclass
class FmtReport:
    files: int = 0
    changed: list[str] = None  # type: ignore[assignment]
    problems: list = None  # type: ignore[assignment]


def format_repository(repo, paths: list[str] | None = None, write: bool = True) -> FmtReport:
    """Canonicalise every record file (or those under `paths`); write when asked, in one
    transaction under the repository lock: a writer that appends to a record meanwhile waits,
    and a file changed by another program between the read and the write is not overwritten."""
    from pathlib import Path

    from hrcoord.core.models import SETTINGS_MODEL
    from hrcoord.core.transaction import transaction

    wanted = [repo.rel(Path(p).resolve()) for p in paths or []]

    def included(rel: str) -> bool:
        return not wanted or any(rel == w or rel.startswith(w.rstrip("/") + "/") or w == "." for w in wanted)

    report = FmtReport(0, [], [])
    with transaction(repo, dry_run=not write) as tx:
        targets = [(SETTINGS_MODEL, repo.root / "hrcoord.yaml")]
        for type_, files in repo.files().items():
            targets += [(MODELS[type_], path) for path, _ in files]
        report.problems.extend(p for p in repo.refused if included(p.path))
        for model, path in targets:
            rel = repo.rel(path)
            if not included(rel):
                continue
            report.files += 1
            result, problems = format_file(model, path, rel, repo.context() if model.type == "judgment" else None)
            if problems or result is None:
                report.problems.extend(problems)
                continue
            if result.changed:
                report.changed.append(rel)
                if write:
                    tx.put(path, result.new_text, expect=result.old_bytes)
    return report
