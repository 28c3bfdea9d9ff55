"""The reports as spreadsheets: one sheet per table of the report, typed cells, headers in the
report's language (render/sheets.py writes them)."""
from __future__ import annotations

from hrcoord.render.sheets import Sheet


def _label(t: dict, key: str | None) -> str:
    return t.get(key, key or "") if key else ""


def action_plan_sheets(r, t: dict) -> list[Sheet]:
    statuses = [s for s in r.counts if s != "none" or r.counts["none"]]
    summary = Sheet(t["summary"], [t["plan"], t["measures"], *[_label(t, s) for s in statuses], t["overdue_short"],
                                   t["delayed_short"]],
                    [[p.title, p.total, *[p.counts[s] for s in statuses], p.overdue, p.delayed] for p in r.plans])
    measures = Sheet(t["measures"], [t["plan"], t["number"], t["title"], t["role"], t["department"], t["deadline"],
                                     r.status_label, t["overdue"], t["delayed_flag"]],
                     [[p.title, m.number, m.title, _label(t, m.role), m.department_name, m.deadline,
                       _label(t, m.status), m.overdue, m.delayed] for p in r.plans for m in p.measures])
    entries = Sheet(t["entries_year"].format(year=r.year),
                    [t["plan"], t["number"], t["title"], t["date"], t["status"], t["note"], t["by"]],
                    [[p.title, m.number, m.title, e.date, _label(t, e.status), e.note or "", e.by or ""]
                     for p in r.plans for m in p.measures for e in m.entries])
    return [summary, measures, entries]


def quarterly_sheets(r, t: dict) -> list[Sheet]:
    return [_q_meetings(r, t), _q_summaries(r, t), _q_measures(r, t), _q_follow_ups(r, t), _q_hearings(r, t),
            _q_upcoming(r, t)]


def _q_meetings(r, t: dict) -> Sheet:
    return Sheet(t["q_meetings"], [t["network"], t["held_quarter"], t["other_quarter"], t["cancelled_quarter"],
                                   t["rhythm_met"], t["held_ytd"], t["min_ytd"]],
                 [[n.name, n.held, n.other, n.cancelled, n.met, n.held_ytd, n.min_ytd] for n in r.networks])


def _q_summaries(r, t: dict) -> Sheet:
    rows = [[t["q_published"], s.title, s.published] for s in r.summaries_published]
    rows += [[t["q_reviewed"], s.title, s.reviewed] for s in r.summaries_reviewed]
    rows += [[t["q_withdrawn"], s.title, None] for s in r.summaries_withdrawn]
    return Sheet(t["q_summaries"], [t["kind"], t["title"], t["date"]], rows)


def _q_measures(r, t: dict) -> Sheet:
    return Sheet(t["q_measure_changes"], [t["date"], t["number"], t["title"], t["previous"], t["new"], t["note"]],
                 [[e.date, e.number, e.title, _label(t, e.before), _label(t, e.after), e.note or ""]
                  for e in r.measure_entries])


def _q_follow_ups(r, t: dict) -> Sheet:
    rows = []
    for label, items in ((t["q_opened"], r.follow_ups_opened), (t["q_closed"], r.follow_ups_closed),
                         (t["q_open_end"], r.follow_ups_open)):
        rows += [[label, f.network_name, f.meeting_date, f.text, f.owner, f.due,
                  f.done if f.done and f.done <= r.as_of else None] for f in items]
    return Sheet(t["q_follow_ups"], [t["kind"], t["network"], t["meeting"], t["note"], t["owner"], t["due"],
                                     t["done"]], rows)


def _q_hearings(r, t: dict) -> Sheet:
    rows = [[t["q_hearings_received"], h.title, h.sender, h.received, h.deadline, h.responsible, _label(t, h.status)]
            for h in r.hearings_received]
    rows += [[t["q_hearings_answered"], h.title, h.sender, h.received, h.deadline, h.responsible,
              _label(t, h.status)] for h in r.hearings_answered]
    return Sheet(t["q_hearings"], [t["kind"], t["title"], t["sender"], t["received_date"], t["deadline"],
                                   t["responsible"], t["status"]], rows)


def _q_upcoming(r, t: dict) -> Sheet:
    return Sheet(t["q_upcoming"].format(quarter=r.next_quarter_label), [t["date"], t["kind"], t["title"],
                                                                        t["responsible"]],
                 [[u.date, t["kind_" + u.kind.replace("-", "_")], u.title, u.responsible] for u in r.upcoming])
