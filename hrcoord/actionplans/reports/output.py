"""Render a report model in one of the formats. Every format reads the same model."""
from __future__ import annotations

from hrcoord.core.errors import UsageError
from hrcoord.actionplans.reports import REPORT_FORMATS
from hrcoord.actionplans.reports.common import md_cell, to_csv, to_json
from hrcoord.actionplans.reports.labels import STATUS_COLOURS, labels


def render(repo, model, fmt: str) -> str | bytes:
    """`model` is an ActionPlanReport or a QuarterlyReport; returns text, or bytes for docx."""
    from hrcoord.actionplans.reports import action_plan, quarterly

    if fmt not in REPORT_FORMATS:
        raise UsageError(f"--format must be one of {', '.join(REPORT_FORMATS)}, not {fmt!r}")
    module = action_plan if model.report == "action-plan" else quarterly
    if fmt == "json":
        return to_json(model)
    if fmt == "csv":
        return to_csv(module.CSV_HEADER, module.csv_rows(model))
    t = labels(model.lang)
    if fmt == "docx":
        from hrcoord.actionplans.reports import docx_out

        author = repo.settings.get("organisation") if isinstance(repo.settings.get("organisation"), str) else None
        build = docx_out.action_plan if model.report == "action-plan" else docx_out.quarterly
        return build(model, t, author=author)
    from hrcoord.render.env import render as render_template

    context = {"r": model, "t": t, "md": md_cell}
    if model.report == "action-plan":
        context["statuses"] = [s for s in model.counts if s != "none" or model.counts["none"]]
        if fmt == "html":
            context["charts"] = _charts_action_plan(model, t)
    elif fmt == "html":
        context["chart"] = _chart(model.measure_counts, t, t["q_chart"])
    return render_template(repo, f"report/{model.report}.{fmt}.j2", model.lang, **context)


def _chart(counts: dict, t: dict, title: str):
    from markupsafe import Markup

    from hrcoord.render.chart import status_chart

    return Markup(status_chart(counts, t, STATUS_COLOURS, title))


def _charts_action_plan(model, t: dict) -> dict:
    charts = {p.id: _chart(p.counts, t, t["chart"]) for p in model.plans}
    charts["__all__"] = _chart(model.counts, t, t["chart"])
    return charts
