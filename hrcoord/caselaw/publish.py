"""`hrcoord publish`: the portal export (SPEC §3, §5; issue 3 item 5).

What appears: summaries with status `published` and access `public`, and withdrawn ones that had
been published (with the notice *Opphevet — erstattes av …*). Drafts, summaries in review or
approved but not yet published, `access: internal` and meetings never appear.

What is written, into a temporary folder that replaces `--out` only when everything succeeded:

    index.html                 all summaries, newest first, with an offline search box
    articles.html              by convention and article
    relevance.html             by relevance area
    summaries/<id>.html        one page per summary
    feed.xml                   Atom 1.0 feed of the latest changes
    summaries.json             every published record, for the portal's import
    search-index.json          the search index (also embedded in index.html when small)
    .hrcoord-site              marks the folder as ours, so a later publish may replace it

Before anything is rendered, every summary that would appear goes through the personal-data
guard; any hit refuses the whole publish and nothing is written.

Pages are rendered by `render_summary(root, lang, view, site)` from plain, picklable data, one call
per summary, so a process pool or an incremental rebuild can be put around it.
"""
from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import html
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

from hrcoord.core import fsutil, labels  # (imported before any thread starts: it reads the umask)
from hrcoord.core.errors import DataError, HrcoordError, UsageError
from hrcoord.core.models.base import Record, as_list, parse_date
from hrcoord.core.models.judgment import HEADING_ALIAS, SECTIONS, SECTIONS_EN, references, related_links, sections
from hrcoord.render.safe import looks_like_link, safe_url

MARKER = ".hrcoord-site"
EMBED_LIMIT = 1024 * 1024  # embed the search index in index.html up to this many bytes
FEED_ENTRIES = 100
PAGES_DIR = "summaries"
PARTS_DIR = ".parts"  # in the staging folder: the workers' pieces of the JSON exports (removed)

LABELS = labels.table("portal")
DOC_TYPES = labels.table("doc_types")
OUTCOMES = labels.table("outcomes")
FORMATIONS = labels.table("formations")
RELATIONS = labels.table("relations")
IMPORTANCE = labels.table("importance")
SAFE_URL = re.compile(r"^https?://", re.I)


# --- which summaries appear ------------------------------------------------------------------

def appears(rec: Record) -> bool:
    """Published and public, or withdrawn after having been published (shown with the notice)."""
    if rec.get("access", "public") == "internal":
        return False
    status = rec.get("status")
    return status == "published" or (status == "withdrawn" and rec.get("published") is not None)


def site_records(repo) -> list[Record]:
    return [r for r in repo.records("judgment").values() if appears(r)]


# --- plain view data ---------------------------------------------------------------------------

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
    conv = repo.vocab_record("conventions")
    if conv is not None:
        for c in _dicts(conv.get("conventions")):
            code = str(c.get("code"))
            v.conventions[code] = {"name": c.get(f"name_{lang}") or c.get("name_en") or code,
                                   "short": c.get(f"short_{lang}") or c.get("short_en") or code}
            v.conv_order.append(code)
        for b in _dicts(conv.get("bodies")):
            v.bodies[str(b.get("code"))] = b.get(f"name_{lang}") or b.get("name_en") or b.get("code")
    tax = repo.vocab_record("taxonomy")
    if tax is not None:
        for e in _dicts(tax.get("relevance")):
            v.relevance[str(e.get("slug"))] = e.get(f"name_{lang}") or e.get("slug")
            v.relevance_order.append(str(e.get("slug")))
        for e in _dicts(tax.get("keywords")):
            v.keywords[str(e.get("slug"))] = e.get(f"name_{lang}") or e.get("slug")
    try:
        from babel import Locale

        v.countries = dict(Locale.parse(lang).territories)
    except Exception:  # noqa: BLE001 — names are a nicety; codes still show
        v.countries = {}
    return v


def _dicts(value) -> list[dict]:
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def _strs(value) -> list[str]:
    return [str(x) for x in as_list(value) if x is not None and not isinstance(x, (dict, list))]


ART_RE = re.compile(r"^(?:P(\d+)-)?(\d+)(?:-(\d+))?$")


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


SEARCH_TRIM = ".,;:!?()[]{}«»\"'“”‘’*_`#>"


def search_text(*parts: str) -> str:
    """Lower-case words, each once, for the offline search (the script matches substrings)."""
    # each distinct word is stripped once: a summary repeats most of its words
    words = dict.fromkeys(w.strip(SEARCH_TRIM) for w in dict.fromkeys(" ".join(parts).lower().split()))
    words.pop("", None)
    return " ".join(words)


H2_HTML = re.compile(r"<h2>(.*?)</h2>\n")


def section_html(body: str | None, secs: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The HTML of the text before the first section and of each section. The body is rendered
    once and cut at its <h2> headings (one Markdown pass instead of one per section); when the
    cut does not line up with the sections (a heading with markup, a `##` line in a code block),
    each section is rendered on its own."""
    from hrcoord.render.markdown import to_html

    if not body:
        return "", {}
    alias = HEADING_ALIAS
    parts = H2_HTML.split(to_html(body))
    names = [alias.get(html.unescape(h).strip().lower(), html.unescape(h).strip()) for h in parts[1::2]]
    # the cut lines up when the page's <h2>s are exactly the `##` headings, each once, in order
    if names == list(secs):
        out: dict[str, str] = {}
        for name, fragment in zip(names, parts[2::2], strict=True):
            out[name] = fragment
        return parts[0], out
    pre = _preamble(body)
    return (to_html(pre) if pre else ""), {name: to_html(text) for name, text in secs.items()}


def make_view(rec: Record, voc: Vocab, on_site: dict[str, str]) -> dict:
    """Everything a page, an index, the feed and the JSON export need about one summary, as
    plain data. `on_site` maps the ids of the summaries that appear to their titles."""
    from hrcoord.render.dates import long_date

    lang = voc.lang
    d = rec.data
    secs = sections(rec.body)
    preamble = _preamble(rec.body)
    pre_html, htmls = section_html(rec.body, secs)
    canonical = list(SECTIONS)
    ordered = [n for n in canonical if secs.get(n)] + [n for n in secs if n not in SECTIONS and secs.get(n)]
    section_views = []
    if preamble:
        section_views.append({"name": "", "heading": "", "markdown": preamble, "html": pre_html})
    for name in ordered:
        section_views.append({
            "name": name,
            "heading": (SECTIONS_EN.get(name, name) if lang == "en" else name),
            "markdown": secs[name],
            "html": htmls[name].strip() + "\n",
        })
    articles = []
    for a in _strs(d.get("articles")):
        conv, _, art = a.partition(" ")
        short = (voc.conventions.get(conv) or {}).get("short", conv)
        articles.append({"code": a, "convention": conv, "article": art, "label": article_label(short, art, lang),
                         "anchor": anchor(f"{conv}-{art}")})
    related = []
    for _, rid, relation in related_links(d):
        if rid in on_site and rid != rec.id:
            related.append({"id": rid, "title": on_site[rid], "url": f"{rid}.html", "relation_code": relation or "",
                            "relation": RELATIONS[lang].get(relation or "", "")})
    foreign = []
    for fp in _dicts(d.get("foreign_practice")):
        src = str(fp.get("source") or "")
        foreign.append({"country": voc.countries.get(str(fp.get("country")), str(fp.get("country") or "")),
                        "note": str(fp.get("note") or ""), "source": safe_url(src),
                        "source_text": "" if looks_like_link(src) else src})
    replaced = d.get("replaced_by") if isinstance(d.get("replaced_by"), str) else None
    withdrawn = None
    if d.get("status") == "withdrawn":
        withdrawn = {
            "replaced_by": replaced if replaced in on_site else None,
            "replaced_by_title": on_site.get(replaced) if replaced else None,
            "replaced_by_url": f"{replaced}.html" if replaced in on_site else None,
            "reason": str(d.get("reason") or ""),
        }
    source_url = str(d.get("source_url") or "")
    body_code = str(d.get("body") or "")
    date = parse_date(d.get("date"))
    importance = d.get("importance") if isinstance(d.get("importance"), int) else None
    outcome = str(d.get("outcome") or "")
    view = {
        "id": rec.id,
        "url": page_url(rec.id),
        "title": str(d.get("title") or rec.id),
        "summary_lang": d.get("summary_lang") if d.get("summary_lang") in ("nb", "en") else lang,
        "body": body_code,
        "body_name": voc.bodies.get(body_code, body_code),
        "doc_type": str(d.get("doc_type") or ""),
        "doc_type_label": DOC_TYPES[lang].get(str(d.get("doc_type")), str(d.get("doc_type") or "")),
        "formation": FORMATIONS[lang].get(str(d.get("formation")), str(d.get("formation") or "")),
        "references": references(d),
        "ecli": str(d.get("ecli") or ""),
        "date": date.isoformat() if date else "",
        "date_text": long_date(date, lang) if date else "",
        "respondents": [voc.countries.get(c, c) for c in _strs(d.get("respondent"))],
        "articles": articles,
        "outcome": outcome,
        "outcome_label": OUTCOMES[lang].get(outcome, outcome),
        "importance": importance,
        "importance_label": IMPORTANCE[lang].get(importance, "") if importance else "",
        "keywords": [{"slug": k, "name": voc.keywords.get(k, k)} for k in _strs(d.get("keywords"))],
        "relevance": [{"slug": k, "name": voc.relevance.get(k, k), "anchor": anchor(k)}
                      for k in _strs(d.get("relevance"))],
        "status": d.get("status"),
        "published": published_day(d),
        "published_text": long_date(d.get("published"), lang) if parse_date(d.get("published")) else "",
        "review_date": ((parse_date((d.get("review") or {}).get("date")) or None) if isinstance(d.get("review"), dict)
                        else None),
        "source_url": safe_url(source_url),
        "related": related,
        "foreign_practice": foreign,
        "withdrawn": withdrawn,
        "sections": section_views,
    }
    if view["review_date"] is not None:
        view["review_date"] = view["review_date"].isoformat()
    lead = next((s for s in section_views if s["name"] == "Sammendrag"), section_views[0] if section_views else None)
    view["lead_html"] = lead["html"] if lead else ""
    view["lead_text"] = " ".join(strip_tags(lead["html"]).split()) if lead else ""
    view["search"] = search_text(view["title"], " ".join(view["references"]), view["ecli"], view["body"],
                                 view["body_name"], " ".join(a["code"] + " " + a["label"] for a in articles),
                                 " ".join(k["name"] for k in view["keywords"] + view["relevance"]),
                                 *(strip_tags(s["html"]) for s in section_views))
    view["export"] = _export(rec, view)
    return view


def published_day(data: dict) -> str:
    """The day a summary came on the site (its date when `published` is not set), ISO."""
    return (parse_date(data.get("published")) or parse_date(data.get("date")) or dt.date.min).isoformat()


def _preamble(body: str | None) -> str:
    if not body:
        return ""
    m = re.search(r"^##[ \t]", body, re.M)
    return (body[: m.start()] if m else body).strip()


EXPORT_FIELDS = ("title", "body", "doc_type", "formation", "reference", "ecli", "date", "respondent", "articles",
                 "outcome", "importance", "keywords", "relevance", "departments", "status", "published",
                 "replaced_by", "reason", "source_url", "related", "foreign_practice", "summary_lang", "case_ref")


def _export(rec: Record, view: dict) -> dict:
    """One record in summaries.json: its public fields (no review stamp, no access flag) and text."""
    out = {"id": rec.id, "url": view["url"]}
    for key in EXPORT_FIELDS:
        if rec.data.get(key) is not None:
            out[key] = rec.data[key]  # plain YAML 1.2 data; dates in records built in memory: _json
    for key in ("reference", "respondent"):
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
    if "source_url" in out and not view["source_url"]:
        del out["source_url"]
    if isinstance(out.get("foreign_practice"), list):
        out["foreign_practice"] = [_safe_source(fp) for fp in out["foreign_practice"]]


def _safe_source(fp):
    if not isinstance(fp, dict) or "source" not in fp:
        return fp
    src = str(fp.get("source") or "")
    if safe_url(src) or not looks_like_link(src):
        return fp
    return {k: v for k, v in fp.items() if k != "source"}


# --- rendering ---------------------------------------------------------------------------------

def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def site_context(root: str | None, lang: str, organisation: str) -> dict:
    """What every page shares: labels, the inline style and script, and a Content Security Policy
    that allows exactly those two (plus fetching our own search index)."""
    from markupsafe import Markup

    from hrcoord.render.env import environment

    env = environment(root, lang)
    css = _static(env, "portal/style.css")
    js = _static(env, "portal/search.js")
    csp = ("default-src 'none'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
           f"style-src {_csp_hash(css)}; script-src {_csp_hash(js)}")
    return {"lang": lang, "L": LABELS[lang], "css": Markup(css), "js": Markup(js), "csp": csp,
            "title": LABELS[lang]["site_title"], "organisation": organisation}


def _static(env, name: str) -> str:
    import jinja2

    try:
        return env.loader.get_source(env, name)[0]
    except jinja2.TemplateNotFound:
        raise HrcoordError(f"template {name} not found") from None


def _render(repo_root: str | None, lang: str, name: str, **context) -> str:
    from hrcoord.render.env import render

    return render(SimpleNamespace(root=Path(repo_root) if repo_root else None, language=lang), name, lang, **context)


def render_summary(root: str | None, lang: str, view: dict, site: dict) -> str:
    """One summary's page: a pure function of its arguments (ready for a process pool)."""
    return _render(root, lang, "portal/summary.html.j2", s=view, site=site, root="../")


def embed_json(data) -> str:
    """JSON that is safe inside a <script> element (`data` may be JSON text already)."""
    from markupsafe import Markup

    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                  .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def group_by_article(views: list[dict], voc: Vocab) -> list[dict]:
    groups: dict[str, dict[str, list]] = {}
    for v in views:
        for a in v["articles"]:
            groups.setdefault(a["convention"], {}).setdefault(a["article"], []).append(v)
    order = [c for c in voc.conv_order if c in groups] + sorted(c for c in groups if c not in voc.conv_order)
    out = []
    for conv in order:
        info = voc.conventions.get(conv) or {"name": conv, "short": conv}
        arts = []
        for art in sorted(groups[conv], key=article_sort_key):
            arts.append({"article": art, "anchor": anchor(f"{conv}-{art}"),
                         "label": article_label(info["short"], art, voc.lang), "items": groups[conv][art],
                         "items_html": items_html(groups[conv][art])})
        out.append({"code": conv, "name": info["name"], "short": info["short"],
                    "anchor": anchor(conv), "articles": arts})
    return out


def group_by_relevance(views: list[dict], voc: Vocab) -> list[dict]:
    groups: dict[str, list] = {}
    for v in views:
        for r in v["relevance"]:
            groups.setdefault(r["slug"], []).append(v)
    order = [s for s in voc.relevance_order if s in groups] + sorted(s for s in groups if s not in voc.relevance_order)
    return [{"slug": s, "name": voc.relevance.get(s, s), "anchor": anchor(s),
             "items": groups[s], "items_html": items_html(groups[s])} for s in order]


def items_html(views: list[dict]):
    """The list entries of these summaries, joined here: a site lists each summary under every
    article and area it touches (tens of thousands of entries), too many for a template loop."""
    from markupsafe import Markup

    return Markup("\n".join(v["item_html"] for v in views))


# --- the feed ----------------------------------------------------------------------------------

@dataclass
class FeedEntry:
    id: str  # summary id
    kind: str  # new | changed | withdrawn
    when: dt.datetime
    fields: list = field(default_factory=list)


def _at(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)
    return _day_at(value) if isinstance(value, str) else None


@lru_cache(maxsize=None)
def _day_at(value: str) -> dt.datetime | None:
    """Midnight UTC of an ISO day (a site has a few thousand distinct days, asked for many times)."""
    d = parse_date(value)
    return dt.datetime(d.year, d.month, d.day, tzinfo=dt.timezone.utc) if d else None


def feed_since(published: list[str]) -> dt.date | None:
    """A change older than the FEED_ENTRIES-th newest publication can never make the feed."""
    starts = sorted((d for d in map(_at, published) if d is not None), reverse=True)
    return starts[min(len(starts), FEED_ENTRIES) - 1].date() if starts else None


def feed_entries(repo, views: list[dict], history=False) -> list[FeedEntry]:
    """The latest changes to what is on the site: from the git history (hrcoord.review.changes) when
    the repository is a git repository, else from the dates in the records. A summary's history
    before it was published is internal and left out; its publication is its *Ny* entry."""
    by_id = {v["id"]: v for v in views}
    entries = [FeedEntry(v["id"], "new", _at(v["published"])) for v in views if _at(v["published"])]
    if history is False:  # not looked up beforehand (build does, while the pages render)
        since = feed_since([v["published"] for v in views])
        history = _git_changes(repo, since) if since else None
    if history is None:
        for v in views:
            first, reviewed = _at(v["published"]), _at(v["review_date"])
            if reviewed and first and reviewed > first:
                entries.append(FeedEntry(v["id"], "changed", reviewed))
    else:
        for c in history:
            v = by_id.get(getattr(c, "id", None))
            when = _at(getattr(c, "when", None)) or _at(getattr(c, "date", None))
            kind = getattr(c, "kind", None)
            if v is None or when is None or kind not in ("changed", "withdrawn"):
                continue
            first = _at(v["published"])
            if first and when.date() <= first.date() and kind == "changed":
                continue  # edits before or on the day of publication are part of "new"
            fields = list(getattr(c, "fields", []) or [])
            if getattr(c, "text_changed", False) and "text" not in fields:
                fields.append("text")
            entries.append(FeedEntry(v["id"], kind, when, fields))
    entries.sort(key=lambda e: (e.when, e.kind, e.id), reverse=True)
    return entries[:FEED_ENTRIES]


def _git_changes(repo, since: dt.date):
    """Committed changes to summaries since `since` (the first publication on the site), from
    hrcoord.review.changes; None when that is not available or this is not a git repository."""
    if not (repo.root / ".git").exists():
        return None
    try:
        from hrcoord.review.changes import changes
    except ImportError:
        return None
    import msgspec

    from hrcoord.core import cache
    from hrcoord.review import history
    from hrcoord.review.changes import Change

    try:
        head = history.git(repo.root, "rev-parse", "--verify", "-q", "HEAD", check=False).strip()
        key = (head, since.isoformat())
        memo = cache.read(repo.root / ".hrcoord" / "cache" / "feed-history.msgpack")
        if head and isinstance(memo, dict) and memo.get("key") == list(key):

            with contextlib.suppress(msgspec.ValidationError):  # committed history is what it was at this HEAD
                return msgspec.convert(memo.get("changes"), list[Change])
        # the feed's *Ny* entries come from the records' dates: additions need not be read
        found = changes(repo, since=since, types=["judgment"], uncommitted=False, new=False)
        if head:
            # to_builtins: datetimes as ISO text, keeping their UTC offset (the feed shows it)
            cache.write(repo.root, "feed-history.msgpack", {"key": list(key), "changes": msgspec.to_builtins(found)})
        return found
    except (HrcoordError, OSError, ValueError, TypeError):
        return None


def atom_feed(views: list[dict], entries: list[FeedEntry], *, lang: str, base_url: str, organisation: str,
              today: dt.date) -> bytes:
    """An Atom 1.0 document (RFC 4287), built with ElementTree."""
    import xml.etree.ElementTree as ET

    from urllib.parse import urljoin, urlparse

    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)
    L = LABELS[lang]
    by_id = {v["id"]: v for v in views}
    host = urlparse(base_url).hostname or "hrcoord.invalid"

    def q(tag):
        return f"{{{ns}}}{tag}"

    def sub(parent, tag, text=None, **attrs):
        el = ET.SubElement(parent, q(tag), {k.rstrip("_"): v for k, v in attrs.items()})
        if text is not None:
            el.text = text
        return el

    def stamp(when: dt.datetime) -> str:
        return when.isoformat().replace("+00:00", "Z")

    feed = ET.Element(q("feed"), {"{http://www.w3.org/XML/1998/namespace}lang": lang})
    sub(feed, "id", f"tag:{host},2014:hrcoord/summaries/{lang}")
    sub(feed, "title", f"{L['site_title']} — {L['feed'].split(' (')[0]}")
    updated = max((e.when for e in entries), default=None) or _at(today)
    sub(feed, "updated", stamp(updated))
    author = sub(feed, "author")
    sub(author, "name", organisation or "hrcoord")
    sub(feed, "link", rel="self", type="application/atom+xml", href=urljoin(base_url, "feed.xml"))
    sub(feed, "link", rel="alternate", type="text/html", href=urljoin(base_url, "index.html"))
    sub(feed, "generator", "hrcoord")
    for e in entries:
        v = by_id[e.id]
        entry = sub(feed, "entry")
        label = L[e.kind] if e.kind in L else e.kind
        if e.kind == "withdrawn":
            label = L["withdrawn"]
        sub(entry, "id", f"tag:{host},2014:hrcoord/summaries/{e.id}/{e.kind}/{stamp(e.when)}")
        sub(entry, "title", f"{label}: {v['title']}")
        sub(entry, "updated", stamp(e.when))
        if e.kind == "new":
            sub(entry, "published", stamp(e.when))
        sub(entry, "link", rel="alternate", type="text/html", href=urljoin(base_url, v["url"]))
        for a in v["articles"]:
            sub(entry, "category", term=a["code"], label=a["label"])
        text = v["lead_text"]
        if e.kind == "changed" and e.fields:
            text = f"{L['changed_fields']}: {', '.join(e.fields)}. " + text
        if e.kind == "withdrawn" and v["withdrawn"]:
            w = v["withdrawn"]
            note = L["withdrawn"]
            if w["replaced_by_title"]:
                note += f" — {L['replaced_by']} {w['replaced_by_title']}"
            text = note + (f". {w['reason']}" if w["reason"] else "") + ". " + text
        sub(entry, "summary", text, type="text")
        sub(entry, "content", v["lead_html"], type="html")
    text = ET.tostring(feed, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n").encode("utf-8")


# --- the whole site ----------------------------------------------------------------------------

@dataclass
class Published:
    out: Path
    files: list[str]
    summaries: int
    withdrawn: int


# --- loading and rendering on all cores, changed pages only --------------------------------------

PARALLEL_FROM = 200  # fewer files load and render faster in this process than workers start
_W: dict = {"records": {}}  # per process: the repository and the records read in this process


def _load_files(paths: list[str], shared: bool = False) -> list[tuple[str, dict]]:
    """Read summary files: (rel, meta) of each that loads. The records stay in this process,
    where `_render_files` finds them. `shared`: the paths are shared out through pool queue 0
    (each worker reads those it takes), else this process reads them all."""
    from hrcoord.core import pool
    from hrcoord.core.cache import signature_of
    from hrcoord.core.loader import parse_yaml, read_text, split_front_matter

    repo, recs = _W["repo"], _W["records"]
    out = []
    for path in (Path(paths[i]) for _, i in pool.drain(0, 32)) if shared else map(Path, paths):
        rel = repo.rel(path)
        stat: list = []
        text, _ = read_text(path, rel, stat)
        if not stat:
            continue  # vanished
        sig = signature_of(stat[0])
        src = split_front_matter(text, path, rel)[0] if text is not None else None
        if src is None:
            continue  # a broken file is validate's business; it cannot appear
        if "published" not in src.yaml_text and "\\" not in src.yaml_text:
            # neither `status: published` nor a `published:` day, and no escape that could spell
            # them: it cannot appear, so its YAML need not be parsed (drafts, summaries in review)
            out.append((rel, {"sig": sig, "id": path.stem, "appears": False, "status": None, "title": path.stem,
                              "published": "", "links": []}))
            continue
        loaded = parse_yaml(src)
        if loaded.data is None:
            continue
        rec = Record("judgment", path.stem, src, loaded.data)
        recs[rel] = rec
        out.append((rel, _meta(rec, sig)))
    return out


def _render_files(me: int, shares: list[list[str]], ctx: dict, shared: bool = False) -> tuple[list[tuple], list]:
    """The pages of summaries, after the personal-data guard: (rel, url, slim view, search index
    entry, export entry, page) each — page None when written into `ctx['into']`, entries as text
    or as places in this worker's part files — and the guard's hits. Once anything is found,
    nothing more is rendered (the publish is refused). shares[i] are the summaries worker i read;
    `shared`: this is worker `me`, which renders its own share (pool queue `me`) and then helps
    with the others' (whose files it reads again), else all of them."""
    from markupsafe import Markup

    from hrcoord.core import pool
    from hrcoord.core.checks.privacy import published_hits, record_hits

    repo, recs = _W["repo"], _W["records"]
    voc, on_site, root, lang, site, into = (ctx[k] for k in ("voc", "on_site", "root", "lang", "site", "into"))
    if shared:
        rels = (shares[q][i] for q, i in pool.drain(me, 1, range(len(shares))))
    else:
        rels = (rel for share in shares for rel in share)
    done, hits = [], []
    # in a full build the JSON entries go to this worker's part files, which the exports are
    # assembled from (file to file), rather than through the pipe to the parent
    sink = _PartSink(ctx["parts"], me) if into is not None else None
    for rel in rels:
        rec = recs.get(rel)
        if rec is None:  # unchanged but a linked title changed, or another worker's (helping)
            rec, _ = repo.load_record("judgment", repo.root / rel)
            if rec is None:
                continue  # vanished while we looked
        found = record_hits(rec, severity="error")
        if found or hits:
            hits.extend(found)
            continue
        view = make_view(rec, voc, on_site)
        # the summary's entry in the index lists, rendered once here rather than in every list
        view["item_html"] = Markup(_render(root, lang, "portal/item.html.j2", v=view, L=site["L"], root=""))
        page = render_summary(root, lang, view, site)
        # the page and its export entry as they will be read (the sections were read in the body)
        hits.extend(published_hits(rec, page, view["export"], [s["html"] for s in view["sections"]]))
        if hits:
            continue
        if into is not None:
            _write_new(os.path.join(into, view["url"]), page.encode("utf-8"))
            page = None
        index = _json({"id": view["id"], "url": view["url"], "title": view["title"], "date": view["date"],
                       "text": view["search"]})
        export = _json(view["export"])
        if sink is not None:
            index, export = sink.put("index", index), sink.put("export", export)
        done.append((rel, view["url"], _slim(view), index, export, page))
    if sink is not None:
        sink.close()
    return done, hits


class _PartSink:
    """A worker's part files of the JSON exports: entries appended, their places returned."""

    def __init__(self, folder: str, me: int):
        self.me = me
        self.files = {name: open(os.path.join(folder, f"{name}-{me}"), "wb") for name in ("index", "export")}
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


class _Background:
    """fn(*args) in a thread; `result()` waits for it (and raises what it raised)."""

    def __init__(self, fn, *args):
        import threading

        self._value, self._error = None, None
        self._thread = threading.Thread(target=self._run, args=(fn, args), daemon=True)
        self._thread.start()

    def _run(self, fn, args):
        try:
            self._value = fn(*args) if all(a is not None for a in args) else None
        except BaseException as exc:  # noqa: BLE001 — raised again in result()
            self._error = exc

    def result(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def _write_new(path: str, data) -> None:
    """A file in the staging folder (bytes, or a Spliced JSON export), in three system calls for
    a page: thousands are written."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        if hasattr(data, "write_into"):
            data.write_into(fd)
        else:
            fsutil.write_all(fd, data)
    finally:
        os.close(fd)


def _workers(n: int):
    """Workers for a job of `n` files: one per core, or just this process when few."""
    from hrcoord.core.pool import Workers, cores

    return Workers(min(cores(), 8) if n >= PARALLEL_FROM else 1)


SLIM = ("id", "url", "title", "date", "published", "review_date", "withdrawn", "lead_html", "lead_text",
        "item_html")


def _slim(view: dict) -> dict:
    """What the index pages and the feed need of a view; the cache keeps this much (kept small:
    it is read and written on every publish), plus the summary's entries in the search index and
    the JSON export as ready JSON text."""
    out = {k: view[k] for k in SLIM}
    out["item_html"] = str(out["item_html"])  # plain text in the cache: a Markup unpickles slowly
    out["articles"] = [{k: a[k] for k in ("code", "convention", "article", "label")} for a in view["articles"]]
    out["relevance"] = [{"slug": r["slug"]} for r in view["relevance"]]
    return out


def _iso(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON data")


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_iso)


def _json(data) -> str:
    return _ENCODER.encode(data)


def _joined(entries: list[dict], part: str, head: bytes, tail: bytes, old: Path | None,
            parts: list[Path] = ()):
    """A JSON list file of one entry per summary, as a `Spliced`. A freshly rendered entry brings
    its text (`<part>_json`), or where a worker wrote it (`<part>_part`: worker, offset, length,
    in `parts`); an unchanged one is copied from `old`, the same file of the last publish, where
    `<part>_at` says where it stood. Ranges that follow each other in one file are copied as one.
    Records where each entry stands now (the cache keeps only that)."""
    from hrcoord.core.splice import Spliced

    out = Spliced(old, *parts)
    out.add(head)
    at = len(head)
    run = None  # [source, start, end] of a range still to copy
    for i, e in enumerate(entries):
        sep = b"," if i else b""
        text = e.pop(f"{part}_json", None)
        if text is not None:
            chunk = text.encode("utf-8")
            if run:
                out.copy(run[1], run[2], run[0])
                run = None
            out.add(sep)
            out.add(chunk)
            n = len(chunk)
        else:
            where = e.pop(f"{part}_part", None)
            src, off, n = (where[0] + 1, where[1], where[2]) if where else (0, *e[f"{part}_at"])
            if run and run[0] == src and sep and off == run[2] + 1:
                run[2] = off + n  # neighbours in one file: the comma between them comes along
            else:
                if run:
                    out.copy(run[1], run[2], run[0])
                out.add(sep)
                run = [src, off, off + n]
        e[f"{part}_at"] = (at + len(sep), n)
        at += len(sep) + n
    if run:
        out.copy(run[1], run[2], run[0])
    out.add(tail)
    return out


def _meta(rec: Record, sig) -> dict:
    """What the site needs to know of a summary file without reading it again: whether it
    appears, its title, and the summaries it links to."""
    rb = rec.get("replaced_by")
    return {"sig": sig, "id": rec.id, "appears": appears(rec), "status": rec.get("status"),
            "title": str(rec.get("title") or rec.id), "published": published_day(rec.data),
            "links": [rid for _, rid, _ in related_links(rec.data)] + ([rb] if isinstance(rb, str) else [])}


def scan_summaries(repo, previous_meta: dict) -> tuple[list[str], dict[str, dict], list[str]]:
    """Every summary file (rel, in folder order); the metas of those whose stat signature is the
    same as at the last publish (they are not read again); and the paths of the others."""
    from hrcoord.core.cache import signature

    rels, known, todo = [], {}, []
    for path, _ in repo.scan()["judgment"]:
        rel = repo.rel(path)
        rels.append(rel)
        m = previous_meta.get(rel)
        if m is not None:
            try:
                if signature(path) == m["sig"]:
                    known[rel] = m
                    continue
            except OSError:
                continue
        todo.append(str(path))
    return rels, known, todo


def _deps(meta: dict, on_site: dict) -> tuple:
    """What a page shows of other summaries: the titles of those it links to."""
    return tuple((i, on_site.get(i)) for i in meta["links"])


def site_fingerprint(repo, lang: str, base: str, today: dt.date, embed_limit: int) -> str:
    """Everything besides the records that decides the pages: tool, language, settings,
    vocabularies and templates (packaged and the repository's own)."""
    from hrcoord.core.cache import code_version, signature
    from hrcoord.render.env import PACKAGED

    h = hashlib.sha256(f"{code_version()}|{lang}|{base}|{today}|{embed_limit}".encode())
    paths = [repo.root / "hrcoord.yaml"] + [Path(p) for t in ("conventions", "taxonomy")
                                            for p, _ in repo.scan()[t]]
    for folder in (PACKAGED / "portal", repo.root / "templates"):
        if folder.is_dir():
            paths += sorted(folder.rglob("*"))
    for path in paths:
        try:
            h.update(f"{path}|{signature(path)}".encode())
        except OSError:
            h.update(f"{path}|-".encode())
    return h.hexdigest()


@dataclass
class Build:
    files: dict  # relative path -> text or bytes, for what must be (re)written
    pages: set  # every summary page of the site
    state: dict  # what the next publish starts from
    rendered: int
    shown: int = 0  # summaries on the site
    counts: dict = field(default_factory=dict)  # of them, by status


def _settings(repo, lang: str | None, today: dt.date | None, base_url: str | None) -> tuple:
    lang = lang or repo.language
    if lang not in LABELS:
        raise UsageError(f"--lang must be nb or en, not {lang!r}")
    base = base_url if base_url is not None else str(repo.settings.get("portal_url") or "")
    if base and not base.endswith("/"):
        base += "/"
    return lang, today or dt.date.today(), base


def build(repo, *, lang: str | None = None, today: dt.date | None = None, base_url: str | None = None,
          embed_limit: int = EMBED_LIMIT, recs: list[Record] | None = None, previous: dict | None = None,
          into: Path | None = None) -> Build:
    """The site. With `previous` (the state of the last publish into the same folder), only pages
    whose summary or linked titles changed are rendered; the indexes are always rebuilt. With
    `into`, summary pages are written into that folder as they are rendered (not returned).
    Raises DataError (nothing built) when the personal-data guard finds anything."""
    from hrcoord.core.cache import signature

    lang, today, base = _settings(repo, lang, today, base_url)
    root = str(repo.root)
    organisation = str(repo.settings.get("organisation") or "")
    fp = site_fingerprint(repo, lang, base, today, embed_limit)
    same = bool(previous) and previous.get("fp") == fp
    old = previous["entries"] if same else {}
    # unchanged entries are copied from the last output's JSON files, so those must be at hand
    reusable = same and bool(previous.get("out"))
    _W.update(repo=repo, records={r.rel: r for r in recs or ()})
    if recs is None:
        rels, metas, paths = scan_summaries(repo, previous.get("meta", {}) if same else {})
    else:
        rels, paths = [r.rel for r in recs], []
        metas = {r.rel: _meta(r, signature(r.source.path)) for r in recs}
    if into is not None:
        (Path(into) / PAGES_DIR).mkdir(parents=True, exist_ok=True)
        (Path(into) / PARTS_DIR).mkdir(exist_ok=True)
    with _workers(len(paths)) as pool:
        n = pool.n
        owner: dict[str, int] = {}
        pool.fill(0, len(paths))
        for i, found in enumerate(pool.run(_load_files, [(paths, True)] * n)):
            for rel, m in found:
                metas[rel] = m
                owner[rel] = i
        metas = {rel: metas[rel] for rel in rels if rel in metas}  # folder order, whoever read them
        shown = {rel: m for rel, m in metas.items() if m["appears"]}
        on_site = {m["id"]: m["title"] for m in shown.values()}
        # the feed's git history is read while the pages render (after the fork: no thread in workers)
        history = _Background(_git_changes, repo, feed_since([m["published"] for m in shown.values()]))
        entries: dict[str, dict] = {}
        shares: list[list[str]] = [[] for _ in range(n)]  # what each worker renders (what it read)
        for rel, m in shown.items():
            e = old.get(rel)
            deps = _deps(m, on_site)
            if e is not None and e["sig"] == m["sig"] and e["deps"] == deps and reusable:
                entries[rel] = e
                continue
            entries[rel] = {"sig": m["sig"], "deps": deps}
            shares[owner.get(rel, len(entries) % n)].append(rel)
        ctx = {"voc": vocab(repo, lang), "on_site": on_site, "root": root, "lang": lang,
               "site": site_context(root, lang, organisation), "into": str(into) if into is not None else None,
               "parts": str(Path(into) / PARTS_DIR) if into is not None else None}
        for q, share in enumerate(shares):
            pool.fill(q, len(share))
        try:
            results = pool.run(_render_files, [(i, shares, ctx, True) for i in range(n)])
        finally:
            _W["records"] = {}  # this process's share of the records is not needed any more
    problems = [p for _, hits in results for p in hits]
    if problems:
        k = len({p.path for p in problems})
        raise DataError(f"publish refused: personal data in {k} summar{'y' if k == 1 else 'ies'} "
                        f"({len(problems)} hit{'s' * (len(problems) != 1)}); nothing written", problems)
    files: dict[str, str | bytes] = {}
    rendered = 0
    for done, _ in results:
        for rel, url, slim, index, export, page in done:
            e = entries[rel]
            e["view"] = slim
            e["index_part" if isinstance(index, tuple) else "index_json"] = index
            e["export_part" if isinstance(export, tuple) else "export_json"] = export
            if page is not None:
                files[url] = page
            rendered += 1
    entries = {rel: e for rel, e in entries.items() if "view" in e}  # drop any that vanished
    ordered = sorted(entries.values(), key=lambda e: (e["view"]["date"], e["view"]["title"], e["view"]["id"]),
                     reverse=True)
    views = [e["view"] for e in ordered]
    prior = Path(previous["out"]) if reusable else None  # the last output, to copy unchanged entries from
    def part_files(name: str) -> list[Path]:  # the workers' pieces of one JSON export (full builds)
        return [Path(ctx["parts"]) / f"{name}-{i}" for i in range(n)] if into is not None else []

    index_json = _joined(ordered, "index", b"[", b"]\n", prior / "search-index.json" if prior else None,
                         part_files("index"))
    embedded = embed_json(index_json.read()[:-1].decode("utf-8")) if len(index_json) - 1 <= embed_limit else None
    site = ctx["site"]
    voc = ctx["voc"]
    files["search-index.json"] = index_json
    files["index.html"] = _render(root, lang, "portal/index.html.j2", views=views, items_html=items_html(views),
                                  site=site, root="",
                                  search_data=embedded, index_url="search-index.json", today=today)
    files["articles.html"] = _render(root, lang, "portal/articles.html.j2", groups=group_by_article(views, voc),
                                     site=site, root="", today=today)
    files["relevance.html"] = _render(root, lang, "portal/relevance.html.j2",
                                      groups=group_by_relevance(views, voc), site=site, root="", today=today)
    files["feed.xml"] = atom_feed(views, feed_entries(repo, views, history.result()), lang=lang, base_url=base,
                                  organisation=organisation, today=today)
    head = f'{{"generated":{_json(today.isoformat())},"lang":{_json(lang)},"summaries":['.encode("utf-8")
    files["summaries.json"] = _joined(ordered, "export", head, b"]}\n", prior / "summaries.json" if prior else None,
                                      part_files("export"))
    files[MARKER] = "Written by `hrcoord publish`; the next publish replaces this whole folder.\n"
    state = {"fp": fp, "entries": entries, "meta": metas}
    counts = {status: sum(1 for m in shown.values() if m["status"] == status) for status in ("published", "withdrawn")}
    return Build(files, {v["url"] for v in views}, state, rendered, len(entries), counts)


def check_target(out: Path) -> None:
    """`--out` must be new, empty, or a folder an earlier publish wrote (it is replaced whole)."""
    out = Path(out)
    if out.exists() or out.is_symlink():
        if not out.is_dir() or out.is_symlink():
            raise UsageError(f"{out} exists and is not a folder; not replacing it")
        if any(out.iterdir()) and not (out / MARKER).is_file():
            raise UsageError(f"{out} is not empty and was not written by hrcoord publish; "
                             "choose a new or empty folder")


def staging_folder(out: Path) -> Path:
    """A new temporary folder beside `out` (same file system, so it can be renamed into place)."""
    out = Path(out).absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))


def write_site(out: Path, files: dict[str, str | bytes], staging: Path | None = None) -> None:
    """Write into a temporary sibling folder (`staging`, which may hold pages already), then swap
    it in: readers never see half a site, and a failure leaves the old site as it was."""
    out = Path(out).absolute()
    check_target(out)
    tmp = staging or staging_folder(out)
    try:
        for rel, data in files.items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_new(str(path), data.encode("utf-8") if isinstance(data, str) else data)
        shutil.rmtree(tmp / PARTS_DIR, ignore_errors=True)
        os.chmod(tmp, 0o755)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
            os.rmdir(old)
            os.rename(out, old)
            try:
                os.rename(tmp, out)
            except BaseException:
                os.rename(old, out)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _state_name(lang: str) -> str:
    return f"publish-{lang}.msgpack"


def _previous(repo, out: Path, lang: str) -> dict | None:
    """The last publish's state, when `out` still holds exactly what it wrote."""
    from hrcoord.core import cache

    import marshal

    saved = cache.read(repo.root / ".hrcoord" / "cache" / _state_name(lang))
    if not isinstance(saved, dict) or saved.get("out") != str(out) or not (out / MARKER).is_file():
        return None
    try:
        if _written(out) != saved.get("written"):
            return None  # changed by hand or by another build: rebuild it whole
    except OSError:
        return None
    try:
        state = marshal.loads(saved["state"])  # inside the signed cache file: ours
    except (KeyError, TypeError, EOFError, ValueError):
        return None  # written by another version of hrcoord: rebuild it whole
    return {**state, "out": saved["out"]} if isinstance(state, dict) else None


SPLICED = ("summaries.json", "search-index.json")


def _written(out: Path) -> dict:
    """Stat signatures of the files an incremental publish relies on being as it left them."""
    from hrcoord.core.cache import signature

    return {name: signature(out / name) for name in ("index.html", *SPLICED)}


def update_site(out: Path, built: Build, previous: dict) -> None:
    """Rewrite what changed in place, each file atomically, and drop pages no longer published."""
    from hrcoord.core.fsutil import atomic_write

    for rel, data in built.files.items():
        if rel != MARKER:
            atomic_write(out / rel, data, durable=False)
    before = {e["view"]["url"] for e in previous.get("entries", {}).values() if "view" in e}
    for page in before - set(built.pages):
        with contextlib.suppress(FileNotFoundError):
            (out / page).unlink()


def publish(repo, out: Path, *, lang: str | None = None, today: dt.date | None = None,
            base_url: str | None = None, dry_run: bool = False, embed_limit: int = EMBED_LIMIT,
            incremental: bool = True) -> Published:
    """Write the portal export to `out`: the whole site on the first run; afterwards only the
    pages that changed and the indexes (the result is the same as a clean build)."""
    from hrcoord.core import cache

    out = Path(out).absolute()
    check_target(out)  # fail early, before rendering anything
    lang, today, base = _settings(repo, lang, today, base_url)
    previous = _previous(repo, out, lang) if incremental and not dry_run else None
    if previous is not None and previous.get("fp") != site_fingerprint(repo, lang, base, today, embed_limit):
        previous = None  # settings, vocabularies, templates or the tool changed: everything is rendered
    options = {"lang": lang, "today": today, "base_url": base, "embed_limit": embed_limit}
    if dry_run:
        built = build(repo, **options)
    else:
        import marshal

        if previous is not None:
            built = build(repo, previous=previous, **options)
        else:
            staging = staging_folder(out)
            try:
                built = build(repo, into=staging, **options)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
        if previous is not None:
            update_site(out, built, previous)
        else:
            write_site(out, built.files, staging)
        # marshal: plain data, three times faster than pickle both ways (this is most of what a
        # re-publish costs); the signed cache file around it says it is ours, `code_version` that
        # it is this Python's format
        state = marshal.dumps(built.state)
        cache.write(repo.root, _state_name(lang), {"state": state, "out": str(out), "written": _written(out)})
    return Published(out, sorted(set(built.files) | built.pages), built.counts["published"],
                     built.counts["withdrawn"])
