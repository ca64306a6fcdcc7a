"""Folding, Kazakh Latin, name keys and highlighting: the same analysis at index and query time."""

import pytest
from markupsafe import Markup

from portal.search.analysis import (
    fold,
    index_terms,
    name_key,
    normalise,
    parse,
    text_matches,
    text_terms,
    words,
)
from portal.search.highlight import mark, snippet


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Тігінші", "тигинши"),
        ("ҚАРАҒАНДЫ", "караганды"),
        ("Өскемен", "оскемен"),
        ("Ёлка", "елка"),
        ("tigınşı", "тигинши"),
        ("Qarağandy", "караганды"),
        ("Öskemen", "оскемен"),
        ("şeber", "шебер"),
        ("İnspektor", "инспектор"),
        ("ū", "у"),
        ("u\u0304", "у"),  # ū typed as u + combining macron
    ],
)
def test_fold(typed, folded):
    assert fold(typed) == folded


@pytest.mark.parametrize(
    ("query", "document"),
    [
        ("тігінші", "Тігінші"),
        ("тигинши", "тігінші"),
        ("tigınşı", "тігінші"),
        ("tiginshi", "тігінші"),  # informal Latin: sh for ş
        ("тігіншілер", "Тігінші"),
        ("сварщики", "сварщик"),
        ("дәнекерлеуші", "дәнекерлеушілер"),
        ("данекерлеушилер", "дәнекерлеуші"),
        ("швеи", "Швея"),
        ("поваров", "повар"),
        ("жұмысшылар", "жұмысшы"),
        ("жумысшыларга", "жұмысшыға"),
    ],
)
def test_query_and_document_share_a_term(query, document):
    assert set(text_terms(words(query)[0])) & set(text_terms(words(document)[0]))


@pytest.mark.parametrize(
    ("query", "document"),
    [
        ("сварщик", "швея"),
        ("тігінші", "тігін"),
        ("жұмыс", "жұмысшы"),
        ("нан", "наубайшы"),
    ],
)
def test_different_words_stay_apart(query, document):
    assert not set(text_terms(query)) & set(text_terms(document))


@pytest.mark.parametrize(
    ("query", "document", "found"),
    [
        ("сварщик", "Электрогазосварщик", True),
        ("сварщики", "электросварщик", True),
        ("слесарь", "автослесарь", True),
        ("механик", "автомеханиктер", True),  # kk plural
        ("граф", "фотограф", False),
        ("газ", "газосварщик", False),
    ],
)
def test_a_compound_is_indexed_with_its_parts(query, document, found):
    assert bool(set(text_terms(query)) & set(index_terms(normalise(document)))) is found


def test_only_the_index_splits_a_compound():
    """A query for the compound still asks for the compound, not for every welder."""
    assert not set(text_terms("электрогазосварщик")) & set(text_terms("сварщик"))


@pytest.mark.parametrize(
    "spellings",
    [
        ("Ахметов", "Akhmetov", "Ahmetov", "Axmetov"),
        ("Қасымов", "Касымов", "Kassymov", "Kasymov", "Qasymov"),
        ("Жақыпов", "Жакыпов", "Zhakypov", "Jaqypov"),
        ("Ерлан", "Yerlan", "Erlan"),
        ("Шевченко", "Shevchenko", "Şevçenko"),
        ("Дмитрий", "Dmitriy", "Dmitry", "Dmitrii"),
        ("Наталья", "Natalya", "Natalia"),
        ("Сейдахметов", "Seydakhmetov", "Seidakhmetov"),
        ("Тұрсынов", "Турсынов", "Tursynov", "Tūrsynov"),
        ("Жұмабаев", "Zhumabayev", "Zhumabaev"),
        ("Ковальчук", "Kovalchuk"),
        ("Әбенов", "Абенов", "Abenov", "Äbenov"),
    ],
)
def test_a_name_in_any_spelling_has_one_key(spellings):
    assert len({name_key(words(spelling)[0]) for spelling in spellings}) == 1, [
        name_key(words(s)[0]) for s in spellings
    ]


def test_query_words():
    parsed = parse("Швея в Астане", prefix_last=True)
    assert [w.raw for w in parsed] == ["швея", "в", "астане"]
    assert [w.optional for w in parsed] == [False, True, False]
    assert [w.prefix for w in parsed] == [False, False, True]
    assert not parse("в")[0].optional  # a query of only such words keeps them
    assert len(parse("a " * 50)) == 8
    # A BIN or IIN typed in groups is one number; other digits stay apart from words.
    assert [w.raw for w in parse("1234 5678-9012")] == ["123456789012"]
    assert [w.raw for w in parse("цех 2 смена")] == ["цех", "2", "смена"]


def test_mark_and_snippet():
    query = parse("тигинши")
    assert mark("Тігінші-моторшы <b>", query) == Markup("<mark>Тігінші</mark>-моторшы &lt;b&gt;")
    assert mark("Серік Ахметов", parse("akhmetov"), names=True) == Markup(
        "Серік <mark>Ахметов</mark>"
    )
    assert mark("Мотористка", parse("мото", prefix_last=True)) == Markup("<mark>Мотористка</mark>")
    long = "Слово " * 60 + "тігінші " + "слово " * 60
    cut = snippet(long, query, width=100)
    assert "<mark>тігінші</mark>" in cut and cut.startswith("… ") and cut.endswith(" …")
    assert len(cut) < 160


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("тигинши", True),
        ("tiginshi", True),
        ("тиг", True),
        ("shveya", True),
        ("швеи", True),
        ("тігінші моторшы", True),
        ("тігінші наубайшы", False),
        ("пекарь", False),
    ],
)
def test_text_matches_folds_like_the_search(query, found):
    assert text_matches(query, ("Тігінші-моторшы", "Швея-мотористка")) is found
