"""One network at a glance (`network show`, `network list`): names, field, chair, usual time and
place, members by department, meetings. `network show` speaks the repository's language and, in
the terminal, prints text and tables rather than Markdown."""
from __future__ import annotations

import datetime as dt

from hrcoord.core.models.base import Record, as_list
from hrcoord.networks.documents import clock_range, labels, network_name
from hrcoord.networks.meetings import ACTIVE, meetings_of
from hrcoord.networks.notice import attendees


def field_names(repo, network: Record, lang: str) -> list[str]:
    """The network's relevance areas by their names in `lang` (the slug where none is given)."""
    tax = repo.vocab_record("taxonomy")
    names = {e.get("slug"): e.get(f"name_{lang}") or e.get("name_nb") for e in (tax.get("relevance") or [])
             if isinstance(e, dict)} if tax is not None else {}
    return [names.get(str(f)) or str(f) for f in as_list(network.get("field")) if f]


def _members(repo, network: Record, lang: str) -> list[dict]:
    depts = repo.department_names(lang)
    return [{"name": m.get("name"), "department": m.get("department"),
             "department_name": depts.get(m.get("department"), m.get("department")),
             "role": m.get("role") or "member", "email": m.get("email"), "stand_in": m.get("stand_in")}
            for m in attendees(network)]


def _meetings(repo, network: Record, today: dt.date) -> dict:
    meetings = meetings_of(repo, network.id)
    upcoming = [m.id for m in meetings if m.get("status") in ACTIVE]
    held = [m.id for m in meetings if m.get("status") == "held"]
    listed = [{"date": m.id, "status": m.get("status")} for m in meetings]
    return {"next_meeting": upcoming[0] if upcoming else None, "last_meeting": held[-1] if held else None,
            "meetings_this_year": [m for m in listed if m["date"][:4] == str(today.year)], "meetings": listed}


def network_summary(repo, network: Record, lang: str, today: dt.date | None = None) -> dict:
    members = _members(repo, network, lang)
    keys = ("name_nb", "name_en", "chair", "chair_email", "weekday", "start", "end", "location")
    return {
        "slug": network.id,
        "name": network_name(network, lang),
        **{k: network.get(k) for k in keys},
        "field": [str(f) for f in as_list(network.get("field")) if f],
        "field_names": field_names(repo, network, lang),
        "members": members,
        "departments": sorted({m["department"] for m in members if m["department"]}),
        **_meetings(repo, network, today or dt.date.today()),
    }


# --- the words ------------------------------------------------------------------------------------------
def facts(summary: dict, lang: str) -> list[tuple[str, str]]:
    """The label/value lines under the network's name."""
    t = labels(lang)
    chair = summary["chair"] or ""
    if summary["chair_email"]:
        chair += f" ({summary['chair_email']})"
    out = [(t["field"], ", ".join(summary["field_names"])), (t["chair"], chair)]
    if summary["weekday"] or summary["start"]:
        day = t["weekday_names"].get(summary["weekday"] or "", "")
        out.append((t["usual"], f"{day} {clock_range(summary['start'], summary['end'], lang)}".strip()))
    if summary["location"]:
        out.append((t["place"], summary["location"]))
    return [(k, v) for k, v in out if v]


def member_cell(member: dict, lang: str) -> str:
    """`Seniorrådgiver, ASA (observatør)` and, on a line of its own, `Vara: …`."""
    t = labels(lang)
    text = member["name"] or ""
    if member["role"] != "member":
        text += f" ({t['roles'].get(member['role'], member['role'])})"
    if member["stand_in"]:
        text += f"\n{t['stand_in']}: {member['stand_in']}"
    return text


def member_rows(summary: dict, lang: str) -> list[list[str]]:
    """Members by department (in the order of the departments' codes)."""
    t = labels(lang)
    ordered = sorted(summary["members"], key=lambda m: m["department"] or "")
    return [[m["department"] or "", member_cell(m, lang), m["email"] or t["no_email"]] for m in ordered]


def meeting_rows(repo, summary: dict, lang: str, last: int = 12) -> list[list[str]]:
    from hrcoord.render.dates import weekday_date

    t = labels(lang)
    return [[weekday_date(m["date"], lang), t["meeting_status"].get(m["status"], m["status"] or "")]
            for m in summary["meetings"][-last:]]


# --- terminal text and Markdown ------------------------------------------------------------------------------
def network_text(repo, summary: dict, lang: str, width: int | None = None) -> str:
    """The overview for a terminal: plain lines and tables, no Markdown marks."""
    import textwrap

    from hrcoord.render.tables import terminal, terminal_width

    t = labels(lang)
    fold = width or terminal_width()
    lines = [summary["name"], *[textwrap.fill(f"{label}: {value}", fold, subsequent_indent="  ", break_long_words=False,
                                              break_on_hyphens=False) for label, value in facts(summary, lang)], ""]
    members = member_rows(summary, lang)
    meetings = meeting_rows(repo, summary, lang)
    out = "\n".join(lines) + "\n"
    out += terminal(members, [t["department"], t["name"], t["email"]], folding=[False, True, False],
                    title=t["members"], width=width) if members else f"{t['members']}: {t['none']}\n"
    out += "\n"
    out += terminal(meetings, [t["date"], t["status"]], folding=[False, True], title=t["meetings"],
                    width=width) if meetings else f"{t['meetings']}: {t['none']}\n"
    return out


def network_markdown(repo, summary: dict, lang: str) -> str:
    def cell(text) -> str:
        return " ".join(str(text or "").split()).replace("|", "\\|")

    t = labels(lang)
    lines = [f"# {summary['name']}", ""] + [f"**{k}:** {v}  " for k, v in facts(summary, lang)] + [""]
    lines += [f"## {t['members']}", "", f"| {t['department']} | {t['name']} | {t['email']} |", "| --- | --- | --- |"]
    lines += [f"| {' | '.join(cell(c) for c in row)} |" for row in member_rows(summary, lang)]
    lines += ["", f"## {t['meetings']}", ""]
    rows = meeting_rows(repo, summary, lang)
    if rows:
        lines += [f"| {t['date']} | {t['status']} |", "| --- | --- |"] + [f"| {a} | {cell(b)} |" for a, b in rows]
    else:
        lines.append(t["none"])
    return "\n".join(lines) + "\n"
