"""iCalendar invitations (RFC 5545/5546) with the `icalendar` package: METHOD:REQUEST (or CANCEL),
a stable UID, a SEQUENCE, local times with TZID and the matching VTIMEZONE, ORGANIZER and one
ATTENDEE per invitee.

The VTIMEZONE is written as yearly rules (RRULE), the way Outlook and Exchange write their own:
for Europe/Oslo a DAYLIGHT observance from the last Sunday of March at 02:00 and a STANDARD one
from the last Sunday of October at 03:00 (local time before the change, RFC 5545 §3.6.5).
icalendar's own `Timezone.from_tzinfo` lists each transition as an RDATE instead, and dates the
spring change at 03:00, the time after it; so the rules are derived here from zoneinfo, and
icalendar's component is used only for a zone whose changes follow no yearly rule.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from hrcoord.core.labels import words

TZID = "Europe/Oslo"
PRODID = "-//hrcoord//Network meetings//NO"
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
UTC = dt.UTC


@dataclass
class Person:
    name: str
    email: str
    role: str = "REQ-PARTICIPANT"  # CHAIR | REQ-PARTICIPANT | OPT-PARTICIPANT | NON-PARTICIPANT


def local(day: dt.date, hhmm: str, tzid: str = TZID) -> dt.datetime:
    h, m = (int(x) for x in hhmm.split(":"))
    return dt.datetime(day.year, day.month, day.day, h, m, tzinfo=ZoneInfo(tzid))


# --- the time zone as yearly rules ---------------------------------------------------------------------
@dataclass(frozen=True)
class Observance:
    daylight: bool
    onset: dt.datetime  # local wall-clock time before the change (naive)
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    name: str

    @property
    def rule(self) -> tuple[int, str, dt.time]:
        """(month, BYDAY, time): `(3, '-1SU', 02:00)` for the last Sunday of March at 02:00."""
        day = self.onset
        last = day.day + 7 > calendar.monthrange(day.year, day.month)[1]
        nth = -1 if last else (day.day - 1) // 7 + 1
        return day.month, f"{nth}{BYDAY[day.weekday()]}", day.time()


def _offset(tz: ZoneInfo, instant: dt.datetime) -> dt.timedelta:
    offset = instant.astimezone(tz).utcoffset()
    assert offset is not None
    return offset


def _bisect(tz: ZoneInfo, lo: dt.datetime, hi: dt.datetime) -> dt.datetime:
    """The first minute (UTC) in (lo, hi] with the offset of `hi`."""
    before = _offset(tz, lo)
    while hi - lo > dt.timedelta(minutes=1):
        mid = lo + (hi - lo) / 2
        mid = mid.replace(second=0, microsecond=0)
        if mid <= lo:
            break
        lo, hi = (mid, hi) if _offset(tz, mid) == before else (lo, mid)
    return hi


def transitions(tzid: str, year: int) -> list[Observance]:
    """The changes of UTC offset in `year`, found by asking zoneinfo day by day."""
    tz = ZoneInfo(tzid)
    out = []
    day = dt.datetime(year, 1, 1, tzinfo=UTC)
    while day.year == year:
        nxt = day + dt.timedelta(days=1)
        before, after = _offset(tz, day), _offset(tz, nxt)
        if before != after:
            instant = _bisect(tz, day, nxt)
            onset = (instant + before).replace(tzinfo=None)
            name = instant.astimezone(tz).tzname() or tzid
            dst = instant.astimezone(tz).dst()
            out.append(Observance(bool(dst), onset, before, after, name))
        day = nxt
    return out


def yearly_rules(tzid: str, year: int) -> list[Observance] | None:
    """The zone's changes as observances starting in `year - 1` that repeat every year through
    `year + 1`; None when they do not follow one yearly rule (then RDATEs are needed)."""
    years = [transitions(tzid, y) for y in (year - 1, year, year + 1)]
    if not years[0]:
        return [] if not any(years) else None
    shape = [(o.daylight, o.rule, o.offset_from, o.offset_to) for o in years[0]]
    if any([(o.daylight, o.rule, o.offset_from, o.offset_to) for o in y] != shape for y in years[1:]):
        return None
    return years[0]


def vtimezone(tzid: str, around: dt.datetime):
    """The VTIMEZONE component of `tzid` for an event at `around`."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    rules = yearly_rules(tzid, around.year)
    if rules is None:
        return Timezone.from_tzinfo(ZoneInfo(tzid), first_date=dt.date(around.year - 1, 1, 1),
                                    last_date=dt.date(around.year + 2, 1, 1))
    tz = Timezone()
    tz.add("tzid", tzid)
    tz.add("x-lic-location", tzid)
    if not rules:  # no changes: one standard observance
        offset = _offset(ZoneInfo(tzid), around.astimezone(UTC))
        rules = [Observance(False, dt.datetime(around.year - 1, 1, 1), offset, offset,
                            around.astimezone(ZoneInfo(tzid)).tzname() or tzid)]
    for o in rules:
        sub = TimezoneDaylight() if o.daylight else TimezoneStandard()
        sub.add("dtstart", o.onset)
        if o.offset_from != o.offset_to:
            month, byday, _ = o.rule
            sub.add("rrule", {"freq": "yearly", "bymonth": month, "byday": byday})
        sub.add("tzoffsetfrom", o.offset_from)
        sub.add("tzoffsetto", o.offset_to)
        sub.add("tzname", o.name)
        tz.add_component(sub)
    return tz


# --- the invitation ------------------------------------------------------------------------------------
def _address(person: Person, role: str, method: str):
    from icalendar import vCalAddress, vText

    addr = vCalAddress(f"mailto:{person.email}")
    addr.params["CN"] = vText(person.name)
    addr.params["CUTYPE"] = vText("INDIVIDUAL")
    addr.params["ROLE"] = vText(role)
    if method == "REQUEST":
        addr.params["PARTSTAT"] = vText("NEEDS-ACTION")
        addr.params["RSVP"] = vText("TRUE")
    return addr


def invitation(*, uid: str, summary: str, start: dt.datetime, end: dt.datetime, organizer: Person,
               attendees: list[Person], sequence: int = 0, location: str | None = None,
               description: str | None = None, method: str = "REQUEST", stamp: dt.datetime | None = None,
               lang: str = "nb") -> bytes:
    """One VEVENT in a VCALENDAR with its VTIMEZONE. `start`/`end` are aware datetimes. The
    organiser is ORGANIZER only, never an ATTENDEE asked to reply to their own meeting."""
    from icalendar import Calendar, Event, vCalAddress, vText

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    tzid = getattr(start.tzinfo, "key", TZID)
    cal.add_component(vtimezone(tzid, start))

    ev = Event()
    ev.add("uid", uid)
    ev.add("dtstamp", (stamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC))
    ev.add("dtstart", start)
    ev.add("dtend", end)
    ev.add("sequence", sequence)
    summary_text = vText(summary)
    summary_text.params["LANGUAGE"] = words(lang, "meta")["bcp47"]
    ev.add("summary", summary_text)
    if location:
        ev.add("location", location)
    if description:
        ev.add("description", description)
    ev.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    ev.add("transp", "OPAQUE")
    org = vCalAddress(f"mailto:{organizer.email}")
    org.params["CN"] = vText(organizer.name)
    ev.add("organizer", org)
    for person in attendees:
        if person.email.lower() != organizer.email.lower():
            ev.add("attendee", _address(person, person.role, method), encode=False)
    cal.add_component(ev)
    return cal.to_ical()
