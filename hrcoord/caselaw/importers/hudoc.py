"""HUDOC: a saved result of the Court's search API (`/app/query/results`), JSON of the form
`{"resultcount": N, "results": [{"columns": {"itemid": …, "appno": …, …}}]}` — the shape the
HUDOC site itself and Zotero's HUDOC translator read (zotero/translators HUDOC.js; issue #2149).

Columns used: itemid, appno, docname, doctype, doctypebranch, ecli, kpdate/judgementdate,
respondent, article, conclusion, importance, languageisocode, scl.
"""
from __future__ import annotations

import json
import re

from hrcoord.caselaw.importers.common import Draft, Parsed, alpha2, cited_numbers, iso_date, valid_ecli
from hrcoord.core.errors import UsageError

ITEM_URL = "https://hudoc.echr.coe.int/eng?i={itemid}"
# doctypebranch -> (doc_type, formation)
BRANCHES = {
    "GRANDCHAMBER": ("judgment", "Grand Chamber"),
    "CHAMBER": ("judgment", "Chamber"),
    "COMMITTEE": ("judgment", "Committee"),
    "DECGRANDCHAMBER": ("decision", "Grand Chamber"),
    "ADMISSIBILITY": ("decision", "Chamber"),
    "ADMISSIBILITYCOM": ("decision", "Committee"),
}
DOCTYPES = {"HEJUD": "judgment", "HFJUD": "judgment", "HEDEC": "decision", "HFDEC": "decision"}
# HUDOC's importance: 1 = key case, 2/3/4 = levels 1/2/3; ours: 1 (key case) … 3
IMPORTANCE = {"1": 1, "2": 1, "3": 2, "4": 3, "key case": 1, "key cases": 1}
LOWER = {"and", "of", "the", "v.", "v", "da", "de", "del", "della", "der", "den", "di", "du", "van", "von", "la", "le"}


def looks_like(data) -> bool:
    return isinstance(data, dict) and isinstance(data.get("results"), list) and all(
        isinstance(r, dict) and isinstance(r.get("columns"), dict) for r in data["results"])


def _word(token: str, first: bool) -> str:
    if re.fullmatch(r"(?:[A-Z]\.)+[A-Z]?\.?", token) or re.fullmatch(r"\(?[IVX]+\)?", token):
        return token  # initials (M.S.S.), roman numerals
    low = token.lower()
    if low in LOWER and not first:
        return low
    if low in ("(no.", "(nos."):
        return "(no." if low == "(no." else "(nos."
    return "-".join("'".join(p[:1].upper() + p[1:] for p in part.split("'")) for part in low.split("-"))


def title(docname: str | None) -> str:
    """`CASE OF M.S.S. v. BELGIUM AND GREECE` -> `M.S.S. v. Belgium and Greece`, the way the Court
    cites its cases; a name already in mixed case is only stripped of `CASE OF`."""
    text = re.sub(r"^\s*(?:CASE OF|AFFAIRE)\s+", "", str(docname or "").strip(), flags=re.I)
    text = re.sub(r"\s*\[(?:Extracts|Extraits)\]\s*$", "", text, flags=re.I)
    core = re.sub(r"\s+v\.?\s+|\((?:No|no)s?\.", " ", text)
    if core != core.upper():
        return text  # already in mixed case
    tokens = text.split()
    return " ".join(_word(t, i == 0) for i, t in enumerate(tokens))


def split_limbs(conclusion: str | None) -> list[str]:
    """HUDOC's conclusion split at `;` outside parentheses (a limb's details hold `;` too)."""
    out: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in str(conclusion or ""):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch == ";" and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur).strip())
    return [x for x in out if x]


def outcome(conclusion: str | None) -> str | None:
    """Violation limbs only: `violation`, or `conditional-violation` when every one is HUDOC's
    "(Conditional)" (the applicant's removal would violate); violation and no-violation limbs:
    `mixed`; none: `inadmissible` or `struck-out` where HUDOC says so, else left out.

    Complexity: HUDOC's conclusion wordings as one ordered list of rules, the first that applies
    wins."""
    limbs = [limb.lower() for limb in split_limbs(conclusion)]
    violations = [limb for limb in limbs if limb.startswith("violation")]
    no_violations = [limb for limb in limbs if limb.startswith("no violation")]
    if violations and no_violations:
        return "mixed"
    if violations:
        return "conditional-violation" if all("(conditional)" in v for v in violations) else "violation"
    if no_violations:
        return "no-violation"
    if any(limb.startswith("struck out") for limb in limbs):
        return "struck-out"
    if any(limb.startswith("inadmissible") for limb in limbs):  # also "inadmissible (partially)"
        return "inadmissible"
    return None


def articles(text: str | None) -> list[str]:
    """HUDOC's article list (`8;8-1;P4-4`, with `14+8` for combined articles) as `ECHR 8`, …"""
    out = []
    for part in re.split(r"[;+]", str(text or "")):
        part = part.strip().upper()
        if re.fullmatch(r"P?\d+(?:-\d+)*(?:-[A-Z])?", part):
            out.append(f"ECHR {part}")
    return list(dict.fromkeys(out))


def _formation(c: dict) -> tuple[str | None, str | None]:
    branch = str(c.get("doctypebranch") or "").upper().replace(" ", "")
    if branch in BRANCHES:
        return BRANCHES[branch]
    return DOCTYPES.get(str(c.get("doctype") or "").upper()), None


def draft(c: dict, origin: str) -> Draft | None:
    """One HUDOC row as a draft summary; None for rows that are no judgment or decision
    (legal summaries, communicated cases, resolutions).

    Complexity: a flat mapping, one `if` per HUDOC column that a row may lack, so that a field
    the source does not give is left out (never guessed); a table of converters would hide that."""
    doc_type, formation = _formation(c)
    if doc_type is None:
        return None
    v: dict = {"title": title(c.get("docname")), "body": "ECtHR", "doc_type": doc_type}
    if formation:
        v["formation"] = formation
    refs = [r.strip() for r in re.split(r"[;,]", str(c.get("appno") or "")) if r.strip()]
    if refs:
        v["reference"] = refs
    if valid_ecli(c.get("ecli")):
        v["ecli"] = valid_ecli(c.get("ecli"))
    date = iso_date(c.get("kpdate")) or iso_date(c.get("judgementdate"))
    if date:
        v["date"] = date
    if c.get("respondent"):
        v["respondent"] = alpha2(c["respondent"])
    if articles(c.get("article")):
        v["articles"] = articles(c.get("article"))
    if outcome(c.get("conclusion")):
        v["outcome"] = outcome(c.get("conclusion"))
    importance = IMPORTANCE.get(str(c.get("importance") or "").strip().lower())
    if importance:
        v["importance"] = importance
    if c.get("itemid"):
        v["source_url"] = ITEM_URL.format(itemid=str(c["itemid"]).strip())
    return Draft({k: x for k, x in v.items() if x is not None}, origin, cited_numbers(c.get("scl")))


def _same_document(a: Draft, b: Draft) -> bool:
    keys = ("reference", "date", "doc_type", "formation")
    return all(a.values.get(k) == b.values.get(k) for k in keys)


def parse(data, name: str) -> Parsed:
    """The drafts of a saved HUDOC result; the English text of a judgment wins over its other
    language versions (one summary per judgment)."""
    if not looks_like(data):
        raise UsageError(f"{name}: not a HUDOC result (expected {{\"results\": [{{\"columns\": …}}]}})")
    out = Parsed()
    rows = [r["columns"] for r in data["results"]]
    rows.sort(key=lambda c: str(c.get("languageisocode") or "").upper() != "ENG")  # stable: English first
    for c in rows:
        origin = f"{name}: item {c.get('itemid') or c.get('appno') or '?'}"
        d = draft(c, origin)
        if d is None:
            kind = c.get("doctypebranch") or c.get("doctype")
            out.notes.append(f"{origin}: not a judgment or decision ({kind}); left out")
        elif any(_same_document(d, other) for other in out.drafts):
            out.notes.append(f"{origin}: another language version of a judgment already imported; left out")
        else:
            out.drafts.append(d)
    return out


def parse_text(text: str, name: str) -> Parsed:
    try:
        return parse(json.loads(text), name)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{name}: not JSON ({exc.msg} at line {exc.lineno})") from None
