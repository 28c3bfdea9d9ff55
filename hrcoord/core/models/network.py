"""A network group (trafficking, forced marriage, FGM, human rights) and its members."""
from __future__ import annotations

from hrcoord.core.models.base import Field, Issue, Model

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
MEMBER_ROLES = ("chair", "secretary", "member", "observer")

def _members_unique(rec, ctx) -> list[Issue]:
    """Members are named by their role title: two with the same name cannot be told apart."""
    seen: set[str] = set()
    out = []
    for i, member in enumerate(rec.data.get("members") or []):
        name = member.get("name") if isinstance(member, dict) else None
        if isinstance(name, str) and name in seen:
            out.append(Issue(("members", i, "name"), "HR118", f"member {name!r} appears twice"))
        if isinstance(name, str):
            seen.add(name)
    return out


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
        Field("members", "list", items=Field("member", "map", fields=[
            Field("name", required=True, doc="role title, not a personal name"),
            Field("department", required=True, vocab="departments"),
            Field("role", enum=MEMBER_ROLES),
            Field("email", "email"),
            Field("stand_in", doc="who attends when the member cannot (role title)"),
        ]), doc="may be empty while a new network is being set up"),
    ],
    folder="networks",
    doc="One network group: names, field (relevance areas), chair, members by department.",
    id_field="slug",
    checks=[_members_unique],
)
