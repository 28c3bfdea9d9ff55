"""Repository checks: plain functions that take the loaded Repository and return Problems.

Field checks live in the record models; these look across records.
"""
from __future__ import annotations

from hrcoord.checks.links import duplicate_references, judgment_links, meeting_links, submission_links
from hrcoord.checks.privacy import personal_data

REPOSITORY_CHECKS = [judgment_links, duplicate_references, submission_links, meeting_links, personal_data]

__all__ = ["REPOSITORY_CHECKS"]
