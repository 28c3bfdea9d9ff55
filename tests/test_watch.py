"""The watch list (issue 14): ECtHR Chamber judgments are final three months after their date unless
a referral is requested (Art. 44 § 2 ECHR); `status` and the digest list what is not final yet."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from conftest import ROOT
from hrcoord.caselaw import watch
from hrcoord.core.models.judgment import three_months_after
from hrcoord.core.repo import Repository
from hrcoord.core.validate import validate

D = dt.date.fromisoformat


def chamber(date: str, **extra) -> dict:
    return {"body": "ECtHR", "doc_type": "judgment", "formation": "Chamber", "date": date, **extra}


def test_three_months_after_the_judgment_as_the_court_counts():
    assert three_months_after(D("2011-06-28")) == D("2011-09-28")  # Nunez: final on 28 September 2011
    assert three_months_after(D("2014-07-10")) == D("2014-10-10")  # Tanda-Muzinga: FINAL 10/10/2014
    assert three_months_after(D("2008-07-31")) == D("2008-10-31")  # Darren Omoregie: FINAL 31/10/2008
    assert three_months_after(D("2016-11-30")) == D("2017-02-28")  # no 30 February: the month's last day
    assert three_months_after(D("2015-11-30")) == D("2016-02-29")


def test_a_chamber_judgment_is_final_on_the_day_three_months_are_over():
    data = chamber("2011-06-28")
    before = watch.finality(data, D("2011-09-27"))
    assert (before.final, before.state, before.date, before.basis) == (False, "not-final", D("2011-09-28"), "44-2-b")
    on = watch.finality(data, D("2011-09-28"))
    assert (on.final, on.date) == (True, D("2011-09-28"))
    assert before.label("nb") == "ikke endelig" and before.label("en") == "not final"


def test_grand_chamber_and_committee_judgments_are_final_at_once():
    gc = watch.finality(chamber("2016-03-23", formation="Grand Chamber"), D("2016-03-23"))
    committee = watch.finality(chamber("2016-03-23", formation="Committee"), D("2016-03-23"))
    assert (gc.final, gc.basis) == (True, "44-1") and (committee.final, committee.basis) == (True, "28-2")


def test_referrals():
    # Antwi and Others v. Norway: judgment 14 February 2012, final 9 July 2012 under Art. 44 § 2 (c)
    antwi = chamber("2012-02-14", referral={"status": "rejected", "date": "2012-07-09"})
    assert watch.finality(antwi, D("2012-08-01")) == watch.Finality(True, "final", D("2012-07-09"), "44-2-c")
    # before the panel decided, the request was pending — even though it is recorded with the decision
    assert watch.finality(antwi, D("2012-06-01")).state == "referral-requested"
    assert watch.finality(antwi, D("2012-03-01")).state == "not-final"  # within the three months
    fg = chamber("2014-01-16", referral={"status": "accepted", "date": "2014-06-02"})
    assert watch.finality(fg, D("2014-07-01")) == watch.Finality(False, "referred", None, "43")
    requested = chamber("2016-01-21", referral={"status": "requested", "date": "2016-04-15"})
    assert watch.finality(requested, D("2016-05-01")).state == "referral-requested"


def test_the_rules_apply_to_ecthr_judgments_only():
    assert watch.finality({"body": "CJEU", "doc_type": "judgment", "date": "2011-12-21"}, D("2012-01-01")) is None
    assert watch.finality(chamber("2011-09-20", doc_type="decision"), D("2011-10-01")) is None
    assert watch.finality(chamber("2011-09-20", formation=None), D("2011-10-01")) is None
    assert watch.finality(chamber("2011-06-28", body="EMD"), D("2011-07-01")).state == "not-final"  # the alias


def test_status_lists_chamber_judgments_inside_their_three_months(cli):
    r = cli(["--repo", ROOT, "status", "--today", "2014-08-15", "-f", "json"])
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    pending = {i["id"]: i for i in data["not_final"]}
    # Tanda-Muzinga v. France (10 July 2014) and Kaplan and Others v. Norway (24 July 2014)
    assert set(pending) == {"tanda-muzinga-v-france-2014", "kaplan-and-others-v-norway-2014"}
    assert pending["tanda-muzinga-v-france-2014"]["final_date"] == "2014-10-10"
    assert pending["tanda-muzinga-v-france-2014"]["days_left"] == 56
    assert pending["kaplan-and-others-v-norway-2014"]["final_date"] == "2014-10-24"
    # F.G. v. Sweden (16 January 2014) was referred to the Grand Chamber on 2 June 2014
    assert [(i["id"], i["state"], i["referral_date"]) for i in data["referrals"]] == \
        [("f-g-v-sweden-2014", "referred", "2014-06-02")]
    md = cli(["--repo", ROOT, "status", "--today", "2014-08-15", "-f", "md"]).stdout
    assert "- Tanda-Muzinga v. France (tanda-muzinga-v-france-2014), 10. juli 2014: blir endelig 10. oktober 2014" in md
    table = cli(["--repo", ROOT, "status", "--today", "2014-08-15"]).stdout
    assert "EMD-dommer som ikke er endelige ennå" in table and "2014-10-10" in table


def test_status_on_later_days(cli):
    def on(day):
        return json.loads(cli(["--repo", ROOT, "status", "--today", day, "-f", "json"]).stdout)

    assert on("2014-10-10")["not_final"] == [i for i in on("2014-10-10")["not_final"]
                                             if i["id"] == "kaplan-and-others-v-norway-2014"]
    feb = on("2016-02-15")
    assert {i["id"]: i["state"] for i in feb["referrals"]}["khlaifia-and-others-v-italy-2015"] == "referred"
    # once the Grand Chamber's judgment is summarised (and linked), the referral is no longer pending
    dec = on("2016-12-20")
    assert "khlaifia-and-others-v-italy-2015" not in {i["id"] for i in dec["referrals"]}
    assert dec["unlinked"] == []
    assert "f-g-v-sweden-2014" not in {i["id"] for i in on("2016-04-01")["referrals"]}  # the GC judgment exists


def test_a_grand_chamber_judgment_whose_chamber_summary_lacks_the_link(cli, scratch_repo):
    path = scratch_repo / "data/judgments/2015/khlaifia-and-others-v-italy-2015.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace("related:\n- id: khlaifia-and-others-v-italy-2016\n  relation: later-stage\n", "")
    path.write_text(text, encoding="utf-8")
    data = json.loads(cli(["--repo", scratch_repo, "status", "--today", "2017-01-10", "-f", "json"]).stdout)
    assert [(i["id"], i["date"], i["state"], i["other"]) for i in data["unlinked"]] == \
        [("khlaifia-and-others-v-italy-2016", "2016-12-15", "unlinked", "khlaifia-and-others-v-italy-2015")]
    md = cli(["--repo", scratch_repo, "status", "--today", "2017-01-10", "-f", "md"]).stdout
    assert "- Khlaifia and Others v. Italy (khlaifia-and-others-v-italy-2016), 15. desember 2016: sammendraget av " \
           "kammerdommen (khlaifia-and-others-v-italy-2015) mangler lenke til storkammerdommen" in md
    assert data["total"] >= 1
    # validate names the missing mirror too
    codes = {p.code for p in validate(Repository(scratch_repo)).problems if p.path.endswith("italy-2016.md")}
    assert "HR207" in codes


def test_the_digest_lists_what_is_not_final(cli):
    r = cli(["--repo", ROOT, "judgment", "digest", "--since", "2014-07-01", "--today", "2014-08-15"])
    assert r.exit_code == 0, r.stderr
    part = r.stdout.split("## Dommer som ikke er endelige", 1)[1]
    assert re.search(r"- Tanda-Muzinga v\. France \(10\. juli 2014, 2260/10\): blir endelig 10\. oktober 2014", part)
    assert "F.G. v. Sweden (16. januar 2014, 43611/11): henvist til storkammeret 2. juni 2014" in part
    html = cli(["--repo", ROOT, "judgment", "digest", "--since", "2014-07-01", "--today", "2014-08-15",
                "--format", "html", "--lang", "en"]).stdout
    assert "<h2>Judgments not final yet</h2>" in html and "becomes final on 10 October 2014" in html
    opa = cli(["--repo", ROOT, "judgment", "digest", "--since", "2014-07-01", "--today", "2014-08-15",
               "--department", "ASA"]).stdout
    assert "Tanda-Muzinga" not in opa.split("## Dommer som ikke er endelige", 1)[-1]  # an OPA summary


@pytest.mark.parametrize("extra, message", [
    ({"formation": "Grand Chamber"}, "belongs to an ECtHR Chamber judgment"),
    ({"referral": {"status": "requested", "date": "2011-10-01"}}, "within three months"),
    ({"referral": {"status": "rejected", "date": "2011-05-01"}}, "before the judgment"),
    ({"referral": {"status": "pending", "date": "2011-07-01"}}, "must be one of requested, accepted, rejected"),
])
def test_referral_field_is_checked(cli, empty_repo, extra, message):
    from hrcoord.caselaw import judgments
    from hrcoord.core import records
    from hrcoord.core.errors import DataError

    values = {"title": "Nunez v. Norway", "body": "ECtHR", "doc_type": "judgment", "formation": "Chamber",
              "reference": ["55597/09"], "date": "2011-06-28", "articles": ["ECHR 8"], "relevance": ["expulsion"]}
    added = judgments.add(Repository(empty_repo), values)
    repo = Repository(empty_repo)
    rec = repo.judgment(added.id)
    referral = extra.pop("referral", {"status": "accepted", "date": "2011-12-01"})
    data = {**rec.data, **extra, "referral": referral}
    with pytest.raises(DataError) as err:
        records.update(repo, rec, data)
    assert any(message in p.message for p in err.value.problems), [p.message for p in err.value.problems]
