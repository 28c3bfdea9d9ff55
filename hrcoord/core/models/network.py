"""A network group (trafficking, forced marriage, FGM, human rights) and its members."""
from __future__ import annotations

from hrcoord.core.models.base import Field, Model

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
MEMBER_ROLES = ("chair", "secretary", "member", "observer")

NETWORK = Model(
    "network",
    [
        Field("slug", "id"),
        Field("name_nb", required=True),
        Field("name_en", required=True),
        Field("field", "list", required=True, scalar_ok=True, items=Field("field", vocab="relevance")),
        Field("chair", required=True, doc="role title of the chair"),
        Field("chair_email", "email"),
        Field("weekday", enum=WEEKDAYS),
        Field("start", "time"),
        Field("end", "time"),
        Field("location"),
        Field("members", "list", required=True, items=Field("member", "map", fields=[
            Field("name", required=True, doc="role title, not a personal name"),
            Field("department", required=True, vocab="departments"),
            Field("role", enum=MEMBER_ROLES),
            Field("email", "email"),
        ])),
    ],
    folder="networks",
    doc="One network group: names, field (relevance areas), chair, members by department.",
    id_field="slug",
)
