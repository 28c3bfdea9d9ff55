"""A file assembled from new bytes and byte ranges of other files.

An incremental publish rewrites `summaries.json` (tens of megabytes) when one summary changed.
Most of it is the previous file's bytes in new places: the ranges are copied file to file inside
the kernel (`os.copy_file_range`), so they are never read into Python, and only the new entries
are written. A full build assembles it the same way from the parts each worker wrote.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from hrcoord.core.fsutil import write_all


class Spliced:
    def __init__(self, *sources: Path | None):
        self.sources = sources  # the files ranges come from (`copy(..., src=i)`); None: no file
        self.parts: list[bytes | tuple[int, int, int]] = []
        self.size = 0

    def add(self, data: bytes) -> None:
        if data:
            self.parts.append(data)
            self.size += len(data)

    def copy(self, start: int, end: int, src: int = 0) -> None:
        """Bytes start … end - 1 of source file `src` (the first one by default)."""
        if src >= len(self.sources) or self.sources[src] is None:
            raise ValueError("no such file to copy from")
        if end > start:
            self.parts.append((start, end, src))
            self.size += end - start

    def __len__(self) -> int:
        return self.size

    def __eq__(self, other) -> bool:  # the same content, however assembled
        if isinstance(other, Spliced):
            return self.size == other.size and self.read() == other.read()
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # (equal by content, and mutable: not hashable)

    def _source(self, src: int) -> Path:
        path = self.sources[src]
        if path is None:  # copy() refuses a range from no file; here for the type checker
            raise ValueError(f"range from source {src}, which is no file")
        return path

    def read(self) -> bytes:
        """The whole content in memory."""
        out = []
        files: dict[int, Any] = {}
        try:
            for p in self.parts:
                if isinstance(p, bytes):
                    out.append(p)
                    continue
                start, end, src = p
                if src not in files:
                    files[src] = open(self._source(src), "rb")  # noqa: SIM115 — closed in the finally below
                files[src].seek(start)
                out.append(files[src].read(end - start))
        finally:
            for fh in files.values():
                fh.close()
        return b"".join(out)

    def write_into(self, fd: int) -> None:
        """Write the content at the current position of the open file descriptor `fd`."""
        fds: dict[int, int] = {}
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
                    write_all(fd, b"".join(pending))
                    pending, size = [], 0
                if not isinstance(p, bytes):
                    start, end, src = p
                    if src not in fds:
                        fds[src] = os.open(self._source(src), os.O_RDONLY)
                    _copy_range(fds[src], fd, start, end)
            if pending:
                write_all(fd, b"".join(pending))
        finally:
            for src_fd in fds.values():
                os.close(src_fd)


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
            write_all(dst, chunk)
            n = len(chunk)
        start += n
