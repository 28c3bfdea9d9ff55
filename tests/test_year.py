"""A coordinator's real year on her own repository (issue 11): every step through real
subprocesses, in a repository made by `hrcoord init`, with HOME and the cache folder in a fresh
folder that the embedded repository has already been used in (the demo's commands run first).
Each step asserts on what a person would see, not only on exit codes."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

TODAY = "2026-12-01"


class Desk:
    """The coordinator's machine: her home folder, her repository, her git identity."""

    def __init__(self, tmp: Path):
        self.home = tmp / "home"
        self.home.mkdir()
        self.repo = tmp / "udi-menneskerettigheter"
        self.out = tmp / "out"
        self.out.mkdir()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "HRCOORD_"))}
        self.env.update({"HOME": str(self.home), "XDG_CACHE_HOME": str(self.home / ".cache"),
                         "XDG_CONFIG_HOME": str(self.home / ".config"), "NO_COLOR": "1", "COLUMNS": "100",
                         "GIT_CONFIG_GLOBAL": str(self.home / ".gitconfig"), "GIT_CONFIG_NOSYSTEM": "1"})
        self.git_global("user.name", "Kari Koordinator")
        self.git_global("user.email", "kari.koordinator@udi.example")
        self.git_global("commit.gpgsign", "false")
        self.git_global("init.defaultBranch", "main")

    def git_global(self, key: str, value: str) -> None:
        subprocess.run(["git", "config", "--global", key, value], env=self.env, check=True)

    def hrcoord(self, *args: str, repo: Path | None = None, ok: bool = True, env: dict | None = None,
                stdin: str | None = None) -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", "hrcoord", "--repo", str(repo or self.repo), *map(str, args)]
        proc = subprocess.run(cmd, capture_output=True, text=True, env={**self.env, **(env or {})}, input=stdin,
                              timeout=120)
        assert "Traceback" not in proc.stderr, proc.stderr
        if ok:
            assert proc.returncode == 0, f"{' '.join(map(str, args))}\n{proc.stderr}"
        return proc

    def git(self, *args: str, env: dict | None = None, ok: bool = True) -> subprocess.CompletedProcess:
        proc = subprocess.run(["git", *args], cwd=self.repo, capture_output=True, text=True,
                              env={**self.env, **(env or {})})
        if ok:
            assert proc.returncode == 0, proc.stderr
        return proc

    def summary(self, jid: str) -> Path:
        return next((self.repo / "data" / "judgments").rglob(f"{jid}.md"))

    def write_sections(self, jid: str, sammendrag: str, betydning: str) -> None:
        path = self.summary(jid)
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(## Sammendrag\n)(.*?)(?=\n## )", lambda m: m.group(1) + "\n" + sammendrag + "\n", text,
                      count=1, flags=re.S)
        text = re.sub(r"(## Betydning for UDI\n)(.*?)(?=\n## |\Z)", lambda m: m.group(1) + "\n" + betydning + "\n",
                      text, count=1, flags=re.S)
        path.write_text(text, encoding="utf-8")


# Three real summaries (facts as on HUDOC: application number, date, formation, articles).
CASES = [
    {"id": "nunez-v-norway-2011", "title": "Nunez v. Norway", "formation": "Chamber", "reference": "55597/09",
     "date": "2011-06-28", "respondent": "NO", "article": "ECHR 8", "outcome": "conditional-violation",
     "ecli": "ECLI:CE:ECHR:2011:0628JUD005559709", "relevance": "expulsion", "department": "OPA",
     "sammendrag": "Domstolen kom til at utvisning av en mor med to barn i Norge ville krenke retten til "
                   "familieliv, fordi barnas beste ikke var tillagt tilstrekkelig vekt.",
     "betydning": "Dommen viser hvilken vekt barnas tilknytning skal ha i saker om utvisning."},
    {"id": "butt-v-norway-2012", "title": "Butt v. Norway", "formation": "Chamber", "reference": "47017/09",
     "date": "2012-12-04", "respondent": "NO", "article": "ECHR 8", "outcome": "violation",
     "ecli": "ECLI:CE:ECHR:2012:1204JUD004701709", "relevance": "expulsion", "department": "OPA",
     "sammendrag": "Utvisning av to voksne søsken som hadde bodd i Norge siden barndommen, ville krenke "
                   "artikkel 8; deres sterke tilknytning veide tyngre enn hensynet til innvandringskontroll.",
     "betydning": "Lang botid fra barndommen må vurderes konkret, også der oppholdet bygde på uriktige "
                  "opplysninger."},
    {"id": "jeunesse-v-the-netherlands-2014", "title": "Jeunesse v. the Netherlands",
     "formation": "Grand Chamber", "reference": "12738/10", "date": "2014-10-03", "respondent": "NL",
     "article": "ECHR 8", "outcome": "violation", "ecli": "ECLI:CE:ECHR:2014:1003JUD001273810",
     "relevance": "family-immigration", "department": "OPA",
     "sammendrag": "Storkammeret fant at avslag på opphold for en mor til tre barn i Nederland krenket "
                   "artikkel 8, fordi myndighetene ikke hadde vurdert barnas beste godt nok.",
     "betydning": "Barnas beste skal vurderes konkret også når søkeren har oppholdt seg ulovlig i landet."},
]


def add_case(desk: Desk, case: dict) -> None:
    args = ["judgment", "add", "--title", case["title"], "--body", "ECtHR", "--doc-type", "judgment",
            "--formation", case["formation"], "--reference", case["reference"], "--date", case["date"],
            "--respondent", case["respondent"], "--article", case["article"], "--outcome", case["outcome"],
            "--ecli", case["ecli"], "--relevance", case["relevance"], "--department", case["department"],
            "--source-url", f"https://hudoc.echr.coe.int/eng?i=001-{abs(hash(case['id'])) % 900000 + 100000}"]
    proc = desk.hrcoord(*args)
    assert f"{case['id']}.md" in proc.stderr
    desk.write_sections(case["id"], case["sammendrag"], case["betydning"])


@pytest.fixture(scope="module")
def desk(tmp_path_factory) -> Desk:
    desk = Desk(tmp_path_factory.mktemp("year"))
    # the demo first, in the same home: the embedded repository's templates are compiled and cached
    embedded = desk.out / "embedded"
    embedded.mkdir()
    for name in ("hrcoord.yaml", "data", "templates"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, embedded / name)
    for args in (["validate"], ["judgment", "list", "--status", "published"],
                 ["meeting", "agenda", "--network", "trafficking"],
                 ["report", "action-plan", "--year", "2014", "--format", "html", "--out", desk.out / "demo.html"],
                 ["report", "quarterly", "--quarter", "2014-Q2", "--format", "html"],
                 ["publish", "--out", desk.out / "demo-portal"]):
        desk.hrcoord(*args, repo=embedded)
    assert any((desk.home / ".cache" / "hrcoord" / "templates").iterdir())
    proc = subprocess.run([sys.executable, "-m", "hrcoord", "init", str(desk.repo)], capture_output=True, text=True,
                          env=desk.env)
    assert proc.returncode == 0, proc.stderr
    return desk


def test_1_case_law_from_draft_to_portal(desk):
    for case in CASES:
        add_case(desk, case)
    again = desk.hrcoord("judgment", "add", "--title", "Nunez mot Norge", "--body", "ECtHR", "--doc-type", "judgment",
                         "--reference", "55597/09", "--date", "2011-06-28", "--article", "ECHR 8",
                         "--relevance", "expulsion", ok=False)
    assert again.returncode == 1 and "nunez-v-norway-2011.md" in again.stderr  # the duplicate is named
    listed = json.loads(desk.hrcoord("judgment", "list", "--format", "json").stdout)
    assert {s["id"] for s in listed} == {c["id"] for c in CASES}
    assert {s["status"] for s in listed} == {"draft"}
    for case in CASES:
        desk.hrcoord("judgment", "status", case["id"], "in-review")
        desk.hrcoord("judgment", "review", case["id"], "--by", "Fagansvarlig ASA")
        desk.hrcoord("judgment", "status", case["id"], "approved")
        desk.hrcoord("judgment", "status", case["id"], "published")
    check = desk.hrcoord("validate")
    assert re.search(r"files checked: 0 errors, 0 warnings", check.stderr), check.stderr
    site = desk.out / "portal"
    desk.hrcoord("publish", "--out", site)
    index = (site / "index.html").read_text(encoding="utf-8")
    for case in CASES:
        page = (site / "summaries" / f"{case['id']}.html").read_text(encoding="utf-8")
        assert case["title"] in page and case["reference"] in page
        assert case["sammendrag"][:40] in page
        assert case["title"] in index
    assert '<html lang="nb"' in index
    for page in [site / "index.html", site / "articles.html", *(site / "summaries").glob("*.html")]:
        assert "Traceback" not in page.read_text(encoding="utf-8")


def test_2_an_edit_after_review_is_caught_and_the_history_reads_well(desk):
    desk.git("add", "-A")
    desk.git("commit", "-q", "-m", "Tre sammendrag om utvisning og familieliv")
    first = desk.git("rev-parse", "HEAD").stdout.strip()
    path = desk.summary("butt-v-norway-2012")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("innvandringskontroll", "en effektiv innvandringskontroll"), encoding="utf-8")
    warned = desk.hrcoord("validate")
    assert "HR206" in warned.stderr and "butt-v-norway-2012" in warned.stderr
    diff = desk.hrcoord("diff", "butt-v-norway-2012")
    assert "innvandringskontroll" in diff.stdout and "en effektiv" in diff.stdout
    # git diff through the textconv driver that init wrote, from a PATH without the venv
    plain = desk.git("diff", env={"PATH": "/usr/bin:/bin"})
    assert "en effektiv innvandringskontroll" in plain.stdout
    assert "error: cannot run" not in plain.stderr and "not found" not in plain.stderr, plain.stderr
    # publish fails closed: the unreviewed edit does not go online, and the portal stays as it was
    before = (desk.out / "portal" / "summaries" / "butt-v-norway-2012.html").read_bytes()
    refused = desk.hrcoord("publish", "--out", desk.out / "portal", ok=False)
    assert refused.returncode == 1 and "butt-v-norway-2012" in refused.stderr, refused.stderr
    assert (desk.out / "portal" / "summaries" / "butt-v-norway-2012.html").read_bytes() == before
    assert b"en effektiv innvandringskontroll" not in before
    desk.hrcoord("judgment", "review", "butt-v-norway-2012", "--by", "Fagansvarlig ASA")
    desk.git("commit", "-q", "-am", "Butt: presisering etter gjennomgang")
    listed = desk.hrcoord("changes", "--since", first)
    assert "Butt v. Norway" in listed.stdout and "Ny" in listed.stdout and "Endret" in listed.stdout
    headings = [line for line in listed.stdout.splitlines() if line.startswith("## ")]
    assert len(headings) == 2 and "Butt: presisering etter gjennomgang" in headings[0]
    assert "tekst" in listed.stdout  # the text changed, said in Norwegian
    desk.hrcoord("publish", "--out", desk.out / "portal")
    page = (desk.out / "portal" / "summaries" / "butt-v-norway-2012.html").read_text(encoding="utf-8")
    assert "en effektiv innvandringskontroll" in page


NET = "trafficking"
CHAIR = "Koordinator for internasjonale menneskerettigheter"
MEMBERS = [("Seniorrådgiver, Asylavdelingen", "ASA", "mh-asa@udi.example"),
           ("Seniorrådgiver, Oppholdsavdelingen", "OPA", "mh-opa@udi.example"),
           ("Rådgiver, Region- og mottaksavdelingen", "RMA", "mh-rma@udi.example")]


def ics_event(path: Path):
    from icalendar import Calendar

    cal = Calendar.from_ical(path.read_bytes())
    return cal, cal.walk("VEVENT")[0]


def test_3_a_network_and_its_year_of_meetings(desk):
    desk.hrcoord("network", "add", NET, "--name-nb", "Nettverk for menneskehandel", "--name-en",
                 "Network on trafficking in human beings", "--field", "trafficking", "--chair", CHAIR,
                 "--chair-email", "koordinator@udi.example", "--weekday", "tuesday", "--start", "9:00",
                 "--end", "11:30", "--location", "UDI, Hausmanns gate 21, Oslo")
    for name, dept, mail in MEMBERS:
        desk.hrcoord("network", "member", "add", "-n", NET, "--name", name, "--department", dept, "--email", mail)
    shown = desk.hrcoord("network", "show", NET).stdout
    assert all(name in shown for name, _, _ in MEMBERS) and "**" not in shown and "| ---" not in shown
    plan = json.loads(desk.hrcoord("meeting", "plan", "-n", NET, "--year", "2025", "-f", "json").stdout)
    days = [p["date"] for p in plan]
    assert [int(d[5:7]) for d in days] and len(days) == 4
    assert [(int(d[5:7]) - 1) // 3 + 1 for d in days] == [1, 2, 3, 4]  # one a quarter
    import datetime as dt

    assert all(dt.date.fromisoformat(d).weekday() == 1 for d in days)  # the network's usual Tuesday
    desk.hrcoord("meeting", "plan", "-n", NET, "--year", "2025", "--write")
    q1 = days[0]
    # two departments submit items
    first = desk.hrcoord("meeting", "submit", "-n", NET, "--department", "ASA", "--title",
                         "Identifisering av mulige ofre i Dublin-saker", "--by", MEMBERS[0][0],
                         "--date", "2025-01-20").stdout.strip()
    second = desk.hrcoord("meeting", "submit", "-n", NET, "--department", "OPA", "--title",
                          "Refleksjonsperiode: erfaringer fra 2024", "--submitted-by", MEMBERS[1][0],
                          "--date", "2025-01-22", "--kind", "drøfting").stdout.strip()
    for sub in (first, second):
        desk.hrcoord("meeting", "accept", sub.split("/", 1)[-1], "-n", NET, "-m", q1)
    agenda = desk.hrcoord("meeting", "agenda", "-n", NET, "-m", q1).stdout
    assert "Identifisering av mulige ofre i Dublin-saker" in agenda and "Refleksjonsperiode" in agenda
    assert "1/25" in agenda and "Godkjenning av innkalling og saksliste" in agenda
    assert "Godkjenning av referat" not in agenda  # the network's first meeting: no last minutes
    assert "hrcoord" not in agenda and f"{NET}/" not in agenda  # no commands, no slugs
    # the notice, with its invitation
    ics1 = desk.out / "innkalling-1.ics"
    notice = desk.hrcoord("meeting", "notice", "-n", NET, "-m", q1, "--ics", ics1).stdout
    assert "Til:" in notice or "**Til:**" in notice
    assert "Referatet fra forrige møte" not in notice
    cal, ev = ics_event(ics1)
    assert str(cal["METHOD"]) == "REQUEST" and int(ev["SEQUENCE"]) == 0
    assert sorted(str(a).lower() for a in ev.get("ATTENDEE")) == sorted(f"mailto:{m}" for _, _, m in MEMBERS)
    uid = str(ev["UID"])
    # the time changes; the notice is issued again: same UID, SEQUENCE 1, the change said
    desk.hrcoord("meeting", "move", "-n", NET, "-m", q1, "--to", q1, "--start", "13:00", "--end", "15:00")
    ics2 = desk.out / "innkalling-2.ics"
    again = desk.hrcoord("meeting", "notice", "-n", NET, "-m", q1, "--ics", ics2).stdout
    assert "13:00" in again and "09:00" in again  # what changed: from … to …
    _, ev2 = ics_event(ics2)
    assert str(ev2["UID"]) == uid and int(ev2["SEQUENCE"]) == 1 and ev2.decoded("DTSTART").hour == 13
    # the meeting is held: attendance, a note and a decision, a follow-up
    items = json.loads(desk.hrcoord("meeting", "agenda", "-n", NET, "-m", q1, "-f", "json").stdout)["items"]
    dublin = next(i["number"] for i in items if "Dublin" in i["title"])
    desk.hrcoord("meeting", "attend", "-n", NET, "-m", q1, "--all", "--referent", CHAIR)
    desk.hrcoord("meeting", "note", "-n", NET, "-m", q1, "--item", dublin, "--text",
                 "ASA la fram saken: rutinene varierer mellom regionene.", "--decision", "ASA lager utkast til rutine.")
    desk.hrcoord("meeting", "followup", "add", "-n", NET, "-m", q1, "--text",
                 "ASA lager utkast til felles rutine for identifisering.", "--owner", "ASA", "--due", days[1])
    desk.hrcoord("meeting", "held", "-n", NET, "-m", q1)
    minutes = desk.hrcoord("meeting", "minutes", "-n", NET, "-m", q1).stdout
    assert "Vedtak:" in minutes and "ASA lager utkast til rutine." in minutes
    assert "Til stede" in minutes and "Referent" in minutes and "rutinene varierer" in minutes
    assert "ASA lager utkast til felles rutine for identifisering." in minutes
    for fmt in ("docx", "pdf", "html"):
        target = desk.out / f"referat.{fmt}"
        desk.hrcoord("meeting", "minutes", "-n", NET, "-m", q1, "-f", fmt, "-o", target)
        assert target.stat().st_size > 1000
    # the next agenda carries the open follow-up, and now approves the last minutes
    nxt = desk.hrcoord("meeting", "agenda", "-n", NET).stdout
    assert "Oppfølging fra møtet 18. februar 2025: ASA lager utkast til felles rutine for identifisering" in nxt \
        or "ASA lager utkast til felles rutine for identifisering" in nxt
    assert "Godkjenning av referat fra forrige møte" in nxt
    numbers = re.findall(r"^\| (\d+)/25 \|", nxt, re.M)
    assert numbers and int(numbers[0]) > 1  # the numbering goes on through the year
    assert desk.hrcoord("validate").returncode == 0


def test_4_action_plan_measures_reports_and_status(desk):
    plan = "menneskehandel-2025-2028"
    desk.hrcoord("plan", "add", "--id", plan, "--title-nb", "Handlingsplan mot menneskehandel", "--ministry",
                 "Justis- og beredskapsdepartementet", "--from", "2025", "--to", "2028", "--network", NET)
    desk.hrcoord("measure", "add", "--plan", plan, "--number", "Tiltak 3", "--title",
                 "Opplæring av ansatte i asylmottak i å kjenne igjen mulige ofre", "--role", "lead",
                 "--department", "RMA", "--network", NET, "--deadline", "2025-10-31", "--date", "2025-01-06")
    desk.hrcoord("measure", "add", "--plan", plan, "--number", "Tiltak 7", "--title",
                 "Felles rutine for identifisering i Dublin-saker", "--role", "contributor", "--department", "ASA",
                 "--network", NET, "--deadline", "2025-06-30", "--date", "2025-01-06")
    listed = json.loads(desk.hrcoord("measure", "list", "--plan", plan, "-f", "json").stdout)
    ids = {m["number"]: m["id"] if "id" in m else m["key"].split("/")[-1] for m in listed}
    t3, t7 = ids["Tiltak 3"], ids["Tiltak 7"]
    desk.hrcoord("measure", "update", f"{plan}/{t3}", "--status", "in-progress", "--date", "2025-03-03",
                 "--note", "Kurs holdt i to regioner.")
    desk.hrcoord("measure", "update", f"{plan}/{t7}", "--status", "delayed", "--date", "2025-06-20",
                 "--note", "Venter på ASAs utkast.")
    desk.hrcoord("measure", "update", f"{plan}/{t3}", "--status", "completed", "--date", "2025-10-15",
                 "--note", "Alle regioner har hatt kurs.")
    report = desk.hrcoord("report", "action-plan", "--year", "2025", "--today", "2026-01-15").stdout
    assert "Handlingsplan mot menneskehandel" in report and "Tiltak 3" in report and "Tiltak 7" in report
    assert "Fullført" in report and "Forsinket" in report and "foreløpig" not in report
    for fmt in ("md", "html", "docx", "pdf", "json", "csv", "xlsx"):
        target = desk.out / f"tiltak-2025.{fmt}"
        desk.hrcoord("report", "action-plan", "--year", "2025", "--today", "2026-01-15", "-f", fmt, "-o", target)
        assert target.stat().st_size > 100, fmt
    assert "Tiltak 7" in (desk.out / "tiltak-2025.csv").read_text(encoding="utf-8")
    for fmt in ("md", "html", "docx", "pdf", "json", "csv", "xlsx"):
        target = desk.out / f"kvartal-2025-Q1.{fmt}"
        desk.hrcoord("report", "quarterly", "--quarter", "2025-Q1", "--today", "2025-04-10", "-f", fmt, "-o", target)
        assert target.stat().st_size > 100, fmt
    quarter = (desk.out / "kvartal-2025-Q1.md").read_text(encoding="utf-8")
    assert "1. kvartal 2025" in quarter and "Nettverk for menneskehandel" in quarter
    # a period not ended: said so, judged on the report day
    running = desk.hrcoord("report", "action-plan", "--year", "2026", "--today", TODAY).stdout
    assert "foreløpig" in running and "1. desember 2026" in running
    status = desk.hrcoord("status", "--today", "2025-06-25").stdout
    assert "Tiltak 7" in status or "Felles rutine for identifisering" in status
    assert desk.hrcoord("validate").returncode == 0
