"""Every change a meeting goes through has a command (issue 12): move, cancel, attend, note,
follow-ups, held; networks, members and action plans. Each validates before it writes, keeps
YAML comments, takes --dry-run and refuses what does not fit the record's state — leaving every
file byte for byte as it was."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from test_meetings import PLANNED, build

from conftest import invoke, run_process, write
from hrcoord.core.repo import Repository

TRAFFICKING = ["--network", "trafficking"]


def files(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted((root / "data").rglob("*")) if p.is_file()}


def run(root: Path, *args, ok: bool = True, env: dict | None = None):
    r = invoke(["--repo", root, *args], env=env)
    if ok:
        assert r.exit_code == 0, (args, r.stdout, r.stderr)
    return r


def meeting(root: Path, day: str):
    return Repository(root).records("meeting")[f"trafficking/{day}"]


def agenda_sources(root: Path) -> list[str]:
    data = json.loads(run(root, "meeting", "agenda", *TRAFFICKING, "-f", "json").stdout)
    return [i["source"] for i in data["items"]]


def assert_valid(root: Path) -> None:
    """No errors in the records the commands touch (the test summaries lack review stamps)."""
    r = invoke(["--repo", root, "validate", root / "data/meetings", root / "data/submissions", root / "data/networks"])
    assert r.exit_code == 0, r.stderr


def refused(root: Path, args: list, needle: str, code: int = 2) -> None:
    """The command fails with `code`, says `needle`, shows no traceback and changes no file."""
    before = files(root)
    r = invoke(["--repo", root, *args])
    assert r.exit_code == code, (args, r.stdout, r.stderr)
    assert needle in r.stderr, (needle, r.stderr)
    assert "Traceback" not in r.stderr
    assert files(root) == before, args


@pytest.fixture
def repo_dir(empty_repo) -> Path:
    return build(empty_repo)


# --- move ----------------------------------------------------------------------------------------------
def test_move_renames_keeps_uid_raises_sequence_and_takes_its_submissions_along(repo_dir):
    run(repo_dir, "meeting", "notice", *TRAFFICKING, "--ics", repo_dir / "first.ics")
    sub = Repository(repo_dir).records("submission")["trafficking/2014-04-01-asa-dublin"]
    assert sub.get("status") == "scheduled" and sub.get("meeting") == "2014-05-13"
    r = run(repo_dir, "meeting", "move", *TRAFFICKING, "--meeting", "2014-05-13", "--to", "2014-05-20",
            "--start", "9:00", "--end", "11:30")
    assert "removed data/meetings/trafficking/2014-05-13.md" in r.stderr
    assert not (repo_dir / "data/meetings/trafficking/2014-05-13.md").exists()
    moved = meeting(repo_dir, "2014-05-20")
    assert moved.get("uid") == "trafficking-2014-05-13@hrcoord"  # the calendar identity stays
    assert moved.get("sequence") == 1 and moved.get("agenda_status") == "amended"
    assert moved.get("start") == "09:00" and moved.get("end") == "11:30" and moved.get("date") == "2014-05-20"
    sub = Repository(repo_dir).records("submission")["trafficking/2014-04-01-asa-dublin"]
    assert sub.get("meeting") == "2014-05-20"
    assert "send the change" in r.stderr
    # the re-issue uses the raised SEQUENCE once, and says what changed
    notice = run(repo_dir, "meeting", "notice", *TRAFFICKING, "--ics", repo_dir / "second.ics")
    assert "- Dato: tirsdag 13. mai 2014 → tirsdag 20. mai 2014" in notice.stdout
    assert "- Tid: kl. 10:00–12:00 → kl. 09:00–11:30" in notice.stdout
    assert "Endret innkalling (versjon 2)" in notice.stdout
    from icalendar import Calendar

    first = Calendar.from_ical((repo_dir / "first.ics").read_bytes()).walk("VEVENT")[0]
    second = Calendar.from_ical((repo_dir / "second.ics").read_bytes()).walk("VEVENT")[0]
    assert str(first["UID"]) == str(second["UID"]) == "trafficking-2014-05-13@hrcoord"
    assert (int(first["SEQUENCE"]), int(second["SEQUENCE"])) == (0, 1)
    assert second.decoded("DTSTART").date() == dt.date(2014, 5, 20) and second.decoded("DTSTART").hour == 9
    assert meeting(repo_dir, "2014-05-20").get("sequence") == 1
    assert_valid(repo_dir)


def test_move_time_only_and_follow_up_sources_follow_a_moved_meeting(repo_dir):
    # a planned meeting that an agenda item of a later meeting names as a follow-up source
    later = PLANNED.format(date="2014-09-09").replace("sequence: 0\n", (
        "sequence: 0\nagenda:\n  - number: 20/14\n    title: Oppfølging\n    kind: orientering\n"
        "    source: follow-up:2014-05-13/f1\n"))
    write(repo_dir / "data/meetings/trafficking/2014-09-09.md", later)
    run(repo_dir, "meeting", "move", *TRAFFICKING, "-m", "2014-05-13", "--to", "2014-05-27")
    item = meeting(repo_dir, "2014-09-09").get("agenda")[0]
    assert item["source"] == "follow-up:2014-05-27/f1"
    run(repo_dir, "meeting", "move", *TRAFFICKING, "-m", "2014-05-27", "--location", "Møterom 3")
    m = meeting(repo_dir, "2014-05-27")
    assert m.get("location") == "Møterom 3" and m.get("uid") == "trafficking-2014-05-13@hrcoord"


def test_move_refusals_leave_every_file_as_it_was(repo_dir):
    base = ["meeting", "move", *TRAFFICKING]
    refused(repo_dir, [*base, "-m", "2014-05-13", "--to", "2014-05-17"], "Saturday")
    refused(repo_dir, [*base, "-m", "2014-05-13", "--to", "2014-05-29"], "public holiday")
    refused(repo_dir, [*base, "-m", "2014-05-13", "--to", "2014-02-11"], "already has a meeting on 2014-02-11")
    refused(repo_dir, [*base, "-m", "2014-02-11", "--to", "2014-02-18"], "is held; it cannot be moved")
    refused(repo_dir, [*base, "-m", "2014-05-13"], "nothing to change")
    refused(repo_dir, [*base, "-m", "2014-05-13", "--start", "25:00"], "--start must be a time HH:MM")
    refused(repo_dir, [*base, "-m", "2014-05-13", "--start", "13:00"], "end 12:00 is not after start 13:00", code=1)
    refused(repo_dir, [*base, "-m", "2014-05-14", "--to", "2014-05-20"], "no meeting on 2014-05-14")
    run(repo_dir, "meeting", "agenda", *TRAFFICKING, "--write")
    refused(repo_dir, [*base, "-m", "2014-05-13", "--to", "2015-01-13"], "cannot move into 2015")
    before = files(repo_dir)
    dry = run(repo_dir, *base, "-m", "2014-05-13", "--to", "2014-05-20", "--dry-run")
    assert "would remove data/meetings/trafficking/2014-05-13.md" in dry.stderr
    assert files(repo_dir) == before


# --- cancel -------------------------------------------------------------------------------------------------
def test_cancel_sends_cancel_with_the_same_uid_and_releases_submissions(repo_dir):
    run(repo_dir, "meeting", "notice", *TRAFFICKING, "--ics", repo_dir / "n.ics")
    r = run(repo_dir, "meeting", "cancel", *TRAFFICKING, "-m", "2014-05-13", "--reason", "For få kan delta.",
            "--ics", repo_dir / "c.ics")
    text = r.stdout
    assert text.startswith("# Avlysning av møte i Nettverk for menneskehandel")
    assert "Møtet tirsdag 13. mai 2014, kl. 10:00–12:00, er avlyst." in text
    assert "**Årsak:** For få kan delta." in text
    assert "Saker som var meldt inn til møtet, tas opp på neste møte." in text
    m = meeting(repo_dir, "2014-05-13")
    assert m.get("status") == "cancelled" and m.get("cancel_reason") == "For få kan delta."
    assert [n["method"] for n in m.get("notices")] == ["REQUEST", "CANCEL"]
    from icalendar import Calendar

    cal = Calendar.from_ical((repo_dir / "c.ics").read_bytes())
    ev = cal.walk("VEVENT")[0]
    assert str(cal["METHOD"]) == "CANCEL" and str(ev["STATUS"]) == "CANCELLED"
    assert str(ev["UID"]) == "trafficking-2014-05-13@hrcoord" and int(ev["SEQUENCE"]) == 1
    sub = Repository(repo_dir).records("submission")["trafficking/2014-04-01-asa-dublin"]
    assert sub.get("status") == "accepted" and sub.get("meeting") is None  # the next agenda takes it up
    run(repo_dir, "meeting", "new", *TRAFFICKING, "--date", "2014-05-27")
    agenda = json.loads(run(repo_dir, "meeting", "agenda", *TRAFFICKING, "-f", "json").stdout)
    assert agenda["meeting"] == "2014-05-27"
    assert "submission:2014-04-01-asa-dublin" in [i["source"] for i in agenda["items"]]
    refused(repo_dir, ["meeting", "cancel", *TRAFFICKING, "-m", "2014-05-13"], "is cancelled; it cannot be cancelled")
    refused(repo_dir, ["meeting", "cancel", *TRAFFICKING, "-m", "2014-02-11"], "is held; it cannot be cancelled")
    for fmt, needle in (("html", "<p class=\"cancelled\">"), ("json", '"status": "cancelled"')):
        shown = run(repo_dir, "meeting", "notice", *TRAFFICKING, "-m", "2014-05-13", "-f", fmt)
        assert "nothing recorded" in shown.stderr and needle in shown.stdout
    before = files(repo_dir)
    run(repo_dir, "meeting", "notice", *TRAFFICKING, "-m", "2014-05-13", "--ics", repo_dir / "again.ics")
    assert str(Calendar.from_ical((repo_dir / "again.ics").read_bytes())["METHOD"]) == "CANCEL"
    assert files(repo_dir) == before


def test_cancel_docx_and_dry_run(repo_dir):
    import docx

    before = files(repo_dir)
    r = run(repo_dir, "meeting", "cancel", *TRAFFICKING, "-m", "2014-05-13", "--dry-run", "--ics", repo_dir / "x.ics")
    assert "would write" in r.stderr and not (repo_dir / "x.ics").exists()
    assert files(repo_dir) == before
    out = repo_dir / "avlysning.docx"
    run(repo_dir, "meeting", "cancel", *TRAFFICKING, "-m", "2014-05-13", "-f", "docx", "-o", out)
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Avlysning av møte i Nettverk for menneskehandel" in text
    assert "Møtet tirsdag 13. mai 2014, kl. 10:00–12:00, er avlyst." in text


# --- attendance, notes, follow-ups, held --------------------------------------------------------------------------
def test_attend_present_absent_stand_in_referent(repo_dir):
    day = ["-m", "2014-02-11"]
    r = run(repo_dir, "meeting", "attend", *TRAFFICKING, *day, "--all",
            "--stand-in", "Vikar, Region- og mottaksavdelingen for Rådgiver, Region- og mottaksavdelingen",
            "--absent", "observatør uten e-post, region- og mottaksavdelingen",  # case as typed
            "--referent", "Seniorrådgiver, Asylavdelingen")
    att = meeting(repo_dir, "2014-02-11").get("attendance")
    assert att["present"] == ["Seniorrådgiver, Asylavdelingen", "Koordinator for internasjonale menneskerettigheter",
                              "Seniorrådgiver, Oppholdsavdelingen"]
    assert att["absent"] == ["Rådgiver, Region- og mottaksavdelingen",
                             "Observatør uten e-post, Region- og mottaksavdelingen"]
    assert {"name": "Vikar, Region- og mottaksavdelingen", "for": "Rådgiver, Region- og mottaksavdelingen"} \
        in att["deputies"]
    assert att["minute_taker"] == "Seniorrådgiver, Asylavdelingen"
    assert "warning" not in r.stderr
    # a role title holding "for" is split where the member is named
    run(repo_dir, "meeting", "attend", *TRAFFICKING, *day, "--stand-in",
        "Rådgiver for mottak for Seniorrådgiver, Oppholdsavdelingen")
    att = meeting(repo_dir, "2014-02-11").get("attendance")
    assert {"name": "Rådgiver for mottak", "for": "Seniorrådgiver, Oppholdsavdelingen"} in att["deputies"]
    assert "Seniorrådgiver, Oppholdsavdelingen" in att["absent"]
    assert "Seniorrådgiver, Oppholdsavdelingen" not in att["present"]
    # someone not in the network is recorded as given, with a warning
    r = run(repo_dir, "meeting", "attend", *TRAFFICKING, *day, "--present", "Gjest fra politiet")
    assert "'Gjest fra politiet' is not a member" in r.stderr
    minutes = run(repo_dir, "meeting", "minutes", *TRAFFICKING, *day).stdout
    assert "Vikar, Region- og mottaksavdelingen (p.v.a. Rådgiver, Region- og mottaksavdelingen)" in minutes
    refused(repo_dir, ["meeting", "attend", *TRAFFICKING, *day], "nothing to record")
    refused(repo_dir, ["meeting", "attend", *TRAFFICKING, *day, "--stand-in", "Noen"], "--stand-in 'Noen'")


def test_note_and_decision_keep_comments_and_survive_colons(repo_dir):
    path = repo_dir / "data/meetings/trafficking/2014-02-11.md"
    path.write_text(path.read_text(encoding="utf-8").replace("status: held\n", "status: held  # ført av koordinator\n"),
                    encoding="utf-8")
    note = "ASA: ny rutine fra 1. mars. OPA: ingen merknader # ikke en kommentar"
    run(repo_dir, "meeting", "note", *TRAFFICKING, "-m", "2014-02-11", "--item", "Sak 3/14", "--text", note,
        "--decision", "Rutinen tas i bruk: fra 1. mars.")
    text = path.read_text(encoding="utf-8")
    assert "status: held  # ført av koordinator" in text  # the comment stays
    item = meeting(repo_dir, "2014-02-11").get("agenda")[2]
    assert item["number"] == "3/14" and item["notes"] == note and item["decision"] == "Rutinen tas i bruk: fra 1. mars."
    run(repo_dir, "meeting", "note", *TRAFFICKING, "-m", "2014-02-11", "--item", "3", "--text", "Tillegg.", "--append")
    assert meeting(repo_dir, "2014-02-11").get("agenda")[2]["notes"] == note + "\n\nTillegg."
    notes_file = repo_dir / "note.md"
    notes_file.write_text("Fra fil:\n\n- punkt én\n- punkt to\n", encoding="utf-8")
    run(repo_dir, "meeting", "note", *TRAFFICKING, "-m", "2014-02-11", "--item", "4/14", "--file", notes_file)
    assert meeting(repo_dir, "2014-02-11").get("agenda")[3]["notes"] == "Fra fil:\n\n- punkt én\n- punkt to"
    minutes = run(repo_dir, "meeting", "minutes", *TRAFFICKING, "-m", "2014-02-11").stdout
    assert "**Vedtak:** Rutinen tas i bruk: fra 1. mars." in minutes
    assert_valid(repo_dir)
    refused(repo_dir, ["meeting", "note", *TRAFFICKING, "-m", "2014-02-11", "--item", "99/14", "--text", "x"],
            "has no item 99/14")
    refused(repo_dir, ["meeting", "note", *TRAFFICKING, "-m", "2014-02-11", "--item", "x", "--text", "x"],
            "--item must be an item number")
    refused(repo_dir, ["meeting", "note", *TRAFFICKING, "-m", "2014-05-13", "--item", "1", "--text", "x"],
            "no stored agenda")
    refused(repo_dir, ["meeting", "note", *TRAFFICKING, "-m", "2014-02-11", "--item", "1"], "nothing to record")


def test_note_from_standard_input_as_a_real_process(repo_dir):
    p = run_process(["--repo", repo_dir, "meeting", "note", *TRAFFICKING, "-m", "2014-02-11", "--item", "2/14",
                     "--file", "-"], input="Referatet: godkjent uten merknader.\n")
    assert p.returncode == 0, p.stderr
    assert meeting(repo_dir, "2014-02-11").get("agenda")[1]["notes"] == "Referatet: godkjent uten merknader."


def test_follow_ups_add_done_reopen_and_carry(repo_dir):
    base = ["meeting", "followup"]
    day = ["-m", "2014-02-11"]
    r = run(repo_dir, *base, "add", *TRAFFICKING, *day, "--text", "RMA kartlegger rutiner: alle mottak.",
            "--owner", "RMA", "--due", "2014-06-01")
    assert "follow-up 3" in r.stderr
    fus = meeting(repo_dir, "2014-02-11").get("follow_ups")
    assert fus[2] == {"id": "f3", "text": "RMA kartlegger rutiner: alle mottak.", "owner": "RMA", "due": "2014-06-01",
                      "done": False}
    sources = agenda_sources(repo_dir)
    assert "follow-up:2014-02-11/f3" in sources  # carried onto the next agenda
    run(repo_dir, *base, "done", "3", *TRAFFICKING, *day, "--date", "2014-03-20")
    assert meeting(repo_dir, "2014-02-11").get("follow_ups")[2]["done"] == "2014-03-20"
    sources = agenda_sources(repo_dir)
    assert "follow-up:2014-02-11/f3" not in sources
    refused(repo_dir, [*base, "done", "f3", *TRAFFICKING, *day], "was closed on 2014-03-20")
    run(repo_dir, *base, "reopen", "f3", *TRAFFICKING, *day)
    assert meeting(repo_dir, "2014-02-11").get("follow_ups")[2]["done"] is False
    refused(repo_dir, [*base, "reopen", "3", *TRAFFICKING, *day], "is open")
    refused(repo_dir, [*base, "done", "9", *TRAFFICKING, *day], "has no follow-up '9'; its follow-ups: 1 (f1)")
    refused(repo_dir, [*base, "done", "1", *TRAFFICKING, *day, "--date", "2014-01-01"], "must lie between")
    refused(repo_dir, [*base, "add", *TRAFFICKING, *day, "--text", "x", "--owner", "XYZ"], "unknown department 'XYZ'")
    refused(repo_dir, [*base, "add", *TRAFFICKING, *day, "--text", "x", "--owner", "ASA", "--due", "2014-01-01"],
            "is before the meeting")
    future = PLANNED.format(date="2099-02-10")
    write(repo_dir / "data/meetings/trafficking/2099-02-10.md", future)
    refused(repo_dir, [*base, "add", *TRAFFICKING, "-m", "2099-02-10", "--text", "x", "--owner", "ASA"],
            "is in the future")


def test_held_marks_placed_submissions_handled_and_refuses_the_future(repo_dir):
    write(repo_dir / "data/meetings/trafficking/2099-02-10.md", PLANNED.format(date="2099-02-10"))
    refused(repo_dir, ["meeting", "held", *TRAFFICKING, "-m", "2099-02-10"], "is in the future")
    refused(repo_dir, ["meeting", "held", *TRAFFICKING, "-m", "2014-02-11"], "is held; it cannot be held")
    # an agenda never stored is stored as compiled when the meeting is held
    r = run(repo_dir, "meeting", "held", *TRAFFICKING, "-m", "2014-05-13")
    assert "2014-04-01-asa-dublin: handled" in r.stderr
    m = meeting(repo_dir, "2014-05-13")
    assert m.get("status") == "held" and m.get("agenda") and m.get("agenda_status") == "final"
    sub = Repository(repo_dir).records("submission")["trafficking/2014-04-01-asa-dublin"]
    assert sub.get("status") == "handled" and sub.get("meeting") == "2014-05-13"
    assert_valid(repo_dir)


def test_a_meeting_held_in_the_future_is_an_error_at_its_line(repo_dir):
    write(repo_dir / "data/meetings/trafficking/2099-02-10.md",
          PLANNED.format(date="2099-02-10").replace("status: planned", "status: held"))
    r = invoke(["--repo", repo_dir, "validate", repo_dir / "data/meetings"])
    assert r.exit_code == 1
    assert "data/meetings/trafficking/2099-02-10.md:7:9: error HR106" in r.stderr
    assert "in the future; it cannot be held yet" in r.stderr


def test_cancelled_meeting_takes_no_minutes(repo_dir):
    run(repo_dir, "meeting", "cancel", *TRAFFICKING, "-m", "2014-05-13")
    for args in (["attend", "--present", "x"], ["followup", "add", "--text", "x", "--owner", "ASA"]):
        cmd = ["meeting", *args[:2], *TRAFFICKING, "-m", "2014-05-13", *args[2:]] if args[0] == "followup" \
            else ["meeting", args[0], *TRAFFICKING, "-m", "2014-05-13", *args[1:]]
        refused(repo_dir, cmd, "was cancelled")


# --- networks, members, plans ------------------------------------------------------------------------------------
def test_network_add_and_members(empty_repo):
    net = ["network", "add", "fgm", "--name-nb", "Nettverk for kjønnslemlestelse", "--name-en",
           "Network on female genital mutilation", "--field", "fgm", "--chair", "Koordinator",
           "--chair-email", "koordinator@udi.example", "--weekday", "wednesday", "--start", "9:00", "--end", "11:00"]
    run(empty_repo, *net)
    rec = Repository(empty_repo).network("fgm")
    assert rec.get("start") == "09:00" and rec.get("members") == [] and rec.get("field") == ["fgm"]
    refused(empty_repo, net, "exists already")
    refused(empty_repo, ["network", "add", "x", "--name-nb", "X", "--name-en", "X", "--field", "fgmm", "--chair", "K"],
            "unknown relevance area 'fgmm'; did you mean 'fgm'?")
    member = ["network", "member", "add", "-n", "fgm"]
    run(empty_repo, *member, "--name", "Seniorrådgiver, Oppholdsavdelingen", "--department", "OPA",
        "--email", "kl-opa@udi.example", "--stand-in", "Rådgiver, Oppholdsavdelingen")
    run(empty_repo, *member, "--name", "Rådgiver, Asylavdelingen", "--department", "ASA", "--role", "observer")
    refused(empty_repo, [*member, "--name", "rådgiver, asylavdelingen", "--department", "ASA"], "already has a member")
    refused(empty_repo, [*member, "--name", "X", "--department", "XYZ"], "unknown department 'XYZ'")
    refused(empty_repo, [*member, "--name", "X", "--department", "ASA", "--role", "boss"], "--role must be one of")
    refused(empty_repo, [*member, "--name", "X", "--department", "ASA", "--email", "nope"], "not an e-mail address")
    run(empty_repo, "network", "member", "update", "-n", "fgm", "rådgiver, asylavdelingen", "--email",
        "kl-asa@udi.example", "--role", "", "--rename", "Seniorrådgiver, Asylavdelingen")
    members = Repository(empty_repo).network("fgm").get("members")
    assert members[1] == {"name": "Seniorrådgiver, Asylavdelingen", "department": "ASA", "email": "kl-asa@udi.example"}
    assert members[0]["stand_in"] == "Rådgiver, Oppholdsavdelingen"
    refused(empty_repo, ["network", "member", "update", "-n", "fgm", "Ukjent"], "nothing to change")
    refused(empty_repo, ["network", "member", "remove", "-n", "fgm", "Ukjent"], "has no member 'Ukjent'")
    run(empty_repo, "network", "member", "remove", "-n", "fgm", "Seniorrådgiver, Asylavdelingen")
    assert [m["name"] for m in Repository(empty_repo).network("fgm").get("members")] == [
        "Seniorrådgiver, Oppholdsavdelingen"]
    shown = run(empty_repo, "network", "show", "fgm").stdout
    assert "Vara: Rådgiver, Oppholdsavdelingen" in shown
    assert run(empty_repo, "validate").exit_code == 0
    before = files(empty_repo)
    dry = run(empty_repo, *member, "--name", "Ny", "--department", "RMA", "--dry-run")
    assert "- name: Ny" in dry.stdout and files(empty_repo) == before


def test_plan_add(empty_repo):
    build(empty_repo)
    args = ["plan", "add", "--id", "trafficking-2015-2018", "--title-nb", "Handlingsplan mot menneskehandel",
            "--ministry", "Justis- og beredskapsdepartementet", "--from", "2015", "--to", "2018",
            "--network", "trafficking"]
    run(empty_repo, *args)
    plan = Repository(empty_repo).records("action-plan")["trafficking-2015-2018"]
    assert plan.get("fields") == ["trafficking"] and plan.get("period_to") == 2018
    refused(empty_repo, args, "exists already")
    refused(empty_repo, [*args[:2], "--id", "x", *args[4:12], "--network", "traficking"],
            "unknown network 'traficking'; did you mean 'trafficking'?")
    refused(empty_repo, [*args[:2], "--id", "y", *args[4:8], "--from", "2018", "--to", "2015", *args[12:]],
            "--to 2015 is before --from 2018")
    key = run(empty_repo, "measure", "add", "--plan", "trafficking-2015-2018", "--number", "Tiltak 1", "--title", "X",
              "--role", "lead", "--department", "RMA").stdout.strip()
    assert key == "trafficking-2015-2018/tiltak-1"


# --- small things people type ------------------------------------------------------------------------------------
def test_time_flags_take_a_single_digit_hour(repo_dir):
    run(repo_dir, "meeting", "new", *TRAFFICKING, "--date", "2014-09-09", "--start", "9:00", "--end", "11.30")
    m = meeting(repo_dir, "2014-09-09")
    assert (m.get("start"), m.get("end")) == ("09:00", "11:30")
    refused(repo_dir, ["meeting", "new", *TRAFFICKING, "--date", "2014-09-16", "--start", "9"],
            "--start must be a time")


@pytest.mark.parametrize("flag", ["--by", "--submitted-by"])
def test_submit_takes_by_and_submitted_by(repo_dir, flag):
    r = run(repo_dir, "meeting", "submit", *TRAFFICKING, "--department", "OPA", "--title", "Sak", flag,
            "Seniorrådgiver, Oppholdsavdelingen", "--date", "2014-04-20")
    sid = r.stdout.strip()
    assert Repository(repo_dir).records("submission")[sid].get("submitted_by") == "Seniorrådgiver, Oppholdsavdelingen"


def test_tables_fit_80_columns_with_a_header_over_every_column(scratch_repo):
    env = {"COLUMNS": "80"}
    for args in (["meeting", "submissions"], ["meeting", "check", "--year", "2014"],
                 ["meeting", "plan", "-n", "trafficking", "--year", "2015"], ["network", "list"],
                 ["network", "show", "human-rights"]):
        r = invoke(["--repo", scratch_repo, *args], env=env)
        assert r.exit_code in (0, 1), (args, r.stderr)
        lines = r.stdout.splitlines()
        assert lines and all(len(line) <= 80 for line in lines), (args, max(map(len, lines)))
    subs = invoke(["--repo", scratch_repo, "meeting", "submissions"], env=env).stdout
    assert subs.splitlines()[0] == "fgm"  # one table per network, its slug above it
    assert subs.splitlines()[1].split() == ["id", "dept", "status", "title"]
    assert "\n2014-08-28-opa-enkeltsak-refleksjonsperiode " in subs  # ids are never split
    check = invoke(["--repo", scratch_repo, "meeting", "check", "--year", "2014"], env=env).stdout
    assert check.splitlines()[1].split() == ["network", "Q1", "Q2", "Q3", "Q4", "held", "planned", "minimum", "status"]


def test_new_meeting_gets_a_uid_no_other_meeting_uses(repo_dir):
    run(repo_dir, "meeting", "move", *TRAFFICKING, "-m", "2014-05-13", "--to", "2014-05-20")
    run(repo_dir, "meeting", "new", *TRAFFICKING, "--date", "2014-05-13")
    assert meeting(repo_dir, "2014-05-13").get("uid") == "trafficking-2014-05-13-2@hrcoord"
    assert meeting(repo_dir, "2014-05-20").get("uid") == "trafficking-2014-05-13@hrcoord"


def test_submissions_scheduled_for_a_cancelled_meeting_library_level(repo_dir):
    from hrcoord.networks.lifecycle import cancel_meeting
    from hrcoord.networks.submissions import release

    run(repo_dir, "meeting", "agenda", *TRAFFICKING, "--write")
    repo = Repository(repo_dir)
    changes = release(repo, "trafficking", "2014-05-13")
    assert [c.path.name for c in changes] == ["2014-04-01-asa-dublin.yaml"]
    assert "status: accepted" in changes[0].text and "meeting:" not in changes[0].text
    outcome = cancel_meeting(repo, "trafficking", dt.date(2014, 5, 13), reason="x", dry_run=True)
    assert outcome.data["status"] == "cancelled" and outcome.sequence == 1
    assert meeting(repo_dir, "2014-05-13").get("status") == "planned"  # a dry run wrote nothing


def test_note_opens_the_editor_on_a_terminal(repo_dir, tmp_path, monkeypatch):
    import sys

    from hrcoord.cli import common

    script = tmp_path / "editor.py"
    script.write_text("import sys\nopen(sys.argv[1], 'w', encoding='utf-8').write('Skrevet i editoren: ja.\\n')\n",
                      encoding="utf-8")
    monkeypatch.setattr(common, "interactive", lambda: True)
    monkeypatch.setenv("EDITOR", f'"{sys.executable}" "{script}"')
    run(repo_dir, "meeting", "note", *TRAFFICKING, "-m", "2014-02-11", "--item", "5/14")
    assert meeting(repo_dir, "2014-02-11").get("agenda")[4]["notes"] == "Skrevet i editoren: ja."
