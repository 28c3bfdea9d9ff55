"""The one loader for every record file: safe YAML 1.2 with libyaml, front matter, positions.

Speed (SPEC §6): a valid file costs one libyaml parse and one construction. Positions are not
recorded while loading; `locate()` composes the text again only when a problem must be reported.
"""
from __future__ import annotations

import errno
import os
import re
import stat as stat_mod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml

from hrcoord.core.errors import Problem

MAX_BYTES = 1024 * 1024

# libyaml's C parser; the pure-Python one only where libyaml is missing
_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"

# YAML 1.2 core schema. Leading zeros are not an int here, so a postcode `0150` stays a string;
# no timestamps (the models check dates, so `2014-02-30` is a reported error, not a crash);
# no sexagesimal numbers (`10:00` stays a time string); only true/false are booleans.
_CORE_RESOLVERS = [
    (NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), list("~nN") + [""]),
    (BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")),
    (INT, re.compile(r"^(?:[-+]?(?:0|[1-9][0-9]*)|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")),
    (
        FLOAT,
        re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        list("-+.0123456789"),
    ),
]


def _core_resolvers() -> dict:
    table: dict = {}
    for tag, regexp, first in _CORE_RESOLVERS:
        for ch in first:
            table.setdefault(ch, []).append((tag, regexp))
    return table


class YamlProblem(Exception):
    """Raised inside construction; carries a code and the libyaml mark."""

    def __init__(self, code: str, message: str, mark=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.mark = mark


def _int(loader, node):
    v = node.value
    if len(v) > 30:  # no record needs more; Python refuses very long ones anyway
        raise YamlProblem("HR001", "number too long", node.start_mark)
    if v.startswith("0o"):
        return int(v[2:], 8)
    if v.startswith("0x"):
        return int(v[2:], 16)
    return int(v)


def _float(loader, node):
    v = node.value.lower()
    if v.endswith("inf"):
        return float("-inf") if v.startswith("-") else float("inf")
    if v == ".nan":
        return float("nan")
    return float(v)


class Loader(_BaseLoader):
    """Safe, YAML 1.2 scalars, no duplicate keys, no tags beyond the core schema.

    A subclass with its own tables: the global yaml loaders stay untouched. libyaml composes the
    node tree; `build()` turns it into Python data in one direct pass (no constructor machinery:
    aliases are refused beforehand, so there are no cycles to handle).
    """

    yaml_implicit_resolvers = _core_resolvers()
    yaml_constructors: ClassVar[dict] = {}

    # no path resolvers: skip the per-node bookkeeping libyaml would call back for
    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            if implicit[0]:
                if value == "":
                    return NULL
                for tag, regexp in self.yaml_implicit_resolvers.get(value[0], ()):
                    if regexp.match(value):
                        return tag
            return STR
        return SEQ if kind is yaml.SequenceNode else MAP

    def construct_mapping(self, node, deep=False):  # used by yaml.load() in tests only
        return build(node)

    def construct_undefined(self, node):
        raise YamlProblem("HR004", f"tag {node.tag!r} is not allowed (only plain YAML data)", node.start_mark)


def build(node):
    """Python data from a composed node: str, int, float, bool, None, list, dict.

    Complexity: on purpose. The hottest function of a cold validate (every node of every file),
    so one type dispatch in one frame, commonest case first; split into a function per tag it
    costs a call per node."""
    tag = node.tag
    if tag == STR:
        value = node.value
        if isinstance(value, str):
            return value
    elif tag == MAP:
        if isinstance(node, yaml.MappingNode):
            mapping: dict = {}
            for key_node, value_node in node.value:
                key = build(key_node)
                try:
                    hash(key)
                except TypeError:
                    raise YamlProblem("HR001", "a key must be a plain value", key_node.start_mark) from None
                if key in mapping:
                    raise YamlProblem("HR002", f"duplicate key {key!r}", key_node.start_mark)
                mapping[key] = build(value_node)
            return mapping
    elif tag == SEQ:
        if isinstance(node, yaml.SequenceNode):
            return [build(n) for n in node.value]
    elif isinstance(node, yaml.ScalarNode):
        value = node.value
        if tag == NULL and value in ("", "~", "null", "Null", "NULL"):
            return None
        if tag == BOOL and value in ("true", "True", "TRUE", "false", "False", "FALSE"):
            return value.lower() == "true"
        if tag == INT and _CORE_RESOLVERS[2][1].match(value):
            return _int(None, node)
        if tag == FLOAT and _CORE_RESOLVERS[3][1].match(value):
            return _float(None, node)
    name = tag if not tag.startswith("tag:yaml.org,2002:") else "!!" + tag[len("tag:yaml.org,2002:"):]
    raise YamlProblem("HR004", f"tag {name} is not allowed here (only plain YAML data)", node.start_mark)


Loader.add_constructor(None, Loader.construct_undefined)

# A `---` line. Not python-frontmatter's boundary regex: its `\s*$` swallows the blank lines after
# the closing line, and the body must be kept byte for byte.
_FM = re.compile(r"^---[ \t]*$", re.M)


@dataclass(slots=True)
class Source:
    """One file's text, split into front matter and body, with line offsets."""

    path: Path
    rel: str
    yaml_text: str
    body: str | None = None  # Markdown body (None for plain YAML files)
    yaml_line: int = 1  # 1-based line on which yaml_text starts
    head: str = ""  # the exact text before the YAML (opening `---` line)
    sig: list | None = None  # the file's stat signature when it was read (None: not from a file)


@dataclass(slots=True)
class Loaded:
    source: Source | None
    data: object = None
    problems: list[Problem] = field(default_factory=list)


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def read_text(path: Path, rel: str, stat: list | None = None) -> tuple[str | None, list[Problem]]:
    """Read a file as UTF-8 text with the SPEC §2.1 limits; a BOM and CRLF are accepted. The
    file's stat is appended to `stat` when given (taken from the open file: no second lookup).
    A symbolic link is not followed (the repository is a boundary: HR012)."""
    _, text, problems = read_file(path, rel, stat)
    return text, problems


def read_file(path: Path, rel: str, stat: list | None = None) -> tuple[bytes | None, str | None, list[Problem]]:
    """read_text(), with the bytes as read (for a writer that must compare them later)."""
    try:
        raw, st = read_raw(path)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK) or os.path.islink(path):
            return None, None, [Problem(rel, 1, 1, "HR012", "symbolic link: records must be plain files inside "
                                                            "the repository; not read")]
        return None, None, [Problem(rel, 0, 0, "HR010", f"cannot read file: {exc.strerror or exc}")]
    if stat is not None:
        stat.append(st)
    if raw is None:
        return None, None, [Problem(rel, 1, 1, "HR007",
                                    f"file is {st.st_size} bytes; the limit is {MAX_BYTES} (1 MiB)")]
    text, problems = decode(raw, rel)
    return raw, text, problems


def decode(raw: bytes, rel: str) -> tuple[str | None, list[Problem]]:
    """A record file's bytes as text (LF line ends, no BOM), or its problem: NUL, not UTF-8."""
    nul = raw.find(b"\0")
    if nul >= 0:
        line, col = _line_col(raw.decode("latin-1"), nul)
        return None, [Problem(rel, line, col, "HR006", "binary file: NUL byte found; records are UTF-8 text")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _line_col(raw[: exc.start].decode("utf-8", "replace"), exc.start)
        return None, [
            Problem(rel, line, col, "HR005", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")
        ]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, []


# no link followed, no wait on a named pipe put where a record should be, no newline translation
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
               | getattr(os, "O_BINARY", 0))


def read_raw(path) -> tuple[bytes | None, os.stat_result]:
    """The file's bytes (None when over the size limit) and its stat, in four system calls:
    validating 10,000 files, Python's buffered `open` (which also stats the file twice, asks
    whether it is a terminal and seeks) costs more than the reading. A link is not followed
    (`O_NOFOLLOW` where the platform has it: ELOOP); only regular files are read."""
    fd = os.open(path, _OPEN_FLAGS)
    try:
        st = os.fstat(fd)
        if not stat_mod.S_ISREG(st.st_mode):
            raise OSError(errno.EISDIR if stat_mod.S_ISDIR(st.st_mode) else errno.EINVAL,
                          "not a plain file", str(path))
        if st.st_size > MAX_BYTES:
            return None, st
        chunks = [os.read(fd, st.st_size + 1)]
        total = len(chunks[0])
        while chunks[-1] and total <= MAX_BYTES:  # it grew while we read: read to the end
            chunks.append(os.read(fd, 1 << 16))
            total += len(chunks[-1])
        if total > MAX_BYTES:
            return None, st
        return b"".join(chunks) if len(chunks) > 1 else chunks[0], st
    finally:
        os.close(fd)


def split_front_matter(text: str, path: Path, rel: str) -> tuple[Source | None, list[Problem]]:
    first = _FM.match(text)
    if not first:
        return None, [Problem(rel, 1, 1, "HR008", "no front matter: the file must start with a '---' line")]
    head_end = first.end() + 1
    closing = _FM.search(text, head_end)
    if not closing:
        return None, [Problem(rel, 1, 1, "HR008", "front matter is not closed with a '---' line")]
    yaml_text = text[head_end : closing.start()]
    body = text[closing.end() + 1 :]
    return Source(path, rel, yaml_text, body, 2, text[:head_end]), []


def _has_alias_or_anchor(text: str) -> Any:
    """Return the mark of the first anchor or alias, or None. Only run when '&' or '*' occurs."""
    for event in yaml.parse(text, Loader=Loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return event.start_mark
    return None


def _hint(exc: yaml.MarkedYAMLError, text: str, mark) -> str:
    """What to do about the commonest mistake: a colon and a space inside a plain value."""
    if mark is None or "mapping values are not allowed" not in str(exc.problem):
        return ""
    lines = text.split("\n")
    line = lines[mark.line] if mark.line < len(lines) else ""
    key, sep, value = line.partition(": ")
    if not sep or not key.strip() or not value.strip():
        return "; quote a value that holds ': ' (key: \"…\")"
    quoted = value.strip().replace("\\", "\\\\").replace('"', '\\"')
    return f'; quote the value: {key.rstrip()}: "{quoted}"'


def parse_yaml(src: Source) -> Loaded:
    """Construct the data of a Source; YAML problems carry `path:line:col`.

    Complexity: one `except` per way libyaml and our construction fail, each mapped to its problem
    code and position in one place, which reads better than spread over helpers."""
    text = src.yaml_text
    offset = src.yaml_line - 1
    try:
        if "&" in text or "*" in text:
            mark = _has_alias_or_anchor(text)
            if mark is not None:
                return Loaded(
                    src,
                    None,
                    [Problem(src.rel, mark.line + 1 + offset, mark.column + 1, "HR003",
                             "anchors and aliases (&name, *name) are not allowed; write the value out")],
                )
        loader = Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
        data = build(node) if node is not None else None
    except YamlProblem as exc:
        line, col = (exc.mark.line + 1 + offset, exc.mark.column + 1) if exc.mark else (src.yaml_line, 1)
        return Loaded(src, None, [Problem(src.rel, line, col, exc.code, exc.message)])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1 + offset, mark.column + 1) if mark else (src.yaml_line, 1)
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p) or "YAML syntax error"
        return Loaded(src, None, [Problem(src.rel, line, col, "HR001",
                                          f"YAML syntax error: {message}{_hint(exc, text, mark)}")])
    except yaml.YAMLError as exc:
        return Loaded(src, None, [Problem(src.rel, src.yaml_line, 1, "HR001", f"YAML error: {exc}")])
    except RecursionError:
        return Loaded(src, None, [Problem(src.rel, src.yaml_line, 1, "HR001", "YAML nested too deeply")])
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return Loaded(src, None, [Problem(src.rel, src.yaml_line, 1, "HR009",
                                          f"the record must be a mapping of fields, not a {type(data).__name__}")])
    return Loaded(src, data, [])


def load_file(path: Path, rel: str, markdown: bool | None = None, stat: list | None = None) -> Loaded:
    """Read, split and parse one record file. `markdown` defaults to the `.md` suffix; the
    file's stat is appended to `stat` when given."""
    st: list = []
    text, problems = read_text(path, rel, st)
    if stat is not None:
        stat.extend(st)
    if text is None:
        return Loaded(None, None, problems)
    if markdown is None:
        markdown = path.suffix == ".md"
    if markdown:
        src, problems = split_front_matter(text, path, rel)
        if src is None:
            return Loaded(None, None, problems)
    else:
        src = Source(path, rel, text, None, 1, "")
    if st:
        src.sig = [st[0].st_mtime_ns, st[0].st_ctime_ns, st[0].st_size, st[0].st_ino]
    return parse_yaml(src)


def load_text(text: str, rel: str = "<text>", markdown: bool = False) -> Loaded:
    """Parse text already in memory (for tests and `fmt`)."""
    path = Path(rel)
    if markdown:
        src, problems = split_front_matter(text, path, rel)
        if src is None:
            return Loaded(None, None, problems)
    else:
        src = Source(path, rel, text, None, 1, "")
    return parse_yaml(src)


# --- positions, computed only when a problem is reported -------------------------------------


def compose(src: Source):
    try:
        return yaml.compose(src.yaml_text, Loader=Loader)
    except yaml.YAMLError:
        return None


def locate(src: Source, keypath: tuple, node=None, at_key: bool = False) -> tuple[int, int]:
    """`path:line:col` of the value at `keypath` (keys and list indexes).

    Walks as deep as the path exists; a missing key points at its parent. `at_key` points at the
    key itself (for unknown fields).

    Complexity: one walk down mappings and sequences with the rules for where a missing or empty
    value points.
    """
    node = node if node is not None else compose(src)
    offset = src.yaml_line - 1
    if node is None:
        return src.yaml_line, 1
    mark = node.start_mark
    for step in keypath:
        nxt = None
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == str(step):
                    nxt = (k, v)
                    break
            if nxt is None:
                break
            key_node, node = nxt
            mark = key_node.start_mark if (at_key and step == keypath[-1]) else (
                node.start_mark if not (isinstance(node, yaml.ScalarNode) and node.value == "" and node.tag == NULL)
                else key_node.start_mark)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            mark = node.start_mark
        else:
            break
    return mark.line + 1 + offset, mark.column + 1


def comment_spans(text: str) -> list[int]:
    """Offsets of YAML comments ('#' outside any scalar), found with the scanner's marks."""
    if "#" not in text:
        return []
    hashes = [m.start() for m in re.finditer("#", text)]
    spans = []
    try:
        for token in yaml.scan(text, Loader=Loader):
            if isinstance(token, yaml.ScalarToken):
                spans.append((token.start_mark.index, token.end_mark.index))
    except yaml.YAMLError:
        return hashes
    out = []
    for h in hashes:
        if h > 0 and text[h - 1] not in " \t\n":
            continue  # '#' inside a word is not a comment
        if any(a <= h < b for a, b in spans):
            continue
        out.append(h)
    return out
