"""The index pages: all summaries newest first (with the search), by convention and article, and
by relevance area. Each summary's list entry is rendered once (`item_html`) and joined here: a
site lists each summary under every article and area it touches, too many for a template loop."""
from __future__ import annotations

import datetime as dt

from hrcoord.caselaw.portal.views import Vocab, anchor, article_label, article_sort_key


def items_html(views: list[dict]):
    from markupsafe import Markup

    return Markup("\n".join(v["item_html"] for v in views))


def group_by_article(views: list[dict], voc: Vocab) -> list[dict]:
    groups: dict[str, dict[str, list]] = {}
    for v in views:
        for a in v["articles"]:
            groups.setdefault(a["convention"], {}).setdefault(a["article"], []).append(v)
    order = [c for c in voc.conv_order if c in groups] + sorted(c for c in groups if c not in voc.conv_order)
    out = []
    for conv in order:
        info = voc.conventions.get(conv) or {"name": conv, "short": conv}
        arts = [{"article": art, "anchor": anchor(f"{conv}-{art}"),
                 "label": article_label(info["short"], art, voc.lang), "items": groups[conv][art],
                 "items_html": items_html(groups[conv][art])}
                for art in sorted(groups[conv], key=article_sort_key)]
        out.append({"code": conv, "name": info["name"], "short": info["short"], "anchor": anchor(conv),
                    "articles": arts})
    return out


def group_by_relevance(views: list[dict], voc: Vocab) -> list[dict]:
    groups: dict[str, list] = {}
    for v in views:
        for r in v["relevance"]:
            groups.setdefault(r["slug"], []).append(v)
    order = [s for s in voc.relevance_order if s in groups] + sorted(s for s in groups if s not in voc.relevance_order)
    return [{"slug": s, "name": voc.relevance.get(s, s), "anchor": anchor(s),
             "items": groups[s], "items_html": items_html(groups[s])} for s in order]


def group_by_origin(views: list[dict]) -> list[dict]:
    """By the applicants' country of origin (EUAA's case-law database has the same index), in the
    order of the countries' names."""
    groups: dict[str, dict] = {}
    for v in views:
        for o in v.get("origins", []):
            groups.setdefault(o["code"], {"name": o["name"], "anchor": o["anchor"], "items": []})["items"].append(v)
    return [{**g, "items_html": items_html(g["items"])}
            for _, g in sorted(groups.items(), key=lambda kv: kv[1]["name"])]


def index_pages(views: list[dict], voc: Vocab, *, root: str | None, lang: str, site: dict, today: dt.date,
                search_data, pagefind: list[str] | None = None) -> dict[str, str]:
    """index.html, articles.html, relevance.html and origin.html. `search_data`: the inline fallback index
    (JSON, safe in a <script>), or None when the site is too large to embed it; `pagefind`: the
    folders of the site's Pagefind indexes, newest first (none: the page uses the fallback)."""
    from hrcoord.caselaw.portal.render import render_page

    common = {"site": site, "root": "", "today": today}
    return {
        "index.html": render_page(root, lang, "portal/index.html.j2", views=views, items_html=items_html(views),
                                  search_data=search_data, index_url="search-index.json", pagefind=pagefind or [],
                                  **common),
        "articles.html": render_page(root, lang, "portal/articles.html.j2", groups=group_by_article(views, voc),
                                     **common),
        "relevance.html": render_page(root, lang, "portal/relevance.html.j2", groups=group_by_relevance(views, voc),
                                      **common),
        "origin.html": render_page(root, lang, "portal/origin.html.j2", groups=group_by_origin(views), **common),
    }
