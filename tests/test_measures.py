"""`hrcoord measure add|update|list`: exclusive create, an append-only status log, filters."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import typing
from pathlib import Path

import pytest
import yaml

from conftest import write

PLAN = "trafficking-2011-2014"


@pytest.fixture
def repo(empty_repo) -> Path:
    d = empty_repo / "data"
    write(d / "networks" / "trafficking.yaml", yaml.safe_dump({
        "slug": "trafficking", "name_nb": "Nettverk for menneskehandel", "name_en": "Network on trafficking",
        "field": ["trafficking"], "chair": "Koordinator",
        "members": [{"name": "Rådgiver, Asylavdelingen", "department": "ASA"}]}, allow_unicode=True))
    write(d / "action-plans" / f"{PLAN}.yaml", yaml.safe_dump({
        "id": PLAN, "title_nb": "Sammen mot menneskehandel", "ministry": "Justis- og politidepartementet",
        "period_from": 2011, "period_to": 2014, "fields": ["trafficking"]}, allow_unicode=True))
    return empty_repo


def add(cli, repo, number="Tiltak 12", *extra, date="2013-01-15", deadline="2014-06-30", department="ASA"):
    return cli(["--repo", repo, "measure", "add", "--plan", PLAN, "--number", number,
                "--title", f"Tittel {number}", "--role", "lead", "--department", department,
                "--network", "trafficking", "--deadline", deadline, "--date", date, "--by", "Koordinator", *extra])


def path_of(repo, mid="tiltak-12") -> Path:
    return repo / "data" / "measures" / PLAN / f"{mid}.yaml"


def log_of(repo, mid="tiltak-12") -> list[dict]:
    return yaml.safe_load(path_of(repo, mid).read_text(encoding="utf-8"))["log"]


# --- add ---------------------------------------------------------------------------------------------
def test_add_writes_the_record_with_a_first_entry(cli, repo):
    r = add(cli, repo)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip() == f"{PLAN}/tiltak-12"
    data = yaml.safe_load(path_of(repo).read_text(encoding="utf-8"))
    assert data["plan"] == PLAN and data["number"] == "Tiltak 12" and data["role"] == "lead"
    assert data["department"] == "ASA" and data["network"] == "trafficking"
    assert str(data["deadline"]) == "2014-06-30"
    log = [(str(e["date"]), e["status"], e["by"]) for e in data["log"]]
    assert log == [("2013-01-15", "not-started", "Koordinator")]
    assert cli(["--repo", repo, "validate"]).exit_code == 0


def test_add_is_exclusive(cli, repo):
    assert add(cli, repo).exit_code == 0
    before = path_of(repo).read_bytes()
    r = add(cli, repo, "Tiltak 12", date="2013-02-01")
    assert r.exit_code == 1 and "already exists" in r.stderr
    assert path_of(repo).read_bytes() == before
    # the same number under another id is refused too
    r = add(cli, repo, "Tiltak 12", "--id", "other-id")
    assert r.exit_code == 1 and "already has 'Tiltak 12'" in r.stderr
    assert not path_of(repo, "other-id").exists()


def test_add_refuses_bad_arguments(cli, repo):
    r = cli(["--repo", repo, "measure", "add", "--plan", "no-such-plan", "--number", "Tiltak 1", "--title", "T",
             "--role", "lead", "--department", "ASA"])
    assert r.exit_code == 2 and "unknown action plan" in r.stderr
    r = add(cli, repo, department="XYZ")
    assert r.exit_code == 2 and "unknown department 'XYZ'" in r.stderr
    r = add(cli, repo, deadline="2014-02-30")
    assert r.exit_code == 2 and "--deadline" in r.stderr
    r = cli(["--repo", repo, "measure", "add", "--plan", PLAN, "--number", "Tiltak 1", "--role", "lead",
             "--department", "ASA"])
    assert r.exit_code == 2 and "missing --title" in r.stderr  # no terminal: no prompt, the flag is named
    r = add(cli, repo, date=(dt.date.today() + dt.timedelta(days=3)).isoformat())
    assert r.exit_code == 2 and "--date:" in r.stderr and "HR106" in r.stderr  # a log entry in the future
    assert not path_of(repo).exists()
    assert "Traceback" not in r.stderr


def test_add_dry_run_writes_nothing(cli, repo):
    r = add(cli, repo, "Tiltak 12", "--dry-run")
    assert r.exit_code == 0 and "number: Tiltak 12" in r.stdout
    assert not path_of(repo).exists()


def test_measure_id():
    from hrcoord.actionplans.measures import measure_id

    assert measure_id("Tiltak 12") == "tiltak-12"
    assert measure_id("Tiltak 3 a") == "tiltak-3-a"


# --- update ------------------------------------------------------------------------------------------
def test_update_appends_and_keeps_history(cli, repo):
    assert add(cli, repo).exit_code == 0
    first = path_of(repo).read_text(encoding="utf-8")
    r = cli(["--repo", repo, "measure", "update", f"{PLAN}/tiltak-12", "--status", "in-progress",
             "--note", "Arbeidet er i gang.", "--date", "2013-03-01", "--by", "ASA"])
    assert r.exit_code == 0, r.stderr
    r = cli(["--repo", repo, "measure", "update", "tiltak-12", "--status", "delayed", "--note", "Forsinket.",
             "--date", "2013-03-01"])  # same day as the last entry: allowed; bare id when unique
    assert r.exit_code == 0, r.stderr
    log = log_of(repo)
    assert [(str(e["date"]), e["status"]) for e in log] == [
        ("2013-01-15", "not-started"), ("2013-03-01", "in-progress"), ("2013-03-01", "delayed")]
    assert log[2]["by"] == "Koordinator for internasjonale menneskerettigheter"  # default: the coordinator
    # the earlier text is kept: the first entry's lines are all still there, in order
    old_log = first[first.index("log:"):]
    assert old_log in path_of(repo).read_text(encoding="utf-8")


def test_update_with_an_earlier_date_is_refused_and_the_file_unchanged(cli, repo):
    assert add(cli, repo).exit_code == 0
    assert cli(["--repo", repo, "measure", "update", "tiltak-12", "--status", "in-progress",
                "--date", "2013-06-01"]).exit_code == 0
    before = path_of(repo).read_bytes()
    mtime = path_of(repo).stat().st_mtime_ns
    r = cli(["--repo", repo, "measure", "update", "tiltak-12", "--status", "completed", "--date", "2013-05-31"])
    assert r.exit_code == 2
    assert "2013-06-01" in r.stderr and "--backdate" in r.stderr and "Traceback" not in r.stderr
    assert path_of(repo).read_bytes() == before
    assert path_of(repo).stat().st_mtime_ns == mtime


def test_update_backdate_files_the_entry_in_date_order(cli, repo):
    assert add(cli, repo).exit_code == 0
    assert cli(["--repo", repo, "measure", "update", "tiltak-12", "--status", "delayed",
                "--date", "2013-06-01"]).exit_code == 0
    r = cli(["--repo", repo, "measure", "update", "tiltak-12", "--status", "in-progress", "--date", "2013-03-01",
             "--note", "Registrert i etterkant.", "--backdate"])
    assert r.exit_code == 0, r.stderr
    assert [(str(e["date"]), e["status"]) for e in log_of(repo)] == [
        ("2013-01-15", "not-started"), ("2013-03-01", "in-progress"), ("2013-06-01", "delayed")]
    assert cli(["--repo", repo, "validate"]).exit_code == 0  # the log stays oldest first


def test_update_refusals(cli, repo):
    assert add(cli, repo).exit_code == 0
    before = path_of(repo).read_bytes()
    future = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    r = cli(["--repo", repo, "measure", "update", "tiltak-12", "--status", "completed", "--date", future])
    assert r.exit_code == 1 and "HR106" in r.stderr
    r = cli(["--repo", repo, "measure", "update", "tiltak-99", "--status", "completed"])
    assert r.exit_code == 2 and "no measure 'tiltak-99'" in r.stderr
    r = cli(["--repo", repo, "measure", "update", "tiltak-12", "--status", "finished"])
    assert r.exit_code == 2
    r = cli(["--repo", repo, "measure", "update", "tiltak-12"])
    assert r.exit_code == 2 and "missing --status" in r.stderr
    r = cli(["--repo", repo, "measure", "update", "tiltak-12", "--status", "completed", "--date", "2014-01-01",
             "--dry-run"])
    assert r.exit_code == 0 and "status: completed" in r.stdout
    assert path_of(repo).read_bytes() == before


def test_update_library_level(repo):
    from hrcoord.actionplans import measures
    from hrcoord.core.errors import UsageError
    from hrcoord.core.repo import Repository

    r = Repository(repo)
    measures.add(r, plan=PLAN, number="Tiltak 1", title="T", role="contributor", department="OPA",
                 date=dt.date(2012, 1, 1))
    _, entry, _ = measures.update(Repository(repo), f"{PLAN}/tiltak-1", status="completed", note="Ferdig.",
                                    date=dt.date(2012, 2, 1))
    assert entry == {"date": "2012-02-01", "status": "completed", "note": "Ferdig.",
                     "by": "Koordinator for internasjonale menneskerettigheter"}
    with pytest.raises(UsageError):
        measures.update(Repository(repo), "tiltak-1", status="in-progress", date=dt.date(2012, 1, 31))
    assert len(log_of(repo, "tiltak-1")) == 2


def test_cli_choices_follow_the_model():
    from hrcoord.cli import measure
    from hrcoord.core.models.action_plan import MEASURE_STATUSES, ROLES

    assert typing.get_args(measure.Status) == MEASURE_STATUSES
    assert typing.get_args(measure.Role) == ROLES


# --- list --------------------------------------------------------------------------------------------
@pytest.fixture
def listed(cli, repo):
    assert add(cli, repo, "Tiltak 2", deadline="2014-03-31", department="ASA").exit_code == 0
    assert add(cli, repo, "Tiltak 12", deadline="2014-12-31", department="OPA").exit_code == 0
    assert add(cli, repo, "Tiltak 3", deadline="2015-06-30", department="OPA").exit_code == 0
    for mid, status, day in (("tiltak-2", "in-progress", "2014-01-10"), ("tiltak-12", "completed", "2014-02-01"),
                             ("tiltak-3", "delayed", "2014-05-01")):
        assert cli(["--repo", repo, "measure", "update", mid, "--status", status, "--date", day]).exit_code == 0
    return repo


def list_json(cli, repo, *args) -> list[dict]:
    r = cli(["--repo", repo, "measure", "list", "--format", "json", *args])
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_list_sorted_with_status_as_of_today(cli, listed):
    rows = list_json(cli, listed, "--today", "2014-04-15")
    assert [r["number"] for r in rows] == ["Tiltak 2", "Tiltak 3", "Tiltak 12"]
    assert {r["number"]: r["status"] for r in rows} == {
        "Tiltak 2": "in-progress", "Tiltak 3": "not-started", "Tiltak 12": "completed"}
    assert {r["number"]: r["overdue"] for r in rows} == {"Tiltak 2": True, "Tiltak 3": False, "Tiltak 12": False}
    # on an earlier day the later entries do not count yet
    early = {r["number"]: r["status"] for r in list_json(cli, listed, "--today", "2014-01-20")}
    assert early["Tiltak 12"] == "not-started"


def test_list_filters(cli, listed):
    def numbers(*args):
        return [r["number"] for r in list_json(cli, listed, "--today", "2014-06-01", *args)]

    assert numbers("--overdue") == ["Tiltak 2"]
    assert numbers("--status", "delayed") == ["Tiltak 3"]
    assert numbers("--status", "delayed", "--status", "completed") == ["Tiltak 3", "Tiltak 12"]
    assert numbers("--department", "OPA") == ["Tiltak 3", "Tiltak 12"]
    assert numbers("--due-before", "2014-12-31") == ["Tiltak 2"]
    assert numbers("--plan", PLAN, "--network", "trafficking") == ["Tiltak 2", "Tiltak 3", "Tiltak 12"]
    for bad in (["--plan", "nope"], ["--department", "XYZ"], ["--network", "nope"], ["--status", "done"],
                ["--due-before", "31.12.2014"]):
        r = cli(["--repo", listed, "measure", "list", *bad])
        assert r.exit_code == 2, bad


def test_list_formats(cli, listed):
    r = cli(["--repo", listed, "measure", "list", "--today", "2014-06-01", "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [x["id"] for x in rows] == [f"{PLAN}/tiltak-2", f"{PLAN}/tiltak-3", f"{PLAN}/tiltak-12"]
    assert rows[0]["overdue"] == "true"
    r = cli(["--repo", listed, "measure", "list", "--today", "2014-06-01", "-f", "md"])
    assert r.stdout.splitlines()[0].startswith("| id | number | title |")
    assert f"| {PLAN}/tiltak-2 | Tiltak 2 | Tittel Tiltak 2 | lead | ASA | trafficking | 2014-03-31 | in-progress |" \
        in r.stdout
    r = cli(["--repo", listed, "measure", "list", "--today", "2014-06-01"])
    assert r.exit_code == 0 and "tiltak-12" in r.stdout and "3 measures" in r.stderr
