"""The Atom feed of the latest changes to what is on the site (RFC 4287): from the git history
(hrcoord.review.changes) when the repository is a git repository, else from the dates in the
records. A summary's history before it was published is internal and left out; its publication
is its *Ny* entry."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache

from hrcoord.caselaw.portal.views import LABELS
from hrcoord.core.errors import HrcoordError
from hrcoord.core.models.base import parse_date

FEED_ENTRIES = 100


@dataclass
class FeedEntry:
    id: str  # summary id
    kind: str  # new | changed | withdrawn
    when: dt.datetime
    fields: list = field(default_factory=list)


def _at(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    return _day_at(value) if isinstance(value, str) else None


@cache
def _day_at(value: str) -> dt.datetime | None:
    """Midnight UTC of an ISO day (a site has a few thousand distinct days, asked for many times)."""
    d = parse_date(value)
    return dt.datetime(d.year, d.month, d.day, tzinfo=dt.UTC) if d else None


def feed_since(published: list[str]) -> dt.date | None:
    """A change older than the FEED_ENTRIES-th newest publication can never make the feed."""
    starts = sorted((d for d in map(_at, published) if d is not None), reverse=True)
    return starts[min(len(starts), FEED_ENTRIES) - 1].date() if starts else None


def _review_changes(views: list[dict]) -> list[FeedEntry]:
    """Without git: a review after the first publication is a change."""
    out = []
    for v in views:
        first, reviewed = _at(v["published"]), _at(v["review_date"])
        if reviewed and first and reviewed > first:
            out.append(FeedEntry(v["id"], "changed", reviewed))
    return out


def _history_entry(c, by_id: dict[str, dict]) -> FeedEntry | None:
    """One committed change as a feed entry, or None when it does not belong in the feed."""
    v = by_id.get(str(getattr(c, "id", "")))
    when = _at(getattr(c, "when", None)) or _at(getattr(c, "date", None))
    kind = getattr(c, "kind", None)
    if v is None or when is None or kind not in ("changed", "withdrawn"):
        return None
    first = _at(v["published"])
    if first and when.date() <= first.date() and kind == "changed":
        return None  # edits before or on the day of publication are part of "new"
    fields = list(getattr(c, "fields", []) or [])
    if getattr(c, "text_changed", False) and "text" not in fields:
        fields.append("text")
    return FeedEntry(v["id"], kind, when, fields)


def feed_entries(repo, views: list[dict], history=False) -> list[FeedEntry]:
    """The latest changes to what is on the site, newest first (see the module's docstring).
    `history`: the git changes looked up beforehand (build does, while the pages render)."""
    by_id = {v["id"]: v for v in views}
    entries = [FeedEntry(v["id"], "new", when) for v in views if (when := _at(v["published"])) is not None]
    if history is False:
        since = feed_since([v["published"] for v in views])
        history = _git_changes(repo, since) if since else None
    if history is None:
        entries += _review_changes(views)
    else:
        entries += [e for e in (_history_entry(c, by_id) for c in history) if e is not None]
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
    import contextlib

    import msgspec

    from hrcoord.core import cache
    from hrcoord.review import history
    from hrcoord.review.changes import Change

    try:
        head = history.git(repo.root, "rev-parse", "--verify", "-q", "HEAD", check=False).strip()
        key = [head, since.isoformat()]
        memo = cache.read(repo.root / ".hrcoord" / "cache" / "feed-history.msgpack")
        if head and isinstance(memo, dict) and memo.get("key") == key:
            with contextlib.suppress(msgspec.ValidationError):  # committed history is what it was at this HEAD
                return msgspec.convert(memo.get("changes"), list[Change])
        # the feed's *Ny* entries come from the records' dates: additions need not be read
        found = changes(repo, since=since, types=["judgment"], uncommitted=False, new=False)
        if head:
            # to_builtins: datetimes as ISO text, keeping their UTC offset (the feed shows it)
            cache.write(repo.root, "feed-history.msgpack", {"key": key, "changes": msgspec.to_builtins(found)})
        return found
    except (HrcoordError, OSError, ValueError, TypeError):
        return None


NS = "http://www.w3.org/2005/Atom"


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _sub(parent, tag: str, text: str | None = None, **attrs):
    import xml.etree.ElementTree as ET

    el = ET.SubElement(parent, _q(tag), {k.rstrip("_"): v for k, v in attrs.items()})
    if text is not None:
        el.text = text
    return el


def _stamp(when: dt.datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


def _entry_text(e: FeedEntry, v: dict, L: dict) -> str:
    """The entry's plain-text summary: what changed or the withdrawal notice, then the lead."""
    text = v["lead_text"]
    if e.kind == "changed" and e.fields:
        text = f"{L['changed_fields']}: {', '.join(e.fields)}. " + text
    if e.kind == "withdrawn" and v["withdrawn"]:
        w = v["withdrawn"]
        note = L["withdrawn"]
        if w["replaced_by_title"]:
            note += f" — {L['replaced_by']} {w['replaced_by_title']}"
        text = note + (f". {w['reason']}" if w["reason"] else "") + ". " + text
    return text


def _add_entry(feed, e: FeedEntry, v: dict, L: dict, host: str, base_url: str) -> None:
    from urllib.parse import urljoin

    entry = _sub(feed, "entry")
    label = L["withdrawn"] if e.kind == "withdrawn" else L.get(e.kind, e.kind)
    _sub(entry, "id", f"tag:{host},2014:hrcoord/summaries/{e.id}/{e.kind}/{_stamp(e.when)}")
    _sub(entry, "title", f"{label}: {v['title']}")
    _sub(entry, "updated", _stamp(e.when))
    if e.kind == "new":
        _sub(entry, "published", _stamp(e.when))
    _sub(entry, "link", rel="alternate", type="text/html", href=urljoin(base_url, v["url"]))
    for a in v["articles"]:
        _sub(entry, "category", term=a["code"], label=a["label"])
    _sub(entry, "summary", _entry_text(e, v, L), type="text")
    _sub(entry, "content", v["lead_html"], type="html")


def atom_feed(views: list[dict], entries: list[FeedEntry], *, lang: str, base_url: str, organisation: str,
              today: dt.date) -> bytes:
    """An Atom 1.0 document (RFC 4287), built with ElementTree."""
    import xml.etree.ElementTree as ET
    from urllib.parse import urljoin, urlparse

    ET.register_namespace("", NS)
    L = LABELS[lang]
    by_id = {v["id"]: v for v in views}
    host = urlparse(base_url).hostname or "hrcoord.invalid"
    feed = ET.Element(_q("feed"), {"{http://www.w3.org/XML/1998/namespace}lang": lang})
    _sub(feed, "id", f"tag:{host},2014:hrcoord/summaries/{lang}")
    _sub(feed, "title", f"{L['site_title']} — {L['feed'].split(' (')[0]}")
    newest = max((e.when for e in entries), default=None) or _at(today)
    _sub(feed, "updated", _stamp(newest or dt.datetime.now(dt.UTC)))
    _sub(_sub(feed, "author"), "name", organisation or "hrcoord")
    _sub(feed, "link", rel="self", type="application/atom+xml", href=urljoin(base_url, "feed.xml"))
    _sub(feed, "link", rel="alternate", type="text/html", href=urljoin(base_url, "index.html"))
    _sub(feed, "generator", "hrcoord")
    for e in entries:
        _add_entry(feed, e, by_id[e.id], L, host, base_url)
    text = ET.tostring(feed, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n").encode("utf-8")
