"""iCalendar invitations (RFC 5545/5546) with the `icalendar` package: METHOD:REQUEST (or CANCEL),
a stable UID, a SEQUENCE, local times with TZID and the matching VTIMEZONE, ORGANIZER and one
ATTENDEE per invitee."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hrcoord.core.labels import words

TZID = "Europe/Oslo"
PRODID = "-//hrcoord//Network meetings//NO"


@dataclass
class Person:
    name: str
    email: str
    role: str = "REQ-PARTICIPANT"  # CHAIR | REQ-PARTICIPANT | OPT-PARTICIPANT | NON-PARTICIPANT


def local(day: dt.date, hhmm: str, tzid: str = TZID) -> dt.datetime:
    from zoneinfo import ZoneInfo

    h, m = (int(x) for x in hhmm.split(":"))
    return dt.datetime(day.year, day.month, day.day, h, m, tzinfo=ZoneInfo(tzid))


def invitation(*, uid: str, summary: str, start: dt.datetime, end: dt.datetime, organizer: Person,
               attendees: list[Person], sequence: int = 0, location: str | None = None,
               description: str | None = None, method: str = "REQUEST", stamp: dt.datetime | None = None,
               lang: str = "nb") -> bytes:
    """One VEVENT in a VCALENDAR with its VTIMEZONE. `start`/`end` are aware datetimes."""
    from icalendar import Calendar, Event, vCalAddress, vText

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)

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
        att = vCalAddress(f"mailto:{person.email}")
        att.params["CN"] = vText(person.name)
        att.params["CUTYPE"] = vText("INDIVIDUAL")
        att.params["ROLE"] = vText(person.role)
        att.params["PARTSTAT"] = vText("NEEDS-ACTION")
        att.params["RSVP"] = vText("TRUE" if method == "REQUEST" else "FALSE")
        ev.add("attendee", att, encode=0)
    cal.add_component(ev)
    # the VTIMEZONE for the zone, with transitions around the event only (keeps the file small)
    cal.add_missing_timezones(first_date=dt.date(start.year - 1, 1, 1), last_date=dt.date(start.year + 2, 1, 1))
    return cal.to_ical()
