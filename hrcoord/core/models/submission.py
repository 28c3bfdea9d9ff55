"""An item a department submits for a network's agenda."""
from __future__ import annotations

from hrcoord.core.models.base import Field, Model

KINDS = ("orientering", "drøfting", "beslutning")
SUBMISSION_STATUSES = ("proposed", "accepted", "scheduled", "handled", "rejected")

SUBMISSION = Model(
    "submission",
    [
        Field("id", "id"),
        Field("network", required=True, vocab="networks"),
        Field("department", required=True, vocab="departments"),
        Field("submitted_by"),
        Field("date", "date", required=True, past=True),
        Field("title", required=True),
        Field("description", "text"),
        Field("kind", enum=KINDS),
        Field("status", required=True, enum=SUBMISSION_STATUSES),
        Field("meeting", "date", doc="the meeting it is scheduled for"),
        Field("reason", "text", doc="why it was rejected"),
    ],
    folder="submissions",
    doc="A department's item for a network's agenda.",
)
