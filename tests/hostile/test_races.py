"""Concurrent writers (issue 19): for every pair of writers on the same record, >= 20 rounds of
both at once (threads released by a barrier), and the outcome must be one that running them one
after the other could give — both changes, in either order — or one of them refused (never a
lost update). Each writer's change is checked on the record's bytes: the final state of the data
folder equals the serial outcome A-then-B or B-then-A (or the other's alone when one refused).

Also through real processes, for the pair the hostile run found losing updates (judgment review
and judgment status on one summary, 4 of 10 rounds before), and fmt beside measure update."""
from __future__ import annotations

import datetime as dt
import shutil
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from robust_helpers import restore, tree_hash

from conftest import ROOT, run_process
from hrcoord.core.errors import HrcoordError
from hrcoord.core.repo import Repository

ROUNDS = 20
TODAY = dt.date(2014, 12, 1)
JUDGMENT = "data/judgments/2014/jeunesse-v-the-netherlands-2014.md"  # approved, with a review stamp
MEASURE = "data/measures/trafficking-2011-2014/tiltak-5.yaml"
HEARING = "data/hearings/2014-jd-lengevaerende-barn.yaml"
SUBMISSION = "data/submissions/trafficking/2014-11-28-rma-opplaering-mottaksansatte.yaml"  # proposed
MEETING = "data/meetings/trafficking/2014-12-09.md"  # planned


def _fmt(root: Path) -> None:
    from hrcoord.core.fmt import format_repository

    format_repository(Repository(root, guard=False))


def _review(by: str) -> Callable[[Path], None]:
    def run(root: Path) -> None:
        from hrcoord.caselaw import judgments

        judgments.review(Repository(root), "jeunesse-v-the-netherlands-2014", by, today=TODAY)
    return run


def _status(root: Path) -> None:
    from hrcoord.caselaw import judgments

    judgments.set_status(Repository(root), "jeunesse-v-the-netherlands-2014", "in-review", today=TODAY)


def _measure(note: str) -> Callable[[Path], None]:
    def run(root: Path) -> None:
        from hrcoord.actionplans import measures

        measures.update(Repository(root), "trafficking-2011-2014/tiltak-5", status="in-progress", note=note,
                        date=TODAY, by="Koordinator")
    return run


def _hearing(root: Path) -> None:
    from hrcoord.actionplans import hearings

    hearings.set_status(Repository(root), "2014-jd-lengevaerende-barn", "in-progress")


def _submission(status: str) -> Callable[[Path], None]:
    def run(root: Path) -> None:
        from hrcoord.networks.submissions import find_submission, set_submission_status

        r = Repository(root)
        rec = find_submission(r, "trafficking/2014-11-28-rma-opplaering-mottaksansatte")
        set_submission_status(r, rec, status, reason="Tatt opp i et annet forum." if status == "rejected" else None)
    return run


def _agenda(root: Path) -> None:
    from hrcoord.networks.agenda import compile_agenda, write_agenda
    from hrcoord.networks.meetings import find_meeting

    r = Repository(root)
    m = find_meeting(r, "trafficking", "2014-12-09")
    write_agenda(r, compile_agenda(r, r.network("trafficking"), m, "nb", rebuild=True))


def _notice(root: Path) -> None:
    from hrcoord.networks.agenda import compile_agenda
    from hrcoord.networks.meetings import find_meeting
    from hrcoord.networks.notice import issue_notice

    r = Repository(root)
    m = find_meeting(r, "trafficking", "2014-12-09")
    issue_notice(r, compile_agenda(r, r.network("trafficking"), m, "nb"), today=TODAY)


# record -> its writers; every pair of them races (an appending writer also against itself)
PAIRS = [
    (JUDGMENT, "review", _review("Seniorrådgiver A"), "status", _status),
    (JUDGMENT, "review", _review("Seniorrådgiver A"), "review again", _review("Seniorrådgiver B")),
    (JUDGMENT, "review", _review("Seniorrådgiver A"), "fmt", _fmt),
    (JUDGMENT, "status", _status, "fmt", _fmt),
    (MEASURE, "update", _measure("Første runde."), "update", _measure("Andre runde.")),
    (MEASURE, "update", _measure("Første runde."), "fmt", _fmt),
    (HEARING, "status", _hearing, "fmt", _fmt),
    (SUBMISSION, "accept", _submission("accepted"), "reject", _submission("rejected")),
    (SUBMISSION, "accept", _submission("accepted"), "fmt", _fmt),
    (SUBMISSION, "reject", _submission("rejected"), "fmt", _fmt),
    (MEETING, "agenda --write", _agenda, "notice", _notice),
    (MEETING, "agenda --write", _agenda, "fmt", _fmt),
    (MEETING, "notice", _notice, "fmt", _fmt),
]


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("race-base") / "repo"
    root.mkdir()
    shutil.copy(ROOT / "hrcoord.yaml", root / "hrcoord.yaml")
    shutil.copytree(ROOT / "data", root / "data")
    return root


def _prepare(base: Path, dest: Path, rel: str) -> Path:
    """A copy with the record in CRLF line ends: not canonical, so that fmt has work on it."""
    restore(base, dest)
    p = dest / rel
    p.write_bytes(p.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    return dest


def _outcome(fn: Callable[[Path], None], root: Path) -> bool:
    try:
        fn(root)
        return True
    except HrcoordError:
        return False  # refused (changed meanwhile, or not allowed after the other's change)


def _serial(base: Path, work: Path, rel: str, *fns) -> str:
    root = _prepare(base, work, rel)
    for fn in fns:
        _outcome(fn, root)
    return tree_hash(root / "data")


@pytest.mark.parametrize("rel, a_name, a, b_name, b", PAIRS, ids=[f"{p[0].split('/')[1]}: {p[1]} | {p[3]}"
                                                                   for p in PAIRS])
def test_two_writers_at_once_lose_nothing(base, tmp_path, rel, a_name, a, b_name, b):
    expected = {"both": {_serial(base, tmp_path / "ab", rel, a, b), _serial(base, tmp_path / "ba", rel, b, a)},
                "a": {_serial(base, tmp_path / "a", rel, a)}, "b": {_serial(base, tmp_path / "b", rel, b)}}
    start = tree_hash(_prepare(base, tmp_path / "start", rel) / "data")
    seen = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for n in range(ROUNDS):
            root = _prepare(base, tmp_path / "race", rel)
            barrier = threading.Barrier(2)

            def run(fn, root=root, barrier=barrier):
                barrier.wait()
                return _outcome(fn, root)

            done_a, done_b = pool.submit(run, a), pool.submit(run, b)
            ok_a, ok_b = done_a.result(), done_b.result()
            final = tree_hash(root / "data")
            which = "both" if ok_a and ok_b else "a" if ok_a else "b" if ok_b else None
            assert which is not None and final in expected[which], \
                f"round {n}: {a_name} {'ok' if ok_a else 'refused'}, {b_name} {'ok' if ok_b else 'refused'}: " \
                f"the record holds neither serial outcome" + (" (unchanged)" if final == start else "")
            seen.append(which)
    assert len(seen) == ROUNDS


def _cli(root: Path, *args: str):
    return run_process(["--repo", root, *args], env={"HRCOORD_REPO": ""})


def test_review_and_status_in_two_processes_lose_nothing(base, tmp_path):
    """The finding: `judgment review` and `judgment status` on one summary at once — both said
    they succeeded and one change was gone (4 of 10 rounds). Now both changes are there, or one
    command says the file changed and writes nothing."""
    for n in range(ROUNDS):
        root = _prepare(base, tmp_path / f"p{n}", JUDGMENT)
        with ThreadPoolExecutor(max_workers=2) as pool:
            rv = pool.submit(_cli, root, "judgment", "review", "jeunesse-v-the-netherlands-2014", "--by", f"R{n}",
                             "--today", "2014-12-01")
            st = pool.submit(_cli, root, "judgment", "status", "jeunesse-v-the-netherlands-2014", "in-review",
                             "--today", "2014-12-01")
            rv_r, st_r = rv.result(), st.result()
        text = (root / JUDGMENT).read_text(encoding="utf-8")
        assert rv_r.returncode in (0, 1) and st_r.returncode in (0, 1), rv_r.stderr + st_r.stderr
        for proc, present in ((rv_r, f"by: R{n}" in text), (st_r, "status: in-review" in text)):
            if proc.returncode == 0:
                assert present, f"round {n}: a command said it succeeded, and its change is gone"
            else:
                assert "changed by another program since it was read" in proc.stderr


def test_fmt_beside_measure_update_never_writes_the_old_log_back(base, tmp_path):
    """The finding: `fmt` beside `measure update` wrote the old log back after "appended" (1 of
    40), which breaks "history is never rewritten"."""
    for n in range(2 * ROUNDS):
        root = _prepare(base, tmp_path / "m", MEASURE)
        barrier = threading.Barrier(2)
        results = {}

        def run(name, fn, root=root, barrier=barrier, results=results):
            barrier.wait()
            results[name] = _outcome(fn, root)

        threads = [threading.Thread(target=run, args=("update", _measure(f"Runde {n}."))),
                   threading.Thread(target=run, args=("fmt", _fmt))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        text = (root / MEASURE).read_text(encoding="utf-8")
        if results["update"]:
            assert f"Runde {n}." in text, f"round {n}: the appended entry was lost"
        assert "\r" not in text or not results["fmt"]
