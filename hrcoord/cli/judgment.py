"""`hrcoord judgment …`: add, import, fetch, list, show, cite, status, review, digest. Logic in
hrcoord/caselaw/ (judgments.py, importers/, fetch.py, cite.py)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from hrcoord.cli import common

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True,
                  help="Case-law summaries: add, import, fetch, list, show, cite, the review lifecycle and the "
                       "circulation digest.")

ListOpt = Optional[list[str]]
S = Optional[str]


def _o(flag: str, help: str):
    return typer.Option(flag, help=help)


TodayOpt = Annotated[Optional[str], typer.Option("--today", help="Use this day (YYYY-MM-DD) instead of today.")]




@app.command("add")
def add_cmd(
    title: Annotated[S, _o("--title", "Short name as cited, e.g. 'Nunez v. Norway'.")] = None,
    body: Annotated[S, _o("--body", "Court or committee: ECtHR, CJEU, CCPR, CAT, …")] = None,
    doc_type: Annotated[S, _o("--doc-type", "judgment, decision, views, advisory-opinion, general-comment or "
                                            "report.")] = None,
    formation: Annotated[S, _o("--formation", "Grand Chamber, Chamber or Committee.")] = None,
    reference: Annotated[ListOpt, _o("--reference", "Application or case number (repeatable).")] = None,
    ecli: Annotated[S, _o("--ecli", "European Case Law Identifier.")] = None,
    date: Annotated[S, _o("--date", "Date of the judgment or views, YYYY-MM-DD.")] = None,
    respondent: Annotated[ListOpt, _o("--respondent", "Respondent state, ISO code like NO (repeatable).")] = None,
    article: Annotated[ListOpt, _o("--article", "Provision like 'ECHR 8' (repeatable).")] = None,
    outcome: Annotated[S, _o("--outcome", "violation, no-violation, inadmissible, …")] = None,
    importance: Annotated[Optional[int], _o("--importance", "1 (key case) to 3.")] = None,
    keyword: Annotated[ListOpt, _o("--keyword", "Taxonomy keyword slug (repeatable).")] = None,
    relevance: Annotated[ListOpt, _o("--relevance", "Directorate area slug, e.g. expulsion (repeatable).")] = None,
    department: Annotated[ListOpt, _o("--department", "Department that must know: ASA, OPA, RMA (repeatable).")] = None,
    access: Annotated[S, _o("--access", "public (default) or internal.")] = None,
    source_url: Annotated[S, _o("--source-url", "Link to the full text.")] = None,
    related: Annotated[ListOpt, _o("--related", "Related summary: ID or ID:RELATION (repeatable).")] = None,
    foreign_practice: Annotated[ListOpt, _o("--foreign-practice",
                                            "Other states' practice: 'CC: note | source' (repeatable).")] = None,
    summary_lang: Annotated[S, _o("--summary-lang", "Language of the summary: nb or en.")] = None,
    case_ref: Annotated[S, _o("--case-ref", "The directorate's archive case number, 10/1843-27.")] = None,
    origin: Annotated[ListOpt, _o("--origin", "Applicant's country of origin, ISO code like SO (repeatable).")] = None,
    provision: Annotated[ListOpt, _o("--provision", "National provision discussed, e.g. 'utlendingsloven § 28' "
                                                    "(repeatable).")] = None,
    by: Annotated[S, _o("--by", "Who writes the summary (default: git config user.name).")] = None,
    id: Annotated[S, _o("--id", "The summary's id (default: from the title and year).")] = None,
    edit: Annotated[bool, _o("--edit", "Open $EDITOR on the new file, then validate it again.")] = False,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Create a draft summary with the section skeleton; refuses a reference already summarised."""
    from hrcoord.caselaw import judgments

    r = common.repo(repo)
    values = {
        "title": title, "body": body, "doc_type": doc_type, "formation": formation, "reference": reference,
        "ecli": ecli, "date": date, "respondent": respondent, "articles": article, "outcome": outcome,
        "importance": importance, "keywords": keyword, "relevance": relevance, "departments": department,
        "access": access, "source_url": source_url, "related": related, "foreign_practice": foreign_practice,
        "summary_lang": summary_lang, "case_ref": case_ref, "origin": origin, "provisions": provision, "author": by,
    }
    gone = judgments.missing(values)
    if gone:
        if not common.interactive():
            raise judgments.missing_error(gone)
        _prompt(r, values, gone)
    added = judgments.add(r, values, jid=id, dry_run=dry_run)
    if dry_run:
        common.info(f"would write {added.rel}")
        common.emit(added.text, None)
        return
    common.info(f"wrote {added.rel}")
    for note in added.notes:
        common.info(f"note: {note}")
    if edit:
        judgments.open_editor(added.path)
        problems = judgments.check_file(r.root, added.path)
        if problems:
            common.print_problems(problems)
            from hrcoord.core.errors import DataError

            raise DataError(f"{added.rel} has errors after editing; the file is kept: fix it and run hrcoord validate")
        common.info(f"{added.rel}: valid")


def _prompt(r, values: dict, gone: list[str]) -> None:
    """Ask on the terminal for the required values that no flag gave."""
    from hrcoord.caselaw import judgments

    options = judgments.choices(r)
    for name in gone:
        label = judgments.FLAGS[name].lstrip("-").replace("-", " ")
        if name in ("body", "doc_type") and options.get(name):
            values[name] = _ask_choice(label, options[name])
        elif name in ("relevance", "articles"):
            values[name] = _ask_known(label, options.get(name) or [], articles=name == "articles")
        elif name == "reference":
            values[name] = _split(typer.prompt(f"{label} (several: comma-separated)"))
        elif name == "date":
            values[name] = _ask_date(label)
        else:
            values[name] = typer.prompt(label)


def _split(raw: str) -> list[str]:
    return [x.strip() for x in raw.split(",") if x.strip()]


def _ask_choice(label: str, choices: list[str]) -> str:
    import click

    return typer.prompt(label, type=click.Choice(choices))


def _ask_known(label: str, known: list[str], articles: bool) -> list[str]:
    """Comma-separated values, asked again until there is at least one and all are `known` (when
    the vocabulary is not empty); articles by any name (EMK 8 is ECHR 8)."""
    hint = f" ({', '.join(known[:12])}{', …' if len(known) > 12 else ''})" if known else ""
    while True:
        items = _split(typer.prompt(f"{label}, comma-separated{hint}"))
        if articles:
            from hrcoord.core.models.judgment import canonical_article

            items = [canonical_article(x) for x in items]
        bad = [x for x in items if known and x not in known]
        if items and not bad:
            return items
        common.info(f"unknown: {', '.join(bad)}" if bad else "give at least one")


def _ask_date(label: str):
    """A date YYYY-MM-DD, asked again (saying what is wrong) until it is one."""
    from hrcoord.caselaw import judgments

    while True:
        raw = typer.prompt(f"{label} (YYYY-MM-DD)")
        try:
            return judgments.need_date(raw, "--date")
        except Exception as exc:
            common.info(str(exc))


@app.command("list")
def list_cmd(
    body: Annotated[ListOpt, _o("--body", "Court or committee (repeatable).")] = None,
    convention: Annotated[ListOpt, _o("--convention", "Convention code, e.g. ECHR (repeatable).")] = None,
    article: Annotated[ListOpt, _o("--article", "Provision, e.g. 'ECHR 8' (also matches ECHR 8-1).")] = None,
    relevance: Annotated[ListOpt, _o("--relevance", "Relevance area slug (repeatable).")] = None,
    keyword: Annotated[ListOpt, _o("--keyword", "Keyword slug (repeatable).")] = None,
    department: Annotated[ListOpt, _o("--department", "Department code (repeatable).")] = None,
    status: Annotated[ListOpt, _o("--status", "draft, in-review, approved, published, withdrawn.")] = None,
    since: Annotated[S, _o("--since", "Judgments on or after this date.")] = None,
    until: Annotated[S, _o("--until", "Judgments on or before this date.")] = None,
    text: Annotated[S, _o("--text", "Words that must occur in the title, reference, ECLI, articles, keyword or "
                                    "relevance names (Norwegian or English) or the text.")] = None,
    origin: Annotated[ListOpt, _o("--origin", "Applicant's country of origin, ISO code (repeatable).")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table, json, csv, md or xlsx (give --out).")] = "table",
    excel: common.ExcelOpt = False,
    out: common.OutOpt = None,
    repo: common.RepoOpt = None,
):
    """List summaries, newest first; repeated filters match any of their values."""
    from hrcoord.caselaw import judgments
    from hrcoord.core.errors import UsageError

    if format not in ("table", "json", "csv", "md", "xlsx"):
        raise UsageError(f"--format must be table, json, csv, md or xlsx, not {format!r}")
    format = common.excel_format(format, excel, "table")
    r = common.repo(repo)
    recs = judgments.select(r, body=body, convention=convention, article=article, relevance=relevance,
                            keyword=keyword, department=department, status=status, since=since, until=until,
                            text=text, origin=origin)
    if format in ("xlsx", "csv") and (format == "xlsx" or excel):
        from hrcoord.actionplans.reports.listing import render_rows

        rows = [{c: judgments._cell(rec, c) for c in judgments.COLUMNS} for rec in recs]
        common.emit(render_rows(rows, [(c, c) for c in judgments.COLUMNS], format, excel=excel, lang=r.language), out)
        return
    if format == "table":
        if out is not None:
            common.emit(judgments.format_list(recs, "md"), out)
            return
        from hrcoord.actionplans.reports.listing import render_rows

        # the terminal's width (COLUMNS when piped): ids and dates whole, titles fold
        shown = ("id", "date", "title", "reference", "articles", "status")
        rows = [{c: judgments._cell(rec, c) for c in shown} for rec in recs]
        common.emit(render_rows(rows, [(c, c) for c in shown], "table"), None)
        common.info(f"{len(recs)} summar{'y' if len(recs) == 1 else 'ies'}")
        return
    common.emit(judgments.format_list(recs, format), out)


@app.command("show")
def show_cmd(
    id: Annotated[str, typer.Argument(help="The summary's id.")],
    format: Annotated[str, typer.Option("--format", "-f", help="text (rendered), md (the file) or json.")] = "text",
    repo: common.RepoOpt = None,
):
    """Show one summary, rendered in the terminal."""
    import json

    from hrcoord.caselaw import judgments
    from hrcoord.core.errors import UsageError

    r = common.repo(repo)
    rec = judgments.lookup(r, id)
    if format == "md":
        common.emit(rec.source.path.read_text(encoding="utf-8-sig"), None)
    elif format == "json":
        common.emit(json.dumps({**judgments.as_json(rec), "text": rec.body or ""}, ensure_ascii=False, indent=2), None)
    elif format == "text":
        from rich.console import Console

        console = Console()
        for part in judgments.show_renderables(r, rec):
            console.print(part)
    else:
        raise UsageError(f"--format must be text, md or json, not {format!r}")


@app.command("status")
def status_cmd(
    id: Annotated[str, typer.Argument(help="The summary's id.")],
    status: Annotated[str, typer.Argument(help="New status: in-review, approved, published, draft or withdrawn.")],
    replaced_by: Annotated[S, _o("--replaced-by", "For withdrawn: the summary that replaces it.")] = None,
    reason: Annotated[S, _o("--reason", "For withdrawn without a replacement: why.")] = None,
    today: TodayOpt = None,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Move a summary through its lifecycle (draft → in-review → approved → published; any → withdrawn)."""
    from hrcoord.caselaw import judgments

    r = common.repo(repo)
    changed = judgments.set_status(r, id, status, replaced_by=replaced_by, reason=reason,
                                   today=common.day(today, "--today"), dry_run=dry_run)
    if dry_run:
        common.emit(changed.text, None)
        common.info(f"would write {changed.rel}: {changed.message}")
    else:
        common.info(f"{changed.rel}: {changed.message}")


@app.command("review")
def review_cmd(
    id: Annotated[str, typer.Argument(help="The summary's id.")],
    by: Annotated[str, typer.Option("--by", help="Who reviewed it (role or name).")],
    today: TodayOpt = None,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Stamp the review: who, when, and a digest of the text and key fields."""
    from hrcoord.caselaw import judgments

    r = common.repo(repo)
    changed = judgments.review(r, id, by, today=common.day(today, "--today"), dry_run=dry_run)
    if dry_run:
        common.emit(changed.text, None)
        common.info(f"would write {changed.rel}: {changed.message}")
    else:
        common.info(f"{changed.rel}: {changed.message}")


@app.command("digest")
def digest_cmd(
    since: Annotated[str, typer.Option("--since", help="New and changed since this date (YYYY-MM-DD).")],
    department: Annotated[S, _o("--department", "Only this department's summaries.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="md, html or pdf (PDF/A; give --out).")] = "md",
    lang: common.LangOpt = None,
    today: TodayOpt = None,
    out: common.OutOpt = None,
    repo: common.RepoOpt = None,
):
    """New and changed summaries since a date, grouped by department, ready to circulate."""
    from hrcoord.caselaw import judgments

    r = common.repo(repo)
    day = common.day(today, "--today")
    text = judgments.digest_document(r, since, department=department, fmt="html" if format == "pdf" else format,
                                     lang=lang, today=day)
    if format == "pdf":
        from hrcoord.render.pdf import digest_pdf

        common.emit(digest_pdf(r, text, lang or r.language, day), out)
        return
    common.emit(text, out)


# --- import, fetch, cite ------------------------------------------------------------------------

def _defaults(article, relevance, department, keyword, by) -> dict:
    return {"articles": article, "relevance": relevance, "departments": department, "keywords": keyword,
            "author": by}


def _report(written, notes, dry_run: bool) -> None:
    for w in written:
        if dry_run:
            common.info(f"would write {w.rel} ({w.origin})")
            common.emit(w.text, None)
        else:
            common.info(f"wrote {w.rel} ({w.origin})")
        for note in w.notes:
            common.info(f"  {note}")
    for note in notes:
        common.info(f"note: {note}")
    n = len(written)
    common.info(f"{'would import' if dry_run else 'imported'} {n} summar{'y' if n == 1 else 'ies'} (status draft)")


ArticleOpt = Annotated[ListOpt, _o("--article", "Provision for records whose source names none, e.g. 'ECHR 8' "
                                                "(repeatable).")]
RelevanceOpt = Annotated[ListOpt, _o("--relevance", "Directorate area for every imported record (repeatable; "
                                                    "required unless the source has one).")]
DepartmentOpt = Annotated[ListOpt, _o("--department", "Department that must know (repeatable).")]
KeywordOpt = Annotated[ListOpt, _o("--keyword", "Keyword slug (repeatable).")]
ByOpt = Annotated[S, _o("--by", "Who writes the summaries (default: git config user.name).")]
SkipOpt = Annotated[bool, _o("--skip-existing", "Leave out records already summarised instead of refusing.")]


@app.command("import")
def import_cmd(
    files: Annotated[list[Path], typer.Argument(help="Saved HUDOC results (JSON), CELLAR notices (XML or SPARQL "
                                                     "JSON) or CSV files with the SPEC's column names.")],
    format: Annotated[str, typer.Option("--format", "-f", help="auto, hudoc, cellar or csv.")] = "auto",
    article: ArticleOpt = None,
    relevance: RelevanceOpt = None,
    department: DepartmentOpt = None,
    keyword: KeywordOpt = None,
    by: ByOpt = None,
    skip_existing: SkipOpt = False,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Draft summaries from saved source records: fields the source gives, the section skeleton;
    validated before writing; a record already summarised (same reference or ECLI) is refused."""
    from hrcoord.caselaw import importers

    r = common.repo(repo)
    written, notes = importers.import_files(r, files, _defaults(article, relevance, department, keyword, by),
                                            fmt=format, dry_run=dry_run, skip_existing=skip_existing)
    _report(written, notes, dry_run)


@app.command("fetch")
def fetch_cmd(
    appno: Annotated[S, _o("--appno", "ECtHR application number, e.g. 55597/09 (asks HUDOC).")] = None,
    ecli: Annotated[S, _o("--ecli", "ECLI of an ECtHR or CJEU judgment.")] = None,
    celex: Annotated[S, _o("--celex", "CELEX number of a CJEU judgment, e.g. 62010CJ0411 (asks CELLAR).")] = None,
    base_url: Annotated[S, _o("--base-url", "The source's base URL (default: $HRCOORD_HUDOC_URL or "
                                            "$HRCOORD_CELLAR_URL, else the public service).")] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds to wait for the source.")] = 20.0,
    article: ArticleOpt = None,
    relevance: RelevanceOpt = None,
    department: DepartmentOpt = None,
    keyword: KeywordOpt = None,
    by: ByOpt = None,
    skip_existing: SkipOpt = False,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
):
    """Like import, asking HUDOC or EUR-Lex (CELLAR) online; exit 1 when the source cannot be reached."""
    from hrcoord.caselaw import fetch

    r = common.repo(repo)
    written, notes = fetch.fetch(r, appno=appno, ecli=ecli, celex=celex, base=base_url, timeout=timeout,
                                 defaults=_defaults(article, relevance, department, keyword, by), dry_run=dry_run,
                                 skip_existing=skip_existing)
    _report(written, notes, dry_run)


@app.command("cite")
def cite_cmd(
    id: Annotated[str, typer.Argument(help="The summary's id.")],
    style: Annotated[str, typer.Option("--style", help="nb (Norwegian), en (the court's own) or oscola.")] = "nb",
    para: Annotated[S, _o("--para", "Paragraph to point to, e.g. 84 or 84-86 (8.3 for UN views).")] = None,
    repo: common.RepoOpt = None,
):
    """The citation of a summary's judgment, ready to paste."""
    from hrcoord.caselaw import cite

    r = common.repo(repo)
    common.emit(cite.cite(r, id, style, para), None)
