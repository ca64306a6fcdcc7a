"""Consistency checks on the reference data shipped in portal.reference.seed_data."""

import re

import pytest

from portal.reference import seed_data

KAZAKH_LETTERS = set("әғқңөұүһі")


def _codes(rows):
    return [row[0] for row in rows]


def test_twenty_regions_with_unique_nine_digit_codes():
    codes = _codes(seed_data.REGIONS)
    assert len(seed_data.REGIONS) == 20
    assert len(set(codes)) == 20
    for code in codes:
        assert re.fullmatch(r"\d{2}0000000", code), code


def test_region_names_are_official_examples():
    by_code = {kato: (kk, ru) for kato, kk, ru in seed_data.REGIONS}
    assert by_code["350000000"] == ("Қарағанды облысы", "Карагандинская область")
    assert by_code["710000000"] == ("Астана қаласы", "город Астана")
    assert {code[:2] for code in by_code} == {
        "10",
        "11",
        "15",
        "19",
        "23",
        "27",
        "31",
        "33",
        "35",
        "39",
        "43",
        "47",
        "55",
        "59",
        "61",
        "62",
        "63",
        "71",
        "75",
        "79",
    }


def test_districts_have_valid_unique_codes_within_existing_regions():
    region_codes = set(_codes(seed_data.REGIONS))
    district_codes = _codes(seed_data.DISTRICTS)
    assert len(district_codes) == len(set(district_codes))
    assert not region_codes & set(district_codes)
    for kato, region_kato, _kk, _ru in seed_data.DISTRICTS:
        assert re.fullmatch(r"\d{9}", kato), kato
        assert region_kato in region_codes, kato
        assert kato[:2] == region_kato[:2], kato


def test_every_region_has_districts_and_the_four_named_have_at_least_three():
    counts = {}
    for _kato, region_kato, _kk, _ru in seed_data.DISTRICTS:
        counts[region_kato] = counts.get(region_kato, 0) + 1
    for region_kato in _codes(seed_data.REGIONS):
        assert counts.get(region_kato, 0) >= 2, region_kato
    for region_kato in ("710000000", "750000000", "350000000", "630000000"):
        assert counts[region_kato] >= 3, region_kato


def test_named_districts_are_present():
    names_ru = {ru for _k, _r, _kk, ru in seed_data.DISTRICTS}
    for name in (
        "город Караганда",
        "город Темиртау",
        "Абайский район",
        "Бухар-Жырауский район",
        "город Усть-Каменогорск",
        "город Риддер",
        "Глубоковский район",
    ):
        assert name in names_ru, name


def test_occupations_codes_shape_unique_and_count():
    codes = _codes(seed_data.OCCUPATIONS)
    assert len(codes) >= 70
    assert len(codes) == len(set(codes))
    for code in codes:
        assert re.fullmatch(r"^\d{4}-\d$", code), code


def test_every_occupation_prefix_has_a_group():
    group_codes = _codes(seed_data.OCCUPATION_GROUPS)
    assert len(group_codes) == len(set(group_codes))
    groups = set(group_codes)
    for code in _codes(seed_data.OCCUPATIONS):
        for length in (1, 2, 3):
            assert code[:length] in groups, (code, code[:length])
    for code in groups:
        assert re.fullmatch(r"\d{1,3}", code), code


def test_seed_trades_are_covered():
    units = {code[:4] for code in _codes(seed_data.OCCUPATIONS)}
    for unit in (
        "7533",
        "8153",
        "7112",
        "7114",
        "7212",
        "7115",
        "7522",
        "5120",
        "7511",
        "9112",
        "9333",
        "8322",
        "8332",
        "8341",
        "8344",
        "5414",
        "2342",
        "3221",
    ):
        assert unit in units, unit
    kk_names = {kk for _c, kk, _ru in seed_data.OCCUPATIONS}
    for word in (
        "Тігінші",
        "Кірпіш қалаушы",
        "Аспаз",
        "Жүк тиеуші",
        "Ағаш ұстасы",
        "Бетоншы",
        "Мейірбике",
        "Дәнекерлеуші",
    ):
        assert word in kk_names, word


ALL_TABLES = {
    "REGIONS": (seed_data.REGIONS, 1, 2),
    "DISTRICTS": (seed_data.DISTRICTS, 2, 3),
    "OCCUPATION_GROUPS": (seed_data.OCCUPATION_GROUPS, 1, 2),
    "OCCUPATIONS": (seed_data.OCCUPATIONS, 1, 2),
    "OFFENCE_CATEGORIES": (seed_data.OFFENCE_CATEGORIES, 1, 2),
    "SPHERES": (seed_data.SPHERES, 1, 2),
    "ACTIVITIES": (seed_data.ACTIVITIES, 1, 2),
    "CONDITIONS": (seed_data.CONDITIONS, 1, 2),
    "PLACE_TYPES": (seed_data.PLACE_TYPES, 1, 2),
    "INSTITUTIONS": (seed_data.INSTITUTIONS, 1, 2),
}


@pytest.mark.parametrize("table", sorted(ALL_TABLES))
def test_names_non_empty_in_both_languages(table):
    rows, kk_index, ru_index = ALL_TABLES[table]
    assert rows
    for row in rows:
        assert isinstance(row[kk_index], str) and row[kk_index].strip(), row
        assert isinstance(row[ru_index], str) and row[ru_index].strip(), row
        assert row[kk_index] == row[kk_index].strip() and row[ru_index] == row[ru_index].strip()
        # Column limits of portal.reference.models (120 for territories, 200 otherwise).
        limit = 120 if table in ("REGIONS", "DISTRICTS") else 200
        assert len(row[kk_index]) <= limit and len(row[ru_index]) <= limit, row


def test_occupation_names_are_mostly_translated():
    rows = seed_data.OCCUPATIONS
    differing = sum(1 for _c, kk, ru in rows if kk != ru)
    assert differing >= 0.8 * len(rows)
    with_kazakh_letters = sum(1 for _c, kk, _ru in rows if KAZAKH_LETTERS & set(kk.lower()))
    assert with_kazakh_letters >= 0.5 * len(rows)


def test_vocabulary_codes_exact():
    assert _codes(seed_data.OFFENCE_CATEGORIES) == [
        "sexual_minors",
        "sexual",
        "murder",
        "intentional_harm",
        "public_health_morality",
        "drugs",
        "extremism_terrorism",
        "human_trafficking",
        "other",
    ]
    assert _codes(seed_data.SPHERES) == [
        "education",
        "upbringing",
        "recreation",
        "sport",
        "medical",
        "social_services",
        "culture_arts",
        "manufacturing",
        "construction",
        "catering",
        "trade",
        "agriculture",
        "transport",
        "services",
        "housing_utilities",
        "other",
    ]
    assert _codes(seed_data.ACTIVITIES) == [
        "teaching",
        "work_with_minors",
        "driving",
        "finance",
        "security",
        "medical_care",
        "food_handling",
        "public_service",
        "weapons",
        "other",
    ]
    assert _codes(seed_data.CONDITIONS) == ["heavy", "harmful", "heights", "night"]
    assert _codes(seed_data.PLACE_TYPES) == [
        "child_facility",
        "entertainment",
        "alcohol_outlet",
        "educational_institution",
        "medical_facility",
        "transport_hub",
        "other",
    ]


def test_offence_category_official_terms():
    by_code = {code: (kk, ru) for code, kk, ru in seed_data.OFFENCE_CATEGORIES}
    assert "КТЖТҚҚ" in by_code["sexual_minors"][0]
    assert "ПППНН" in by_code["sexual_minors"][1]


def test_institutions_reference_existing_territories():
    region_codes = set(_codes(seed_data.REGIONS))
    districts = {kato: region for kato, region, _kk, _ru in seed_data.DISTRICTS}
    codes = _codes(seed_data.INSTITUTIONS)
    assert len(codes) == len(set(codes))
    for code, _kk, _ru, level, region_kato, district_kato in seed_data.INSTITUTIONS:
        assert level in ("minimum", "medium", "maximum", "mixed"), code
        assert region_kato in region_codes, code
        if district_kato is not None:
            assert district_kato in districts, code
            assert districts[district_kato] == region_kato, code


def test_minimum_security_institutions_in_required_regions():
    minimum = [row for row in seed_data.INSTITUTIONS if row[3] == "minimum"]
    assert len(minimum) >= 3
    regions = {row[4] for row in minimum}
    assert {"710000000", "350000000", "630000000"} <= regions
