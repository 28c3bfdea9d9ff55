"""Render a report model in one of the formats. Every format reads the same model."""
from __future__ import annotations

from collections.abc import Callable

from hrcoord.actionplans.reports import REPORT_FORMATS
from hrcoord.actionplans.reports.common import md_cell, to_csv, to_json
from hrcoord.actionplans.reports.labels import STATUS_COLOURS, labels
from hrcoord.core.errors import UsageError


def render(repo, model, fmt: str, *, excel: bool = False) -> str | bytes:
    """`model` is an ActionPlanReport or a QuarterlyReport; returns text, or bytes for docx/pdf/xlsx."""
    if fmt not in REPORT_FORMATS:
        raise UsageError(f"--format must be one of {', '.join(REPORT_FORMATS)}, not {fmt!r}")
    renderers: dict[str, Callable[[], str | bytes]] = {
        "json": lambda: to_json(model), "csv": lambda: _csv(model, excel), "docx": lambda: _word(repo, model),
        "pdf": lambda: _pdf(repo, model), "xlsx": lambda: _xlsx(repo, model)}
    if fmt in renderers:
        return renderers[fmt]()
    return _template(repo, model, fmt)


def _module(model):
    from hrcoord.actionplans.reports import action_plan, quarterly

    return action_plan if model.report == "action-plan" else quarterly


def _csv(model, excel: bool) -> str:
    module = _module(model)
    return to_csv(module.CSV_HEADER, module.csv_rows(model), excel=excel)


def organisation(repo) -> str:
    org = repo.settings.get("organisation")
    return org if isinstance(org, str) else ""


def document(repo, model):
    """The report as a render/document.py model (Word; its header also heads the PDF)."""
    from hrcoord.actionplans.reports import docx_out

    build = docx_out.action_plan_document if model.report == "action-plan" else docx_out.quarterly_document
    return build(model, labels(model.lang), organisation(repo))


def _word(repo, model) -> bytes:
    from hrcoord.render.word import render as render_word

    return render_word(repo, document(repo, model))


def _pdf(repo, model) -> bytes:
    from hrcoord.actionplans.reports import docx_out
    from hrcoord.render.pdf import from_html

    kind = "action_plan" if model.report == "action-plan" else "quarterly"
    return from_html(_template(repo, model, "html"), docx_out.meta(model, kind, organisation(repo)))


def _xlsx(repo, model) -> bytes:
    from hrcoord.actionplans.reports import sheets_out
    from hrcoord.render.sheets import workbook
    from hrcoord.render.word import created_time

    t = labels(model.lang)
    sheets = sheets_out.action_plan_sheets(model, t) if model.report == "action-plan" else \
        sheets_out.quarterly_sheets(model, t)
    kind = "action_plan" if model.report == "action-plan" else "quarterly"
    from hrcoord.actionplans.reports import docx_out

    meta = docx_out.meta(model, kind, organisation(repo))
    return workbook(sheets, lang=model.lang, title=model.title, author=meta.organisation, created=created_time(meta))


def _template(repo, model, fmt: str) -> str:
    from hrcoord.render.env import render as render_template

    t = labels(model.lang)
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
