"""`hrcoord network list|show`: the network groups, their chair and members by department."""
from __future__ import annotations

import json
from typing import Annotated

import typer

from hrcoord.cli import common

app = typer.Typer(rich_markup_mode=None, help="Network groups (trafficking, forced marriage, FGM, human rights) and their members.",
                  no_args_is_help=True)

LIST_FORMATS = ("table", "md", "json", "csv", "xlsx")


@app.command("list")
def list_cmd(
    repo: common.RepoOpt = None,
    format: common.format_opt(LIST_FORMATS, "table") = "table",
    excel: common.ExcelOpt = False,
    out: common.OutOpt = None,
    lang: common.LangOpt = None,
):
    """List the networks: field, chair, members, departments and the next meeting."""
    from hrcoord.networks.documents import network_summary
    from hrcoord.actionplans.reports.listing import render_rows

    r = common.repo(repo)
    lang = common.lang(r, lang)
    rows = [network_summary(r, net, lang) for _, net in sorted(r.networks().items())]
    if format == "json" and not excel:
        common.emit(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", out)
        return
    flat = [{"slug": s["slug"], "name": s["name"], "field": ", ".join(s["field"]), "chair": s["chair"],
             "members": len(s["members"]), "departments": ", ".join(s["departments"]),
             "next_meeting": s["next_meeting"] or "", "last_meeting": s["last_meeting"] or ""} for s in rows]
    columns = [("slug", "network"), ("name", "name"), ("field", "field"), ("chair", "chair"),
               ("members", "members"), ("departments", "departments"), ("last_meeting", "last held"),
               ("next_meeting", "next meeting")]
    format = common.excel_format(format, excel, "table")
    common.emit(render_rows(flat, columns, format, excel=excel, lang=lang), out)


@app.command("show")
def show_cmd(
    slug: Annotated[str, typer.Argument(help="The network's slug, e.g. trafficking.")],
    repo: common.RepoOpt = None,
    format: common.format_opt(("md", "json"), "md") = "md",
    out: common.OutOpt = None,
    lang: common.LangOpt = None,
):
    """One network: names, field, chair, usual meeting time and place, members by department, meetings."""
    from hrcoord.networks.documents import network_markdown, network_summary

    r = common.repo(repo)
    lang = common.lang(r, lang)
    summary = network_summary(r, r.network(slug), lang)
    if format == "json":
        common.emit(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", out)
    else:
        common.emit(network_markdown(r, summary, lang), out)


