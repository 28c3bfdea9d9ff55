"""`hrcoord status`: what needs attention on a given day (fixture of test_reports.py)."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from test_reports import MEASURES, PLAN, make_plan_repo, status_on

TODAY = "2014-06-15"


@pytest.fixture
def plan_repo(empty_repo):
    return make_plan_repo(empty_repo)


def status_json(cli, repo, today=TODAY, *args) -> dict:
    r = cli(["--repo", repo, "status", "--today", today, "-f", "json", *args])
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_networks_without_a_meeting_this_quarter(cli, plan_repo):
    data = status_json(cli, plan_repo)
    assert data["quarter"] == "2014-Q2"
    # trafficking: held 01.04 and 30.06; fgm: notified 05.05 (counts); human-rights: nothing
    assert [n["network"] for n in data["networks"]] == ["human-rights"]
    # in Q3 (by 2014-08-01): trafficking held 01.07, fgm planned 09.09 -> only human-rights
    assert [n["network"] for n in status_json(cli, plan_repo, "2014-08-01")["networks"]] == ["human-rights"]
    # in Q4 nobody has a meeting
    q4 = status_json(cli, plan_repo, "2014-10-01")["networks"]
    assert [n["network"] for n in q4] == ["fgm", "human-rights", "trafficking"]
    assert {n["network"]: n["last_meeting"] for n in q4}["trafficking"] == "2014-07-01"


def test_measures_overdue_or_due_soon(cli, plan_repo):
    today = dt.date.fromisoformat(TODAY)
    data = status_json(cli, plan_repo)
    got = {m["key"].split("/")[1]: (m["overdue"], m["days_left"]) for m in data["measures"]}
    expected = {}
    for number, (deadline, _, log) in MEASURES.items():
        dl = dt.date.fromisoformat(deadline)
        st = status_on(log, today)
        if st not in ("completed", "cancelled") and dl <= today + dt.timedelta(days=30):
            expected[number.lower().replace(" ", "-")] = (dl < today, (dl - today).days)
    assert got == expected
    assert got == {"tiltak-3": (False, 15), "tiltak-4": (True, -106)}
    # other windows
    wide = status_json(cli, plan_repo, TODAY, "--measure-days", "120")
    assert {m["key"] for m in wide["measures"]} >= {f"{PLAN}/tiltak-2", f"{PLAN}/tiltak-3"}


def test_summaries_waiting_for_review(cli, plan_repo):
    data = status_json(cli, plan_repo)
    assert {s["id"]: s["reason"] for s in data["summaries"]} == {
        "review-2013": "in-review", "changed-2013": "changed-after-review"}


def test_follow_ups_past_due(cli, plan_repo):
    data = status_json(cli, plan_repo)
    late = [(f["meeting"], f["id"], f["days_late"]) for f in data["follow_ups"]]
    assert late == [("trafficking/2014-03-31", "f1", 61)]
    # closed on 02.07: no longer past due after that day
    assert status_json(cli, plan_repo, "2014-07-03")["follow_ups"] == []


def test_hearings_near_their_deadline(cli, plan_repo):
    data = status_json(cli, plan_repo)
    assert [(h["id"], h["days_left"]) for h in data["hearings"]] == [("2014-h3", 10)]  # answered only on 20.06
    assert [h["id"] for h in status_json(cli, plan_repo, "2014-06-21")["hearings"]] == []
    later = status_json(cli, plan_repo, "2014-07-05")
    assert [(h["id"], h["days_left"]) for h in later["hearings"]] == [("2014-h1", 10)]
    assert [h["id"] for h in status_json(cli, plan_repo, "2014-07-05", "--hearing-days", "5")["hearings"]] == []


def test_formats(cli, plan_repo):
    r = cli(["--repo", plan_repo, "status", "--today", TODAY, "-f", "md"])
    assert r.exit_code == 0
    assert r.stdout.startswith("# Dette krever oppmerksomhet 15. juni 2014")
    assert "## Nettverk uten møte i 2. kvartal 2014 (1)" in r.stdout
    assert "| Tittel for tiltak 4 " not in r.stdout  # cells are 'number: title (key)'
    assert "Tiltak 4: Tittel for tiltak 4" in r.stdout and "**Over frist**" in r.stdout
    r = cli(["--repo", plan_repo, "status", "--today", TODAY, "--lang", "en", "-f", "md"])
    assert r.stdout.startswith("# Needs attention 15 June 2014")
    r = cli(["--repo", plan_repo, "status", "--today", TODAY])
    assert r.exit_code == 0 and "tiltak-4" in r.stdout and "human-rights" in r.stdout
    assert status_json(cli, plan_repo)["total"] == 1 + 2 + 2 + 1 + 1
    again = cli(["--repo", plan_repo, "status", "--today", TODAY, "-f", "md"]).stdout
    assert again == cli(["--repo", plan_repo, "status", "--today", TODAY, "-f", "md"]).stdout


def test_bad_arguments(cli, plan_repo):
    for args in (["--today", "15.06.2014"], ["--format", "html"], ["--lang", "de"]):
        r = cli(["--repo", plan_repo, "status", *args])
        assert r.exit_code == 2, args
        assert "Traceback" not in r.stderr


def test_library_level(plan_repo):
    from hrcoord.actionplans.reports import status
    from hrcoord.core.repo import Repository

    st = status.build(Repository(plan_repo), dt.date(2014, 6, 15))
    assert st.total == 7
    assert [m.key for m in st.measures] == [f"{PLAN}/tiltak-4", f"{PLAN}/tiltak-3"]  # by deadline
