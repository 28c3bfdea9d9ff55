"""The foundation: loader rules (SPEC §2.1), models, validate/fmt/schema/init on real files."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, invoke, run_process, write
from hrcoord.core.loader import load_text
from hrcoord.core.models import MODELS
from hrcoord.core.repo import Repository
from hrcoord.core.validate import validate


# --- loader: YAML 1.2 scalars -----------------------------------------------------------------
def test_yaml_12_scalars_stay_strings():
    data = load_text("respondent: NO\nstart: 10:00\npostcode: 0150\nflag: yes\noff: off\nd: 2014-02-30\n").data
    assert data == {"respondent": "NO", "start": "10:00", "postcode": "0150", "flag": "yes", "off": "off",
                    "d": "2014-02-30"}


def test_yaml_12_numbers_and_booleans():
    data = load_text("a: 12\nb: 1.5\nc: true\nd: null\ne: 0o17\nf: 0x1F\n").data
    assert data == {"a": 12, "b": 1.5, "c": True, "d": None, "e": 15, "f": 31}


def test_global_loader_untouched():
    import yaml

    assert yaml.safe_load("a: yes") == {"a": True}  # we subclassed; PyYAML's own loader still reads 1.1


def test_alias_bomb_is_refused_quickly():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8))
    loaded = load_text(bomb)
    assert [p.code for p in loaded.problems] == ["HR003"]


def test_front_matter_body_kept_byte_for_byte():
    text = "---\ntitle: x\n---\n\n\n## Sammendrag\n\ntekst  \n"
    loaded = load_text(text, markdown=True)
    assert loaded.source.body == "\n\n## Sammendrag\n\ntekst  \n"


# --- the embedded repository ------------------------------------------------------------------
def test_embedded_repository_is_valid():
    report = validate(Repository(ROOT))
    assert [p.render() for p in report.problems if p.severity == "error"] == []
    assert report.files > 50


def test_embedded_repository_holds_real_examples():
    repo = Repository(ROOT)
    judgments = repo.records("judgment")
    assert len(judgments) >= 12
    published = [j for j in judgments.values() if j.get("status") == "published"]
    assert len(published) >= 12
    assert [j.id for j in published if not str(j.get("source_url", "")).startswith(("http://", "https://"))] == []
    bodies = {j.get("body") for j in judgments.values()}
    assert {"ECtHR", "CJEU", "CCPR"} <= bodies
    assert set(repo.records("network")) == {"trafficking", "forced-marriage", "fgm", "human-rights"}
    assert set(repo.department_names()) >= {"AUA", "ASA", "OPA", "RMA"}
    assert len(repo.records("action-plan")) == 2


def test_validate_cli_on_data_prints_count_line():
    r = invoke(["--repo", ROOT, "validate"])
    assert r.exit_code == 0, r.stderr
    assert "files checked: 0 errors" in r.stderr
    assert r.stdout == ""


def test_validate_json_parses():
    r = invoke(["validate", "--repo", ROOT, "--format", "json"])
    data = json.loads(r.stdout)
    assert data["errors"] == 0 and data["files"] > 50 and isinstance(data["problems"], list)


def test_check_is_an_alias(scratch_repo):
    write(scratch_repo / "data/judgments/2012/x.md", "---\ntitle: x\n---\n")
    r = invoke(["check", "--repo", scratch_repo])
    assert r.exit_code == 1 and "HR102" in r.stderr


def test_validate_paths_filter(scratch_repo):
    write(scratch_repo / "data/judgments/2012/x.md", "---\ntitle: x\n---\n")
    r = invoke(["validate", "--repo", scratch_repo, str(scratch_repo / "data/networks")])
    assert r.exit_code == 0


def test_strict_turns_warnings_into_errors(scratch_repo):
    p = next((scratch_repo / "data/judgments").rglob("rantsev*.md"))
    p.write_text(p.read_text().replace("## Faktum", "Kontakt: saksbehandler@example.org\n\n## Faktum"))
    assert invoke(["validate", "--repo", scratch_repo]).exit_code == 0
    r = invoke(["validate", "--repo", scratch_repo, "--strict"])
    assert r.exit_code == 1 and "HR301" in r.stderr


def test_usage_errors_exit_2(tmp_path):
    r = invoke(["validate", "--repo", tmp_path])
    assert r.exit_code == 2 and "not an hrcoord repository" in r.stderr
    assert invoke(["validate", "--repo", ROOT, "--format", "xml"]).exit_code == 2


def test_repo_found_by_walking_up(scratch_repo):
    proc = run_process(["validate"], cwd=scratch_repo / "data" / "networks")
    assert proc.returncode == 0, proc.stderr


def test_codes_are_documented_in_readme():
    from hrcoord.core.errors import CODES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [c for c in CODES if f"`{c}`" not in readme]
    assert missing == []


# --- fmt ----------------------------------------------------------------------------------------
def test_fmt_check_clean_on_data():
    r = invoke(["fmt", "--check", "--repo", ROOT])
    assert r.exit_code == 0, r.stderr


def test_fmt_is_idempotent_and_keeps_data(scratch_repo):
    p = scratch_repo / "data/networks/trafficking.yaml"
    messy = ("members:\n  - {department: ASA, name: R}\nchair: K   \nfield: [trafficking]\nname_en: Net\r\n"
             "name_nb: Nett\nslug: trafficking\n")
    p.write_bytes(messy.encode())
    before = load_text(messy.replace("\r", "")).data
    assert invoke(["fmt", "--check", "--repo", scratch_repo]).exit_code == 1
    assert invoke(["fmt", "--repo", scratch_repo]).exit_code == 0
    once = p.read_text()
    assert once.startswith("slug: trafficking\nname_nb: Nett\n") and "\r" not in once and once.endswith("\n")
    assert load_text(once).data == before
    assert invoke(["fmt", "--repo", scratch_repo]).exit_code == 0
    assert p.read_text() == once


def test_fmt_keeps_comments(scratch_repo):
    p = scratch_repo / "data/networks/trafficking.yaml"
    text = p.read_text()
    lines = text.splitlines(keepends=True)
    # move the first line to the end and add comments
    p.write_text("".join(lines[1:]) + "# the slug is the file name\n" + lines[0].rstrip() + "  # keep\n")
    invoke(["fmt", "--repo", scratch_repo])
    out = p.read_text()
    assert "# the slug is the file name" in out and "# keep" in out
    assert out.index("slug:") < out.index("name_nb:")
    again = out
    invoke(["fmt", "--repo", scratch_repo])
    assert p.read_text() == again


def test_fmt_writes_alpha2_for_hudoc_alpha3(scratch_repo):
    p = next((scratch_repo / "data/judgments").rglob("butt-v-norway*.md"))
    p.write_text(p.read_text().replace("respondent: NO", "respondent: NOR"))
    invoke(["fmt", "--repo", scratch_repo])
    assert "respondent: NO\n" in p.read_text() or "respondent: 'NO'\n" in p.read_text()


def test_fmt_refuses_broken_file(scratch_repo):
    p = write(scratch_repo / "data/networks/trafficking.yaml", "slug: [\n")
    r = invoke(["fmt", "--repo", scratch_repo])
    assert r.exit_code == 1 and "HR001" in r.stderr
    assert p.read_text() == "slug: [\n"


# --- schema ---------------------------------------------------------------------------------------
def test_schema_export_is_valid_json_schema(tmp_path):
    out = tmp_path / "schemas"
    assert invoke(["schema", "--repo", ROOT, "--out", out]).exit_code == 0
    files = sorted(out.glob("*.schema.json"))
    assert len(files) == len(MODELS) + 1
    from jsonschema import Draft202012Validator

    for f in files:
        Draft202012Validator.check_schema(json.loads(f.read_text()))


def test_schema_accepts_real_records(tmp_path):
    from jsonschema import Draft202012Validator

    out = tmp_path / "schemas"
    invoke(["schema", "--repo", ROOT, "--out", out])
    schema = json.loads((out / "network.schema.json").read_text())
    data = load_text((ROOT / "data/networks/trafficking.yaml").read_text()).data
    assert list(Draft202012Validator(schema).iter_errors(data)) == []
    assert list(Draft202012Validator(schema).iter_errors({**data, "unknown": 1}))


def test_check_jsonschema_accepts_schemas(tmp_path):
    import sys

    exe = Path(sys.executable).parent / "check-jsonschema"
    if not exe.exists():
        pytest.skip("check-jsonschema not installed")
    out = tmp_path / "schemas"
    invoke(["schema", "--repo", ROOT, "--out", out])
    proc = subprocess.run([str(exe), "--check-metaschema", *map(str, out.glob("*.json"))],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --- init ---------------------------------------------------------------------------------------------
def test_init_scaffolds_and_refuses_twice(tmp_path):
    target = tmp_path / "new"
    r = invoke(["init", target])
    assert r.exit_code == 0, r.stderr
    assert (target / "hrcoord.yaml").is_file() and (target / "data/conventions.yaml").is_file()
    assert (target / ".git").is_dir() and (target / ".git/hooks/pre-commit").stat().st_mode & 0o111
    assert invoke(["validate", "--repo", target]).exit_code == 0
    before = (target / "hrcoord.yaml").read_text()
    r = invoke(["init", target])
    assert r.exit_code == 2 and "already an hrcoord repository" in r.stderr
    assert (target / "hrcoord.yaml").read_text() == before


def test_init_defaults_match_embedded_vocabularies():
    for name in ("organisation.yaml", "conventions.yaml", "taxonomy.yaml"):
        assert (ROOT / "hrcoord/defaults" / name).read_text() == (ROOT / "data" / name).read_text(), name


def test_pre_commit_hook_blocks_bad_commit(tmp_path):
    import sys

    target = tmp_path / "hooked"
    assert invoke(["init", target]).exit_code == 0
    env_bin = str(Path(sys.executable).parent)
    env = {"PATH": env_bin + ":" + __import__("os").environ["PATH"], "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(tmp_path), "NO_COLOR": "1"}
    write(target / "data/judgments/2012/bad.md", "---\ntitle: x\n---\n")
    subprocess.run(["git", "add", "-A"], cwd=target, check=True, env=env)
    proc = subprocess.run(["git", "commit", "-qm", "bad"], cwd=target, capture_output=True, text=True, env=env)
    assert proc.returncode != 0 and "HR102" in proc.stderr


# --- errors ----------------------------------------------------------------------------------------
def test_internal_error_exits_3_without_traceback(monkeypatch, tmp_path):
    import hrcoord.core.validate as v

    def boom(*a, **k):
        raise RuntimeError("secret local value")

    monkeypatch.setattr(v, "validate", boom)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    r = invoke(["validate", "--repo", ROOT])
    assert r.exit_code == 3
    assert "internal error" in r.stderr and "Traceback" not in r.stderr
    log = next(tmp_path.rglob("error-*.log"))
    assert "RuntimeError" in log.read_text()


def test_every_command_has_help():
    import click
    import typer

    from hrcoord.cli.main import LAZY_GROUPS, app

    cmd = typer.main.get_command(app)

    def walk(c, path):
        if isinstance(c, click.Group):
            ctx = click.Context(c)
            for name in c.list_commands(ctx):
                yield from walk(c.get_command(ctx, name), path + [name])
        else:
            yield path, c

    for path, c in walk(cmd, []):
        assert (c.help or "").strip(), f"{' '.join(path)} has no help"
        assert len(path) < 2 or path[0] not in LAZY_GROUPS or LAZY_GROUPS[path[0]][1]
        for p in c.params:
            if isinstance(p, click.Option) and p.name not in ("help",):
                assert (p.help or "").strip(), f"{' '.join(path)} {p.opts} has no help"


def test_pre_commit_hook_works_without_hrcoord_on_path(tmp_path):
    """The hook falls back to the Python that ran `hrcoord init` (an unactivated venv)."""
    target = tmp_path / "nopath"
    assert invoke(["init", target]).exit_code == 0
    env = {"PATH": "/usr/bin:/bin", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(tmp_path), "NO_COLOR": "1"}
    subprocess.run(["git", "add", "-A"], cwd=target, check=True, env=env)
    ok = subprocess.run(["git", "commit", "-qm", "first"], cwd=target, capture_output=True, text=True, env=env)
    assert ok.returncode == 0, ok.stderr
    write(target / "data/judgments/2012/bad.md", "---\ntitle: x\n---\n")
    subprocess.run(["git", "add", "-A"], cwd=target, check=True, env=env)
    bad = subprocess.run(["git", "commit", "-qm", "bad"], cwd=target, capture_output=True, text=True, env=env)
    assert bad.returncode != 0 and "HR102" in bad.stderr


def test_template_cache_keeps_sandboxed_and_plain_code_apart(tmp_path, scratch_repo, empty_repo):
    """The same packaged template compiled by the plain environment (a repository without
    templates of its own) and by the sandbox (one with its own) lands in separate cache entries:
    rendering sandboxed, then plain, then sandboxed again, in one cache folder, in fresh processes."""
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    args = ["meeting", "agenda", "--network", "trafficking", "--meeting", "2014-12-09", "-f", "html"]
    for repo in (scratch_repo, empty_repo, scratch_repo):
        if repo is empty_repo:
            r = run_process(["--repo", repo, "report", "quarterly", "--quarter", "2014-Q2", "-f", "html"], env=env)
        else:
            r = run_process(["--repo", repo, *args], env=env)
        assert r.returncode == 0, r.stderr
        assert "<html" in r.stdout
    kinds = {p.name.split("-jinja")[0] for p in (tmp_path / "cache" / "hrcoord" / "templates").iterdir()}
    assert {k.split("-")[0] for k in kinds} == {"sandboxed", "plain"} and len(kinds) == 2
