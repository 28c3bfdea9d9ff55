"""A summary of a judgment, decision or committee views (SPEC §2.2)."""
from __future__ import annotations

import hashlib
import json
import re

from hrcoord.core.models.base import CASE_REF_RE, Field, Issue, Model, as_list, parse_date

DOC_TYPES = ("judgment", "decision", "views", "advisory-opinion", "general-comment", "report")
FORMATIONS = {"ECtHR": ("Grand Chamber", "Chamber", "Committee"), "CJEU": ("Grand Chamber", "Chamber")}
OUTCOMES = ("violation", "conditional-violation", "no-violation", "mixed", "inadmissible", "struck-out",
            "interpretation", "other")
STATUSES = ("draft", "in-review", "approved", "published", "withdrawn")
TRANSITIONS = {
    "draft": ("in-review", "withdrawn"),
    "in-review": ("draft", "approved", "withdrawn"),
    "approved": ("published", "in-review", "withdrawn"),
    "published": ("withdrawn",),
    "withdrawn": (),
}
RELATIONS = ("cites", "earlier-stage", "later-stage", "same-subject")
MIRROR = {"earlier-stage": "later-stage", "later-stage": "earlier-stage"}

REFERENCE_RE = {
    "ecthr": (re.compile(r"^\d{1,6}/\d{2}$"), "an ECtHR application number like 55597/09"),
    "cjeu": (re.compile(r"^[CTF]-\d{1,4}/\d{2}( ?(P|PPU|AJ|R|DEP))?$"), "a CJEU case number like C-465/07"),
    "un": (re.compile(r"^(CCPR|CAT|CEDAW|CRC|CERD|CMW|CRPD|CED|E/C\.12)/C/\d{1,3}/D/\d{1,4}/\d{4}$"),
           "a UN treaty-body symbol like CCPR/C/102/D/1959/2010"),
}
# What a body's reference looks like when conventions.yaml does not say.
DEFAULT_REFERENCE_KIND = {"ECtHR": "ecthr", "CJEU": "cjeu", "CCPR": "un", "CAT": "un", "CRC": "un", "CEDAW": "un"}
DEFAULT_ECLI_COURT = {"ECtHR": "CE:ECHR", "CJEU": "EU:C"}
# Norwegian abbreviations accepted for codes where they are unambiguous (SPEC §2.2): EMK is the
# Convention, SP the Covenant, EMD the Court. A repository that defines one of these as a code of
# its own keeps it (its own code wins); `fmt` writes the canonical code.
CONVENTION_ALIASES = {"EMK": "ECHR", "SP": "ICCPR"}
BODY_ALIASES = {"EMD": "ECtHR"}
REFERRAL_STATUSES = ("requested", "accepted", "rejected")
ECLI_RE = re.compile(r"^ECLI:([A-Z]{2}):([A-Z0-9]{1,7}):(\d{4}):([A-Za-z0-9.]{1,25})$")
ECHR_ECLI_NUM = re.compile(r"^(\d{4})([A-Z]{3})(\d{7})(\d{2})$")

SECTIONS = {  # canonical Norwegian heading -> accepted English headings
    "Sammendrag": ("Summary",),
    "Faktum": ("Facts",),
    "Domstolens vurdering": ("Reasoning", "The Court's assessment", "Assessment"),
    "Betydning for UDI": ("Relevance for UDI", "Relevance for the directorate"),
    "Andre lands praksis": ("Other countries' practice", "Other countries"),
}
SECTIONS_EN = {nb: en[0] for nb, en in SECTIONS.items()}
REQUIRED_SECTIONS = ("Sammendrag", "Betydning for UDI")
HEADING_RE = re.compile(r"^##[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
DIGEST_FIELDS = ("title", "body", "doc_type", "formation", "reference", "ecli", "date", "respondent",
                 "articles", "outcome", "relevance", "keywords")


HEADING_ALIAS = {h.lower(): nb for nb, en in SECTIONS.items() for h in (nb, *en)}  # any accepted heading -> nb


# HEADING_RE on "\n" + body: a pattern that starts with a literal lets the regex engine jump from
# candidate to candidate instead of trying every character (twice as fast on a 5 KB summary)
_HEADING_AFTER_NL = re.compile(r"\n##[ \t]+(.+?)[ \t]*#*[ \t]*(?=\n|\Z)")


def sections(body: str | None) -> dict[str, str]:
    """Body text per canonical section name (English headings mapped to Norwegian)."""
    if not body:
        return {}
    alias = HEADING_ALIAS
    text = "\n" + body
    out: dict[str, str] = {}
    matches = list(_HEADING_AFTER_NL.finditer(text))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        name = m.group(1).strip()
        out[alias.get(name.lower(), name)] = text[m.end():end].strip()
    return out


def normalise_text(body: str | None) -> str:
    return "\n".join(line.rstrip() for line in (body or "").strip().splitlines())


# covered by the review stamp when a summary has it: an exception to the personal-data guard is
# reviewed like the text (a summary without one keeps the digest it always had)
REVIEWED_WHEN_PRESENT = ("pii_ok",)


def _reviewed(data: dict) -> dict:
    key = {k: data.get(k) for k in DIGEST_FIELDS}
    key.update({k: data[k] for k in REVIEWED_WHEN_PRESENT if data.get(k) is not None})
    return key


def digest(data: dict, body: str | None) -> str:
    """Hash of the summary text and key fields: what a reviewer approved."""
    data = canonical_values(data)  # an alias rewritten by fmt (EMK 8 -> ECHR 8) is the same summary
    key = _reviewed(data)
    payload = json.dumps(key, sort_keys=True, ensure_ascii=False, default=str) + "\n" + normalise_text(body)
    return "sha256:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def part_digests(data: dict, body: str | None) -> dict[str, str]:
    """One short hash per key field and for the text, to name what changed after a review."""
    data = canonical_values(data)
    parts = {k: json.dumps(v, sort_keys=True, ensure_ascii=False, default=str) for k, v in _reviewed(data).items()}
    parts["text"] = normalise_text(body)
    return {k: hashlib.sha256(v.encode("utf-8")).hexdigest()[:8] for k, v in parts.items()}


def body_kind(rec_body: str, ctx) -> str | None:
    entry = ctx.bodies.get(rec_body)
    if entry is not None:
        return entry.get("reference")
    return DEFAULT_REFERENCE_KIND.get(rec_body)


def canonical_body(value, known=None) -> str:
    """The body code for `value`: itself, or what a Norwegian alias (EMD) stands for. `known`: the
    repository's body codes (an alias that is a code of its own stays itself)."""
    if not isinstance(value, str):
        return value
    if known is not None and value in known:
        return value
    target = BODY_ALIASES.get(value) or BODY_ALIASES.get(value.upper())
    if target and (known is None or not known or target in known):
        return target
    return value


def canonical_article(value, known=None) -> str:
    """`EMK 8` -> `ECHR 8`, `SP 7` -> `ICCPR 7`; anything else unchanged. `known`: the repository's
    convention codes (an alias that is a code of its own stays itself)."""
    if not isinstance(value, str):
        return value
    conv, sep, art = value.strip().partition(" ")
    if known is not None and conv in known:
        return value
    target = CONVENTION_ALIASES.get(conv.upper())
    if target and sep and (known is None or not known or target in known):
        return f"{target} {art.strip()}"
    return value


def canonical_values(data: dict, conventions=None, bodies=None) -> dict:
    """The record with aliases replaced by canonical codes (what `fmt` writes)."""
    out = data
    body = data.get("body")
    if isinstance(body, str) and canonical_body(body, bodies) != body:
        out = {**out, "body": canonical_body(body, bodies)}
    arts = data.get("articles")
    if isinstance(arts, str) and canonical_article(arts, conventions) != arts:
        out = {**out, "articles": canonical_article(arts, conventions)}
    elif isinstance(arts, list):
        fixed = [canonical_article(a, conventions) for a in arts]
        if fixed != arts:
            out = {**out, "articles": fixed}
    return out


def _check_body(value, ctx):
    value = canonical_body(value, set(ctx.bodies) if ctx.bodies else None)
    if ctx.bodies and value not in ctx.bodies:
        from hrcoord.core.models.base import suggest
        return [("HR114", f"unknown body {value!r}" + suggest(value, list(ctx.bodies)))]
    return []


def _check_article(value, ctx):
    value = canonical_article(value, set(ctx.articles) if ctx.articles else None)
    conv, _, art = value.partition(" ")
    if not art:
        return [("HR114", f"article {value!r} must be '<convention> <article>', e.g. 'ECHR 8'")]
    if not ctx.articles:
        return []
    known = ctx.articles.get(conv)
    if known is None:
        return [("HR114", f"unknown convention {conv!r} in {value!r}" + _suggest_provision(value, ctx))]
    probe = art
    while probe:
        if probe in known:
            return []
        if "-" not in probe:
            break
        probe = probe.rsplit("-", 1)[0]
    return [("HR114", f"{conv} has no article {art!r}")]


def _suggest_provision(value: str, ctx) -> str:
    """'; did you mean 'ECHR 8'?' for a misspelt provision (aliases such as EMK count as spellings)."""
    import difflib

    conv, _, art = value.partition(" ")
    names = {c.upper(): c for c in ctx.articles}
    names.update({a: t for a, t in CONVENTION_ALIASES.items() if t in ctx.articles and a not in ctx.articles})
    close = difflib.get_close_matches(conv.upper(), list(names), n=1, cutoff=0.5)
    if not close:
        return ""
    target = names[close[0]]
    return f"; did you mean '{target} {art}'?" if art else f"; did you mean '{target}'?"


_alpha2: set | None = None
_alpha3: dict | None = None


def countries() -> tuple[set, dict]:
    """ISO 3166-1 alpha-2 codes, and alpha-3 -> alpha-2, from CLDR (babel); loaded on first use."""
    global _alpha2, _alpha3
    if _alpha2 is None:
        import babel.core
        from babel import Locale

        _alpha2 = {c for c in Locale("en").territories
                   if isinstance(c, str) and len(c) == 2 and c.isalpha() and c not in ("ZZ", "QO")}
        _alpha3 = {k: v[0] for k, v in babel.core.get_global("territory_aliases").items()
                   if len(k) == 3 and k.isalpha() and v and v[0] in _alpha2}
    return _alpha2, _alpha3 or {}


def _check_country(value, ctx):
    if not isinstance(value, str):
        return [("HR109", f"country {value!r} must be an ISO 3166-1 code like NO")]
    alpha2, alpha3 = countries()
    if value in alpha2 or value in alpha3:
        return []
    return [("HR109", f"unknown country code {value!r}; use ISO 3166-1 alpha-2 like NO, GR")]


RELATED = Field("related", "any")  # an id or {id, relation}; checked in _related

JUDGMENT = Model(
    "judgment",
    [
        Field("id", "id"),
        Field("title", required=True),
        Field("body", required=True, check=_check_body),
        Field("doc_type", required=True, enum=DOC_TYPES),
        Field("formation", enum=("Grand Chamber", "Chamber", "Committee")),
        Field("reference", "list", required=True, scalar_ok=True, items=Field("reference")),
        Field("ecli"),
        Field("date", "date", required=True, past=True),
        Field("respondent", "list", scalar_ok=True, items=Field("respondent", check=_check_country)),
        Field("origin", "list", scalar_ok=True, items=Field("origin", check=_check_country),
              doc="the applicant's country of origin, ISO 3166-1 alpha-2 (as in the EUAA database)"),
        Field("articles", "list", required=True, scalar_ok=True, items=Field("article", check=_check_article)),
        Field("provisions", "list", scalar_ok=True, items=Field("provision"),
              doc="national provisions discussed, free text: utlendingsloven § 28"),
        Field("outcome", enum=OUTCOMES),
        Field("referral", "map", fields=[
            Field("status", required=True, enum=REFERRAL_STATUSES),
            Field("date", "date", required=True, past=True),
        ], doc="ECtHR Chamber judgments: a request to refer the case to the Grand Chamber (Art. 43/44 ECHR)"),
        Field("importance", "int", min=1, max=3),
        Field("keywords", "list", scalar_ok=True, items=Field("keyword", vocab="keywords")),
        Field("relevance", "list", required=True, scalar_ok=True, items=Field("relevance", vocab="relevance")),
        Field("departments", "list", scalar_ok=True, items=Field("department", vocab="departments")),
        Field("status", required=True, enum=STATUSES),
        Field("author", doc="who wrote the summary (name or role)"),
        Field("published", "date", past=True, doc="date first published on the portal"),
        Field("replaced_by", "id"),
        Field("reason", "text", doc="why it was withdrawn, when no replacement"),
        Field("review", "map", fields=[
            Field("by", required=True),
            Field("date", "date", required=True, past=True),
            Field("digest", required=True, pattern=re.compile(r"^sha256:[0-9a-f]{16,64}$"), pattern_hint="sha256:…"),
            Field("parts", "map", fields=[Field(k, pattern=re.compile(r"^[0-9a-f]{8}$"))
                                          for k in (*DIGEST_FIELDS, *REVIEWED_WHEN_PRESENT, "text")]),
        ]),
        Field("access", enum=("public", "internal")),
        Field("source_url", "url"),
        Field("related", "list", items=RELATED),
        Field("foreign_practice", "list", items=Field("practice", "map", fields=[
            Field("country", required=True, check=_check_country),
            Field("note", "text", required=True),
            Field("source"),
        ])),
        Field("summary_lang", enum=("nb", "en")),
        Field("case_ref", pattern=CASE_REF_RE, pattern_code="HR111",
              pattern_hint="an archive case number like 10/1843-27"),
        # reviewed exceptions to the personal-data guard: exactly these strings are allowed;
        # never published (the portal's export lists its fields)
        Field("pii_ok", "list", items=Field("exception", "map", fields=[
            Field("text", required=True, doc="the exact string that may be published"),
            Field("reason", required=True, doc="why it may be (who decided, on what ground)"),
        ]), doc="reviewed exceptions to the personal-data guard: [{text, reason}]"),
    ],
    folder="judgments",
    markdown=True,
    doc="A summary of a judgment or committee views: front matter and Markdown sections.",
)


def references(data: dict) -> list[str]:
    return [str(r) for r in as_list(data.get("reference"))]


def ref_key(ref) -> str:
    """A reference as two summaries of one case share it: `33809/08` and `33809 / 08` alike."""
    return str(ref).replace(" ", "").upper()


def _reference_format(rec, ctx) -> list[Issue]:
    d = rec.data
    body = canonical_body(d.get("body"), set(ctx.bodies) if ctx.bodies else None)
    kind = body_kind(body, ctx) if isinstance(body, str) else None
    out = []
    if kind in REFERENCE_RE:
        regex, hint = REFERENCE_RE[kind]
        refs = d.get("reference")
        for i, ref in enumerate(as_list(refs)):
            if not isinstance(ref, str) or not regex.match(ref):
                path = ("reference", i) if isinstance(refs, list) else ("reference",)
                out.append(Issue(path, "HR107", f"reference {ref!r} is not {hint} ({body})"))
    formation = d.get("formation")
    if isinstance(formation, str) and isinstance(body, str):
        allowed = FORMATIONS.get(body)
        if allowed is not None and formation not in allowed:
            out.append(Issue(("formation",), "HR104", f"formation {formation!r} is not one of {body}'s: "
                             + ", ".join(allowed)))
    return out


def _ecli(rec, ctx) -> list[Issue]:
    """The ECLI against its format, the body, the date and the reference.

    Complexity: one check per part of the identifier, in the order a reader checks them."""
    d = rec.data
    ecli = d.get("ecli")
    if ecli is None:
        return []
    if not isinstance(ecli, str):
        return [Issue(("ecli",), "HR108", "ecli must be text like ECLI:CE:ECHR:2011:0628JUD005559709")]
    m = ECLI_RE.match(ecli)
    if not m:
        return [Issue(("ecli",), "HR108", f"{ecli!r} is not an ECLI (ECLI:COUNTRY:COURT:YEAR:NUMBER)")]
    body = canonical_body(d.get("body"), set(ctx.bodies) if ctx.bodies else None)
    court = f"{m.group(1)}:{m.group(2)}"
    expected = (ctx.bodies.get(body) or {}).get("ecli") or DEFAULT_ECLI_COURT.get(body)
    if expected and court != expected:
        return [Issue(("ecli",), "HR108", f"ECLI court {court} does not match body {body} ({expected})")]
    date = parse_date(d.get("date"))
    if date and m.group(3) != str(date.year):
        return [Issue(("ecli",), "HR108", f"ECLI year {m.group(3)} differs from the date {date}")]
    if court == "CE:ECHR":
        n = ECHR_ECLI_NUM.match(m.group(4))
        if not n:
            return [Issue(("ecli",), "HR108", f"ECtHR ECLI number {m.group(4)!r} must be MMDD + type + 7+2 digits")]
        if date and n.group(1) != date.strftime("%m%d"):
            return [Issue(("ecli",), "HR108", f"ECLI day {n.group(1)} differs from the date {date} (MMDD)")]
        refs = references(d)
        if refs and re.match(r"^\d{1,6}/\d{2}$", refs[0]):
            num, yy = refs[0].split("/")
            if (n.group(3), n.group(4)) != (num.zfill(7), yy):
                return [Issue(("ecli",), "HR108",
                              f"ECLI number {n.group(3)}{n.group(4)} does not match application {refs[0]}")]
    return []


def three_months_after(day):
    """The same day three calendar months later, the last day of that month where it has none:
    when a Chamber judgment becomes final if no referral is requested (Art. 44 § 2 (b) ECHR)."""
    from dateutil.relativedelta import relativedelta

    return day + relativedelta(months=3)


def _referral(rec, ctx) -> list[Issue]:
    """A referral belongs to an ECtHR Chamber judgment and comes after it; a request is made within
    the three months of Art. 43 § 1 (the panel may decide later)."""
    d = rec.data
    referral = d.get("referral")
    if not isinstance(referral, dict):
        return []
    body = canonical_body(d.get("body"), set(ctx.bodies) if ctx.bodies else None)
    if body != "ECtHR" or d.get("formation") != "Chamber" or d.get("doc_type") != "judgment":
        return [Issue(("referral",), "HR119", "a referral to the Grand Chamber belongs to an ECtHR Chamber judgment "
                      f"(this is {body} {d.get('formation') or ''} {d.get('doc_type') or ''})".replace("  ", " "))]
    day, when = parse_date(d.get("date")), parse_date(referral.get("date"))
    if day is None or when is None:
        return []
    if when < day:
        return [Issue(("referral", "date"), "HR119", f"referral date {when} is before the judgment ({day})")]
    if referral.get("status") == "requested" and when > three_months_after(day):
        return [Issue(("referral", "date"), "HR119", f"a referral is requested within three months of the judgment "
                      f"(by {three_months_after(day)}, Art. 43 § 1 ECHR), not on {when}")]
    return []


def _related(rec, ctx) -> list[Issue]:
    out = []
    for i, item in enumerate(rec.data.get("related") or []):
        if isinstance(item, str):
            continue
        if not isinstance(item, dict):
            out.append(Issue(("related", i), "HR103", "a related entry is an id or {id, relation}"))
            continue
        for key in item:
            if key not in ("id", "relation"):
                out.append(Issue(("related", i, key), "HR101", f"unknown field '{key}' in related", at_key=True))
        if "id" not in item:
            out.append(Issue(("related", i), "HR102", "related entry needs an 'id'"))
        rel = item.get("relation")
        if rel is not None and rel not in RELATIONS:
            out.append(Issue(("related", i, "relation"), "HR104",
                             f"relation must be one of {', '.join(RELATIONS)}; not {rel!r}"))
    return out


def related_links(data: dict) -> list[tuple[int, str, str | None]]:
    out: list[tuple[int, str, str | None]] = []
    for i, item in enumerate(data.get("related") or []):
        if isinstance(item, str):
            out.append((i, item, None))
        elif isinstance(item, dict) and isinstance(item.get("id"), str):
            out.append((i, item["id"], item.get("relation")))
    return out


def _sections_and_review(rec, ctx) -> list[Issue]:
    d = rec.data
    status = d.get("status")
    out = []
    if status in ("in-review", "approved", "published"):
        have = sections(rec.body)
        for name in REQUIRED_SECTIONS:
            if not have.get(name):
                out.append(Issue(("__body__",), "HR204",
                                 f"section '## {name}' is required from status in-review on (status {status})"))
    if status in ("approved", "published"):
        review = d.get("review")
        if not isinstance(review, dict) or not review.get("digest"):
            out.append(Issue(("status",), "HR205",
                             f"status {status} needs a review stamp: hrcoord judgment review {rec.id} --by NAME"))
        elif review.get("digest") != digest(d, rec.body):
            changed = changed_since_review(d, rec.body)
            what = f" ({', '.join(changed)} changed)" if changed else ""
            out.append(Issue(("review", "digest"), "HR206",
                             f"summary changed after its review{what}; review it again: "
                             f"hrcoord judgment review {rec.id} --by NAME", severity="warning"))
    if status == "withdrawn" and not d.get("replaced_by") and not d.get("reason"):
        out.append(Issue(("status",), "HR209", "a withdrawn summary needs replaced_by or reason"))
    return out


def changed_since_review(data: dict, body: str | None) -> list[str]:
    parts = (data.get("review") or {}).get("parts")
    if not isinstance(parts, dict):
        return []
    now = part_digests(data, body)
    return [k for k, v in now.items() if (k in parts and parts[k] != v)
            or (k in REVIEWED_WHEN_PRESENT and k not in parts)]


def _personal_data(rec, ctx) -> list[Issue]:
    """The personal-data guard (SPEC §5) on publishable summaries: a warning here; publish refuses."""
    if rec.data.get("access", "public") == "internal":
        return []
    from hrcoord.core.checks.privacy import scan_record

    return scan_record(rec)


def _raw_html(rec, ctx) -> list[Issue]:
    """Raw HTML is switched off on the portal (SPEC §5): it is left out of the page, so the writer
    is told where, rather than finding the text missing after publishing."""
    body = rec.body or ""
    if "<" not in body or rec.data.get("access", "public") == "internal":
        return []
    from hrcoord.render.markdown import omits_html

    if not omits_html(body):
        return []
    lines = body.split("\n")
    at = next((i for i, text in enumerate(lines) if omits_html(text)),
              next(i for i, text in enumerate(lines) if "<" in text))
    return [Issue(("__body__", at, lines[at].index("<") + 1 if "<" in lines[at] else 1), "HR304",
                  "raw HTML is left out of the published page; write it as Markdown, or put it in `code`",
                  severity="warning")]


JUDGMENT.checks = [_reference_format, _ecli, _referral, _related, _sections_and_review, _personal_data, _raw_html]


def slugify(text: str) -> str:
    table = str.maketrans({"ø": "o", "æ": "ae", "å": "a", "Ø": "o", "Æ": "ae", "Å": "a"})
    import unicodedata

    s = unicodedata.normalize("NFKD", text.translate(table)).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"['’.,]", "", s)
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:90].strip("-")


def judgment_id(title: str, date: str) -> str:
    return f"{slugify(title)}-{str(date)[:4]}"
