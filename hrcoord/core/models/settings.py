"""The repository settings file, hrcoord.yaml."""
from __future__ import annotations

from hrcoord.core.checks import published_values_check
from hrcoord.core.labels import languages
from hrcoord.core.models.base import Field, Model

SETTINGS = Model(
    "settings",
    [
        Field("language", enum=languages()),
        Field("organisation"),
        Field("coordinator"),
        Field("coordinator_email", "email"),
        Field("portal_url", "url"),
        Field("four_eyes", "bool", doc="nobody reviews (approves) a summary they wrote themselves"),
        Field("accessibility_url", "url"),  # the portal's accessibility statement (uu-forskriften)
        Field("defaults", "map", fields=[
            Field("meeting_start", "time"),
            Field("meeting_end", "time"),
            Field("meeting_location"),
            Field("submission_deadline_days", "int", min=0, max=60),
        ]),
    ],
    folder="hrcoord.yaml",
    doc="Repository settings: language of documents, organisation, defaults.",
    id_field=None,
    checks=[published_values_check("organisation", "portal_url")],  # on every portal page and the feed
)
