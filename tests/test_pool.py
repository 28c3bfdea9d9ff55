"""hrcoord.pool: forked workers that keep their state between rounds, and pass errors back."""
from __future__ import annotations

import os

import pytest

from hrcoord.errors import DataError
from hrcoord.pool import Workers

_KEPT: dict = {}


def _remember(values):
    _KEPT.setdefault("values", []).extend(values)
    return os.getpid()


def _recall(extra):
    return sum(_KEPT.get("values", [])) + extra, os.getpid()


def _fail(kind):
    if kind == "data":
        raise DataError("bad data in a worker")
    if kind == "die":
        os._exit(9)
    return kind


def test_each_worker_keeps_what_it_made_for_the_next_round():
    with Workers(3) as pool:
        pids = pool.run(_remember, [([1, 2],), ([10],), ([100, 200],)])
        assert len(set(pids)) == 3 and pids[0] == os.getpid()  # worker 0 is this process
        again = pool.run(_recall, [(0,), (5,), (0,)])
    assert [v for v, _ in again] == [3, 15, 300]
    assert [p for _, p in again] == pids  # the same process, in the same place
    assert _KEPT.pop("values") == [1, 2]  # only worker 0's share happened here


def test_an_error_in_a_worker_is_raised_here_as_itself():
    with pytest.raises(DataError, match="bad data in a worker"):
        with Workers(2) as pool:
            pool.run(_fail, [("ok",), ("data",)])
    with pytest.raises(DataError, match="bad data in a worker"):  # in worker 0 (here) as well
        with Workers(3) as pool:
            pool.run(_fail, [("data",), ("ok",), ("ok",)])


def test_a_worker_that_dies_is_an_error_not_a_hang():
    with pytest.raises(RuntimeError, match="stopped unexpectedly"):
        with Workers(2) as pool:
            pool.run(_fail, [("ok",), ("die",)])


def test_one_argument_tuple_per_worker():
    with pytest.raises(ValueError):
        with Workers(2) as pool:
            pool.run(_remember, [([1],)])
