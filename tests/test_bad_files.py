"""The folder tests/bad holds one bad file per rule of SPEC §2.1 and per field check. Each is put
into a fresh repository; `hrcoord validate` must report its documented code at the right line and
column, exit 1 (0 for warnings), and print no traceback."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import invoke, run_process, write
from hrcoord.core.repo import Repository
from hrcoord.core.validate import validate

BAD = Path(__file__).parent / "bad"
NETWORK = ("slug: trafficking\nname_nb: N\nname_en: N\nfield: [trafficking]\nchair: K\n"
           "members:\n  - name: R\n    department: ASA\n")
PLAN = "title_nb: Plan\nministry: JD\nperiod_from: 2011\nperiod_to: 2014\nfields: [trafficking]\n"

# file -> (code, line, col, severity)
EXPECTED = {
    "judgment-syntax.md": ("HR001", 12, 10, "error"),
    "judgment-duplicate-key.md": ("HR002", 12, 1, "error"),
    "judgment-alias.md": ("HR003", 12, 12, "error"),
    "judgment-python-tag.md": ("HR004", 11, 10, "error"),
    "judgment-latin1.md": ("HR005", 19, 15, "error"),
    "judgment-nul.md": ("HR006", 20, 1, "error"),
    "judgment-no-front-matter.md": ("HR008", 1, 1, "error"),
    "judgment-unclosed.md": ("HR008", 1, 1, "error"),
    "network-not-a-mapping.yaml": ("HR009", 1, 1, "error"),
    "Judgment_Bad_Name.md": ("HR011", 1, 1, "error"),
    "judgment-unknown-field.md": ("HR101", 2, 1, "error"),
    "judgment-missing-required.md": ("HR102", 2, 1, "error"),
    "judgment-wrong-type.md": ("HR103", 12, 13, "error"),
    "judgment-enum.md": ("HR104", 11, 10, "error"),
    "judgment-impossible-date.md": ("HR105", 7, 7, "error"),
    "judgment-future-date.md": ("HR106", 7, 7, "error"),
    "judgment-ecthr-reference.md": ("HR107", 6, 12, "error"),
    "judgment-cjeu-reference.md": ("HR107", 6, 12, "error"),
    "judgment-un-reference.md": ("HR107", 5, 12, "error"),
    "judgment-ecli-court.md": ("HR108", 7, 7, "error"),
    "judgment-ecli-date.md": ("HR108", 7, 7, "error"),
    "judgment-country.md": ("HR109", 8, 13, "error"),
    "meeting-time.md": ("HR110", 4, 8, "error"),
    "judgment-case-ref.md": ("HR111", 15, 11, "error"),
    "judgment-url.md": ("HR112", 15, 13, "error"),
    "judgment-invalid-id.md": ("HR113", 15, 14, "error"),
    "judgment-unknown-article.md": ("HR114", 11, 5, "error"),
    "judgment-unknown-convention.md": ("HR114", 10, 5, "error"),
    "judgment-unknown-relevance.md": ("HR114", 13, 5, "error"),
    "network-unknown-department.yaml": ("HR114", 9, 17, "error"),
    "judgment-importance-range.md": ("HR115", 12, 13, "error"),
    "network-email.yaml": ("HR116", 10, 12, "error"),
    "judgment-empty.md": ("HR117", 2, 8, "error"),
    "judgment-duplicate-list-value.md": ("HR118", 11, 5, "error"),
    "meeting-end-before-start.md": ("HR119", 5, 6, "error"),
    "measure-log-order.yaml": ("HR119", 9, 11, "error"),
    "judgment-related-missing.md": ("HR201", 16, 9, "error"),
    "meeting-unknown-network.md": ("HR201", 2, 10, "error"),
    "measure-id-mismatch.yaml": ("HR203", 1, 5, "error"),
    "judgment-section-missing.md": ("HR204", 16, 1, "error"),
    "judgment-review-missing.md": ("HR205", 14, 9, "error"),
    "judgment-withdrawn-no-replacement.md": ("HR209", 14, 9, "error"),
    "judgment-personal-data.md": ("HR301", 19, 21, "warning"),
    "judgment-raw-html.md": ("HR304", 20, 1, "warning"),
}


def destination(name: str) -> str:
    if name.lower().startswith("judgment"):
        return f"data/judgments/2012/{name}"
    if name.startswith("network"):
        return "data/networks/trafficking.yaml"
    if name.startswith("meeting"):
        return "data/meetings/trafficking/2014-03-11.md"
    return "data/measures/trafficking-2011-2014/tiltak-1.yaml"


@pytest.fixture
def base(empty_repo) -> Path:
    write(empty_repo / "data/networks/trafficking.yaml", NETWORK)
    write(empty_repo / "data/action-plans/trafficking-2011-2014.yaml", PLAN)
    return empty_repo


def place(repo: Path, name: str) -> Path:
    target = repo / destination(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(BAD / name, target)
    return target


def test_every_bad_file_is_listed():
    on_disk = {p.name for p in BAD.iterdir()} - {"judgment-crlf-bom.md"}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file(base, name):
    code, line, col, severity = EXPECTED[name]
    target = place(base, name)
    report = validate(Repository(base))
    rel = target.relative_to(base).as_posix()
    hits = [(p.code, p.line, p.col, p.severity) for p in report.problems if p.path == rel]
    assert (code, line, col, severity) in hits, hits
    result = invoke(["validate", "--repo", base])
    assert result.exit_code == (1 if severity == "error" else 0)
    assert f"{rel}:{line}:{col}: {severity} {code} " in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_crlf_and_bom_are_accepted(base):
    place(base, "judgment-crlf-bom.md")
    assert validate(Repository(base)).problems == []


def test_file_over_one_mebibyte(base):
    big = (BAD / "judgment-enum.md").read_text() + "x" * (1024 * 1024)
    write(base / "data/judgments/2012/big.md", big)
    report = validate(Repository(base))
    assert [(p.code, p.line) for p in report.problems] == [("HR007", 1)]


def test_unknown_field_suggests(base):
    place(base, "judgment-unknown-field.md")
    (p,) = validate(Repository(base)).problems
    assert "did you mean 'title'" in p.message


def test_bad_file_in_a_real_subprocess(base):
    place(base, "judgment-python-tag.md")
    proc = run_process(["--repo", base, "validate"])
    assert proc.returncode == 1
    assert "HR004" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""
