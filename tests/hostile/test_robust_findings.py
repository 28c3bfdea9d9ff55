"""One named test per bullet of issue 19's "Why" (the findings of the hostile run); the lost
updates are in test_races.py and the full disk in test_disk_full.py. Each runs the commands the
finding named, through the CLI, and checks what they print and that a failure wrote nothing."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from robust_helpers import invoke, make_pristine, restore, tree_hash

from conftest import write
from hrcoord.core.repo import Repository
from hrcoord.core.validate import validate

MEASURE = "data/measures/trafficking-2011-2014/tiltak-5.yaml"
NETWORK = "data/networks/trafficking.yaml"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    return make_pristine(tmp_path_factory.mktemp("findings") / "repo")


@pytest.fixture
def repo(pristine, tmp_path):
    return restore(pristine, tmp_path / "repo")


def run(repo: Path, *args: str):
    return invoke([*args, "--repo", str(repo)], env={"NO_COLOR": "1"})


def _replace(repo: Path, rel: str, old: str, new: str) -> None:
    p = repo / rel
    text = p.read_text(encoding="utf-8")
    start = text.index(old)
    p.write_text(text[:start] + new + text[start + len(old):], encoding="utf-8")


def _log_as(repo: Path, value: str) -> None:
    """The measure's `log:` replaced by `value` (a string, a mapping, a list of non-mappings)."""
    p = repo / MEASURE
    text = p.read_text(encoding="utf-8")
    p.write_text(text[:text.index("log:")] + f"log: {value}\n", encoding="utf-8")


def _refused_with_the_problem(r, rel: str) -> None:
    assert r.exit_code == 1, (r.exit_code, r.stderr)
    assert re.search(rf"^{re.escape(rel)}:\d+:\d+: error HR", r.stderr, re.M), r.stderr
    assert "internal error" not in r.stderr and "Traceback" not in r.stderr


# --- crashes (exit 3) on records that validate rejects ------------------------------------------------

MEASURE_READERS = [["measure", "list"], ["report", "action-plan", "--year", "2014"],
                   ["report", "quarterly", "--quarter", "2014-Q2"], ["status", "--today", "2014-11-24"],
                   ["meeting", "agenda", "--network", "trafficking"], ["meeting", "notice", "--network", "trafficking"]]


@pytest.mark.parametrize("log", ["just a string", "{date: 2014-01-01, status: delayed}", "[1, two, [3]]"])
@pytest.mark.parametrize("command", MEASURE_READERS, ids=lambda c: " ".join(c[:2]))
def test_a_measure_log_of_the_wrong_shape_stops_every_command_with_its_line(repo, command, log):
    _log_as(repo, log)
    before = tree_hash(repo)
    r = run(repo, *command)
    _refused_with_the_problem(r, MEASURE)
    assert "HR103" in r.stderr
    assert tree_hash(repo) == before


@pytest.mark.parametrize("chair", ["{name: Koordinator}", "42"])
def test_a_network_chair_that_is_not_text_stops_network_show(repo, chair):
    _replace(repo, NETWORK, "chair: Koordinator for internasjonale menneskerettigheter", f"chair: {chair}")
    r = run(repo, "network", "show", "trafficking")
    _refused_with_the_problem(r, NETWORK)
    assert "'chair' must be text" in r.stderr


def test_the_guard_is_one_path_for_the_library_too(repo):
    """Library code reads records through the same Repository: a wrong shape never reaches it."""
    from hrcoord.actionplans import measures
    from hrcoord.core.errors import DataError

    _log_as(repo, "just a string")
    with pytest.raises(DataError) as caught:
        measures.rows(Repository(repo))
    assert any(p.path == MEASURE and p.code == "HR103" for p in caught.value.problems)
    # the other types stay usable: only what a command reads must be valid
    assert "trafficking" in Repository(repo).networks()


# --- crashes on arguments -----------------------------------------------------------------------------

@pytest.mark.parametrize("args, flag", [
    (["meeting", "plan", "--network", "trafficking", "--year", "0"], "--year"),
    (["meeting", "plan", "--network", "trafficking", "--year", "-1"], "--year"),
    (["meeting", "plan", "--network", "trafficking", "--year", "12345678901234567890"], "--year"),
    (["meeting", "check", "--year", "0"], "--year"),
    (["report", "action-plan", "--year", "99999"], "--year"),
    (["report", "quarterly", "--quarter", "0000-Q1"], "--quarter"),
    (["status", "--today", "9999-12-31"], "--today"),
    (["changes", "--until", "9999-12-31"], "--until"),
    (["changes", "--since", "0001-01-01"], "--since"),
])
def test_out_of_range_years_and_dates_are_usage_errors_naming_the_flag(repo, args, flag):
    r = run(repo, *args)
    assert r.exit_code == 2, r.stderr
    assert flag in r.stderr and "internal error" not in r.stderr


# --- a command that fails half-way ------------------------------------------------------------------

def test_a_trailing_line_break_in_an_email_is_refused_before_the_notice(repo):
    """`chair_email: "x@udi.example\\n"` passed validation (`$`, not `\\Z`); then `meeting notice`
    marked the meeting notified and crashed. Now validate refuses it, and the notice writes nothing."""
    _replace(repo, NETWORK, "chair_email: koordinator@udi.example", 'chair_email: "koordinator@udi.example\\n"')
    report = validate(Repository(repo))
    assert any(p.path == NETWORK and "chair_email" in p.message for p in report.problems)
    before = tree_hash(repo)
    r = run(repo, "meeting", "notice", "--network", "trafficking", "--ics", str(repo.parent / "x.ics"))
    _refused_with_the_problem(r, NETWORK)
    assert tree_hash(repo) == before and not (repo.parent / "x.ics").exists()


def test_a_notice_that_fails_after_it_is_built_writes_nothing_and_the_retry_is_a_first_issue(repo, monkeypatch):
    from hrcoord.core.errors import HrcoordError
    from hrcoord.networks import documents

    def broken(*a, **k):
        raise HrcoordError("the Word document could not be made")

    meeting = repo / "data/meetings/trafficking/2014-12-09.md"
    before, text = tree_hash(repo), meeting.read_text(encoding="utf-8")
    monkeypatch.setattr(documents, "notice_document", broken)
    r = run(repo, "meeting", "notice", "--network", "trafficking", "--ics", str(repo.parent / "inv.ics"))
    assert r.exit_code == 1 and "could not be made" in r.stderr
    assert tree_hash(repo) == before and meeting.read_text(encoding="utf-8") == text
    assert not (repo.parent / "inv.ics").exists()
    monkeypatch.undo()
    again = run(repo, "meeting", "notice", "--network", "trafficking", "--ics", str(repo.parent / "inv.ics"))
    assert again.exit_code == 0, again.stderr
    assert "(first issue)" in again.stderr and "SEQUENCE 1" not in again.stderr
    assert "status: notified" in meeting.read_text(encoding="utf-8")
    assert "SEQUENCE:0" in (repo.parent / "inv.ics").read_text(encoding="utf-8")


# --- environment errors -----------------------------------------------------------------------------

@pytest.mark.parametrize("errno_name", ["EROFS", "EACCES"])
def test_a_read_only_file_system_is_one_line_with_the_path(repo, monkeypatch, errno_name):
    import errno
    import os

    real = os.replace

    def refuse(src, dst, *a, **k):
        if ".hrcoord" not in str(dst):
            code = getattr(errno, errno_name)
            raise OSError(code, os.strerror(code), str(dst))
        return real(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", refuse)
    before = tree_hash(repo)
    r = run(repo, "measure", "update", "trafficking-2011-2014/tiltak-5", "--status", "delayed")
    assert r.exit_code == 1, r.stderr
    line = r.stderr.strip().splitlines()[-1]
    assert line.startswith("hrcoord: cannot write ") and "tiltak-5.yaml" in line
    assert os.strerror(getattr(errno, errno_name)) in line
    assert tree_hash(repo) == before


def test_init_on_a_file_is_a_usage_error(tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("mine\n", encoding="utf-8")
    r = invoke(["init", str(target)])
    assert r.exit_code == 2 and "is a file" in r.stderr
    assert target.read_text(encoding="utf-8") == "mine\n"


# --- control characters -----------------------------------------------------------------------------

@pytest.mark.parametrize("value", ['"Rådgiver\\r\\nATTENDEE:mailto:evil@x"', '"Rådgiver\\u0007"', '"a\\u2028b"'])
def test_control_characters_in_a_member_name_never_reach_the_invitation(repo, value):
    _replace(repo, NETWORK, "name: Koordinator for menneskehandel, Asylavdelingen", f"name: {value}")
    report = validate(Repository(repo))
    assert any(p.path == NETWORK and p.code == "HR103" for p in report.problems)
    ics = repo.parent / "inv.ics"
    r = run(repo, "meeting", "notice", "--network", "trafficking", "--ics", str(ics))
    _refused_with_the_problem(r, NETWORK)
    assert not ics.exists()


@pytest.mark.parametrize("command", [["meeting", "agenda", "--network", "trafficking", "-f", "docx", "-o", "{out}"],
                                     ["publish", "--out", "{out}"]], ids=["word", "feed"])
def test_control_characters_in_a_title_stop_word_and_feed_output(repo, command):
    rel = "data/judgments/2014/tarakhel-v-switzerland-2014.md"
    _replace(repo, rel, "title: Tarakhel", 'title: "Tara\\u000bkhel')
    text = (repo / rel).read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("title:"))
    _replace(repo, rel, line, line + '"')
    out = repo.parent / "out-doc"
    r = run(repo, *[a.replace("{out}", str(out)) for a in command])
    _refused_with_the_problem(r, rel)
    assert not out.exists()


# --- a repository's own templates --------------------------------------------------------------------

TEMPLATE = "templates/report/quarterly.md.j2"


@pytest.mark.parametrize("source, says", [
    ("{% include 'nope.j2' %}", "template 'nope.j2' not found"),
    ("{% include '/etc/passwd' %}", "template '/etc/passwd' not found"),
    ("{% include 'report/quarterly.md.j2' %}", "includes or calls itself"),
    ("{{ 1 + 'a' }}", "TypeError"),
    ("{% for i in range(10**8) %}x{% endfor %}", "refused by the sandbox"),
    ("{{ 'a' * 1000000000 }}", "refused by the sandbox"),
    ("{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
     "refused by the sandbox"),
    ("{{ 'x'.center(10**9) }}", "refused by the sandbox"),
    ("{{ nothing_here }}", "'nothing_here' is undefined"),
])
def test_a_repository_template_error_names_its_file_and_line(repo, source, says):
    write(repo / TEMPLATE, "# Kvartal\n\n" + source + "\n")
    r = run(repo, "report", "quarterly", "--quarter", "2014-Q2")
    assert r.exit_code == 1, r.stderr
    assert f"{TEMPLATE}:3" in r.stderr and says in r.stderr, r.stderr
    assert "internal error" not in r.stderr


def test_a_repository_template_has_a_time_limit(repo, monkeypatch):
    from hrcoord.render import env

    monkeypatch.setattr(env, "RENDER_SECONDS", 0.0)
    write(repo / TEMPLATE, "{% for x in range(100000) %}{% for y in range(100000) %}{% endfor %}{% endfor %}\n")
    r = run(repo, "report", "quarterly", "--quarter", "2014-Q2")
    assert r.exit_code == 1 and "took longer than" in r.stderr and TEMPLATE in r.stderr, r.stderr


# --- logs that do not grow or leak -------------------------------------------------------------------

def test_internal_error_logs_keep_the_last_ten_without_free_text(repo, monkeypatch, tmp_path):
    from hrcoord.actionplans import measures
    from hrcoord.cli import main

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    def boom(*a, **k):
        raise RuntimeError("a bug")

    monkeypatch.setattr(measures, "update", boom)
    for n in range(15):
        r = run(repo, "measure", "update", "trafficking-2011-2014/tiltak-5", "--status", "delayed",
                "--note", f"Ola Nordmann, født 01.02.1980, ring 99 88 77 6{n % 10}")
        assert r.exit_code == 3 and "internal error" in r.stderr
    logs = sorted((tmp_path / "cache").rglob("error-*.log"))
    assert len(logs) == main.KEEP_LOGS == 10
    for log in logs:
        text = log.read_text(encoding="utf-8")
        assert "RuntimeError: a bug" in text
        assert "Ola Nordmann" not in text and "99 88" not in text
        assert "measure update … --status delayed --note … --repo …" in text
