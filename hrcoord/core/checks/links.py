"""Links between records: replaced_by, related (and its mirror), the same reference in two
summaries, one id in two year folders, submission → meeting, agenda item sources.

`facts(rec)` extracts what these checks need from one record; `cross_check(facts)` returns
(rel, Issue) pairs. Positions are looked up by the caller, only for files with issues.
"""
from __future__ import annotations

from pathlib import PurePosixPath

from hrcoord.core.errors import WARNING
from hrcoord.core.models.base import Issue, as_list, suggest
from hrcoord.core.models.judgment import MIRROR, ref_key, related_links


def facts(rec) -> dict | None:
    d = rec.data
    if rec.type == "judgment":
        refs = d.get("reference")
        return {
            "id": rec.id,
            "refs": [(i if isinstance(refs, list) else None, str(r)) for i, r in enumerate(as_list(refs))
                     if isinstance(r, (str, int))],
            "related": [(i, t, r, isinstance(d["related"][i], dict)) for i, t, r in related_links(d)],
            "replaced_by": d.get("replaced_by") if isinstance(d.get("replaced_by"), str) else None,
        }
    if rec.type == "submission":
        return {"network": d.get("network"), "meeting": d.get("meeting")}
    if rec.type == "meeting":
        sources = [(i, item.get("source")) for i, item in enumerate(d.get("agenda") or [])
                   if isinstance(item, dict) and isinstance(item.get("source"), str) and ":" in item["source"]]
        return {"network": d.get("network"), "sources": sources}
    return None


def _stages_of_one_case(a: dict, b: dict) -> bool:
    """A Chamber judgment and the Grand Chamber's share the application number, linked as stages."""
    return any(t == b["id"] and r in MIRROR for _, t, r, _ in a["related"]) or any(
        t == a["id"] and r in MIRROR for _, t, r, _ in b["related"])


def judgment_checks(judgments: dict[str, dict]) -> list[tuple[str, Issue]]:
    """`judgments`: rel -> facts. One id per summary, links to summaries that exist (mirrored
    where the relation has a mirror), each reference summarised once."""
    out: list[tuple[str, Issue]] = []
    by_id: dict[str, tuple[str, dict]] = {}
    for rel, f in judgments.items():
        if f["id"] in by_id:
            out.append((rel, Issue((), "HR203", f"id {f['id']!r} is used by {by_id[f['id']][0]} too")))
        else:
            by_id[f["id"]] = (rel, f)
    seen: dict[str, tuple[str, dict]] = {}
    for rel, f in judgments.items():
        out += [(rel, issue) for issue in _replaced_by(f, by_id) + _related(f, by_id)]
        out += [(rel, issue) for issue in _references(rel, f, seen)]
    return out


def _replaced_by(f: dict, by_id: dict[str, tuple[str, dict]]) -> list[Issue]:
    rb = f["replaced_by"]
    if rb is None:
        return []
    if rb not in by_id:
        return [Issue(("replaced_by",), "HR201", f"replaced_by {rb!r} is not a summary" + suggest(rb, list(by_id)))]
    if rb == f["id"]:
        return [Issue(("replaced_by",), "HR201", "a summary cannot replace itself")]
    return []


def _related(f: dict, by_id: dict[str, tuple[str, dict]]) -> list[Issue]:
    out: list[Issue] = []
    for i, target, relation, is_dict in f["related"]:
        other = by_id.get(target)
        if other is None:
            path = ("related", i, "id") if is_dict else ("related", i)
            out.append(Issue(path, "HR201",
                             f"related summary {target!r} does not exist" + suggest(target, list(by_id))))
            continue
        mirror = MIRROR.get(relation or "")
        if mirror and not any(t == f["id"] and r == mirror for _, t, r, _ in other[1]["related"]):
            # a warning: the two stages are still one case (no HR202), and status and the digest
            # list the missing link in their watch list
            out.append(Issue(("related", i), "HR207", f"{target} is linked as {relation}, but {other[0]} has no "
                                                      f"{{id: {f['id']}, relation: {mirror}}}", severity=WARNING))
    return out


def _references(rel: str, f: dict, seen: dict[str, tuple[str, dict]]) -> list[Issue]:
    """A reference another summary has already (`seen`: the first summary of each), unless the
    two are stages of one case."""
    out: list[Issue] = []
    for i, ref in f["refs"]:
        key = ref_key(ref)
        first = seen.get(key)
        if first is None:
            seen[key] = (rel, f)
        elif not _stages_of_one_case(first[1], f):
            where: tuple = ("reference", i) if i is not None else ("reference",)
            out.append(Issue(where, "HR202", f"reference {ref} is already summarised in {first[0]}"))
    return out


def submission_checks(submissions: dict[str, dict], meeting_keys: set[str]) -> list[tuple[str, Issue]]:
    out = []
    for rel, f in submissions.items():
        m, net = f["meeting"], f["network"]
        if isinstance(m, str) and isinstance(net, str) and f"{net}/{m}" not in meeting_keys:
            out.append((rel, Issue(("meeting",), "HR201", f"no meeting of {net} on {m}")))
        parts = PurePosixPath(rel).parts  # (rel is the repository's '/'-path, whatever the platform)
        folder = parts[-2] if len(parts) >= 3 else None
        if isinstance(net, str) and folder and net != folder:
            out.append((rel, Issue(("network",), "HR208", f"submission for {net!r} lies in submissions/{folder}/")))
    return out


def meeting_checks(meetings: dict[str, dict], keys: dict[str, set[str]]) -> list[tuple[str, Issue]]:
    """Agenda items point at real submissions, summaries, measures and meetings (warnings)."""
    out = []
    for rel, f in meetings.items():
        net = f["network"]
        for i, src in f["sources"]:
            kind, _, ref = src.partition(":")
            target = {
                "submission": ("submission", f"{net}/{ref}"),
                "judgment": ("judgment", ref),
                "measure": ("measure", ref),
                "follow-up": ("meeting", f"{net}/{ref.split('/')[0]}"),
            }.get(kind)
            if target is not None and target[1] not in keys[target[0]]:
                out.append((rel, Issue(("agenda", i, "source"), "HR201", f"agenda source {src} does not exist",
                                       severity=WARNING)))
    return out


def cross_check(facts_by_type: dict[str, dict[str, dict]], keys: dict[str, set[str]]) -> list[tuple[str, Issue]]:
    return (judgment_checks(facts_by_type.get("judgment", {}))
            + submission_checks(facts_by_type.get("submission", {}), keys["meeting"])
            + meeting_checks(facts_by_type.get("meeting", {}), keys))
