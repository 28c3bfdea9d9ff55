"""JSON Schema (draft 2020-12) per record type, generated from the same Field specs as the checks,
so that editors (VS Code's YAML extension) check files while they are typed."""
from __future__ import annotations

import json
from pathlib import Path

from hrcoord.core.models import MODELS
from hrcoord.core.models.base import DATE_RE, EMAIL_RE, ID_RE, TIME_RE, URL_RE, Context, Field, Model
from hrcoord.core.models.settings import SETTINGS

_DATE = {"type": "string", "pattern": DATE_RE.pattern, "format": "date"}


def field_schema(f: Field, ctx: Context | None = None) -> dict:
    kind = f.kind
    if kind == "list":
        arr = {"type": "array", "items": field_schema(f.items, ctx)}
        return {"anyOf": [field_schema(f.items, ctx), arr]} if f.scalar_ok else arr
    if kind == "map":
        return object_schema(f.fields or [], ctx)
    if kind == "any":
        s: dict = {}
    elif kind == "int":
        s = {"type": "integer"}
        if f.min is not None:
            s["minimum"] = f.min
        if f.max is not None:
            s["maximum"] = f.max
    elif kind == "bool":
        s = {"type": "boolean"}
    elif kind == "date":
        s = {"anyOf": [{"const": False}, dict(_DATE)]} if f.nullable else dict(_DATE)
    else:
        s = {"type": "string", "minLength": 1}
        pattern = {"time": TIME_RE, "url": URL_RE, "email": EMAIL_RE, "id": ID_RE}.get(kind) or f.pattern
        if pattern is not None:
            s["pattern"] = pattern.pattern.replace("(?:", "(?:")
        if f.enum:
            s["enum"] = list(f.enum)
        elif ctx is not None and f.vocab and ctx.sets.get(f.vocab):
            s["enum"] = sorted(v for v in ctx.sets[f.vocab] if isinstance(v, str))
    if f.doc:
        s["description"] = f.doc
    return s


def object_schema(fields: list[Field], ctx: Context | None = None) -> dict:
    return {
        "type": "object",
        "properties": {f.name: field_schema(f, ctx) for f in fields},
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }


def model_schema(model: Model, ctx: Context | None = None) -> dict:
    s = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://hrcoord.example/schema/{model.type}.json",
        "title": f"hrcoord {model.type}",
        "description": model.doc,
    }
    s.update(object_schema(model.fields, ctx))
    return s


def export(out: Path, ctx: Context | None = None) -> list[Path]:
    from hrcoord.core.fsutil import atomic_write

    written = []
    for model in (*MODELS.values(), SETTINGS):
        path = Path(out) / f"{model.type}.schema.json"
        atomic_write(path, json.dumps(model_schema(model, ctx), indent=2, ensure_ascii=False) + "\n")
        written.append(path)
    return written
