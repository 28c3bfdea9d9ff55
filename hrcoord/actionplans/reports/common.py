"""Small helpers the reports share: periods, sorting, JSON/CSV output, reproducible stamps."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re

from hrcoord.core.errors import UsageError
from hrcoord.core.models.base import parse_date

QUARTER_RE = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_NUM_RE = re.compile(r"(\d+)")


@dataclasses.dataclass(frozen=True)
class Quarter:
    year: int
    q: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.q - 2, 1)

    @property
    def end(self) -> dt.date:
        nxt = self.next()
        return nxt.start - dt.timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.q == 4 else Quarter(self.year, self.q + 1)

    def contains(self, d: dt.date | None) -> bool:
        return d is not None and self.start <= d <= self.end

    def __str__(self) -> str:
        return f"{self.year}-Q{self.q}"

    def label(self, lang: str) -> str:
        """"4. kvartal 2026" (nb), "Q4 2026" (en): how a document names a quarter."""
        from hrcoord.core.labels import words

        return words(lang, "documents")["quarter"].format(q=self.q, year=self.year)


def parse_quarter(text: str) -> Quarter:
    """`2014-Q2` or `2014Q2` (case-insensitive)."""
    from hrcoord.core.models.base import require_year

    m = QUARTER_RE.match((text or "").strip())
    if not m:
        raise UsageError(f"--quarter must look like 2014-Q2 (or 2014Q2), not {text!r}")
    return Quarter(require_year(int(m.group(1)), "--quarter"), int(m.group(2)))


def quarter_of(d: dt.date) -> Quarter:
    return Quarter(d.year, (d.month - 1) // 3 + 1)


def parse_day(value: str | None, flag: str) -> dt.date | None:
    from hrcoord.core.models.base import require_date

    return require_date(value, flag)


def natural_key(text) -> tuple:
    """`Tiltak 2` sorts before `Tiltak 12`."""
    return tuple(int(p) if p.isdigit() else p.lower() for p in _NUM_RE.split(str(text or "")))


def done_date(value) -> dt.date | None:
    """A follow-up's `done`: false/absent -> None, a date -> that date."""
    if isinstance(value, bool) or value is None:
        return None
    return parse_date(value)


def plain(value):
    """A report model as JSON-ready data: dataclasses to dicts, dates to ISO strings."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if not f.metadata.get("internal")}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def to_json(model) -> str:
    return json.dumps(plain(model), ensure_ascii=False, indent=2) + "\n"


def to_csv(header: list[str], rows: list[list], *, excel: bool = False) -> str:
    """CSV through the one cell writer (render/csvout.py); `excel`: BOM, `;`, CRLF."""
    from hrcoord.render.csvout import write

    return write(header, rows, excel=excel)


def md_cell(value) -> str:
    """Text safe inside a Markdown table cell: no raw HTML, no link syntax (render/safe.py)."""
    from hrcoord.render.safe import md_text

    return md_text(value)


def stamp_now() -> str:
    return dt.datetime.now().astimezone().replace(microsecond=0).isoformat()


def dated_meetings(repo):
    """(network slug, day, status, record) for every meeting that has a date: one pass that the
    quarterly report and `status` share."""
    for key, rec in repo.records("meeting").items():
        d = rec.data
        day = parse_date(d.get("date")) or parse_date(rec.id)
        if day is not None:
            yield d.get("network") or key.split("/", 1)[0], day, d.get("status"), rec
