"""`hrcoord report action-plan` and `report quarterly`: one model, the same numbers in md, html,
docx, json and csv; reproducible output. The fixture repository below is built by the tests (in
`empty_repo`); the expected numbers are derived from the fixture's own definitions."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, write

YEAR = 2014
YEAR_END = dt.date(YEAR, 12, 31)
PLAN = "test-plan-2013-2015"
OLD_PLAN = "old-plan-2005-2008"

# number -> (deadline, department, log [(date, status, note)])
MEASURES = {
    "Tiltak 1": ("2013-06-30", "ASA", [("2013-01-10", "in-progress", "Startet."),
                                       ("2013-05-01", "completed", "Ferdig.")]),
    "Tiltak 2": ("2014-09-30", "OPA", [("2013-02-01", "in-progress", "Startet."),
                                       ("2014-05-20", "delayed", "Forsinket | mangler tall."),
                                       ("2014-11-15", "completed", "Levert.")]),
    "Tiltak 3": ("2014-06-30", "RMA", [("2013-03-01", "in-progress", "Startet."),
                                       ("2014-04-10", "in-progress", "Status i nettverket."),
                                       ("2015-02-01", "completed", "Fullført etter årsskiftet.")]),
    "Tiltak 4": ("2014-03-01", "ASA", [("2013-04-01", "in-progress", "Startet."),
                                       ("2014-08-01", "cancelled", "Tiltaket utgår.")]),
    "Tiltak 5": ("2015-12-31", "AUA", [("2015-01-10", "not-started", "Registrert.")]),
    "Tiltak 6": ("2015-12-31", "OPA", [("2013-06-01", "continuous", "Løpende oppgave.")]),
    "Tiltak 7": ("2014-12-31", "RMA", [("2014-01-15", "in-progress", "Startet.")]),
    "Tiltak 8": ("2015-06-30", "ASA", [("2013-10-01", "delayed", "Forsinket.")]),
    "Tiltak 12": ("2015-12-31", "OPA", [("2014-02-01", "not-started", "Nytt tiltak.")]),
}
OLD_MEASURES = {"Tiltak 1": ("2007-12-31", "ASA", [("2006-01-10", "completed", "Ferdig.")])}


def mid(number: str) -> str:
    return number.lower().replace(" ", "-")


def status_on(log, day: dt.date):
    """Independent of hrcoord: the status of the last entry dated on or before `day`."""
    st = None
    for d, s, _ in sorted(log, key=lambda e: e[0]):
        if dt.date.fromisoformat(d) <= day:
            st = s
    return st or "none"


def expected_overdue(number: str) -> bool:
    deadline, _, log = MEASURES[number]
    return dt.date.fromisoformat(deadline) <= YEAR_END and status_on(log, YEAR_END) not in ("completed", "cancelled")


def _yaml(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _network(slug: str, name: str) -> str:
    return _yaml({"slug": slug, "name_nb": f"Nettverk for {name}", "name_en": f"Network on {name}", "field": [slug],
                  "chair": "Koordinator", "members": [{"name": "Rådgiver, Asylavdelingen", "department": "ASA"}]})


def _meeting(net: str, day: str, status: str, follow_ups=None) -> str:
    data = {"network": net, "date": day, "start": "10:00", "end": "12:00", "status": status}
    if follow_ups:
        data["follow_ups"] = follow_ups
    return "---\n" + _yaml(data) + "---\nReferat.\n"


def _judgment(title: str, status: str, published: str | None = None, n: int = 0) -> tuple[dict, str]:
    data = {"title": title, "body": "ECtHR", "doc_type": "judgment", "reference": f"1234{n}/10", "date": "2013-05-02",
            "articles": ["ECHR 8"], "relevance": ["trafficking"], "status": status}
    if published:
        data["published"] = published
    body = "## Sammendrag\n\nKort.\n\n## Betydning for UDI\n\nLite.\n"
    return data, body


def make_plan_repo(root: Path) -> Path:
    """Networks, two plans, measures with logs, meetings around 2014-Q2, hearings, summaries."""
    from hrcoord.core.models.judgment import digest
    from hrcoord.core.repo import Repository

    d = root / "data"
    write(d / "networks" / "trafficking.yaml", _network("trafficking", "menneskehandel"))
    write(d / "networks" / "fgm.yaml", _network("fgm", "kjønnslemlestelse"))
    write(d / "networks" / "human-rights.yaml", _network("human-rights", "menneskerettigheter").replace(
        "field:\n- human-rights", "field:\n- asylum"))
    write(d / "action-plans" / f"{PLAN}.yaml", _yaml({
        "id": PLAN, "title_nb": "Testplan mot menneskehandel (2013–2015)", "title_en": "Test plan (2013–2015)",
        "ministry": "Justis- og beredskapsdepartementet", "period_from": 2013, "period_to": 2015,
        "fields": ["trafficking"]}))
    write(d / "action-plans" / f"{OLD_PLAN}.yaml", _yaml({
        "id": OLD_PLAN, "title_nb": "Gammel plan (2005–2008)", "ministry": "Justisdepartementet",
        "period_from": 2005, "period_to": 2008, "fields": ["trafficking"]}))
    for plan, measures in ((PLAN, MEASURES), (OLD_PLAN, OLD_MEASURES)):
        for number, (deadline, dept, log) in measures.items():
            write(d / "measures" / plan / f"{mid(number)}.yaml", _yaml({
                "plan": plan, "number": number, "title": f"Tittel for {number.lower()}", "role": "contributor",
                "department": dept, "network": "trafficking", "deadline": deadline,
                "log": [{"date": day, "status": st, "note": note, "by": "Koordinator"} for day, st, note in log]}))
    m = d / "meetings"
    write(m / "trafficking" / "2014-03-31.md", _meeting("trafficking", "2014-03-31", "held", [
        {"id": "f1", "text": "ASA sjekker praksis.", "owner": "ASA", "due": "2014-04-15", "done": "2014-07-02"}]))
    write(m / "trafficking" / "2014-04-01.md", _meeting("trafficking", "2014-04-01", "held", [
        {"id": "f1", "text": "OPA sender tall.", "owner": "OPA", "due": "2014-05-01", "done": "2014-04-20"},
        {"id": "f2", "text": "RMA kartlegger rutiner.", "owner": "RMA", "due": "2014-08-15", "done": False}]))
    write(m / "trafficking" / "2014-05-15.md", _meeting("trafficking", "2014-05-15", "cancelled"))
    write(m / "trafficking" / "2014-06-10.md", _meeting("trafficking", "2014-06-10", "planned"))
    write(m / "trafficking" / "2014-06-30.md", _meeting("trafficking", "2014-06-30", "held"))
    write(m / "trafficking" / "2014-07-01.md", _meeting("trafficking", "2014-07-01", "held"))
    write(m / "fgm" / "2014-05-05.md", _meeting("fgm", "2014-05-05", "notified"))
    write(m / "fgm" / "2014-09-09.md", _meeting("fgm", "2014-09-09", "planned"))
    h = d / "hearings"
    write(h / "2014-h1.yaml", _yaml({"sender": "JD", "title": "Høring en", "received": "2014-04-02",
                                     "deadline": "2014-07-15", "responsible": "ASA", "status": "in-progress"}))
    write(h / "2014-h2.yaml", _yaml({"sender": "JD", "title": "Høring to", "received": "2014-01-10",
                                     "deadline": "2014-03-01", "responsible": "OPA", "status": "answered",
                                     "answered": "2014-02-27"}))
    write(h / "2014-h3.yaml", _yaml({"sender": "BLD", "title": "Høring tre", "received": "2014-05-02",
                                     "deadline": "2014-06-25", "responsible": "RMA", "status": "answered",
                                     "answered": "2014-06-20"}))
    j = d / "judgments"
    for jid, (title, status, published, review_date, tamper) in {
        "pub-q2-2013": ("Published in Q2", "published", "2014-05-02", "2014-04-28", False),
        "old-2013": ("Published earlier", "published", "2013-03-01", "2013-02-20", False),
        "review-2013": ("Waiting for review", "in-review", None, None, False),
        "changed-2013": ("Changed after review", "published", "2013-09-01", "2013-08-30", True),
    }.items():
        data, body = _judgment(title, status, published, n=len(list(j.glob("*/*.md"))) if j.is_dir() else 0)
        path = write(j / "2013" / f"{jid}.md", "---\n" + _yaml(data) + "---\n" + body)
        if review_date:
            rec = Repository(root, guard=False).records("judgment")[jid]
            data["review"] = {"by": "Koordinator", "date": review_date, "digest": digest(rec.data, rec.body)}
            if tamper:
                body += "\nEndret etterpå.\n"
            path.write_text("---\n" + _yaml(data) + "---\n" + body, encoding="utf-8")
    return root


@pytest.fixture
def plan_repo(empty_repo) -> Path:
    return make_plan_repo(empty_repo)


def report(cli, repo: Path, *args) -> str:
    r = cli(["--repo", repo, "report", *args])
    assert r.exit_code == 0, r.stderr
    return r.stdout


def ap_json(cli, repo, *args) -> dict:
    return json.loads(report(cli, repo, "action-plan", "--year", str(YEAR), "--format", "json", *args))


# --- the fixture itself is valid data --------------------------------------------------------------
def test_fixture_repository_validates(cli, plan_repo):
    r = cli(["--repo", plan_repo, "validate", "--today", "2016-01-01"])
    assert r.exit_code == 0, r.stderr


# --- action-plan report ----------------------------------------------------------------------------
def test_every_measure_listed_with_its_status_at_year_end(cli, plan_repo):
    data = ap_json(cli, plan_repo)
    plans = {p["id"]: p for p in data["plans"]}
    assert set(plans) == {PLAN}  # the old plan neither runs in 2014 nor has 2014 entries
    got = {m["number"]: m["status"] for m in plans[PLAN]["measures"]}
    assert got == {n: status_on(log, YEAR_END) for n, (_, _, log) in MEASURES.items()}
    # a later entry does not leak into the year-end status
    assert got["Tiltak 3"] == "in-progress"
    assert got["Tiltak 5"] == "none"


def test_counts_add_up_and_match_the_measures(cli, plan_repo):
    p = ap_json(cli, plan_repo)["plans"][0]
    assert p["total"] == len(MEASURES) == sum(p["counts"].values())
    assert p["counts"] == {s: sum(1 for m in p["measures"] if m["status"] == s) for s in p["counts"]}
    expected = Counter(status_on(log, YEAR_END) for _, _, log in MEASURES.values())
    assert {s: n for s, n in p["counts"].items() if n} == dict(expected)


def test_overdue_delayed_and_closed_flags(cli, plan_repo):
    p = ap_json(cli, plan_repo)["plans"][0]
    by = {m["number"]: m for m in p["measures"]}
    overdue = {n for n, m in by.items() if m["overdue"]}
    assert overdue == {n for n in MEASURES if expected_overdue(n)}
    assert overdue == {"Tiltak 3", "Tiltak 7"}  # deadline 30.06 passed in progress; deadline 31.12 reached
    assert p["overdue"] == 2
    assert {n for n, m in by.items() if m["delayed"]} == {"Tiltak 2", "Tiltak 8"}
    assert p["delayed"] == 2
    assert {n for n, m in by.items() if m["closed_earlier"]} == {"Tiltak 1"}
    assert [e["date"] for e in by["Tiltak 2"]["entries"]] == ["2014-05-20", "2014-11-15"]
    assert by["Tiltak 2"]["department_name"] == "Oppholdsavdelingen"


def test_changes_since_previous_year(cli, plan_repo):
    p = ap_json(cli, plan_repo)["plans"][0]
    changes = {c["number"]: (c["before"], c["after"]) for c in p["changes"]}
    assert changes == {n: (status_on(log, dt.date(YEAR - 1, 12, 31)), status_on(log, YEAR_END))
                       for n, (_, _, log) in MEASURES.items()
                       if status_on(log, dt.date(YEAR - 1, 12, 31)) != status_on(log, YEAR_END)}
    assert changes["Tiltak 12"] == ("none", "not-started")


def test_markdown_report_content(cli, plan_repo):
    md = report(cli, plan_repo, "action-plan", "--year", "2014")
    assert md.startswith("# Rapport om oppfølging av tiltak i handlingsplanene 2014")
    for number in MEASURES:
        if number != "Tiltak 1":
            assert f"#### {number}: Tittel for {number.lower()}" in md
    assert "- Tiltak 1: Tittel for tiltak 1 – Fullført" in md  # listed briefly
    assert "| **Sum** | **9** |" in md
    assert "Fristen er passert: 2" in md
    assert "| 20. mai 2014 | Forsinket | Forsinket \\| mangler tall. | Koordinator |" in md  # dates, escaped cell
    assert "Fullført etter årsskiftet" not in md  # 2015 entry not among the year's entries
    assert "### Endringer siden rapporten for 2013" in md
    # measures in number order: 2 before 12
    assert md.index("#### Tiltak 2:") < md.index("#### Tiltak 8:") < md.index("#### Tiltak 12:")


def test_english(cli, plan_repo):
    md = report(cli, plan_repo, "action-plan", "--year", "2014", "--lang", "en")
    assert md.startswith("# Report on the follow-up of action-plan measures 2014")
    assert "Status at year end: **Completed**" in md
    assert "| 20 May 2014 | Delayed |" in md
    assert "Test plan (2013–2015)" in md


def test_csv_and_html_carry_the_same_numbers(cli, plan_repo):
    data = ap_json(cli, plan_repo)
    rows = list(csv.DictReader(io.StringIO(report(cli, plan_repo, "action-plan", "--year", "2014", "-f", "csv"))))
    assert len(rows) == data["total"]
    assert Counter(r["status_year_end"] for r in rows) == Counter({s: n for s, n in data["counts"].items() if n})
    assert sum(r["overdue"] == "true" for r in rows) == data["overdue"]
    html = report(cli, plan_repo, "action-plan", "--year", "2014", "-f", "html")
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html and "</svg>" in html
    for status, n in data["plans"][0]["counts"].items():
        if n:
            assert f"<title>{_label(status)}: {n}</title>" in html  # the chart's bar for that status


def _label(status: str) -> str:
    from hrcoord.actionplans.reports.labels import labels

    return labels("nb")[status]


def test_docx_opens_and_holds_the_measures_and_a_chart(cli, plan_repo, tmp_path):
    import docx

    out = tmp_path / "r.docx"
    r = cli(["--repo", plan_repo, "report", "action-plan", "--year", "2014", "-f", "docx", "--out", out])
    assert r.exit_code == 0, r.stderr
    doc = docx.Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    for number in MEASURES:
        if number != "Tiltak 1":
            assert f"{number}: Tittel for {number.lower()}" in text
    # the table-chart: a row per status, label and count, then shaded bar cells
    chart = doc.tables[0]
    rows = {row.cells[0].text: row.cells[1].text for row in chart.rows}
    assert rows["Fullført"] == "2" and rows["Pågår"] == "2"
    shaded = chart._tbl.xml.count("w:shd")
    assert shaded > 0
    assert doc.core_properties.created == dt.datetime(2014, 12, 31, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "json", "csv"])
def test_reproducible(cli, plan_repo, tmp_path, fmt):
    outs = []
    for n in range(2):
        out = tmp_path / f"{n}.{fmt}"
        r = cli(["--repo", plan_repo, "report", "action-plan", "--year", "2014", "-f", fmt, "--out", out])
        assert r.exit_code == 0, r.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_stamp_is_opt_in(cli, plan_repo):
    plain = report(cli, plan_repo, "action-plan", "--year", "2014")
    stamped = report(cli, plan_repo, "action-plan", "--year", "2014", "--stamp")
    assert "Laget:" not in plain and "Laget:" in stamped


def test_plan_filter_and_errors(cli, plan_repo):
    data = ap_json(cli, plan_repo, "--plan", OLD_PLAN)
    assert [p["id"] for p in data["plans"]] == [OLD_PLAN]
    assert data["plans"][0]["measures"][0]["closed_earlier"] is True
    r = cli(["--repo", plan_repo, "report", "action-plan", "--year", "2014", "--plan", "test-plan"])
    assert r.exit_code == 2 and "unknown action plan" in r.stderr and "Traceback" not in r.stderr
    r = cli(["--repo", plan_repo, "report", "action-plan", "--year", "2014", "-f", "odt"])
    assert r.exit_code == 2


def test_library_model_matches_cli_json(cli, plan_repo):
    from hrcoord.actionplans.reports import action_plan
    from hrcoord.actionplans.reports.common import plain
    from hrcoord.core.repo import Repository

    model = action_plan.build(Repository(plan_repo), 2014)
    assert plain(model) == ap_json(cli, plan_repo)


# --- quarterly report ------------------------------------------------------------------------------
def q_json(cli, repo, quarter="2014-Q2") -> dict:
    return json.loads(report(cli, repo, "quarterly", "--quarter", quarter, "-f", "json"))


def test_quarterly_counts_exactly_the_held_meetings(cli, plan_repo):
    data = q_json(cli, plan_repo)
    nets = {n["network"]: n for n in data["networks"]}
    # trafficking: 31.03 (Q1), 01.04 held, 15.05 cancelled, 10.06 planned, 30.06 held, 01.07 (Q3)
    assert nets["trafficking"]["held"] == 2
    assert nets["trafficking"]["held_dates"] == ["2014-04-01", "2014-06-30"]
    assert nets["trafficking"]["other"] == 1 and nets["trafficking"]["cancelled"] == 1
    assert nets["trafficking"]["held_ytd"] == 3 and nets["trafficking"]["min_ytd"] == 2
    assert nets["fgm"]["held"] == 0 and nets["fgm"]["met"] is False and nets["fgm"]["other"] == 1
    assert data["meetings_held"] == 2 and data["networks_met"] == 1


def test_quarterly_counts_meetings_read_independently(cli, plan_repo):
    held = 0
    for path in (plan_repo / "data" / "meetings").glob("*/*.md"):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        if front["status"] == "held" and "2014-04-01" <= str(front["date"]) <= "2014-06-30":
            held += 1
    assert q_json(cli, plan_repo)["meetings_held"] == held


def test_quarter_spellings(cli, plan_repo):
    a = report(cli, plan_repo, "quarterly", "--quarter", "2014-Q2")
    assert a == report(cli, plan_repo, "quarterly", "--quarter", "2014Q2")
    assert a == report(cli, plan_repo, "quarterly", "--quarter", "2014q2")
    for bad in ("2014-Q5", "Q2-2014", "2014"):
        r = cli(["--repo", plan_repo, "report", "quarterly", "--quarter", bad])
        assert r.exit_code == 2 and "--quarter" in r.stderr


def test_quarterly_sections(cli, plan_repo):
    data = q_json(cli, plan_repo)
    assert [s["id"] for s in data["summaries_published"]] == ["pub-q2-2013"]
    assert [s["id"] for s in data["summaries_reviewed"]] == ["pub-q2-2013"]
    entries = [(e["key"], e["date"], e["before"], e["after"], e["changed"]) for e in data["measure_entries"]]
    assert entries == [(f"{PLAN}/tiltak-3", "2014-04-10", "in-progress", "in-progress", False),
                       (f"{PLAN}/tiltak-2", "2014-05-20", "in-progress", "delayed", True)]
    assert data["measure_changes"] == 1
    assert sum(data["measure_counts"].values()) == len(MEASURES)  # the running plan's measures
    assert [(f["meeting"], f["id"]) for f in data["follow_ups_opened"]] == [("trafficking/2014-04-01", "f1"),
                                                                          ("trafficking/2014-04-01", "f2")]
    assert [(f["meeting"], f["id"]) for f in data["follow_ups_closed"]] == [("trafficking/2014-04-01", "f1")]
    assert [(f["meeting"], f["id"]) for f in data["follow_ups_open"]] == [("trafficking/2014-03-31", "f1"),
                                                                        ("trafficking/2014-04-01", "f2")]
    assert [h["id"] for h in data["hearings_received"]] == ["2014-h1", "2014-h3"]
    assert [h["id"] for h in data["hearings_answered"]] == ["2014-h3"]
    upcoming = [(u["date"], u["kind"], u["ref"]) for u in data["upcoming"]]
    assert upcoming == [("2014-07-15", "hearing", "2014-h1"),
                        ("2014-08-15", "follow-up", "trafficking/2014-04-01/f2"),
                        ("2014-09-09", "meeting", "fgm/2014-09-09"),
                        ("2014-09-30", "measure", f"{PLAN}/tiltak-2")]  # delayed at the end of Q2
    assert data["next_quarter"] == "2014-Q3"


def test_quarterly_formats(cli, plan_repo, tmp_path):
    import docx

    md = report(cli, plan_repo, "quarterly", "--quarter", "2014-Q2")
    assert "| Nettverk for menneskehandel | 2 (1. april 2014, 30. juni 2014) | 1 | 1 | Ja | 3 | 2 |" in md
    assert "| **Sum** | **2** |" in md
    html = report(cli, plan_repo, "quarterly", "--quarter", "2014-Q2", "-f", "html")
    assert "<svg" in html
    rows = list(csv.DictReader(io.StringIO(report(cli, plan_repo, "quarterly", "--quarter", "2014-Q2", "-f", "csv"))))
    assert sum(int(r["value"]) for r in rows if r["section"] == "meetings") == 2
    out = tmp_path / "q.docx"
    r = cli(["--repo", plan_repo, "report", "quarterly", "--quarter", "2014-Q2", "-f", "docx", "-o", out])
    assert r.exit_code == 0
    doc = docx.Document(str(out))
    assert any(t.rows[0].cells[0].text == "Nettverk" for t in doc.tables)
    again = tmp_path / "q2.docx"
    cli(["--repo", plan_repo, "report", "quarterly", "--quarter", "2014-Q2", "-f", "docx", "-o", again])
    assert again.read_bytes() == out.read_bytes()


def test_html_escapes_text(cli, plan_repo):
    path = plan_repo / "data" / "measures" / PLAN / "tiltak-7.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Tittel for tiltak 7", "<script>alert(1)</script>"),
                    encoding="utf-8")
    html = report(cli, plan_repo, "action-plan", "--year", "2014", "-f", "html")
    assert "<script>" not in html and "&lt;script&gt;" in html


# --- the embedded repository (data/): the "done when" ----------------------------------------
def _data_ready(*folders) -> bool:
    return all(any((ROOT / "data" / f).rglob("*.*")) for f in folders)


@pytest.mark.skipif(not _data_ready("action-plans", "measures"), reason="data/ has no action plans yet")
def test_embedded_action_plan_report_2014(cli):
    from hrcoord.core.models.action_plan import current_status
    from hrcoord.core.repo import Repository

    repo = Repository(ROOT)
    data = json.loads(report(cli, ROOT, "action-plan", "--year", "2014", "-f", "json"))
    listed = {m["key"]: m for p in data["plans"] for m in p["measures"]}
    for p in data["plans"]:
        assert sum(p["counts"].values()) == p["total"] == len(p["measures"])
    running = {pid for pid, rec in repo.records("action-plan").items()
               if rec.data["period_from"] <= 2014 <= rec.data["period_to"]}
    expected = {k: r for k, r in repo.records("measure").items() if r.data["plan"] in running}
    assert set(expected) <= set(listed)
    for key, rec in expected.items():
        status = current_status(rec.data, on=YEAR_END) or "none"
        assert listed[key]["status"] == status
        deadline = dt.date.fromisoformat(str(rec.data["deadline"])) if rec.data.get("deadline") else None
        passed = deadline is not None and deadline <= YEAR_END and status not in ("completed", "cancelled")
        assert listed[key]["overdue"] is passed
    html = report(cli, ROOT, "action-plan", "--year", "2014", "-f", "html")
    assert "<svg" in html


@pytest.mark.skipif(not _data_ready("meetings"), reason="data/ has no meetings yet")
def test_embedded_quarterly_2014_q2(cli):
    held = 0
    for path in (ROOT / "data" / "meetings").glob("*/*.md"):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        if front.get("status") == "held" and "2014-04-01" <= str(front.get("date")) <= "2014-06-30":
            held += 1
    data = json.loads(report(cli, ROOT, "quarterly", "--quarter", "2014-Q2", "-f", "json"))
    assert data["meetings_held"] == held


def test_same_bytes_in_separate_processes(cli, plan_repo):
    from conftest import run_process

    for args in (["report", "action-plan", "--year", "2014", "-f", "html"],
                 ["report", "quarterly", "--quarter", "2014Q2", "-f", "md"]):
        outs = [run_process(["--repo", plan_repo, *args], env={"PYTHONHASHSEED": seed}) for seed in ("1", "2")]
        assert all(o.returncode == 0 for o in outs), outs[0].stderr
        assert outs[0].stdout == outs[1].stdout == report(cli, plan_repo, *args[1:])


def test_repository_template_overrides_and_runs_sandboxed(cli, plan_repo):
    write(plan_repo / "templates" / "report" / "action-plan.md.j2",
          "{{ t.ap_title }} {{ r.year }}: {{ r.total }} / {{ r.overdue }}\n")
    assert report(cli, plan_repo, "action-plan", "--year", "2014") == \
        "Rapport om oppfølging av tiltak i handlingsplanene 2014: 9 / 2\n"
    # the packaged quarterly template still renders, now inside the sandbox
    assert report(cli, plan_repo, "quarterly", "--quarter", "2014-Q2").startswith("# Kvartalsrapport 2. kvartal 2014")
