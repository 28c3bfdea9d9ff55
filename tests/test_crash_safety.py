"""Crash and race safety: a writer killed with SIGKILL leaves the old file or the new one, never a
partial one; an exclusive create refuses a file that appeared meanwhile."""
from __future__ import annotations

import signal
import subprocess
import sys
import threading

import pytest

from hrcoord.core.errors import HrcoordError
from hrcoord.core.fsutil import atomic_write

WRITER = r"""
import sys
from hrcoord.core.fsutil import atomic_write
target = sys.argv[1]
big = int(sys.argv[2])
i = 0
print("ready", flush=True)
while True:
    ch = "AB"[i % 2]
    atomic_write(target, (ch * big) + "\nend\n")
    i += 1
    print("wrote", flush=True)
"""


@pytest.mark.parametrize("writes", [0, 1, 2, 3])
def test_sigkill_mid_write_leaves_a_whole_file(tmp_path, writes):
    """Killed while writing (after `writes` whole writes, during the next one: no sleep needed,
    the writer never stops writing)."""
    target = tmp_path / "record.yaml"
    size = 4 * 1024 * 1024
    atomic_write(target, "A" * size + "\nend\n")
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target), str(size)], stdout=subprocess.PIPE)
    assert proc.stdout.readline().strip() == b"ready"
    for _ in range(writes):
        assert proc.stdout.readline().strip() == b"wrote"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    data = target.read_bytes()
    assert len(data) == size + 5
    assert data.endswith(b"\nend\n")
    assert data[:size] in (b"A" * size, b"B" * size)
    # leftovers are hidden temp files, never read as records
    assert all(p.name.startswith(".") for p in tmp_path.iterdir() if p != target)


def test_exclusive_create_refuses_existing(tmp_path):
    target = tmp_path / "x.md"
    atomic_write(target, "first", exclusive=True)
    with pytest.raises(HrcoordError):
        atomic_write(target, "second", exclusive=True)
    assert target.read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["x.md"]


def test_exclusive_create_race_has_one_winner(tmp_path):
    target = tmp_path / "race.md"
    results = []
    barrier = threading.Barrier(8)

    def worker(n):
        barrier.wait()
        try:
            atomic_write(target, f"writer {n}", exclusive=True)
            results.append(n)
        except HrcoordError:
            pass

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 1
    assert target.read_text() == f"writer {results[0]}"


def test_atomic_write_keeps_permissions_and_new_files_follow_the_umask(tmp_path):
    import stat

    from hrcoord.core.fsutil import atomic_write

    shared = tmp_path / "shared.yaml"
    shared.write_text("a: 1\n")
    shared.chmod(0o664)
    atomic_write(shared, "a: 2\n")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o664 and shared.read_text() == "a: 2\n"
    fresh = tmp_path / "fresh.yaml"
    atomic_write(fresh, "b: 1\n", durable=False)
    plain = tmp_path / "plain.yaml"
    plain.write_text("b: 1\n")
    assert stat.S_IMODE(fresh.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)  # not mkstemp's 0600
