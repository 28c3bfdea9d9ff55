"""The validation cache: a warm run re-reads nothing; a change to a vocabulary or to a linked
record re-checks what depends on it; results equal a run without the cache."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from hrcoord.core.repo import Repository
from hrcoord.core.validate import validate


def count_loads(monkeypatch) -> list:
    loaded = []
    original = Repository.load_record

    def spy(self, type_, path):
        path = Path(path)
        if path.parent.name != "data":  # the three vocabularies are read to build the context
            loaded.append(path.name)
        return original(self, type_, path)

    monkeypatch.setattr(Repository, "load_record", spy)
    return loaded


def codes(report):
    return sorted((p.path.rsplit("/", 1)[-1], p.code) for p in report.problems)


def test_warm_run_reads_no_record(scratch_repo, monkeypatch):
    cold = validate(Repository(scratch_repo))
    assert (scratch_repo / ".hrcoord/cache/validate.msgpack").is_file()
    loaded = count_loads(monkeypatch)
    warm = validate(Repository(scratch_repo))
    assert loaded == []
    assert warm.problems == cold.problems


def test_changed_file_is_rechecked(scratch_repo, monkeypatch):
    validate(Repository(scratch_repo))
    p = scratch_repo / "data/networks/fgm.yaml"
    p.write_text(p.read_text().replace("department: ASA", "department: XYZ", 1))
    loaded = count_loads(monkeypatch)
    report = validate(Repository(scratch_repo))
    assert loaded == ["fgm.yaml"]
    assert ("fgm.yaml", "HR114") in codes(report)


def test_vocabulary_change_rechecks_dependents(scratch_repo):
    assert validate(Repository(scratch_repo)).errors == 0
    tax = scratch_repo / "data/taxonomy.yaml"
    # drop the relevance area 'trafficking'; Rantsev's summary (unchanged) uses it
    text = tax.read_text()
    text = re.sub(r"- slug: trafficking\n(  .*\n)+", "", text, count=1)
    tax.write_text(text)
    report = validate(Repository(scratch_repo))
    assert ("rantsev-v-cyprus-and-russia-2010.md", "HR114") in codes(report)
    assert report == validate(Repository(scratch_repo), use_cache=False)


def test_linked_record_change_rechecks_the_link(scratch_repo):
    assert validate(Repository(scratch_repo)).errors == 0
    later = next((scratch_repo / "data/judgments").rglob("f-g-v-sweden-2016.md"))
    text = later.read_text()
    later.write_text(text.replace("relation: earlier-stage", "relation: cites"))
    report = validate(Repository(scratch_repo))
    # the Chamber judgment did not change, but its later-stage link is no longer mirrored
    assert ("f-g-v-sweden-2014.md", "HR207") in codes(report)
    later.unlink()
    report = validate(Repository(scratch_repo))
    assert ("f-g-v-sweden-2014.md", "HR201") in codes(report)


def test_corrupt_cache_is_ignored(scratch_repo):
    validate(Repository(scratch_repo))
    for name in ("validate.msgpack", "validate-last.msgpack"):
        (scratch_repo / ".hrcoord/cache" / name).write_bytes(b"\xc1 not msgpack")
    assert validate(Repository(scratch_repo)).errors == 0
    for name in ("validate.msgpack", "validate-last.msgpack"):  # and one that parses, of another shape
        (scratch_repo / ".hrcoord/cache" / name).write_bytes(b"\x93\x01\x02\x03")
    assert validate(Repository(scratch_repo)).errors == 0


def test_today_is_part_of_the_key(scratch_repo):
    import datetime as dt

    assert validate(Repository(scratch_repo)).errors == 0
    report = validate(Repository(scratch_repo), today=dt.date(2012, 1, 1))
    assert any(p.code == "HR106" for p in report.problems)


def test_record_cache_serves_unchanged_files(scratch_repo, monkeypatch):
    from hrcoord.core import repo as repo_module

    monkeypatch.setattr(repo_module, "CACHE_FROM", 1)
    first = Repository(scratch_repo).records("judgment")
    loaded = count_loads(monkeypatch)
    again = Repository(scratch_repo).records("judgment")
    assert loaded == []
    assert {k: (r.data, r.body) for k, r in again.items()} == {k: (r.data, r.body) for k, r in first.items()}
    p = next((scratch_repo / "data/judgments").rglob("rantsev*.md"))
    p.write_text(p.read_text().replace("## Faktum", "Ny setning.\n\n## Faktum"))
    third = Repository(scratch_repo).records("judgment")
    assert loaded == [p.name]
    assert "Ny setning." in third["rantsev-v-cyprus-and-russia-2010"].body


def test_a_planted_cache_cannot_run_code_nor_hide_problems(scratch_repo):
    """Caches are plain data (no pickle): a cache that arrives with a cloned repository can hold
    nothing but data, and its entries' stat signatures (inode, change time) never match the
    cloned files, so it cannot hide a problem either."""
    import pickle
    import shutil

    class Boom:
        def __reduce__(self):
            return (exec, ("raise SystemExit('unpickled a planted cache')",))

    target = next(p for p in sorted((scratch_repo / "data/judgments").rglob("*.md")))
    target.write_text(target.read_text().replace("title:", "titel:", 1))  # HR101 and HR102
    planted = validate(Repository(scratch_repo)).errors
    assert planted > 0
    clone = scratch_repo.parent / "clone"
    shutil.copytree(scratch_repo, clone)  # .hrcoord/cache comes along, as a committed one would
    for name in ("records-judgment.pickle", "validate.pickle"):
        (clone / ".hrcoord/cache" / name).write_bytes(b"\0" * 32 + pickle.dumps(Boom()))
    assert validate(Repository(clone)).errors == planted  # every problem found again, nothing unpickled
    assert not (scratch_repo.parent / "home-key").exists()
    assert not any(p.name == "key" for p in (clone / ".hrcoord").rglob("*"))


def test_nothing_changed_gives_the_last_outcome_without_checking(scratch_repo, monkeypatch):
    """The fast path (no file changed, added or removed) returns exactly what a full run finds,
    warnings, `--strict` and path filters included; any change falls back to the full run."""
    import hrcoord.core.validate as v

    summaries = sorted((scratch_repo / "data/judgments").rglob("*.md"))
    target = next(p for p in summaries if "status: draft" in p.read_text())
    # an e-mail address
    target.write_text(target.read_text().replace("\n## ", "\nSkriv til klager@example.com.\n\n## ", 1))
    full = validate(Repository(scratch_repo), use_cache=False)
    assert any(p.code == "HR301" for p in full.problems)
    validate(Repository(scratch_repo))  # stores the outcome
    monkeypatch.setattr(v, "cross_check", lambda *a: (_ for _ in ()).throw(AssertionError("checked again")))
    warm = validate(Repository(scratch_repo))
    assert warm.problems == full.problems and warm.files == full.files
    strict = validate(Repository(scratch_repo), strict=True)
    assert {p.severity for p in strict.problems} == {"error"}
    rel = target.relative_to(scratch_repo).as_posix()
    only = validate(Repository(scratch_repo), paths=[str(target)])
    assert only.problems and all(p.path == rel for p in only.problems)
    monkeypatch.undo()
    (target.parent / "extra-v-norway.md").write_text(target.read_text())  # a new file: full run again
    again = validate(Repository(scratch_repo))
    assert any(p.path.endswith("extra-v-norway.md") for p in again.problems)


def _plant_problems(repo: Path) -> str:
    """A YAML error, a field error, a cross-record error (one reference summarised twice) and a
    stray file; the name of the twin's original."""
    judgments = sorted((repo / "data/judgments").rglob("*.md"))
    judgments[0].write_text(judgments[0].read_text().replace("title:", "title: [unclosed\nx:", 1))
    judgments[1].write_text(judgments[1].read_text().replace("date: ", "date: 2014-02-30\nold_date: ", 1))
    judgments[2].with_name("twin-" + judgments[2].name).write_text(judgments[2].read_text())
    (repo / "data/judgments/stray.txt").write_text("not a record\n")
    return judgments[2].name


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_validate_on_every_core_finds_what_one_core_finds(scratch_repo, monkeypatch, method):
    import multiprocessing

    from hrcoord.core import cache as cache_store
    from hrcoord.core import pool
    from hrcoord.core import validate as validate_mod

    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} here")
    original = _plant_problems(scratch_repo)
    serial = validate(Repository(scratch_repo), use_cache=False)
    assert {"HR001", "HR202"} <= {p.code for p in serial.problems} and serial.errors >= 3
    monkeypatch.setenv("HRCOORD_START_METHOD", method)
    monkeypatch.setattr(validate_mod, "PARALLEL_FROM", 1)
    monkeypatch.setattr(pool, "cores", lambda: 2)
    loaded = count_loads(monkeypatch)
    parallel = validate(Repository(scratch_repo))
    assert parallel == serial
    # the workers parsed the records; here only the two with a cross-record problem, for positions
    with_problems = {p.path.rsplit("/", 1)[-1] for p in serial.problems}
    assert "twin-" + original in loaded and set(loaded) <= with_problems
    repo = Repository(scratch_repo)
    fp = cache_store.fingerprint(repo, dt.date.today(), set(repo.ids("network")), set(repo.ids("action-plan")))
    assert len(cache_store.load(scratch_repo, fp)) == serial.files  # cached as if checked here
    (scratch_repo / ".hrcoord/cache" / cache_store.LAST).unlink()  # no shortcut: every file from the cache
    loaded.clear()
    assert validate(Repository(scratch_repo)) == serial and set(loaded) <= with_problems
