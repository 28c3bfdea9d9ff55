"""JSON Schema (draft 2020-12) per record type, generated from the same Field specs as the checks,
so that editors (VS Code's YAML extension) check files while they are typed."""
from __future__ import annotations

import json
from pathlib import Path

from hrcoord.core.models import MODELS
from hrcoord.core.models.base import Context, Field, Model
from hrcoord.core.models.settings import SETTINGS


def field_schema(f: Field, ctx: Context | None = None) -> dict:
    """The JSON Schema of one field: its kind's schema, with the field's description."""
    s = f.kind_of.schema(f, ctx)
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
