"""Field kinds as a registry: exact matching, control characters, unknown kinds refused at import."""
from __future__ import annotations

import pytest

from conftest import invoke, write
from hrcoord.core.models.base import Context, Field, check_value
from hrcoord.core.models.kinds import KINDS


def issues(f: Field, value) -> list[str]:
    out: list = []
    check_value(f, value, (f.name,), Context(), out)
    return [i.code for i in out]


def test_a_misspelt_kind_is_an_error_when_the_model_is_defined():
    with pytest.raises(ValueError, match="unknown kind 'emial'"):
        Field("chair_email", "emial")
    with pytest.raises(ValueError, match="needs `items`"):
        Field("members", "list")


def test_every_kind_has_a_check_and_a_schema():
    for name, kind in KINDS.items():
        f = Field("x", name, items=Field("y") if name == "list" else None, fields=[] if name == "map" else None)
        assert isinstance(kind.schema(f, None), dict)
        out: list = []
        kind.check(f, "value", ("x",), Context(), out)  # never raises, whatever the value


@pytest.mark.parametrize("kind,value", [("email", "x@udi.example\n"), ("time", "10:00\n"), ("id", "abc\n"),
                                        ("url", "https://hudoc.echr.coe.int/x\n"), ("date", "2014-02-03\n")])
def test_a_trailing_line_break_is_not_a_valid_value(kind, value):
    assert issues(Field("f", kind), value), (kind, value)


@pytest.mark.parametrize("value", ["Rådgiver\r\nASA", "Rådgiver\nASA", "a\x1bb", "a\x00b", "a\u2028b", "a\x85b"])
def test_one_line_text_refuses_line_breaks_and_control_characters(value):
    assert issues(Field("name"), value) == ["HR103"]


def test_free_text_takes_line_breaks_and_tabs_but_no_other_controls():
    assert issues(Field("note", "text"), "Første linje\nandre\tlinje") == []
    assert issues(Field("note", "text"), "a\rb") == ["HR103"]
    assert issues(Field("name"), "tab\tinside") == []


def test_control_character_in_a_record_is_reported_at_its_line(scratch_repo):
    path = scratch_repo / "data/networks/trafficking.yaml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    i = next(n for n, line in enumerate(lines) if line.startswith("chair:"))
    lines[i] = 'chair: "Leder\\r\\nInjected: header"'
    write(path, "\n".join(lines) + "\n")
    r = invoke(["--repo", scratch_repo, "validate"])
    assert r.exit_code == 1
    assert f"data/networks/trafficking.yaml:{i + 1}:" in r.stderr and "HR103" in r.stderr
    assert "line break" in r.stderr
