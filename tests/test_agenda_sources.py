"""The agenda is a list of small source functions (issue 16 item 3), each tested on its own, and
the documents state facts rather than assumptions (issue 11): a first meeting approves no earlier
minutes, a notice promises minutes only when there are some, Norwegian documents carry Norwegian
abbreviations and name no commands, slugs or ids."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from test_meetings import NETWORK, PLANNED, build

from conftest import invoke, write
from hrcoord.core.repo import Repository
from hrcoord.networks import agenda as ag


@pytest.fixture
def repo_dir(empty_repo) -> Path:
    return build(empty_repo)


def ctx(root: Path, day: str = "2014-05-13", lang: str = "nb") -> ag.AgendaContext:
    repo = Repository(root)
    return ag.context(repo, repo.network("trafficking"), repo.records("meeting")[f"trafficking/{day}"], lang)


def sources(items: list[dict]) -> list[str]:
    return [i["source"] for i in items]


def test_the_sources_in_order():
    assert [f.__name__ for f in ag.SOURCES] == ["opening_items", "follow_up_items", "submission_items",
                                                "measure_items", "judgment_items", "closing_items"]


def test_context_knows_the_previous_held_and_the_following_meeting(repo_dir):
    c = ctx(repo_dir)
    assert c.previous.id == "2014-02-11" and [m.id for m in c.earlier] == ["2014-02-11"]
    assert c.following == dt.date(2014, 8, 13) and c.since == dt.date(2014, 2, 11)
    write(repo_dir / "data/meetings/trafficking/2014-09-09.md", PLANNED.format(date="2014-09-09"))
    assert ctx(repo_dir).following == dt.date(2014, 9, 9)


def test_opening_items_approve_earlier_minutes_only_when_there_were_some(repo_dir):
    assert [i["title"] for i in ag.opening_items(ctx(repo_dir))] == [
        "Godkjenning av innkalling og saksliste", "Godkjenning av referat fra forrige møte"]
    (repo_dir / "data/meetings/trafficking/2014-02-11.md").unlink()
    assert [i["title"] for i in ag.opening_items(ctx(repo_dir))] == ["Godkjenning av innkalling og saksliste"]


def test_follow_up_items_carry_what_is_open(repo_dir):
    items = ag.follow_up_items(ctx(repo_dir))
    assert sources(items) == ["follow-up:2014-02-11/f1"]
    assert items[0]["title"] == ("Oppfølging fra møtet 11. februar 2014: "
                                 "ASA skriver notat om identifisering i Dublin-saker")
    assert items[0]["presenter"] == "ASA"
    # closed on or after the meeting's day: still reported there
    path = repo_dir / "data/meetings/trafficking/2014-02-11.md"
    path.write_text(path.read_text(encoding="utf-8").replace("done: false", "done: 2014-05-13"), encoding="utf-8")
    assert sources(ag.follow_up_items(ctx(repo_dir))) == ["follow-up:2014-02-11/f1"]
    path.write_text(path.read_text(encoding="utf-8").replace("done: 2014-05-13", "done: 2014-05-12"), encoding="utf-8")
    assert ag.follow_up_items(ctx(repo_dir)) == []


def test_submission_items_take_accepted_and_scheduled_ones(repo_dir):
    items = ag.submission_items(ctx(repo_dir))
    assert sources(items) == ["submission:2014-04-01-asa-dublin"]
    assert items[0]["kind"] == "drøfting" and items[0]["presenter"] == "ASA"
    # accepted for another meeting: not here
    write(repo_dir / "data/meetings/trafficking/2014-09-09.md", PLANNED.format(date="2014-09-09"))
    path = repo_dir / "data/submissions/trafficking/2014-04-01-asa-dublin.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "meeting: 2014-09-09\n", encoding="utf-8")
    assert ag.submission_items(ctx(repo_dir)) == []


def test_measure_items_delayed_or_due_before_the_following_meeting(repo_dir):
    items = ag.measure_items(ctx(repo_dir))
    assert sources(items) == ["measure:trafficking-2011-2014/tiltak-6", "measure:trafficking-2011-2014/tiltak-7"]
    assert items[0]["title"] == "Tiltak 6: Tilstandsrapport om menneskehandel (forsinket)"
    assert items[1]["title"] == "Tiltak 7: Opplæring (frist 30. juni 2014)"
    assert [i["kind"] for i in items] == ["drøfting", "orientering"]


def test_judgment_items_are_new_public_summaries_in_the_field_with_the_court_in_the_language(repo_dir):
    items = ag.judgment_items(ctx(repo_dir))
    assert sources(items) == ["judgment:rantsev-v-cyprus-and-russia-2010"]
    assert items[0]["title"] == "Nytt sammendrag: Rantsev v. Cyprus and Russia (EMD)"
    english = ag.judgment_items(ctx(repo_dir, lang="en"))
    assert english[0]["title"] == "New summary: Rantsev v. Cyprus and Russia (ECtHR)"


def test_closing_items_name_the_action_plans_only_where_there_are_some(repo_dir):
    assert [i["title"] for i in ag.closing_items(ctx(repo_dir))] == [
        "Runde fra avdelingene", "Status for handlingsplanene", "Eventuelt"]
    (repo_dir / "data/action-plans/trafficking-2011-2014.yaml").unlink()
    for m in (repo_dir / "data/measures/trafficking-2011-2014").glob("*.yaml"):
        m.unlink()
    assert [i["title"] for i in ag.closing_items(ctx(repo_dir))] == ["Runde fra avdelingene", "Eventuelt"]


def test_numbering_goes_on_from_the_year_and_keeps_minutes_on_rebuild(repo_dir):
    c = ctx(repo_dir)
    assert ag.first_number(c) == 8
    items = ag.numbered([{"title": "A"}, {"title": "B"}], 8, 14)
    assert [i["number"] for i in items] == ["8/14", "9/14"]
    kept = ag.keep_minutes([{"title": "Eventuelt", "source": "standing"}, {"title": "X", "source": "submission:a"}],
                           [{"title": "Eventuelt", "source": "standing", "notes": "Ingen."},
                            {"title": "Old", "source": "submission:a", "decision": "Ja."}])
    assert kept[0]["notes"] == "Ingen." and kept[1]["decision"] == "Ja." and kept[1]["title"] == "X"


# --- facts, not assumptions --------------------------------------------------------------------------------
def test_a_networks_first_meeting_approves_no_earlier_minutes_and_promises_none(empty_repo):
    write(empty_repo / "data/networks/trafficking.yaml", NETWORK)
    write(empty_repo / "data/meetings/trafficking/2014-05-13.md", PLANNED.format(date="2014-05-13"))
    r = invoke(["--repo", empty_repo, "meeting", "notice", "--network", "trafficking"])
    assert r.exit_code == 0, r.stderr
    assert "Godkjenning av referat" not in r.stdout
    assert "Referatet fra forrige møte følger vedlagt" not in r.stdout
    assert "Sakspapirene sendes ut sammen med denne innkallingen." in r.stdout
    assert "Status for handlingsplanene" not in r.stdout  # no action plan in this repository


def test_the_notice_promises_the_minutes_of_a_held_meeting_that_has_them(repo_dir):
    text = invoke(["--repo", repo_dir, "meeting", "notice", "-n", "trafficking", "--dry-run"]).stdout
    assert "Sakspapirene sendes ut sammen med denne innkallingen. Referatet fra forrige møte følger vedlagt." in text


def test_norwegian_documents_name_no_commands_slugs_or_ids(repo_dir):
    (repo_dir / "data/meetings/trafficking/2014-02-11.md").write_text(
        (repo_dir / "data/meetings/trafficking/2014-02-11.md").read_text(encoding="utf-8"), encoding="utf-8")
    docs = {}
    for cmd, extra in (("agenda", []), ("notice", ["--dry-run"]), ("minutes", ["-m", "2014-02-11"])):
        for fmt in ("md", "html"):
            r = invoke(["--repo", repo_dir, "meeting", cmd, "-n", "trafficking", "-f", fmt, *extra])
            assert r.exit_code == 0, r.stderr
            docs[(cmd, fmt)] = r.stdout
    for key, text in docs.items():
        body = re.sub(r"<style>.*?</style>", "", text, flags=re.S)
        for bad in ("hrcoord", "--write", "trafficking", "f1", "submission:", "judgment:", "rantsev-v-", "ECtHR"):
            assert bad not in body, (key, bad)
        assert not re.search(r"\b\d{2}\.\d{2}\.\d{4}\b", body), key  # one date style: 11. februar 2014
        assert not re.search(r"\b20\d\d-\d\d-\d\d\b", body), key


def test_a_basis_whose_record_is_gone_shows_nothing_rather_than_an_id(repo_dir):
    from hrcoord.networks.documents import describe_source

    repo = Repository(repo_dir)
    assert describe_source(repo, "submission:2014-04-01-asa-dublin", "nb", "trafficking") == \
        "Innmeldt av ASA 1. april 2014"
    assert describe_source(repo, "follow-up:2014-02-11/f2", "nb", "trafficking") == \
        "Oppfølgingspunkt 2 fra møtet 11. februar 2014"
    assert describe_source(repo, "submission:gone", "nb", "trafficking") == ""
    assert describe_source(repo, "other", "nb", "trafficking") == ""


def test_role_titles_in_running_text():
    from hrcoord.networks.documents import in_text

    assert in_text("Koordinator for internasjonale menneskerettigheter") == \
        "koordinator for internasjonale menneskerettigheter"
    assert in_text("UDI, Hausmanns gate") == "UDI, Hausmanns gate" and in_text("KOM") == "KOM" and in_text("") == ""
