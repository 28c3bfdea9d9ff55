"""The meeting calendar: Norwegian public holidays, the four-a-year check per network, and a
proposed meeting per quarter (`meeting check`, `meeting plan`).

Holidays come from the `holidays` package (Norway: New Year, Maundy Thursday, Good Friday, Easter
Monday, 1 May, Ascension, 17 May, Whit Monday, Christmas). A plan also keeps clear of Easter week,
July, the weeks around Christmas and New Year, and working days squeezed between a holiday and a
weekend (inneklemte dager), and of days when the coordinator already has another network meeting.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from hrcoord.core.models.network import WEEKDAYS

MINIMUM = 4
QUARTER_TARGETS = {1: (2, 15), 2: (5, 15), 3: (9, 1), 4: (11, 15)}  # aim for mid-quarter, after the summer


@lru_cache(maxsize=32)
def _holidays(year: int, lang: str):
    import holidays

    from hrcoord.core.labels import words

    language = words(lang, "meta")["holidays"]
    try:
        return dict(holidays.Norway(years=year, language=language))
    except (TypeError, ValueError, NotImplementedError):  # an older `holidays` without translations
        return dict(holidays.Norway(years=year))


def holiday_name(day: dt.date, lang: str = "en") -> str | None:
    """The name of the Norwegian public holiday on `day`, or None."""
    return _holidays(day.year, lang).get(day)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year, "en")


def _easter(year: int) -> dt.date:
    from dateutil.easter import easter  # holidays depends on python-dateutil

    return easter(year)


def avoid_reason(day: dt.date) -> str | None:
    """Why `day` is not a good meeting day, or None."""
    if day.weekday() >= 5:
        return "weekend"
    if day in _holidays(day.year, "en"):
        return f"public holiday ({holiday_name(day, 'en')})"
    if day.month == 7:
        return "summer holiday (July)"
    iso = day.isocalendar()[:2]
    christmas_weeks = {dt.date(day.year, 12, 24).isocalendar()[:2], dt.date(day.year, 12, 31).isocalendar()[:2],
                       dt.date(day.year - 1, 12, 31).isocalendar()[:2], dt.date(day.year, 1, 1).isocalendar()[:2]}
    if iso in christmas_weeks:
        return "Christmas and New Year weeks"
    easter = _easter(day.year)
    if easter - dt.timedelta(days=7) <= day <= easter + dt.timedelta(days=1):
        return "Easter week"
    before, after = day - dt.timedelta(days=1), day + dt.timedelta(days=1)
    if not is_working_day(before) and not is_working_day(after):
        return "squeezed between a holiday and the weekend"
    return None


# --- the four-a-year check -------------------------------------------------------------------------
@dataclass
class YearCheck:
    network: str
    name: str
    year: int
    quarters: dict[int, dict[str, list[str]]]  # quarter -> {"held": [dates], "planned": [...], "cancelled": [...]}
    held: int
    planned: int
    finished: bool
    status: str  # ok | short | on-track | at-risk

    @property
    def failed(self) -> bool:
        return self.status == "short"

    def as_dict(self) -> dict:
        return {
            "network": self.network, "name": self.name, "year": self.year, "minimum": MINIMUM,
            "held": self.held, "planned": self.planned, "finished": self.finished, "status": self.status,
            "quarters": {f"Q{q}": {k: len(v) for k, v in d.items()} | {"dates": sorted(d["held"] + d["planned"])}
                         for q, d in self.quarters.items()},
        }


def year_quarters(meetings, year: int) -> dict[int, dict[str, list[str]]]:
    """The meetings of `year` by quarter: held, planned (planned or notified), cancelled."""
    quarters: dict[int, dict[str, list[str]]] = {q: {"held": [], "planned": [], "cancelled": []} for q in range(1, 5)}
    for m in meetings:
        d = m.date()
        if d is None or d.year != year:
            continue
        status = m.get("status")
        bucket = status if status in ("held", "cancelled") else "planned"
        quarters[(d.month - 1) // 3 + 1][bucket].append(m.id)
    return quarters


def year_status(held: int, planned: int, finished: bool) -> str:
    if held >= MINIMUM:
        return "ok"
    if finished:
        return "short"
    return "on-track" if held + planned >= MINIMUM else "at-risk"


def check_year(repo, year: int, *, today: dt.date | None = None, networks: list[str] | None = None,
               lang: str | None = None) -> list[YearCheck]:
    """Per network: meetings held and planned (planned or notified) per quarter, against the
    minimum of four a year. A finished year with fewer than four held falls short."""
    from hrcoord.networks.meetings import meetings_of

    today = today or dt.date.today()
    lang = lang or repo.language
    out = []
    for slug in networks or sorted(repo.networks()):
        net = repo.network(slug)
        quarters = year_quarters(meetings_of(repo, slug), year)
        held = sum(len(q["held"]) for q in quarters.values())
        planned = sum(len(q["planned"]) for q in quarters.values())
        finished = year < today.year
        name = net.get(f"name_{lang}") or net.get("name_nb") or slug
        out.append(YearCheck(slug, name, year, quarters, held, planned, finished,
                             year_status(held, planned, finished)))
    return out


# --- proposing a meeting per quarter ---------------------------------------------------------------
@dataclass
class Proposal:
    network: str
    quarter: int
    date: str | None
    weekday: str | None
    start: str | None
    end: str | None
    location: str | None
    note: str = ""
    existing: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"network": self.network, "quarter": f"Q{self.quarter}", "date": self.date, "weekday": self.weekday,
                "start": self.start, "end": self.end, "location": self.location, "note": self.note,
                "existing": self.existing}


def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    """Do two "HH:MM" ranges overlap? A missing end counts as two hours after the start."""
    def minutes(hhmm, default=None):
        try:
            h, m = str(hhmm).split(":")
            return int(h) * 60 + int(m)
        except (ValueError, AttributeError):
            return default

    a0, b0 = minutes(a_start, 0), minutes(b_start, 0)
    a1, b1 = minutes(a_end, a0 + 120), minutes(b_end, b0 + 120)
    return a0 < b1 and b0 < a1


def usual_weekday(network, meetings) -> int:
    wd = network.get("weekday")
    if wd in WEEKDAYS:
        return WEEKDAYS.index(wd)
    days = [m.date().weekday() for m in meetings if m.date() and m.date().weekday() < 5]
    if days:
        return max(set(days), key=lambda x: (days.count(x), -x))
    return 1  # Tuesday


@dataclass
class Rhythm:
    """What a proposal keeps to: the network's weekday, time and place, and the busy days."""
    weekday: int
    start: str
    end: str | None
    location: str | None
    busy: set[str]


def rhythm(repo, slug: str, own: list) -> Rhythm:
    network = repo.network(slug)
    defaults = repo.settings.get("defaults") or {}
    start = network.get("start") or defaults.get("meeting_start") or "10:00"
    end = network.get("end") or defaults.get("meeting_end")
    # the coordinator chairs every network: a day with another meeting at an overlapping time is busy
    busy = {m.id for key, m in repo.records("meeting").items()
            if m.get("status") != "cancelled" and key.split("/", 1)[0] != slug
            and _overlaps(m.get("start"), m.get("end"), start, end)}
    location = network.get("location") or defaults.get("meeting_location")
    return Rhythm(usual_weekday(network, own), start, end, location, busy)


def quarter_days(year: int, q: int) -> list[dt.date]:
    first = dt.date(year, 3 * q - 2, 1)
    last = (dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)) - dt.timedelta(days=1)
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def propose(slug: str, year: int, q: int, r: Rhythm) -> Proposal:
    """The free working day of the quarter nearest its target, on the usual weekday when one is free."""
    good = [d for d in quarter_days(year, q) if avoid_reason(d) is None and d.isoformat() not in r.busy]
    chosen = [d for d in good if d.weekday() == r.weekday]
    note = "" if chosen else f"no free {WEEKDAYS[r.weekday]} in the quarter"
    chosen = chosen or good
    if not chosen:
        return Proposal(slug, q, None, None, r.start, r.end, r.location, "no free working day in the quarter")
    target = dt.date(year, *QUARTER_TARGETS[q])
    best = min(chosen, key=lambda d: (abs((d - target).days), d))
    return Proposal(slug, q, best.isoformat(), WEEKDAYS[best.weekday()], r.start, r.end, r.location, note)


def plan_year(repo, slug: str, year: int) -> list[Proposal]:
    """One proposed meeting per quarter of `year` on the network's usual weekday and time, on a
    working day clear of holidays and the weeks to avoid. A quarter that already has a meeting
    (planned, notified or held) gets no new proposal."""
    from hrcoord.networks.meetings import meetings_of

    own = meetings_of(repo, slug)
    r = rhythm(repo, slug, own)
    quarters = year_quarters([m for m in own if m.get("status") != "cancelled"], year)
    out = []
    for q in range(1, 5):
        existing = sorted(quarters[q]["held"] + quarters[q]["planned"])
        if existing:
            out.append(Proposal(slug, q, None, None, None, None, None, "the quarter already has a meeting", existing))
        else:
            out.append(propose(slug, year, q, r))
    return out
