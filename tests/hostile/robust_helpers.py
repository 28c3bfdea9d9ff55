"""Machinery of the hostile run (issue 19): a pristine repository under git, hostile shapes of every
record type, every command of the CLI found by walking the click tree with plausible arguments,
and a hash of a folder tree to prove that a failed command wrote nothing."""
from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import click
import typer
import yaml
from hypothesis import strategies as st

from conftest import ROOT, git
from hrcoord.core.fmt import Dumper
from hrcoord.core.loader import load_file
from hrcoord.core.models import MODELS, model_for

# --- a repository to run on ---------------------------------------------------------------------------


def make_pristine(dest: Path) -> Path:
    """The embedded repository, committed to git (so that changes and diff have a history)."""
    dest.mkdir(parents=True)
    shutil.copy(ROOT / "hrcoord.yaml", dest / "hrcoord.yaml")
    shutil.copytree(ROOT / "data", dest / "data")
    shutil.copytree(ROOT / "templates", dest / "templates")
    (dest / ".gitignore").write_text(".hrcoord/\n", encoding="utf-8")
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "start", date="2014-01-02")
    return dest


def clone_tree(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, symlinks=True)
    return dest


def restore(src: Path, dest: Path) -> Path:
    """Make `dest` hold what `src` holds again, touching only what differs (deleting a tree
    costs more than the commands run on it); `.hrcoord` is left as it is."""
    if not dest.exists():
        return clone_tree(src, dest)
    for here, dirs, files in os.walk(dest, topdown=True):
        rel = Path(here).relative_to(dest)
        dirs[:] = [d for d in dirs if not (rel == Path(".") and d == ".hrcoord")]
        for name in files + [d for d in dirs if os.path.islink(os.path.join(here, d))]:
            p, q = Path(here) / name, src / rel / name
            if not os.path.lexists(q) or os.path.islink(p) or os.path.islink(q) or q.is_dir():
                p.unlink()
        for d in list(dirs):
            if not (src / rel / d).is_dir():
                shutil.rmtree(Path(here) / d)
                dirs.remove(d)
    for here, _, files in os.walk(src):
        rel = Path(here).relative_to(src)
        (dest / rel).mkdir(exist_ok=True)
        for name in files:
            q, p = Path(here) / name, dest / rel / name
            data = q.read_bytes()
            if not p.exists() or p.read_bytes() != data:
                p.write_bytes(data)
    return dest


def tree_hash(*folders: Path, skip: tuple[str, ...] = (".hrcoord", "objects")) -> str:
    """One hash of every file's path, kind and bytes under `folders` (links by their target);
    `.hrcoord` (hrcoord's own git-ignored cache and lock) and git's immutable object store are
    left out."""
    h = hashlib.sha256()
    for folder in folders:
        if not os.path.lexists(folder):
            h.update(f"{folder}: absent\n".encode())
            continue
        if os.path.isfile(folder) and not os.path.islink(folder):
            h.update(Path(folder).read_bytes())
            continue
        _hash_folder(h, str(folder), "", skip)
    return h.hexdigest()


def _hash_folder(h, path: str, rel: str, skip: tuple[str, ...]) -> None:
    with os.scandir(path) as it:
        entries = sorted((e for e in it if not (e.name in skip and e.is_dir(follow_symlinks=False))),
                         key=lambda e: e.name)
    h.update(f"D {rel} {[e.name for e in entries]}\n".encode())
    for e in entries:
        name = f"{rel}/{e.name}"
        if e.is_symlink():
            h.update(f"L {name} -> {os.readlink(e.path)}\n".encode())
        elif e.is_dir():
            if e.name not in skip:
                _hash_folder(h, e.path, name, skip)
        else:
            with open(e.path, "rb") as fh:
                h.update(f"F {name} ".encode() + hashlib.sha256(fh.read()).digest())


# --- hostile values and records ------------------------------------------------------------------------

HOSTILE_VALUES = [
    None, "", " ", "x\n", "a\nb", "a\r\nb", "bell\x07", "nul-ish\x1b[31m", "line\u2028sep", "\u202eevil",
    "x@udi.example\n", "javascript:alert(1)", "<script>alert(1)</script>", "=HYPERLINK(\"x\")",
    "9999-12-31", "0001-01-01", "28.06.2011", "2014-02-30", "25:99", "10:00", "NO", "-1",
    0, -1, 1, 10**20, 3.5, float("inf"), True, False,
    [], [None], [{}], ["a", ["nested", ["deeper"]]], [1, 2, 3], ["dup", "dup"],
    {}, {"a": 1}, {"x": {"y": [1, {"z": None}]}}, {1: 2},
    "a" * 20_000,
]
HUGE_LIST = ["item"] * 5000


def hostile_values():
    return st.one_of(st.sampled_from(HOSTILE_VALUES), st.just(HUGE_LIST),
                     st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))


def dump_record(data: dict, body: str | None) -> str:
    """A record's text: YAML, with its Markdown body after front matter when it has one."""
    text = yaml.dump(data, Dumper=Dumper, default_flow_style=False, sort_keys=False, allow_unicode=True,
                     width=100000) if data else ""
    return text if body is None else f"---\n{text}---\n{body}"


def record_files(repo: Path) -> list[tuple[str, Path]]:
    """(type, path) of every record file, the settings included."""
    out = [("settings", repo / "hrcoord.yaml")]
    for path in sorted((repo / "data").rglob("*")):
        if path.is_file() and not path.is_symlink():
            model = model_for(path.relative_to(repo / "data").parts)
            if model is not None:
                out.append((model.type, path))
    return out


def field_paths(type_: str) -> list[tuple]:
    """Where a hostile value can go: every field, and the fields of list items and maps."""
    from hrcoord.core.models import SETTINGS_MODEL

    model = SETTINGS_MODEL if type_ == "settings" else MODELS[type_]
    paths: list[tuple] = []
    for f in model.fields:
        paths.append((f.name,))
        sub = f.fields or (f.items.fields if f.items is not None else None)
        for s in sub or []:
            paths.append((f.name, 0, s.name) if f.kind == "list" else (f.name, s.name))
    return paths


def set_path(data: dict, path: tuple, value, delete: bool) -> dict:
    """`data` with the value at `path` replaced (or deleted), making the containers on the way."""
    if len(path) == 1:
        if delete:
            data.pop(path[0], None)
        else:
            data[path[0]] = value
        return data
    head, rest = path[0], path[1:]
    inner = data.get(head)
    if isinstance(rest[0], int):
        if not isinstance(inner, list) or not inner:
            inner = [{}]
        if not isinstance(inner[0], dict):
            inner[0] = {}
        set_path(inner[0], rest[1:], value, delete)
    else:
        if not isinstance(inner, dict):
            inner = {}
        set_path(inner, rest, value, delete)
    data[head] = inner
    return data


@dataclass
class Mutation:
    kind: str  # field | delete | whole | link-file | link-folder | link-cache | link-lock | link-template
    target: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.kind} {self.target} {self.detail}".strip()


WHOLE_FILES = ["", "- a\n- b\n", "just text\n", "a: [unclosed\n", "a: 1\na: 2\n", "x: &a 1\ny: *a\n",
               "t: !!python/object:os.system x\n", "title: Nunez v. Norway: a note\n", "\ufeffa: 1\r\n"]


def mutate(data, repo: Path, outside: Path) -> Mutation:
    """Apply one hostile change to the repository (drawn from `data`, hypothesis's st.data())."""
    kind = data.draw(st.sampled_from(["field"] * 8 + ["delete"] * 2 + ["whole", "binary", "link-file",
                                      "link-folder", "link-cache", "link-lock", "link-template"]))
    files = record_files(repo)
    type_, path = data.draw(st.sampled_from(files), label="file")
    rel = path.relative_to(repo).as_posix()
    if kind in ("field", "delete"):
        fp = data.draw(st.sampled_from(field_paths(type_)), label="field")
        loaded = load_file(path, rel, markdown=type_ != "settings" and MODELS[type_].markdown)
        if not isinstance(loaded.data, dict):
            return Mutation("none", rel)
        value = None if kind == "delete" else data.draw(hostile_values(), label="value")
        new = set_path(loaded.data, fp, value, kind == "delete")
        body = loaded.source.body if loaded.source is not None else None
        path.write_text(dump_record(new, body), encoding="utf-8")
        return Mutation(kind, rel, f"{fp} = {value!r:.60}")
    if kind == "whole":
        text = data.draw(st.sampled_from(WHOLE_FILES))
        path.write_text(text if not rel.endswith(".md") else f"---\n{text}---\n", encoding="utf-8")
        return Mutation(kind, rel, repr(text))
    if kind == "binary":
        path.write_bytes(data.draw(st.sampled_from([b"\x00\x01", b"title: \xff\xfe\n", b"a" * (1024 * 1024 + 1)])))
        return Mutation(kind, rel)
    return _link(kind, repo, path, rel, outside)


def _remove(path: Path) -> None:
    if os.path.islink(path) or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def _link(kind: str, repo: Path, path: Path, rel: str, outside: Path) -> Mutation:
    """Links a cloned repository could carry, each pointing at a file or folder outside it."""
    if kind == "link-file" and path.name != "hrcoord.yaml":
        victim = outside / f"victim-{path.name}"
        victim.write_bytes(path.read_bytes())
        path.unlink()
        path.symlink_to(victim)
        return Mutation(kind, rel)
    if kind in ("link-file", "link-folder"):
        folder = path.parent if path.parent != repo else repo / "data" / "judgments"
        victim = outside / f"folder-{folder.name}"
        if os.path.islink(folder) or not folder.is_dir():
            return Mutation("none", rel)
        if not victim.exists():
            shutil.copytree(folder, victim, symlinks=True)
        shutil.rmtree(folder)
        folder.symlink_to(victim, target_is_directory=True)
        return Mutation("link-folder", folder.relative_to(repo).as_posix())
    if kind == "link-cache":
        (repo / ".hrcoord").mkdir(exist_ok=True)
        _remove(repo / ".hrcoord" / "cache")
        (outside / "cache").mkdir(exist_ok=True)
        (repo / ".hrcoord" / "cache").symlink_to(outside / "cache", target_is_directory=True)
        return Mutation(kind, ".hrcoord/cache")
    if kind == "link-lock":
        (repo / ".hrcoord").mkdir(exist_ok=True)
        victim = outside / "precious.txt"
        victim.write_text("the user's own file\n", encoding="utf-8")
        lock = repo / ".hrcoord" / "lock"
        if os.path.lexists(lock):
            lock.unlink()
        lock.symlink_to(victim)
        return Mutation(kind, ".hrcoord/lock")
    victim = outside / "shadow"
    victim.write_text("root:$6$secret:19000:0:99999:7:::\n", encoding="utf-8")
    target = repo / "templates" / "portal" / "footer.html.j2"
    target.parent.mkdir(parents=True, exist_ok=True)
    if os.path.lexists(target):
        target.unlink()
    target.symlink_to(victim)
    return Mutation("link-template", "templates/portal/footer.html.j2")


OUT = "{out}"
# a run of every writing command that succeeds on the embedded repository
WRITERS: dict[str, list[str]] = {
    "fmt": ["fmt"],
    "judgment add": ["judgment", "add", "--title", "Üner v. the Netherlands", "--body", "ECtHR", "--doc-type",
                     "judgment", "--formation", "Grand Chamber", "--reference", "46410/99", "--date", "2006-10-18",
                     "--respondent", "NL", "--article", "ECHR 8", "--outcome", "no-violation", "--relevance",
                     "expulsion"],
    "judgment status": ["judgment", "status", "kaplan-and-others-v-norway-2014", "draft"],
    "judgment review": ["judgment", "review", "jeunesse-v-the-netherlands-2014", "--by", "Seniorrådgiver"],
    "meeting new": ["meeting", "new", "--network", "trafficking", "--date", "2015-03-10"],
    "meeting submit": ["meeting", "submit", "--network", "trafficking", "--department", "ASA", "--title", "Ny sak"],
    "meeting accept": ["meeting", "accept", "trafficking/2014-11-28-rma-opplaering-mottaksansatte"],
    "meeting reject": ["meeting", "reject", "trafficking/2014-11-28-rma-opplaering-mottaksansatte", "--reason",
                       "Tatt opp i et annet forum."],
    "meeting agenda": ["meeting", "agenda", "--network", "trafficking", "--write", "--rebuild", "--out",
                       f"{OUT}/agenda.md"],
    "meeting notice": ["meeting", "notice", "--network", "trafficking", "--ics", f"{OUT}/inv.ics", "--out",
                       f"{OUT}/notice.md"],
    "meeting plan": ["meeting", "plan", "--network", "fgm", "--year", "2015", "--write"],
    "measure add": ["measure", "add", "--plan", "trafficking-2011-2014", "--number", "Tiltak 99", "--title", "Nytt",
                    "--role", "lead", "--department", "ASA"],
    "measure update": ["measure", "update", "trafficking-2011-2014/tiltak-5", "--status", "in-progress"],
    "hearing add": ["hearing", "add", "--sender", "JD", "--title", "Høring om noe", "--received", "2014-06-01",
                    "--deadline", "2014-09-01", "--responsible", "ASA"],
    "hearing status": ["hearing", "status", "2014-jd-lengevaerende-barn", "in-progress"],
    "publish": ["publish", "--out", f"{OUT}/site"],
    "judgment import": ["judgment", "import", str(ROOT / "tests/fixtures/saadi-v-italy.csv")],
    "meeting attend": ["meeting", "attend", "--network", "trafficking", "--meeting", "2014-12-09", "--all",
                       "--referent", "Koordinator for internasjonale menneskerettigheter"],
    "meeting note": ["meeting", "note", "--network", "trafficking", "--meeting", "2014-10-21", "--item", "31/14",
                     "--text", "Godkjent uten merknader.", "--decision", "Referatet godkjennes."],
    "meeting followup add": ["meeting", "followup", "add", "--network", "trafficking", "--meeting", "2014-10-21",
                             "--text", "ASA sender notatet til nettverket.", "--owner", "ASA", "--due", "2015-01-31"],
    "meeting followup done": ["meeting", "followup", "done", "1", "--network", "trafficking", "--meeting",
                              "2014-10-21", "--date", "2014-12-09"],
    "meeting followup reopen": ["meeting", "followup", "reopen", "1", "--network", "trafficking", "--meeting",
                                "2014-09-16"],
    "meeting held": ["meeting", "held", "--network", "trafficking", "--meeting", "2014-12-09"],
    "meeting move": ["meeting", "move", "--network", "trafficking", "--meeting", "2014-12-09", "--to", "2014-12-16"],
    "meeting cancel": ["meeting", "cancel", "--network", "trafficking", "--meeting", "2014-12-09", "--reason",
                       "For få kan delta.", "--eml", f"{OUT}/avlysning.eml"],
    "network add": ["network", "add", "child-protection", "--name-nb", "Nettverk for barns rettigheter",
                    "--name-en", "Network on children's rights", "--field", "trafficking", "--chair",
                    "Koordinator for internasjonale menneskerettigheter"],
    "network member add": ["network", "member", "add", "--network", "trafficking", "--name",
                           "Rådgiver, Asylavdelingen", "--department", "ASA"],
    "network member update": ["network", "member", "update", "--network", "trafficking",
                              "Seniorrådgiver, Dublinenheten, Asylavdelingen", "--role", "observer"],
    "network member remove": ["network", "member", "remove", "--network", "human-rights",
                              "Seniorrådgiver, utvisning, Oppholdsavdelingen"],
    "plan add": ["plan", "add", "--id", "menneskehandel-2017-2020", "--title-nb", "Handlingsplan mot menneskehandel",
                 "--ministry", "Justis- og beredskapsdepartementet", "--from", "2017", "--to", "2020", "--network",
                 "trafficking"],
}
# Writers that cannot run here as a real write, and why (each is covered through another entry).
EXEMPT = {
    "judgment fetch": "asks HUDOC or EUR-Lex online (no network in tests); it writes through judgment import's "
                      "writer, covered above (and tests/test_import.py runs it against a local server)",
}


# --- every command, with plausible arguments ------------------------------------------------------------


def all_commands() -> list[tuple[tuple[str, ...], click.Command]]:
    """Every leaf command of the CLI, found by walking the click tree (a new one is covered
    without a change here)."""
    from hrcoord.cli.main import app

    out: list = []

    def walk(cmd: click.Command, path: tuple[str, ...]) -> None:
        if isinstance(cmd, click.Group):
            ctx = click.Context(cmd)
            for name in cmd.list_commands(ctx):
                sub = cmd.get_command(ctx, name)
                if sub is not None and not sub.hidden:
                    walk(sub, (*path, name))
        else:
            out.append((path, cmd))

    walk(typer.main.get_command(app), ())
    return out


@dataclass
class Known:
    """What the repository holds, for plausible arguments."""

    networks: list[str]
    meetings: list[str]
    judgments: list[str]
    measures: list[str]
    hearings: list[str]
    submissions: list[str]
    plans: list[str]
    files: list[str]

    @classmethod
    def of(cls, repo: Path) -> Known:
        d = repo / "data"

        def stems(folder: str, pattern: str) -> list[str]:
            return sorted(p.stem for p in (d / folder).glob(pattern))

        return cls(stems("networks", "*.yaml"), stems("meetings", "*/*.md"), stems("judgments", "*/*.md"),
                   sorted(f"{p.parent.name}/{p.stem}" for p in (d / "measures").glob("*/*.yaml")),
                   stems("hearings", "*.yaml"),
                   sorted(f"{p.parent.name}/{p.stem}" for p in (d / "submissions").glob("*/*.yaml")),
                   stems("action-plans", "*.yaml"),
                   sorted(p.relative_to(repo).as_posix() for p in d.rglob("*.*")))


DATES = ["2014-06-01", "2014-11-24", "2014-12-09", "2011-06-28", "2015-03-10", "2013-01-01"]
BAD_DATES = ["28.06.2011", "2014-02-30", "9999-12-31", "0001-01-01", "x", ""]
TEXTS = ["Ny sak om identifisering", "ÆØÅ – en tekst", "Rådgiver"]
BAD_TEXTS = ["x\ny", "a\x07b", "", " ", "title: with: colon", "'q\"", "<script>alert(1)</script>",
             "=HYPERLINK(\"x\")", "ring 22 33 44 55", "a" * 3000, "x\u2028y"]
HOSTILE_IDS = ["nope", "../../etc/passwd", "", "UPPER", "a/b/c", "x\n"]


def _values(name: str, param: click.Parameter, known: Known, out_dir: Path) -> tuple[list, list]:
    """Plausible values for one parameter, by its name, and hostile ones."""
    if isinstance(param.type, click.Choice):
        return list(param.type.choices), ["not-a-choice"]
    table: dict[str, tuple[list, list]] = {
        "network": (known.networks, ["nope", "../x"]), "slug": (known.networks, ["nope"]),
        "meeting": (known.meetings, BAD_DATES), "id": (known.judgments, HOSTILE_IDS),
        "replaced_by": (known.judgments, ["nope"]), "related": (known.judgments, ["nope", "x:later-stage"]),
        "measure": (known.measures + [m.split("/")[1] for m in known.measures], HOSTILE_IDS),
        "hearing": (known.hearings, HOSTILE_IDS), "submission": (known.submissions, HOSTILE_IDS),
        "plan": (known.plans, ["nope"]), "mid": (["tiltak-99"], ["x y"]), "hid": (["2014-ny-horing"], ["X"]),
        "year": ([2014, 2015, 2013], [0, -1, 10**20, 9999]),
        "quarter": (["2014-Q2", "2014Q4", "2013-Q1"], ["0000-Q1", "9999-Q4", "2014-Q5"]),
        "status": (["in-review", "approved", "published", "withdrawn", "proposed", "accepted", "draft"], ["bogus"]),
        "department": (["ASA", "OPA", "RMA"], ["XX"]), "responsible": (["ASA", "OPA"], ["XX"]),
        "body": (["ECtHR", "CJEU", "CCPR"], ["XX"]), "doc_type": (["judgment", "views"], ["x"]),
        "formation": (["Chamber", "Grand Chamber"], ["x"]), "reference": (["55597/09", "12345/10"], ["x"]),
        "respondent": (["NO", "NOR"], ["XX"]), "article": (["ECHR 8", "ECHR 3"], ["ECHR 99"]),
        "outcome": (["violation", "no-violation"], ["x"]), "relevance": (["expulsion", "trafficking"], ["x"]),
        "keyword": ([], ["x"]), "convention": (["ECHR"], ["x"]), "access": (["public", "internal"], ["Internal"]),
        "source_url": (["https://hudoc.echr.coe.int/x"], ["javascript:x"]),
        "url": (["https://www.regjeringen.no/x"], ["ftp://x"]), "case_ref": (["10/1843-27"], ["x"]),
        "ecli": (["ECLI:CE:ECHR:2011:0628JUD005559709"], ["x"]), "summary_lang": (["nb", "en"], ["xx"]),
        "foreign_practice": (["SE: note | https://x.se"], ["x"]), "importance": ([1, 2, 3], [0, 99]),
        "kind": (["orientering", "drøfting", "beslutning"], ["x"]), "role": (["lead", "contributor"], []),
        "start": (["10:00", "09:30"], ["25:00"]), "end": (["12:00", "15:00"], ["9"]),
        "language": (["nb", "en"], ["xx"]), "format": (["table", "json", "csv", "md", "html", "text"], ["docx", "xml"]),
        "context": ([5, 0, 100], []), "measure_days": ([30, 0, 365], [10**9]), "hearing_days": ([14], [10**9]),
        "base_url": (["https://lovdata.example"], ["javascript:x"]),
        "args": ([[], ["HEAD"], ["HEAD", "HEAD"]] + [[j] for j in known.judgments[:3]], [["nope-rev"]]),
        "paths": ([[], ["data"], [known.files[0]]], [["/etc"], ["nope"]]),
        "file": (known.files[:5], ["/etc/hostname", "nope"]),
        "directory": ([str(out_dir / "new-repo")], [str(out_dir / "a-file.txt")]),
        "out": ([str(out_dir / "out" / "result.txt"), str(out_dir / "out" / "site")], [str(out_dir / "a-file.txt")]),
        "ics": ([str(out_dir / "out" / "inv.ics")], []),
    }
    if name in table:
        return table[name]
    if name in ("today", "since", "until", "date", "deadline", "received", "answered", "due_before"):
        return DATES, BAD_DATES + (["HEAD", "nope-rev"] if name in ("since", "until") else [])
    if isinstance(param.type, click.types.IntParamType):
        return [0, 1, 7], [-1]
    return TEXTS, BAD_TEXTS


SKIP_FLAGS = {"edit", "version", "help"}  # --edit opens an editor
# options a command is usually run with (a missing one is a usage error, which is tested enough)
USUAL = {"network", "title", "department", "plan", "number", "role", "sender", "deadline", "responsible",
         "by", "status", "body", "doc_type", "reference", "article", "relevance", "quarter", "year"}


def arguments(data, path: tuple[str, ...], cmd: click.Command, repo: Path, known: Known, out_dir: Path) -> list[str]:
    """A command line for `cmd`: its required parameters always, usual ones mostly, others
    sometimes; one value in six hostile."""
    args: list[str] = [*path]
    positional: list[str] = []
    for p in cmd.params:
        if p.name in SKIP_FLAGS or p.name is None:
            continue
        if p.name == "repo":
            args += ["--repo", str(repo)]
            continue
        odds = 9 if p.name in USUAL and path[-1] in ("add", "new", "submit", "update", "plan", "agenda", "notice",
                                                        "minutes", "action-plan", "quarterly") else 3
        if not p.required and data.draw(st.integers(0, 9), label=f"use {p.name}") >= odds:
            continue
        if isinstance(p, click.Option) and p.is_flag:
            flag = p.opts[0] if data.draw(st.booleans()) or not p.secondary_opts else p.secondary_opts[0]
            args.append(flag)
            continue
        good, bad = _values(p.name, p, known, out_dir)
        pool = bad if bad and (not good or data.draw(st.integers(0, 5), label=f"hostile {p.name}") == 0) else good
        value = data.draw(st.sampled_from(pool), label=p.name)
        values = value if isinstance(value, list) else [value]
        if isinstance(p, click.Argument):
            positional += [str(v) for v in values]
        else:
            for v in values:
                args += [p.opts[0], str(v)]
    return args + (["--", *positional] if positional else [])


_CLICK: list = []


def invoke(args: list[str], env: dict | None = None):
    """conftest.invoke, on one click command built once (typer rebuilds it from the function
    signatures at every call, which costs more than most commands)."""
    from click.testing import CliRunner

    from conftest import Result
    from hrcoord.cli.main import app

    if not _CLICK:
        _CLICK.append(typer.main.get_command(app))
    r = CliRunner().invoke(_CLICK[0], [str(a) for a in args], env=env, catch_exceptions=False,
                           prog_name="hrcoord")
    return Result(r.exit_code, r.stdout, r.stderr, r.stdout_bytes)


def hardened_env() -> dict:
    """No editor, no pager, no terminal."""
    return {"EDITOR": "true", "VISUAL": "true", "GIT_PAGER": "cat", "PAGER": "cat", "NO_COLOR": "1"}


