"""Worker processes that keep what they made between calls.

A process pool hands each task to whichever worker is free, so whatever a task produced must be
shipped back to the parent. Publishing parses 10,000 files and then renders them; shipping the
parsed records back and forth would cost a second per run. Here each worker has its own share of
the work, called in rounds: `run(fn, args_for_each_worker)` calls `fn(*args)` in every worker at
once and returns their results in worker order. What a call leaves in the worker's module
globals is there for the next round. Worker 0 is this process (its results need no shipping);
the others are forked.

Exceptions raised in a worker are raised again in the parent (as themselves when they can be
pickled). Leaving the `with` block stops the workers; after an error or Ctrl-C they are killed.
"""
from __future__ import annotations

import multiprocessing
import os
import pickle


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
        except BaseException as exc:  # noqa: BLE001 — every failure goes to the parent
            try:
                pickle.dumps(exc)
                reply = ("error", exc)
            except Exception:  # noqa: BLE001
                reply = ("error", RuntimeError(f"{type(exc).__name__}: {exc}"))
        conn.send(reply)


class Workers:
    """`n` workers: this process and n - 1 forked ones (fork keeps the loaded modules and data)."""

    def __init__(self, n: int):
        self.n = n
        self._procs: list = []
        self._conns: list = []

    def __enter__(self) -> Workers:
        ctx = multiprocessing.get_context("fork")
        for _ in range(self.n - 1):
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_serve, args=(child,), daemon=True)
            proc.start()
            child.close()
            self._procs.append(proc)
            self._conns.append(parent)
        return self

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


def cores() -> int:
    """Usable cores (the process's CPU affinity where the platform has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover — macOS, Windows
        return os.cpu_count() or 1
