"""`hrcoord publish`: the portal export. Logic in hrcoord/caselaw/portal/."""
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

    Refuses (exit 1, nothing written) on any error in what it would publish (validation, a review
    stamp that does not match) and when the text holds personal data."""
    from hrcoord.caselaw.portal.publish import publish
    from hrcoord.core.errors import FileError

    r = common.repo(repo, guard=False)  # publish validates what it rests on itself (caselaw/portal/appears.py)
    try:
        result = publish(r, out, lang=lang, today=common.day(today, "--today"), base_url=base_url, dry_run=dry_run,
                         incremental=incremental)
    except FileError as exc:  # a full disk, a folder we may not write: the old site is as it was
        raise FileError(f"{exc}; the site in {out} is as it was") from None
    except OSError as exc:
        raise FileError(f"{FileError.of(exc, exc.filename or out)}; the site in {out} is as it was") from None
    what = f"{result.summaries} summar{'y' if result.summaries == 1 else 'ies'}"
    if result.withdrawn:
        what += f" and {result.withdrawn} withdrawn"
    for note in result.notes:
        common.info(note)
    verb = "would publish" if dry_run else "published"
    common.info(f"{verb} {what} to {out} ({len(result.files)} files)")


def register(app: typer.Typer) -> None:
    app.command("publish")(publish_cmd)
