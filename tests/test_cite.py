"""`hrcoord judgment cite` (issue 14): the citation of real cases in data/ in three styles."""
from __future__ import annotations

import pytest

from conftest import ROOT
from hrcoord.caselaw import cite
from hrcoord.core.errors import UsageError
from hrcoord.core.repo import Repository


def cited(cli, jid: str, style: str, *extra) -> str:
    r = cli(["--repo", ROOT, "judgment", "cite", jid, "--style", style, *extra])
    assert r.exit_code == 0, r.stderr
    return r.stdout.rstrip("\n")


@pytest.mark.parametrize("style, expected", [
    ("nb", "Nunez mot Norge, EMD 28. juni 2011 (klagesak nr. 55597/09) avsnitt 84"),
    ("en", "Nunez v. Norway, no. 55597/09, § 84, 28 June 2011"),
    ("oscola", "Nunez v Norway App no 55597/09 (ECtHR, 28 June 2011) [84]"),
])
def test_nunez_in_the_three_styles(cli, style, expected):
    assert cited(cli, "nunez-v-norway-2011", style, "--para", "84") == expected


def test_norwegian_is_the_default_and_the_paragraph_optional(cli):
    assert cited(cli, "nunez-v-norway-2011", "nb") == "Nunez mot Norge, EMD 28. juni 2011 (klagesak nr. 55597/09)"
    r = cli(["--repo", ROOT, "judgment", "cite", "nunez-v-norway-2011"])
    assert r.stdout.startswith("Nunez mot Norge, EMD 28. juni 2011")


def test_grand_chamber_several_states_and_several_applications(cli):
    assert cited(cli, "m-s-s-v-belgium-and-greece-2011", "nb") == \
        "M.S.S. mot Belgia og Hellas, EMD (storkammer) 21. januar 2011 (klagesak nr. 30696/09)"
    assert cited(cli, "m-s-s-v-belgium-and-greece-2011", "en") == \
        "M.S.S. v. Belgium and Greece [GC], no. 30696/09, 21 January 2011"
    assert cited(cli, "m-s-s-v-belgium-and-greece-2011", "oscola", "--para", "251") == \
        "MSS v Belgium and Greece App no 30696/09 (ECtHR, 21 January 2011) [251]"
    assert cited(cli, "sufi-and-elmi-v-the-united-kingdom-2011", "oscola", "--para", "248") == \
        "Sufi and Elmi v United Kingdom App nos 8319/07 and 11449/07 (ECtHR, 28 June 2011) [248]"
    assert cited(cli, "sufi-and-elmi-v-the-united-kingdom-2011", "nb") == \
        "Sufi og Elmi mot Storbritannia, EMD 28. juni 2011 (klagesak nr. 8319/07 og 11449/07)"
    assert cited(cli, "kaplan-and-others-v-norway-2014", "nb") == \
        "Kaplan m.fl. mot Norge, EMD 24. juli 2014 (klagesak nr. 32504/11)"


def test_a_decision_is_marked(cli):
    assert cited(cli, "omeredo-v-austria-2011", "en") == "Omeredo v. Austria (dec.), no. 8969/10, 20 September 2011"
    assert cited(cli, "omeredo-v-austria-2011", "oscola") == \
        "Omeredo v Austria (dec) App no 8969/10 (ECtHR, 20 September 2011)"


def test_cjeu_with_the_ecli(cli):
    assert cited(cli, "n-s-and-m-e-2011", "oscola", "--para", "86") == \
        "Joined Cases C-411/10 and C-493/10 NS and ME EU:C:2011:865, para 86"
    assert cited(cli, "n-s-and-m-e-2011", "en", "--para", "86") == \
        "Judgment of 21 December 2011, N.S. and M.E., C-411/10 and C-493/10, EU:C:2011:865, paragraph 86"
    assert cited(cli, "n-s-and-m-e-2011", "nb") == ("N.S. and M.E., EU-domstolen (storkammer) 21. desember 2011 "
                                                    "(forente saker C-411/10 og C-493/10, ECLI:EU:C:2011:865)")
    assert (cited(cli, "ruiz-zambrano-2011", "oscola", "--para", "42")
            == "Case C-34/09 Ruiz Zambrano EU:C:2011:124, para 42")
    assert cited(cli, "x-y-and-z-2013", "en") == \
        "Judgment of 7 November 2013, X, Y and Z, C-199/12, C-200/12 and C-201/12, EU:C:2013:720"


def test_un_treaty_body_views(cli):
    assert cited(cli, "warsame-v-canada-2011", "oscola", "--para", "8.3") == (
        "Warsame v Canada Communication No 1959/2010 (UN Human Rights Committee, 21 July 2011) "
        "UN Doc CCPR/C/102/D/1959/2010, para 8.3")
    assert cited(cli, "warsame-v-canada-2011", "en") == (
        "Warsame v. Canada, UN Human Rights Committee, views of 21 July 2011, communication No. 1959/2010, "
        "CCPR/C/102/D/1959/2010")
    assert cited(cli, "njamba-and-balikosa-v-sweden-2010", "nb") == \
        "Njamba og Balikosa mot Sverige, FNs torturkomité 14. mai 2010 (CAT/C/44/D/322/2007)"


@pytest.mark.parametrize("args", [["--style", "apa"], ["--para", "§84"], ["--para", "eighty"]])
def test_bad_flags_are_usage_errors(cli, args):
    r = cli(["--repo", ROOT, "judgment", "cite", "nunez-v-norway-2011", *args])
    assert r.exit_code == 2 and args[0] in r.stderr


def test_an_unknown_id_suggests_one(cli):
    r = cli(["--repo", ROOT, "judgment", "cite", "sufi"])
    assert r.exit_code == 2 and "did you mean 'sufi-and-elmi-v-the-united-kingdom-2011'" in r.stderr


def test_library_function_for_the_portal():
    data = Repository(ROOT).judgment("tarakhel-v-switzerland-2014").data
    assert cite.citation(data, "oscola", 122) == "Tarakhel v Switzerland App no 29217/12 (ECtHR, 4 November 2014) [122]"
    # a title without respondents keeps the title's state
    assert cite.name_nb({"title": "X v. Norway"}) == "X mot Norway"
    assert cite.name_oscola("C.N. v. the United Kingdom") == "CN v United Kingdom"
    with pytest.raises(UsageError):
        cite.citation(data, "chicago")
