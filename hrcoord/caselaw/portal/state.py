"""What an incremental publish starts from: the last publish's state (per summary file its stat
signature, what its page shows of other summaries, its slim view and where its JSON entries
stand), kept in the cache as plain data (MessagePack), valid only while the site folder holds what that publish
wrote and nothing else that decides the pages (tool, settings, vocabularies, templates) changed."""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from hrcoord.caselaw.portal.exports import SPLICED

MARKER = ".hrcoord-site"


def state_name(lang: str) -> str:
    return f"publish-{lang}.msgpack"


def scan_summaries(repo, previous_meta: dict) -> tuple[list[str], dict[str, dict], list[str]]:
    """Every summary file (rel, in folder order); the metas of those whose stat signature is the
    same as at the last publish (they are not read again); and the paths of the others."""
    from hrcoord.core.cache import signature

    rels, known, todo = [], {}, []
    for path, _ in repo.scan()["judgment"]:
        rel = repo.rel(path)
        rels.append(rel)
        m = previous_meta.get(rel)
        if m is not None:
            try:
                if signature(path) == m["sig"]:
                    known[rel] = m
                    continue
            except OSError:
                continue
        todo.append(str(path))
    return rels, known, todo


def deps(meta: dict, on_site: dict) -> list:
    """What a page shows of other summaries: the titles of those it links to (lists, as the
    cache gives them back)."""
    return [[i, on_site.get(i)] for i in meta["links"]]


def site_fingerprint(repo, lang: str, base: str, today: dt.date, embed_limit: int) -> str:
    """Everything besides the records that decides the pages: tool, language, settings,
    vocabularies and templates (packaged and the repository's own)."""
    from hrcoord.core.cache import code_version, signature
    from hrcoord.render.env import PACKAGED

    h = hashlib.sha256(f"{code_version()}|{lang}|{base}|{today}|{embed_limit}".encode())
    paths = [repo.root / "hrcoord.yaml"] + [Path(p) for t in ("conventions", "taxonomy") for p, _ in repo.scan()[t]]
    for folder in (PACKAGED / "portal", repo.root / "templates"):
        if folder.is_dir():
            paths += sorted(folder.rglob("*"))
    for path in paths:
        try:
            h.update(f"{path}|{signature(path)}".encode())
        except OSError:
            h.update(f"{path}|-".encode())
    return h.hexdigest()


def written(out: Path) -> dict:
    """Stat signatures of the files an incremental publish relies on being as it left them."""
    from hrcoord.core.cache import signature

    return {name: signature(out / name) for name in ("index.html", *SPLICED)}


def previous(repo, out: Path, lang: str, fingerprint: str) -> dict | None:
    """The last publish's state, when `out` still holds exactly what it wrote and nothing else
    that decides the pages changed."""
    from hrcoord.core import cache

    saved = cache.read(repo.root / ".hrcoord" / "cache" / state_name(lang))
    if not isinstance(saved, dict) or saved.get("out") != str(out) or not (out / MARKER).is_file():
        return None
    try:
        if written(out) != saved.get("written"):
            return None  # changed by hand or by another build: rebuild it whole
    except OSError:
        return None
    state = saved.get("state")
    if not isinstance(state, dict) or state.get("fp") != fingerprint or not isinstance(state.get("entries"), dict):
        # another layout, or settings, vocabularies, templates or the tool changed: everything is rendered
        return None
    return {**state, "out": saved["out"]}


def save(repo, out: Path, lang: str, state: dict) -> None:
    """Plain data: a state that arrives with a cloned repository can hold nothing but data, and
    its signatures never match the files of another machine."""
    from hrcoord.core import cache

    cache.write(repo.root, state_name(lang), {"state": state, "out": str(out), "written": written(out)})


def forget(repo, lang: str) -> None:
    """Drop the state (before the site changes: a failed swap must not leave a state that lies)."""
    import contextlib

    with contextlib.suppress(OSError):
        (repo.root / ".hrcoord" / "cache" / state_name(lang)).unlink()
