"""Problems are data: every check returns a list of them; the CLI prints them.

A Problem points at `path:line:col` (1-based; 0 when unknown) with a stable code. Codes are listed
in CODES with a one-line meaning; the README's table is generated from it and a test keeps the two
in step.
"""
from __future__ import annotations

from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"

# Stable codes. Never renumber; retire a code by leaving it here unused.
CODES: dict[str, str] = {
    # files and YAML (SPEC §2.1)
    "HR001": "YAML syntax error",
    "HR002": "duplicate key",
    "HR003": "anchors and aliases are not allowed",
    "HR004": "unknown or unsafe tag (e.g. !!python/object)",
    "HR005": "file is not valid UTF-8",
    "HR006": "binary file (NUL byte)",
    "HR007": "file larger than 1 MiB",
    "HR008": "front matter missing or not closed",
    "HR009": "record is not a mapping",
    "HR010": "file cannot be read",
    "HR011": "file name is not a valid id",
    "HR012": "file is a symbolic link or outside the repository (not read)",
    # fields (record models)
    "HR101": "unknown field (with a suggestion)",
    "HR102": "required field missing",
    "HR103": "wrong type",
    "HR104": "value not allowed (enum)",
    "HR105": "invalid date",
    "HR106": "date in the future",
    "HR107": "reference does not match the body's format",
    "HR108": "invalid ECLI or ECLI does not match body, date or reference",
    "HR109": "unknown country code",
    "HR110": "invalid time (HH:MM)",
    "HR111": "invalid archive case number",
    "HR112": "invalid URL",
    "HR113": "invalid id",
    "HR114": "unknown vocabulary value (convention, article, body, slug, department)",
    "HR115": "value out of range",
    "HR116": "invalid e-mail address",
    "HR117": "empty value",
    "HR118": "duplicate value in a list",
    "HR119": "inconsistent values (end before start, log out of order …)",
    # repository (links between records)
    "HR201": "link to a record that does not exist",
    "HR202": "same reference in two summaries",
    "HR203": "id differs from the file name",
    "HR204": "required section missing from the summary text",
    "HR205": "review stamp missing",
    "HR206": "summary changed after its review stamp",
    "HR207": "related link not mirrored (earlier-stage/later-stage)",
    "HR208": "record in the wrong folder",
    "HR209": "withdrawn summary without replaced_by or reason",
    # content
    "HR301": "personal data in publishable text (national id number, e-mail, phone)",
    "HR302": "fmt would drop a YAML comment",
    "HR303": "file is not in canonical form",
    "HR304": "raw HTML in a summary's text (left out when published)",
}


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int
    col: int
    code: str
    message: str
    severity: str = ERROR

    def render(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity} {self.code} {self.message}"

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


class HrcoordError(Exception):
    """A failure the user can fix; the CLI prints it and exits with `exit_code`, no traceback."""

    exit_code = 1

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or []


class UsageError(HrcoordError):
    """A bad argument or flag (exit 2)."""

    exit_code = 2


class DataError(HrcoordError):
    """The data is wrong; carries the problems found (exit 1)."""

    exit_code = 1


class FileError(HrcoordError, OSError):
    """The file system refused (disk full, read-only, no permission …): one line with the path,
    exit 1 — not an internal error. Also an OSError, for callers that treat a file as optional."""

    exit_code = 1

    @classmethod
    def of(cls, exc: OSError, path: object = None, verb: str = "write") -> FileError:
        where = path if path is not None else (exc.filename or "a file")
        return cls(f"cannot {verb} {where}: {exc.strerror or exc}")


@dataclass
class Report:
    """The problems of one validate run, with counts."""

    problems: list[Problem] = field(default_factory=list)
    files: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity == WARNING)
