"""The activities an НКЗ occupation implies, and the reference data behind them."""

import pytest

from portal.reference import seed_data
from portal.reference.occupations import IMPLIED_ACTIVITIES, implied_activities


@pytest.mark.parametrize(
    "code, activities",
    [
        # drivers: 832x and 833x, whichever unit group
        ("8322-0", {"driving"}),
        ("8321-0", {"driving"}),
        ("8331-0", {"driving"}),
        ("8332-0", {"driving"}),
        # teaching professionals; primary and pre-school teachers work with children too
        ("2320-0", {"teaching"}),
        ("2330-0", {"teaching"}),
        ("2341-0", {"teaching", "work_with_minors"}),
        ("2342-0", {"teaching", "work_with_minors"}),
        # child care workers, nannies and teachers' aides
        ("5311-1", {"work_with_minors"}),
        ("5312-0", {"work_with_minors"}),
        ("5414-0", {"security"}),
        ("5414-1", {"security"}),
        # cash and accounts
        ("5230-0", {"finance"}),
        ("4211-0", {"finance"}),
        ("2411-0", {"finance"}),
        ("3313-0", {"finance"}),
        ("4311-0", {"finance"}),
        # medical care
        ("2211-0", {"medical_care"}),
        ("2221-0", {"medical_care"}),
        ("3212-0", {"medical_care"}),
        ("3221-0", {"medical_care"}),
        ("5321-0", {"medical_care"}),
    ],
)
def test_each_mapping(code, activities):
    assert implied_activities(code) == activities


@pytest.mark.parametrize(
    "code",
    ["7533-0", "8341-0", "8344-0", "5322-0", "5120-0", "2635-0", "83", "", "  "],
)
def test_a_code_with_no_entry_implies_nothing(code):
    assert implied_activities(code) == frozenset()


def test_the_table_names_only_known_activities():
    known = {code for code, _kk, _ru in seed_data.ACTIVITIES}
    prefixes = [prefix for prefix, _activities in IMPLIED_ACTIVITIES]
    assert len(prefixes) == len(set(prefixes))
    for prefix, activities in IMPLIED_ACTIVITIES:
        assert prefix.isdigit() and 1 <= len(prefix) <= 4, prefix
        assert activities and activities <= known, prefix


def test_every_row_has_a_shipped_occupation():
    """Each mapping can be chosen on the vacancy form: a real occupation falls under it."""
    codes = [code for code, _kk, _ru in seed_data.OCCUPATIONS]
    for prefix, _activities in IMPLIED_ACTIVITIES:
        assert any(code.startswith(prefix) for code in codes), prefix


def test_named_occupations_are_shipped_in_both_languages():
    by_code = {code: (kk, ru) for code, kk, ru in seed_data.OCCUPATIONS}
    assert by_code["8332-0"][1] == "Водитель грузового автомобиля"
    assert by_code["5311-1"] == ("Бала күтуші", "Няня")
    assert by_code["5414-0"][1] == "Охранник"
    assert by_code["5230-0"][1] == "Кассир"
