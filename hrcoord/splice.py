"""A file assembled from new bytes and byte ranges of an earlier file.

An incremental publish rewrites `summaries.json` (tens of megabytes) when one summary changed.
Most of it is the previous file's bytes in new places: the ranges are copied file to file inside
the kernel (`os.copy_file_range`), so they are never read into Python, and only the new entries
are written.
"""
from __future__ import annotations

import os
from pathlib import Path


class Spliced:
    def __init__(self, old: Path | None = None):
        self.old = old  # where the ranges come from
        self.parts: list[bytes | tuple[int, int]] = []
        self.size = 0

    def add(self, data: bytes) -> None:
        if data:
            self.parts.append(data)
            self.size += len(data)

    def copy(self, start: int, end: int) -> None:
        """Bytes start … end - 1 of the old file."""
        if self.old is None:
            raise ValueError("no earlier file to copy from")
        if end > start:
            self.parts.append((start, end))
            self.size += end - start

    def __len__(self) -> int:
        return self.size

    def __eq__(self, other) -> bool:  # the same content, however assembled
        if isinstance(other, Spliced):
            return self.size == other.size and self.read() == other.read()
        return NotImplemented

    __hash__ = None

    def read(self) -> bytes:
        """The whole content in memory."""
        if all(isinstance(p, bytes) for p in self.parts):
            return b"".join(self.parts)
        with open(self.old, "rb") as src:
            out = []
            for p in self.parts:
                if isinstance(p, bytes):
                    out.append(p)
                else:
                    src.seek(p[0])
                    out.append(src.read(p[1] - p[0]))
            return b"".join(out)

    def write_into(self, fd: int) -> None:
        """Write the content at the current position of the open file descriptor `fd`."""
        src = os.open(self.old, os.O_RDONLY) if self.old is not None else -1
        try:
            pending: list[bytes] = []  # new bytes go out in large writes, not one per entry
            size = 0
            for p in self.parts:
                if isinstance(p, bytes):
                    pending.append(p)
                    size += len(p)
                    if size < 1 << 20:
                        continue
                if pending:
                    _write_all(fd, b"".join(pending))
                    pending, size = [], 0
                if not isinstance(p, bytes):
                    _copy_range(src, fd, *p)
            if pending:
                _write_all(fd, b"".join(pending))
        finally:
            if src >= 0:
                os.close(src)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _copy_range(src: int, dst: int, start: int, end: int) -> None:
    while start < end:
        try:
            n = os.copy_file_range(src, dst, end - start, start)
        except (AttributeError, OSError):  # not Linux, or across file systems that refuse it
            n = 0
        if n == 0:  # fall back to reading and writing (also when the source ends early)
            chunk = os.pread(src, min(end - start, 1 << 20), start)
            if not chunk:
                raise OSError(f"the earlier file ended at byte {start}, before {end}")
            _write_all(dst, chunk)
            n = len(chunk)
        start += n
