"""A coordinator's real year on her own repository (issue 11): every step through real
subprocesses, in a repository made by `hrcoord init`, with HOME and the cache folder in a fresh
folder that the embedded repository has already been used in (the demo's commands run first).
Each step asserts on what a person would see, not only on exit codes."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

TODAY = "2026-12-01"


class Desk:
    """The coordinator's machine: her home folder, her repository, her git identity."""

    def __init__(self, tmp: Path):
        self.home = tmp / "home"
        self.home.mkdir()
        self.repo = tmp / "udi-menneskerettigheter"
        self.out = tmp / "out"
        self.out.mkdir()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "HRCOORD_"))}
        self.env.update({"HOME": str(self.home), "XDG_CACHE_HOME": str(self.home / ".cache"),
                         "XDG_CONFIG_HOME": str(self.home / ".config"), "NO_COLOR": "1", "COLUMNS": "100",
                         "GIT_CONFIG_GLOBAL": str(self.home / ".gitconfig"), "GIT_CONFIG_NOSYSTEM": "1"})
        self.git_global("user.name", "Kari Koordinator")
        self.git_global("user.email", "kari.koordinator@udi.example")
        self.git_global("commit.gpgsign", "false")
        self.git_global("init.defaultBranch", "main")

    def git_global(self, key: str, value: str) -> None:
        subprocess.run(["git", "config", "--global", key, value], env=self.env, check=True)

    def hrcoord(self, *args: str, repo: Path | None = None, ok: bool = True, env: dict | None = None,
                stdin: str | None = None) -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", "hrcoord", "--repo", str(repo or self.repo), *map(str, args)]
        proc = subprocess.run(cmd, capture_output=True, text=True, env={**self.env, **(env or {})}, input=stdin,
                              timeout=120)
        assert "Traceback" not in proc.stderr, proc.stderr
        if ok:
            assert proc.returncode == 0, f"{' '.join(map(str, args))}\n{proc.stderr}"
        return proc

    def git(self, *args: str, env: dict | None = None, ok: bool = True) -> subprocess.CompletedProcess:
        proc = subprocess.run(["git", *args], cwd=self.repo, capture_output=True, text=True,
                              env={**self.env, **(env or {})})
        if ok:
            assert proc.returncode == 0, proc.stderr
        return proc

    def summary(self, jid: str) -> Path:
        return next((self.repo / "data" / "judgments").rglob(f"{jid}.md"))

    def write_sections(self, jid: str, sammendrag: str, betydning: str) -> None:
        path = self.summary(jid)
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(## Sammendrag\n)(.*?)(?=\n## )", lambda m: m.group(1) + "\n" + sammendrag + "\n", text,
                      count=1, flags=re.S)
        text = re.sub(r"(## Betydning for UDI\n)(.*?)(?=\n## |\Z)", lambda m: m.group(1) + "\n" + betydning + "\n",
                      text, count=1, flags=re.S)
        path.write_text(text, encoding="utf-8")


# Three real summaries (facts as on HUDOC: application number, date, formation, articles).
CASES = [
    dict(id="nunez-v-norway-2011", title="Nunez v. Norway", formation="Chamber", reference="55597/09",
         date="2011-06-28", respondent="NO", article="ECHR 8", outcome="conditional-violation",
         ecli="ECLI:CE:ECHR:2011:0628JUD005559709", relevance="expulsion", department="OPA",
         sammendrag="Domstolen kom til at utvisning av en mor med to barn i Norge ville krenke retten til "
                    "familieliv, fordi barnas beste ikke var tillagt tilstrekkelig vekt.",
         betydning="Dommen viser hvilken vekt barnas tilknytning skal ha i saker om utvisning."),
    dict(id="butt-v-norway-2012", title="Butt v. Norway", formation="Chamber", reference="47017/09",
         date="2012-12-04", respondent="NO", article="ECHR 8", outcome="violation",
         ecli="ECLI:CE:ECHR:2012:1204JUD004701709", relevance="expulsion", department="OPA",
         sammendrag="Utvisning av to voksne søsken som hadde bodd i Norge siden barndommen, ville krenke "
                    "artikkel 8; deres sterke tilknytning veide tyngre enn hensynet til innvandringskontroll.",
         betydning="Lang botid fra barndommen må vurderes konkret, også der oppholdet bygde på uriktige opplysninger."),
    dict(id="jeunesse-v-the-netherlands-2014", title="Jeunesse v. the Netherlands", formation="Grand Chamber",
         reference="12738/10", date="2014-10-03", respondent="NL", article="ECHR 8", outcome="violation",
         ecli="ECLI:CE:ECHR:2014:1003JUD001273810", relevance="family-immigration", department="OPA",
         sammendrag="Storkammeret fant at avslag på opphold for en mor til tre barn i Nederland krenket "
                    "artikkel 8, fordi myndighetene ikke hadde vurdert barnas beste godt nok.",
         betydning="Barnas beste skal vurderes konkret også når søkeren har oppholdt seg ulovlig i landet."),
]


def add_case(desk: Desk, case: dict) -> None:
    args = ["judgment", "add", "--title", case["title"], "--body", "ECtHR", "--doc-type", "judgment",
            "--formation", case["formation"], "--reference", case["reference"], "--date", case["date"],
            "--respondent", case["respondent"], "--article", case["article"], "--outcome", case["outcome"],
            "--ecli", case["ecli"], "--relevance", case["relevance"], "--department", case["department"],
            "--source-url", f"https://hudoc.echr.coe.int/eng?i=001-{abs(hash(case['id'])) % 900000 + 100000}"]
    proc = desk.hrcoord(*args)
    assert f"{case['id']}.md" in proc.stderr
    desk.write_sections(case["id"], case["sammendrag"], case["betydning"])


@pytest.fixture(scope="module")
def desk(tmp_path_factory) -> Desk:
    desk = Desk(tmp_path_factory.mktemp("year"))
    # the demo first, in the same home: the embedded repository's templates are compiled and cached
    embedded = desk.out / "embedded"
    embedded.mkdir()
    for name in ("hrcoord.yaml", "data", "templates"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, embedded / name)
    for args in (["validate"], ["judgment", "list", "--status", "published"],
                 ["meeting", "agenda", "--network", "trafficking"],
                 ["report", "action-plan", "--year", "2014", "--format", "html", "--out", desk.out / "demo.html"],
                 ["report", "quarterly", "--quarter", "2014-Q2", "--format", "html"],
                 ["publish", "--out", desk.out / "demo-portal"]):
        desk.hrcoord(*args, repo=embedded)
    assert any((desk.home / ".cache" / "hrcoord" / "templates").iterdir())
    proc = subprocess.run([sys.executable, "-m", "hrcoord", "init", str(desk.repo)], capture_output=True, text=True,
                          env=desk.env)
    assert proc.returncode == 0, proc.stderr
    return desk


def test_1_case_law_from_draft_to_portal(desk):
    for case in CASES:
        add_case(desk, case)
    again = desk.hrcoord("judgment", "add", "--title", "Nunez mot Norge", "--body", "ECtHR", "--doc-type", "judgment",
                         "--reference", "55597/09", "--date", "2011-06-28", "--article", "ECHR 8",
                         "--relevance", "expulsion", ok=False)
    assert again.returncode == 1 and "nunez-v-norway-2011.md" in again.stderr  # the duplicate is named
    listed = json.loads(desk.hrcoord("judgment", "list", "--format", "json").stdout)
    assert {s["id"] for s in listed} == {c["id"] for c in CASES}
    assert {s["status"] for s in listed} == {"draft"}
    for case in CASES:
        desk.hrcoord("judgment", "status", case["id"], "in-review")
        desk.hrcoord("judgment", "review", case["id"], "--by", "Fagansvarlig ASA")
        desk.hrcoord("judgment", "status", case["id"], "approved")
        desk.hrcoord("judgment", "status", case["id"], "published")
    check = desk.hrcoord("validate")
    assert re.search(r"files checked: 0 errors, 0 warnings", check.stderr), check.stderr
    site = desk.out / "portal"
    desk.hrcoord("publish", "--out", site)
    index = (site / "index.html").read_text(encoding="utf-8")
    for case in CASES:
        page = (site / "summaries" / f"{case['id']}.html").read_text(encoding="utf-8")
        assert case["title"] in page and case["reference"] in page
        assert case["sammendrag"][:40] in page
        assert case["title"] in index
    assert '<html lang="nb"' in index
    for page in [site / "index.html", site / "articles.html", *(site / "summaries").glob("*.html")]:
        assert "Traceback" not in page.read_text(encoding="utf-8")


def test_2_an_edit_after_review_is_caught_and_the_history_reads_well(desk):
    desk.git("add", "-A")
    desk.git("commit", "-q", "-m", "Tre sammendrag om utvisning og familieliv")
    first = desk.git("rev-parse", "HEAD").stdout.strip()
    path = desk.summary("butt-v-norway-2012")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("innvandringskontroll", "en effektiv innvandringskontroll"), encoding="utf-8")
    warned = desk.hrcoord("validate")
    assert "HR206" in warned.stderr and "butt-v-norway-2012" in warned.stderr
    diff = desk.hrcoord("diff", "butt-v-norway-2012")
    assert "innvandringskontroll" in diff.stdout and "en effektiv" in diff.stdout
    # git diff through the textconv driver that init wrote, from a PATH without the venv
    plain = desk.git("diff", env={"PATH": "/usr/bin:/bin"})
    assert "en effektiv innvandringskontroll" in plain.stdout
    assert "error: cannot run" not in plain.stderr and "not found" not in plain.stderr, plain.stderr
    desk.hrcoord("judgment", "review", "butt-v-norway-2012", "--by", "Fagansvarlig ASA")
    desk.git("commit", "-q", "-am", "Butt: presisering etter gjennomgang")
    listed = desk.hrcoord("changes", "--since", first)
    assert "Butt v. Norway" in listed.stdout and "Ny" in listed.stdout and "Endret" in listed.stdout
    headings = [line for line in listed.stdout.splitlines() if line.startswith("## ")]
    assert len(headings) == 2 and "Butt: presisering etter gjennomgang" in headings[0]
    assert "tekst" in listed.stdout  # the text changed, said in Norwegian
    desk.hrcoord("publish", "--out", desk.out / "portal")
    page = (desk.out / "portal" / "summaries" / "butt-v-norway-2012.html").read_text(encoding="utf-8")
    assert "en effektiv innvandringskontroll" in page
