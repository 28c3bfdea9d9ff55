"""hrcoord.core.splice: files made of new bytes and ranges of an earlier file."""
from __future__ import annotations

import os

import pytest

from hrcoord.core.fsutil import atomic_write
from hrcoord.core.splice import Spliced


def test_new_bytes_and_old_ranges_make_the_file(tmp_path):
    old = tmp_path / "old.json"
    old.write_bytes(b"0123456789" * 100_000)  # 1 MB: ranges are copied file to file
    s = Spliced(old)
    s.add(b"[")
    s.copy(5, 15)
    s.add(b"NEW")
    s.copy(999_990, 1_000_000)
    s.add(b"]")
    expected = b"[" + b"5678901234" + b"NEW" + b"0123456789" + b"]"
    assert len(s) == len(expected) and s.read() == expected
    target = tmp_path / "new.json"
    atomic_write(target, s, durable=False)
    assert target.read_bytes() == expected
    atomic_write(old, s)  # replacing the very file the ranges come from is fine: a new inode
    assert old.read_bytes() == expected


def test_copy_falls_back_to_read_and_write(tmp_path, monkeypatch):
    old = tmp_path / "old"
    old.write_bytes(b"abcdefghij")
    s = Spliced(old)
    s.copy(2, 8)

    def refuse(*args):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "copy_file_range", refuse, raising=False)  # absent off Linux (and in the portable run)
    atomic_write(tmp_path / "new", s)
    assert (tmp_path / "new").read_bytes() == b"cdefgh"


def test_a_range_beyond_the_earlier_file_is_an_error_not_a_short_file(tmp_path):
    old = tmp_path / "old"
    old.write_bytes(b"short")
    s = Spliced(old)
    s.copy(0, 50)
    with pytest.raises(OSError):
        atomic_write(tmp_path / "new", s)
    assert not (tmp_path / "new").exists() and not list(tmp_path.glob(".new.*"))


def test_only_new_bytes_need_no_earlier_file():
    s = Spliced()
    s.add(b"abc")
    with pytest.raises(ValueError):
        s.copy(0, 1)
    same = Spliced()
    same.add(b"ab")
    same.add(b"c")
    assert s.read() == b"abc" and s == same and s != Spliced()


def test_without_the_linux_calls_ranges_are_read_and_written(tmp_path, monkeypatch):
    """Windows and macOS have neither os.copy_file_range nor (Windows) os.pread."""
    old = tmp_path / "old"
    old.write_bytes(bytes(range(256)) * 8192)  # 2 MiB: more than one read
    s = Spliced(old)
    s.add(b"<")
    s.copy(10, 2_000_000)
    s.add(b">")
    monkeypatch.delattr(os, "copy_file_range", raising=False)
    monkeypatch.delattr(os, "pread", raising=False)
    atomic_write(tmp_path / "new", s, durable=False)
    assert (tmp_path / "new").read_bytes() == b"<" + old.read_bytes()[10:2_000_000] + b">"
