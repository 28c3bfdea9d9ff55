"""hrcoord.core.pool: forked workers that keep their state between rounds, and pass errors back."""
from __future__ import annotations

import os

import pytest

from hrcoord.core.errors import DataError
from hrcoord.core.pool import Workers

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


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_each_worker_keeps_what_it_made_for_the_next_round(method, monkeypatch):
    import multiprocessing

    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} here")
    monkeypatch.setenv("HRCOORD_START_METHOD", method)  # spawn: as on Windows and macOS
    _KEPT.clear()
    with Workers(3) as pool:
        pids = pool.run(_remember, [([1, 2],), ([10],), ([100, 200],)])
        assert len(set(pids)) == 3 and pids[0] == os.getpid()  # worker 0 is this process
        again = pool.run(_recall, [(0,), (5,), (0,)])
    assert [v for v, _ in again] == [3, 15, 300]
    assert [p for _, p in again] == pids  # the same process, in the same place
    assert _KEPT.pop("values") == [1, 2]  # only worker 0's share happened here


def test_an_error_in_a_worker_is_raised_here_as_itself():
    with pytest.raises(DataError, match="bad data in a worker"), Workers(2) as pool:
        pool.run(_fail, [("ok",), ("data",)])
    # in worker 0 (here) as well
    with pytest.raises(DataError, match="bad data in a worker"), Workers(3) as pool:
        pool.run(_fail, [("data",), ("ok",), ("ok",)])


def test_a_worker_that_dies_is_an_error_not_a_hang():
    with pytest.raises(RuntimeError, match="stopped unexpectedly"), Workers(2) as pool:
        pool.run(_fail, [("ok",), ("die",)])


def test_one_argument_tuple_per_worker():
    with pytest.raises(ValueError), Workers(2) as pool:
        pool.run(_remember, [([1],)])


def _work(me, slow):
    import time

    from hrcoord.core import pool

    got = []
    for q, i in pool.drain(me, 1, range(2)):
        got.append((q, i))
        if me == slow:
            time.sleep(0.005)
    return got


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_queues_share_out_every_item_once_and_a_fast_worker_helps_a_slow_one(method, monkeypatch):
    import multiprocessing

    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} here")
    monkeypatch.setenv("HRCOORD_START_METHOD", method)  # the queues reach a spawned worker too
    with Workers(2, queues=2) as pool:
        pool.fill(0, 40)
        pool.fill(1, 40)
        fast, slow = pool.run(_work, [(0, 1), (1, 1)])
    items = fast + slow
    assert sorted(items) == [(q, i) for q in range(2) for i in range(40)]  # each exactly once
    assert any(q == 1 for q, _ in fast)  # worker 0 took from worker 1's queue (from its back)
    assert [i for q, i in fast if q == 1] == sorted((i for q, i in fast if q == 1), reverse=True)


def test_take_and_steal_meet_in_the_middle_without_overlap():
    from hrcoord.core import pool

    with Workers(1, queues=1) as w:
        w.fill(0, 10)
        assert list(pool.take(0, 3)) == [0, 1, 2]
        assert list(pool.steal(0, 4)) == [6, 7, 8, 9]
        assert list(pool.take(0, 10)) == [3, 4, 5]
        assert list(pool.take(0)) == [] and list(pool.steal(0)) == []
