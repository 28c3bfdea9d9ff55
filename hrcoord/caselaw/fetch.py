"""`hrcoord judgment fetch`: ask HUDOC or CELLAR for a judgment's metadata and import it.

- `--appno 55597/09`, or an ECtHR ECLI: HUDOC's search API,
  `{HUDOC}/app/query/results?query=contentsitename:ECHR AND appno:"55597/09"&select=…`;
- `--celex 62010CJ0411`, or a CJEU ECLI: the CELLAR SPARQL endpoint, `{CELLAR}/webapi/rdf/sparql`.

The answers go through the same parsers as saved files (`hrcoord.caselaw.importers`). Base URLs
come from `--base-url`, else $HRCOORD_HUDOC_URL / $HRCOORD_CELLAR_URL, else the public services;
a request that fails or times out is an error (exit 1) that names the host: "cannot reach
hudoc.echr.coe.int: …".
"""
from __future__ import annotations

import os
import re
import urllib.error
import urllib.parse
import urllib.request

from hrcoord import __version__
from hrcoord.core.errors import HrcoordError, UsageError

HUDOC = "https://hudoc.echr.coe.int"
CELLAR = "https://publications.europa.eu"
HUDOC_ENV, CELLAR_ENV = "HRCOORD_HUDOC_URL", "HRCOORD_CELLAR_URL"
TIMEOUT = 20.0
MAX_BYTES = 20 * 1024 * 1024
SELECT = ("itemid,appno,docname,doctype,doctypebranch,ecli,kpdate,judgementdate,respondent,article,conclusion,"
          "importance,originatingbody,languageisocode,scl")
APPNO_RE = re.compile(r"^\d{1,6}/\d{2}$")
CELEX_RE = re.compile(r"^6\d{4}[A-Z]{2}\d{4}(?:\(\d{2}\))?$")
ECHR_ECLI = re.compile(r"^ECLI:CE:ECHR:\d{4}:\d{4}[A-Z]{3}\d{9}$")
EU_ECLI = re.compile(r"^ECLI:EU:[CTF]:\d{4}:\d{1,6}$")
SPARQL = """PREFIX cdm: <http://publications.europa.eu/ontology/cdm#>
SELECT DISTINCT ?celex ?ecli ?date ?title ?formation WHERE {{
  ?work cdm:resource_legal_id_celex ?celex .
  {filter}
  OPTIONAL {{ ?work cdm:case-law_ecli ?ecli }}
  OPTIONAL {{ ?work cdm:work_date_document ?date }}
  OPTIONAL {{ ?work cdm:case-law_delivered_by_court-formation ?formation }}
  OPTIONAL {{ ?exp cdm:expression_belongs_to_work ?work ;
               cdm:expression_uses_language <http://publications.europa.eu/resource/authority/language/ENG> ;
               cdm:expression_title ?title }}
}} LIMIT 20"""


def base_url(default: str, env: str, given: str | None) -> str:
    url = (given or os.environ.get(env) or default).rstrip("/")
    if not re.match(r"^https?://[^\s/]+", url):
        raise UsageError(f"base URL must be http(s)://host…, not {url!r} (--base-url or ${env})")
    return url


def hudoc_url(base: str, *, appno: str | None = None, ecli: str | None = None) -> str:
    field, value = ("appno", appno) if appno else ("ecli", ecli)
    query = f'contentsitename:ECHR AND {field}:"{value}"'
    params = {"query": query, "select": SELECT, "sort": "", "start": "0", "length": "50"}
    return f"{base}/app/query/results?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)


def cellar_url(base: str, *, celex: str | None = None, ecli: str | None = None) -> str:
    if celex:
        flt = f'FILTER(STR(?celex) = "{celex}")'
    else:
        flt = f'?work cdm:case-law_ecli ?e . FILTER(STR(?e) = "{ecli}")'
    params = {"query": SPARQL.format(filter=flt), "format": "application/sparql-results+json"}
    return f"{base}/webapi/rdf/sparql?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)


def get(url: str, timeout: float = TIMEOUT, accept: str = "application/json") -> str:
    """The body of a GET, as text; HrcoordError (exit 1) naming the host when it cannot be had."""
    host = urllib.parse.urlsplit(url).hostname or url
    req = urllib.request.Request(url, headers={"Accept": accept, "User-Agent": f"hrcoord/{__version__}"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            data = resp.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise HrcoordError(f"{host} answered {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise HrcoordError(f"cannot reach {host}: {getattr(exc, 'reason', exc)}") from None
    except (TimeoutError, OSError) as exc:
        raise HrcoordError(f"cannot reach {host}: {exc or 'timed out'}") from None
    if len(data) > MAX_BYTES:
        raise HrcoordError(f"{host} sent more than 20 MiB; not read")
    return data.decode("utf-8", "replace")


def request_for(appno: str | None = None, ecli: str | None = None, celex: str | None = None,
                base: str | None = None) -> tuple[str, str, str]:
    """(url, format, accept) for exactly one of --appno, --ecli, --celex."""
    given = [x for x in (appno, ecli, celex) if x]
    if len(given) != 1:
        raise UsageError("give exactly one of --appno, --ecli, --celex")
    if appno:
        if not APPNO_RE.match(appno.strip()):
            raise UsageError(f"--appno must be an application number like 55597/09, not {appno!r}")
        return hudoc_url(base_url(HUDOC, HUDOC_ENV, base), appno=appno.strip()), "hudoc", "application/json"
    if celex:
        if not CELEX_RE.match(celex.strip()):
            raise UsageError(f"--celex must be a case-law CELEX number like 62010CJ0411, not {celex!r}")
        return cellar_url(base_url(CELLAR, CELLAR_ENV, base), celex=celex.strip()), "cellar", \
            "application/sparql-results+json"
    ecli = given[0].strip()  # (neither --appno nor --celex: the one given is --ecli)
    if ECHR_ECLI.match(ecli):
        return hudoc_url(base_url(HUDOC, HUDOC_ENV, base), ecli=ecli), "hudoc", "application/json"
    if EU_ECLI.match(ecli):
        return cellar_url(base_url(CELLAR, CELLAR_ENV, base), ecli=ecli), "cellar", "application/sparql-results+json"
    raise UsageError(f"--ecli must be an ECtHR or CJEU ECLI like ECLI:CE:ECHR:2011:0628JUD005559709, not {ecli!r}")


def fetch(repo, *, appno=None, ecli=None, celex=None, base=None, timeout: float = TIMEOUT,
          defaults: dict | None = None, dry_run: bool = False, skip_existing: bool = False):
    """Ask the source and import what it answers; returns (written, notes) as `import` does."""
    from hrcoord.caselaw import importers

    url, fmt, accept = request_for(appno, ecli, celex, base)
    text = get(url, timeout, accept)
    host = urllib.parse.urlsplit(url).hostname or "source"
    try:
        parsed = importers.parse_text(text, host, fmt)
    except UsageError as exc:  # the answer, not the command, is wrong
        raise HrcoordError(f"unexpected answer from {host}: {exc}") from None
    if not parsed.drafts and not parsed.notes:
        what = appno or ecli or celex
        raise HrcoordError(f"{host} has no judgment or decision for {what}")
    return importers.import_parsed(repo, parsed, defaults, dry_run=dry_run, skip_existing=skip_existing)
