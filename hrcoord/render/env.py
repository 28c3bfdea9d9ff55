"""The Jinja2 environments. Packaged templates (hrcoord/templates) are trusted; a repository's own
`templates/` override them and run in Jinja2's sandbox (SPEC §5). Undefined variables are errors,
so a notice never goes out with a blank date. HTML templates autoescape.

A repository's templates are input like its records (issue 19):
- a template that is a symbolic link, or lies in a linked folder, is refused (a cloned repository
  must not put /etc/shadow in a portal footer); files are opened without following links;
- the sandbox limits what a template can make: strings and lists of at most MAX_STRING items
  (`'a' * 10**9`, `~` in a loop, `replace` and `format` with huge results), ranges of at most
  Jinja's MAX_RANGE, no huge integer arguments or powers, and RENDER_SECONDS of rendering;
- its mistakes (a missing or absolute include, self-recursion, a type error, a limit) are template
  errors naming the template's file and line (exit 1), never internal errors.
"""
from __future__ import annotations

import os
import re
import threading
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

PACKAGED = Path(__file__).resolve().parent.parent / "templates"

MAX_STRING = 16 * 1024 * 1024  # characters (or items) one operation of a repository template may make
MAX_INT_ARGUMENT = 1_000_000  # a width, a count: `'x'.center(10**9)`, `|indent(10**9)`
MAX_POWER_BITS = 100_000
RENDER_SECONDS = 30.0  # one document; a portal page takes milliseconds
_WIDE_FORMAT = re.compile(r"\d{7,}")  # '%0999999999d', '{:>1000000000}'


def _filters(lang: str) -> dict:
    from hrcoord.render import dates, safe
    from hrcoord.render.markdown import to_html

    return {
        "longdate": lambda v, in_lang=None: dates.long_date(v, in_lang or lang),
        "shortdate": lambda v, in_lang=None: dates.short_date(v, in_lang or lang),
        "weekdaydate": lambda v, in_lang=None: dates.weekday_date(v, in_lang or lang),
        "markdown": lambda v: __import__("markupsafe").Markup(to_html(v)),
        # escaping for each reader (render/safe.py): links, Markdown text, cells and bodies
        "safe_url": safe.safe_url,
        "md_text": safe.md_text,
        "md_literal": safe.md_literal,
        "md_body": safe.md_body,
        "link_target": safe.link_target,
    }


@lru_cache(maxsize=2)
def _bytecode_cache(kind: str):
    """Compiled templates kept in the user's cache folder: compiling them costs a tenth of a
    second at every start. Jinja keys each entry on the template's name and source, so an edited
    template is compiled again; the folder is keyed on what compiled it (`kind`: the plain or the
    sandboxed environment, and Jinja's version), because the two compile the same source to
    different code: sandboxed code must never come from the plain environment, nor the reverse."""
    import jinja2

    from hrcoord.core import cache
    from hrcoord.core.cache import user_folder

    class BytecodeCache(jinja2.FileSystemBytecodeCache):
        def dump_bytecode(self, bucket):
            if cache.is_read_only():  # a --dry-run writes nothing, in the user's cache neither
                return
            try:
                Path(self.directory).mkdir(parents=True, exist_ok=True)
                super().dump_bytecode(bucket)
            except OSError:
                pass  # no home folder: compile every time

    return BytecodeCache(str(user_folder() / "templates" / f"{kind}-jinja{jinja2.__version__}"))


# --- limits of the sandbox ----------------------------------------------------------------------------

_deadline = threading.local()


def _tick() -> None:
    end = getattr(_deadline, "at", None)
    if end is not None and time.monotonic() > end:
        raise _security(f"the template took longer than {RENDER_SECONDS:g} seconds to render")


def _security(message: str):
    from jinja2.exceptions import SecurityError

    return SecurityError(message)


def _sized(value: Any) -> Any:
    """`value`, when it is not a string or list beyond MAX_STRING."""
    if isinstance(value, (str, list, tuple, bytes)) and len(value) > MAX_STRING:
        raise _security(f"the template made a value of {len(value):,} characters; the limit is {MAX_STRING:,}")
    return value


def _check_arguments(args: tuple, kwargs: dict) -> None:
    for a in (*args, *kwargs.values()):
        if isinstance(a, int) and not isinstance(a, bool) and abs(a) > MAX_INT_ARGUMENT:
            raise _security(f"the number {a} is too large for the sandbox (at most {MAX_INT_ARGUMENT:,})")
        if isinstance(a, str) and _WIDE_FORMAT.search(a) and ("%" in a or "{" in a):
            raise _security("a format with a width of millions is not allowed in the sandbox")


def _replace_size(text: str, old: str, new: str) -> int:
    return len(text) + (text.count(old) if old else len(text) + 1) * max(0, len(new) - len(old))


_SEQUENCES = (str, list, tuple, bytes)


def _repeat(left: Any, right: Any) -> None:
    for a, b in ((left, right), (right, left)):
        if isinstance(a, _SEQUENCES) and isinstance(b, int) and len(a) * b > MAX_STRING:
            raise _security(f"the template would repeat a value to {len(a) * b:,} items; the limit is {MAX_STRING:,}")


def _power(left: Any, right: Any) -> None:
    if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1 \
            and right * abs(left).bit_length() > MAX_POWER_BITS:
        raise _security(f"{left} ** {right} is too large for the sandbox")


def _join(left: Any, right: Any) -> None:
    if isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES):
        _sized(range(len(left) + len(right)))


def _format(left: Any, right: Any) -> None:
    if isinstance(left, str) and _WIDE_FORMAT.search(left):
        raise _security("a format with a width of millions is not allowed in the sandbox")


# what each intercepted operator could make too large, checked before it is made
_PRECHECKS = {"*": _repeat, "**": _power, "+": _join, "%": _format}


class _Range:
    """range() in a repository template: Jinja's size limit, and the render time checked as it
    is walked (a loop of loops makes no call the sandbox would see)."""

    def __init__(self, *args: int):
        from jinja2.sandbox import safe_range

        self.r = safe_range(*args)

    def __iter__(self):
        for i, n in enumerate(self.r):
            if i % 1024 == 0:
                _tick()
            yield n

    def __len__(self) -> int:
        return len(self.r)

    def __getitem__(self, i):
        return self.r[i]

    def __contains__(self, n) -> bool:
        return n in self.r

    def __reversed__(self):
        return reversed(self.r)


def _limited(f):
    """A filter of the sandboxed environment: its arguments and its result within the limits."""
    passes = getattr(f, "jinja_pass_arg", None)  # pass_context, pass_eval_context, pass_environment
    skip = 2 if passes is not None else 1  # (that first argument, and the value filtered)

    def wrapper(*args, **kwargs):
        _tick()
        _check_arguments(args[skip:], kwargs)
        return _sized(f(*args, **kwargs))

    if passes is not None:
        wrapper.jinja_pass_arg = passes  # type: ignore[attr-defined]
    return wrapper


@lru_cache(maxsize=1)
def _classes():
    """The plain and the sandboxed environment, each looking a plain dict's keys up first."""
    import jinja2
    from jinja2.compiler import CodeGenerator
    from jinja2.sandbox import SandboxedEnvironment

    class KeysFirst(jinja2.Environment):
        # `s.title` on a dict: Jinja tries the attribute first and pays for an AttributeError
        # on every access — a third of the time to render a portal page, which reads some 75
        # fields of plain dicts. Keys first; a dict method is still found when no key has its name.
        def getattr(self, obj, attribute):
            if type(obj) is dict:
                try:
                    return obj[attribute]
                except KeyError:
                    pass
            return super().getattr(obj, attribute)

    class Environment(KeysFirst, jinja2.Environment):
        pass

    class LimitedCodeGenerator(CodeGenerator):
        def visit_Concat(self, node, frame):  # `a ~ b`: its result is checked like any other
            self.write("environment.sized(")
            super().visit_Concat(node, frame)
            self.write(")")

    class Sandboxed(KeysFirst, SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "+", "%"})
        code_generator_class = LimitedCodeGenerator

        def sized(self, value):
            _tick()
            return _sized(value)

        def getattr(self, obj, attribute):
            _tick()
            return super().getattr(obj, attribute)

        def call_binop(self, context, operator, left, right):
            _tick()
            _PRECHECKS[operator](left, right)
            return _sized(super().call_binop(context, operator, left, right))

        def call(__self, __context, __obj, *args, **kwargs):
            _tick()
            _check_arguments(args, kwargs)
            if getattr(__obj, "__name__", "") == "replace" and isinstance(getattr(__obj, "__self__", None), str) \
                    and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str) \
                    and _replace_size(__obj.__self__, args[0], args[1]) > MAX_STRING:
                raise _security("the replacement would make a value beyond the sandbox's limit")
            return _sized(SandboxedEnvironment.call(__self, __context, __obj, *args, **kwargs))

    return Environment, Sandboxed


def _replace_filter(f):
    def replace(eval_ctx, s, old, new, count=None):
        if isinstance(s, str) and isinstance(old, str) and isinstance(new, str) and \
                _replace_size(s, old, new) > MAX_STRING:
            raise _security("the replacement would make a value beyond the sandbox's limit")
        return f(eval_ctx, s, old, new, count)

    replace.jinja_pass_arg = getattr(f, "jinja_pass_arg", None)  # type: ignore[attr-defined]
    return replace


# --- a repository's own templates -------------------------------------------------------------------


def _loader_class():
    import jinja2
    from jinja2.loaders import split_template_path

    from hrcoord.core.errors import HrcoordError
    from hrcoord.core.fsutil import link_inside, read_nofollow

    class RepositoryLoader(jinja2.BaseLoader):
        """A repository's `templates/`: plain files inside it only (no link is followed)."""

        def __init__(self, folder: str):
            self.folder = folder

        def get_source(self, environment, template):
            pieces = split_template_path(template)  # TemplateNotFound for '..'
            path = os.path.join(self.folder, *pieces)
            if link_inside(Path(self.folder), Path(path)) is not None:
                raise HrcoordError(f"templates/{'/'.join(pieces)}: a symbolic link (or in a linked folder); "
                                   f"a repository's templates must be plain files inside it; not used")
            try:
                raw = read_nofollow(Path(path))
            except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
                raise jinja2.TemplateNotFound(template) from None
            except OSError as exc:
                raise HrcoordError(f"templates/{'/'.join(pieces)}: cannot read: {exc.strerror or exc}") from None
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise HrcoordError(f"templates/{'/'.join(pieces)}: not valid UTF-8") from None
            return text, path, lambda: True

    return RepositoryLoader


def _own_templates(folder: Path) -> bool:
    """Whether a repository has templates of its own (links included, to be refused on use)."""
    from hrcoord.core.errors import HrcoordError

    if os.path.islink(folder):
        raise HrcoordError(f"{folder}: the templates folder is a symbolic link; a repository's templates must "
                           f"lie inside it")
    if not folder.is_dir():
        return False
    own = False
    for here, dirs, names in os.walk(folder):  # (does not descend into linked folders)
        for name in dirs + names:
            if os.path.islink(os.path.join(here, name)):
                rel = Path(os.path.relpath(os.path.join(here, name), folder.parent)).as_posix()
                raise HrcoordError(f"{rel}: a symbolic link; a repository's templates must be plain files and "
                                   f"folders inside it; not used")
        own = own or any(n.endswith(".j2") for n in names)
    return own


@lru_cache(maxsize=16)
def environment(repo_root: str | None, lang: str):
    """One environment per (repository, language); repository templates win over packaged ones."""
    import jinja2

    repo_templates = Path(repo_root) / "templates" if repo_root else None
    own = repo_templates is not None and _own_templates(repo_templates)
    loaders: list = []
    if own:
        loaders.append(_loader_class()(str(repo_templates)))
    loaders.append(jinja2.FileSystemLoader(str(PACKAGED)))
    cls = _classes()[1 if own else 0]
    env = cls(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "xml", "html.j2", "xml.j2"),
                                            default_for_string=False, default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # a run renders thousands of pages; templates do not change meanwhile
        bytecode_cache=_bytecode_cache("sandboxed-limited" if own else "plain"),
    )
    env.filters.update(_filters(lang))
    if own:
        env.filters = {name: _limited(_replace_filter(f) if name == "replace" else f)
                       for name, f in env.filters.items()}
        env.globals["range"] = _Range
    env.globals["lang"] = lang
    return env


# --- rendering --------------------------------------------------------------------------------------


def render(repo, name: str, lang: str | None = None, **context) -> str:
    """Render template `name` (e.g. 'meeting/agenda.md.j2') for `repo` in `lang`. A template's
    mistake is a HrcoordError naming its file and line."""
    lang = lang or repo.language
    root = str(repo.root) if repo is not None and repo.root is not None else None
    env = environment(root, lang)
    sandboxed = env.__class__ is _classes()[1]
    if sandboxed:
        _deadline.at = time.monotonic() + RENDER_SECONDS
    try:
        return _generate(env, name, lang, context, sandboxed)
    except Exception as exc:
        raise _template_error(exc, name, root) from None
    finally:
        _deadline.at = None


def _generate(env, name: str, lang: str, context: dict, sandboxed: bool) -> str:
    template = env.get_template(name)
    if not sandboxed:
        return template.render(lang=lang, **context)
    parts, size = [], 0
    for chunk in template.generate(lang=lang, **context):
        size += len(chunk)
        if size > 8 * MAX_STRING:
            raise _security(f"the document grew beyond {8 * MAX_STRING:,} characters")
        parts.append(chunk)
        _tick()
    return "".join(parts)


# Python errors that, raised while a repository's template runs, are that template's mistake
_TEMPLATE_MISTAKES = (TypeError, ValueError, AttributeError, KeyError, IndexError, ArithmeticError,
                      RecursionError, LookupError)


def _template_error(exc: Exception, name: str, root: str | None) -> Exception:
    """The HrcoordError that says what went wrong where; `exc` itself when it is no template's
    doing (a bug in hrcoord, an error it already explains)."""
    import jinja2

    from hrcoord.core.errors import HrcoordError

    if isinstance(exc, HrcoordError):
        return exc
    where, own = _where(exc, root)
    if isinstance(exc, jinja2.TemplateSyntaxError):
        shown = _shown(exc.filename, root) or name
        return HrcoordError(f"{shown}:{exc.lineno}:1: template syntax error: {exc.message}")
    message = _template_message(exc, own)
    if message is None:
        return exc
    return HrcoordError(f"{where or 'template ' + name}: {message}")


def _template_message(exc: Exception, own: bool) -> str | None:
    """What a template error says (None: not a template's mistake)."""
    import jinja2

    if isinstance(exc, jinja2.TemplateNotFound):
        return f"template error: template {exc.name!r} not found (includes name a template under templates/)"
    if isinstance(exc, jinja2.UndefinedError):
        return str(exc)
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return f"refused by the sandbox: {exc}"
    if isinstance(exc, RecursionError) and own:
        return "template error: the template includes or calls itself without end"
    if isinstance(exc, jinja2.TemplateError) or (own and isinstance(exc, _TEMPLATE_MISTAKES)):
        return f"template error: {type(exc).__name__}: {exc}"
    return None


def _where(exc: BaseException, root: str | None) -> tuple[str | None, bool]:
    """`file:line` of the innermost template frame in the traceback (Jinja rewrites its frames
    to name the template file and line), and whether that template is the repository's own."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    if found is None:
        return None, False
    own = root is not None and os.path.abspath(found[0]).startswith(os.path.join(os.path.abspath(root), "templates"))
    return f"{_shown(found[0], root)}:{found[1]}", own


def _shown(filename: str | None, root: str | None) -> str | None:
    """A template file as messages show it: templates/… for the repository's, hrcoord/templates/…
    for the packaged ones."""
    if filename is None:
        return None
    absolute = os.path.abspath(filename)
    for base, prefix in ((root, ""), (str(PACKAGED.parent.parent), "")):
        if base and absolute.startswith(os.path.abspath(base) + os.sep):
            return prefix + Path(os.path.relpath(absolute, base)).as_posix()
    return filename
