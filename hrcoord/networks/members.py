"""Networks and their members without editing YAML: `network add`, `network member add|remove|update`.

Members are role titles ("Seniorrådgiver, Asylavdelingen"), never personal names; a member is named
by that title on the command line (case aside).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hrcoord.core.errors import UsageError
from hrcoord.core.models.base import EMAIL_RE, ID_RE, Record, suggest
from hrcoord.core.models.network import MEMBER_ROLES, WEEKDAYS

MEMBER_KEYS = ("name", "department", "role", "email", "stand_in")


@dataclass
class NewNetwork:
    slug: str
    name_nb: str
    name_en: str
    fields: list[str]
    chair: str
    chair_email: str | None = None
    weekday: str | None = None
    start: str | None = None
    end: str | None = None
    location: str | None = None


def _check_network(repo, new: NewNetwork) -> None:
    if not ID_RE.match(new.slug):
        raise UsageError(f"{new.slug!r} is not a valid slug (lower-case letters, digits, hyphens)")
    if new.slug in repo.networks():
        raise UsageError(f"network {new.slug!r} exists already ({repo.networks()[new.slug].rel})")
    known = sorted(repo.context().sets.get("relevance") or ())
    for f in new.fields:
        if known and f not in known:
            raise UsageError(f"--field: unknown relevance area {f!r}{suggest(f, known)}; known: {', '.join(known)}")
    if new.weekday is not None and new.weekday not in WEEKDAYS:
        raise UsageError(f"--weekday must be one of {', '.join(WEEKDAYS)}, not {new.weekday!r}")


def add_network(repo, new: NewNetwork, *, dry_run: bool = False) -> tuple[Path, str]:
    """data/networks/<slug>.yaml with no members yet (`network member add` adds them)."""
    from hrcoord.core import records
    from hrcoord.core.fsutil import repo_lock

    with repo_lock(repo.root):
        _check_network(repo, new)
        data = {"slug": new.slug, "name_nb": new.name_nb, "name_en": new.name_en, "field": new.fields,
                "chair": new.chair, "chair_email": new.chair_email, "weekday": new.weekday, "start": new.start,
                "end": new.end, "location": new.location, "members": []}
        data = {k: v for k, v in data.items() if v is not None}
        path = repo.data_dir / "networks" / f"{new.slug}.yaml"
        text = records.write(repo, "network", path, data, exclusive=True, dry_run=dry_run)
    return path, text


# --- members ---------------------------------------------------------------------------------------------
def members_of(network: Record) -> list[dict]:
    return [dict(m) for m in network.get("members") or [] if isinstance(m, dict)]


def find_member(members: list[dict], name: str, network: Record) -> int:
    wanted = " ".join(name.split()).lower()
    for n, m in enumerate(members):
        if str(m.get("name", "")).lower() == wanted:
            return n
    names = [str(m.get("name", "")) for m in members]
    raise UsageError(f"network {network.id!r} has no member {name!r}{suggest(name, names)}; "
                     f"its members: {'; '.join(names) or 'none'}")


def _checked_member(repo, member: dict) -> dict:
    from hrcoord.actionplans.measures import check_department

    check_department(repo, member.get("department"))
    role = member.get("role")
    email = member.get("email")
    if email and not EMAIL_RE.match(str(email)):
        raise UsageError(f"--email {email!r} is not an e-mail address")
    if not str(member.get("name") or "").strip():
        raise UsageError("a member needs a name (a role title)")
    if role and role not in MEMBER_ROLES:
        raise UsageError(f"--role must be one of {', '.join(MEMBER_ROLES)}, not {role!r}")
    for key in ("name", "stand_in"):
        if isinstance(member.get(key), str):
            member[key] = " ".join(member[key].split())
    return {k: member[k] for k in MEMBER_KEYS if member.get(k) not in (None, "")}


def _change_members(repo, slug: str, change, dry_run: bool) -> tuple[Record, str]:
    """Read the network under the lock, let `change` make the new member list, write it."""
    from hrcoord.core import records
    from hrcoord.core.fsutil import repo_lock
    from hrcoord.core.repo import Repository

    with repo_lock(repo.root):
        fresh = Repository(repo.root)
        network = fresh.network(slug)
        members = change(network, members_of(network))
        text = records.update(fresh, network, {**network.data, "members": members}, dry_run=dry_run)
    return network, text


def add_member(repo, slug: str, member: dict, *, dry_run: bool = False) -> tuple[Record, str]:
    if not member.get("name") or not str(member["name"]).strip():
        raise UsageError("--name is empty")
    new = _checked_member(repo, dict(member))

    def change(network: Record, members: list[dict]) -> list[dict]:
        if any(str(m.get("name", "")).lower() == new["name"].lower() for m in members):
            raise UsageError(f"network {slug!r} already has a member {new['name']!r}")
        return [*members, new]

    return _change_members(repo, slug, change, dry_run)


def remove_member(repo, slug: str, name: str, *, dry_run: bool = False) -> tuple[Record, str]:
    def change(network: Record, members: list[dict]) -> list[dict]:
        n = find_member(members, name, network)
        return members[:n] + members[n + 1:]

    return _change_members(repo, slug, change, dry_run)


def update_member(repo, slug: str, name: str, values: dict, *, dry_run: bool = False) -> tuple[Record, str]:
    """Change a member's fields; a value of "" removes an optional field (e-mail, role, stand-in)."""
    given = {k: v for k, v in values.items() if v is not None}
    if not given:
        raise UsageError("nothing to change: give --rename, --department, --role, --email or --stand-in")

    def change(network: Record, members: list[dict]) -> list[dict]:
        n = find_member(members, name, network)
        merged = {**members[n], **given}
        if not merged.get("department"):
            raise UsageError("a member needs a department")
        renamed = str(merged.get("name", "")).lower()
        if any(i != n and str(m.get("name", "")).lower() == renamed for i, m in enumerate(members)):
            raise UsageError(f"network {slug!r} already has a member {merged['name']!r}")
        members[n] = _checked_member(repo, merged)
        return members

    return _change_members(repo, slug, change, dry_run)
