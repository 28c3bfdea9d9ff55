"""Judgments that are not final yet (Art. 44 ECHR), for `status`, the digest and the portal.

A judgment of the Grand Chamber is final at once (Art. 44 § 1), and so is a Committee judgment
(Art. 28 § 2). A Chamber judgment becomes final (Art. 44 § 2)

- (b) three months after its date, if no referral to the Grand Chamber was requested — the
  Court counts calendar months: a judgment of 28 June 2011 became final on 28 September 2011
  (Nunez v. Norway, CM/ResDH(2013)117); where the later month has no such day, its last day;
- (c) on the day the panel of the Grand Chamber rejects a request (Antwi and Others v. Norway:
  judgment 14 February 2012, final 9 July 2012 "under Article 44 § 2 (c)");
- never, when the panel accepts the request: the Grand Chamber's judgment replaces it.

(a), the parties declaring that they will not ask for a referral, is not recorded: such a
judgment shows as not final until the three months have passed.

A summary records what happened in `referral: {status: requested|accepted|rejected, date}`, the
date of the request or of the panel's decision. Everything here looks from a given day (`today`),
so that `status --today` is reproducible: a referral dated after that day has not happened yet.

The portal's "ikke endelig" label should call `finality(record.data, today)` and show
`Finality.label(lang)` when `not f.final`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from hrcoord.core.labels import table
from hrcoord.core.models.base import as_list, parse_date
from hrcoord.core.models.judgment import ref_key, three_months_after

FINAL = "final"
NOT_FINAL = "not-final"  # within the three months, no referral requested
REQUESTED = "referral-requested"  # a request waits for the panel
REFERRED = "referred"  # the panel accepted: the Grand Chamber decides

LABELS = table("watch")  # state -> words, per language (the label catalogue)


@dataclass(frozen=True)
class Finality:
    final: bool
    state: str  # final | not-final | referral-requested | referred
    date: dt.date | None  # final: the day it became final; not-final: the day it will; else None
    basis: str  # the rule: "44-1", "28-2", "44-2-b", "44-2-c", "43" (pending or referred)

    def label(self, lang: str = "nb") -> str:
        return LABELS[lang][self.state]


def _is_ecthr_judgment(data: dict) -> bool:
    from hrcoord.core.models.judgment import canonical_body

    return canonical_body(data.get("body")) == "ECtHR" and data.get("doc_type") == "judgment"


def referral_on(data: dict, today: dt.date) -> tuple[str, dt.date] | None:
    """The recorded referral (status, date) if it had happened by `today`."""
    referral = data.get("referral")
    if not isinstance(referral, dict):
        return None
    when = parse_date(referral.get("date"))
    status = referral.get("status")
    if when is None or when > today or status not in ("requested", "accepted", "rejected"):
        return None
    return status, when


def _decided_later(data: dict, today: dt.date) -> bool:
    referral = data.get("referral")
    if not isinstance(referral, dict) or referral.get("status") not in ("accepted", "rejected"):
        return False
    when = parse_date(referral.get("date"))
    return when is not None and when > today


def finality(data: dict, today: dt.date | None = None) -> Finality | None:
    """Whether an ECtHR judgment was final on `today` (default: today), and when it became or
    becomes final. None when the rules do not apply (not an ECtHR judgment, no formation or date)."""
    today = today or dt.date.today()
    day = parse_date(data.get("date"))
    if not _is_ecthr_judgment(data) or day is None:
        return None
    formation = data.get("formation")
    if formation == "Grand Chamber":
        return Finality(True, FINAL, day, "44-1")
    if formation == "Committee":
        return Finality(True, FINAL, day, "28-2")
    if formation != "Chamber":
        return None
    referral = referral_on(data, today)
    if referral is not None:
        status, when = referral
        if status == "rejected":
            return Finality(True, FINAL, when, "44-2-c")
        if status == "accepted":
            return Finality(False, REFERRED, None, "43")
        return Finality(False, REQUESTED, None, "43")
    ends = three_months_after(day)
    if today >= ends and _decided_later(data, today):
        # the panel decided after `today` on a request that must have been made within the three
        # months (Art. 43 § 1): on `today` that request was pending
        return Finality(False, REQUESTED, None, "43")
    if today >= ends:
        return Finality(True, FINAL, ends, "44-2-b")
    return Finality(False, NOT_FINAL, ends, "44-2-b")


@dataclass
class WatchItem:
    id: str
    title: str
    date: dt.date
    state: str  # not-final | referral-requested | referred | unlinked
    final_date: dt.date | None = None  # not-final: when it becomes final
    referral_date: dt.date | None = None
    other: str | None = None  # unlinked: the Chamber summary; referred: the Grand Chamber summary if any
    days_left: int | None = None


@dataclass
class Watch:
    today: dt.date
    not_final: list[WatchItem] = field(default_factory=list)  # within the three months
    referrals: list[WatchItem] = field(default_factory=list)  # requested, or accepted with no GC summary yet
    unlinked: list[WatchItem] = field(default_factory=list)  # GC judgment; its Chamber summary lacks later-stage

    @property
    def total(self) -> int:
        return len(self.not_final) + len(self.referrals) + len(self.unlinked)


def _refs(data: dict) -> set[str]:
    return {ref_key(r) for r in as_list(data.get("reference"))}


def _links(data: dict, relation: str) -> set[str]:
    from hrcoord.core.models.judgment import related_links

    return {rid for _, rid, rel in related_links(data) if rel == relation}


def _watched(rec, today: dt.date) -> bool:
    d = rec.data
    day = parse_date(d.get("date"))
    return d.get("status") != "withdrawn" and day is not None and day <= today and _is_ecthr_judgment(d)


def _day(rec) -> dt.date:
    """A watched summary's date (`_watched` lets only summaries with one through)."""
    day = parse_date(rec.data.get("date"))
    assert day is not None
    return day


def build(repo, today: dt.date | None = None) -> Watch:
    """The watch list on `today`: Chamber judgments not final yet (with the day they will be),
    referrals pending, and Grand Chamber judgments whose Chamber judgment is summarised without a
    `later-stage` link to them. One pass over the summaries; stages are matched by reference."""
    today = today or dt.date.today()
    w = Watch(today)
    recs = [r for r in repo.rows("judgment", narrow=_narrow(today)).values() if _watched(r, today)]
    by_ref = _by_reference(recs)
    for rec in recs:
        f = finality(rec.data, today)
        if f is not None and not f.final:
            item = _pending(rec, f, today, _stages(rec, by_ref, "Grand Chamber"))
            if item is not None:
                (w.not_final if f.state == NOT_FINAL else w.referrals).append(item)
        if rec.data.get("formation") == "Grand Chamber":
            for chamber in _stages(rec, by_ref, "Chamber"):
                if rec.id not in _links(chamber.data, "later-stage"):
                    w.unlinked.append(WatchItem(rec.id, str(rec.data.get("title") or rec.id), _day(rec), "unlinked",
                                                other=chamber.id))
    w.not_final.sort(key=lambda i: (i.final_date, i.id))
    w.referrals.sort(key=lambda i: (i.referral_date or i.date, i.id))
    w.unlinked.sort(key=lambda i: (i.date, i.id, i.other))
    return w


def _narrow(today: dt.date) -> tuple[str, list]:
    """What the index may leave out of build(): all but the Grand Chamber's judgments, the Chamber
    judgments of the last three months (100 days: more than any three months), with a referral,
    or sharing a reference with a Grand Chamber judgment."""
    # (CROSS JOIN keeps this order: the Grand Chamber's summaries first, then their references;
    # the planner's choice, every reference first, took 0.7 s at 100,000 summaries rather than 0.3)
    grand = ("SELECT g.value FROM records gc CROSS JOIN facets g ON g.rel = gc.rel AND g.facet = 'reference' "
             "WHERE gc.type = 'judgment' AND gc.formation = 'Grand Chamber'")
    where = ("body = 'ECtHR' AND (status IS NULL OR status != 'withdrawn') AND date <= ? AND ("
             "formation = 'Grand Chamber' OR (formation = 'Chamber' AND (date >= ? OR referral IS NOT NULL OR "
             f"rel IN (SELECT f.rel FROM facets f WHERE f.facet = 'reference' AND f.value IN ({grand})))))")
    return where, [today.isoformat(), (today - dt.timedelta(days=100)).isoformat()]


def _by_reference(recs: list) -> dict[str, dict[str, list]]:
    """reference -> formation -> the summaries with that reference."""
    by_ref: dict[str, dict[str, list]] = {}
    for rec in recs:
        for ref in _refs(rec.data):
            by_ref.setdefault(ref, {}).setdefault(str(rec.data.get("formation")), []).append(rec)
    return by_ref


def _stages(rec, by_ref: dict, formation: str) -> list:
    """The summaries of `formation` that share a reference with `rec` (other stages of its case)."""
    out: list = []
    for ref in _refs(rec.data):
        out += [r for r in by_ref.get(ref, {}).get(formation, []) if r is not rec and r not in out]
    return out


def _pending(rec, f: Finality, today: dt.date, grand: list) -> WatchItem | None:
    """The watch entry of a judgment that is not final on `today`; None for a referred judgment
    whose Grand Chamber judgment is summarised (the link check covers it)."""
    item = WatchItem(rec.id, str(rec.data.get("title") or rec.id), _day(rec), f.state)
    if f.state == NOT_FINAL:
        assert f.date is not None  # (not final yet: the day it will be)
        item.final_date, item.days_left = f.date, (f.date - today).days
        return item
    recorded = referral_on(rec.data, today)
    item.referral_date = recorded[1] if recorded else None  # None: a request the panel decides on later
    if f.state == REFERRED and grand:
        return None
    item.other = grand[0].id if grand else None
    return item


def as_dict(w: Watch) -> dict:
    def item(i: WatchItem) -> dict:
        out: dict[str, str | int] = {"id": i.id, "title": i.title, "date": i.date.isoformat(), "state": i.state}
        for key in ("final_date", "referral_date"):
            value = getattr(i, key)
            if value is not None:
                out[key] = value.isoformat()
        if i.other:
            out["other"] = i.other
        if i.days_left is not None:
            out["days_left"] = i.days_left
        return out

    return {"not_final": [item(i) for i in w.not_final], "referrals": [item(i) for i in w.referrals],
            "unlinked": [item(i) for i in w.unlinked]}
