"""`make bench`: hrcoord against its baselines, side by side in one run (SPEC §6, issue 7).

Generates the synthetic repository (bench/generate.py) when it is missing or out of date, then
runs every measured command N times as a real subprocess (start-up counted on both sides),
interleaving hrcoord and its baseline in each repetition, and prints a table of medians and
ratios. Raw samples, peak memory and the machine go to bench/work/results.json.

    .venv/bin/python bench/run.py [--quick] [--reps N] [--regenerate] [--judgments N]

Rows (see bench/README.md): validate cold vs a bare libyaml loop (ratio <= 1.5) and vs
check-jsonschema (hrcoord faster); validate warm (< 0.3 s); publish cold vs hugo (no slower);
publish after one summary changed (< 1 s); --help start-up (< 0.2 s); report action-plan
(< 1 s); peak memory of validate and publish.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
REPO = WORK / "repo"
BIN = Path(sys.prefix) / "bin"  # the venv that runs this script (make bench: .venv/bin/python)
PY = BIN / "python"
HRCOORD = BIN / "hrcoord"
CHECK_JSONSCHEMA = BIN / "check-jsonschema"

sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

# The floor: read every record file, split the front matter at the `---` lines, yaml.load it with
# libyaml's C loader. Nothing else.
FLOOR = r'''
import os, re, sys, yaml
root = sys.argv[1]
fm = re.compile(r"^---[ \t]*$", re.M)
paths = [os.path.join(root, "hrcoord.yaml")]
for dirpath, dirnames, filenames in os.walk(os.path.join(root, "data")):
    dirnames[:] = [d for d in dirnames if not d.startswith(".")]
    paths += [os.path.join(dirpath, f) for f in filenames if f.endswith((".yaml", ".md"))]
n = 0
for p in paths:
    with open(p, encoding="utf-8") as fh:
        text = fh.read()
    if p.endswith(".md"):
        text = fm.split(text, 2)[1]
    yaml.load(text, Loader=yaml.CSafeLoader)
    n += 1
print(n, "files")
'''

# Record type of a path below the repository root, for the per-schema check-jsonschema calls.
TYPE_OF_FOLDER = {"judgments": "judgment", "meetings": "meeting", "submissions": "submission",
                  "measures": "measure", "networks": "network", "action-plans": "action-plan",
                  "hearings": "hearing"}
TYPE_OF_FILE = {"organisation.yaml": "organisation", "conventions.yaml": "conventions", "taxonomy.yaml": "taxonomy"}


# --- running and measuring ----------------------------------------------------------------------


class Sample:
    def __init__(self, seconds: float, maxrss_kb: int, code: int, out: str, err: str):
        self.seconds, self.maxrss_kb, self.code, self.out, self.err = seconds, maxrss_kb, code, out, err


# Measured commands start from this small launcher, not from run.py itself: Linux carries a
# process's RSS high-water mark across fork and exec, so a child of the (large) run.py process would
# report run.py's peak as its own. The launcher times the command (its own start-up is not counted)
# and reads the child's peak RSS from wait4().
LAUNCHER = r"""
import json, os, subprocess, sys, time
t0 = time.perf_counter()
proc = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
seconds = time.perf_counter() - t0
with open(sys.argv[1], "w") as fh:
    json.dump({"seconds": seconds, "maxrss_kb": usage.ru_maxrss, "code": os.waitstatus_to_exitcode(status)}, fh)
"""


# Measured as installed: with the modules' bytecode. A development shell may set
# PYTHONDONTWRITEBYTECODE, and an editable install writes no bytecode of its own, so every command
# would compile hrcoord's sources again (0.1-0.3 s a command); main() compiles them once.
MEASURED_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(cmd: list, cwd: Path | None = None, env: dict | None = None) -> Sample:
    """One subprocess, timed wall-clock; peak RSS of that child (and of its waited-for descendants:
    the largest single process) from wait4()."""
    out_path, err_path, res_path = WORK / ".stdout", WORK / ".stderr", WORK / ".result.json"
    env = MEASURED_ENV if env is None else env
    rm(res_path)
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        subprocess.run([str(PY), "-c", LAUNCHER, str(res_path), *[str(c) for c in cmd]], cwd=cwd, env=env,
                       stdout=out, stderr=err, stdin=subprocess.DEVNULL)
    out_text, err_text = out_path.read_text("utf-8", "replace"), err_path.read_text("utf-8", "replace")
    try:
        res = json.loads(res_path.read_text())
    except (OSError, ValueError):
        return Sample(float("nan"), 0, 127, out_text, err_text or f"could not run {cmd[0]}")
    return Sample(res["seconds"], res["maxrss_kb"], res["code"], out_text, err_text)


def hr(*args, repo: Path = REPO) -> list:
    return [HRCOORD, "--repo", repo, *args]


def rm(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def median(samples: list[Sample]) -> float | None:
    return statistics.median(s.seconds for s in samples) if samples else None


def peak_mb(samples: list[Sample]) -> float | None:
    return max(s.maxrss_kb for s in samples) / 1024 if samples else None


def command_exists(*words: str) -> bool:
    s = run([HRCOORD, *words, "--help"])
    return s.code == 0


def tail(text: str, n: int = 6) -> str:
    return "\n".join(text.strip().splitlines()[-n:])


# --- preparation --------------------------------------------------------------------------------


def generator_fingerprint(args) -> str:
    h = hashlib.sha256((HERE / "generate.py").read_bytes())
    inputs = [*sorted((ROOT / "hrcoord" / "defaults").glob("*.yaml")),
              *sorted((ROOT / "data" / "networks").glob("*.yaml")),
              *sorted((ROOT / "data" / "action-plans").glob("*.yaml"))]
    for f in inputs:
        h.update(f.read_bytes())
    h.update(json.dumps([args.judgments, args.meetings, args.measures, args.seed]).encode())
    return h.hexdigest()[:16]


def ensure_repository(args, notes: list[str]) -> dict:
    stamp = WORK / "generated.json"
    fp = generator_fingerprint(args)
    if not args.regenerate and REPO.is_dir() and stamp.is_file():
        info = json.loads(stamp.read_text())
        if info.get("fingerprint") == fp:
            return info["counts"]
    import generate

    print(f"generating the synthetic repository in {REPO} …", file=sys.stderr)
    counts = generate.generate(REPO, args.judgments, args.meetings, args.measures, args.seed, git=True)
    rm(WORK / "frontmatter")
    stamp.write_text(json.dumps({"fingerprint": fp, "counts": counts}, indent=2))
    return counts


def record_files() -> list[tuple[str, Path]]:
    """(type, path) of every file validate checks."""
    out = [("settings", REPO / "hrcoord.yaml")]
    data = REPO / "data"
    for p in sorted(data.rglob("*")):
        if not p.is_file() or any(part.startswith(".") for part in p.relative_to(data).parts):
            continue
        parts = p.relative_to(data).parts
        if len(parts) == 1 and parts[0] in TYPE_OF_FILE:
            out.append((TYPE_OF_FILE[parts[0]], p))
        elif parts[0] in TYPE_OF_FOLDER and p.suffix in (".md", ".yaml"):
            out.append((TYPE_OF_FOLDER[parts[0]], p))
    return out


def extract_front_matter() -> dict[str, list[Path]]:
    """Front matter of every record as its own .yaml file (once, outside the timing)."""
    target = WORK / "frontmatter"
    done = target / ".done"
    groups: dict[str, list[Path]] = {}
    fm = re.compile(r"^---[ \t]*$", re.M)
    for type_, path in record_files():
        name = "__".join(path.relative_to(REPO).with_suffix(".yaml").parts)
        dest = target / type_ / name
        groups.setdefault(type_, []).append(dest)
        if done.exists():
            continue
        text = path.read_text("utf-8")
        if path.suffix == ".md":
            text = fm.split(text, 2)[1].lstrip("\n")
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, "utf-8")
    done.parent.mkdir(parents=True, exist_ok=True)
    done.touch()
    return groups


def ensure_check_jsonschema(notes: list[str], install: bool) -> bool:
    if CHECK_JSONSCHEMA.exists():
        return True
    if not install:
        notes.append("check-jsonschema missing (--no-install)")
        return False
    print("installing check-jsonschema into the venv (pip) …", file=sys.stderr)
    r = subprocess.run([PY, "-m", "pip", "install", "-q", "check-jsonschema"])
    if r.returncode != 0 or not CHECK_JSONSCHEMA.exists():
        notes.append("check-jsonschema could not be installed with pip")
        return False
    notes.append("installed check-jsonschema with pip")
    return True


def ensure_hugo(notes: list[str], install: bool) -> str | None:
    found = shutil.which("hugo")
    if found:
        return found
    if not install:
        notes.append("hugo missing (--no-install): hugo row skipped")
        return None
    if sys.platform != "linux" or not shutil.which("apt-get"):
        notes.append("hugo missing and no apt-get here: hugo row skipped (install the Debian package `hugo`)")
        return None
    sudo = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if sudo is None:
        notes.append("hugo missing and not root: hugo row skipped (run `apt-get install -y hugo`)")
        return None
    print("hugo is missing: installing the Debian package with `apt-get install -y hugo` …", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    cmd = [*sudo, "apt-get", "install", "-y", "-q", "hugo"]
    ok = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL).returncode == 0
    if not ok:  # the package lists may be missing or stale
        subprocess.run([*sudo, "apt-get", "update", "-q"], env=env, stdout=subprocess.DEVNULL)
        ok = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL).returncode == 0
    found = shutil.which("hugo")
    if not ok or not found:
        notes.append("hugo could not be installed with apt-get: hugo row skipped")
        return None
    notes.append("installed hugo with `apt-get install -y hugo` (Debian package)")
    return found


def publishable(fm_text: str) -> bool:
    return (bool(re.search(r"^status: published$", fm_text, re.M))
            and not re.search(r"^access: internal$", fm_text, re.M))


def prepare_hugo_site() -> tuple[Path, int]:
    """The same Markdown summaries in a Hugo content folder; those hrcoord would not publish
    (not `published`, or `internal`) are marked `draft: true`, so Hugo reads all and renders the
    same set. Returns the site folder and the number of pages both render."""
    site = WORK / "hugo-site"
    rm(site)
    shutil.copytree(HERE / "hugo", site)
    content = site / "content" / "judgments"
    content.mkdir(parents=True)
    (content / "_index.md").write_text("---\ntitle: Rettspraksis\n---\n", "utf-8")
    pages = 0
    for year in sorted((REPO / "data" / "judgments").iterdir()):
        if not year.is_dir():
            continue
        (content / year.name).mkdir()
        (content / year.name / "_index.md").write_text(f"---\ntitle: '{year.name}'\n---\n", "utf-8")
        for f in sorted(year.glob("*.md")):
            text = f.read_text("utf-8")
            head = text.split("\n---", 1)[0]
            if publishable(head):
                pages += 1
            else:
                text = "---\ndraft: true\n" + text[4:]
            (content / year.name / f.name).write_text(text, "utf-8")
    return site, pages


class Changer:
    """Change one published summary's text (and re-stamp its review, as `judgment review` would),
    alternating between two versions; restore the original at the end."""

    def __init__(self, repo: Path = REPO):
        from hrcoord.core.models.judgment import digest, part_digests  # noqa: F401

        files = sorted((repo / "data" / "judgments").rglob("*.md"))
        self.path = next(f for f in files if publishable(f.read_text("utf-8").split("\n---", 1)[0]))
        self.original = self.path.read_bytes()
        self.n = 0

    def change(self) -> None:
        from hrcoord.core.fmt import render_record
        from hrcoord.core.loader import load_text
        from hrcoord.core.models import MODELS
        from hrcoord.core.models.judgment import digest, part_digests

        self.n += 1
        text = self.original.decode("utf-8")
        loaded = load_text(text, "x.md", markdown=True)
        data, body = dict(loaded.data), loaded.source.body
        body = body.rstrip("\n") + f"\n\nOppdatert i benchmarkkjøring {self.n}.\n"
        review = dict(data["review"])
        review["digest"] = digest(data, body)
        review["parts"] = part_digests(data, body)
        data["review"] = review
        self.path.write_text(render_record(MODELS["judgment"], data, None, body), "utf-8")

    def restore(self) -> None:
        self.path.write_bytes(self.original)


def versions(hugo: str | None, have_cjs: bool) -> dict:
    out = {"hrcoord": tail(run([HRCOORD, "--version"]).out, 1)}
    if hugo:
        out["hugo"] = tail(subprocess.run([hugo, "version"], capture_output=True, text=True).stdout, 1)
    if have_cjs:
        out["check-jsonschema"] = tail(run([CHECK_JSONSCHEMA, "--version"]).out, 1)
    return out


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    mem = ""
    try:
        total = next(ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal"))
        kb = int(total.split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": mem, "python": platform.python_version(),
            "os": platform.platform(), "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M")}


# --- the search: index size and the bytes of one search (Chromium) -----------------------------

QUERIES = ["utvisning", "familielivet barn", "tortur"]


def index_mb(site: Path) -> float | None:
    folders = [d for d in site.iterdir() if d.is_dir() and d.name.startswith("pagefind")] if site.is_dir() else []
    if not folders:
        return None
    return sum(f.stat().st_size for d in folders for f in d.rglob("*") if f.is_file()) / 1e6


def search_bytes(site: Path, notes: list[str], label: str) -> dict | None:
    """Bytes one search fetches, in Chromium (bench/search_bytes.py); None without a browser."""
    if not any(shutil.which(b) for b in ("chromium", "chromium-browser")):
        notes.append(f"{label}: Chromium is missing: bytes per search not measured (apt-get install chromium)")
        return None
    try:
        import search_bytes as sb

        found = sb.measure(site, QUERIES)
    except Exception as exc:
        notes.append(f"{label}: bytes per search not measured: {type(exc).__name__}: {exc}"[:300])
        return None
    sizes = [q["bytes"] for q in found["searches"]]
    notes.append(f"{label}: search bytes per query " + ", ".join(
        f"{q['query']!r} {q['bytes'] / 1e3:.0f} kB in {q['requests']} requests ({q['hits']} shown)"
        for q in found["searches"]) + f"; opening the index page {found['page'] / 1e6:.2f} MB")
    return {"median": statistics.median(sizes), "max": max(sizes), "page": found["page"]}


def big_repository(n: int, notes: list[str], mix: str = "standard") -> tuple[Path, dict]:
    """A further repository (n summaries, n/25 meetings, n/10 measures, of the generator's `mix`),
    generated once."""
    name = f"{n}" if mix == "standard" else f"{mix}-{n}"
    repo = WORK / f"repo-{name}"
    stamp = WORK / f"generated-{name}.json"
    h = hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()[:16]
    if repo.is_dir() and stamp.is_file() and json.loads(stamp.read_text()).get("generator") == h:
        return repo, json.loads(stamp.read_text())["counts"]
    import generate

    print(f"generating {n} summaries ({mix} mix) in {repo} (once) …", file=sys.stderr)
    counts = generate.generate(repo, n, n // 25, n // 10, 7, git=False, mix=mix)
    stamp.write_text(json.dumps({"generator": h, "counts": counts}, indent=2))
    notes.append(f"generated {repo.name} (no git history: the feed comes from the records' dates)")
    return repo, counts


def validate_rows(repo: Path, reps: int, samples: dict, prefix: str) -> None:
    """validate cold beside the floor loop, back to back, then warm."""
    for _ in range(reps):
        samples.setdefault(f"{prefix}floor", []).append(run([PY, "-c", FLOOR, repo]))
        rm(repo / ".hrcoord" / "cache")
        samples.setdefault(f"{prefix}validate-cold", []).append(run(hr("validate", repo=repo)))
    run(hr("validate", repo=repo))
    for _ in range(reps):
        samples.setdefault(f"{prefix}validate-warm", []).append(run(hr("validate", repo=repo)))


def publish_rows(repo: Path, out: Path, reps: int, samples: dict, notes: list[str], prefix: str,
                 label: str) -> bool:
    """publish cold (the site and `.hrcoord` deleted), then again after one summary changed,
    `reps` times each; False when publish failed."""
    print(f"{label}: publish cold ({reps}×) …", file=sys.stderr)
    for _ in range(reps):
        rm(out)
        rm(repo / ".hrcoord")
        p = run(hr("publish", "--out", out, repo=repo))
        samples.setdefault(f"{prefix}publish-cold", []).append(p)
        if p.code != 0:
            notes.append(f"{label}: publish failed (exit {p.code}): {tail(p.out + p.err, 3)}")
            return False
    print(f"{label}: publish after one change ({reps}×) …", file=sys.stderr)
    changer = Changer(repo)
    try:
        for _ in range(reps):
            changer.change()
            p = run(hr("publish", "--out", out, repo=repo))
            samples.setdefault(f"{prefix}publish-incremental", []).append(p)
            if p.code != 0:
                notes.append(f"{label}: incremental publish failed (exit {p.code}): {tail(p.out + p.err, 3)}")
                break
    finally:
        changer.restore()
    return True


def mix_rows(mix: str, n: int, reps: int, samples: dict, notes: list[str]) -> dict:
    """Every row but the baselines' on a repository of another shape (bench/generate.py --mix)."""
    repo, counts = big_repository(n, notes, mix)
    print(f"{mix} mix, {n} summaries: validate cold and warm ({reps}×) …", file=sys.stderr)
    validate_rows(repo, reps, samples, "mix-")
    out = WORK / f"portal-{mix}-{n}"
    if not publish_rows(repo, out, reps, samples, notes, "mix-", f"{mix} mix"):
        return {"counts": counts}
    days = everyday_rows(repo, reps, samples, notes, prefix="mix-")
    pages = sum(1 for _ in (out / "summaries").glob("*.html")) if out.is_dir() else 0
    return {"counts": counts, "pages": pages, "days": days}


def big_rows(n: int, reps: int, samples: dict, notes: list[str]) -> dict:
    """validate, publish cold and after one change on the large repository; index size; bytes per
    search; the everyday commands."""
    repo, counts = big_repository(n, notes)
    print(f"{n} summaries: validate cold and warm ({reps}×) …", file=sys.stderr)
    validate_rows(repo, reps, samples, "big-")
    out = WORK / f"portal-{n}"
    if not publish_rows(repo, out, reps, samples, notes, "big-", f"{n}"):
        return {"counts": counts}
    print(f"{n} summaries: everyday commands, warm …", file=sys.stderr)
    days = everyday_rows(repo, reps, samples, notes, prefix="big-")
    pages = sum(1 for _ in (out / "summaries").glob("*.html")) if out.is_dir() else 0
    indexes = sum(1 for d in out.iterdir() if d.name.startswith("pagefind")) if out.is_dir() else 0
    return {"counts": counts, "pages": pages, "indexes": indexes, "index_mb": index_mb(out),
            "search": search_bytes(out, notes, f"{n}"), "days": days}


# --- the everyday commands (issue 17): warm, answered from the derived index ---------------------

def everyday(repo: Path) -> list[tuple[str, list]]:
    """(row name, command) for every everyday question, on any generated repository: a summary
    id, a network and a plan are taken from its files."""
    files = sorted((repo / "data" / "judgments").rglob("*.md"))
    middle = files[len(files) // 2]
    net = sorted((repo / "data" / "networks").glob("*.yaml"))[0].stem
    meeting = sorted((repo / "data" / "meetings" / net).glob("*.md"))[-1].stem
    years = sorted(p.name for p in (repo / "data" / "judgments").iterdir() if p.is_dir())
    return [
        ("status", hr("status", "--today", "2026-12-01", repo=repo)),
        ("judgment list --article 'ECHR 8' --since", hr("judgment", "list", "--article", "ECHR 8", "--since",
                                                        f"{years[-1]}-01-01", repo=repo)),
        ("judgment list --text (two words)", hr("judgment", "list", "--text", "familieliv utvisning", repo=repo)),
        ("judgment list --relevance --status, json", hr("judgment", "list", "--relevance", "asylum", "--status",
                                                       "published", "--format", "json", repo=repo)),
        ("judgment show", hr("judgment", "show", middle.stem, repo=repo)),
        ("judgment digest --since", hr("judgment", "digest", "--since", "2026-10-01", "--today", "2026-12-01",
                                       repo=repo)),
        ("meeting agenda", hr("meeting", "agenda", "--network", net, "--meeting", meeting, repo=repo)),
        ("report quarterly", hr("report", "quarterly", "--quarter", "2026-Q3", "--today", "2026-12-01", repo=repo)),
        ("measure list", hr("measure", "list", repo=repo)),
    ]


def everyday_rows(repo: Path, reps: int, samples: dict, notes: list[str], prefix: str = "") -> list[str]:
    """Each everyday command once to warm its caches and the index, then `reps` times."""
    names = []
    for name, cmd in everyday(repo):
        key = f"{prefix}day:{name}"
        warm = run(cmd)
        if warm.code != 0:
            notes.append(f"{prefix}{name}: exit {warm.code}: {tail(warm.out + warm.err, 2)}")
        for _ in range(reps):
            samples.setdefault(key, []).append(run(cmd))
        names.append(name)
    return names


# --- the benchmark ------------------------------------------------------------------------------


def fmt_s(v: float | None) -> str:
    return "—" if v is None else (f"{v:.3f} s" if v < 10 else f"{v:.1f} s")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="hrcoord benchmark (SPEC §6): medians and ratios side by side.")
    ap.add_argument("--reps", type=int, default=None, help="repetitions per row (default 5)")
    ap.add_argument("--quick", action="store_true", help="3 repetitions")
    ap.add_argument("--regenerate", action="store_true", help="generate the synthetic repository again")
    ap.add_argument("--judgments", type=int, default=10_000, help="summaries to generate (default 10000)")
    ap.add_argument("--meetings", type=int, default=400, help="meetings to generate (default 400)")
    ap.add_argument("--measures", type=int, default=1_000, help="measures to generate (default 1000)")
    ap.add_argument("--seed", type=int, default=7, help="generator seed (default 7)")
    ap.add_argument("--no-install", action="store_true", help="do not install check-jsonschema or hugo")
    ap.add_argument("--big", type=int, default=100_000, help="summaries in the large repository (default 100000)")
    ap.add_argument("--big-reps", type=int, default=1, help="repetitions of the large rows (default 1: minutes each)")
    ap.add_argument("--no-big", action="store_true", help="skip the large repository's rows")
    ap.add_argument("--mix", default="varied", help="the second shape of summaries (bench/generate.py --mix; "
                                                     "default varied: 2-20 KB, half published, dense links)")
    ap.add_argument("--no-mix", action="store_true", help="skip the second shape's rows")
    args = ap.parse_args(argv)
    reps = args.reps or (3 if args.quick else 5)
    WORK.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    if not HRCOORD.exists():
        print(f"bench: {HRCOORD} not found; run `make install` first", file=sys.stderr)
        return 2

    subprocess.run([str(PY), "-m", "compileall", "-q", str(ROOT / "hrcoord")], env=MEASURED_ENV, check=False,
                   stdout=subprocess.DEVNULL)
    counts = ensure_repository(args, notes)
    have_cjs = ensure_check_jsonschema(notes, not args.no_install)
    hugo = ensure_hugo(notes, not args.no_install)
    groups = extract_front_matter() if have_cjs else {}
    schemas = WORK / "schemas"
    rm(schemas)
    s = run(hr("schema", "--out", schemas))
    if s.code != 0:
        notes.append(f"`hrcoord schema` failed: {tail(s.err)}")
        have_cjs = False
    cache_dir = REPO / ".hrcoord" / "cache"
    samples: dict[str, list[Sample]] = {}
    failed: set[str] = set()  # rows whose command failed before they could be measured

    def add(key: str, sample: Sample) -> Sample:
        samples.setdefault(key, []).append(sample)
        return sample

    # 1-2. validate cold, floor and check-jsonschema, interleaved ------------------------------
    print(f"validate cold vs floor vs check-jsonschema, {reps} repetitions …", file=sys.stderr)
    validate_output = None
    for i in range(reps):
        add("floor", run([PY, "-c", FLOOR, REPO]))
        if have_cjs:
            total, peak, bad = 0.0, 0, []
            for type_, files in sorted(groups.items()):
                schema = schemas / f"{type_}.schema.json"
                for batch in batches(files):
                    r = run([CHECK_JSONSCHEMA, "--schemafile", schema, *batch])
                    total += r.seconds
                    peak = max(peak, r.maxrss_kb)
                    if r.code != 0:
                        bad.append(f"{type_}: {tail(r.out + r.err, 3)}")
            add("check-jsonschema", Sample(total, peak, 1 if bad else 0, "", "\n".join(bad)))
            if bad and i == 0:
                notes.append("check-jsonschema reported failures: " + "; ".join(bad)[:400])
        rm(cache_dir)
        v = add("validate-cold", run(hr("validate")))
        if i == 0:
            validate_output = tail(v.out + v.err, 1)
            if v.code != 0:
                notes.append(f"the synthetic repository does not validate clean (exit {v.code}): "
                             f"{tail(v.out + v.err, 4)}")

    # 3. validate warm ------------------------------------------------------------------------
    print("validate warm …", file=sys.stderr)
    run(hr("validate"))
    for _ in range(reps):
        add("validate-warm", run(hr("validate")))

    # 4-5. publish cold vs hugo; publish after one change ---------------------------------------
    have_publish = command_exists("publish")
    site, pages = (None, 0)
    if hugo:
        site, pages = prepare_hugo_site()
    if not have_publish:
        notes.append("`hrcoord publish` is not available in this checkout: publish rows not measured")
    if have_publish or hugo:
        print("publish cold vs hugo …", file=sys.stderr)
    pub_out = WORK / "portal"
    hugo_out = WORK / "hugo-public"
    for _ in range(reps):
        if hugo:
            rm(hugo_out)
            rm(site / "resources")
            h = add("hugo", run([hugo, "--quiet", "--source", site, "--destination", hugo_out]))
            if h.code != 0:
                notes.append(f"hugo failed: {tail(h.err, 3)}")
                hugo = None
        if have_publish:
            rm(pub_out)
            rm(REPO / ".hrcoord")
            p = add("publish-cold", run(hr("publish", "--out", pub_out)))
            if p.code != 0:
                notes.append(f"`hrcoord publish` failed (exit {p.code}): {tail(p.out + p.err, 3)}")
                have_publish = False
                failed.add("publish-incremental")
    search_10k = None
    if have_publish:
        print("publish cold, validation cache warm (as after the pre-commit hook) …", file=sys.stderr)
        run(hr("validate"))
        for _ in range(reps):
            rm(pub_out)
            for state in (REPO / ".hrcoord" / "cache").glob("publish-*"):
                rm(state)
            add("publish-cold-warm-validate", run(hr("publish", "--out", pub_out)))
        search_10k = {"index_mb": index_mb(pub_out), "search": search_bytes(pub_out, notes, f"{pages} pages")}
    if have_publish:
        print("publish after one summary changed …", file=sys.stderr)
        changer = Changer()
        try:
            run(hr("publish", "--out", pub_out))
            for _ in range(reps):
                changer.change()
                p = add("publish-incremental", run(hr("publish", "--out", pub_out)))
                if p.code != 0:
                    notes.append(f"incremental publish failed (exit {p.code}): {tail(p.out + p.err, 3)}")
                    break
            marker = f"benchmarkkjøring {changer.n}."
            if changer.n and not any(marker in f.read_text("utf-8", "replace")
                                     for f in pub_out.rglob("*.html") if changer.path.stem in f.name or
                                     changer.path.stem in f.parent.name):
                notes.append("the incremental publish output does not contain the changed text: "
                             "its timing is not a real update")
        finally:
            changer.restore()
        notes.append(f"incremental publish: {changer.path.relative_to(REPO)} changed (text + review stamp)")

    # 6. start-up; report -----------------------------------------------------------------------
    print("start-up and report …", file=sys.stderr)
    for _ in range(max(reps, 5)):
        add("python", run([PY, "-c", "pass"]))
        add("help", run([HRCOORD, "--help"]))
    have_report = command_exists("report", "action-plan")
    if have_report:
        for _ in range(reps):
            r = add("report", run(hr("report", "action-plan", "--year", "2014")))
            if r.code != 0:
                notes.append(f"`report action-plan` failed (exit {r.code}): {tail(r.out + r.err, 3)}")
                break
    else:
        notes.append("`hrcoord report action-plan` is not available in this checkout: row not measured")

    print("everyday commands, warm …", file=sys.stderr)
    days = everyday_rows(REPO, reps, samples, notes)
    mixed = None if args.no_mix else mix_rows(args.mix, args.judgments, reps, samples, notes)
    big = None if args.no_big else big_rows(args.big, args.big_reps, samples, notes)

    # --- table ------------------------------------------------------------------------------
    rows = []

    def row(name, hkey, okey, target, kind, limit, note=""):
        h = median(samples.get(hkey, [])) if hkey else None
        o = median(samples.get(okey, [])) if okey else None
        ratio = h / o if h is not None and o else None
        # hrcoord and its baseline ran back to back in each repetition: the median of the per-
        # repetition ratios is steadier than the ratio of medians on a machine shared with others
        # (not strict: a side that failed stopped early, and a row may have no baseline)
        pairs = [a.seconds / b.seconds
                 for a, b in zip(samples.get(hkey or "", []), samples.get(okey or "", []), strict=False)
                 if b.seconds]
        paired = statistics.median(pairs) if pairs else None
        if h is None:
            verdict = "n/a"
        elif kind == "ratio":
            verdict = "pass" if ratio is not None and ratio <= limit else ("n/a" if ratio is None else "FAIL")
        elif kind == "abs":
            verdict = "pass" if h < limit else "FAIL"
        else:
            verdict = "info"
        if any(s.code != 0 for s in samples.get(hkey or "", [])):
            verdict += " (errors)"
        rows.append({"row": name, "hrcoord": h, "other": o, "ratio": ratio, "paired_ratio": paired,
                     "target": target, "verdict": verdict,
                     "note": note, "failed": hkey in failed})

    # targets: SPEC §6
    row("validate cold vs libyaml loop (floor)", "validate-cold", "floor", "ratio ≤ 1.0", "ratio", 1.0)
    row("validate cold vs check-jsonschema", "validate-cold", "check-jsonschema" if have_cjs else None,
        "ratio < 1", "ratio", 0.999999)
    row("validate warm (nothing changed)", "validate-warm", None, "< 0.2 s", "abs", 0.2)
    row(f"publish cold vs hugo ({pages} pages)" if samples.get("hugo") else "publish cold vs hugo (hugo missing)",
        "publish-cold", "hugo", "ratio ≤ 0.7", "ratio", 0.7)
    row("publish cold, validation cache warm, vs hugo", "publish-cold-warm-validate", "hugo", "ratio ≤ 0.7", "ratio",
        0.7)
    row("publish again, one summary changed", "publish-incremental", None, "< 0.5 s", "abs", 0.5)
    row("hrcoord --help start-up (other: python -c pass)", "help", "python", "< 0.2 s", "abs", 0.2)
    row("report action-plan --year 2014", "report", None, "< 1 s", "abs", 1.0)

    for name in days:
        row(f"{name} (warm)", f"day:{name}", "python", "< 0.3 s", "abs", 0.3)
    def repository_rows(label: str, prefix: str, found: dict, pages: str, hugo_note: str, limits: dict) -> None:
        """The rows of a further repository (the second mix, the large one), against `limits`
        (warm validate, publish again, an everyday command: seconds)."""
        row(f"{label}: validate cold vs libyaml loop (floor)", f"{prefix}validate-cold", f"{prefix}floor",
            "ratio ≤ 1.0", "ratio", 1.0)
        row(f"{label}: validate warm", f"{prefix}validate-warm", None, f"< {limits['warm']} s", "abs", limits["warm"])
        row(f"{label}: publish cold ({pages})", f"{prefix}publish-cold", None, f"÷ hugo ≤ 0.7 ({hugo_note})", "info", 0)
        row(f"{label}: publish again, one summary changed", f"{prefix}publish-incremental", None,
            f"< {limits['again']} s", "abs", limits["again"])
        for name in found.get("days", []):
            row(f"{label}: {name} (warm)", f"{prefix}day:{name}", "python", f"< {limits['day']} s", "abs",
                limits["day"])

    if mixed is not None:
        repository_rows(f"{args.mix} mix, {args.judgments:,}", "mix-", mixed, f"{mixed.get('pages', 0)} pages",
                        "hugo: the standard mix", {"warm": 0.2, "again": 0.5, "day": 0.3})
    if big is not None:
        repository_rows(f"{args.big:,}", "big-", big,
                        f"{big.get('pages', 0)} pages, {big.get('indexes', 0)} search indexes", "hugo not run",
                        {"warm": 0.5, "again": 2, "day": 1})
    mem_rows = [("peak memory: validate cold (other: floor)", peak_mb(samples.get("validate-cold", [])),
                 peak_mb(samples.get("floor", []))),
                ("peak memory: validate warm", peak_mb(samples.get("validate-warm", [])), None),
                ("peak memory: publish cold (other: hugo)", peak_mb(samples.get("publish-cold", [])),
                 peak_mb(samples.get("hugo", []))),
                ("peak memory: publish incremental", peak_mb(samples.get("publish-incremental", [])), None)]
    mem_rows += [(f"peak memory: {name} (target < 100 MB)", peak_mb(samples.get(f"day:{name}", [])),
                  peak_mb(samples.get("python", []))) for name in days]
    if mixed is not None:
        mem_rows += [(f"{args.mix} mix: peak memory, validate cold (target < 150 MB)",
                      peak_mb(samples.get("mix-validate-cold", [])), peak_mb(samples.get("mix-floor", []))),
                     (f"{args.mix} mix: peak memory, publish cold (target < 500 MB)",
                      peak_mb(samples.get("mix-publish-cold", [])), None)]
        mem_rows += [(f"{args.mix} mix: peak memory: {name} (target < 100 MB)",
                      peak_mb(samples.get(f"mix-day:{name}", [])), None) for name in mixed.get("days", [])]
    if big is not None:
        mem_rows += [(f"{args.big:,}: peak memory, validate cold (target < 500 MB)",
                      peak_mb(samples.get("big-validate-cold", [])), peak_mb(samples.get("big-floor", [])))]
        mem_rows += [(f"{args.big:,}: peak memory: {name} (target < 150 MB)",
                      peak_mb(samples.get(f"big-day:{name}", [])), None) for name in big.get("days", [])]
        mem_rows += [(f"{args.big:,}: peak memory, publish cold (target < 1.5 GB)",
                      peak_mb(samples.get("big-publish-cold", [])), None),
                     (f"{args.big:,}: peak memory, publish again", peak_mb(samples.get("big-publish-incremental", [])),
                      None)]
    search_lines = []
    for label, found in ((f"{pages}", search_10k), (f"{args.big:,}", big)):
        if not found:
            continue
        size = found.get("index_mb")
        sb = found.get("search")
        kb = "—" if not sb else f"{sb['median'] / 1e3:.0f} kB (max {sb['max'] / 1e3:.0f} kB)"
        verdict = "n/a" if not sb else ("pass" if sb["max"] < 300_000 else "FAIL")
        search_lines.append(f"| {label} pages: bytes fetched for one search (Chromium) | {kb} | — | — | — | "
                            f"< 300 kB | {verdict} |")
        search_lines.append(f"| {label} pages: search index on disk | "
                            f"{'—' if size is None else f'{size:.0f} MB'} | — | — | — | — | info |")

    info = machine()
    info["versions"] = versions(hugo if samples.get("hugo") else None, have_cjs)
    header = (f"hrcoord benchmark — {counts.get('judgments')} summaries, {counts.get('meetings')} meetings, "
              f"{counts.get('measures')} measures, {counts.get('submissions')} submissions "
              f"({counts.get('bytes', 0) / 1e6:.1f} MB); median of {reps} runs")
    lines = [header, f"machine: {info['nproc']} × {info['cpu']}, {info['memory']}, Python {info['python']}, "
                     f"{info['date']}", "versions: " + ", ".join(info["versions"].values()), ""]
    lines.append("| row | hrcoord | other | ratio | paired ratio | target | result |")
    lines.append("| --- | ---: | ---: | ---: | ---: | --- | --- |")
    for r in rows:
        ratio = "—" if r["ratio"] is None else f"{r['ratio']:.2f}"
        paired = "—" if r["paired_ratio"] is None else f"{r['paired_ratio']:.2f}"
        if r["hrcoord"] is not None:
            result = r["verdict"]
        else:
            result = "failed (see notes)" if r["failed"] else "not available"
        lines.append(f"| {r['row']} | {fmt_s(r['hrcoord'])} | {fmt_s(r['other'])} | {ratio} | {paired} | {r['target']} "
                     f"| {result} |")
    lines += search_lines
    for name, h, o in mem_rows:
        hs = "—" if h is None else f"{h:.0f} MB"
        os_ = "—" if o is None else f"{o:.0f} MB"
        ratio = "—" if h is None or not o else f"{h / o:.2f}"
        lines.append(f"| {name} | {hs} | {os_} | {ratio} | — | — | info |")
    if validate_output:
        lines += ["", f"validate says: {validate_output}"]
    if notes:
        lines += [""] + [f"note: {n}" for n in notes]
    print("\n".join(lines))

    result = {
        "machine": info, "counts": counts, "reps": reps, "rows": rows,
        "memory_mb": {name: {"hrcoord": h, "other": o} for name, h, o in mem_rows},
        "samples": {k: [{"seconds": round(s.seconds, 4), "maxrss_kb": s.maxrss_kb, "exit": s.code} for s in v]
                    for k, v in samples.items()},
        "notes": notes, "validate_output": validate_output, "search": {"10k": search_10k, "big": big},
        "mix": mixed,
    }
    (WORK / "results.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
    (WORK / "results.md").write_text("\n".join(lines) + "\n", "utf-8")
    print(f"\nwrote {WORK / 'results.json'}", file=sys.stderr)
    return 0


def batches(files: list[Path]) -> list[list[Path]]:
    """Split an argument list so that each call stays well below the system's ARG_MAX."""
    try:
        budget = os.sysconf("SC_ARG_MAX") // 4
    except (ValueError, OSError, AttributeError):
        budget = 100_000
    out, cur, size = [], [], 0
    for f in files:
        n = len(str(f)) + 1
        if cur and size + n > budget:
            out.append(cur)
            cur, size = [], 0
        cur.append(f)
        size += n
    if cur:
        out.append(cur)
    return out


if __name__ == "__main__":
    sys.exit(main())
