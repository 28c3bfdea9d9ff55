"""`hrcoord publish`: the portal export. Logic in hrcoord/publish.py."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from hrcoord.cli import common


def publish_cmd(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the site (new, empty, or an earlier publish).")],
    lang: common.LangOpt = None,
    base_url: Annotated[Optional[str], typer.Option("--base-url", help="Address the site is served from, for the "
                                                    "feed's links (default: portal_url in hrcoord.yaml).")] = None,
    today: Annotated[Optional[str], typer.Option("--today",
                                                 help="Date the export (YYYY-MM-DD) instead of today.")] = None,
    repo: common.RepoOpt = None,
    dry_run: common.DryRunOpt = False,
    incremental: Annotated[bool, typer.Option("--incremental/--no-incremental",
                                              help="Re-render only what changed since the last publish into the "
                                              "same folder (default), or rebuild the whole site.")] = True,
):
    """Export published, public summaries for the portal: pages, indexes, Atom feed, JSON, search.

    Refuses (exit 1, nothing written) when the text holds personal data."""
    from hrcoord.caselaw.publish import publish

    r = common.repo(repo, "judgment")  # what it would publish must be valid (fail closed)
    result = publish(r, out, lang=lang, today=common.day(today, "--today"), base_url=base_url, dry_run=dry_run,
                     incremental=incremental)
    what = f"{result.summaries} summar{'y' if result.summaries == 1 else 'ies'}"
    if result.withdrawn:
        what += f" and {result.withdrawn} withdrawn"
    verb = "would publish" if dry_run else "published"
    common.info(f"{verb} {what} to {out} ({len(result.files)} files)")


def register(app: typer.Typer) -> None:
    app.command("publish")(publish_cmd)
