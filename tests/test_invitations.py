"""Invitations mail clients accept (issue 12 item 2): the VTIMEZONE as yearly rules, the organiser
not asked to reply, members without an address named, the papers in DESCRIPTION, and the .eml
draft (RFC 6047) parsed back with `email` and `icalendar`."""
from __future__ import annotations

import datetime as dt
import email
from email import policy
from pathlib import Path

import pytest
from icalendar import Calendar
from test_meetings import NETWORK, build

from conftest import invoke
from hrcoord.core.repo import Repository

TRAFFICKING = ["--network", "trafficking"]


@pytest.fixture
def repo_dir(empty_repo) -> Path:
    return build(empty_repo)


def parse_eml(path: Path):
    msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    calendars = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    assert len(calendars) == 1  # exactly one calendar part
    return msg, calendars[0], Calendar.from_ical(calendars[0].get_content())


# --- the time zone -----------------------------------------------------------------------------------------
def test_vtimezone_for_oslo_is_yearly_rules_with_the_change_at_two():
    from icalendar import Timezone

    from hrcoord.render import ics

    text = ics.vtimezone("Europe/Oslo", ics.local(dt.date(2014, 5, 13), "10:00")).to_ical().decode()
    tz = Timezone.from_ical(text)
    assert "RDATE" not in text
    daylight, standard = tz.walk("DAYLIGHT")[0], tz.walk("STANDARD")[0]
    assert daylight["RRULE"]["FREQ"] == ["YEARLY"] and daylight["RRULE"]["BYMONTH"] == [3]
    assert daylight["RRULE"]["BYDAY"] == ["-1SU"] and standard["RRULE"]["BYDAY"] == ["-1SU"]
    assert standard["RRULE"]["BYMONTH"] == [10]
    # the onset in local time before the change (RFC 5545 §3.6.5): 02:00 CET in March, 03:00 CEST in October
    assert daylight.decoded("DTSTART") == dt.datetime(2013, 3, 31, 2, 0)
    assert standard.decoded("DTSTART") == dt.datetime(2013, 10, 27, 3, 0)
    assert daylight.decoded("TZOFFSETTO") == dt.timedelta(hours=2)
    assert standard.decoded("TZOFFSETTO") == dt.timedelta(hours=1)
    assert str(daylight["TZNAME"]) == "CEST" and str(standard["TZNAME"]) == "CET"


def test_vtimezone_rules_match_zoneinfo_on_every_day_around_the_event():
    """icalendar turns the rules back into a tzinfo; it must agree with zoneinfo across two years."""
    from zoneinfo import ZoneInfo

    from hrcoord.render import ics

    tz = ics.vtimezone("Europe/Oslo", ics.local(dt.date(2015, 6, 1), "10:00")).to_tz()
    oslo = ZoneInfo("Europe/Oslo")
    day = dt.datetime(2014, 1, 1, 12)
    while day.year < 2017:
        assert day.replace(tzinfo=tz).utcoffset() == day.replace(tzinfo=oslo).utcoffset(), day
        day += dt.timedelta(days=1)


def test_zones_without_changes_and_other_rules():
    from hrcoord.render import ics

    tokyo = ics.vtimezone("Asia/Tokyo", ics.local(dt.date(2014, 5, 13), "10:00", "Asia/Tokyo"))
    assert [c.name for c in tokyo.subcomponents] == ["STANDARD"] and "RRULE" not in tokyo.to_ical().decode()
    from icalendar import Timezone

    york = Timezone.from_ical(ics.vtimezone("America/New_York", ics.local(dt.date(2014, 5, 13), "10:00",
                                                                         "America/New_York")).to_ical())
    assert york.walk("DAYLIGHT")[0]["RRULE"]["BYDAY"] == ["2SU"]  # second Sunday of March
    assert york.walk("STANDARD")[0]["RRULE"]["BYDAY"] == ["1SU"]


# --- the invitation -------------------------------------------------------------------------------------------
def test_organiser_is_not_asked_to_reply_and_missing_addresses_are_named(repo_dir):
    path = repo_dir / "data/networks/trafficking.yaml"
    path.write_text(NETWORK.replace("members:\n", "members:\n  - name: Koordinator for internasjonale "
                                    "menneskerettigheter\n    department: AUA\n    role: chair\n"
                                    "    email: koordinator@udi.example\n"), encoding="utf-8")
    r = invoke(["--repo", repo_dir, "meeting", "notice", *TRAFFICKING, "--ics", repo_dir / "n.ics",
                "--papers", "https://samhandling.udi.example/nettverk/menneskehandel"])
    assert r.exit_code == 0, r.stderr
    assert "'Observatør uten e-post, Region- og mottaksavdelingen' has no e-mail address" in r.stderr
    ev = Calendar.from_ical((repo_dir / "n.ics").read_bytes()).walk("VEVENT")[0]
    attendees = [str(a) for a in ev.get("ATTENDEE")]
    assert "mailto:koordinator@udi.example" not in attendees and len(attendees) == 3
    assert str(ev["ORGANIZER"]) == "mailto:koordinator@udi.example"
    assert all(a.params["RSVP"] == "TRUE" for a in ev.get("ATTENDEE"))
    description = str(ev["DESCRIPTION"])
    assert "Sakspapirer: https://samhandling.udi.example/nettverk/menneskehandel" in description
    assert "Sak 8/14 Godkjenning av innkalling og saksliste (beslutning)" in description
    assert "URL" not in ev


def test_notice_eml_is_a_draft_with_text_html_calendar_and_word(repo_dir):
    import docx

    out = repo_dir / "innkalling.eml"
    r = invoke(["--repo", repo_dir, "meeting", "notice", *TRAFFICKING, "--eml", out])
    assert r.exit_code == 0, r.stderr
    msg, part, cal = parse_eml(out)
    assert msg["X-Unsent"] == "1" and msg.get_content_type() == "multipart/mixed"
    assert msg["Subject"] == "Innkalling: Nettverk for menneskehandel, tirsdag 13. mai 2014 kl. 10:00–12:00"
    assert msg["From"].addresses[0].addr_spec == "koordinator@udi.example"
    assert sorted(a.addr_spec for a in msg["To"].addresses) == ["mh-asa@udi.example", "mh-opa@udi.example",
                                                                 "mh-rma@udi.example"]
    assert msg["Content-Language"] == "nb-NO"
    alternative = next(p for p in msg.walk() if p.get_content_type() == "multipart/alternative")
    assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain", "text/html", "text/calendar"]
    assert part.get_param("method") == "REQUEST" == str(cal["METHOD"])
    assert part.get_content_charset() == "utf-8"
    text = msg.get_body(("plain",)).get_content()
    assert text.startswith("Innkalling til møte i Nettverk for menneskehandel")
    assert "**" not in text and "|" not in text  # plain text, not Markdown
    assert "<h1>Innkalling til møte i Nettverk for menneskehandel</h1>" in msg.get_body(("html",)).get_content()
    (attachment,) = list(msg.iter_attachments())
    assert attachment.get_filename() == "Innkalling 13. mai 2014.docx"
    word = docx.Document(__import__("io").BytesIO(attachment.get_content()))
    assert word.paragraphs[0].text == "Innkalling til møte i Nettverk for menneskehandel"
    ev = cal.walk("VEVENT")[0]
    assert str(ev["UID"]) == "trafficking-2014-05-13@hrcoord" and int(ev["SEQUENCE"]) == 0
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Oslo"]


def test_eml_dry_run_writes_nothing(repo_dir):
    before = (repo_dir / "data/meetings/trafficking/2014-05-13.md").read_bytes()
    r = invoke(["--repo", repo_dir, "meeting", "notice", *TRAFFICKING, "--eml", repo_dir / "x.eml", "--dry-run"])
    assert r.exit_code == 0 and "would write" in r.stderr
    assert not (repo_dir / "x.eml").exists()
    assert (repo_dir / "data/meetings/trafficking/2014-05-13.md").read_bytes() == before


def test_cancel_eml_carries_cancel(repo_dir):
    invoke(["--repo", repo_dir, "meeting", "notice", *TRAFFICKING])
    out = repo_dir / "avlysning.eml"
    r = invoke(["--repo", repo_dir, "meeting", "cancel", *TRAFFICKING, "-m", "2014-05-13", "--eml", out,
                "--reason", "Sykdom"])
    assert r.exit_code == 0, r.stderr
    msg, part, cal = parse_eml(out)
    assert part.get_param("method") == "CANCEL" == str(cal["METHOD"])
    assert msg["Subject"].startswith("Avlyst: Nettverk for menneskehandel, tirsdag 13. mai 2014")
    ev = cal.walk("VEVENT")[0]
    assert int(ev["SEQUENCE"]) == 1 and str(ev["STATUS"]) == "CANCELLED"
    assert "Årsak: Sykdom" in str(ev["DESCRIPTION"])
    assert all("RSVP" not in a.params for a in ev.get("ATTENDEE"))
    assert "Møtet tirsdag 13. mai 2014, kl. 10:00–12:00, er avlyst." in msg.get_body(("plain",)).get_content()
    # asked for again through `meeting notice`, the draft is still the cancellation
    again = repo_dir / "igjen.eml"
    r = invoke(["--repo", repo_dir, "meeting", "notice", *TRAFFICKING, "-m", "2014-05-13", "--eml", again])
    assert r.exit_code == 0, r.stderr
    msg, part, _ = parse_eml(again)
    assert part.get_param("method") == "CANCEL" and msg["Subject"].startswith("Avlyst:")


def test_eml_library_refuses_a_method_that_differs_from_the_calendar():
    from hrcoord.render import eml, ics

    start = ics.local(dt.date(2014, 5, 13), "10:00")
    cal = ics.invitation(uid="u@x", summary="Møte", start=start, end=start + dt.timedelta(hours=1),
                         organizer=ics.Person("K", "k@udi.example"), attendees=[], method="REQUEST")
    with pytest.raises(ValueError):
        eml.build(eml.Draft(("K", "k@udi.example"), [], "S", "t", "<p>h</p>", cal, "CANCEL"))


# --- what a re-issue says ---------------------------------------------------------------------------------------
def test_reissue_says_which_items_came_and_went(repo_dir):
    from test_meetings import SUBMISSION

    from conftest import write

    assert invoke(["--repo", repo_dir, "meeting", "notice", *TRAFFICKING]).exit_code == 0
    write(repo_dir / "data/submissions/trafficking/2014-04-03-rma-ny.yaml",
          SUBMISSION.format(dept="RMA", title="Sen sak", status="accepted"))
    path = repo_dir / "data/measures/trafficking-2011-2014/tiltak-7.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  - date: 2014-04-02\n    status: completed\n    by: K\n",
                    encoding="utf-8")
    r = invoke(["--repo", repo_dir, "meeting", "agenda", *TRAFFICKING, "--rebuild", "--write"])
    assert r.exit_code == 0, r.stderr
    r = invoke(["--repo", repo_dir, "meeting", "notice", *TRAFFICKING, "--ics", repo_dir / "n.ics"])
    assert r.exit_code == 0, r.stderr
    assert "Ny sak: Sak " in r.stdout and "Sen sak" in r.stdout
    assert "- Utgår: Tiltak 7: Opplæring (frist 30. juni 2014)" in r.stdout
    description = str(Calendar.from_ical((repo_dir / "n.ics").read_bytes()).walk("VEVENT")[0]["DESCRIPTION"])
    assert description.startswith("Endringer siden forrige innkalling:")
    # shown again later, unchanged: the same changes, nothing written
    before = (repo_dir / "data/meetings/trafficking/2014-05-13.md").read_bytes()
    again = invoke(["--repo", repo_dir, "meeting", "notice", *TRAFFICKING])
    assert "notice unchanged" in again.stderr and "Utgår: Tiltak 7" in again.stdout
    assert (repo_dir / "data/meetings/trafficking/2014-05-13.md").read_bytes() == before
    notices = Repository(repo_dir).records("meeting")["trafficking/2014-05-13"].get("notices")
    assert [n["sequence"] for n in notices] == [0, 1]


def test_notice_library_change_lines():
    from hrcoord.networks.documents import change_lines
    from hrcoord.networks.notice import changes_between

    old = {"date": "2014-05-13", "start": "09:00", "end": "11:30", "location": "Rom 1", "items": ["1/14 A", "2/14 B"]}
    new = {"date": "2014-05-13", "start": "13:00", "end": "15:00", "location": "Rom 2", "items": ["1/14 A", "2/14 C"]}
    assert change_lines(changes_between(old, new), "nb") == [
        "Tid: kl. 09:00–11:30 → kl. 13:00–15:00", "Sted: Rom 1 → Rom 2", "Ny sak: Sak 2/14 C", "Utgår: B"]
    assert change_lines(changes_between(old, new), "en")[0] == "Time: 09:00–11:30 → 13:00–15:00"
    assert changes_between(None, new) == [] and changes_between({"issued": "x"}, new) == []
