"""Reports built from the repository: the annual action-plan report, the quarterly report and
the `status` overview.

Each report has ONE data model (plain dataclasses, built in one pass over the records) that every
output format renders: Markdown and HTML from templates, Word with python-docx, JSON and CSV
straight from the model, so the numbers are the same in every format.
"""
from __future__ import annotations

REPORT_FORMATS = ("md", "html", "docx", "pdf", "json", "csv", "xlsx")
