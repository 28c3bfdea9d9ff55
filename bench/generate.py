"""Generate a synthetic hrcoord repository for the benchmark (SPEC §6, issue 7).

Deterministic: the same --seed and counts give byte-identical files. The repository holds

- hrcoord.yaml and the vocabularies copied from hrcoord/defaults/ (organisation, conventions,
  taxonomy), the four networks and two action plans copied from the embedded data/;
- N judgment summaries (default 10,000, ~5 KB each): ECtHR, CJEU and CCPR bodies with valid
  references, ECLIs consistent with date and application number (or none), articles that exist,
  taxonomy slugs, mostly `published` with a correct review stamp (hrcoord.core.models.judgment.digest
  and part_digests), Markdown bodies with the standard sections, Chamber/Grand Chamber pairs
  linked as earlier/later stage, `cites` links;
- meetings over the four networks (default 400) with Sak N/YY agendas whose sources point at
  real summaries, measures, submissions and follow-ups; attendance; follow-ups; minutes;
- measures under the two plans (default 1,000) with ordered status logs;
- submissions tied to the meetings that handled them, and some hearings.

Every file is written in hrcoord's canonical form (hrcoord.core.fmt.render_record), so `hrcoord fmt
--check` is clean too. All dates lie before 2025-07-01, so nothing is "in the future".

    .venv/bin/python bench/generate.py --out bench/work/repo [--judgments 10000] [--git]
"""
from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from hrcoord.core.fmt import render_record  # noqa: E402
from hrcoord.core.models import MODELS  # noqa: E402
from hrcoord.core.models.judgment import digest, judgment_id, part_digests  # noqa: E402

DEFAULTS = ROOT / "hrcoord" / "defaults"
EMBEDDED = ROOT / "data"
LAST_DAY = dt.date(2025, 6, 30)  # every generated date lies on or before this day
COORDINATOR = "Koordinator for internasjonale menneskerettigheter"

# --- word pools ---------------------------------------------------------------------------------

STATES = [  # alpha-2, English name, Norwegian name
    ("NO", "Norway", "Norge"), ("SE", "Sweden", "Sverige"), ("DK", "Denmark", "Danmark"),
    ("FI", "Finland", "Finland"), ("DE", "Germany", "Tyskland"), ("FR", "France", "Frankrike"),
    ("BE", "Belgium", "Belgia"), ("NL", "the Netherlands", "Nederland"), ("IT", "Italy", "Italia"),
    ("GR", "Greece", "Hellas"), ("ES", "Spain", "Spania"), ("AT", "Austria", "Østerrike"),
    ("CH", "Switzerland", "Sveits"), ("GB", "the United Kingdom", "Storbritannia"), ("RU", "Russia", "Russland"),
    ("TR", "Turkey", "Tyrkia"), ("PL", "Poland", "Polen"), ("HU", "Hungary", "Ungarn"), ("MT", "Malta", "Malta"),
    ("BG", "Bulgaria", "Bulgaria"), ("CY", "Cyprus", "Kypros"), ("IE", "Ireland", "Irland"),
    ("LT", "Lithuania", "Litauen"), ("CZ", "the Czech Republic", "Tsjekkia"), ("PT", "Portugal", "Portugal"),
]
UN_STATES = STATES[:14] + [("CA", "Canada", "Canada"), ("AU", "Australia", "Australia"),
                           ("NZ", "New Zealand", "New Zealand")]
ORIGINS = ["Afghanistan", "Somalia", "Eritrea", "Irak", "Iran", "Syria", "Nigeria", "Sri Lanka", "Sudan",
           "Etiopia", "Tsjetsjenia", "Kongo", "Pakistan", "Libya", "Gambia", "Kosovo", "Albania", "Marokko",
           "Algerie", "Bangladesh", "Uganda", "Kamerun", "Guinea", "Jemen"]
SURNAMES = [
    "Nunez", "Hussein", "Ahmadi", "Mohammed", "Said", "Yusuf", "Osman", "Abdi", "Farah", "Haile", "Tesfaye",
    "Kidane", "Rahimi", "Karimi", "Hosseini", "Jafari", "Mahmoud", "Saleh", "Haddad", "Nasser", "Okafor",
    "Adeyemi", "Eze", "Balogun", "Perera", "Fernando", "Silva", "Ivanov", "Petrov", "Kuznetsova", "Gashi",
    "Berisha", "Hoxha", "Kaya", "Demir", "Yilmaz", "Celik", "Aydin", "Bakr", "Omerovic", "Hodzic", "Ali",
    "Khan", "Rashid", "Malik", "Chaudhry", "Begum", "Diallo", "Traore", "Keita", "Camara", "Toure", "Mbeki",
    "Nkosi", "Mensah", "Boateng", "Asante", "Kamara", "Sesay", "Conteh", "Jalloh", "Bah", "Sow", "Ndiaye",
    "Fall", "Sarr", "Gueye", "Mutua", "Otieno", "Kariuki", "Wanjiru", "Mwangi", "Nyambura", "Tadesse",
    "Gebremedhin", "Berhane", "Mengistu", "Alemu", "Bekele", "Darwish", "Khalil", "Aziz", "Hamid", "Qasim",
    "Sharif", "Naseri", "Sultani", "Popal", "Wardak", "Zadran", "Noori", "Amiri", "Sadiq", "Tahir", "Iqbal",
    "Rehman", "Hashimi", "Jama", "Warsame", "Dirie", "Hassan", "Ismail", "Abdullahi", "Guled", "Elmi",
]
CJEU_PARTIES = ["Staatssecretaris van Justitie en Veiligheid", "Bundesrepublik Deutschland",
                "Secretary of State for the Home Department", "Minister voor Immigratie en Asiel",
                "Migrationsverket", "Office français de protection des réfugiés et apatrides",
                "Commissaire général aux réfugiés et aux apatrides", "Bevándorlási és Menekültügyi Hivatal",
                "Landeshauptmann von Wien", "Udlændinge- og Integrationsministeriet"]
ECTHR_ARTICLES = ["ECHR 2", "ECHR 3", "ECHR 4", "ECHR 5", "ECHR 5-1", "ECHR 5-4", "ECHR 6", "ECHR 6-1",
                  "ECHR 8", "ECHR 13", "ECHR 14", "ECHR P1-1", "ECHR P4-4", "ECHR P7-1"]
ECTHR_WEIGHTS = [3, 30, 5, 4, 8, 5, 2, 3, 30, 10, 4, 1, 3, 2]
CJEU_ARTICLES = ["CHARTER 1", "CHARTER 4", "CHARTER 6", "CHARTER 7", "CHARTER 18", "CHARTER 19",
                 "CHARTER 19-2", "CHARTER 20", "CHARTER 21", "CHARTER 24", "CHARTER 24-2", "CHARTER 47"]
CCPR_ARTICLES = ["ICCPR 2", "ICCPR 2-3", "ICCPR 6", "ICCPR 7", "ICCPR 9", "ICCPR 13", "ICCPR 14", "ICCPR 17",
                 "ICCPR 23", "ICCPR 24", "ICCPR 26"]
ARTICLE_NB = {"2": "retten til liv", "3": "forbudet mot tortur og umenneskelig behandling",
              "4": "forbudet mot slaveri og tvangsarbeid", "5": "retten til frihet",
              "6": "retten til rettferdig rettergang",
              "7": "forbudet mot tortur", "8": "retten til respekt for privatliv og familieliv",
              "9": "retten til frihet", "13": "retten til et effektivt rettsmiddel", "14": "diskrimineringsforbudet",
              "17": "vernet av privatliv og familie", "18": "retten til asyl", "19": "vernet mot utsendelse",
              "23": "vernet av familien", "24": "barnets rettigheter", "26": "likhet for loven",
              "47": "retten til et effektivt rettsmiddel", "1": "menneskeverdet"}
MINISTRIES = ["Justis- og beredskapsdepartementet", "Barne-, likestillings- og inkluderingsdepartementet",
              "Arbeids- og sosialdepartementet", "Helse- og omsorgsdepartementet", "Kunnskapsdepartementet",
              "Utenriksdepartementet", "Politidirektoratet", "Barne-, ungdoms- og familiedirektoratet",
              "Integrerings- og mangfoldsdirektoratet", "Helsedirektoratet", "Utlendingsnemnda",
              "Kompetanseteamet mot tvangsekteskap og kjønnslemlestelse"]
HEARING_TOPICS = [
    "endringer i utlendingsforskriften om familieinnvandring", "ny statsborgerlov – krav til norskferdigheter",
    "gjennomføring av EUs returdirektiv", "endringer i utlendingsloven om utvisning",
    "ny forskrift om mottak av asylsøkere", "regler om lengeværende barn", "endringer om bortvisning på grensen",
    "ny forskrift om refleksjonsperiode for ofre for menneskehandel", "tiltak mot proformaekteskap",
    "behandling av personopplysninger i utlendingsforvaltningen", "krav til underhold ved familieinnvandring",
    "varig ordning for enslige mindreårige asylsøkere",
]

# Sentences by section. {a} applicant, {s} respondent state (nb), {o} country of origin, {c} court
# (nb), {art} article text, {k} keyword (nb), {r} relevance area (nb).
SENT = {
    "Sammendrag": [
        "{c} fant at en utsendelse av klageren til {o} ville innebære en krenkelse av {art}.",
        "Saken gjelder {s}s vedtak om å sende klageren tilbake til {o} etter endelig avslag på søknad om beskyttelse.",
        "Avgjørelsen klargjør hvilke krav som stilles til myndighetenes vurdering av risiko ved retur.",
        "{c} la til grunn at statens skjønnsmargin er vid, men at vurderingen må være grundig og individuell.",
        "Dommen er en viktig presisering av terskelen for {art} i saker om {k}.",
        "Flertallet fant ingen krenkelse, mens et mindretall mente at barnets beste ikke var tilstrekkelig vurdert.",
        "Spørsmålet var om nasjonale myndigheter hadde foretatt en forsvarlig avveining av de motstridende "
        "interessene.",
        "{c} understreket at vurderingen skal skje på tidspunktet for utsendelsen, ikke på vedtakstidspunktet.",
    ],
    "Faktum": [
        "Klageren er statsborger av {o} og kom til {s} som asylsøker.",
        "Søknaden om beskyttelse ble avslått i første instans, og klagen førte ikke frem.",
        "Klageren forklarte at hun hadde vært utsatt for overgrep fra familiemedlemmer og fryktet nye overgrep ved "
        "retur.",
        "Han anførte at han var etterlyst av myndighetene i {o} på grunn av politisk aktivitet.",
        "Klageren har to barn som er født og oppvokst i {s}, og som går på skole der.",
        "Myndighetene fant deler av forklaringen lite troverdig, blant annet fordi opplysningene om reiseruten "
        "endret seg.",
        "Klageren ble varetektsfengslet i påvente av uttransportering og satt internert i flere måneder.",
        "Under saksbehandlingen ble det fremlagt legeerklæringer om klagerens psykiske helse.",
        "Klageren hadde oppholdt seg i landet i mange år med midlertidige tillatelser før utvisningsvedtaket ble "
        "truffet.",
        "Det ble lagt frem landinformasjon om situasjonen for returnerte asylsøkere i {o}.",
        "Klageren ble ilagt straff for narkotikalovbrudd, og myndighetene traff deretter vedtak om utvisning med "
        "innreiseforbud.",
        "Saken ble tatt opp til ny behandling etter at klageren la frem nye dokumenter om forfølgelse.",
        "Klageren var identifisert som et mulig offer for menneskehandel, men ble likevel besluttet overført til et "
        "annet land.",
        "De nasjonale domstolene fant at utsendelsen ikke var et uforholdsmessig inngrep overfor klageren eller "
        "familien.",
    ],
    "Domstolens vurdering": [
        "{c} gjentok de generelle prinsippene for vurderingen av risiko for behandling i strid med {art}.",
        "Det må foreligge vesentlige grunner til å tro at klageren vil løpe en reell risiko for slik behandling ved "
        "retur.",
        "Bevisbyrden ligger i utgangspunktet på klageren, men myndighetene må undersøke risikoen av eget tiltak når "
        "de får kjennskap til den.",
        "{c} la vekt på at landinformasjonen viste en forverret sikkerhetssituasjon i hjemområdet.",
        "Internflukt kan bare henvises til dersom klageren kan reise trygt dit, få adgang og bosette seg der.",
        "Ved vurderingen av forholdsmessighet må det tas hensyn til botid, familiebånd, tilknytning til hjemlandet "
        "og straffbare forhold.",
        "Barnets beste skal være et grunnleggende hensyn, og myndighetene må vise at de har vurdert det konkret.",
        "{c} fant at de nasjonale myndighetene hadde foretatt en grundig vurdering og gitt relevante og "
        "tilstrekkelige grunner.",
        "Det var ikke påvist at mottaksforholdene i det ansvarlige landet hadde systemsvikt av et slikt omfang at "
        "overføring var utelukket.",
        "Statens positive forpliktelser omfatter å identifisere mulige ofre og sette i verk beskyttelsestiltak.",
        "Forvaring av barn må være et siste alternativ og ikke vare lenger enn strengt nødvendig.",
        "Troverdighetsvurderingen må ta hensyn til at traumatiserte personer kan ha vansker med å forklare seg "
        "sammenhengende.",
        "{c} bemerket at klageren ikke hadde hatt et effektivt rettsmiddel med oppsettende virkning.",
        "Myndighetenes vurdering av de sentrale spørsmålene i saken om {k} var etter {c}s syn mangelfull.",
        "Domstolen kom etter en samlet vurdering til at vedtaket lå innenfor statens skjønnsmargin.",
        "Det ble lagt vekt på at klageren hadde vært klar over at oppholdet var usikkert da familielivet ble etablert.",
    ],
    "Betydning for UDI": [
        "Avgjørelsen er relevant for UDIs behandling av saker om {r}.",
        "Saksbehandlere må dokumentere vurderingen av barnets beste konkret i vedtaket.",
        "Avgjørelsen gir ikke grunnlag for endret praksis, men understreker kravene til begrunnelse.",
        "UDI bør sikre at oppdatert landinformasjon om {o} legges til grunn i vurderingen av risiko ved retur.",
        "Dommen bør inngå i opplæringen av nye saksbehandlere og omtales i relevante rundskriv.",
        "Ved vurdering av internflukt må det gjøres en individuell vurdering av om det er trygt og rimelig å henvise "
        "til et annet område.",
        "Avgjørelsen bør vurderes i lys av gjeldende retningslinjer om forholdsmessighet i utvisningssaker.",
        "Kravene til identifisering av mulige ofre gjelder også i saker som behandles etter Dublin-forordningen.",
        "Praksisnotatet om {k} bør oppdateres med en omtale av avgjørelsen.",
    ],
    "Andre lands praksis": [
        "Svenske myndigheter har lagt avgjørelsen til grunn i sin praksis om {k}.",
        "Danske utlendingsmyndigheter har vurdert avgjørelsen, men ikke endret praksis.",
        "Tyske forvaltningsdomstoler har vist til dommen i saker om retur til {o}.",
        "Nederlandske myndigheter innførte nye retningslinjer etter avgjørelsen.",
        "Finske myndigheter har omtalt dommen i sin praksisbase.",
    ],
}
KEYWORD_NB = {}
RELEVANCE_NB = {}


@dataclass(frozen=True)
class Mix:
    """The shape of the summaries: how long their texts are, how many are published, how densely
    they cite each other. `standard` is the shape every figure before issue 17 was measured on."""

    name: str
    body_scale: tuple[float, float] | None = None  # text length × a log-uniform factor in this range
    status_weights: tuple[int, ...] = (82, 5, 5, 6, 2)  # published, approved, in-review, draft, withdrawn
    cite_share: float = 0.08  # summaries that cite earlier ones
    cites: tuple[int, int] = (1, 2)  # how many each


MIXES = {
    "standard": Mix("standard"),
    # texts of 2-20 KB, half published, a third citing 1-4 earlier summaries
    "varied": Mix("varied", body_scale=(0.4, 4.0), status_weights=(50, 10, 15, 20, 5), cite_share=0.3, cites=(1, 4)),
}


def _pick_sentences(rng: random.Random, section: str, n: int, fill: dict) -> str:
    pool = SENT[section]
    chosen = [pool[i] for i in rng.sample(range(len(pool)), min(n, len(pool)))]
    while len(chosen) < n:
        chosen.append(rng.choice(pool))
    sentences = [s.format(**fill) for s in chosen]
    paras, i = [], 0
    while i < len(sentences):
        k = rng.randint(2, 4)
        paras.append(" ".join(sentences[i:i + k]))
        i += k
    return "\n\n".join(paras)


def judgment_body(rng: random.Random, fill: dict, status: str, lang: str, scale: float = 1.0) -> str:
    counts = {"Sammendrag": rng.randint(2, 4), "Faktum": rng.randint(9, 13),
              "Domstolens vurdering": rng.randint(13, 18), "Betydning for UDI": rng.randint(5, 7),
              "Andre lands praksis": rng.randint(2, 3)}
    if scale != 1.0:
        counts = {k: max(1, round(v * scale)) for k, v in counts.items()}
    names = list(counts)
    if rng.random() < 0.5:
        names.remove("Andre lands praksis")
    if status == "draft" and rng.random() < 0.4:
        names.remove("Betydning for UDI")
    english = {"Sammendrag": "Summary", "Faktum": "Facts", "Domstolens vurdering": "Reasoning",
               "Betydning for UDI": "Relevance for UDI", "Andre lands praksis": "Other countries' practice"}
    parts = []
    for name in names:
        heading = english[name] if lang == "en" else name
        parts.append(f"## {heading}\n\n{_pick_sentences(rng, name, counts[name], fill)}\n")
    return "\n" + "\n".join(parts)


def rand_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def weekday(d: dt.date) -> dt.date:
    """The same or next working day."""
    while d.weekday() >= 5:
        d += dt.timedelta(days=1)
    return d


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write_record(root: Path, type_: str, rel: str, data: dict, body: str | None = None) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    text = render_record(MODELS[type_], data, None, body)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


# --- judgments ----------------------------------------------------------------------------------


class Judgments:
    def __init__(self, rng: random.Random, taxonomy: dict, org: dict, mix: Mix = MIXES["standard"]):
        self.rng = rng
        self.mix = mix
        self.keywords = [e["slug"] for e in taxonomy["keywords"]]
        self.relevance = [e["slug"] for e in taxonomy["relevance"]]
        for e in taxonomy["keywords"]:
            KEYWORD_NB[e["slug"]] = e["name_nb"].lower()
        for e in taxonomy["relevance"]:
            RELEVANCE_NB[e["slug"]] = e["name_nb"].lower()
        self.departments = [d["code"] for d in org["departments"]]
        self.ids: set[str] = set()
        self.refs: set[str] = set()
        self.ecli_numbers: set[tuple[int, int]] = set()
        self.items: list[dict] = []  # {"id", "year", "data", "body"}

    def unique_id(self, title: str, date: dt.date) -> tuple[str, str]:
        base, n = title, 1
        while True:
            jid = judgment_id(title, date.isoformat())
            if jid not in self.ids:
                self.ids.add(jid)
                return jid, title
            n += 1
            title = f"{base} (no. {n})"

    def applicant(self) -> str:
        rng = self.rng
        if rng.random() < 0.35:
            letters = "ABCDEFGHIJKLMNOPRSTVYZ"
            return ".".join(rng.choice(letters) for _ in range(rng.randint(1, 3))) + "."
        return rng.choice(SURNAMES)

    def ecthr_ref(self, date: dt.date) -> str:
        rng = self.rng
        while True:
            year = date.year - rng.randint(1, 7)
            ref = f"{rng.randint(100, 99999)}/{year % 100:02d}"
            if ref not in self.refs:
                self.refs.add(ref)
                return ref

    def cjeu_ref(self, date: dt.date) -> str:
        rng = self.rng
        while True:
            ref = f"C-{rng.randint(1, 999)}/{(date.year - rng.randint(1, 2)) % 100:02d}"
            if ref not in self.refs:
                self.refs.add(ref)
                return ref + (" PPU" if rng.random() < 0.08 else "")

    def ccpr_ref(self, date: dt.date) -> str:
        rng = self.rng
        while True:
            filed = date.year - rng.randint(1, 4)
            ref = f"CCPR/C/{rng.randint(60, 140)}/D/{rng.randint(600, 3999)}/{filed}"
            if ref not in self.refs:
                self.refs.add(ref)
                return ref

    def make(self, date: dt.date, stage_of: dict | None = None) -> dict:
        rng = self.rng
        if stage_of is not None:
            body = "ECtHR"
        else:
            roll = rng.random()
            body = "ECtHR" if roll < 0.68 else ("CJEU" if roll < 0.88 else "CCPR")
        d: dict = {}
        fill_state = None
        if body == "ECtHR":
            if stage_of is not None:
                title = stage_of["title"].split(" (no. ")[0]
                refs = stage_of["refs"]
                respondents = stage_of["respondents"]
                formation = "Grand Chamber"
                doc_type = "judgment"
            else:
                respondents = [rng.choice(STATES)]
                if rng.random() < 0.05:
                    respondents.append(rng.choice([s for s in STATES if s != respondents[0]]))
                name = self.applicant()
                others = " and Others" if rng.random() < 0.12 else ""
                title = f"{name}{others} v. " + " and ".join(s[1] for s in respondents)
                refs = [self.ecthr_ref(date) for _ in range(1 if rng.random() < 0.9 else rng.randint(2, 3))]
                doc_type = "judgment" if rng.random() < 0.8 else "decision"
                formation = rng.choices(["Chamber", "Committee", "Grand Chamber"], [70, 22, 8])[0]
            arts = sorted(set(rng.choices(ECTHR_ARTICLES, ECTHR_WEIGHTS, k=rng.randint(1, 3))))
            outcome = ("inadmissible" if doc_type == "decision" else
                       rng.choices(["violation", "no-violation", "conditional-violation", "mixed", "struck-out"],
                                   [40, 35, 12, 10, 3])[0])
            fill_state = respondents[0][2]
            d.update(title=None, body=body, doc_type=doc_type, formation=formation,
                     reference=refs[0] if len(refs) == 1 else refs)
            if rng.random() < 0.85:
                kind = "JUD" if doc_type == "judgment" else "DEC"
                num, yy = refs[0].split("/")
                d["ecli"] = f"ECLI:CE:ECHR:{date.year}:{date:%m%d}{kind}{num.zfill(7)}{yy}"
            d["date"] = date.isoformat()
            d["respondent"] = respondents[0][0] if len(respondents) == 1 else [s[0] for s in respondents]
            url = f"https://hudoc.echr.coe.int/eng?i=001-{rng.randint(50000, 240000)}"
        elif body == "CJEU":
            party = rng.choice(CJEU_PARTIES)
            name = self.applicant()
            title = rng.choice([name, f"{name} and {self.applicant()}", f"{name} v {party}", f"{party} v {name}"])
            refs = [self.cjeu_ref(date) for _ in range(1 if rng.random() < 0.85 else 2)]
            formation = rng.choices(["Grand Chamber", "Chamber"], [30, 70])[0]
            arts = sorted(set(rng.choices(CJEU_ARTICLES, k=rng.randint(1, 3))))
            outcome = "interpretation"
            d.update(title=None, body=body, doc_type="judgment", formation=formation,
                     reference=refs[0] if len(refs) == 1 else refs)
            if rng.random() < 0.9:
                while True:
                    n = rng.randint(1, 999)
                    if (date.year, n) not in self.ecli_numbers:
                        self.ecli_numbers.add((date.year, n))
                        break
                d["ecli"] = f"ECLI:EU:C:{date.year}:{n}"
            d["date"] = date.isoformat()
            if rng.random() < 0.3:
                state = rng.choice(STATES[:13])
                d["respondent"] = state[0]
                fill_state = state[2]
            url = f"https://curia.europa.eu/juris/liste.jsf?num={refs[0].split()[0]}"
        else:
            state = rng.choice(UN_STATES)
            title = f"{self.applicant()} v. {state[1]}"
            refs = [self.ccpr_ref(date)]
            arts = sorted(set(rng.choices(CCPR_ARTICLES, k=rng.randint(1, 3))))
            doc_type = "views" if rng.random() < 0.85 else "decision"
            outcome = "inadmissible" if doc_type == "decision" else rng.choice(["violation", "no-violation"])
            d.update(title=None, body=body, doc_type=doc_type, reference=refs[0], date=date.isoformat(),
                     respondent=state[0])
            fill_state = state[2]
            url = f"https://juris.ohchr.org/casedetails/{rng.randint(1000, 4999)}/en-US"
        jid, title = self.unique_id(title, date)
        d["title"] = title
        d["articles"] = arts
        d["outcome"] = outcome
        d["importance"] = rng.choices([1, 2, 3], [15, 45, 40])[0]
        d["keywords"] = sorted(rng.sample(self.keywords, rng.randint(1, 4)))
        d["relevance"] = sorted(rng.sample(self.relevance, rng.randint(1, 3)))
        d["departments"] = sorted(rng.sample(self.departments[:3], rng.randint(1, 2)))
        status = rng.choices(["published", "approved", "in-review", "draft", "withdrawn"], self.mix.status_weights)[0]
        d["status"] = status
        lang = "en" if rng.random() < 0.05 else "nb"
        art = arts[0].split(" ", 1)[1].split("-")[0]
        instrument = arts[0].split()[0].replace("ECHR", "EMK").replace("CHARTER", "pakten").replace("ICCPR", "SP")
        fill = {"a": title.split(" v")[0], "s": fill_state or "medlemsstaten", "o": rng.choice(ORIGINS),
                "c": {"ECtHR": "EMD", "CJEU": "EU-domstolen", "CCPR": "Menneskerettskomiteen"}[body],
                "art": f"{instrument} artikkel {art} ({ARTICLE_NB.get(art, 'konvensjonens vern')})",
                "k": KEYWORD_NB[d["keywords"][0]], "r": RELEVANCE_NB[d["relevance"][0]]}
        lo_hi = self.mix.body_scale  # (no draw in the standard mix: its files stay byte for byte)
        scale = math.exp(rng.uniform(math.log(lo_hi[0]), math.log(lo_hi[1]))) if lo_hi else 1.0
        text = judgment_body(rng, fill, status, lang, scale)
        if status in ("published", "approved", "withdrawn"):
            reviewed = min(date + dt.timedelta(days=rng.randint(20, 400)), LAST_DAY)
            if status == "published":
                d["published"] = reviewed.isoformat()
            d["review"] = {"by": COORDINATOR, "date": reviewed.isoformat(), "digest": digest(d, text),
                           "parts": part_digests(d, text)}
        if status == "withdrawn":
            d["reason"] = "Sammendraget er erstattet av en ny omtale i praksisnotatet."
        d["access"] = "internal" if rng.random() < 0.1 else "public"
        d["source_url"] = url
        if rng.random() < 0.05:
            c = rng.choice(STATES[1:8])
            d["foreign_practice"] = [{"country": c[0], "note": f"{c[2]} har lagt avgjørelsen til grunn i sin praksis.",
                                      "source": "https://www.refworld.org/"}]
        d["summary_lang"] = lang
        if rng.random() < 0.5:
            d["case_ref"] = f"{rng.randint(10, 24)}/{rng.randint(100, 99999)}-{rng.randint(1, 60)}"
        item = {"id": jid, "year": date.year, "date": date, "data": d, "body": text, "refs": refs,
                "respondents": d.get("respondent"), "title": title}
        if body == "ECtHR" and stage_of is None:
            item["respondents"] = respondents
        self.items.append(item)
        return item

    def generate(self, count: int) -> None:
        rng = self.rng
        start, end = dt.date(1995, 1, 1), dt.date(2024, 12, 31)
        while len(self.items) < count:
            date = weekday(rand_date(rng, start, end))
            item = self.make(date)
            d = item["data"]
            # some Chamber judgments went to the Grand Chamber: one case, two linked summaries
            if (d["body"] == "ECtHR" and d.get("formation") == "Chamber" and d["doc_type"] == "judgment"
                    and rng.random() < 0.03 and len(self.items) < count):
                later = weekday(date + dt.timedelta(days=rng.randint(300, 700)))
                if later <= end:
                    gc = self.make(later, stage_of=item)
                    d.setdefault("related", []).append({"id": gc["id"], "relation": "later-stage"})
                    gc["data"].setdefault("related", []).append({"id": item["id"], "relation": "earlier-stage"})
        # `cites` links to earlier summaries (not part of the review digest)
        by_date = sorted(self.items, key=lambda it: it["date"])
        for i, item in enumerate(by_date):
            if i > 50 and rng.random() < self.mix.cite_share:
                for other in rng.sample(by_date[:i], rng.randint(*self.mix.cites)):
                    links = item["data"].setdefault("related", [])
                    if any((x if isinstance(x, str) else x["id"]) == other["id"] for x in links):
                        continue
                    links.append(other["id"] if rng.random() < 0.3 else {"id": other["id"], "relation": "cites"})

    def write(self, root: Path) -> None:
        order = ["title", "body", "doc_type", "formation", "reference", "ecli", "date", "respondent", "articles",
                 "outcome", "importance", "keywords", "relevance", "departments", "status", "published",
                 "replaced_by", "reason", "review", "access", "source_url", "related", "foreign_practice",
                 "summary_lang", "case_ref"]
        for item in self.items:
            d = {k: item["data"][k] for k in order if k in item["data"]}
            write_record(root, "judgment", f"data/judgments/{item['year']}/{item['id']}.md", d, item["body"])


# --- networks, meetings, submissions -------------------------------------------------------------

WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4}
MINUTES = [
    "Møtet ble ledet av koordinator. Nettverket drøftet sakene på sakslisten, og referatet ble sendt ut etter møtet.",
    "Avdelingene orienterte om erfaringer fra saksbehandlingen siden forrige møte.",
    "Nettverket var enig om at temaet bør følges opp i neste møte med en kort statusrapport fra avdelingene.",
    "Koordinator minnet om fristen for å melde inn saker til neste møte.",
    "Det ble enighet om å be om en orientering fra politiet om samarbeidet på feltet.",
    "Nettverket drøftet behovet for felles opplæring av saksbehandlere og ansatte i mottak.",
    "Neste møte holdes etter den faste møteplanen.",
]
TOPICS = {
    "submission": ["Behov for felles rutine for varsling fra mottak", "Erfaringer med nye retningslinjer",
                   "Spørsmål om praktisering av refleksjonsperiode", "Opplæring av nye saksbehandlere",
                   "Oppdatert landinformasjon om risiko ved retur", "Samarbeid med politiet om identifisering",
                   "Informasjon til søkere om rettigheter", "Håndtering av saker med barn"],
}


def meeting_dates(rng: random.Random, net: dict, count: int) -> list[dt.date]:
    """`count` meeting dates on the network's weekday, from 2025 backwards."""
    wd = WEEKDAYS.get(net.get("weekday"), 1)
    # five a year over at most 30 years; a larger repository meets more often (up to twice a
    # month) rather than before 1900, which no date field accepts
    per_year = 5 if count <= 150 else min(24, max(6, -(-count // 40)))
    years = (count + per_year - 1) // per_year
    starts = [(m, 1) for m in (2, 4, 6, 9, 11)] if per_year == 5 else \
        [(1 + k * 12 // per_year, 1 + (k * 12 % per_year) * 28 // per_year) for k in range(per_year)]
    out = []
    for y in range(2025 - years, 2025):
        for month, day in starts:
            d = dt.date(y, month, min(day + rng.randint(0, 10), 28))
            while d.weekday() != wd:
                d += dt.timedelta(days=1)
            out.append(d)
    return sorted(set(out))[-count:]


class Agenda:
    """One meeting's agenda items, numbered on from the network's count of items in the year (`3/14`)."""

    def __init__(self, sak: dict[int, int], year: int) -> None:
        self.sak, self.year, self.items = sak, year, []

    def add(self, title, kind, source, notes, decision=None, presenter=COORDINATOR) -> None:
        self.sak[self.year] = self.sak.get(self.year, 0) + 1
        item = {"number": f"{self.sak[self.year]}/{self.year % 100:02d}", "title": title, "kind": kind,
                "presenter": presenter, "source": source, "notes": notes}
        if decision:
            item["decision"] = decision
        self.items.append(item)


class Meetings:
    def __init__(self, rng, networks: dict, judgments: Judgments, measures: list[dict], plans: dict, org: dict):
        self.rng = rng
        self.networks = networks
        self.judgments = judgments
        self.measures = measures
        self.plans = plans
        self.departments = [d["code"] for d in org["departments"]][:3]
        self.meetings: list[dict] = []
        self.submissions: list[dict] = []

    def generate(self, count: int) -> None:
        rng = self.rng
        slugs = sorted(self.networks)
        per = [count // len(slugs) + (1 if i < count % len(slugs) else 0) for i in range(len(slugs))]
        by_relevance: dict[str, list] = {}
        for it in sorted(self.judgments.items, key=lambda it: it["date"]):
            for r in it["data"]["relevance"]:
                by_relevance.setdefault(r, []).append(it)
        for slug, n in zip(slugs, per, strict=True):
            net = self.networks[slug]
            members = [m["name"] for m in net.get("members") or []]
            field_items = [it for r in net.get("field") or [] for it in by_relevance.get(r, [])]
            plans = [p for p, pd in self.plans.items() if slug in (pd.get("fields") or [])]
            sak: dict[int, int] = {}
            previous = None
            for date in meeting_dates(rng, net, n):
                status = "cancelled" if rng.random() < 0.03 else "held"
                m = {"network": slug, "date": date.isoformat(), "start": net.get("start", "10:00"),
                     "end": net.get("end", "12:00"), "location": net.get("location", "UDI"), "status": status}
                if status == "cancelled":
                    m["agenda_status"] = "final"
                    m["sequence"] = 1
                    self.meetings.append({"data": m, "body": "Møtet ble avlyst.\n"})
                    continue
                m["agenda_status"] = "final"
                m["sequence"] = 0
                agenda = Agenda(sak, date.year)
                add, items = agenda.add, agenda.items

                add("Godkjenning av innkalling og saksliste", "beslutning", "standing",
                    "Innkalling og saksliste ble sendt ut innen fristen. Ingen merknader.",
                    "Innkalling og saksliste godkjennes.")
                add("Godkjenning av referat fra forrige møte", "beslutning", "standing",
                    "Referatet ble sendt ut etter forrige møte. Ingen merknader.", "Referatet godkjennes.")
                # topical items
                earlier = [it for it in field_items if it["date"] < date] or \
                          [it for it in self.judgments.items[:200] if it["date"] < date]
                for it in rng.sample(earlier, min(len(earlier), rng.randint(1, 2))):
                    add(f"Avgjørelse fra {it['data']['body']}: {it['data']['title']}", "drøfting",
                        f"judgment:{it['id']}",
                        "Koordinator gjennomgikk avgjørelsen. Nettverket drøftet betydningen for praksis.")
                live = [ms for ms in self.measures if ms["plan"] in plans
                        and self.plans[ms["plan"]]["period_from"] <= date.year <= self.plans[ms["plan"]]["period_to"]]
                for ms in rng.sample(live, min(len(live), rng.randint(0, 2))):
                    add(f"{ms['data']['number']}: {ms['data']['title'][:60]}", "orientering",
                        f"measure:{ms['plan']}/{ms['id']}", "Ansvarlig avdeling orienterte om status for tiltaket.",
                        presenter=ms["data"]["department"])
                if rng.random() < 0.45:
                    dept = rng.choice(self.departments)
                    sub_date = date - dt.timedelta(days=rng.randint(14, 40))
                    title = rng.choice(TOPICS["submission"])
                    sid = f"{sub_date.isoformat()}-{dept.lower()}-{'-'.join(title.lower().split()[:3])}"
                    sid = sid.replace("å", "a").replace("ø", "o").replace("æ", "ae")
                    self.submissions.append({"network": slug, "id": sid, "data": {
                        "network": slug, "department": dept, "submitted_by": f"Seniorrådgiver, {dept}",
                        "date": sub_date.isoformat(), "title": title,
                        "description": f"{dept} ønsker å drøfte temaet i nettverket.",
                        "kind": "drøfting", "status": "handled", "meeting": date.isoformat()}})
                    add(title, "drøfting", f"submission:{sid}", "Avdelingen innledet. Nettverket drøftet saken.",
                        presenter=dept)
                if previous is not None and previous.get("follow_ups") and rng.random() < 0.5:
                    fu = previous["follow_ups"][0]
                    add(f"Oppfølging: {fu['text'][:50]}", "orientering", f"follow-up:{previous['date']}/{fu['id']}",
                        "Status for oppfølgingspunktet ble gitt.")
                add("Runde fra avdelingene", "orientering", "standing",
                    "Avdelingene orienterte kort om aktuelle saker.")
                if plans:
                    add("Status for handlingsplanene", "orientering", "standing", "Koordinator orienterte om status.")
                add("Eventuelt", "drøfting", "standing", "Ingen saker.")
                m["agenda"] = items
                present = [COORDINATOR] + [x for x in members if rng.random() < 0.8]
                absent = [x for x in members if x not in present]
                att = {"present": present}
                if absent:
                    att["absent"] = absent
                att["minute_taker"] = COORDINATOR
                m["attendance"] = att
                fus = []
                for k in range(rng.randint(0, 3)):
                    due = date + dt.timedelta(days=rng.randint(30, 90))
                    done = due + dt.timedelta(days=rng.randint(-20, 20)) if due < dt.date(2024, 10, 1) else False
                    fus.append({"id": f"f{k + 1}", "text": rng.choice([
                        "Avdelingen sender en kort statusrapport til koordinator.",
                        "Koordinator sender ut landinformasjon til nettverkets medlemmer.",
                        "Avdelingen vurderer om interne retningslinjer bør oppdateres.",
                        "Nettverket forbereder et innspill til departementet."]),
                        "owner": rng.choice(self.departments), "due": due.isoformat(),
                        "done": done.isoformat() if done else False})
                if fus:
                    m["follow_ups"] = fus
                body = "\n\n".join(rng.sample(MINUTES, rng.randint(1, 3))) + "\n"
                self.meetings.append({"data": m, "body": body})
                previous = m
        # submissions that never reached a meeting
        for i in range(max(4, count // 20)):
            slug = slugs[i % len(slugs)]
            dept = rng.choice(self.departments)
            d = weekday(rand_date(rng, dt.date(2015, 1, 1), dt.date(2024, 12, 31)))
            title = rng.choice(TOPICS["submission"])
            sid = f"{d.isoformat()}-{dept.lower()}-innspill-{i + 1}"
            data = {"network": slug, "department": dept, "submitted_by": f"Rådgiver, {dept}", "date": d.isoformat(),
                    "title": title, "kind": "orientering"}
            if i % 2:
                data["status"] = "rejected"
                data["reason"] = "Gjelder en enkeltsak som skal avgjøres i linjen."
            else:
                data["status"] = "proposed"
            self.submissions.append({"network": slug, "id": sid, "data": data})

    def write(self, root: Path) -> None:
        for m in self.meetings:
            d = m["data"]
            write_record(root, "meeting", f"data/meetings/{d['network']}/{d['date']}.md", d, m["body"])
        for s in self.submissions:
            write_record(root, "submission", f"data/submissions/{s['network']}/{s['id']}.yaml", s["data"])


# --- measures -----------------------------------------------------------------------------------

MEASURE_TITLES = [
    "Styrke identifiseringen av mulige ofre i {f}", "Utarbeide veileder for saksbehandlere om {f}",
    "Gjennomføre opplæring av ansatte i mottak om {f}", "Forbedre statistikken over saker om {f}",
    "Etablere faste samarbeidsmøter med politiet om {f}", "Oppdatere landinformasjon av betydning for {f}",
    "Utrede behovet for endringer i regelverket om {f}", "Styrke informasjonen til søkere om {f}",
    "Evaluere rutinene for varsling i saker om {f}", "Sikre tolketjenester av god kvalitet i saker om {f}",
]
FIELD_NB = {"trafficking": "menneskehandel", "forced-marriage": "tvangsekteskap", "fgm": "kjønnslemlestelse",
            "human-rights": "menneskerettigheter"}


def generate_measures(rng: random.Random, plans: dict, org: dict, count: int) -> list[dict]:
    depts = [d["code"] for d in org["departments"]]
    ids = sorted(plans)
    out = []
    for p_i, plan in enumerate(ids):
        pd = plans[plan]
        n = count // len(ids) + (1 if p_i < count % len(ids) else 0)
        start, end = dt.date(pd["period_from"], 1, 15), dt.date(pd["period_to"], 12, 31)
        fields = pd.get("fields") or []
        for k in range(1, n + 1):
            net = fields[k % len(fields)] if fields else None
            title = rng.choice(MEASURE_TITLES).format(f=FIELD_NB.get(net, "feltet"))
            d = {"plan": plan, "number": f"Tiltak {k}", "title": title,
                 "description": f"Tiltaket skal bidra til bedre kvalitet og samordning i arbeidet med "
                                f"{FIELD_NB.get(net, 'feltet')}. UDI bidrar med kunnskap om utlendingsforvaltningens "
                                f"ansvar og rutiner, og rapporterer status til koordinator.",
                 "lead_agency": rng.choice(MINISTRIES), "role": rng.choice(["lead", "contributor", "contributor"]),
                 "department": rng.choice(depts)}
            if net:
                d["network"] = net
            d["deadline"] = rand_date(rng, start + dt.timedelta(days=200), end).isoformat()
            log, when = [], rand_date(rng, start, start + dt.timedelta(days=180))
            status = "not-started"
            for _ in range(rng.randint(1, 6)):
                if when > min(end + dt.timedelta(days=180), LAST_DAY):
                    break
                status = rng.choice({"not-started": ["not-started", "in-progress", "in-progress"],
                                     "in-progress": ["in-progress", "in-progress", "delayed", "completed",
                                                     "continuous"],
                                     "delayed": ["in-progress", "delayed", "completed", "cancelled"],
                                     "continuous": ["continuous"], "completed": ["completed"],
                                     "cancelled": ["cancelled"]}[status])
                log.append({"date": when.isoformat(), "status": status,
                            "note": rng.choice(["Status gitt i nettverksmøtet.", "Arbeidet går etter planen.",
                                                "Ansvarlig avdeling melder om forsinkelse på grunn av kapasitet.",
                                                "Tiltaket er gjennomført og rapportert til departementet.",
                                                "Arbeidet videreføres som en fast oppgave."]),
                            "by": COORDINATOR})
                when += dt.timedelta(days=rng.randint(60, 400))
            d["log"] = log
            out.append({"plan": plan, "id": f"tiltak-{k}", "data": d})
    return out


def generate_hearings(rng: random.Random, org: dict, count: int) -> list[dict]:
    depts = [d["code"] for d in org["departments"]][:3]
    out = []
    for i in range(count):
        received = weekday(rand_date(rng, dt.date(2008, 1, 1), dt.date(2024, 10, 1)))
        topic = HEARING_TOPICS[i % len(HEARING_TOPICS)]
        sender = rng.choice(MINISTRIES[:5])
        d = {"sender": sender, "title": f"Høring – {topic}", "received": received.isoformat(),
             "deadline": (received + dt.timedelta(days=rng.choice([42, 60, 90]))).isoformat(),
             "responsible": rng.choice(depts), "status": "answered"}
        d["answered"] = (received + dt.timedelta(days=rng.randint(20, 40))).isoformat()
        d["case_ref"] = f"{received.year % 100:02d}/{rng.randint(100, 9999):05d}-{rng.randint(1, 9)}"
        d["url"] = f"https://www.regjeringen.no/no/dokumenter/horing/id{rng.randint(100000, 999999)}/"
        initials = "".join(w[0] for w in sender.split()[:1]).lower()
        out.append({"id": f"{received.isoformat()}-{initials}-{i + 1}", "data": d})
    return out


# --- the whole repository -----------------------------------------------------------------------


def generate(out: Path, judgments: int = 10_000, meetings: int = 400, measures: int = 1_000, seed: int = 7,
             git: bool = False, quiet: bool = False, mix: str = "standard") -> dict:
    t0 = time.perf_counter()
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "data").mkdir(parents=True)
    shutil.copy(DEFAULTS / "hrcoord.yaml", out / "hrcoord.yaml")
    for name in ("organisation.yaml", "conventions.yaml", "taxonomy.yaml"):
        shutil.copy(DEFAULTS / name, out / "data" / name)
    for folder in ("networks", "action-plans"):
        (out / "data" / folder).mkdir()
        for f in sorted((EMBEDDED / folder).glob("*.yaml")):
            shutil.copy(f, out / "data" / folder / f.name)
    (out / ".gitignore").write_text(".hrcoord/\n", encoding="utf-8")
    org = _load(DEFAULTS / "organisation.yaml")
    taxonomy = _load(DEFAULTS / "taxonomy.yaml")
    networks = {f.stem: _load(f) for f in sorted((out / "data" / "networks").glob("*.yaml"))}
    plans = {f.stem: _load(f) for f in sorted((out / "data" / "action-plans").glob("*.yaml"))}

    js = Judgments(rng, taxonomy, org, MIXES[mix])
    js.generate(judgments)
    ms = generate_measures(rng, plans, org, measures)
    mt = Meetings(rng, networks, js, ms, plans, org)
    mt.generate(meetings)
    hs = generate_hearings(rng, org, max(2, meetings // 10))

    js.write(out)
    mt.write(out)
    for m in ms:
        write_record(out, "measure", f"data/measures/{m['plan']}/{m['id']}.yaml", m["data"])
    for h in hs:
        write_record(out, "hearing", f"data/hearings/{h['id']}.yaml", h["data"])
    counts = {"judgments": len(js.items), "meetings": len(mt.meetings), "submissions": len(mt.submissions),
              "measures": len(ms), "hearings": len(hs), "networks": len(networks), "action_plans": len(plans)}
    if git and not shutil.which("git"):
        print("generate: git not found; the repository is not made a git repository", file=sys.stderr)
        git = False
    if git:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        env.update(GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.invalid", GIT_COMMITTER_NAME="bench",
                   GIT_COMMITTER_EMAIL="bench@example.invalid", GIT_AUTHOR_DATE="2025-06-30T12:00:00+0200",
                   GIT_COMMITTER_DATE="2025-06-30T12:00:00+0200")
        for args in (["init", "-q", "-b", "main"], ["add", "-A"],
                     ["commit", "-q", "-m", "Synthetic benchmark repository"]):
            subprocess.run(["git", *args], cwd=out, env=env, check=True, stdout=subprocess.DEVNULL)
    size = sum(f.stat().st_size for f in (out / "data").rglob("*") if f.is_file())
    counts["bytes"] = size
    counts["seconds"] = round(time.perf_counter() - t0, 2)
    if not quiet:
        print(f"generated {out}: " + ", ".join(f"{v} {k}" for k, v in counts.items() if k not in ("bytes", "seconds"))
              + f"; {size / 1e6:.1f} MB of records in {counts['seconds']} s", file=sys.stderr)
    return counts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "work" / "repo", help="target folder (replaced)")
    ap.add_argument("--judgments", type=int, default=10_000, help="number of summaries (default 10000)")
    ap.add_argument("--meetings", type=int, default=400, help="number of meetings over the 4 networks (default 400)")
    ap.add_argument("--measures", type=int, default=1_000, help="number of measures over the 2 plans (default 1000)")
    ap.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    ap.add_argument("--git", action="store_true", help="make the repository a git repository with one commit")
    ap.add_argument("--mix", choices=sorted(MIXES), default="standard",
                    help="the summaries' shape: standard (~5 KB, 82 %% published, few links) or varied "
                         "(2-20 KB, half published, a third with 1-4 links)")
    args = ap.parse_args(argv)
    generate(args.out, args.judgments, args.meetings, args.measures, args.seed, args.git, mix=args.mix)
    return 0


if __name__ == "__main__":
    sys.exit(main())
