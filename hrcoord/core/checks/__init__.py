"""Checks across records (links, duplicates). Field checks live in the record models.

Cross-record checks work on small per-record *facts* (ids, references, links) so that the
validation cache can keep the facts of unchanged files and re-run these checks in milliseconds.
"""
