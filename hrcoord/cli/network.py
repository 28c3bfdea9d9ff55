"""`hrcoord network list|show|add` and `network member add|remove|update`: the network groups, their
chair and members by department. Logic: hrcoord/networks/members.py, overview.py."""
from __future__ import annotations

import json
from typing import Annotated, Literal, Optional, TypeAlias

import typer

from hrcoord.cli import common

app = typer.Typer(rich_markup_mode=None, help="Network groups (trafficking, forced marriage, FGM, human rights) and "
                  "their members.", no_args_is_help=True)
member_app = typer.Typer(rich_markup_mode=None, no_args_is_help=True,
                         help="A network's members: add, remove, update (role, department, e-mail, stand-in).")
app.add_typer(member_app, name="member")

LIST_FORMATS = ("table", "md", "json", "csv", "xlsx")
ListFormatOpt: TypeAlias = Annotated[str, common.format_option(LIST_FORMATS)]
NetworkOpt = Annotated[Optional[str], typer.Option("--network", "-n", help="The network's slug, e.g. trafficking.")]
MemberArg = Annotated[str, typer.Argument(help="The member's name (role title) as listed in `network show`.")]
DepartmentOpt = Annotated[Optional[str], typer.Option("--department", help="Department code, e.g. ASA.")]
RoleOpt = Annotated[Optional[str], typer.Option("--role", help="chair, secretary, member or observer.")]
EmailOpt = Annotated[Optional[str], typer.Option("--email", help="E-mail address (invitations go there).")]
StandInOpt = Annotated[Optional[str], typer.Option("--stand-in", help="Who attends when the member cannot "
                                                                      "(a role title).")]


@app.command("list")
def list_cmd(
    repo: common.RepoOpt = None,
    format: ListFormatOpt = "table",
    excel: common.ExcelOpt = False,
    out: common.OutOpt = None,
    lang: common.LangOpt = None,
):
    """List the networks: members, departments, the last held and the next meeting."""
    from hrcoord.actionplans.reports.listing import render_rows
    from hrcoord.networks.overview import network_summary
    r = common.repo(repo)
    lang = common.lang(r, lang)
    rows = [network_summary(r, net, lang) for _, net in sorted(r.networks().items())]
    if format == "json" and not excel:
        common.emit(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", out)
        return
    flat = [{"slug": s["slug"], "name": s["name"], "field": ", ".join(s["field"]), "chair": s["chair"],
             "members": len(s["members"]), "departments": ", ".join(s["departments"]),
             "next_meeting": s["next_meeting"] or "", "last_meeting": s["last_meeting"] or ""} for s in rows]
    format = common.excel_format(format, excel, "table")
    columns = [("slug", "network"), ("name", "name"), ("members", "members"), ("last_meeting", "last held"),
               ("next_meeting", "next meeting")]
    if format != "table":
        columns[2:2] = [("field", "field"), ("chair", "chair")]
        columns.insert(5, ("departments", "departments"))
    common.emit(render_rows(flat, columns, format, wrap=("name",), excel=excel, lang=lang), out)


@app.command("show")
def show_cmd(
    slug: Annotated[str, typer.Argument(help="The network's slug, e.g. trafficking.")],
    repo: common.RepoOpt = None,
    format: Annotated[Literal["text", "md", "json"], typer.Option(
        "--format", "-f", help="Output format: text (for the terminal), md or json.")] = "text",
    out: common.OutOpt = None,
    lang: common.LangOpt = None,
):
    """One network in the repository's language: names, field, chair, usual meeting time and place, members by
    department, meetings."""
    from hrcoord.networks.overview import network_markdown, network_summary, network_text

    r = common.repo(repo)
    lang = common.lang(r, lang)
    summary = network_summary(r, r.network(slug), lang)
    if format == "json":
        common.emit(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", out)
    elif format == "md":
        common.emit(network_markdown(r, summary, lang), out)
    else:
        common.emit(network_text(r, summary, lang), out)


def _done(rel: str, text: str, dry_run: bool, verb: str) -> None:
    """`created data/networks/x.yaml`, or with --dry-run the text and `would create …`."""
    if dry_run:
        common.emit(text, None)
    common.info(f"{'would ' + verb if dry_run else verb + 'd'} {rel}")


@app.command("add")
def add_cmd(
    slug: Annotated[str, typer.Argument(help="The new network's slug (lower-case letters, digits, hyphens).")],
    name_nb: Annotated[Optional[str], typer.Option("--name-nb", help="Name in Norwegian.")] = None,
    name_en: Annotated[Optional[str], typer.Option("--name-en", help="Name in English.")] = None,
    field: Annotated[Optional[list[str]], typer.Option("--field", help="Relevance area of the network "
                                                                       "(taxonomy slug); repeatable.")] = None,
    chair: Annotated[Optional[str], typer.Option("--chair", help="The chair's role title.")] = None,
    chair_email: Annotated[Optional[str], typer.Option("--chair-email", help="The chair's e-mail (the organiser of "
                                                                             "invitations).")] = None,
    weekday: Annotated[Optional[str], typer.Option("--weekday", help="Usual meeting day, monday … friday.")] = None,
    start: Annotated[Optional[str], typer.Option("--start", help="Usual start HH:MM.")] = None,
    end: Annotated[Optional[str], typer.Option("--end", help="Usual end HH:MM.")] = None,
    location: Annotated[Optional[str], typer.Option("--location", help="Usual place.")] = None,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Create a network: data/networks/<slug>.yaml, without members (add them with `network member add`)."""
    from hrcoord.networks.meetings import clock
    from hrcoord.networks.members import NewNetwork, add_network

    r = common.repo(repo)
    new = NewNetwork(slug, common.need(name_nb, "--name-nb", "Name (Norwegian)"),
                     common.need(name_en, "--name-en", "Name (English)"),
                     list(field or []) or [common.need(None, "--field", "Relevance area")],
                     common.need(chair, "--chair", "Chair (role title)"), chair_email, weekday,
                     clock(start, "--start"), clock(end, "--end"), location)
    path, text = add_network(r, new, dry_run=dry_run)
    _done(r.rel(path), text, dry_run, "create")


@member_app.command("add")
def member_add_cmd(
    network: NetworkOpt = None,
    name: Annotated[Optional[str], typer.Option("--name", help="Role title, never a personal name.")] = None,
    department: DepartmentOpt = None,
    role: RoleOpt = None,
    email: EmailOpt = None,
    stand_in: StandInOpt = None,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Add a member to a network."""
    from hrcoord.networks.members import add_member

    r = common.repo(repo)
    slug = common.need(network, "--network", "Network")
    member = {"name": common.need(name, "--name", "Name (role title)"),
              "department": common.need(department, "--department", "Department"), "role": role, "email": email,
              "stand_in": stand_in}
    rec, text = add_member(r, slug, member, dry_run=dry_run)
    _done(rec.rel, text, dry_run, "update")


@member_app.command("remove")
def member_remove_cmd(
    name: MemberArg,
    network: NetworkOpt = None,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Remove a member from a network."""
    from hrcoord.networks.members import remove_member

    r = common.repo(repo)
    rec, text = remove_member(r, common.need(network, "--network", "Network"), name, dry_run=dry_run)
    _done(rec.rel, text, dry_run, "update")


@member_app.command("update")
def member_update_cmd(
    name: MemberArg,
    network: NetworkOpt = None,
    rename: Annotated[Optional[str], typer.Option("--rename", help="A new name (role title).")] = None,
    department: DepartmentOpt = None,
    role: RoleOpt = None,
    email: EmailOpt = None,
    stand_in: StandInOpt = None,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Change a member's name, department, role, e-mail or stand-in; an empty value ("") removes an e-mail,
    role or stand-in."""
    from hrcoord.networks.members import update_member

    r = common.repo(repo)
    values = {"name": rename, "department": department, "role": role, "email": email, "stand_in": stand_in}
    rec, text = update_member(r, common.need(network, "--network", "Network"), name, values, dry_run=dry_run)
    _done(rec.rel, text, dry_run, "update")
