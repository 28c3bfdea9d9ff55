"""Checks across records (links, duplicates). Field checks live in the record models.

Cross-record checks work on small per-record *facts* (ids, references, links) so that the
validation cache can keep the facts of unchanged files and re-run these checks in milliseconds.
"""
from __future__ import annotations

from collections.abc import Callable


def published_values_check(*keys: str) -> Callable:
    """A model check: personal data in the values of `keys`, which the portal shows on every
    page (settings: the organisation; vocabularies: names of conventions, bodies, areas).

    The personal-data module is imported when the check runs, not with the models: its patterns
    take about 10 ms to compile, which every command would pay at start-up and only a cold check
    needs."""
    def check(rec, ctx) -> list:
        from hrcoord.core.checks.privacy import published_values

        return published_values(keys, rec)
    return check
