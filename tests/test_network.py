"""`hrcoord network list|show` (issue 4): networks, chair, members by department."""
from __future__ import annotations

import csv
import io
import json
import re

from test_meetings import NETWORK, PLANNED, build

from conftest import invoke, write

FGM = """\
slug: fgm
name_nb: Nettverk for kjønnslemlestelse
name_en: Network on female genital mutilation
field: fgm
chair: Koordinator for internasjonale menneskerettigheter
members:
  - name: Rådgiver, Oppholdsavdelingen
    department: OPA
    role: secretary
"""


def test_network_list_formats(empty_repo):
    build(empty_repo)
    write(empty_repo / "data" / "networks" / "fgm.yaml", FGM)
    r = invoke(["--repo", empty_repo, "network", "list", "--format", "json"])
    assert r.exit_code == 0, r.stderr
    data = {n["slug"]: n for n in json.loads(r.stdout)}
    assert sorted(data) == ["fgm", "trafficking"]
    t = data["trafficking"]
    assert t["name"] == "Nettverk for menneskehandel" and t["field"] == ["trafficking"]
    assert t["departments"] == ["ASA", "OPA", "RMA"] and len(t["members"]) == 4
    assert t["next_meeting"] == "2014-05-13" and t["last_meeting"] == "2014-02-11"
    assert data["fgm"]["field"] == ["fgm"] and data["fgm"]["next_meeting"] is None
    table = invoke(["--repo", empty_repo, "network", "list"])
    assert table.exit_code == 0 and "trafficking" in table.stdout and "fgm" in table.stdout
    rows = list(csv.reader(io.StringIO(invoke(["--repo", empty_repo, "network", "list", "-f", "csv"]).stdout)))
    assert rows[0][0] == "network" and {r[0] for r in rows[1:]} == {"fgm", "trafficking"}
    en = json.loads(invoke(["--repo", empty_repo, "network", "list", "-f", "json", "--lang", "en"]).stdout)
    assert {n["name"] for n in en} == {"Network on trafficking in human beings", "Network on female genital mutilation"}


def test_network_show_members_by_department(empty_repo):
    """`network show` speaks Norwegian to the terminal: no Markdown marks, no slug, tables that fit
    80 columns with a header over every column."""
    build(empty_repo)
    r = invoke(["--repo", empty_repo, "network", "show", "trafficking"], env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.stderr
    text = r.stdout
    assert text.startswith("Nettverk for menneskehandel\n")
    assert "trafficking" not in text and not any(mark in text for mark in ("**", "| ", "# ", "`"))
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "Fagfelt: Menneskehandel" in text
    flat = " ".join(text.split())  # lines fold at 80 columns
    assert "Møteleder: Koordinator for internasjonale menneskerettigheter (koordinator@udi.example)" in flat
    assert "Fast møtetid: tirsdag kl. 10:00–12:00" in text
    members = text[text.index("Medlemmer"):text.index("Møter")]
    header = members.splitlines()[1].split()
    assert header == ["Avdeling", "Deltaker", "E-post"]
    asa, opa, rma = (members.index(f"\n{code} ") for code in ("ASA", "OPA", "RMA"))
    assert asa < opa < rma
    assert "mh-asa@udi.example" in members[asa:opa]
    assert "(observatør)" in members[rma:] and "ingen e-postadresse" in members[rma:]
    meetings = text[text.index("Møter"):]
    assert re.search(r"tirsdag 13\. mai 2014 +planlagt", meetings)
    assert re.search(r"tirsdag 11\. februar 2014 +avholdt", meetings)
    md = invoke(["--repo", empty_repo, "network", "show", "trafficking", "-f", "md"]).stdout
    assert md.startswith("# Nettverk for menneskehandel\n") and "`trafficking`" not in md
    assert "| ASA | Seniorrådgiver, Asylavdelingen | mh-asa@udi.example |" in md
    js = json.loads(invoke(["--repo", empty_repo, "network", "show", "trafficking", "-f", "json"]).stdout)
    assert [m["department"] for m in js["members"]] == ["ASA", "OPA", "RMA", "RMA"]
    assert [m["date"] for m in js["meetings"]] == ["2014-02-11", "2014-05-13"]


def test_network_show_unknown_lists_known(empty_repo):
    write(empty_repo / "data" / "networks" / "trafficking.yaml", NETWORK)
    r = invoke(["--repo", empty_repo, "network", "show", "trafficing"])
    assert r.exit_code == 2
    assert "unknown network 'trafficing'; known networks: trafficking" in r.stderr
    assert "Traceback" not in r.stderr


def test_network_list_on_the_embedded_repository(scratch_repo):
    r = invoke(["--repo", scratch_repo, "network", "list", "-f", "json"])
    assert r.exit_code == 0, r.stderr
    slugs = sorted(p.stem for p in (scratch_repo / "data" / "networks").glob("*.yaml"))
    assert sorted(n["slug"] for n in json.loads(r.stdout)) == slugs


def test_network_show_english(empty_repo):
    build(empty_repo)
    write(empty_repo / "data" / "meetings" / "trafficking" / "2014-09-09.md", PLANNED.format(date="2014-09-09"))
    r = invoke(["--repo", empty_repo, "network", "show", "trafficking", "--lang", "en"])
    assert r.exit_code == 0
    assert r.stdout.startswith("Network on trafficking in human beings\n")
    assert "Usual time: Tuesday 10:00–12:00" in r.stdout
    assert re.search(r"Tuesday 9 September 2014 +planned", r.stdout)
