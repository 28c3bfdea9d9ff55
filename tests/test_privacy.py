"""The personal-data guard at the library level: what counts as a national identity number,
D-number, e-mail address or phone number, and where it is reported."""
from __future__ import annotations

import pytest

from conftest import fodselsnummer
from hrcoord.core.checks.privacy import find_personal_data, is_fodselsnummer

FNR = fodselsnummer("010190")          # born 1 January 1990
DNR = fodselsnummer("410190")          # D-number: first digit + 4


def test_control_digits():
    assert is_fodselsnummer(FNR) and is_fodselsnummer(DNR)
    broken = FNR[:-1] + str((int(FNR[-1]) + 1) % 10)
    assert not is_fodselsnummer(broken)
    assert not is_fodselsnummer("1234567890") and not is_fodselsnummer("abcdefghijk")


@pytest.mark.parametrize("text", [FNR, DNR, f"{FNR[:6]} {FNR[6:]}", f"fnr. {FNR}."])
def test_identity_numbers_are_found(text):
    assert [what for _, _, what in find_personal_data(text)] == ["a national identity number or D-number"]


def test_eleven_digits_that_fail_the_check_are_not_flagged():
    broken = FNR[:-1] + str((int(FNR[-1]) + 1) % 10)
    assert find_personal_data(f"Saksnummer {broken}") == []


@pytest.mark.parametrize("text", ["ring 22 33 44 55", "tlf. +47 22334455", "tlf 0047 22 33 44 55", "900 12 345",
                                  "mobil 4000 1234"])
def test_phone_numbers_are_found(text):
    assert "a phone number" in [what for _, _, what in find_personal_data(text)]


@pytest.mark.parametrize("text", ["Application no. 55597/09", "ECLI:CE:ECHR:2011:0628JUD005559709",
                                  "CCPR/C/102/D/1959/2010", "in 2011 and 2014", "10/1843-27",
                                  "paragraph 1 234", "sak 14/01234-1"])
def test_references_and_years_are_not_flagged(text):
    assert find_personal_data(text) == []


def test_email_and_positions():
    text = "Første linje\nSkriv til saksbehandler@udi.no i dag\n"
    assert find_personal_data(text) == [(1, 11, "an e-mail address (saksbehandler@udi.no)")]
