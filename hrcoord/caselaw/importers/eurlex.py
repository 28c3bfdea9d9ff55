"""EUR-Lex / CELLAR: the metadata notice of a CJEU judgment, as the Publications Office serves it.

Two shapes are read:

- XML: the RDF notice (`cdm:resource_legal_id_celex`, `cdm:case-law_ecli`,
  `cdm:work_date_document`, `cdm:case-law_delivered_by_court-formation`, `cdm:expression_title`
  in the ontology http://publications.europa.eu/ontology/cdm#) or the "tree" notice with the same
  properties as upper-case elements holding a `<VALUE>` (`<RESOURCE_LEGAL_ID_CELEX><VALUE>…`);
- JSON: the answer of the CELLAR SPARQL endpoint (W3C SPARQL 1.1 results:
  `{"head": {"vars": […]}, "results": {"bindings": [{"celex": {"value": …}}, …]}}`) to a query
  selecting `?celex ?ecli ?date ?title ?formation`.

Joined cases: the notice is the first case's (CELEX 62010CJ0411); the title names all of them
("Joined cases C-411/10 and C-493/10"), and every case number found is a reference.
"""
from __future__ import annotations

import json
import re

from hrcoord.caselaw.importers.common import Draft, Parsed, iso_date, valid_ecli
from hrcoord.core.errors import UsageError

CELEX_URL = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{celex}"
CASE_RE = re.compile(r"\b([CTF])[-‑–]\s?(\d{1,4})/(\d{2})\b")
CELEX_RE = re.compile(r"^6(\d{4})(C[JOVCA]|T[JOA])(\d{4})")
# what each property is called in the notices (lower case, `-` read as `_`)
KEYS = {
    "celex": ("resource_legal_id_celex", "id_celex", "celex"),
    "ecli": ("case_law_ecli", "ecli"),
    "date": ("work_date_document", "date_document", "date"),
    "formation": ("case_law_delivered_by_court_formation", "court_formation", "formation"),
    "title": ("expression_title", "title"),
    "parties": ("expression_case_law_parties", "case_law_parties", "parties"),
}


def case_from_celex(celex: str) -> str | None:
    """62010CJ0411 -> C-411/10 (Court of Justice); T- for the General Court."""
    m = CELEX_RE.match(str(celex or ""))
    if not m:
        return None
    return f"{m.group(2)[0]}-{int(m.group(3))}/{m.group(1)[2:]}"


RANGE_RE = re.compile(r"\b([CTF])[-‑–]\s?(\d{1,4})/(\d{2})\s+to\s+\1[-‑–]\s?(\d{1,4})/\3\b")


def case_numbers(*texts) -> list[str]:
    """Case numbers in the order given; "C-199/12 to C-201/12" (joined cases) names the ones between."""
    out = []
    for text in texts:
        text = str(text or "")
        for m in RANGE_RE.finditer(text):
            first, last = int(m.group(2)), int(m.group(4))
            if 0 < last - first < 50:
                out += [f"{m.group(1)}-{n}/{m.group(3)}" for n in range(first, last + 1)]
        for m in CASE_RE.finditer(text):
            out.append(f"{m.group(1)}-{int(m.group(2))}/{m.group(3)}")
    return sorted(dict.fromkeys(out), key=out.index)


def formation(*texts) -> str | None:
    """`Grand Chamber` or `Chamber` where the notice says so (a label, or the title's
    "Judgment of the Court (Grand Chamber)"); otherwise left out."""
    for text in texts:
        t = str(text or "").upper().replace("_", " ")
        if "GRAND CHAMBER" in t or "GRANDE CHAMBRE" in t or t.endswith("/GCH"):
            return "Grand Chamber"
        if re.search(r"\b(FIRST|SECOND|THIRD|FOURTH|FIFTH|SIXTH|SEVENTH|EIGHTH|NINTH|TENTH) CHAMBER\b", t):
            return "Chamber"
    return None


def short_title(title: str) -> str | None:
    """The parties' sentence of an EUR-Lex title, without case numbers: "Judgment of the Court
    (Grand Chamber) of 21 December 2011. N. S. (C-411/10) v Secretary of State … " -> "N. S. v
    Secretary of State …". None when the title has no such sentence."""
    # sentences end at ". " — but not after an initial ("N. S. (C-411/10) v …")
    parts = [p.strip() for p in re.split(r"(?<!\s[A-Z])(?<!^[A-Z])\.\s+(?=[A-Z0-9])", str(title or "")) if p.strip()]
    if len(parts) < 2 or not re.match(r"^(Judgment|Order|Opinion)\b", parts[0]):
        return None
    name = re.sub(r"\s*\((?:Joined )?[Cc]ases? [CTF]-[^)]*\)|\s*\([CTF]-\d{1,4}/\d{2}[^)]*\)", "", parts[1])
    return " ".join(name.split()).rstrip(".") or None


def _doc_type(celex: str, title: str) -> str | None:
    m = CELEX_RE.match(str(celex or ""))
    kind = m.group(2)[1] if m else ""
    if kind == "J" or str(title).startswith("Judgment"):
        return "judgment"
    if kind == "O" or str(title).startswith("Order"):
        return "decision"
    if kind == "V":
        return "advisory-opinion"
    return None


def draft(fields: dict[str, list[str]], origin: str) -> Draft | Parsed:
    first = {k: (v[0] if v else "") for k, v in fields.items()}
    celex, title = first.get("celex", ""), first.get("title", "")
    ecli = valid_ecli(first.get("ecli"))
    if ecli and not ecli.startswith("ECLI:EU:C:"):
        return Parsed(notes=[f"{origin}: {ecli} is not a judgment of the Court of Justice; left out"])
    refs = case_numbers(*fields.get("title", []), *fields.get("parties", []))
    own = case_from_celex(celex)
    if own and own not in refs:
        refs.insert(0, own)
    preliminary = re.search(r"(?:[Rr]eferences?|[Rr]equests?) for a preliminary ruling", title)
    v: dict = {"title": first.get("parties") or short_title(title) or title, "body": "CJEU",
               "doc_type": _doc_type(celex, title), "reference": refs or None, "ecli": ecli,
               "date": iso_date(first.get("date")),
               "formation": formation(*fields.get("formation", []), title.split(".")[0] if title else ""),
               "outcome": "interpretation" if preliminary else None,
               "source_url": CELEX_URL.format(celex=celex) if CELEX_RE.match(celex) else None}
    return Draft({k: x for k, x in v.items() if x not in (None, "", [])}, origin)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower().replace("-", "_")


def _key_of(name: str) -> str | None:
    for key, names in KEYS.items():
        if name in names:
            return key
    return None


def _read_xml(text: str, name: str):
    """The notice's root element; a usage error for what is not XML, and for a DOCTYPE or
    entities (which a notice never has: they are how XML is made to expand or to read files)."""
    import xml.etree.ElementTree as ET

    if re.search(r"<!(?:DOCTYPE|ENTITY)", text[:4096], re.I):
        raise UsageError(f"{name}: XML with a DOCTYPE or entities is not read (a notice has none)")
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        raise UsageError(f"{name}: not XML ({exc})") from None


def _property_values(el) -> list[str]:
    """A property's value (its VALUE, its text or its rdf:resource), then its labels."""
    value = el.findtext("{*}VALUE") or el.findtext("VALUE") or (el.text or "").strip()
    for attr, val in el.attrib.items():
        if _local(attr) == "resource":
            value = value or val
    labels = [(c.text or "").strip() for c in el.iter() if _local(c.tag) in ("preflabel", "identifier")]
    return [" ".join(v.split()) for v in [value, *labels] if v and v.strip()]


def parse_xml(text: str, name: str) -> Parsed:
    root = _read_xml(text, name)
    fields: dict[str, list[str]] = {}
    # the work's own properties: children of WORK / EXPRESSION (tree notice) or rdf:Description;
    # properties nested deeper belong to other works (cited cases, the acts interpreted)
    holders = [el for el in root.iter() if _local(el.tag) in ("work", "expression", "description")] or [root]
    for el in (child for holder in holders for child in holder):
        key = _key_of(_local(el.tag))
        values = _property_values(el) if key is not None else []
        if key is not None and values:
            fields.setdefault(key, []).extend(values)
    if not fields.get("celex") and not fields.get("ecli"):
        raise UsageError(f"{name}: not a CELLAR notice (no CELEX number or ECLI in it)")
    return _one(fields, f"{name}: CELEX {(fields.get('celex') or ['?'])[0]}")


def _one(fields: dict, origin: str) -> Parsed:
    d = draft(fields, origin)
    return d if isinstance(d, Parsed) else Parsed([d])


def looks_like_sparql(data) -> bool:
    return isinstance(data, dict) and isinstance(data.get("results"), dict) and \
        isinstance(data["results"].get("bindings"), list)


def parse_sparql(data, name: str) -> Parsed:
    """One draft per CELEX number in the bindings (rows of one work are merged)."""
    works: dict[str, dict[str, list[str]]] = {}
    for row in data["results"]["bindings"]:
        values = {k.lower(): (v.get("value") if isinstance(v, dict) else None) for k, v in row.items()}
        celex = values.get("celex") or ""
        work = works.setdefault(celex, {})
        for var, value in values.items():
            key = _key_of(var.replace("-", "_"))
            if key and value and value not in work.get(key, []):
                work.setdefault(key, []).append(value)
    out = Parsed()
    for celex, fields in works.items():
        got = _one(fields, f"{name}: CELEX {celex or '?'}")
        out.drafts += got.drafts
        out.notes += got.notes
    return out


def parse_json_text(text: str, name: str) -> Parsed:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{name}: not JSON ({exc.msg} at line {exc.lineno})") from None
    if not looks_like_sparql(data):
        raise UsageError(f"{name}: not a SPARQL result (expected {{\"results\": {{\"bindings\": […]}}}})")
    return parse_sparql(data, name)
