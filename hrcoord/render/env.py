"""The Jinja2 environments. Packaged templates (hrcoord/templates) are trusted; a repository's own
`templates/` override them and run in Jinja2's sandbox (SPEC §5). Undefined variables are errors,
so a notice never goes out with a blank date. HTML templates autoescape."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

PACKAGED = Path(__file__).resolve().parent.parent / "templates"


def _filters(lang: str) -> dict:
    from hrcoord.render import dates, safe
    from hrcoord.render.markdown import to_html

    return {
        "longdate": lambda v, l=None: dates.long_date(v, l or lang),
        "shortdate": lambda v, l=None: dates.short_date(v, l or lang),
        "weekdaydate": lambda v, l=None: dates.weekday_date(v, l or lang),
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

    from hrcoord.core.cache import user_folder

    folder = user_folder() / "templates" / f"{kind}-jinja{jinja2.__version__}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # no home folder: compile every time
    return jinja2.FileSystemBytecodeCache(str(folder))


@lru_cache(maxsize=1)
def _classes():
    """The plain and the sandboxed environment, each looking a plain dict's keys up first."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    class KeysFirst:
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

    class Sandboxed(KeysFirst, SandboxedEnvironment):
        pass

    return Environment, Sandboxed


@lru_cache(maxsize=16)
def environment(repo_root: str | None, lang: str):
    """One environment per (repository, language); repository templates win over packaged ones."""
    import jinja2

    repo_templates = Path(repo_root) / "templates" if repo_root else None
    own = repo_templates is not None and repo_templates.is_dir() and any(repo_templates.rglob("*.j2"))
    loaders = []
    if own:
        loaders.append(jinja2.FileSystemLoader(str(repo_templates)))
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
        bytecode_cache=_bytecode_cache("sandboxed" if own else "plain"),
    )
    env.filters.update(_filters(lang))
    env.globals["lang"] = lang
    return env


def render(repo, name: str, lang: str | None = None, **context) -> str:
    """Render template `name` (e.g. 'meeting/agenda.md.j2') for `repo` in `lang`."""
    import jinja2

    from hrcoord.core.errors import HrcoordError

    lang = lang or repo.language
    env = environment(str(repo.root) if repo is not None else None, lang)
    try:
        return env.get_template(name).render(lang=lang, **context)
    except jinja2.UndefinedError as exc:
        raise HrcoordError(f"template {name}: {exc}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise HrcoordError(f"{exc.filename or name}:{exc.lineno}:1: template syntax error: {exc.message}") from None
    except jinja2.exceptions.SecurityError as exc:
        raise HrcoordError(f"template {name}: refused by the sandbox: {exc}") from None
