"""Links between records: replaced_by, related (and its mirror), duplicate references,
submission → meeting, agenda item sources."""
from __future__ import annotations

from hrcoord.errors import WARNING, Problem
from hrcoord.models.base import Issue, suggest
from hrcoord.models.judgment import MIRROR, references, related_links


def judgment_links(repo) -> list[Problem]:
    judgments = repo.records("judgment")
    out: list[Problem] = []
    for rec in judgments.values():
        issues = []
        rb = rec.get("replaced_by")
        if isinstance(rb, str):
            if rb not in judgments:
                issues.append(Issue(("replaced_by",), "HR201", f"replaced_by {rb!r} is not a summary"
                                    + suggest(rb, list(judgments))))
            elif rb == rec.id:
                issues.append(Issue(("replaced_by",), "HR201", "a summary cannot replace itself"))
        for i, target, relation in related_links(rec.data):
            other = judgments.get(target)
            if other is None:
                path = ("related", i, "id") if isinstance(rec.data["related"][i], dict) else ("related", i)
                issues.append(Issue(path, "HR201", f"related summary {target!r} does not exist"
                                    + suggest(target, list(judgments))))
                continue
            mirror = MIRROR.get(relation or "")
            if mirror and not any(t == rec.id and r == mirror for _, t, r in related_links(other.data)):
                issues.append(Issue(("related", i), "HR207",
                                    f"{target} is linked as {relation}, but {other.rel} has no "
                                    f"{{id: {rec.id}, relation: {mirror}}}"))
        out.extend(rec.problems(issues))
    return out


def stages_of_one_case(a, b) -> bool:
    """A Chamber judgment and the Grand Chamber's share the application number, linked as stages."""
    return any(t == b.id and r in MIRROR for _, t, r in related_links(a.data)) or any(
        t == a.id and r in MIRROR for _, t, r in related_links(b.data))


def duplicate_references(repo) -> list[Problem]:
    seen: dict[str, object] = {}
    out: list[Problem] = []
    for rec in repo.records("judgment").values():
        for i, ref in enumerate(references(rec.data)):
            key = ref.replace(" ", "").upper()
            first = seen.get(key)
            if first is not None and first is not rec and not stages_of_one_case(first, rec):
                path = ("reference", i) if isinstance(rec.data.get("reference"), list) else ("reference",)
                out.extend(rec.problems([Issue(path, "HR202", f"reference {ref} is already summarised in {first.rel}")]))
            else:
                seen[key] = rec
    return out


def submission_links(repo) -> list[Problem]:
    meetings = repo.records("meeting")
    out = []
    for key, rec in repo.records("submission").items():
        m = rec.get("meeting")
        net = rec.get("network")
        if isinstance(m, str) and isinstance(net, str) and f"{net}/{m}" not in meetings:
            out.extend(rec.problems([Issue(("meeting",), "HR201", f"no meeting of {net} on {m}")]))
        if isinstance(net, str) and net != rec.source.path.parent.name:
            out.extend(rec.problems([Issue(("network",), "HR208",
                                           f"submission for {net!r} lies in submissions/{rec.source.path.parent.name}/")]))
    return out


def meeting_links(repo) -> list[Problem]:
    """Agenda items point at real submissions, summaries, measures and follow-ups (warnings)."""
    judgments = repo.records("judgment")
    measures = repo.records("measure")
    submissions = repo.records("submission")
    meetings = repo.records("meeting")
    out = []
    for rec in meetings.values():
        issues = []
        net = rec.get("network")
        for i, item in enumerate(rec.get("agenda") or []):
            src = item.get("source") if isinstance(item, dict) else None
            if not isinstance(src, str) or ":" not in src:
                continue
            kind, _, ref = src.partition(":")
            ok = {
                "submission": lambda: f"{net}/{ref}" in submissions,
                "judgment": lambda: ref in judgments,
                "measure": lambda: ref in measures,
                "follow-up": lambda: f"{net}/{ref.split('/')[0]}" in meetings,
            }.get(kind, lambda: True)()
            if not ok:
                issues.append(Issue(("agenda", i, "source"), "HR201", f"agenda source {src} does not exist",
                                    severity=WARNING))
        out.extend(rec.problems(issues))
    return out
