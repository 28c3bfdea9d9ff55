"""The label catalogue: one file per language, the same keys in each, used by every document."""
from __future__ import annotations

import re

from hrcoord.core import labels


def _keys(value, path=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _keys(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _keys(v, (*path, i))
    else:
        yield path


def test_every_language_has_the_same_keys_and_placeholders():
    base = labels.catalogue(labels.DEFAULT)
    assert labels.languages()[0] == "nb" and "en" in labels.languages()
    for lang in labels.languages():
        cat = labels.catalogue(lang)
        assert set(_keys(cat)) == set(_keys(base)), lang
        for path in _keys(base):
            a, b = base, cat
            for step in path:
                a, b = a[step], b[step]
            if isinstance(a, str):
                assert set(re.findall(r"\{(\w+)\}", a)) == set(re.findall(r"\{(\w+)\}", str(b))), (lang, path)


def test_yaml_12_words_stay_words():
    # `no` is the holidays package's code for Norwegian, not false
    assert labels.words("nb", "meta")["holidays"] == "no"
    assert labels.words("nb", "importance")[1] == "Nøkkelavgjørelse"


def test_an_unknown_language_gets_the_default_words():
    table = labels.table("portal")
    assert "xx" not in table and "en" in table
    assert table["xx"] == table["nb"]


def test_a_third_language_is_a_file(tmp_path, monkeypatch):
    import shutil

    for p in labels.FOLDER.glob("*.yaml"):
        shutil.copy(p, tmp_path / p.name)
    text = (tmp_path / "en.yaml").read_text(encoding="utf-8").replace("Summaries of international case law",
                                                                       "Sammanfattningar")
    (tmp_path / "sv.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(labels, "FOLDER", tmp_path)
    labels.languages.cache_clear()
    labels.catalogue.cache_clear()
    try:
        assert "sv" in labels.languages()
        assert labels.table("portal")["sv"]["site_title"] == "Sammanfattningar"
    finally:
        labels.languages.cache_clear()
        labels.catalogue.cache_clear()
