"""Worker processes for the parallel part of publish: the standard `concurrent.futures` process
pool, started with the platform's start method (`fork` on Linux, `spawn` on Windows and macOS;
`HRCOORD_START_METHOD` chooses one, so the tests run the `spawn` path on Linux too).

Nothing a worker needs may come from the parent's memory: it gets what it needs from its
initializer (run once in each worker) and from each task's arguments, which travel pickled, so
functions and arguments must be importable and picklable. (An earlier pool of our own kept each
worker's parsed records between two rounds and shared work through queues; measured side by side
on the 10,000-summary repository the standard pool was about as fast, within this machine's
noise — see bench/README.md — and it is the one that is correct under `spawn` by construction.)
"""
from __future__ import annotations

import os
from concurrent.futures import Executor


def start_method() -> str:
    """`HRCOORD_START_METHOD` when set, else the platform's default."""
    import multiprocessing

    wanted = os.environ.get("HRCOORD_START_METHOD", "").strip()
    if wanted:
        if wanted not in multiprocessing.get_all_start_methods():
            raise ValueError(f"HRCOORD_START_METHOD={wanted!r} is not available here")
        return wanted
    return multiprocessing.get_start_method()


def executor(n: int, initializer=None, initargs: tuple = ()) -> Executor:
    """A pool of `n` worker processes, each set up by `initializer(*initargs)`."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(n, mp_context=multiprocessing.get_context(start_method()), initializer=initializer,
                               initargs=initargs)


def split(items: list, parts: int) -> list[list]:
    """`items` in at most `parts` runs of nearly equal length, in order (none empty)."""
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    out, at = [], 0
    for i in range(parts):
        n = size + (1 if i < extra else 0)
        out.append(items[at:at + n])
        at += n
    return [run for run in out if run]


def cores() -> int:
    """Usable cores (the process's CPU affinity where the platform has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover — macOS, Windows
        return os.cpu_count() or 1
