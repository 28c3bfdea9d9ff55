"""Run as on a platform without the Linux-only calls (issue 16): with HRCOORD_PORTABLE=1 every
Python process the tests start (this folder is put on PYTHONPATH by tests/conftest.py) loses
os.copy_file_range, os.pread, os.sched_getaffinity and os.link, so that the portable fallbacks
are what runs: `HRCOORD_PORTABLE=1 HRCOORD_START_METHOD=spawn make test` (.ci/run does)."""
import os

HIDDEN = ("copy_file_range", "pread", "sched_getaffinity", "link")

if os.environ.get("HRCOORD_PORTABLE") == "1":
    for _name in HIDDEN:
        if hasattr(os, _name):
            delattr(os, _name)
