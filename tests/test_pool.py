"""hrcoord.core.pool: the standard process pool under the chosen start method, and even runs."""
from __future__ import annotations

import multiprocessing
import os

import pytest

from hrcoord.core import pool
from hrcoord.core.errors import DataError

_SEEN: dict = {}


def _setup(value):
    _SEEN["value"] = value


def _work(x):
    if x == "data":
        raise DataError("bad data in a worker")
    if x == "die":
        os._exit(9)
    return os.getpid(), _SEEN.get("value"), True


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_workers_are_set_up_by_the_initializer_under_either_start_method(method, monkeypatch):
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} here")
    monkeypatch.setenv("HRCOORD_START_METHOD", method)  # spawn: as on Windows and macOS
    _SEEN.clear()
    with pool.executor(2, _setup, ("from the initializer",)) as ex:
        results = list(ex.map(_work, range(6)))
    assert {pid for pid, _, _ in results} - {os.getpid()} == {pid for pid, _, _ in results}
    assert {value for _, value, _ in results} == {"from the initializer"}
    assert "value" not in _SEEN  # nothing happened in this process


def test_an_error_in_a_worker_is_raised_here_as_itself():
    with pytest.raises(DataError, match="bad data in a worker"), pool.executor(2) as ex:
        list(ex.map(_work, ["ok", "data"]))


def test_a_worker_that_dies_is_an_error_not_a_hang():
    from concurrent.futures.process import BrokenProcessPool

    with pytest.raises(BrokenProcessPool), pool.executor(2) as ex:
        list(ex.map(_work, ["die", "ok"]))


def test_split_keeps_order_and_evens_the_runs():
    items = list(range(10))
    runs = pool.split(items, 4)
    assert [len(r) for r in runs] == [3, 3, 2, 2] and [x for r in runs for x in r] == items
    assert pool.split(items, 1) == [items] and pool.split([1, 2], 5) == [[1], [2]] and pool.split([], 3) == []


def test_start_method_from_the_environment(monkeypatch):
    monkeypatch.setenv("HRCOORD_START_METHOD", "spawn")
    assert pool.start_method() == "spawn"
    monkeypatch.setenv("HRCOORD_START_METHOD", "teleport")
    with pytest.raises(ValueError, match="teleport"):
        pool.start_method()
    monkeypatch.delenv("HRCOORD_START_METHOD")
    assert pool.start_method() == multiprocessing.get_start_method()
