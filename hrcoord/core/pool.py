"""Worker processes that keep what they made between calls, and share work fairly.

A process pool hands each task to whichever worker is free, so whatever a task produced must be
shipped back to the parent. Publishing parses 10,000 files and then renders them; shipping the
parsed records back and forth would cost a second per run. Here each worker has its own share of
the work, called in rounds: `run(fn, args_for_each_worker)` calls `fn(*args)` in every worker at
once and returns their results in worker order. What a call leaves in the worker's module
globals is there for the next round. Worker 0 is this process (its results need no shipping);
the others are forked.

Shares are handed out through shared queues of item numbers, so that a worker on a slower core
(a shared machine) does less: `take(q)` gives the next items from the front of queue q, `steal(q)`
the last ones from its back (work stealing: a worker that has finished its own queue helps with
another's). `fill(q, size)` sets a queue up between rounds.

Exceptions raised in a worker are raised again in the parent (as themselves when they can be
pickled). Leaving the `with` block stops the workers; after an error or Ctrl-C they are killed.
"""
from __future__ import annotations

import os
import pickle
from typing import Any

_SPANS: _Spans | None = None  # the active Workers' queues, inherited by the forked workers


def _serve(conn) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        if msg is None:
            return
        fn, args = msg
        try:
            reply = ("ok", fn(*args))
        except BaseException as exc:
            try:
                pickle.dumps(exc)
                reply = ("error", exc)
            except Exception:
                reply = ("error", RuntimeError(f"{type(exc).__name__}: {exc}"))
        conn.send(reply)


class _Spans:
    """Queues of item numbers as [front, back) pairs; in shared memory when there are forks."""

    def __init__(self, queues: int, shared: bool):
        if shared:
            import multiprocessing

            ctx = multiprocessing.get_context("fork")
            self.lock: Any = ctx.Lock()
            self.pairs = ctx.Array("q", 2 * queues, lock=False)
        else:
            import contextlib

            self.lock = contextlib.nullcontext()
            self.pairs = [0] * (2 * queues)

    def fill(self, q: int, size: int) -> None:
        with self.lock:
            self.pairs[2 * q], self.pairs[2 * q + 1] = 0, size

    def take(self, q: int, k: int) -> range:
        with self.lock:
            front, back = self.pairs[2 * q], self.pairs[2 * q + 1]
            end = min(front + k, back)
            self.pairs[2 * q] = max(front, end)
        return range(front, end)

    def steal(self, q: int, k: int) -> range:
        with self.lock:
            front, back = self.pairs[2 * q], self.pairs[2 * q + 1]
            start = max(front, back - k)
            self.pairs[2 * q + 1] = min(back, start)
        return range(start, back)


def _spans() -> _Spans:
    if _SPANS is None:
        raise RuntimeError("no worker pool is open")
    return _SPANS


def take(q: int, k: int = 1) -> range:
    """The next (up to) k item numbers from the front of queue q; empty when it is done."""
    return _spans().take(q, k)


def steal(q: int, k: int = 1) -> range:
    """The last (up to) k item numbers of queue q, taken from its back; empty when it is done."""
    return _spans().steal(q, k)


def drain(q: int, k: int = 1, others: range | list | tuple = ()):
    """(queue, item number) of every item this worker gets: queue q's from the front, then the
    other queues' from their backs, k at a time."""
    while r := take(q, k):
        for i in r:
            yield q, i
    for other in others:
        if other != q:
            while r := steal(other, k):
                for i in r:
                    yield other, i


class Workers:
    """`n` workers: this process and n - 1 forked ones (fork keeps the loaded modules and data),
    sharing `queues` work queues."""

    def __init__(self, n: int, queues: int = 1):
        self.n = n
        self.queues = queues
        self._procs: list = []
        self._conns: list = []

    def __enter__(self) -> Workers:
        global _SPANS
        _SPANS = _Spans(max(self.queues, self.n), shared=self.n > 1)
        if self.n > 1:
            import multiprocessing

            ctx = multiprocessing.get_context("fork")
            for _ in range(self.n - 1):
                parent, child = ctx.Pipe()
                proc = ctx.Process(target=_serve, args=(child,), daemon=True)
                proc.start()
                child.close()
                self._procs.append(proc)
                self._conns.append(parent)
        return self

    def fill(self, q: int, size: int) -> None:
        """Queue q holds item numbers 0 … size - 1 (call between rounds)."""
        _spans().fill(q, size)

    def run(self, fn, args: list[tuple]) -> list:
        """`fn(*args[i])` in worker i, all at once; the results in worker order."""
        if len(args) != self.n:
            raise ValueError(f"{len(args)} argument tuples for {self.n} workers")
        for conn, a in zip(self._conns, args[1:], strict=True):
            conn.send((fn, a))
        results = [fn(*args[0])]  # an error here leaves the others to __exit__, which kills them
        error = None
        for conn in self._conns:
            try:
                status, value = conn.recv()
            except EOFError:
                status, value = "error", RuntimeError("a worker process stopped unexpectedly")
            if status == "error" and error is None:
                error = value
            results.append(value)
        if error is not None:
            raise error
        return results

    def __exit__(self, exc_type, exc, tb) -> None:
        global _SPANS
        for conn in self._conns:
            try:
                if exc_type is None:
                    conn.send(None)
                conn.close()
            except OSError:
                pass
        for proc in self._procs:
            if exc_type is not None:
                proc.kill()
            proc.join()
        _SPANS = None


def cores() -> int:
    """Usable cores (the process's CPU affinity where the platform has one); 1 where processes
    cannot be forked (Windows), so the work is done in this process."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover — Windows
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover — macOS
        return os.cpu_count() or 1
