"""The one catalogue of the words hrcoord writes in documents, pages and reports.

`hrcoord/labels/<lang>.yaml` holds every word of one language, in sections (`portal`, `meeting`,
`reports` …); each file has the same keys, so a third language is a file, not a code change.
Code reads a section through `table(section)`, a mapping from language to that section's words:
`LABELS = table("portal")` … `LABELS[lang]["site_title"]`.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).resolve().parent.parent / "labels"
DEFAULT = "nb"


@lru_cache(maxsize=1)
def languages() -> tuple[str, ...]:
    """The languages a catalogue file exists for, the default first."""
    found = sorted(p.stem for p in FOLDER.glob("*.yaml"))
    return tuple(sorted(found, key=lambda code: code != DEFAULT))


@lru_cache(maxsize=8)
def catalogue(lang: str) -> dict[str, Any]:
    """All sections of one language (the default language for an unknown one). Read with the
    tool's own YAML 1.2 loader, so `no`, `on` and `NO` stay words."""
    from hrcoord.core.loader import load_file

    if lang not in languages():
        lang = DEFAULT
    loaded = load_file(FOLDER / f"{lang}.yaml", f"labels/{lang}.yaml", markdown=False)
    if loaded.problems or not isinstance(loaded.data, dict):  # a packaged file: a bug, not a user error
        raise RuntimeError(f"label catalogue {lang}.yaml does not load: {loaded.problems}")
    return loaded.data


class Table(Mapping[str, Any]):
    """One section of the catalogue in every language: `table[lang]` is that section's words."""

    def __init__(self, section: str):
        self.section = section

    def __getitem__(self, lang: str) -> Any:
        return catalogue(lang)[self.section]

    def get(self, lang: str, default: Any = None) -> Any:
        return self[lang]  # an unknown language gets the default one's words, never None

    def __contains__(self, lang: object) -> bool:
        return lang in languages()

    def __iter__(self) -> Iterator[str]:
        return iter(languages())

    def __len__(self) -> int:
        return len(languages())


def table(section: str) -> Table:
    return Table(section)


def words(lang: str, section: str) -> Any:
    """One section of one language."""
    return catalogue(lang)[section]
