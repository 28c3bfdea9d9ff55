"""The reports' words (the `reports` section of the label catalogue, hrcoord/labels/) and the colours
of the measure statuses. Templates get the words as `t`."""
from __future__ import annotations

from hrcoord.core.labels import table

LABELS = table("reports")

# bar colours per measure status (chart.py, docx)
STATUS_COLOURS = {
    "not-started": "#9e9e9e",
    "in-progress": "#1f77b4",
    "completed": "#2ca02c",
    "delayed": "#d62728",
    "cancelled": "#7f7f7f",
    "continuous": "#17becf",
    "none": "#cccccc",
}


def labels(lang: str) -> dict[str, str]:
    return LABELS[lang]
