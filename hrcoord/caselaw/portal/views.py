"""A summary as plain view data: everything a page, a list entry, the feed and the JSON export
need, as picklable dicts (so workers can render them). `make_view` puts together the parts that
the small functions below compute, one job each."""
from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from hrcoord.core import labels
from hrcoord.core.models.base import Record, as_list, parse_date
from hrcoord.core.models.judgment import HEADING_ALIAS, SECTIONS, SECTIONS_EN, references, related_links, sections
from hrcoord.render.safe import looks_like_link, safe_url

PAGES_DIR = "summaries"
LABELS = labels.table("portal")
DOC_TYPES = labels.table("doc_types")
OUTCOMES = labels.table("outcomes")
FORMATIONS = labels.table("formations")
RELATIONS = labels.table("relations")
IMPORTANCE = labels.table("importance")
ART_RE = re.compile(r"^(?:P(\d+)-)?(\d+)(?:-(\d+))?$")
H2_HTML = re.compile(r"<h2>(.*?)</h2>\n")


@dataclass
class Vocab:
    """Names from the vocabularies, in one language (plain dicts: picklable)."""

    lang: str
    conventions: dict = field(default_factory=dict)  # code -> {name, short}
    conv_order: list = field(default_factory=list)
    bodies: dict = field(default_factory=dict)
    relevance: dict = field(default_factory=dict)
    relevance_order: list = field(default_factory=list)
    keywords: dict = field(default_factory=dict)
    countries: dict = field(default_factory=dict)


def vocab(repo, lang: str) -> Vocab:
    v = Vocab(lang)
    _conventions_into(v, repo.vocab_record("conventions"))
    _taxonomy_into(v, repo.vocab_record("taxonomy"))
    v.countries = _country_names(lang)
    return v


def _name(entry: dict, key: str, lang: str, fallback: str) -> str:
    return entry.get(f"{key}_{lang}") or entry.get(f"{key}_en") or fallback


def _conventions_into(v: Vocab, conv: Record | None) -> None:
    if conv is None:
        return
    for c in dicts(conv.get("conventions")):
        code = str(c.get("code"))
        v.conventions[code] = {"name": _name(c, "name", v.lang, code), "short": _name(c, "short", v.lang, code)}
        v.conv_order.append(code)
    for b in dicts(conv.get("bodies")):
        v.bodies[str(b.get("code"))] = _name(b, "name", v.lang, str(b.get("code")))


def _taxonomy_into(v: Vocab, tax: Record | None) -> None:
    if tax is None:
        return
    for e in dicts(tax.get("relevance")):
        v.relevance[str(e.get("slug"))] = e.get(f"name_{v.lang}") or e.get("slug")
        v.relevance_order.append(str(e.get("slug")))
    for e in dicts(tax.get("keywords")):
        v.keywords[str(e.get("slug"))] = e.get(f"name_{v.lang}") or e.get("slug")


def _country_names(lang: str) -> dict:
    try:
        from babel import Locale

        return dict(Locale.parse(lang).territories)
    except Exception:
        return {}


def dicts(value) -> list[dict]:
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def strs(value) -> list[str]:
    return [str(x) for x in as_list(value) if x is not None and not isinstance(x, (dict, list))]


def article_label(conv_short: str, art: str, lang: str) -> str:
    m = ART_RE.match(art)
    if not m:
        return f"{conv_short} {art}"
    prot, num, para = m.groups()
    t = labels.words(lang, "article")
    s = t["protocol" if prot else "article"].format(convention=conv_short, protocol=prot, number=num)
    return s + (t["paragraph"].format(paragraph=para) if para else "")


def article_sort_key(art: str):
    m = ART_RE.match(art)
    if not m:
        return (2, 0, 0, art)
    prot, num, para = m.groups()
    return (1 if prot else 0, int(prot or 0), int(num), int(para or 0))


@lru_cache(maxsize=4096)  # a site has a few hundred articles and areas, asked for on every page
def anchor(text: str) -> str:
    return re.sub(r"[^a-z0-9-]", "-", text.lower())


def page_url(jid: str) -> str:
    return f"{PAGES_DIR}/{jid}.html"


def strip_tags(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def published_day(data: dict) -> str:
    """The day a summary came on the site (its date when `published` is not set), ISO."""
    return (parse_date(data.get("published")) or parse_date(data.get("date")) or dt.date.min).isoformat()


def preamble(body: str | None) -> str:
    if not body:
        return ""
    m = re.search(r"^##[ \t]", body, re.M)
    return (body[: m.start()] if m else body).strip()


# --- the text ----------------------------------------------------------------------------------

def section_html(body: str | None, secs: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The HTML of the text before the first section and of each section. The body is rendered
    once and cut at its <h2> headings (one Markdown pass instead of one per section); when the
    cut does not line up with the sections (a heading with markup, a `##` line in a code block),
    each section is rendered on its own."""
    from hrcoord.render.markdown import to_html

    if not body:
        return "", {}
    parts = H2_HTML.split(to_html(body))
    names = [HEADING_ALIAS.get(html.unescape(h).strip().lower(), html.unescape(h).strip()) for h in parts[1::2]]
    # the cut lines up when the page's <h2>s are exactly the `##` headings, each once, in order
    if names == list(secs):
        return parts[0], dict(zip(names, parts[2::2], strict=True))
    pre = preamble(body)
    return (to_html(pre) if pre else ""), {name: to_html(text) for name, text in secs.items()}


def section_views(rec: Record, lang: str) -> list[dict]:
    """The text before the first section, then the sections: canonical ones in their order, then
    the others as written."""
    secs = sections(rec.body)
    pre = preamble(rec.body)
    pre_html, htmls = section_html(rec.body, secs)
    ordered = [n for n in SECTIONS if secs.get(n)] + [n for n in secs if n not in SECTIONS and secs.get(n)]
    out = [{"name": "", "heading": "", "markdown": pre, "html": pre_html}] if pre else []
    for name in ordered:
        out.append({"name": name, "heading": (SECTIONS_EN.get(name, name) if lang == "en" else name),
                    "markdown": secs[name], "html": htmls[name].strip() + "\n"})
    return out


def lead(secs: list[dict]) -> dict:
    first = next((s for s in secs if s["name"] == "Sammendrag"), secs[0] if secs else None)
    return {"lead_html": first["html"] if first else "",
            "lead_text": " ".join(strip_tags(first["html"]).split()) if first else ""}


# --- the fields --------------------------------------------------------------------------------

def article_views(d: dict, voc: Vocab) -> list[dict]:
    out = []
    for a in strs(d.get("articles")):
        conv, _, art = a.partition(" ")
        short = (voc.conventions.get(conv) or {}).get("short", conv)
        out.append({"code": a, "convention": conv, "article": art, "label": article_label(short, art, voc.lang),
                    "anchor": anchor(f"{conv}-{art}")})
    return out


def related_views(rec: Record, lang: str, on_site: dict[str, str]) -> list[dict]:
    out = []
    for _, rid, relation in related_links(rec.data):
        if rid in on_site and rid != rec.id:
            out.append({"id": rid, "title": on_site[rid], "url": f"{rid}.html", "relation_code": relation or "",
                        "relation": RELATIONS[lang].get(relation or "", "")})
    return out


def foreign_views(d: dict, voc: Vocab) -> list[dict]:
    out = []
    for fp in dicts(d.get("foreign_practice")):
        src = str(fp.get("source") or "")
        out.append({"country": voc.countries.get(str(fp.get("country")), str(fp.get("country") or "")),
                    "note": str(fp.get("note") or ""), "source": safe_url(src),
                    "source_text": "" if looks_like_link(src) else src})
    return out


def withdrawn_view(d: dict, on_site: dict[str, str]) -> dict | None:
    if d.get("status") != "withdrawn":
        return None
    replaced = d.get("replaced_by") if isinstance(d.get("replaced_by"), str) else None
    shown = replaced in on_site
    return {"replaced_by": replaced if shown else None,
            "replaced_by_title": on_site.get(replaced) if replaced else None,
            "replaced_by_url": f"{replaced}.html" if shown else None,
            "reason": str(d.get("reason") or "")}


def _label(table, lang: str, value) -> str:
    return table[lang].get(str(value), str(value or ""))


def identity(rec: Record, voc: Vocab) -> dict:
    d, lang = rec.data, voc.lang
    body_code = str(d.get("body") or "")
    return {"id": rec.id, "url": page_url(rec.id), "title": str(d.get("title") or rec.id),
            "summary_lang": d.get("summary_lang") if d.get("summary_lang") in ("nb", "en") else lang,
            "body": body_code, "body_name": voc.bodies.get(body_code, body_code),
            "doc_type": str(d.get("doc_type") or ""), "doc_type_label": _label(DOC_TYPES, lang, d.get("doc_type")),
            "formation": _label(FORMATIONS, lang, d.get("formation")) if d.get("formation") else "",
            "references": references(d), "ecli": str(d.get("ecli") or ""),
            "respondents": [voc.countries.get(c, c) for c in strs(d.get("respondent"))],
            "origins": [{"code": c, "name": voc.countries.get(c, c), "anchor": anchor(c.lower())}
                        for c in strs(d.get("origin"))]}


def citation_and_finality(rec: Record, voc: Vocab, today: dt.date) -> dict:
    """The citation in the site's language, ready to copy (caselaw/cite.py), and a notice when an
    ECtHR judgment is not final yet (caselaw/watch.py): its page says so until it is."""
    from hrcoord.caselaw import cite, watch
    from hrcoord.core.errors import HrcoordError
    from hrcoord.render.dates import long_date

    d = rec.data
    try:
        text = cite.citation(d, voc.lang if voc.lang in cite.STYLES else "en",
                             body_names={voc.lang: voc.bodies.get(str(d.get("body")), "")})
    except HrcoordError:
        text = ""
    fin = watch.finality(d, today)
    note = ""
    if fin is not None and not fin.final:
        words = labels.words(voc.lang, "portal")
        note = (words["not_final_until"].format(date=long_date(fin.date, voc.lang)) if fin.date
                else words["not_final"].format(state=fin.label(voc.lang)))
    return {"citation": text, "not_final": note}


def dates(d: dict, lang: str) -> dict:
    from hrcoord.render.dates import long_date

    date = parse_date(d.get("date"))
    review = d.get("review")
    reviewed = parse_date(review.get("date")) if isinstance(review, dict) else None
    return {"date": date.isoformat() if date else "", "date_text": long_date(date, lang) if date else "",
            "year": str(date.year) if date else "",
            "published": published_day(d),
            "published_text": long_date(d.get("published"), lang) if parse_date(d.get("published")) else "",
            "review_date": reviewed.isoformat() if reviewed else None}


def assessment(d: dict, voc: Vocab) -> dict:
    lang = voc.lang
    importance = d.get("importance") if isinstance(d.get("importance"), int) else None
    outcome = str(d.get("outcome") or "")
    return {"outcome": outcome, "outcome_label": OUTCOMES[lang].get(outcome, outcome),
            "importance": importance,
            "importance_label": IMPORTANCE[lang].get(importance, "") if importance else "",
            "keywords": [{"slug": k, "name": voc.keywords.get(k, k)} for k in strs(d.get("keywords"))],
            "relevance": [{"slug": k, "name": voc.relevance.get(k, k), "anchor": anchor(k)}
                          for k in strs(d.get("relevance"))],
            "status": d.get("status")}


def links(rec: Record, voc: Vocab, on_site: dict[str, str]) -> dict:
    d = rec.data
    source_url = str(d.get("source_url") or "")
    return {"articles": article_views(d, voc), "related": related_views(rec, voc.lang, on_site),
            "foreign_practice": foreign_views(d, voc), "withdrawn": withdrawn_view(d, on_site),
            "source_url": safe_url(source_url)}


def make_view(rec: Record, voc: Vocab, on_site: dict[str, str], today: dt.date | None = None) -> dict:
    """Everything a page, an index, the feed and the JSON export need about one summary, as
    plain data. `on_site` maps the ids of the summaries that appear to their titles; `today`, the
    day of the publish (whether an ECtHR judgment is final yet)."""
    from hrcoord.caselaw.portal.exports import export_entry
    from hrcoord.caselaw.portal.search import search_words

    view = identity(rec, voc)
    view.update(dates(rec.data, voc.lang))
    view.update(assessment(rec.data, voc))
    view.update(links(rec, voc, on_site))
    view.update(citation_and_finality(rec, voc, today or dt.date.today()))
    view["sections"] = section_views(rec, voc.lang)
    view.update(lead(view["sections"]))
    view["search"] = search_words(view)
    view["export"] = export_entry(rec, view)
    return view
