"""What every importer shares: the Draft it produces, the mapping helpers, and the writing of
drafts as summaries (validated, duplicates refused, the section skeleton added).

An importer turns a source file into Drafts: the summary fields the source gives, nothing more
("a field the source lacks is left out, never guessed"). Fields a directorate adds itself
(relevance areas, departments, keywords; articles for CJEU notices, which name legal acts rather
than articles) come from the `import` command's flags.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from hrcoord.core.errors import DataError, HrcoordError, Problem, UsageError
from hrcoord.core.models.base import Record, as_list, parse_date
from hrcoord.core.models.judgment import ref_key

APPNO_RE = re.compile(r"(?<![\d/])\d{1,6}/\d{2}(?![\d/])")


@dataclass
class Draft:
    values: dict  # summary fields, as `judgments.add` takes them
    origin: str  # where it came from, for messages: "hudoc.json: item 001-105264"
    cites: list[str] = field(default_factory=list)  # application/case numbers the source says it cites


@dataclass
class Parsed:
    drafts: list[Draft] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # rows left out, and why


# --- mapping helpers ---------------------------------------------------------------------------

def alpha2(codes) -> list[str]:
    """HUDOC's alpha-3 codes (`NOR`, `BEL;GRC`) as alpha-2; an unknown code is kept (and the
    record then fails validation with HR109, naming it)."""
    from hrcoord.core.models.judgment import countries

    _, a3 = countries()
    out = []
    for code in as_list(codes):
        for c in re.split(r"[;,]", str(code)):
            c = c.strip().upper()
            if c:
                out.append(a3.get(c, c))
    return list(dict.fromkeys(out))


def iso_date(value) -> str | None:
    """`2011-06-28T00:00:00`, `2011-06-28` or `28/06/2011 00:00:00` as `2011-06-28`."""
    if value is None:
        return None
    text = str(value).strip()
    m = re.match(r"^(\d{4}-\d{2}-\d{2})", text)
    if m and parse_date(m.group(1)):
        return m.group(1)
    m = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if m:
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
        except ValueError:
            return None
    return None


def valid_ecli(value) -> str | None:
    from hrcoord.core.models.judgment import ECLI_RE

    text = str(value or "").strip()
    return text if ECLI_RE.match(text) else None


def cited_numbers(text) -> list[str]:
    """Application numbers in a citation list (HUDOC's `scl`), in order, each once."""
    return list(dict.fromkeys(APPNO_RE.findall(str(text or ""))))


# --- writing -----------------------------------------------------------------------------------

@dataclass
class Written:
    id: str
    rel: str
    text: str
    origin: str
    notes: list[str] = field(default_factory=list)


def _existing(repo) -> tuple[dict[str, Record], dict[str, Record]]:
    """Summaries by normalised reference and by ECLI."""
    from hrcoord.core.models.judgment import references

    by_ref: dict[str, Record] = {}
    by_ecli: dict[str, Record] = {}
    for rec in repo.records("judgment").values():
        for r in references(rec.data):
            by_ref.setdefault(ref_key(r), rec)
        if rec.data.get("ecli"):
            by_ecli.setdefault(str(rec.data["ecli"]).upper(), rec)
    return by_ref, by_ecli


def duplicate_of(repo, values: dict):
    """The summary that already holds this record (same ECLI, or same reference at the same
    stage), or None."""
    by_ref, by_ecli = _existing(repo)
    ecli = str(values.get("ecli") or "").upper()
    if ecli and ecli in by_ecli:
        return by_ecli[ecli], f"ECLI {values['ecli']}"
    for ref in as_list(values.get("reference")):
        rec = by_ref.get(ref_key(ref))
        if rec is not None and not is_other_stage(rec.data, values):
            return rec, f"reference {ref}"
    return None


def is_other_stage(data: dict, values: dict) -> bool:
    """A Chamber judgment and the Grand Chamber's judgment in the same case are two stages, not
    a duplicate."""
    pair = {data.get("formation"), values.get("formation")}
    return (pair == {"Chamber", "Grand Chamber"} and data.get("doc_type") == values.get("doc_type") == "judgment"
            and str(data.get("date")) != str(values.get("date")))


def stage_links(repo, values: dict) -> list[tuple[Record, str]]:
    """(existing summary, relation of the new one to it) for every other stage of the same case."""
    by_ref, _ = _existing(repo)
    out: list[tuple[Record, str]] = []
    for ref in as_list(values.get("reference")):
        rec = by_ref.get(ref_key(ref))
        if rec is not None and is_other_stage(rec.data, values) and all(r is not rec for r, _ in out):
            later = str(values.get("date")) > str(rec.data.get("date"))
            out.append((rec, "earlier-stage" if later else "later-stage"))
    return out


def cites_links(repo, draft: Draft, own: set[str]) -> list[dict]:
    """`related: cites` links to summaries of the cases the source says this one cites."""
    by_ref, _ = _existing(repo)
    out, seen = [], set()
    for number in draft.cites:
        rec = by_ref.get(ref_key(number))
        if rec is not None and ref_key(number) not in own and rec.id not in seen:
            seen.add(rec.id)
            out.append({"id": rec.id, "relation": "cites"})
    return out


def complete(values: dict, defaults: dict) -> dict:
    """The draft's values, with the command's flags filling what the source does not give."""
    out = dict(values)
    for key, value in defaults.items():
        if value not in (None, "", [], ()) and out.get(key) in (None, "", [], ()):
            out[key] = value
    return out


def write_drafts(repo, parsed: Parsed, defaults: dict, *, dry_run: bool = False,
                 skip_existing: bool = False) -> tuple[list[Written], list[str]]:
    """Write each draft as a summary (status draft, with the section skeleton). Every draft is
    checked first — missing values, duplicates, validation — and nothing is written unless all
    pass (or, with `skip_existing`, duplicates are left out with a note). Drafts are written oldest
    first, so that a Grand Chamber judgment imported with its Chamber judgment links to it."""
    notes = list(parsed.notes)
    ready: list[tuple[Draft, dict]] = []
    for draft in sorted(parsed.drafts, key=lambda d: str(d.values.get("date") or "")):
        values = complete(draft.values, defaults)
        dup = duplicate_of(repo, values)
        if dup is not None:
            rec, what = dup
            message = f"{draft.origin}: {what} is already summarised in {rec.rel} (id {rec.id})"
            if skip_existing:
                notes.append(message + "; skipped")
                continue
            raise HrcoordError(message + "; nothing written")
        _check_batch(draft, values, ready)
        _check_required(draft, values)
        ready.append((draft, values))
    _validate(repo, ready)
    return [_write_one(repo, draft, values, dry_run) for draft, values in ready], notes


def _check_batch(draft: Draft, values: dict, ready: list) -> None:
    """The same case twice in one import (not as two stages) is refused."""
    refs = {ref_key(r) for r in as_list(values.get("reference"))}
    for other, other_values in ready:
        shared = refs & {ref_key(r) for r in as_list(other_values.get("reference"))}
        if shared and not is_other_stage(other_values, values):
            raise HrcoordError(f"{draft.origin}: reference {sorted(shared)[0]} appears twice in the import "
                               f"(also {other.origin}); nothing written")


def _check_required(draft: Draft, values: dict) -> None:
    from hrcoord.caselaw import judgments

    gone = judgments.missing(values)
    if gone:
        flags = ", ".join(judgments.FLAGS[n] for n in gone)
        raise UsageError(f"{draft.origin}: the source gives no {', '.join(gone)}; add {flags} to the import "
                         "(applies to every record that lacks it); nothing written")
    if parse_date(values.get("date")) is None:
        raise HrcoordError(f"{draft.origin}: date {values.get('date')!r} is not a date YYYY-MM-DD (HR105); "
                           "nothing written")


def _links(repo, draft: Draft, values: dict) -> dict:
    """The values with `related` links to other stages of the case and to the cases it cites."""
    own = {ref_key(r) for r in as_list(values.get("reference"))}
    related = [{"id": rec.id, "relation": rel} for rec, rel in stage_links(repo, values)]
    related += [c for c in cites_links(repo, draft, own) if c["id"] not in {r["id"] for r in related}]
    if not related:
        return values
    return {**values, "related": [*as_list(values.get("related")),
                                  *(f"{r['id']}:{r['relation']}" for r in related)]}


def _validate(repo, ready: list) -> None:
    """A dry run of `judgments.add` for every draft; all problems together, nothing written."""
    from hrcoord.caselaw import judgments

    problems: list[Problem] = []
    failed = []
    for draft, values in ready:
        try:
            judgments.add(repo, _links(repo, draft, values), jid=values.get("__id"), dry_run=True, from_flags=False)
        except DataError as exc:
            problems.extend(exc.problems or [])
            failed.append(draft.origin)
    if failed:
        raise DataError(f"{'; '.join(failed)}: does not validate (problems above); nothing written", problems)


def _write_one(repo, draft: Draft, values: dict, dry_run: bool) -> Written:
    from hrcoord.caselaw import judgments
    from hrcoord.core.repo import Repository

    # sees the drafts written before this one; read as it is: until its mirror link is added, a
    # new later stage is one half of a pair (HR207), which this import completes
    current = repo if dry_run else Repository(repo.root, guard=False)
    values = _links(current, draft, values)
    added = judgments.add(current, values, jid=values.get("__id"), dry_run=dry_run, from_flags=False)
    w = Written(added.id, added.rel, added.text, draft.origin)
    w.notes += mirror_stage_links(current, added.id, values, dry_run=dry_run)
    return w


def mirror_stage_links(repo, new_id: str, values: dict, *, dry_run: bool) -> list[str]:
    """Add the mirror of each earlier-stage/later-stage link to the other summary (validate
    demands it, HR207), keeping that file's comments."""
    from hrcoord.core import records
    from hrcoord.core.models.judgment import MIRROR
    from hrcoord.core.repo import Repository

    notes = []
    fresh = Repository(repo.root, guard=False) if not dry_run else repo  # (mid-pair: see _write_one)
    for item in values.get("related") or []:
        other_id, _, relation = str(item).partition(":")
        if relation not in MIRROR:
            continue
        rec = fresh.records("judgment").get(other_id)
        if rec is None:
            continue
        data = dict(rec.data)
        data["related"] = list(data.get("related") or []) + [{"id": new_id, "relation": MIRROR[relation]}]
        records.update(fresh, rec, data, dry_run=dry_run)
        notes.append(f"{'would add' if dry_run else 'added'} {{id: {new_id}, relation: {MIRROR[relation]}}} "
                     f"to the related list of {rec.rel}")
    return notes


def read_text(path: Path) -> str:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    if len(raw) > 20 * 1024 * 1024:
        raise UsageError(f"{path}: larger than 20 MiB; import a smaller result")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text") from None
