"""Which summaries appear on the portal, and the gate that refuses a publish (SPEC §2.2, §5).

A summary appears only when all of these hold, each compared exactly (fail closed: a value that
is almost right — `access: Internal`, `intern`, `'internal '`, `[internal]`, `status: Published`
— never counts as public or published):

- `access` is absent or exactly `public`;
- `status` is exactly `published`, or `withdrawn` after having been published (it then shows the
  notice *Opphevet — erstattes av …*);
- its review stamp matches the summary's text and key fields (what the reviewer approved).

Before anything is rendered, `refusals` runs the repository's validation (cached, fast when
warm) and collects every error in what could be published: the settings, the vocabularies, and
each summary that is not plainly left out (a draft, a summary in review or approved, one marked
exactly `internal`, one withdrawn before publication). A summary that does not parse is such a
summary when its text mentions `published`. A published summary changed after its review stamp
is an error here (validate only warns), and so is personal data in its text (HR301). Any of these
refuses the whole publish, nothing written.

`personal_data` is the one place the portal calls the personal-data scanner.
"""
from __future__ import annotations

import datetime as dt

from hrcoord.core.errors import ERROR, DataError, Problem
from hrcoord.core.models.base import Record
from hrcoord.core.models.judgment import digest

LEFT_OUT = ("draft", "in-review", "approved")  # statuses that never appear
SETTINGS_AND_VOCABULARIES = ("hrcoord.yaml", "data/organisation.yaml", "data/conventions.yaml",
                             "data/taxonomy.yaml")
STAMP_CODES = ("HR205", "HR206")  # review stamp missing / summary changed after it
# warnings in validate, errors here: a stale stamp, personal data (HR301; the pages are scanned
# again as they are rendered)
BLOCKING = (*STAMP_CODES, "HR301")


def is_public(data: dict) -> bool:
    return "access" not in data or data["access"] == "public"


def is_on_site_status(data: dict) -> bool:
    status = data.get("status")
    return status == "published" or (status == "withdrawn" and data.get("published") is not None)


def stamp_matches(rec: Record) -> bool:
    review = rec.data.get("review")
    return isinstance(review, dict) and review.get("digest") == digest(rec.data, rec.body)


def appears(rec: Record) -> bool:
    """Public, published (or withdrawn after publication), and as the reviewer approved it."""
    return is_public(rec.data) and is_on_site_status(rec.data) and stamp_matches(rec)


def plainly_left_out(data: dict) -> bool:
    """Never published whatever its errors: exactly internal, or a status that does not appear."""
    if data.get("access") == "internal":
        return True
    status = data.get("status")
    return status in LEFT_OUT or (status == "withdrawn" and data.get("published") is None)


def site_records(repo) -> list[Record]:
    return [r for r in repo.records("judgment").values() if appears(r)]


# --- the gate ----------------------------------------------------------------------------------

def refusals(repo, today: dt.date | None = None, use_cache: bool = True) -> list[Problem]:
    """Every error in what this publish would rest on (see the module's docstring). `use_cache`
    False: the validation cache is neither read nor written (a dry run writes nothing)."""
    from hrcoord.core.validate import validate

    report = validate(repo, today=today, use_cache=use_cache)
    judgment_files = {repo.rel(p) for p, _ in repo.scan()["judgment"]}
    verdicts: dict[str, bool] = {}
    out = []
    for p in report.problems:
        if p.path in SETTINGS_AND_VOCABULARIES:
            if p.severity == ERROR:
                out.append(p)
            continue
        if p.path not in judgment_files or not (p.severity == ERROR or p.code in BLOCKING):
            continue
        if p.path not in verdicts:
            verdicts[p.path] = _could_be_published(repo, p.path)
        if verdicts[p.path]:
            out.append(p if p.severity == ERROR else Problem(p.path, p.line, p.col, p.code, p.message, ERROR))
    return out


def _could_be_published(repo, rel: str) -> bool:
    path = repo.root / rel
    rec, _ = repo.load_record("judgment", path)
    if rec is None or not isinstance(rec.data, dict):
        try:  # it does not load: a published summary is an error, not a silent omission
            return "published" in path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return True
    return not plainly_left_out(rec.data)


def refuse_unless_clean(repo, today: dt.date | None = None, use_cache: bool = True) -> None:
    """Raise DataError (exit 1, nothing written) naming path:line of every refusal."""
    problems = refusals(repo, today, use_cache)
    if not problems:
        return
    files = sorted({p.path for p in problems})
    stale = sorted({p.path for p in problems if p.code in STAMP_CODES})
    message = (f"publish refused: {len(problems)} error{'s' * (len(problems) != 1)} in "
               f"{len(files)} file{'s' * (len(files) != 1)} that the portal would rest on; nothing written")
    if stale:
        message += (f"; {len(stale)} published summar{'y' if len(stale) == 1 else 'ies'} without a matching "
                    "review stamp: hrcoord judgment review ID --by NAME")
    raise DataError(message, problems)


def personal_data(rec: Record) -> list[Problem]:
    """The personal-data guard on one summary that would appear: its hits, as errors."""
    from hrcoord.core.checks.privacy import record_hits

    return record_hits(rec, severity="error")


def published_hits(rec: Record, page: str, view: dict) -> list[Problem]:
    """The guard once more on the page and its `summaries.json` entry as they will be read (the
    sections were read at their source already)."""
    from hrcoord.core.checks.privacy import published_hits as hits

    return hits(rec, page, view["export"], [s["html"] for s in view["sections"]])


def refuse_personal_data(problems: list[Problem]) -> None:
    if problems:
        k = len({p.path for p in problems})
        raise DataError(f"publish refused: personal data in {k} summar{'y' if k == 1 else 'ies'} "
                        f"({len(problems)} hit{'s' * (len(problems) != 1)}); nothing written", problems)
