"""`hrcoord hearing add|status|list`."""
from __future__ import annotations

import datetime as dt
import json

import yaml


def add(cli, repo, *extra, title="Høring – endringer i utlendingsforskriften", received="2014-04-02",
        deadline="2014-07-15", responsible="ASA"):
    return cli(["--repo", repo, "hearing", "add", "--sender", "Justis- og beredskapsdepartementet", "--title", title,
                "--received", received, "--deadline", deadline, "--responsible", responsible, *extra])


def test_add_writes_a_valid_record(cli, empty_repo):
    r = add(cli, empty_repo, "--case-ref", "14/01234-1")
    assert r.exit_code == 0, r.stderr
    hid = r.stdout.strip()
    assert hid == "2014-endringer-i-utlendingsforskriften"  # the "Høring –" prefix is dropped
    data = yaml.safe_load((empty_repo / "data" / "hearings" / f"{hid}.yaml").read_text(encoding="utf-8"))
    assert data["status"] == "received" and data["responsible"] == "ASA" and data["case_ref"] == "14/01234-1"
    assert str(data["deadline"]) == "2014-07-15"
    assert cli(["--repo", empty_repo, "validate"]).exit_code == 0


def test_add_refusals(cli, empty_repo):
    assert add(cli, empty_repo).exit_code == 0
    path = empty_repo / "data" / "hearings" / "2014-endringer-i-utlendingsforskriften.yaml"
    before = path.read_bytes()
    r = add(cli, empty_repo, deadline="2014-08-01")
    assert r.exit_code == 1 and "already exists" in r.stderr
    assert path.read_bytes() == before
    r = add(cli, empty_repo, "--id", "other", deadline="2014-03-01")
    assert r.exit_code == 2 and "before --received" in r.stderr
    r = add(cli, empty_repo, "--id", "other", responsible="XYZ")
    assert r.exit_code == 2 and "unknown department" in r.stderr
    r = add(cli, empty_repo, "--id", "Bad Id")
    assert r.exit_code == 2
    r = add(cli, empty_repo, "--id", "other", "--case-ref", "nonsense")
    assert r.exit_code == 2 and "--case-ref:" in r.stderr and "HR111" in r.stderr  # against the flag
    r = cli(["--repo", empty_repo, "hearing", "add", "--title", "T", "--deadline", "2014-01-01",
             "--responsible", "ASA"])
    assert r.exit_code == 2 and "missing --sender" in r.stderr
    assert sorted(p.name for p in (empty_repo / "data" / "hearings").glob("*.yaml")) == [path.name]


def test_hearing_id():
    from hrcoord.actionplans.hearings import hearing_id

    assert hearing_id("Høring – forslag til endring i statsborgerloven", dt.date(2014, 10, 15)) == \
        "2014-forslag-til-endring-i-statsborgerloven"
    long = hearing_id("Høring " + "ord " * 40, dt.date(2014, 1, 1))
    assert len(long) <= 65 and not long.endswith("-")


def test_status_records_the_answer(cli, empty_repo):
    hid = add(cli, empty_repo).stdout.strip()
    r = cli(["--repo", empty_repo, "hearing", "status", hid, "answered", "--answered", "2014-07-10"])
    assert r.exit_code == 0, r.stderr
    data = yaml.safe_load((empty_repo / "data" / "hearings" / f"{hid}.yaml").read_text(encoding="utf-8"))
    assert data["status"] == "answered" and str(data["answered"]) == "2014-07-10"
    r = cli(["--repo", empty_repo, "hearing", "status", hid, "in-progress", "--answered", "2014-07-10"])
    assert r.exit_code == 2
    r = cli(["--repo", empty_repo, "hearing", "status", "nope", "answered"])
    assert r.exit_code == 2 and "no hearing 'nope'" in r.stderr


def test_list_filters_and_formats(cli, empty_repo):
    a = add(cli, empty_repo, title="Høring en", deadline="2014-07-15").stdout.strip()
    b = add(cli, empty_repo, title="Høring to", received="2014-05-02", deadline="2014-06-25",
            responsible="RMA").stdout.strip()
    cli(["--repo", empty_repo, "hearing", "status", b, "answered", "--answered", "2014-06-20"])

    def ids(*args):
        r = cli(["--repo", empty_repo, "hearing", "list", "-f", "json", *args])
        assert r.exit_code == 0, r.stderr
        return [h["id"] for h in json.loads(r.stdout)]

    assert ids() == [b, a]  # soonest deadline first
    assert ids("--open", "--today", "2014-06-22") == [a]
    assert ids("--open", "--today", "2014-06-10") == [b, a]  # not yet answered on that day
    assert ids("--responsible", "RMA") == [b]
    assert ids("--status", "answered") == [b]
    assert ids("--due-before", "2014-07-01") == [b]
    r = cli(["--repo", empty_repo, "hearing", "list", "-f", "json", "--today", "2014-07-05"])
    assert {h["id"]: h["days_left"] for h in json.loads(r.stdout)} == {a: 10, b: None}
    r = cli(["--repo", empty_repo, "hearing", "list", "-f", "csv"])
    assert r.stdout.splitlines()[0] == "id,sender,title,received,deadline,responsible,status,days left"
    r = cli(["--repo", empty_repo, "hearing", "list"])
    assert r.exit_code == 0 and "2 hearings" in r.stderr
