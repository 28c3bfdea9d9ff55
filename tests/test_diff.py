"""`hrcoord diff` (field changes and a word-level diff) and the git textconv driver."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAKSTEKST, commit, judgment_path, sh_git, summary, write

LONG = ("Klageren er en afghansk statsborger som kom til Norge som enslig mindreårig. Han fikk avslag "
        "på søknaden om beskyttelse og ble besluttet utvist. Domstolen la vekt på at han hadde bodd "
        "i landet i mange år, at han hadde gått på skole her og at han hadde et nært forhold til sin "
        "fosterfamilie. Utvisningen ble likevel ansett som forholdsmessig fordi han var domfelt for "
        "alvorlige straffbare handlinger.")


# --- the word diff itself ---------------------------------------------------------------------


def test_word_diff_shows_only_changed_words_with_context():
    from hrcoord.review.wordiff import markdown, plain, word_diff

    new = LONG.replace("nært forhold", "svært nært forhold").replace("alvorlige", "flere alvorlige")
    hunks = word_diff(LONG, new)
    assert len(hunks) == 2
    first, second = plain(hunks[0]), plain(hunks[1])
    assert "{+svært+} nært forhold" in first and "{+flere+} alvorlige" in second
    assert "afghansk" not in first + second  # far from the changes: not shown
    assert first.startswith("…") and len(first) < 100
    assert markdown(hunks[0]).count("**svært**") == 1
    assert [op for op, _ in hunks[0].segments].count("insert") == 1


def test_word_diff_replacement_and_sections():
    from hrcoord.review.wordiff import markdown, plain, word_diff

    old = "## Sammendrag\n\nDomstolen fant krenkelse av artikkel 3.\n\n## Betydning for UDI\n\nViktig for asylsaker.\n"
    new = old.replace("artikkel 3", "artikkel 8").replace("Viktig for asylsaker", "Viktig for utvisningssaker")
    hunks = word_diff(old, new)
    assert [h.section for h in hunks] == ["Sammendrag", "Betydning for UDI"]
    assert plain(hunks[0]) == "Domstolen fant krenkelse av artikkel [-3-]{+8+}."
    assert markdown(hunks[1]) == "Viktig for ~~asylsaker~~ **utvisningssaker**."
    # English headings map to the Norwegian section names
    en = word_diff("## Summary\n\nOne two three.\n", "## Summary\n\nOne four three.\n")
    assert en[0].section == "Sammendrag"


def test_word_diff_phrases_whitespace_and_escaping():
    from hrcoord.review.wordiff import markdown, plain, word_diff

    h = word_diff("Saken gjaldt utvisning av far.", "Saken gjaldt bortvisning av mor og barn.")
    assert plain(h[0]) == "Saken gjaldt [-utvisning-]{+bortvisning+} av [-far-]{+mor og barn+}."
    assert word_diff("a  b c", "a b c") == []  # spacing alone is not a change a reader needs
    assert word_diff("same", "same") == []
    md = markdown(word_diff("Se *art. 8* og [lenke](x).", "Se *art. 14* og [lenke](x).")[0])
    assert "~~8~~ **14**" in md and "\\*art" in md and "\\[lenke\\]" in md
    added = word_diff("Første avsnitt.", "Første avsnitt.\n\nNytt avsnitt.")
    assert "{+" in plain(added[0]) and "Nytt avsnitt" in plain(added[0])


def test_word_diff_on_a_long_text_finds_the_one_change():
    from hrcoord.review.wordiff import plain, word_diff

    sentences = [f"Setning nummer {i} handler om sak {i % 7} og vurderingen i avsnitt {i % 11}." for i in range(400)]
    old = " ".join(sentences)
    new = old.replace("Setning nummer 200 handler om sak 4", "Setning nummer 200 handler om saken 4")
    hunks = word_diff(old, new)
    assert len(hunks) == 1 and "[-sak-]{+saken+}" in plain(hunks[0])
    # every sentence changed: still one word per sentence, not the whole text replaced
    every = word_diff(old, old.replace("vurderingen", "drøftingen"))
    text = " ".join(plain(h) for h in every)
    assert text.count("[-vurderingen-]{+drøftingen+}") == 400


def test_field_changes():
    from hrcoord.review.diff import field_changes
    from hrcoord.review.wordiff import show

    old = {"status": "draft", "articles": ["ECHR 3"], "review": {"by": "A", "date": "2014-01-01"},
           "description": "Kort."}
    new = {"status": "published", "articles": ["ECHR 3", "ECHR 8"], "review": {"by": "A", "date": "2014-02-01"},
           "description": "Kort.", "replaced_by": "x"}
    fcs = {f.field: f for f in field_changes(old, new, ["status", "articles", "review", "replaced_by"])}
    assert list(fcs) == ["status", "articles", "review.date", "replaced_by"]
    assert (fcs["status"].old, fcs["status"].new) == ("draft", "published")
    assert fcs["articles"].added == ["ECHR 8"] and fcs["articles"].removed == []
    assert show(fcs["replaced_by"].old) == "(none)"
    long_old = ("Tiltaket skal gjennomføres i samarbeid med politiet og barnevernet i hele landet innen "
                "utgangen av året.")
    fc = field_changes({"description": long_old}, {"description": long_old.replace("politiet", "påtalemyndigheten")})[0]
    assert fc.kind == "words" and fc.words


# --- hrcoord diff on a git history ------------------------------------------------------------


@pytest.fixture
def edited_repo(history_repo):
    """history_repo plus one more commit that changes one word of Alpha's long text."""
    root, shas = history_repo
    path = judgment_path(root, "alpha-v-norway-2013", "2013")
    path.write_text(summary("Alpha v. Norway", "11111/10", "2013-01-15", text=LONG), encoding="utf-8")
    commit(root, "Alpha: long text")
    path.write_text(summary("Alpha v. Norway", "11111/10", "2013-01-15",
                            text=LONG.replace("fosterfamilie", "biologiske familie")), encoding="utf-8")
    commit(root, "Alpha: one word")
    return root, shas


def test_diff_head_1_shows_changed_words_not_lines(cli, edited_repo):
    root, _ = edited_repo
    r = cli(["--repo", root, "diff", "HEAD~1"])
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "modified judgment alpha-v-norway-2013: Alpha v. Norway" in out
    assert "[-fosterfamilie-]{+biologiske familie+}" in out
    assert "text [Sammendrag]:" in out
    assert "afghansk" not in out and "alvorlige straffbare" not in out  # not the whole line
    assert "\x1b[" not in out  # no colour when not a terminal
    r = cli(["--repo", root, "diff", "HEAD~1", "--format", "md"])
    assert r.exit_code == 0, r.stderr
    assert "### Endret: Alpha v. Norway" in r.stdout
    assert "~~fosterfamilie~~ **biologiske familie**" in r.stdout and "afghansk" not in r.stdout
    r = cli(["--repo", root, "diff", "HEAD~1", "--format", "json"])
    data = json.loads(r.stdout)
    assert [(d["id"], d["change"]) for d in data] == [("alpha-v-norway-2013", "modified")]
    assert data[0]["fields"] == [] and data[0]["text"]["changed"] is True
    segs = data[0]["text"]["hunks"][0]["segments"]
    assert {"op": "delete", "text": "fosterfamilie"} in segs and {"op": "insert", "text": "biologiske familie"} in segs


def test_diff_field_changes_between_two_revisions(cli, history_repo):
    root, shas = history_repo
    r = cli(["--repo", root, "diff", shas[3], shas[4]])
    assert r.exit_code == 0, r.stderr
    assert "modified judgment beta-v-norway-2013" in r.stdout
    assert "status: draft → withdrawn" in r.stdout and "replaced_by: (none) → gamma-v-norway-2013" in r.stdout
    assert "alpha" not in r.stdout
    r = cli(["--repo", root, "diff", shas[0], shas[2], "--format", "json"])
    assert [(d["id"], d["change"]) for d in json.loads(r.stdout)] == [
        ("beta-v-norway-2013", "added"), ("gamma-v-norway-2013", "added")]
    r = cli(["--repo", root, "diff", shas[0], shas[2], "--format", "md"])
    assert "### Ny: Beta v. Norway" in r.stdout and "- **reference**: 22222/10" in r.stdout


def test_diff_working_tree_ids_and_errors(cli, history_repo):
    root, shas = history_repo
    r = cli(["--repo", root, "diff"])
    assert r.exit_code == 0 and r.stdout.strip() == "no changes"
    gamma = judgment_path(root, "gamma-v-norway-2013", "2013")
    gamma.write_text(gamma.read_text(encoding="utf-8").replace("landrapporter", "kilder"), encoding="utf-8")
    write(judgment_path(root, "delta-v-norway-2014", "2014"), summary("Delta v. Norway", "44444/11", "2014-01-10"))
    r = cli(["--repo", root, "diff"])
    assert r.exit_code == 0, r.stderr
    assert "added judgment delta-v-norway-2014" in r.stdout and "modified judgment gamma-v-norway-2013" in r.stdout
    assert "[-landrapporter-]{+kilder+}" in r.stdout
    r = cli(["--repo", root, "diff", "gamma-v-norway-2013"])
    assert "gamma" in r.stdout and "delta" not in r.stdout
    r = cli(["--repo", root, "diff", shas[0], "alpha-v-norway-2013", "--format", "json"])
    assert [d["id"] for d in json.loads(r.stdout)] == ["alpha-v-norway-2013"]
    r = cli(["--repo", root, "diff", "gamma-v-norway-2031"])
    assert r.exit_code == 2 and "no record with id 'gamma-v-norway-2031'" in r.stderr
    assert "did you mean 'gamma-v-norway-2013'" in r.stderr


def test_diff_notes_an_outdated_review_stamp(cli, history_repo):
    from hrcoord.core.models.judgment import digest, part_digests

    root, _ = history_repo
    path = judgment_path(root, "gamma-v-norway-2013", "2013")
    text = summary("Gamma v. Norway", "33333/10", "2013-03-15", status="published")
    from hrcoord.core.loader import load_text

    loaded = load_text(text, markdown=True)
    parts = part_digests(loaded.data, loaded.source.body)
    stamp = (f"review:\n  by: Koordinator\n  date: 2014-03-01\n  digest: {digest(loaded.data, loaded.source.body)}\n"
             "  parts:\n" + "".join(f"    {k}: '{v}'\n" for k, v in parts.items()))
    path.write_text(summary("Gamma v. Norway", "33333/10", "2013-03-15", status="published", extra=stamp),
                    encoding="utf-8")
    commit(root, "Gamma published")
    path.write_text(path.read_text(encoding="utf-8").replace("landrapporter", "kilder"), encoding="utf-8")
    r = cli(["--repo", root, "diff"])
    assert "review stamp out of date (text)" in r.stdout
    assert "hrcoord judgment review gamma-v-norway-2013 --by NAME" in r.stdout


def test_rich_rendering_colours_the_words(history_repo):
    from rich.console import Console

    from hrcoord.core.repo import Repository
    from hrcoord.review.diff import record_diffs
    from hrcoord.review.diff_output import render_rich

    root, shas = history_repo
    diffs = record_diffs(Repository(root), shas[2], shas[3])
    console = Console(record=True, force_terminal=True, color_system="standard", width=200)
    render_rich(diffs, console)
    ansi = console.export_text(styles=True, clear=False)
    assert "\x1b[" in ansi and "oppdaterte" in ansi and "nyere" in ansi
    plain = console.export_text()
    assert "text [Sammendrag]:" in plain and "Domstolen fant" not in plain
    assert "bygget på oppdaterte nyere landrapporter" in plain


# --- textconv -----------------------------------------------------------------------------------


def test_sentences_respect_abbreviations_and_initials():
    from hrcoord.review.textconv import sentences

    assert sentences("Saken M.S.S. v. Belgium and Greece gjaldt Dublin. Neste setning her.") == [
        "Saken M.S.S. v. Belgium and Greece gjaldt Dublin.", "Neste setning her."]
    assert sentences("Se jf. art. 8 og nr. 3 i loven. Deretter kom dom 28. juni 2011. Slutt!") == [
        "Se jf. art. 8 og nr. 3 i loven.", "Deretter kom dom 28. juni 2011.", "Slutt!"]
    assert sentences("Ingen punktum") == ["Ingen punktum"]


def test_textconv_output(tmp_path, cli):
    from hrcoord.review.textconv import textconv

    text = summary("Alpha v. Norway", "11111/10", "2013-01-15", text=SAKSTEKST,
                   extra="review:\n  by: Koordinator\n  date: 2014-03-01\n  digest: sha256:0123456789abcdef\n"
                         "  parts:\n    text: 01234567\n")
    out = textconv(text)
    lines = out.splitlines()
    assert "articles: ECHR 3" in lines and "respondent: NO" in lines and "review.by: Koordinator" in lines
    assert not any(ln.startswith("review.parts") for ln in lines)
    assert "Domstolen fant at utsendelse av klageren ville krenke artikkel 3 fordi han risikerte umenneskelig " \
           "behandling i hjemlandet." in lines
    assert "Vurderingen bygget på oppdaterte landrapporter." in lines
    assert lines[lines.index("---") + 2] == "## Sammendrag"
    broken = "---\ntitle: [unclosed\n---\nbody\n"
    assert textconv(broken) == broken  # git still shows something
    f = write(tmp_path / "x.md", text)
    r = cli(["textconv", f])
    assert r.exit_code == 0 and r.stdout == out
    r = cli(["textconv", tmp_path / "missing.md"])
    assert r.exit_code == 1 and "cannot read" in r.stderr


@pytest.mark.parametrize("on_path", [True, False])
def test_git_diff_uses_the_textconv_driver_written_by_init(tmp_path, monkeypatch, on_path):
    """`hrcoord init` writes .gitattributes and the textconv config; `git diff` then compares
    summaries sentence by sentence, and --word-diff shows the changed words. When hrcoord is not
    on PATH (an unactivated venv), the driver runs this Python with `-m hrcoord`."""
    import shutil

    from hrcoord.core.scaffold import init

    bin_dir = str(Path(sys.executable).parent)
    path_var = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if p and p != bin_dir)
    if on_path:
        path_var = bin_dir + os.pathsep + path_var
    monkeypatch.setenv("PATH", path_var)
    if not on_path and shutil.which("hrcoord"):
        pytest.skip("another hrcoord is on PATH")
    root = tmp_path / "repo"
    init(root, git=True)
    assert "data/judgments/**/*.md diff=hrcoord" in (root / ".gitattributes").read_text(encoding="utf-8")
    driver = sh_git(root, "config", "diff.hrcoord.textconv").strip()
    # one driver for both: hrcoord when git finds it on PATH, else the Python that ran init
    assert "hrcoord textconv" in driver and f"{sys.executable}\" -m hrcoord textconv" in driver
    sh_git(root, "config", "user.name", "Test")
    sh_git(root, "config", "user.email", "t@udi.example")
    path = judgment_path(root, "alpha-v-norway-2013", "2013")
    write(path, summary("Alpha v. Norway", "11111/10", "2013-01-15"))
    commit(root, "Add Alpha")
    path.write_text(path.read_text(encoding="utf-8").replace("oppdaterte", "nyere"), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    plain = subprocess.run(["git", "diff"], cwd=root, env=env, capture_output=True, text=True)
    assert plain.returncode == 0, plain.stderr
    assert "-Vurderingen bygget på oppdaterte landrapporter." in plain.stdout
    assert "+Vurderingen bygget på nyere landrapporter." in plain.stdout
    assert "-Domstolen fant" not in plain.stdout  # the other sentence of the paragraph is untouched
    words = subprocess.run(["git", "diff", "--word-diff=plain"], cwd=root, env=env, capture_output=True, text=True)
    assert "[-oppdaterte-]{+nyere+}" in words.stdout
    # without the driver git shows the whole paragraph line as changed
    raw = subprocess.run(["git", "-c", "diff.hrcoord.textconv=cat", "diff"], cwd=root, env=env,
                         capture_output=True, text=True)
    assert "-Domstolen fant" in raw.stdout
