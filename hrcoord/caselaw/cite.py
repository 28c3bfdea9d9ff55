"""Citations ready to paste into a memo or a hearing reply: `citation(data, style, para)`.

Styles:

- `nb`: Norwegian practice, "Nunez mot Norge, EMD 28. juni 2011 (klagesak nr. 55597/09) avsnitt 84";
  CJEU "Ruiz Zambrano, EU-domstolen (storkammer) 8. mars 2011 (sak C-34/09, ECLI:EU:C:2011:124)".
- `en`: each body's own recommended form — the ECtHR's ("Nunez v. Norway, no. 55597/09, § 84,
  28 June 2011"), the CJEU's ("Judgment of 8 March 2011, Ruiz Zambrano, C-34/09, EU:C:2011:124,
  paragraph 42"), the UN treaty bodies' ("…, Human Rights Committee, views of 21 July 2011,
  communication No. 1959/2010, CCPR/C/102/D/1959/2010, para. 8.3").
- `oscola`: OSCOLA 4th edition — no full stops in names or abbreviations; ECtHR unreported form
  "Nunez v Norway App no 55597/09 (ECtHR, 28 June 2011) [84]"; CJEU with the ECLI in OSCOLA's
  interim form "Case C-34/09 Ruiz Zambrano EU:C:2011:124, para 42" ("Joined Cases …" for joined
  cases); UN views "Warsame v Canada Communication No 1959/2010 (Human Rights Committee, 21 July
  2011) UN Doc CCPR/C/102/D/1959/2010, para 8.3" (OSCOLA's UN-document form: the body, the date,
  the document symbol).

The portal's copy button should call `citation(record.data, style, body_names=...)`.
"""
from __future__ import annotations

import re

from hrcoord.core.errors import UsageError
from hrcoord.core.models.base import as_list, parse_date
from hrcoord.core.models.judgment import canonical_body, references
from hrcoord.render.dates import long_date

STYLES = ("nb", "en", "oscola")
PARA_RE = re.compile(r"^\d[\d.]*(?:\s*[-–]\s*\d[\d.]*)?(?:\s*,\s*\d[\d.]*(?:\s*[-–]\s*\d[\d.]*)?)*$")
UN_BODY_NAMES = {  # used when conventions.yaml does not name the body
    "CCPR": {"nb": "FNs menneskerettskomité", "en": "Human Rights Committee"},
    "CAT": {"nb": "FNs torturkomité", "en": "Committee against Torture"},
    "CRC": {"nb": "FNs barnekomité", "en": "Committee on the Rights of the Child"},
    "CEDAW": {"nb": "FNs kvinnediskrimineringskomité",
              "en": "Committee on the Elimination of Discrimination against Women"},
}
_V = re.compile(r"\s+v\.?\s+")


def check_para(para) -> str | None:
    if para is None or str(para).strip() == "":
        return None
    text = str(para).strip()
    if not PARA_RE.match(text):
        raise UsageError(f"--para must be a paragraph number like 84, 84-86 or 8.3; not {text!r}")
    return text


def _join(items: list[str], word: str) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {word} " + items[-1]


def _parties(title: str) -> tuple[str, str | None]:
    """'Nunez v. Norway' -> ('Nunez', 'Norway'); a title without 'v.' has no state part."""
    parts = _V.split(title, maxsplit=1)
    return (parts[0], parts[1]) if len(parts) == 2 else (title, None)


def _country_nb(code: str) -> str:
    from babel import Locale

    return Locale("nb").territories.get(code, code)


def name_nb(data: dict) -> str:
    """The title the Norwegian way: 'Kaplan m.fl. mot Norge', 'Rantsev mot Kypros og Russland'."""
    applicant, state = _parties(str(data.get("title") or ""))
    applicant = re.sub(r"\s+and Others$", " m.fl.", applicant).replace(" and ", " og ")
    if state is None:
        return applicant
    codes = [str(c) for c in as_list(data.get("respondent"))]
    states = [_country_nb(c) for c in codes] if codes else [state]
    return f"{applicant} mot {_join(states, 'og')}"


def name_oscola(title: str) -> str:
    """OSCOLA: no full stops ('M.S.S. v. Belgium' -> 'MSS v Belgium'), no 'the' before a state."""
    applicant, state = _parties(title)
    applicant = re.sub(r"(?<=[A-Z])\.(?=\s|[A-Z]|$)", "", applicant).strip()
    if state is None:
        return applicant
    state = re.sub(r"^the\s+", "", state.strip())
    return f"{applicant} v {state}"


def _date(data: dict, lang: str) -> str:
    return long_date(parse_date(data.get("date")), lang)


def _ecthr(data: dict, style: str, para: str | None) -> str:
    refs = references(data)
    many = len(refs) > 1
    gc = data.get("formation") == "Grand Chamber"
    dec = data.get("doc_type") == "decision"
    if style == "nb":
        marker = " (storkammer)" if gc else (" (avgjørelse)" if dec else "")
        text = f"{name_nb(data)}, EMD{marker} {_date(data, 'nb')} (klagesak nr. {_join(refs, 'og')})"
        return text + (f" avsnitt {para}" if para else "")
    if style == "en":
        marker = " [GC]" if gc else ""
        marker += " (dec.)" if dec else ""
        parts = [f"{data.get('title')}{marker}", f"{'nos.' if many else 'no.'} {_join(refs, 'and')}"]
        if para:
            parts.append(f"§ {para}" if "-" not in para and "," not in para else f"§§ {para}")
        return ", ".join(parts + [_date(data, "en")])
    marker = " (dec)" if dec else ""
    text = f"{name_oscola(str(data.get('title')))}{marker} App {'nos' if many else 'no'} {_join(refs, 'and')} " \
           f"(ECtHR, {_date(data, 'en')})"
    return text + (f" [{para}]" if para else "")


def _cjeu(data: dict, style: str, para: str | None) -> str:
    ecli = str(data.get("ecli") or "")
    if style == "nb":
        return _cjeu_nb(data, ecli, para)
    short_ecli = ecli[len("ECLI:"):] if ecli.startswith("ECLI:") else ecli
    if style == "en":
        return _cjeu_en(data, short_ecli, para)
    return _cjeu_oscola(data, short_ecli, para)


def _several(para: str) -> bool:
    """A range or a list of paragraphs (`42-44`, `42, 45`), not one."""
    return "-" in para or "," in para


def _cjeu_nb(data: dict, ecli: str, para: str | None) -> str:
    refs = references(data)
    marker = " (storkammer)" if data.get("formation") == "Grand Chamber" else ""
    case = f"{'forente saker' if len(refs) > 1 else 'sak'} {_join(refs, 'og')}" + (f", {ecli}" if ecli else "")
    title = str(data.get("title") or "")
    return f"{title}, EU-domstolen{marker} {_date(data, 'nb')} ({case})" + (f" avsnitt {para}" if para else "")


def _cjeu_en(data: dict, short_ecli: str, para: str | None) -> str:
    kind = {"decision": "Order", "advisory-opinion": "Opinion"}.get(str(data.get("doc_type")), "Judgment")
    parts = [f"{kind} of {_date(data, 'en')}", str(data.get("title") or ""), _join(references(data), "and")]
    parts += [short_ecli] if short_ecli else []
    parts += [f"paragraph{'s' if _several(para) else ''} {para}"] if para else []
    return ", ".join(parts)


def _cjeu_oscola(data: dict, short_ecli: str, para: str | None) -> str:
    refs = references(data)
    title = name_oscola(str(data.get("title") or ""))
    text = f"{'Joined Cases' if len(refs) > 1 else 'Case'} {_join(refs, 'and')} {title}"
    text += f" {short_ecli}" if short_ecli else ""
    return text + (f", para{'s' if _several(para) else ''} {para}" if para else "")


def _communication(symbol: str) -> str | None:
    m = re.search(r"/D/(\d{1,4}/\d{4})$", symbol)
    return m.group(1) if m else None


def _un(data: dict, style: str, para: str | None, names: dict) -> str:
    symbol = (references(data) or [""])[0]
    number = _communication(symbol)
    title = str(data.get("title") or "")
    if style == "nb":
        body = names.get("nb") or data.get("body")
        return f"{name_nb(data)}, {body} {_date(data, 'nb')} ({symbol})" + (f" avsnitt {para}" if para else "")
    body = names.get("en") or str(data.get("body"))
    if style == "en":
        kind = "decision" if data.get("doc_type") == "decision" else "views"
        parts = [title, body, f"{kind} of {_date(data, 'en')}"]
        parts += [f"communication No. {number}"] if number else []
        parts += [symbol] + ([f"para. {para}"] if para else [])
        return ", ".join(parts)
    text = name_oscola(title) + (f" Communication No {number}" if number else "")
    text += f" ({body}, {_date(data, 'en')}) UN Doc {symbol}"
    return text + (f", para {para}" if para else "")


def _other(data: dict, style: str, para: str | None, names: dict) -> str:
    lang = "nb" if style == "nb" else "en"
    body = names.get(lang) or str(data.get("body") or "")
    refs = ", ".join(references(data))
    title = str(data.get("title") or "")
    text = f"{title}, {body} {_date(data, lang)}" + (f" ({refs})" if refs else "")
    if para:
        text += f" avsnitt {para}" if style == "nb" else f", para {para}"
    return text


def citation(data: dict, style: str = "nb", para=None, *, body_names: dict | None = None,
             reference_kind: str | None = None) -> str:
    """The citation of one summary (its front matter `data`). `body_names`: {"nb": …, "en": …} for
    the body, from conventions.yaml; `reference_kind`: ecthr | cjeu | un | free (the body's)."""
    if style not in STYLES:
        raise UsageError(f"--style must be one of {', '.join(STYLES)}; not {style!r}")
    para = check_para(para)
    body = canonical_body(data.get("body"))
    kind = reference_kind or {"ECtHR": "ecthr", "CJEU": "cjeu"}.get(str(body)) or (
        "un" if body in UN_BODY_NAMES else "free")
    names = body_names or UN_BODY_NAMES.get(str(body), {})
    if kind == "ecthr":
        return _ecthr(data, style, para)
    if kind == "cjeu":
        return _cjeu(data, style, para)
    if kind == "un":
        return _un(data, style, para, names)
    return _other(data, style, para, names)


def cite(repo, jid: str, style: str = "nb", para=None) -> str:
    """The citation of the summary `jid` in the repository, with its body's names and reference kind
    from conventions.yaml."""
    from hrcoord.caselaw.judgments import lookup

    rec = lookup(repo, jid)
    body = canonical_body(rec.data.get("body"), set(repo.context().bodies) or None)
    entry = repo.context().bodies.get(body) or {}
    names = {k: entry[f"name_{k}"] for k in ("nb", "en") if entry.get(f"name_{k}")}
    return citation(rec.data, style, para, body_names=names or None, reference_kind=entry.get("reference"))
