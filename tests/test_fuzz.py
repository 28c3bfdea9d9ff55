"""Robustness: arbitrary bytes and mutated real files into the loader and validate give records or
clean problems, never an exception; fmt round-trips; named hostile files."""
from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, invoke, write
from hrcoord.core.fmt import dump_fields
from hrcoord.core.loader import load_file, load_text
from hrcoord.core.models import MODELS
from hrcoord.core.repo import Repository
from hrcoord.core.validate import validate

REAL = sorted((ROOT / "data/judgments").rglob("*.md"))[:6] + sorted((ROOT / "data/meetings").rglob("*.md"))[:2]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(tmp_path_factory, raw):
    folder = tmp_path_factory.mktemp("bytes")
    for name in ("x.md", "x.yaml"):
        p = folder / name
        p.write_bytes(raw)
        loaded = load_file(p, name)
        assert loaded.problems or isinstance(loaded.data, dict)


@FUZZ
@given(st.sampled_from(REAL),
       st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255), st.sampled_from(["flip", "insert", "delete"])),
                min_size=1, max_size=6))
def test_mutated_real_files_validate_cleanly(tmp_path_factory, source, mutations):
    repo = tmp_path_factory.mktemp("mut") / "repo"
    shutil.copytree(ROOT / "data", repo / "data")
    shutil.copy(ROOT / "hrcoord.yaml", repo / "hrcoord.yaml")
    target = repo / source.relative_to(ROOT)
    raw = bytearray(target.read_bytes())
    for pos, byte, op in mutations:
        pos %= max(len(raw), 1)
        if op == "flip" and raw:
            raw[pos] = byte
        elif op == "insert":
            raw.insert(pos, byte)
        elif raw:
            del raw[pos]
    target.write_bytes(bytes(raw))
    report = validate(Repository(repo), use_cache=False)  # must not raise
    for p in report.problems:
        assert p.line >= 0 and p.col >= 0 and p.code.startswith("HR")


TEXT = st.one_of(
    st.sampled_from(["NO", "no", "yes", "off", "10:00", "0150", "~", "null", "true", "1e3", "-", "a: b", "#x",
                     "x #y", "'q'", '"d"', "[a]", "{a}", "*a", "&a", "!tag", "%", "@", "`", "|", ">", "2014-02-30",
                     " lead", "trail ", "multi\nline", "tab\there", "æøå", "0x1F", "0o7", ".inf", "=", "<<"]),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x85\u2028\u2029\ufeff"), max_size=30),
)
KEYS = TEXT.filter(lambda k: "\n" not in k)  # field names are one line
VALUES = st.recursive(
    st.one_of(TEXT, st.integers(-10**6, 10**6), st.booleans(), st.none()),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=4)),
    max_leaves=20,
)


@FUZZ
@given(st.dictionaries(KEYS, VALUES, min_size=1, max_size=8), st.sampled_from(sorted(MODELS)))
def test_fmt_round_trips(data, type_):
    text = dump_fields(MODELS[type_], data)
    loaded = load_text(text)
    assert loaded.problems == []
    expected = {k: _strip_trailing(v) for k, v in data.items()}
    assert loaded.data == expected


def _strip_trailing(value):
    """fmt removes trailing spaces at line ends inside multi-line text (canonical form)."""
    if isinstance(value, str) and "\n" in value:
        return "\n".join(line.rstrip() for line in value.split("\n"))
    if isinstance(value, list):
        return [_strip_trailing(v) for v in value]
    if isinstance(value, dict):
        return {k: _strip_trailing(v) for k, v in value.items()}
    return value


# --- named hostile files --------------------------------------------------------------------------
HOSTILE = {
    "alias-bomb": ("lol: &a [x, x, x, x, x, x, x, x]\n" + "".join(
        f"l{i}: &a{i} [{', '.join(['*a' if i == 0 else f'*a{i-1}'] * 9)}]\n" for i in range(9)), "HR003"),
    "deeply-nested-flow": ("title: " + "[" * 5000 + "]" * 5000 + "\n", "HR001"),
    "deeply-nested-block": ("title:\n" + "".join(" " * i + "- \n" for i in range(1, 900)), None),
    "ten-mb-line": ("title: " + "x" * (10 * 1024 * 1024) + "\n", "HR007"),
    "nul-bytes": ("title: a\0b\n", "HR006"),
    "python-object": ("title: !!python/object:os.system [ls]\n", "HR004"),
    "python-name": ("title: !!python/name:os.system\n", "HR004"),
    "binary-tag": ("title: !!binary aGVsbG8=\n", "HR004"),
    "set-tag": ("title: !!set {a, b}\n", "HR004"),
    "huge-int": ("importance: " + "9" * 5000 + "\n", None),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files(empty_repo, name):
    text, code = HOSTILE[name]
    body = "---\n" + text + "---\n\n## Sammendrag\n\nx\n"
    p = empty_repo / "data/judgments/2012/hostile.md"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(body.encode("utf-8") + (b"" if name != "invalid-utf8" else b"\xff"))
    r = invoke(["validate", "--repo", empty_repo])
    assert r.exit_code == 1
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr
    if code:
        assert f" {code} " in r.stderr


def test_invalid_utf8(empty_repo):
    write(empty_repo / "data/judgments/2012/bad.md", "---\ntitle: x\n---\n")
    (empty_repo / "data/judgments/2012/bad.md").write_bytes(b"---\ntitle: \xc3\x28\n---\n")
    r = invoke(["validate", "--repo", empty_repo])
    assert r.exit_code == 1 and " HR005 " in r.stderr
