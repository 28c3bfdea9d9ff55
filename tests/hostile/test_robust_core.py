"""The core pieces of issue 19 at the library level, and the messages of issue 11 item 8:
load-validate-act (the guard), the transaction API, the lock, portable fallbacks, and what a
person reads when a flag or a file is wrong."""
from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import click
import pytest
from robust_helpers import all_commands, invoke, make_pristine, restore

from conftest import write
from hrcoord.core import fsutil, transaction
from hrcoord.core.errors import DataError, HrcoordError
from hrcoord.core.loader import load_text
from hrcoord.core.repo import Repository

HEARING = "data/hearings/2014-jd-lengevaerende-barn.yaml"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    return make_pristine(tmp_path_factory.mktemp("core") / "repo")


@pytest.fixture
def repo(pristine, tmp_path):
    return restore(pristine, tmp_path / "repo")


# --- load, validate, then act ----------------------------------------------------------------------

def test_warnings_never_stop_a_command(repo):
    write(repo / "data/stray.yaml", "a: 1\n")  # HR208, a warning
    assert Repository(repo).records("hearing")
    r = invoke(["hearing", "list", "--repo", repo])
    assert r.exit_code == 0 and "2014-jd-lengevaerende-barn" in r.stdout


def test_an_error_in_the_settings_stops_every_command_but_validate(repo):
    (repo / "hrcoord.yaml").write_text("language: [nb]\n", encoding="utf-8")
    for args in (["hearing", "list"], ["network", "list"], ["judgment", "list"]):
        r = invoke([*args, "--repo", repo])
        assert r.exit_code == 1 and "hrcoord.yaml:1:" in r.stderr and "settings" in r.stderr, r.stderr
    r = invoke(["validate", "--repo", repo])
    assert r.exit_code == 1 and "hrcoord.yaml:1:11: error HR103" in r.stderr
    assert "files checked: 1 error" in r.stderr  # validate's own report, not a refusal
    r = invoke(["validate", "--repo", repo, "--format", "json"])
    assert r.exit_code == 1 and '"errors": 1' in r.stdout


def test_an_error_stops_only_the_commands_that_read_that_type(repo):
    write(repo / HEARING, "sender: JD\n")  # required fields missing
    assert invoke(["hearing", "list", "--repo", repo]).exit_code == 1
    assert invoke(["network", "list", "--repo", repo]).exit_code == 0
    with pytest.raises(DataError) as caught:
        Repository(repo).records("hearing")
    assert {p.code for p in caught.value.problems} == {"HR102"}


def test_a_file_changed_after_it_was_validated_is_not_used_unchecked(repo):
    r = Repository(repo)
    r.require("network")  # validates everything once; the hearings are read later
    write(repo / HEARING, "sender: [not, text]\n")
    with pytest.raises(HrcoordError, match="changed by another program while hrcoord read"):
        r.records("hearing")


def test_the_guard_costs_one_warm_validation(repo, monkeypatch):
    """A warm repository: the guard answers from the last outcome without parsing a file."""
    from hrcoord.core import loader

    Repository(repo).records("judgment")
    calls = []
    real = loader.parse_yaml
    monkeypatch.setattr(loader, "parse_yaml", lambda src: calls.append(src.rel) or real(src))
    Repository(repo).require("judgment", "meeting", "measure")
    assert calls == []


# --- the transaction API ---------------------------------------------------------------------------

def test_a_transaction_reads_under_the_lock_and_writes_everything_at_the_end(repo):
    with transaction.transaction(repo) as tx:
        rec = tx.read("hearing", "2014-jd-lengevaerende-barn")
        tx.update(rec, {**rec.data, "status": "in-progress"})
        new = repo / "data/hearings/2014-ny.yaml"
        tx.create("hearing", new, {"sender": "JD", "title": "Ny høring", "received": "2014-06-01",
                                   "deadline": "2014-09-01", "responsible": "ASA", "status": "received"})
        assert "status: answered" in (repo / HEARING).read_text(encoding="utf-8")  # not yet written
        assert not new.exists()
        seen = Repository(repo).records("hearing")  # read your own writes
        assert seen["2014-jd-lengevaerende-barn"].get("status") == "in-progress" and "2014-ny" in seen
    assert "status: in-progress" in (repo / HEARING).read_text(encoding="utf-8") and new.exists()


def test_a_failure_inside_a_transaction_writes_nothing(repo):
    before = (repo / HEARING).read_bytes()
    with pytest.raises(RuntimeError), transaction.transaction(repo) as tx:
        rec = tx.read("hearing", "2014-jd-lengevaerende-barn")
        tx.update(rec, {**rec.data, "status": "in-progress"})
        raise RuntimeError("after building, before writing")
    assert (repo / HEARING).read_bytes() == before


def test_a_file_changed_by_another_program_between_read_and_write_is_refused(repo):
    with pytest.raises(transaction.Conflict, match="changed by another program since it was read"), \
            transaction.transaction(repo) as tx:
        rec = tx.read("hearing", "2014-jd-lengevaerende-barn")
        tx.update(rec, {**rec.data, "status": "in-progress"})
        (repo / HEARING).write_text((repo / HEARING).read_text(encoding="utf-8") + "note: Et redigeringsprogram.\n",
                                    encoding="utf-8")
    assert "Et redigeringsprogram" in (repo / HEARING).read_text(encoding="utf-8")


def test_a_new_record_that_appeared_meanwhile_is_not_overwritten(repo):
    path = repo / "data/hearings/2014-ny.yaml"
    with pytest.raises(HrcoordError, match="already exists"), transaction.transaction(repo) as tx:
        tx.create("hearing", path, {"sender": "JD", "title": "Ny", "received": "2014-06-01",
                                    "deadline": "2014-09-01", "responsible": "ASA", "status": "received"})
        path.write_text("sender: someone else\n", encoding="utf-8")
    assert path.read_text(encoding="utf-8") == "sender: someone else\n"


# --- the lock ------------------------------------------------------------------------------------------

def test_the_lock_is_never_truncated_and_excludes_threads(tmp_path):
    (tmp_path / ".hrcoord").mkdir()
    (tmp_path / ".hrcoord/lock").write_text("kept\n", encoding="utf-8")
    inside, order = threading.Event(), []

    def hold():
        with fsutil.repo_lock(tmp_path):
            order.append("first in")
            inside.set()
            threading.Event().wait(0.05)  # (a hand-over, not a timing assertion)
            order.append("first out")

    t = threading.Thread(target=hold)
    t.start()
    inside.wait()
    with fsutil.repo_lock(tmp_path), fsutil.repo_lock(tmp_path):  # re-entrant in one thread
        order.append("second in")
    t.join()
    assert order == ["first in", "first out", "second in"]
    assert (tmp_path / ".hrcoord/lock").read_text(encoding="utf-8") == "kept\n"


def test_a_lock_that_is_not_a_plain_file_is_refused(tmp_path):
    (tmp_path / ".hrcoord").mkdir()
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / ".hrcoord/lock")
        with pytest.raises(HrcoordError, match="not a plain file"), fsutil.repo_lock(tmp_path):
            pass


# --- portable fallbacks, run on this platform --------------------------------------------------------

@pytest.mark.parametrize("how", ["no link", "link refused"])
def test_exclusive_create_without_hard_links(tmp_path, monkeypatch, how):
    """File systems without hard links (FAT, some network shares): an O_EXCL create claims the
    name; still one winner among racing writers, and an existing file is never replaced."""
    if how == "no link":
        monkeypatch.delattr(os, "link", raising=False)  # (already gone in the portable run)
    else:
        def refuse(*a, **k):
            raise OSError(errno.EPERM, "Operation not permitted")
        monkeypatch.setattr(os, "link", refuse, raising=False)
    target = tmp_path / "race.md"
    wins, barrier = [], threading.Barrier(6)

    def worker(n):
        barrier.wait()
        try:
            fsutil.atomic_write(target, f"writer {n}", exclusive=True)
            wins.append(n)
        except HrcoordError:
            pass

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(wins) == 1 and target.read_text() == f"writer {wins[0]}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["race.md"]


def test_links_are_refused_where_open_cannot_refuse_them(repo, tmp_path, monkeypatch):
    """Without O_NOFOLLOW (Windows), the walk and the lock still refuse links by looking first."""
    from hrcoord.core import loader

    if not hasattr(os, "symlink") or os.name == "nt":
        pytest.skip("no symbolic links")
    monkeypatch.setattr(fsutil, "O_NOFOLLOW", 0)
    monkeypatch.setattr(loader, "_OPEN_FLAGS", loader._OPEN_FLAGS & ~getattr(os, "O_NOFOLLOW", 0))
    (tmp_path / "elsewhere.yaml").write_text("sender: x\n", encoding="utf-8")
    (repo / "data/hearings/l.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    r = invoke(["validate", "--repo", repo])
    assert "data/hearings/l.yaml:1:1: error HR012" in r.stderr
    (repo / ".hrcoord").mkdir(exist_ok=True)
    (repo / ".hrcoord/lock").symlink_to(tmp_path / "elsewhere.yaml")
    with pytest.raises(HrcoordError, match="symbolic link"), fsutil.repo_lock(repo):
        pass


def test_record_keys_come_from_path_parts():
    from pathlib import PureWindowsPath

    assert Repository.key_of("measure", Path("data", "measures", "plan-a", "m-1.yaml")) == "plan-a/m-1"
    assert Repository.key_of("judgment", Path("data", "judgments", "2014", "x-2014.md")) == "x-2014"
    parts = PureWindowsPath(r"C:\repo\data\meetings\fgm\2014-01-01.md").parts
    assert Repository.key_of("meeting", Path(*parts[1:])) == "fgm/2014-01-01"


# --- messages a person understands ---------------------------------------------------------------------

DATE_FLAGS = ("today", "since", "until", "date", "deadline", "received", "answered", "due_before", "meeting")


def _date_flag_commands():
    for path, cmd in all_commands():
        for p in cmd.params:
            if isinstance(p, click.Option) and p.name in DATE_FLAGS:
                yield " ".join(path), p.opts[0]


# what the commands that only read need besides the date flag
READERS = {"judgment digest": ["judgment", "digest", "--since", "2014-01-01"],
           "meeting minutes": ["meeting", "minutes", "--network", "trafficking", "--meeting", "2014-02-11"],
           "meeting check": ["meeting", "check"],
           "report action-plan": ["report", "action-plan", "--year", "2014"],
           "report quarterly": ["report", "quarterly", "--quarter", "2014-Q2"]}


@pytest.mark.parametrize("command, flag", sorted(set(_date_flag_commands())))
def test_a_date_in_the_wrong_form_is_answered_with_the_right_one(repo, command, flag, tmp_path):
    from robust_helpers import OUT, WRITERS

    base = [a.replace(OUT, str(tmp_path)) for a in WRITERS.get(command, READERS.get(command, command.split()))]
    r = invoke([*base, flag, "28.06.2011", "--repo", str(repo)])
    args = [*base, flag]
    assert r.exit_code == 2, (args, r.stderr)
    assert flag in r.stderr and "use YYYY-MM-DD: 2011-06-28" in r.stderr, (args, r.stderr)
    assert len([line for line in r.stderr.splitlines() if line.startswith("hrcoord:")]) == 1  # one mistake, one line


def test_a_date_in_the_wrong_form_in_a_record(repo):
    from hrcoord.core.validate import validate

    p = repo / HEARING
    p.write_text(p.read_text(encoding="utf-8").replace("deadline: 2014-", "deadline: 2014x-"), encoding="utf-8")
    write(repo / "data/hearings/2014-dmy.yaml", "sender: JD\ntitle: T\nreceived: 28.06.2011\ndeadline: 2011-09-01\n"
          "responsible: ASA\nstatus: received\n")
    report = validate(Repository(repo))
    [problem] = [p for p in report.problems if p.path == "data/hearings/2014-dmy.yaml"]
    assert problem.code == "HR105" and problem.line == 3 and "use YYYY-MM-DD: 2011-06-28" in problem.message


@pytest.mark.parametrize("year", ["1899-12-31", "2200-01-01"])
def test_a_date_beyond_the_years_a_record_can_hold(year):
    from hrcoord.core.models.base import Context, Field, Issue, check_value

    out: list[Issue] = []
    check_value(Field("deadline", "date"), year, ("deadline",), Context(), out)
    assert out and out[0].code == "HR105" and "between 1900 and 2199" in out[0].message


def test_a_colon_in_a_plain_value_gets_the_hint_to_quote_it():
    loaded = load_text("title: Nunez v. Norway: a note\n")
    [problem] = loaded.problems
    assert problem.code == "HR001" and problem.line == 1
    assert problem.message.endswith('quote the value: title: "Nunez v. Norway: a note"')


def test_a_bad_flag_value_is_one_message_against_the_flag(repo):
    r = invoke(["hearing", "add", "--sender", "JD", "--title", "T", "--received", "2014-06-01",
                "--deadline", "2014-09-01", "--responsible", "ASA", "--url", "ftp://x", "--repo", repo])
    assert r.exit_code == 2
    assert r.stderr.strip().splitlines() == [
        "hrcoord: --url: 'url' must be an http(s) URL, not 'ftp://x' (HR112); not written"]
