"""The vocabularies: organisation (departments), conventions and bodies, taxonomy."""
from __future__ import annotations

import re

from hrcoord.core.checks import published_values_check
from hrcoord.core.models.base import DEPT_RE, Field, Model

_names = [Field("name_nb", required=True), Field("name_en", required=True)]

DEPARTMENT = Field("departments", "list", required=True, items=Field("department", "map", fields=[
    Field("code", required=True, pattern=DEPT_RE, pattern_hint="upper-case letters (ASA, OPA, RMA)"),
    *_names,
]))

ORGANISATION = Model(
    "organisation",
    [
        Field("name_nb"),
        Field("name_en"),
        DEPARTMENT,
        Field("units", "list", items=Field("unit", "map", fields=[
            Field("code", required=True), *_names, Field("department", vocab="departments"),
        ])),
    ],
    folder="organisation.yaml",
    doc="Departments (code, Norwegian and English names) and units.",
    id_field=None,
)

CONVENTIONS = Model(
    "conventions",
    [
        Field("conventions", "list", required=True, items=Field("convention", "map", fields=[
            Field("code", required=True, pattern=re.compile(r"^[A-Z][A-Z0-9]{1,11}$"), pattern_hint="upper-case code"),
            *_names,
            Field("short_nb"),
            Field("short_en"),
            Field("url", "url"),
            Field("articles", "list", required=True, items=Field("article")),
        ])),
        Field("bodies", "list", required=True, items=Field("body", "map", fields=[
            Field("code", required=True),
            *_names,
            Field("conventions", "list", items=Field("convention")),
            Field("reference", required=True, enum=("ecthr", "cjeu", "un", "free")),
            Field("ecli", pattern=re.compile(r"^[A-Z]{2}:[A-Z0-9]{1,7}$"), pattern_hint="COUNTRY:COURT, e.g. CE:ECHR"),
            Field("url", "url"),
        ])),
    ],
    folder="conventions.yaml",
    doc="Conventions with their articles, and the courts and committees that apply them.",
    id_field=None,
    checks=[published_values_check("conventions", "bodies")],  # their names are on portal pages
)

_slug_entry = Field("entry", "map", fields=[Field("slug", "id", required=True), *_names])

TAXONOMY = Model(
    "taxonomy",
    [
        Field("relevance", "list", required=True, items=_slug_entry),
        Field("keywords", "list", required=True, items=_slug_entry),
    ],
    folder="taxonomy.yaml",
    doc="Relevance areas of the directorate and subject keywords.",
    id_field=None,
    checks=[published_values_check("relevance", "keywords")],  # their names are on portal pages
)
