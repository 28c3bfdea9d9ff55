"""Network meetings (issue 4): agenda compilation and numbering, notice with iCalendar invitation,
minutes, the four-a-year check, planning, submissions, Word documents.

Most tests build their own repository (from `hrcoord init`) with exactly the records they need:
a network, an earlier held meeting whose stored agenda ends at Sak 7/14 and has an open and a
closed follow-up, a planned meeting, submissions, measures and summaries."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from conftest import invoke, run_process, stamp_reviews, write
from hrcoord.core.repo import Repository

NETWORK = """\
slug: trafficking
name_nb: Nettverk for menneskehandel
name_en: Network on trafficking in human beings
field: [trafficking]
chair: Koordinator for internasjonale menneskerettigheter
chair_email: koordinator@udi.example
weekday: tuesday
start: "10:00"
end: "12:00"
location: UDI, Hausmanns gate 21, Oslo
members:
  - name: Seniorrådgiver, Asylavdelingen
    department: ASA
    email: mh-asa@udi.example
  - name: Seniorrådgiver, Oppholdsavdelingen
    department: OPA
    role: member
    email: mh-opa@udi.example
  - name: Rådgiver, Region- og mottaksavdelingen
    department: RMA
    email: mh-rma@udi.example
  - name: Observatør uten e-post, Region- og mottaksavdelingen
    department: RMA
    role: observer
"""

STANDING_NB = ["Godkjenning av innkalling og saksliste", "Godkjenning av referat fra forrige møte",
               "Runde fra avdelingene", "Status for handlingsplanene", "Eventuelt"]
STANDING_EN = ["Approval of the notice and agenda", "Approval of the minutes of the last meeting",
               "Round of the departments", "Status of the action plans", "Any other business"]


def _stored_agenda(first: int, last: int, yy: str = "14") -> str:
    titles = STANDING_NB[:2] + [f"Sak om tema {n}" for n in range(first + 2, last - 2)] + STANDING_NB[2:]
    lines = ["agenda:"]
    for n, title in zip(range(first, last + 1), titles, strict=False):
        lines += [f"  - number: {n}/{yy}", f"    title: {title}", "    kind: orientering",
                  "    presenter: Koordinator for internasjonale menneskerettigheter", "    source: standing"]
    lines[-1] = "    source: standing\n    notes: Ingen saker.\n    decision: Tatt til orientering."
    return "\n".join(lines) + "\n"


HELD = """\
---
network: trafficking
date: 2014-02-11
start: "10:00"
end: "12:00"
location: UDI, Hausmanns gate 21, Oslo
status: held
agenda_status: final
sequence: 0
{agenda}attendance:
  present:
    - Seniorrådgiver, Asylavdelingen
    - Koordinator for internasjonale menneskerettigheter
  absent:
    - Seniorrådgiver, Oppholdsavdelingen
  deputies:
    - name: Rådgiver, Oppholdsavdelingen
      for: Seniorrådgiver, Oppholdsavdelingen
  minute_taker: Koordinator for internasjonale menneskerettigheter
follow_ups:
  - id: f1
    text: ASA skriver notat om identifisering i Dublin-saker.
    owner: ASA
    due: 2014-04-30
    done: false
  - id: f2
    text: OPA sender statistikk til koordinator.
    owner: OPA
    due: 2014-03-01
    done: 2014-03-01
---
Møtet ble ledet av koordinator.
"""

PLANNED = """\
---
network: trafficking
date: {date}
start: "10:00"
end: "12:00"
location: UDI, Hausmanns gate 21, Oslo
status: planned
agenda_status: draft
sequence: 0
---
"""

PLAN = """\
id: trafficking-2011-2014
title_nb: Sammen mot menneskehandel (2011–2014)
title_en: United against human trafficking (2011–2014)
ministry: Justis- og politidepartementet
period_from: 2011
period_to: 2014
fields: [trafficking]
"""

MEASURE = """\
plan: trafficking-2011-2014
number: {number}
title: {title}
role: contributor
department: {dept}
{network}deadline: {deadline}
log:
  - date: 2011-03-01
    status: in-progress
    by: Koordinator
{extra}"""

JUDGMENT = """\
---
title: {title}
body: ECtHR
doc_type: judgment
reference: "{ref}"
date: 2010-01-07
articles: [ECHR 4]
relevance: [{relevance}]
status: {status}
{published}access: {access}
---

## Sammendrag

Tekst.

## Betydning for UDI

Tekst.
"""

SUBMISSION = """\
network: trafficking
department: {dept}
submitted_by: Seniorrådgiver
date: 2014-04-01
title: {title}
kind: drøfting
status: {status}
"""


def build(root: Path) -> Path:
    """The records the agenda draws on (see the module docstring)."""
    d = root / "data"
    write(d / "networks" / "trafficking.yaml", NETWORK)
    write(d / "meetings" / "trafficking" / "2014-02-11.md", HELD.format(agenda=_stored_agenda(1, 7)))
    write(d / "meetings" / "trafficking" / "2014-05-13.md", PLANNED.format(date="2014-05-13"))
    write(d / "action-plans" / "trafficking-2011-2014.yaml", PLAN)
    m = d / "measures" / "trafficking-2011-2014"
    write(m / "tiltak-6.yaml", MEASURE.format(
        number="Tiltak 6", title="Tilstandsrapport om menneskehandel", dept="OPA", network="network: trafficking\n",
        deadline="2014-12-31",
        extra="  - date: 2014-01-20\n    status: delayed\n    note: Forsinket.\n    by: Koordinator\n"))
    write(m / "tiltak-7.yaml", MEASURE.format(  # due before the following meeting (+3 months)
        number="Tiltak 7", title="Opplæring", dept="RMA", network="", deadline="2014-06-30", extra=""))
    write(m / "tiltak-8.yaml", MEASURE.format(  # completed: not on the agenda
        number="Tiltak 8", title="Ferdig tiltak", dept="ASA", network="network: trafficking\n",
        deadline="2014-05-01",
        extra="  - date: 2013-05-01\n    status: completed\n    by: Koordinator\n"))
    write(m / "tiltak-9.yaml", MEASURE.format(  # in progress, due long after: not on the agenda
        number="Tiltak 9", title="Langsiktig tiltak", dept="ASA", network="network: trafficking\n",
        deadline="2016-12-31", extra=""))
    j = d / "judgments"
    write(j / "2010" / "rantsev-v-cyprus-and-russia-2010.md", JUDGMENT.format(
        title="Rantsev v. Cyprus and Russia", ref="25965/04", relevance="trafficking", status="published",
        published="published: 2014-03-04\n", access="public"))
    write(j / "2010" / "old-trafficking-2010.md", JUDGMENT.format(  # published before the last meeting
        title="Old v. Norway", ref="11111/04", relevance="trafficking", status="published",
        published="published: 2014-01-15\n", access="public"))
    write(j / "2010" / "internal-trafficking-2010.md", JUDGMENT.format(
        title="Internal v. Norway", ref="22222/04", relevance="trafficking", status="published",
        published="published: 2014-03-05\n", access="internal"))
    write(j / "2010" / "asylum-only-2010.md", JUDGMENT.format(
        title="Asylum v. Norway", ref="33333/04", relevance="asylum", status="published",
        published="published: 2014-03-06\n", access="public"))
    write(j / "2010" / "draft-trafficking-2010.md", JUDGMENT.format(
        title="Draft v. Norway", ref="44444/04", relevance="trafficking", status="draft", published="",
        access="public"))
    s = d / "submissions" / "trafficking"
    write(s / "2014-04-01-asa-dublin.yaml", SUBMISSION.format(dept="ASA", title="Identifisering i Dublin-saker",
                                                              status="accepted"))
    write(s / "2014-04-01-opa-proposed.yaml", SUBMISSION.format(dept="OPA", title="Bare foreslått",
                                                                status="proposed"))
    write(s / "2014-04-01-rma-rejected.yaml", SUBMISSION.format(dept="RMA", title="Avvist sak", status="rejected")
          + "reason: Enkeltsak.\n")
    stamp_reviews(root)
    return root


@pytest.fixture
def repo_dir(empty_repo) -> Path:
    return build(empty_repo)


def agenda_json(repo_dir, *extra) -> dict:
    r = invoke(["--repo", repo_dir, "meeting", "agenda", "--network", "trafficking", "--format", "json", *extra])
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


# --- the agenda --------------------------------------------------------------------------------------
def test_built_repository_is_valid(repo_dir):
    from hrcoord.core.validate import validate

    errors = [p.render() for p in validate(Repository(repo_dir)).problems
              if p.severity == "error" and p.code not in ("HR205",)]  # published test summaries lack stamps
    assert errors == []


def test_agenda_draws_on_every_source_and_numbers_on(repo_dir):
    data = agenda_json(repo_dir)
    assert data["meeting"] == "2014-05-13"  # the next planned meeting
    assert data["stored"] is False
    items = data["items"]
    sources = [i["source"] for i in items]
    numbers = [i["number"] for i in items]
    assert numbers[0] == "8/14"  # the earlier meeting stored 1/14 … 7/14
    assert numbers == [f"{n}/14" for n in range(8, 8 + len(items))]
    assert [i["title"] for i in items if i["source"] == "standing"] == STANDING_NB
    assert sources[:2] == ["standing", "standing"] and sources[-3:] == ["standing"] * 3
    assert "submission:2014-04-01-asa-dublin" in sources
    assert "submission:2014-04-01-opa-proposed" not in sources
    assert "submission:2014-04-01-rma-rejected" not in sources
    assert "follow-up:2014-02-11/f1" in sources and "follow-up:2014-02-11/f2" not in sources
    assert "measure:trafficking-2011-2014/tiltak-6" in sources  # delayed
    assert "measure:trafficking-2011-2014/tiltak-7" in sources  # no network: the plan's field; due before next
    assert "measure:trafficking-2011-2014/tiltak-8" not in sources  # completed
    assert "measure:trafficking-2011-2014/tiltak-9" not in sources  # not due yet
    assert "judgment:rantsev-v-cyprus-and-russia-2010" in sources
    for absent in ("old-trafficking-2010", "internal-trafficking-2010", "asylum-only-2010", "draft-trafficking-2010"):
        assert f"judgment:{absent}" not in sources
    by_source = {i["source"]: i for i in items}
    assert by_source["submission:2014-04-01-asa-dublin"]["presenter"] == "ASA"
    assert by_source["submission:2014-04-01-asa-dublin"]["kind"] == "drøfting"
    assert "forsinket" in by_source["measure:trafficking-2011-2014/tiltak-6"]["title"]
    assert all(i["kind"] in ("orientering", "drøfting", "beslutning") for i in items)
    assert all(i["presenter"] for i in items)


def test_agenda_markdown_is_the_default(repo_dir):
    r = invoke(["--repo", repo_dir, "meeting", "agenda", "--network", "trafficking"])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("# Saksliste – Nettverk for menneskehandel")
    assert "| 8/14 | Godkjenning av innkalling og saksliste | beslutning |" in r.stdout
    assert "Nytt sammendrag: Rantsev v. Cyprus and Russia" in r.stdout
    assert "tirsdag 13. mai 2014" in r.stdout


def test_agenda_write_fixes_numbers_schedules_submissions_and_next_meeting_goes_on(repo_dir):
    r = invoke(["--repo", repo_dir, "meeting", "agenda", "-n", "trafficking", "--write", "-f", "json"])
    assert r.exit_code == 0, r.stderr
    written = json.loads(r.stdout)
    assert written["stored"] is True
    repo = Repository(repo_dir)
    meeting = repo.records("meeting")["trafficking/2014-05-13"]
    assert [i["number"] for i in meeting.get("agenda")] == [i["number"] for i in written["items"]]
    assert meeting.get("agenda_status") == "draft"
    sub = repo.records("submission")["trafficking/2014-04-01-asa-dublin"]
    assert sub.get("status") == "scheduled" and sub.get("meeting") == "2014-05-13"
    # the stored agenda is shown as stored, even when new material arrives
    write(repo_dir / "data" / "submissions" / "trafficking" / "2014-04-02-asa-ny.yaml",
          SUBMISSION.format(dept="ASA", title="Ny sak etter lagring", status="accepted"))
    again = agenda_json(repo_dir)
    assert again["stored"] is True and again["items"] == written["items"]
    # a later meeting of the year numbers on from the stored agenda
    write(repo_dir / "data" / "meetings" / "trafficking" / "2014-09-09.md", PLANNED.format(date="2014-09-09"))
    later = agenda_json(repo_dir, "--meeting", "2014-09-09")
    last = int(written["items"][-1]["number"].split("/")[0])
    assert later["items"][0]["number"] == f"{last + 1}/14"
    assert "submission:2014-04-02-asa-ny" in [i["source"] for i in later["items"]]
    # the stored meeting and submission still validate
    assert invoke(["--repo", repo_dir, "validate", "data/meetings", "data/submissions"]).exit_code == 0


def test_agenda_numbering_restarts_in_a_new_year(repo_dir):
    write(repo_dir / "data" / "meetings" / "trafficking" / "2015-02-10.md", PLANNED.format(date="2015-02-10"))
    data = agenda_json(repo_dir, "--meeting", "2015-02-10")
    assert data["items"][0]["number"] == "1/15"


def test_agenda_library_level(repo_dir):
    from hrcoord.networks.agenda import compile_agenda
    from hrcoord.networks.meetings import find_meeting

    repo = Repository(repo_dir)
    meeting = find_meeting(repo, "trafficking")
    agenda = compile_agenda(repo, repo.network("trafficking"), meeting, "en")
    assert [i["title"] for i in agenda.items if i["source"] == "standing"] == STANDING_EN
    assert agenda.following == dt.date(2014, 8, 13)  # no later meeting: this one + 3 months
    assert agenda.previous.id == "2014-02-11"
    assert [s.id for s in agenda.scheduled] == ["2014-04-01-asa-dublin"]


def test_agenda_in_an_english_repository(tmp_path):
    from hrcoord.core.scaffold import init

    root = tmp_path / "en"
    init(root, "en", git=False)
    build(root)
    data = agenda_json(root)
    assert [i["title"] for i in data["items"] if i["source"] == "standing"] == STANDING_EN
    md = invoke(["--repo", root, "meeting", "agenda", "-n", "trafficking"]).stdout
    assert md.startswith("# Agenda – Network on trafficking in human beings")


def test_agenda_bad_arguments_exit_2_without_traceback(repo_dir):
    for args, needle in [
        (["--network", "nope"], "known networks: trafficking"),
        (["--network", "trafficking", "--meeting", "2014-02-30"], "--meeting"),
        (["--network", "trafficking", "--meeting", "2014-03-01"], "no meeting on 2014-03-01"),
        ([], "missing --network"),
    ]:
        r = invoke(["--repo", repo_dir, "meeting", "agenda", *args])
        assert r.exit_code == 2, (args, r.stdout, r.stderr)
        assert needle in r.stderr and "Traceback" not in r.stderr


def test_agenda_rebuild_after_notice_is_amended(repo_dir):
    assert invoke(["--repo", repo_dir, "meeting", "notice", "-n", "trafficking"]).exit_code == 0
    meeting = Repository(repo_dir).records("meeting")["trafficking/2014-05-13"]
    assert meeting.get("agenda_status") == "final" and meeting.get("status") == "notified"
    write(repo_dir / "data" / "submissions" / "trafficking" / "2014-04-03-rma-ny.yaml",
          SUBMISSION.format(dept="RMA", title="Sen sak", status="accepted"))
    r = invoke(["--repo", repo_dir, "meeting", "agenda", "-n", "trafficking", "--rebuild", "--write", "-f", "json"])
    assert r.exit_code == 0, r.stderr
    items = json.loads(r.stdout)["items"]
    assert "submission:2014-04-03-rma-ny" in [i["source"] for i in items]
    assert items[0]["number"] == "8/14"
    meeting = Repository(repo_dir).records("meeting")["trafficking/2014-05-13"]
    assert meeting.get("agenda_status") == "amended"
    r = invoke(["--repo", repo_dir, "meeting", "notice", "-n", "trafficking", "--ics", repo_dir / "n.ics"])
    assert r.exit_code == 0, r.stderr
    assert Repository(repo_dir).records("meeting")["trafficking/2014-05-13"].get("sequence") == 1


# --- meeting new ---------------------------------------------------------------------------------------
def test_meeting_new_and_its_refusals(repo_dir):
    base = ["--repo", repo_dir, "meeting", "new", "--network", "trafficking"]
    r = invoke([*base, "--date", "2014-09-09", "--start", "09:00", "--end", "11:30"])
    assert r.exit_code == 0, r.stderr
    rec = Repository(repo_dir).records("meeting")["trafficking/2014-09-09"]
    assert rec.get("status") == "planned" and rec.get("start") == "09:00" and rec.get("end") == "11:30"
    assert rec.get("location") == "UDI, Hausmanns gate 21, Oslo"
    same_day = invoke([*base, "--date", "2014-09-09"])
    assert same_day.exit_code == 2 and "already has a meeting on 2014-09-09" in same_day.stderr
    unknown = invoke(["--repo", repo_dir, "meeting", "new", "--network", "traficking", "--date", "2014-09-10"])
    assert unknown.exit_code == 2 and "known networks: trafficking" in unknown.stderr
    weekend = invoke([*base, "--date", "2014-09-13"])
    assert weekend.exit_code == 2 and "Saturday" in weekend.stderr
    for holiday in ("2015-04-06", "2014-05-29", "2014-05-01"):  # Easter Monday, Ascension, 1 May
        r = invoke([*base, "--date", holiday])
        assert r.exit_code == 2 and "public holiday" in r.stderr, (holiday, r.stderr)
    forced = invoke([*base, "--date", "2015-04-06", "--force"])
    assert forced.exit_code == 0, forced.stderr
    bad_time = invoke([*base, "--date", "2014-09-16", "--start", "25:00"])
    assert bad_time.exit_code == 2 and "--start" in bad_time.stderr
    dry = invoke([*base, "--date", "2014-09-16", "--dry-run"])
    assert dry.exit_code == 0 and "status: planned" in dry.stdout
    assert not (repo_dir / "data" / "meetings" / "trafficking" / "2014-09-16.md").exists()


# --- submissions ---------------------------------------------------------------------------------------
def test_submit_accept_reject_and_list(repo_dir):
    base = ["--repo", repo_dir, "meeting"]
    r = invoke([*base, "submit", "--network", "trafficking", "--department", "RMA", "--title",
                "Opplæring av mottaksansatte", "--kind", "orientering", "--date", "2014-04-10"])
    assert r.exit_code == 0, r.stderr
    sid = r.stdout.strip().split("/", 1)[1]
    assert sid.startswith("2014-04-10-rma-opplaering")
    rec = Repository(repo_dir).records("submission")[f"trafficking/{sid}"]
    assert rec.get("status") == "proposed" and rec.get("kind") == "orientering"
    bad_dept = invoke([*base, "submit", "--network", "trafficking", "--department", "XYZ", "--title", "x"])
    assert bad_dept.exit_code == 2 and "unknown department" in bad_dept.stderr
    no_title = invoke([*base, "submit", "--network", "trafficking", "--department", "RMA"])
    assert no_title.exit_code == 2 and "--title" in no_title.stderr
    assert invoke([*base, "accept", sid]).exit_code == 0
    assert Repository(repo_dir).records("submission")[f"trafficking/{sid}"].get("status") == "accepted"
    assert sid in [i["source"].split(":", 1)[1] for i in agenda_json(repo_dir)["items"]
                   if i["source"].startswith("submission:")]
    no_reason = invoke([*base, "reject", "2014-04-01-opa-proposed"])
    assert no_reason.exit_code == 2 and "--reason" in no_reason.stderr
    assert invoke([*base, "reject", "trafficking/2014-04-01-opa-proposed", "--reason", "Enkeltsak"]).exit_code == 0
    rec = Repository(repo_dir).records("submission")["trafficking/2014-04-01-opa-proposed"]
    assert rec.get("status") == "rejected" and rec.get("reason") == "Enkeltsak"
    twice = invoke([*base, "reject", "2014-04-01-opa-proposed", "--reason", "igjen"])
    assert twice.exit_code == 2
    listed = invoke([*base, "submissions", "--network", "trafficking", "--status", "rejected", "-f", "json"])
    assert {s["id"] for s in json.loads(listed.stdout)} == {"2014-04-01-opa-proposed", "2014-04-01-rma-rejected"}


# --- the notice and its invitation --------------------------------------------------------------------
def _ics(path: Path):
    from icalendar import Calendar

    cal = Calendar.from_ical(path.read_bytes())
    events = cal.walk("VEVENT")
    assert len(events) == 1
    return cal, events[0]


def test_notice_ics_attendees_timezone_uid_and_sequence(repo_dir):
    ics = repo_dir / "x.ics"
    r = invoke(["--repo", repo_dir, "meeting", "notice", "--network", "trafficking", "--ics", ics])
    assert r.exit_code == 0, r.stderr
    raw = ics.read_text(encoding="utf-8")
    assert "DTSTART;TZID=Europe/Oslo:20140513T100000" in raw
    cal, ev = _ics(ics)
    assert str(cal["METHOD"]) == "REQUEST"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Oslo"]
    assert ev["DTSTART"].params["TZID"] == "Europe/Oslo"
    assert ev.decoded("DTSTART") == dt.datetime(2014, 5, 13, 10, 0, tzinfo=ev.decoded("DTSTART").tzinfo)
    assert ev.decoded("DTSTART").utcoffset() == dt.timedelta(hours=2)  # CEST
    attendees = ev.get("ATTENDEE")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert sorted(str(a) for a in attendees) == ["mailto:mh-asa@udi.example", "mailto:mh-opa@udi.example",
                                                  "mailto:mh-rma@udi.example"]  # one per member with an e-mail
    assert str(ev["ORGANIZER"]) == "mailto:koordinator@udi.example"
    uid = str(ev["UID"])
    assert uid == "trafficking-2014-05-13@hrcoord"
    assert int(ev["SEQUENCE"]) == 0
    assert "Sak 8/14" in str(ev["DESCRIPTION"])
    meeting = Repository(repo_dir).records("meeting")["trafficking/2014-05-13"]
    assert meeting.get("status") == "notified" and meeting.get("agenda_status") == "final"
    assert meeting.get("agenda")[0]["number"] == "8/14"  # the notice fixes the numbers

    # issued again unchanged: same SEQUENCE
    assert invoke(["--repo", repo_dir, "meeting", "notice", "-n", "trafficking", "--ics", ics]).exit_code == 0
    assert int(_ics(ics)[1]["SEQUENCE"]) == 0

    # the time changes: same UID, SEQUENCE raised
    from hrcoord.core import records

    repo = Repository(repo_dir)
    rec = repo.records("meeting")["trafficking/2014-05-13"]
    records.update(repo, rec, {**rec.data, "start": "12:00", "end": "14:00"})
    r = invoke(["--repo", repo_dir, "meeting", "notice", "-n", "trafficking", "--meeting", "2014-05-13",
                "--ics", ics])
    assert r.exit_code == 0, r.stderr
    _, ev = _ics(ics)
    assert str(ev["UID"]) == uid
    assert int(ev["SEQUENCE"]) == 1
    assert ev.decoded("DTSTART").hour == 12
    assert "Endret innkalling" in r.stdout
    assert Repository(repo_dir).records("meeting")["trafficking/2014-05-13"].get("sequence") == 1


def test_notice_dry_run_records_nothing(repo_dir):
    before = (repo_dir / "data" / "meetings" / "trafficking" / "2014-05-13.md").read_bytes()
    r = invoke(["--repo", repo_dir, "meeting", "notice", "-n", "trafficking", "--dry-run"])
    assert r.exit_code == 0, r.stderr
    assert (repo_dir / "data" / "meetings" / "trafficking" / "2014-05-13.md").read_bytes() == before


def test_notice_document_content(repo_dir):
    r = invoke(["--repo", repo_dir, "meeting", "notice", "-n", "trafficking"])
    assert r.exit_code == 0, r.stderr
    text = r.stdout
    assert text.startswith("# Innkalling til møte i Nettverk for menneskehandel")
    assert "tirsdag 13. mai 2014" in text and "kl. 10:00–12:00" in text
    assert "UDI, Hausmanns gate 21, Oslo" in text
    assert "| Seniorrådgiver, Asylavdelingen | Asylavdelingen (ASA) | medlem |" in text
    assert "observatør" in text
    # a role title inside a sentence is written as running text
    assert "Forfall meldes til koordinator for internasjonale menneskerettigheter (koordinator@udi.example)" in text
    assert "innen tirsdag 6. mai 2014" in text  # 7 days before (settings defaults.submission_deadline_days)
    assert "## Sakspapirer" in text
    assert "| 8/14 |" in text
    html = invoke(["--repo", repo_dir, "meeting", "notice", "-n", "trafficking", "-f", "html", "--lang", "en"])
    assert html.exit_code == 0 and "<h1>Notice of meeting: Network on trafficking in human beings</h1>" in html.stdout
    assert "Tuesday 6 May 2014" in html.stdout


def test_notice_escapes_html(repo_dir):
    write(repo_dir / "data" / "submissions" / "trafficking" / "2014-04-04-asa-x.yaml",
          SUBMISSION.format(dept="ASA", title="<script>alert(1)</script>", status="accepted"))
    r = invoke(["--repo", repo_dir, "meeting", "notice", "-n", "trafficking", "-f", "html", "--dry-run"])
    assert r.exit_code == 0, r.stderr
    assert "<script>alert" not in r.stdout and "&lt;script&gt;" in r.stdout


def test_notice_without_organiser_email_is_a_clear_error(repo_dir):
    path = repo_dir / "data" / "networks" / "trafficking.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("chair_email: koordinator@udi.example\n", ""),
                    encoding="utf-8")
    r = invoke(["--repo", repo_dir, "meeting", "notice", "-n", "trafficking", "--ics", repo_dir / "x.ics",
                "--dry-run"])
    assert r.exit_code == 1 and "chair_email" in r.stderr


# --- minutes -------------------------------------------------------------------------------------------
def test_minutes(repo_dir):
    r = invoke(["--repo", repo_dir, "meeting", "minutes", "--network", "trafficking", "--meeting", "2014-02-11"])
    assert r.exit_code == 0, r.stderr
    text = r.stdout
    assert text.startswith("# Referat fra møte i Nettverk for menneskehandel")
    assert "**Sted:** UDI, Hausmanns gate 21, Oslo" in text and "tirsdag 11. februar 2014" in text
    assert ("**Til stede:** Seniorrådgiver, Asylavdelingen; Koordinator for internasjonale menneskerettigheter"
            in text)
    assert "**Forfall:** Seniorrådgiver, Oppholdsavdelingen" in text
    assert "Rådgiver, Oppholdsavdelingen (p.v.a. Seniorrådgiver, Oppholdsavdelingen)" in text
    assert "**Referent:** Koordinator for internasjonale menneskerettigheter" in text
    assert "### Sak 7/14 Eventuelt" in text
    assert "**Vedtak:** Tatt til orientering." in text
    # follow-ups are numbered for people (1, 2), not shown by id; one date style throughout
    assert "| 1 | ASA skriver notat om identifisering i Dublin-saker. | ASA | 30. april 2014 | åpen |" in text
    assert "| 2 | OPA sender statistikk til koordinator. | OPA | 1. mars 2014 | 1. mars 2014 |" in text
    assert "f1" not in text and not re.search(r"\d\d\.\d\d\.\d{4}", text)
    assert "Møtet ble ledet av koordinator." in text
    missing = invoke(["--repo", repo_dir, "meeting", "minutes", "--network", "trafficking"])
    assert missing.exit_code == 2 and "--meeting" in missing.stderr


# --- Word documents ------------------------------------------------------------------------------------
@pytest.mark.parametrize("command,extra", [("agenda", []), ("notice", []),
                                           ("minutes", ["--meeting", "2014-02-11"])])
def test_docx_opens_and_holds_the_agenda_table(repo_dir, command, extra):
    import docx

    out = repo_dir / f"{command}.docx"
    r = invoke(["--repo", repo_dir, "meeting", command, "-n", "trafficking", "-f", "docx", "-o", out, *extra])
    assert r.exit_code == 0, r.stderr
    doc = docx.Document(str(out))
    assert doc.paragraphs[0].style.name == "Title"
    tables = [t for t in doc.tables if [c.text for c in t.rows[0].cells] == ["Sak", "Sak-tittel", "Type", "Ansvarlig"]]
    assert len(tables) == 1
    rows = [[c.text for c in row.cells] for row in tables[0].rows[1:]]
    first = "Sak 1/14" if command == "minutes" else "Sak 8/14"
    assert rows[0][0] == first
    assert rows[0][1].startswith("Godkjenning av innkalling og saksliste")
    assert rows[-1][1].startswith("Eventuelt")
    if command == "minutes":
        assert any("Vedtak" in p.text for p in doc.paragraphs)
        assert any([c.text for c in t.rows[0].cells][:2] == ["Nr.", "Oppgave"] for t in doc.tables)


# --- the four-a-year check ------------------------------------------------------------------------------
def _held(root: Path, slug: str, dates: list[str], status: str = "held"):
    for d in dates:
        write(root / "data" / "meetings" / slug / f"{d}.md",
              PLANNED.format(date=d).replace("network: trafficking", f"network: {slug}")
              .replace("status: planned", f"status: {status}"))


def test_check_exits_1_when_a_network_falls_short_in_a_finished_year(repo_dir):
    second = NETWORK.replace("slug: trafficking", "slug: fgm").replace("Nettverk for menneskehandel", "Nettverk FGM")
    write(repo_dir / "data" / "networks" / "fgm.yaml", second)
    _held(repo_dir, "trafficking", ["2013-02-12", "2013-05-14", "2013-09-10", "2013-11-12"])
    _held(repo_dir, "fgm", ["2013-02-13", "2013-05-15", "2013-09-11"])  # three
    _held(repo_dir, "fgm", ["2013-11-13"], status="cancelled")
    r = invoke(["--repo", repo_dir, "meeting", "check", "--year", "2013", "--format", "json"])
    assert r.exit_code == 1
    data = {c["network"]: c for c in json.loads(r.stdout)}
    assert data["fgm"]["held"] == 3 and data["fgm"]["status"] == "short"
    assert data["fgm"]["quarters"]["Q4"]["cancelled"] == 1 and data["fgm"]["quarters"]["Q4"]["held"] == 0
    assert data["trafficking"]["held"] == 4 and data["trafficking"]["status"] == "ok"
    assert "fgm: 3 meetings held in 2013; the minimum is 4" in r.stderr
    ok = invoke(["--repo", repo_dir, "meeting", "check", "--year", "2013", "--network", "trafficking"])
    assert ok.exit_code == 0 and "trafficking" in ok.stdout
    # the same shortfall in a year not yet over is not a failure
    r = invoke(["--repo", repo_dir, "meeting", "check", "--year", "2013", "--today", "2013-10-01", "-f", "json"])
    assert r.exit_code == 0
    assert {c["network"]: c["status"] for c in json.loads(r.stdout)}["fgm"] == "at-risk"


def test_check_as_a_real_process(repo_dir):
    _held(repo_dir, "trafficking", ["2013-02-12", "2013-05-14", "2013-09-10"])
    p = run_process(["--repo", repo_dir, "meeting", "check", "--year", "2013"])
    assert p.returncode == 1, p.stderr
    assert "trafficking: 3 meetings held in 2013" in p.stderr and "Traceback" not in p.stderr


def test_check_on_the_embedded_repository(scratch_repo):
    nets = sorted(p.stem for p in (scratch_repo / "data" / "networks").glob("*.yaml"))
    if not nets:
        pytest.skip("the embedded repository has no networks yet")
    r = invoke(["--repo", scratch_repo, "meeting", "check", "--year", "2014", "-f", "json"])
    data = {c["network"]: c for c in json.loads(r.stdout)}
    assert sorted(data) == nets
    for slug in nets:  # counted independently from the files
        held = sum(1 for f in (scratch_repo / "data" / "meetings" / slug).glob("2014-*.md")
                   if re.search(r"^status: held$", f.read_text(encoding="utf-8"), re.M))
        assert data[slug]["held"] == held
    assert r.exit_code == (1 if any(c["held"] < 4 for c in data.values()) else 0)


# --- planning ------------------------------------------------------------------------------------------
def test_plan_2015_four_working_days_clear_of_holidays(repo_dir):
    import holidays

    r = invoke(["--repo", repo_dir, "meeting", "plan", "--network", "trafficking", "--year", "2015", "-f", "json"])
    assert r.exit_code == 0, r.stderr
    proposals = json.loads(r.stdout)
    assert [p["quarter"] for p in proposals] == ["Q1", "Q2", "Q3", "Q4"]
    dates = [dt.date.fromisoformat(p["date"]) for p in proposals]
    norway = holidays.Norway(years=2015)
    assert dt.date(2015, 4, 2) in norway and dt.date(2015, 4, 6) in norway  # Easter 2015 is known
    for d, q in zip(dates, range(1, 5), strict=True):
        assert d.weekday() < 5 and d not in norway
        assert d.weekday() == 1  # the network's usual Tuesday
        assert (d.month - 1) // 3 + 1 == q
        assert d.month != 7 and not (dt.date(2015, 3, 29) <= d <= dt.date(2015, 4, 6))  # not July, not Easter week
        assert not (d.month == 12 and d.day >= 21)
    assert all(p["start"] == "10:00" and p["end"] == "12:00" for p in proposals)
    table = invoke(["--repo", repo_dir, "meeting", "plan", "--network", "trafficking", "--year", "2015"])
    assert table.exit_code == 0 and all(d.isoformat() in table.stdout for d in dates)
    w = invoke(["--repo", repo_dir, "meeting", "plan", "--network", "trafficking", "--year", "2015", "--write"])
    assert w.exit_code == 0, w.stderr
    meetings = Repository(repo_dir).records("meeting")
    for d in dates:
        assert meetings[f"trafficking/{d.isoformat()}"].get("status") == "planned"
    again = json.loads(invoke(["--repo", repo_dir, "meeting", "plan", "-n", "trafficking", "-y", "2015",
                               "-f", "json"]).stdout)
    assert [p["date"] for p in again] == [None] * 4 and all(p["existing"] for p in again)


def test_plan_library_avoids_easter_week_and_busy_days(repo_dir):
    from hrcoord.networks.plan import avoid_reason, plan_year

    assert avoid_reason(dt.date(2015, 3, 31)) == "Easter week"  # Tuesday of Holy Week
    assert avoid_reason(dt.date(2015, 4, 2)).startswith("public holiday")
    assert avoid_reason(dt.date(2015, 5, 15)) == "squeezed between a holiday and the weekend"  # after Ascension
    assert avoid_reason(dt.date(2015, 7, 14)) == "summer holiday (July)"
    assert avoid_reason(dt.date(2015, 12, 22)) == "Christmas and New Year weeks"
    assert avoid_reason(dt.date(2015, 2, 17)) is None
    repo = Repository(repo_dir)
    first = plan_year(repo, "trafficking", 2015)[0].date
    # another network's meeting that day: the coordinator is busy, so another Tuesday is proposed
    second = NETWORK.replace("slug: trafficking", "slug: fgm")
    write(repo_dir / "data" / "networks" / "fgm.yaml", second)
    _held(repo_dir, "fgm", [first], status="planned")
    moved = plan_year(Repository(repo_dir), "trafficking", 2015)[0].date
    assert moved != first and dt.date.fromisoformat(moved).weekday() == 1
    # an afternoon meeting of another network that day does not clash with a morning one
    write(repo_dir / "data" / "meetings" / "fgm" / f"{moved}.md",
          PLANNED.format(date=moved).replace("network: trafficking", "network: fgm")
          .replace('start: "10:00"', 'start: "13:00"').replace('end: "12:00"', 'end: "15:00"'))
    assert plan_year(Repository(repo_dir), "trafficking", 2015)[0].date == moved


def test_agenda_on_the_embedded_repository(scratch_repo):
    """Issue 4's first "done when": on data/, the trafficking agenda holds every kind of item and
    numbers on from the network's previous meeting of the year."""
    repo = Repository(scratch_repo)
    if "trafficking" not in repo.networks():
        pytest.skip("the embedded repository has no trafficking network yet")
    r = invoke(["--repo", scratch_repo, "meeting", "agenda", "--network", "trafficking", "-f", "json"])
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    kinds = {i["source"].split(":", 1)[0] for i in data["items"]}
    assert kinds == {"standing", "submission", "follow-up", "measure", "judgment"}
    assert any("forsinket" in i["title"] for i in data["items"] if i["source"].startswith("measure:"))
    year = data["date"][:4]
    earlier = [m for k, m in repo.records("meeting").items()
               if k.startswith("trafficking/") and year == m.id[:4] and m.id < data["date"]]
    last = max(int(str(i["number"]).split("/")[0]) for m in earlier for i in m.get("agenda") or [])
    assert data["items"][0]["number"] == f"{last + 1}/{year[2:]}"


def test_notice_dry_run_writes_no_invitation(tmp_path):
    """--dry-run writes nothing: neither the meeting record nor the .ics file."""
    from conftest import ROOT, invoke

    before = {p: p.read_bytes() for p in (ROOT / "data/meetings/trafficking").glob("*.md")}
    target = tmp_path / "x.ics"
    r = invoke(["--repo", ROOT, "meeting", "notice", "--network", "trafficking", "--ics", target, "--dry-run"])
    assert r.exit_code == 0, r.stderr
    assert not target.exists() and "would write" in r.stderr
    assert {p: p.read_bytes() for p in (ROOT / "data/meetings/trafficking").glob("*.md")} == before
