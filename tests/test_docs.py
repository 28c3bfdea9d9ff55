"""The README stays true to the code (as sqlite-utils' tests/test_docs.py does for its docs):

- its command reference is what `hrcoord.cli.reference` generates from the command tree now, so a
  command or option added without regenerating fails here, naming it and the command to run;
- every command has a help text, every option a help, and `hrcoord <command> --help` exits 0;
- its code map names every package and module under hrcoord/, and no module that is gone;
- every path in the project (`hrcoord/…`, `tests/…` …) and `hrcoord.…` name it mentions exists.
"""
from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from conftest import ROOT, invoke
from hrcoord.cli import reference

README = ROOT / "README.md"
PACKAGE = ROOT / "hrcoord"
REGENERATE = f"run `{reference.COMMAND}`"


def readme() -> str:
    return README.read_text(encoding="utf-8")


ENTRIES = reference.entries()
PATHS = [e.path for e in ENTRIES]


# --- the command reference --------------------------------------------------------------------------
def documented() -> dict[str, str]:
    text = reference.extract(readme())
    assert text is not None, f"README.md has no {reference.START} … {reference.END} section; {REGENERATE}"
    return reference.sections(text)


def test_the_tree_is_walked():
    """Lazy groups, nested groups and aliases are all reached (a walk that stopped early would make
    the reference test pass on nothing)."""
    for path in ("hrcoord", "hrcoord judgment add", "hrcoord meeting followup add", "hrcoord network member add",
                 "hrcoord report quarterly", "hrcoord check", "hrcoord textconv"):
        assert path in PATHS
    assert len(PATHS) == len(set(PATHS))


@pytest.mark.parametrize("entry", ENTRIES, ids=PATHS)
def test_command_is_in_the_reference(entry):
    sections = documented()
    assert entry.path in sections, f"`{entry.path}` is not in README.md's command reference; {REGENERATE}"
    block = sections[entry.path]
    assert reference.markdown_text(entry.summary) in block, (
        f"the help of `{entry.path}` changed since README.md's command reference was generated; {REGENERATE}")
    assert f"Usage: `{entry.usage}`" in block, (
        f"the usage of `{entry.path}` (its arguments) changed: now `{entry.usage}`; {REGENERATE}")
    lines = block.splitlines()
    for flags, help_text in entry.options:
        line = reference.option_line(flags, help_text)
        if line not in lines:
            listed = [x for x in lines if x.startswith(f"- `{flags}`")]
            what = "its help or default changed" if listed else "it is missing"
            pytest.fail(f"option `{flags}` of `{entry.path}`: {what} in README.md's command reference; {REGENERATE}")
    assert block == reference.render_entry(entry), f"`{entry.path}` differs from what is generated; {REGENERATE}"


def test_reference_has_no_stale_commands():
    gone = sorted(set(documented()) - set(PATHS))
    assert gone == [], f"README.md's command reference lists commands that no longer exist: {gone}; {REGENERATE}"


def test_reference_is_exactly_what_is_generated():
    """The whole text between the markers, order and the generated note included."""
    assert reference.extract(readme()) == reference.render(ENTRIES), REGENERATE


def test_regenerating_and_checking(tmp_path, capsys):
    stale = tmp_path / "README.md"
    stale.write_text(f"# x\n\n{reference.START}\nSTALE TEXT\n{reference.END}\n\nafter\n", encoding="utf-8")
    assert reference.main(["--check", str(stale)]) == 1
    assert reference.COMMAND in capsys.readouterr().err
    assert reference.main(["--write", str(stale)]) == 0
    text = stale.read_text(encoding="utf-8")
    assert text.startswith("# x\n\n") and text.endswith(f"{reference.END}\n\nafter\n") and "STALE" not in text
    assert reference.extract(text) == reference.render(ENTRIES)
    assert reference.main(["--check", str(stale)]) == 0
    (tmp_path / "none.md").write_text("no markers\n", encoding="utf-8")
    assert reference.main(["--write", str(tmp_path / "none.md")]) == 2


def test_help_text_is_escaped_for_markdown():
    assert reference.markdown_text("writes data/hearings/<id>.yaml") == "writes data/hearings/\\<id>.yaml"
    assert reference.markdown_text("`<id>` and 0<=x") == "`<id>` and 0<=x"
    assert reference.markdown_text("$HRCOORD_REPO, _x_ *y*") == "$HRCOORD_REPO, \\_x\\_ \\*y\\*"


# --- help texts ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("entry", ENTRIES, ids=PATHS)
def test_every_command_and_option_has_help(entry):
    assert entry.summary, f"`{entry.path}` has no help text (its docstring or help=)"
    missing = [flags for flags, help_text in entry.options if not help_text]
    assert missing == [], f"options of `{entry.path}` without help=: {missing}"


@pytest.mark.parametrize("path", PATHS)
def test_help_exits_0(path):
    words = path.split()[1:]
    r = invoke([*words, "--help"])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith(f"Usage: {path} "), r.stdout[:200]
    r = invoke([*words, "-h"])
    assert r.exit_code == 0, r.stderr


# --- the code map -------------------------------------------------------------------------------------
def code_map() -> dict[str, str]:
    """{`hrcoord/…/` folder: its row} from the table of README.md's "## Code map"."""
    text = readme()
    assert "\n## Code map\n" in text, "README.md has no '## Code map' section"
    section = text.split("\n## Code map\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        found = re.match(r"\| `(hrcoord/[^`]*/)` \|", line)
        if found:
            assert found.group(1) not in rows, f"the code map has two rows for {found.group(1)}"
            rows[found.group(1)] = line
    return rows


def folders() -> list[Path]:
    """Every package under hrcoord/ and the data folders beside them (labels/, templates/, defaults/)."""
    packages = [p.parent for p in PACKAGE.rglob("__init__.py") if p.parent != PACKAGE]
    data = [p for p in PACKAGE.iterdir() if p.is_dir() and not (p / "__init__.py").exists() and p.name != "__pycache__"]
    return sorted(packages + data)


def modules(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.py") if p.name not in ("__init__.py", "__main__.py"))


def key(folder: Path) -> str:
    return folder.relative_to(ROOT).as_posix() + "/"


def test_code_map_names_every_package_and_module():
    rows = code_map()
    missing = []
    for folder in folders():
        row = rows.get(key(folder))
        if row is None:
            missing.append(key(folder))
            continue
        missing += [f"{key(folder)}{name}" for name in modules(folder) if f"`{name}`" not in row]
    assert missing == [], f"README.md's code map does not name: {missing} (a row per folder, each module as `name.py`)"


def test_code_map_names_nothing_that_is_gone():
    stale = []
    for folder_key, row in code_map().items():
        folder = ROOT / folder_key
        if not folder.is_dir():
            stale.append(folder_key)
            continue
        named = re.findall(r"`([A-Za-z0-9_]+\.py)`", row)
        stale += [f"{folder_key}{name}" for name in named if not (folder / name).is_file()]
    assert stale == [], f"README.md's code map names modules that do not exist: {stale}"


# --- paths and names in the README ---------------------------------------------------------------------
def test_paths_in_readme_exist():
    paths = set(re.findall(r"`((?:hrcoord|tests|docs|bench|\.ci)/[A-Za-z0-9_./*-]*)`", readme()))
    assert paths, "the test found no paths: is the pattern right?"
    missing = sorted(p for p in paths if not next(ROOT.glob(p.rstrip("/")), None))
    assert missing == [], f"README.md names paths that do not exist: {missing}"


def test_names_in_readme_exist():
    """`hrcoord.caselaw.cite.citation`, `hrcoord.core.transaction` …: a module, or a module's attribute."""
    names = set(re.findall(r"`(hrcoord(?:\.[a-z_][a-z0-9_]*){2,})", readme()))
    assert names, "the test found no names: is the pattern right?"
    missing = []
    for name in sorted(names):
        parts = name.split(".")
        for cut in range(len(parts), 1, -1):
            try:
                obj = importlib.import_module(".".join(parts[:cut]))
            except ImportError:
                continue
            try:
                for attr in parts[cut:]:
                    obj = getattr(obj, attr)
            except AttributeError:
                missing.append(name)
            break
        else:
            missing.append(name)
    assert missing == [], f"README.md names modules or functions that do not exist: {missing}"


def test_the_top_level_list_gives_each_groups_own_help():
    """`hrcoord --help` lists the lazily loaded groups with a text kept in main.py; it must be
    the group's own first paragraph, or the two drift apart."""
    import importlib

    import typer

    from hrcoord.cli.main import LAZY_GROUPS

    for name, (module, short) in LAZY_GROUPS.items():
        group = typer.main.get_command(importlib.import_module(module).app)
        first = " ".join((group.help or "").split("\n\n")[0].split())
        assert short == first, f"LAZY_GROUPS[{name!r}] in hrcoord/cli/main.py: {short!r}; the group says {first!r}"
