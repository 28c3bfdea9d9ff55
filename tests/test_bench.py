"""The benchmark's generator: both mixes give a valid, canonical repository of the promised shape
(a benchmark on invalid data would measure the error path)."""
from __future__ import annotations

import statistics
import sys
from pathlib import Path

import pytest

from hrcoord.core.repo import Repository
from hrcoord.core.validate import validate

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture(scope="module")
def generate():
    sys.path.insert(0, str(BENCH))
    try:
        import generate as module
    finally:
        sys.path.remove(str(BENCH))
    return module


@pytest.mark.parametrize("mix", ["standard", "varied"])
def test_each_mix_is_valid_and_canonical(generate, tmp_path, mix, cli):
    out = tmp_path / mix
    counts = generate.generate(out, 150, 12, 20, 7, quiet=True, mix=mix)
    assert counts["judgments"] == 150
    report = validate(Repository(out))
    assert report.problems == [], report.problems[:5]
    r = cli(["--repo", out, "fmt", "--check"])
    assert r.exit_code == 0 and "0 of" in r.stdout + r.stderr


def test_the_varied_mix_spreads_sizes_status_and_links(generate, tmp_path):
    shapes = {}
    for mix in ("standard", "varied"):
        out = tmp_path / mix
        generate.generate(out, 300, 12, 20, 7, quiet=True, mix=mix)
        files = sorted((out / "data" / "judgments").rglob("*.md"))
        texts = [f.read_text(encoding="utf-8") for f in files]
        sizes = [f.stat().st_size for f in files]
        shapes[mix] = {"spread": statistics.quantiles(sizes, n=10)[-1] / statistics.quantiles(sizes, n=10)[0],
                       "published": sum("\nstatus: published\n" in t for t in texts) / len(texts),
                       "links": sum(t.count("relation: cites") + t.count("\n  - ") for t in texts) / len(texts)}
    std, var = shapes["standard"], shapes["varied"]
    assert var["spread"] > 2 * std["spread"]
    assert var["published"] < 0.65 < std["published"]
    assert var["links"] > std["links"]


def test_many_meetings_stay_within_the_dates_a_record_accepts(generate, tmp_path):
    """At 100,000 summaries the generator makes 1,000 meetings a network: they meet more often
    rather than before 1900 (an earlier generator dated them back to 1825)."""
    out = tmp_path / "many"
    counts = generate.generate(out, 40, 800, 10, 7, quiet=True)
    assert counts["meetings"] >= 790
    assert min(p.stem for p in (out / "data" / "meetings").rglob("*.md")) >= "1990"
    assert validate(Repository(out)).problems == []
