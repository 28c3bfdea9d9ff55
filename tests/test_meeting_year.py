"""A year of one network played through the commands only (issue 12 item 4): the network and its
members, an action plan and a measure, a year's plan of four meetings, submissions, notices with
invitations and e-mail drafts, a meeting moved after its notice went out, one cancelled and a
replacement planned, attendance, notes and decisions, follow-ups carried and closed, each meeting
held. No YAML is written by hand; `validate` is clean after every step.

Played on a repository from `hrcoord init` (the year 2025) and on the embedded one (2015, after
its 2014 records), through typer's CliRunner and, for some steps, a real process."""
from __future__ import annotations

import datetime as dt
import email
import json
from dataclasses import dataclass, field
from email import policy
from pathlib import Path

import pytest
from icalendar import Calendar

from conftest import invoke, run_process
from hrcoord.core.repo import Repository

NET = "trafficking"
CHAIR = "Koordinator for internasjonale menneskerettigheter"
MEMBERS = [("Seniorrådgiver, Asylavdelingen", "ASA", "mh-asa@udi.example"),
           ("Seniorrådgiver, Oppholdsavdelingen", "OPA", "mh-opa@udi.example"),
           ("Rådgiver, Region- og mottaksavdelingen", "RMA", "mh-rma@udi.example"),
           ("Observatør, Analyse- og utviklingsavdelingen", "AUA", None)]


@dataclass
class Year:
    root: Path
    year: int
    process: bool  # some steps as a real process
    events: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # UID -> (METHOD, SEQUENCE) sent
    count: int = 0

    def run(self, *args, real: bool = False) -> str:
        """One command; then `validate` must be clean. Returns stdout."""
        if real and self.process:
            p = run_process(["--repo", self.root, *args])
            code, out, err = p.returncode, p.stdout, p.stderr
        else:
            r = invoke(["--repo", self.root, *args])
            code, out, err = r.exit_code, r.stdout, r.stderr
        assert code == 0, (args, out, err)
        assert "Traceback" not in err
        check = invoke(["--repo", self.root, "validate"])
        assert check.exit_code == 0 and " 0 errors" in check.stderr, (args, check.stderr)
        return out

    def file(self, suffix: str) -> Path:
        self.count += 1
        return self.root / f"out-{self.count}{suffix}"

    def calendar(self, path: Path) -> Calendar:
        cal = Calendar.from_ical(path.read_bytes())
        ev = cal.walk("VEVENT")[0]
        self.events.setdefault(str(ev["UID"]), []).append((str(cal["METHOD"]), int(ev["SEQUENCE"])))
        return cal

    def eml(self, path: Path, method: str) -> email.message.EmailMessage:
        msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        parts = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
        assert len(parts) == 1 and parts[0].get_param("method") == method
        cal = Calendar.from_ical(parts[0].get_content())
        assert str(cal["METHOD"]) == method and msg["X-Unsent"] == "1"
        assert [a.get_content_type() for a in msg.iter_attachments()] == [
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"]
        return msg

    def notice(self, day: str, *, eml: bool = False) -> tuple[str, Calendar]:
        ics = self.file(".ics")
        args = ["meeting", "notice", "-n", NET, "-m", day, "--ics", ics]
        mail = self.file(".eml") if eml else None
        text = self.run(*args, *(["--eml", mail] if mail else []), real=eml)
        if mail is not None:
            msg = self.eml(mail, "REQUEST")
            assert msg.get_body(("plain",)).get_content().startswith("Innkalling til møte i")
        return text, self.calendar(ics)

    def meeting(self, day: str):
        return Repository(self.root).records("meeting")[f"{NET}/{day}"]

    def submission(self, sid: str):
        return Repository(self.root).records("submission")[sid]

    def agenda(self, day: str) -> list[dict]:
        return list(self.meeting(day).get("agenda") or [])

    def item(self, day: str, source_start: str) -> str:
        return next(i["number"] for i in self.agenda(day) if i["source"].startswith(source_start))

    def hold(self, day: str, notes: dict[str, tuple[str, str | None]], *attend: str) -> None:
        """Attendance, a note (and a decision) per item, then held."""
        self.run("meeting", "attend", "-n", NET, "-m", day, "--all", "--referent", CHAIR, *attend)
        for number, (text, decision) in notes.items():
            self.run("meeting", "note", "-n", NET, "-m", day, "--item", number, "--text", text,
                     *(["--decision", decision] if decision else []))
        self.run("meeting", "held", "-n", NET, "-m", day, real=True)


def working_day_after(day: dt.date, days: int) -> dt.date:
    from hrcoord.networks.plan import avoid_reason

    out = day + dt.timedelta(days=days)
    while avoid_reason(out) is not None:
        out += dt.timedelta(days=7)
    return out


def set_up_empty(y: Year) -> None:
    y.run("network", "add", NET, "--name-nb", "Nettverk for menneskehandel", "--name-en",
          "Network on trafficking in human beings", "--field", "trafficking", "--chair", CHAIR,
          "--chair-email", "koordinator@udi.example", "--weekday", "tuesday", "--start", "9:00", "--end", "11:30",
          "--location", "UDI, Hausmanns gate 21, Oslo", real=True)
    for name, dept, mail in MEMBERS:
        y.run("network", "member", "add", "-n", NET, "--name", name, "--department", dept,
              *(["--email", mail] if mail else []), *(["--role", "observer"] if mail is None else []))
    y.run("network", "member", "update", "-n", NET, MEMBERS[0][0], "--stand-in", "Rådgiver, Asylavdelingen")


def set_up_embedded(y: Year) -> None:
    y.run("network", "member", "add", "-n", NET, "--name", MEMBERS[3][0], "--department", "AUA", "--role", "observer")


@pytest.fixture(params=["init", "embedded"])
def year(request, empty_repo, scratch_repo) -> Year:
    if request.param == "init":
        y = Year(empty_repo, 2025, process=True)
        set_up_empty(y)
    else:
        y = Year(scratch_repo, 2015, process=False)
        set_up_embedded(y)
    plan = f"hm-{y.year}"
    y.run("plan", "add", "--id", plan, "--title-nb", "Handlingsplan mot menneskehandel (prøve)", "--ministry",
          "Justis- og beredskapsdepartementet", "--from", str(y.year), "--to", str(y.year + 3), "--network", NET)
    y.run("measure", "add", "--plan", plan, "--number", "Tiltak 1", "--title", "Opplæring av ansatte i mottak",
          "--role", "lead", "--department", "RMA", "--network", NET, "--deadline", f"{y.year}-10-31",
          "--date", f"{y.year}-01-05")
    return y


def test_a_year_of_one_network(year):
    y = year
    yy = f"{y.year % 100:02d}"
    proposals = json.loads(y.run("meeting", "plan", "-n", NET, "--year", str(y.year), "-f", "json"))
    y.run("meeting", "plan", "-n", NET, "--year", str(y.year), "--write")
    q1, q2, q3, q4 = (p["date"] for p in proposals)
    assert all(p["date"] for p in proposals)

    # --- Q1: a submission, the notice with its e-mail draft, the meeting, a follow-up ---------------------
    d = dt.date.fromisoformat(q1) - dt.timedelta(days=20)
    sid = f"{NET}/" + y.run("meeting", "submit", "-n", NET, "--department", "ASA", "--title",
                            "Identifisering i Dublin-saker: felles rutine", "--submitted-by", MEMBERS[0][0],
                            "--date", d.isoformat()).strip().split("/", 1)[1]
    y.run("meeting", "accept", sid.split("/", 1)[1], "-n", NET)
    text, cal = y.notice(q1, eml=True)
    assert f"| 1/{yy} | Godkjenning av innkalling og saksliste |" in text
    first_meeting = y.root.name == "empty"
    assert ("Godkjenning av referat fra forrige møte" in text) is not first_meeting
    assert ("Referatet fra forrige møte følger vedlagt" in text) is not first_meeting
    assert y.submission(sid).get("status") == "scheduled"
    sub_item = y.item(q1, "submission:")
    y.hold(q1, {"1": ("Innkalling og saksliste: godkjent.", "Innkalling og saksliste godkjennes."),
                sub_item: ("ASA la fram saken. Nettverket drøftet: rutine trengs.", "ASA lager utkast.")},
           "--stand-in", f"Rådgiver, Oppholdsavdelingen for {MEMBERS[1][0]}")
    y.run("meeting", "followup", "add", "-n", NET, "-m", q1, "--text", "ASA lager utkast til felles rutine.",
          "--owner", "ASA", "--due", q2)
    assert y.submission(sid).get("status") == "handled" and y.meeting(q1).get("status") == "held"
    minutes = y.run("meeting", "minutes", "-n", NET, "-m", q1)
    assert "**Vedtak:** ASA lager utkast." in minutes
    assert f"(p.v.a. {MEMBERS[1][0]})" in minutes and f"**Referent:** {CHAIR}" in minutes
    assert "| 1 | ASA lager utkast til felles rutine. | ASA |" in minutes

    # --- Q2: the notice goes out, then the meeting moves: same UID, SEQUENCE 1, the change said ------------
    _, cal = y.notice(q2)
    uid2 = str(cal.walk("VEVENT")[0]["UID"])
    moved = working_day_after(dt.date.fromisoformat(q2), 7).isoformat()
    y.run("meeting", "move", "-n", NET, "-m", q2, "--to", moved, "--start", "13:00", "--end", "15:00")
    assert not (y.root / f"data/meetings/{NET}/{q2}.md").exists()
    m = y.meeting(moved)
    assert m.get("uid") == uid2 and m.get("sequence") == 1 and m.get("agenda_status") == "amended"
    text, cal = y.notice(moved, eml=True)
    assert "Endringer siden forrige innkalling" in text and "→ kl. 13:00–15:00" in text
    ev = cal.walk("VEVENT")[0]
    assert str(ev["UID"]) == uid2 and int(ev["SEQUENCE"]) == 1 and ev.decoded("DTSTART").hour == 13
    carried = y.item(moved, "follow-up:")
    y.hold(moved, {carried: ("ASA la fram utkastet.", "Rutinen tas i bruk.")}, "--absent", MEMBERS[2][0])
    y.run("meeting", "followup", "done", "1", "-n", NET, "-m", q1, "--date", moved)
    y.run("meeting", "followup", "add", "-n", NET, "-m", moved, "--text", "RMA melder tilbake om opplæringen.",
          "--owner", "RMA")
    assert y.meeting(q1).get("follow_ups")[0]["done"] == moved

    # --- Q3: notified, then cancelled; its submission goes to the replacement -----------------------------
    d = dt.date.fromisoformat(q3) - dt.timedelta(days=14)
    sid3 = f"{NET}/" + y.run("meeting", "submit", "-n", NET, "--department", "OPA", "--title",
                             "Refleksjonsperiode i praksis", "--by", MEMBERS[1][0],
                             "--date", d.isoformat()).strip().split("/", 1)[1]
    y.run("meeting", "accept", sid3, real=True)
    _, cal = y.notice(q3)
    uid3 = str(cal.walk("VEVENT")[0]["UID"])
    assert y.submission(sid3).get("status") == "scheduled"
    ics, mail = y.file(".ics"), y.file(".eml")
    cancelled = y.run("meeting", "cancel", "-n", NET, "-m", q3, "--reason", "For få kunne delta.",
                      "--ics", ics, "--eml", mail, real=True)
    assert "er avlyst" in cancelled and "For få kunne delta." in cancelled
    ev = y.calendar(ics).walk("VEVENT")[0]
    assert str(ev["UID"]) == uid3 and int(ev["SEQUENCE"]) == 1 and str(ev["STATUS"]) == "CANCELLED"
    y.eml(mail, "CANCEL")
    assert y.submission(sid3).get("status") == "accepted"
    replacement = working_day_after(dt.date.fromisoformat(q3), 14).isoformat()
    y.run("meeting", "new", "-n", NET, "--date", replacement, real=True)
    _, cal = y.notice(replacement, eml=True)
    uid_r = str(cal.walk("VEVENT")[0]["UID"])
    assert uid_r != uid3
    assert y.item(replacement, f"submission:{sid3.split('/', 1)[1]}")
    y.hold(replacement, {y.item(replacement, "submission:"): ("OPA orienterte.", None)})
    assert y.submission(sid3).get("status") == "handled" and y.submission(sid3).get("meeting") == replacement

    # --- Q4: the follow-up is carried, closed, reopened and closed; the meeting is held -------------------
    _, cal = y.notice(q4)
    open_item = y.item(q4, f"follow-up:{moved}/")
    y.hold(q4, {open_item: ("RMA: opplæringen er gjennomført.", None)})
    y.run("meeting", "followup", "done", "1", "-n", NET, "-m", moved, "--date", q4)
    y.run("meeting", "followup", "reopen", "1", "-n", NET, "-m", moved)
    y.run("meeting", "followup", "done", "f1", "-n", NET, "-m", moved, "--date", q4)

    # --- the year in the files -----------------------------------------------------------------------------------
    meetings = {m.id: m for k, m in Repository(y.root).records("meeting").items()
                if k.startswith(f"{NET}/") and m.id.startswith(str(y.year))}
    assert sorted(meetings) == sorted([q1, moved, q3, replacement, q4])
    assert [meetings[d].get("status") for d in (q1, moved, q3, replacement, q4)] == \
        ["held", "held", "cancelled", "held", "held"]
    numbers = [int(i["number"].split("/")[0]) for d in (q1, moved, replacement, q4) for i in meetings[d].get("agenda")]
    assert numbers == list(range(1, len(numbers) + 1))  # Sak N/YY runs on through the year
    assert all(i["number"].endswith(f"/{yy}") for d in (q1, moved, replacement, q4) for i in meetings[d].get("agenda"))
    assert y.events == {
        str(meetings[q1].get("uid")): [("REQUEST", 0)],
        uid2: [("REQUEST", 0), ("REQUEST", 1)],
        uid3: [("REQUEST", 0), ("CANCEL", 1)],
        uid_r: [("REQUEST", 0)],
        str(meetings[q4].get("uid")): [("REQUEST", 0)],
    }
    assert uid2 == f"{NET}-{q2}@hrcoord"  # the moved meeting kept the UID of the day it was planned for
    check = invoke(["--repo", y.root, "meeting", "check", "--year", str(y.year), "--network", NET, "-f", "json"])
    assert check.exit_code == 0 and json.loads(check.stdout)[0]["held"] == 4
    out = y.root / "referat.docx"
    y.run("meeting", "minutes", "-n", NET, "-m", q4, "-f", "docx", "-o", out)
    import docx

    assert any("Vedtak" in p.text or "Referat" in p.text for p in docx.Document(str(out)).paragraphs)
