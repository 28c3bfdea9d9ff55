"""Versions of a record file, read cheaply: a top-level field from its own line, the front matter
cut into top-level key blocks, a full parse only when the blocks cannot be trusted. `changes` and
`diff` compare versions from git's history and the working tree with these."""
from __future__ import annotations

import re
from dataclasses import dataclass

from hrcoord.core import labels

# records named within their network or plan: the key is "<folder>/<id>", as in Repository.records()
KEYED_BY_PARENT = ("meeting", "submission", "measure")

_FM_END = re.compile(r"^---[ \t]*$", re.M)
# A top-level key at the start of a line: `key:` followed by a space or the end of the line.
_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*):(?=[ \t]|$)", re.M)
_FAIL = object()


def decode(raw: bytes) -> str:
    """A file's bytes as the loader reads them: UTF-8 (a BOM dropped), LF line ends."""
    text = raw.decode("utf-8-sig", "replace")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def split(text: str, markdown: bool) -> tuple[str, str | None]:
    """(front matter, body) as the loader splits them; ("", None) when there is no front matter."""
    if not markdown:
        return text, None
    first = _FM_END.match(text)
    if not first:
        return "", None
    closing = _FM_END.search(text, first.end() + 1)
    if not closing:
        return "", None
    return text[first.end() + 1: closing.start()], text[closing.end() + 1:]


def quick_field(text: str, key: str, markdown: bool):
    """A top-level scalar field from its own line, without parsing the whole file; None when it is
    absent or not a one-line scalar."""
    return _quick(split(text, markdown)[0], key)


def _quick(fm: str, key: str):
    m = re.search(rf"^{re.escape(key)}:[ \t]*(.*)$", fm, re.M)
    if not m:
        return None
    value = m.group(1).strip()
    if not value or value[0] in "|>[{&*!":
        return None
    if value[0] in "'\"" or " #" in value or ": " in value:
        from hrcoord.core.loader import load_text

        data = load_text(f"{key}: {value}\n").data
        v = data.get(key) if isinstance(data, dict) else None
        return v if isinstance(v, (str, int, float)) else None
    return value


@dataclass
class Version:
    """One version of a record file. Read lazily: a field from its line, the front matter cut into
    top-level key blocks, a full parse only when the blocks cannot be trusted."""

    text: str
    markdown: bool
    _split: tuple | None = None
    _blocks: object = None
    _parsed: tuple | None = None

    @property
    def front(self) -> str:
        if self._split is None:
            self._split = split(self.text, self.markdown)
        return self._split[0]

    @property
    def body(self) -> str | None:
        return split(self.text, self.markdown)[1] if self._split is None else self._split[1]

    def field(self, key: str):
        if key + ":" not in self.text:
            return None
        return _quick(self.front, key)

    def has(self, word: str) -> bool:
        return word in self.text

    def blocks(self) -> dict[str, str] | None:
        """Top-level key -> its lines; None when the front matter is not plain block YAML."""
        if self._blocks is None:
            found = _key_blocks(self.front)
            self._blocks = found if found is not None else _FAIL
        return None if self._blocks is _FAIL else self._blocks  # type: ignore[return-value]

    def parsed(self) -> tuple[dict | None, str | None]:
        if self._parsed is None:
            from hrcoord.core.loader import load_text

            loaded = load_text(self.text, "<history>", markdown=self.markdown)
            data = loaded.data if isinstance(loaded.data, dict) and not loaded.problems else None
            body = loaded.source.body if loaded.source is not None else None
            self._parsed = (data, body)
        return self._parsed


def _key_blocks(fm: str) -> dict[str, str] | None:
    """Top-level key -> its lines, or None: text before the first key, or a key twice (the loader
    says what that means)."""
    starts = [(m.start(), m.group(1)) for m in _KEY_LINE.finditer(fm)]
    lead = fm[: starts[0][0]] if starts else fm
    if any(ln.strip() and not ln.lstrip().startswith("#") for ln in lead.split("\n")):
        return None
    out: dict[str, str] = {}
    for i, (pos, key) in enumerate(starts):
        if key in out:
            return None
        out[key] = fm[pos: starts[i + 1][0] if i + 1 < len(starts) else len(fm)]
    return out


def block_values(blocks: dict[str, str], keys: list[str]):
    """The values of some top-level keys, parsed together from their lines (one parse)."""
    import yaml

    from hrcoord.core.loader import Loader, YamlProblem

    present = [k for k in keys if k in blocks]
    if not present:
        return {}
    text = "".join(blocks[k] if blocks[k].endswith("\n") else blocks[k] + "\n" for k in present)
    if "&" in text or "*" in text:  # anchors are refused; let the full load say so
        return _FAIL
    loader = Loader(text)
    try:
        data = loader.get_single_data()
    except (YamlProblem, yaml.YAMLError, RecursionError):
        return _FAIL
    finally:
        loader.dispose()
    if not isinstance(data, dict) or list(data) != present:
        return _FAIL
    return data


def compare(model, old: Version, new: Version) -> tuple[list[str], bool]:
    """The front-matter fields that differ (in the model's order) and whether the text differs.
    Only the key blocks whose lines differ are parsed."""
    order = {name: i for i, name in enumerate(model.order)}
    quick = _compare_blocks(model, old, new, order)
    return quick if quick is not None else _compare_parsed(model, old, new, order)


def _compare_blocks(model, old: Version, new: Version, order: dict) -> tuple[list[str], bool] | None:
    """`compare` parsing only the key blocks that differ; None when a version is not plain block
    YAML (then the whole files are compared)."""
    from hrcoord.core.models.judgment import normalise_text

    ob, nb = old.blocks(), new.blocks()
    if ob is None or nb is None:
        return None
    text_changed = bool(model.markdown) and normalise_text(old.body) != normalise_text(new.body)
    keys = [k for k in sorted(set(ob) | set(nb), key=lambda k: (order.get(k, len(order)), k))
            if ob.get(k) != nb.get(k)]
    va, vb = block_values(ob, keys), block_values(nb, keys)
    if va is _FAIL or vb is _FAIL:
        return None
    return [k for k in keys if va.get(k) != vb.get(k)], text_changed


def _compare_parsed(model, old: Version, new: Version, order: dict) -> tuple[list[str], bool]:
    """`compare` on the whole parsed front matters."""
    from hrcoord.core.models.judgment import normalise_text

    od, obody = old.parsed()
    nd, nbody = new.parsed()
    text_changed = bool(model.markdown) and normalise_text(obody) != normalise_text(nbody)
    if od is None or nd is None:  # a version that does not load: say the front matter changed
        return ([] if old.front.strip() == new.front.strip() else ["front_matter"]), text_changed
    keys = sorted(set(od) | set(nd), key=lambda k: (order.get(k, len(order)), str(k)))
    return [str(k) for k in keys if od.get(k) != nd.get(k)], text_changed


def title_of(type_: str, key: str, v: Version | None, lang: str) -> str:
    """What a change report calls the record: its title, name or number, in `lang`.

    Complexity: one flat rule per record type, each falling back to what the record has (the
    Norwegian name, the number, the key)."""
    if v is None:
        return key
    if type_ == "meeting":
        from hrcoord.render.dates import long_date

        network, _, day = key.partition("/")
        return f"{labels.words(lang, 'changes')['meeting']} {long_date(v.field('date') or day, lang)} ({network})"
    if type_ == "network":
        return str(v.field(f"name_{lang}") or v.field("name_nb") or key)
    if type_ == "action-plan":
        return str(v.field(f"title_{lang}") or v.field("title_nb") or key)
    title = v.field("title")
    if type_ == "measure":
        number = v.field("number")
        return f"{number}: {title}" if number and title else str(title or number or key)
    return str(title or key)


def classify(path: str, types: set[str] | None = None, *, records_only: bool = False):
    """(model, key) of a repository-relative path as git names it (always with '/'), or None
    when it is no record (or not of `types`; vocabularies too with `records_only`)."""
    from hrcoord.core.models import VOCAB_FILES, model_for

    parts = tuple(path.split("/"))
    if len(parts) < 2 or parts[0] != "data":
        return None
    model = model_for(parts[1:])
    if model is None or (types and model.type not in types):
        return None
    if records_only and model in VOCAB_FILES.values():
        return None
    rid = parts[-1].rsplit(".", 1)[0]
    return model, (f"{parts[-2]}/{rid}" if model.type in KEYED_BY_PARENT else rid)
